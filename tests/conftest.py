"""Shared fixtures and helpers: a small valid dataset to load, break and run the CLI on."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import DataError, load_dataset

# A small valid dataset, one TOML text per file. Tests derive broken datasets from it
# with `replace`, so keep the texts stable: tests look lines up by their content.
ALLIANCE_TOML = """\
# The alliance itself.
[alliance]
id = "test-alliance"
name = "Test Alliance"
founded = 2023-12-05
founders = ["ibm", "epfl"]
mission = "Test the loader."
website = "https://example.org"
as_of = 2024-06-01
focus_areas = ["Testing"]
objectives = ["Find bugs"]
governance = "A board."
figures = { "Members" = "3", "Budget" = { value = "$1", sources = ["https://example.org/budget"] } }
sources = ["https://example.org/about"]

[[alliance.section]]
id = "history"
title = "History"
text = "It began."
sources = ["https://example.org/history"]

[[alliance.topic]]
id = "openness"
title = "How open is open?"
summary = "Members disagree."
members = ["ibm", "nasa"]
sources = ["https://example.org/openness"]
"""

MEMBERS_TOML = """\
# Three members: two founding, one later.
[[member]]
id = "ibm"
name = "International Business Machines"
short_name = "IBM"
type = "company"
country = "US"
founding = true
joined = 2023-12-05
summary = "Co-founder of the alliance."
sources = ["https://example.org/ibm"]

[[member]]
id = "epfl"
name = "Ecole Polytechnique Federale de Lausanne"
short_name = "EPFL"
type = "university"
country = "CH"
founding = true
joined = 2023-12-05
summary = "Swiss university."
sources = ["https://example.org/epfl"]

[[member]]
id = "nasa"
name = "National Aeronautics and Space Administration"
type = "government"
country = "US"
founding = false
joined = "2024-05"
summary = "Space agency."
sources = ["https://example.org/nasa"]
"""

QUOTES_TOML = """\
[[quote]]
id = "ibm-open"
text = "Open innovation wins."
speaker = "Arvind Krishna"
role = "IBM Chairman and CEO"
member = "ibm"
date = 2023-12-05
lang = "en"
translations.fr = "L'innovation ouverte gagne."
sources = ["https://example.org/quote"]
"""

# Events in file order: the day-precise May event comes before the month-only one.
EVENTS_TOML = """\
[[event]]
id = "launch"
date = 2023-12-05
title = "Alliance launched"
summary = "IBM and EPFL launch the alliance."
members = ["ibm", "epfl"]
tags = ["launch"]
sources = ["https://example.org/launch"]

[[event]]
id = "may-day"
date = 2024-05-03
title = "NASA workshop"
summary = "A workshop on a known day."
members = ["nasa"]
sources = ["https://example.org/workshop"]

[[event]]
id = "may"
date = "2024-05"
title = "NASA joins"
summary = "Known only to the month."
members = ["nasa"]
sources = ["https://example.org/joins"]
"""

MINIMAL_FILES = {
    "alliance.toml": ALLIANCE_TOML,
    "members.toml": MEMBERS_TOML,
    "quotes.toml": QUOTES_TOML,
    "events.toml": EVENTS_TOML,
}


def write(directory: Path, name: str, text: str | bytes) -> Path:
    """Write text (UTF-8, kept byte for byte) or bytes to directory/name; return the path."""
    path = Path(directory) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def replace(directory: Path, name: str, old: str, new: str) -> Path:
    """Replace the single occurrence of old in directory/name (which must contain it once)."""
    path = Path(directory) / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    return write(directory, name, text.replace(old, new))


def problems(directory: Path) -> list[str]:
    """Load directory, expecting DataError; the problems as printed (str), in reported order."""
    with pytest.raises(DataError) as caught:
        load_dataset(directory)
    return [str(problem) for problem in caught.value.problems]


@pytest.fixture
def minimal_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid dataset in tmp_path, which is also the working directory (messages say `members.toml:12`)."""
    monkeypatch.chdir(tmp_path)
    for name, text in MINIMAL_FILES.items():
        write(tmp_path, name, text)
    return tmp_path


# -- the two lanes: `pytest` runs everything; `pytest -m "not slow"` is the fast lane ----

SLOW_SECONDS = 3.0  # a test that takes longer belongs in the slow lane


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Terminal tests (e2e) are slow too: the fast lane leaves out both."""
    for item in items:
        if item.get_closest_marker("e2e") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


_unmarked_slow: list[tuple[str, float]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Remember tests over SLOW_SECONDS that are not marked slow (setup + call + teardown)."""
    if report.when != "call" or "slow" in report.keywords:
        return
    if report.duration > SLOW_SECONDS:
        _unmarked_slow.append((report.nodeid, report.duration))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Name every unmarked test over SLOW_SECONDS, so the fast lane stays fast."""
    if _unmarked_slow:
        terminalreporter.section(f"tests over {SLOW_SECONDS:.0f} s without @pytest.mark.slow")
        for nodeid, seconds in sorted(_unmarked_slow, key=lambda item: -item[1]):
            terminalreporter.write_line(f"{seconds:6.1f} s  {nodeid}")
