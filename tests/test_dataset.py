"""The bundled dataset: complete, linked, sourced, and right on the facts we spot-check."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from index import Dataset, bundled_data_dir, load_dataset

ROOT = Path(__file__).resolve().parent.parent
# Quote texts as printed on the cited pages, with their URLs (copied from the research fact sheet).
QUOTE_SOURCES = ROOT / "tests" / "fixtures" / "quote_sources.toml"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(bundled_data_dir())


def test_validate_passes_on_bundled_data() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "validate"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: 141 members (57 founding)")


def test_counts_are_pinned(data: Dataset) -> None:
    assert len(data.members) == 141  # 85 of February 2024 and 56 later ones
    assert sum(m.founding for m in data.members) == 57
    assert len(data.quotes) >= 85
    assert len(data.events) >= 50
    assert len(data.topics) >= 8
    assert len(data.projects) == 30
    assert len(data.groups) == 17
    assert len(data.people) == 19
    assert len(data.alliance.counts) == 9  # every count the research reports, the conflicting 117 too


def test_every_record_is_sourced(data: Dataset) -> None:
    records = [*data.members, *data.quotes, *data.events, *data.topics, *data.alliance.sections]
    for record in records:
        assert record.sources, record.id
        assert all(re.match(r"https?://\S+$", url) for url in record.sources), record.id
    assert all(url.startswith(("http://", "https://")) for url in data.alliance.sources)


def test_links_point_at_existing_members(data: Dataset) -> None:
    ids = {m.id for m in data.members}
    for quote in data.quotes:
        assert not quote.member or quote.member in ids, quote.id
    for event in data.events:
        assert set(event.members) <= ids, event.id
    for topic in data.topics:
        assert set(topic.members) <= ids, topic.id


def test_founders_exist_and_are_founding(data: Dataset) -> None:
    assert data.alliance.founders == ("ibm", "meta")
    for founder in data.alliance.founders:
        member = data.member(founder)
        assert member is not None and member.founding


def test_overview_facts(data: Dataset) -> None:
    alliance = data.alliance
    assert alliance.founded.start == dt.date(2023, 12, 5)
    assert len(alliance.focus_areas) == 4  # at launch; the six of 2024 are a section
    later = next(s for s in alliance.sections if "2024" in s.title)
    assert len(later.items) == 6 and "AI Policy Advocacy" in later.items
    assert len(alliance.objectives) == 6
    figures = {f.label: f for f in alliance.figures}
    assert any(">$80B" in f.value for f in figures.values())
    assert all(f.sources for f in figures.values())
    absences = next(s for s in alliance.sections if "absence" in s.title.lower())
    for name in ("NVIDIA", "Google", "Microsoft", "OpenAI", "Anthropic", "AWS"):
        assert any(name in item for item in absences.items), name


def test_spot_checked_facts(data: Dataset) -> None:
    nasa = data.member("nasa")
    assert nasa and nasa.type == "government" and nasa.country == "US" and nasa.founding
    epfl = data.member("epfl")
    assert epfl and epfl.short_name == "EPFL" and epfl.country == "CH" and epfl.type == "university"
    assert data.member("databricks") and not data.member("databricks").founding
    assert str(data.member("databricks").joined) == "2024-02-08"
    fast = [q for q in data.quotes_of("fast-ai") if q.speaker == "Jeremy Howard"]
    assert fast and fast[0].text.startswith("Open source is the backbone")
    assert dict(fast[0].translations).get("fr")
    launch = next(e for e in data.events if str(e.date) == "2023-12-05" and "launch" in e.tags)
    assert set(launch.members) >= {"ibm", "meta"}
    buffalo = data.member("university-at-buffalo")
    assert buffalo and "founding member" in buffalo.note
    assert {"ibm", "meta"} <= {m.id for m in data.members if m.founding}


def test_french_renderings_present(data: Dataset) -> None:
    speakers = {q.speaker for q in data.quotes if dict(q.translations).get("fr")}
    for name in ("David Spergel", "Jeremy Howard", "Arvind Krishna", "Nick Clegg"):
        assert name in speakers
    for quote in data.quotes:
        if quote.translations:
            assert quote.note, f"{quote.id}: say which part of the original the translation renders"


def test_quotes_are_verbatim_from_their_sources(data: Dataset) -> None:
    """Every piece of every quote is in an excerpt of the page it cites (tests/fixtures)."""
    with QUOTE_SOURCES.open("rb") as handle:
        fixture = {entry["id"]: entry for entry in tomllib.load(handle)["quote"]}
    assert set(fixture) == {q.id for q in data.quotes}, "each quote needs its excerpt in the fixture"
    for quote in data.quotes:
        entry = fixture[quote.id]
        assert set(quote.sources) & set(entry["sources"]), f"{quote.id}: cites none of the excerpt's pages"
        for piece in (p for p in re.split(r"\s*…\s*", quote.text) if p):
            assert any(piece.strip(' “”"') in excerpt for excerpt in entry["excerpts"]), quote.id


def test_timeline_file_is_in_date_order_with_partial_dates(data: Dataset) -> None:
    order = [e.order for e in data.events]  # sort_as where given, else date
    assert order == sorted(order)
    assert any(e.sort_as for e in data.events)  # month/year dates that answer something later
    assert any(e.date.precision != "day" for e in data.events)  # "2024-05" kept as given
