"""French names of members (`names.fr`) and what part of a quote its French renders
(`renders.fr`): loading, validation with file, line, id and field, search, JSON, and the
detail in French (issue 16)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index import Dataset, load_dataset, to_json
from index.describe import describe
from index.kinds import get_kind
from index.store import open_index
from tests.builders import BUNDLED, problems, replace
from tui.render import detail_entries, rendered_part


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(BUNDLED)


QUOTE_LANG = 'translations.fr = "L\'innovation ouverte gagne."'
IBM_SUMMARY = 'summary = "Co-founder of the alliance."'


def line_of(directory: Path, name: str, needle: str) -> int:
    lines = (directory / name).read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


# -- renders ----------------------------------------------------------------


@pytest.mark.parametrize("part", ["all", "sentence 1", "sentences 1-2", "part of sentence 3"])
def test_renders_loads_every_documented_form(minimal_dataset, part):
    replace(minimal_dataset, "quotes.toml", QUOTE_LANG, f'{QUOTE_LANG}\nrenders.fr = "{part}"')
    quote = load_dataset(minimal_dataset).get("quote", "ibm-open")
    assert quote.renders == (("fr", part),)
    assert to_json(quote)["renders"] == {"fr": part}  # as the TOML writes it


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('renders.fr = "the first sentence"', "renders: fr: 'the first sentence' is not a part of the text"),
        ('renders.fr = "sentence 0"', "renders: fr: 'sentence 0' is not a part of the text"),
        ('renders.fr = "sentences 2-1"', "renders: fr: 'sentences 2-1': the first sentence must come before"),
        ('renders.xx = "all"', "renders: xx: 'xx' is not an ISO 639-1 language code"),
        ('renders.de = "all"', "renders: de: no translations.de to go with it"),
        ('renders = "all"', "renders: expected a table of language = part, got a string"),
    ],
)
def test_a_bad_renders_is_a_problem_with_file_line_id_and_field(minimal_dataset, value, message):
    replace(minimal_dataset, "quotes.toml", QUOTE_LANG, f"{QUOTE_LANG}\n{value}")
    line = line_of(minimal_dataset, "quotes.toml", value)
    found = problems(minimal_dataset)
    assert len(found) == 1, found
    assert found[0].startswith(f"quotes.toml:{line}: quote 'ibm-open': {message}"), found


def test_renders_without_any_translation_is_a_problem(minimal_dataset):
    replace(minimal_dataset, "quotes.toml", QUOTE_LANG, 'renders.fr = "all"')
    line = line_of(minimal_dataset, "quotes.toml", "renders.fr")
    assert problems(minimal_dataset) == [
        f"quotes.toml:{line}: quote 'ibm-open': renders: fr: no translations.fr to go with it"
    ]


def test_a_broken_translations_is_not_also_blamed_on_renders(minimal_dataset):
    replace(minimal_dataset, "quotes.toml", QUOTE_LANG, 'translations.fr = 3\nrenders.fr = "all"')
    found = problems(minimal_dataset)
    assert len(found) == 1 and "translations: fr: expected a string" in found[0], found


def test_every_french_rendering_of_the_bundled_quotes_says_what_it_renders(dataset):
    translated = [q for q in dataset.quotes if dict(q.translations).get("fr")]
    assert len(translated) >= 4
    for quote in translated:
        part = dict(quote.renders).get("fr")
        assert part, f"{quote.id}: translations.fr without renders.fr"
        # What the note says, in its words ("the first sentence", "part of the first sentence").
        said = re.search(r"The French renders (part of )?the (first|last) sentence", quote.note)
        assert said, quote.note
        sentences = len(re.findall(r"[.!?](?:\s|$)", quote.text))
        number = 1 if said.group(2) == "first" else sentences
        assert part == f"{'part of ' if said.group(1) else ''}sentence {number}", quote.id


def test_rendered_part_in_english_and_french(french):
    assert rendered_part("sentence 1") == "phrase 1"
    assert rendered_part("part of sentence 1") == "partie de la phrase 1"
    assert rendered_part("sentences 1-2") == "phrases 1 à 2"


# -- names ------------------------------------------------------------------


def test_names_load_and_go_to_json(minimal_dataset):
    replace(minimal_dataset, "members.toml", IBM_SUMMARY, f'{IBM_SUMMARY}\nnames.fr = "Machines Internationales"')
    member = load_dataset(minimal_dataset).member("ibm")
    assert member.names == (("fr", "Machines Internationales"),)
    assert to_json(member)["names"] == {"fr": "Machines Internationales"}
    rows = {row.label: row.values for row in describe(member, load_dataset(minimal_dataset))}
    assert rows["name (fr)"] == ("Machines Internationales",)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('names.xx = "Nom"', "names: xx: 'xx' is not an ISO 639-1 language code"),
        ('names.fr = ""', "names: fr: is empty"),
        ('names = "Nom"', "names: expected a table of language = text, got a string"),
    ],
)
def test_a_bad_name_is_a_problem_with_file_line_id_and_field(minimal_dataset, value, message):
    replace(minimal_dataset, "members.toml", IBM_SUMMARY, f"{IBM_SUMMARY}\n{value}")
    line = line_of(minimal_dataset, "members.toml", value)
    assert problems(minimal_dataset) == [f"members.toml:{line}: member 'ibm': {message}"]


GEEKSOURCE = "https://www.geeksource.fr/meta-ibm-intel-amd-et-la-nasa-sallient-pour-promouvoir-lia-en-open-source.html"


@pytest.mark.parametrize(
    ("member_id", "name"), [("simons-foundation", "Fondation Simons"), ("linux-foundation", "Fondation Linux")]
)
def test_the_french_names_are_names_with_their_source(dataset, member_id, name):
    member = dataset.member(member_id)
    assert dict(member.names) == {"fr": name}
    assert name not in member.aliases  # moved, not kept twice
    assert GEEKSOURCE in member.sources  # the French seed article gives the name


def test_a_french_name_is_in_its_members_search_names(dataset):
    member = dataset.member("simons-foundation")
    assert "Fondation Simons" in get_kind("member").document(member, dataset)["names"]


@pytest.mark.parametrize(
    ("typed", "found"), [("Fondation Simons", "simons-foundation"), ("fondation linux", "linux-foundation")]
)
def test_a_french_name_still_finds_its_member(tmp_path, typed, found):
    index = open_index(BUNDLED, cache=tmp_path / "cache")
    try:
        hits = index.searcher().search(typed).hits
    finally:
        index.ix.close()
    assert hits and hits[0].ref == f"member:{found}"


def test_the_french_detail_says_the_french_name_under_the_title(dataset, french):
    member = dataset.member("simons-foundation")
    lines = [entry.text.plain for entry in detail_entries(member, dataset)]
    assert lines[:3] == ["Simons Foundation", "En français\u00a0: Fondation Simons", "member:simons-foundation"]
    assert "nom (français)" not in lines  # said once, under the title
    assert "Fondation Simons" not in lines[3:]


def test_the_english_detail_lists_the_french_name_as_a_field(dataset):
    member = dataset.member("simons-foundation")
    lines = [entry.text.plain for entry in detail_entries(member, dataset)]
    assert lines[:2] == ["Simons Foundation", "member:simons-foundation"]
    at = lines.index("name (fr)")
    assert lines[at + 1] == "Fondation Simons"
