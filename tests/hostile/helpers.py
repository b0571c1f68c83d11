"""Hostile datasets, written into temporary directories, all derived from one small valid base.

The base (`BASE_TEXTS` + the templates below) follows data/README.md: one `[alliance]` with
founders and one open question (topic), three members, two quotes, two events. Every text
field of every kind is a placeholder `@@key@@`, so a hostile variant is "the base, with these
values in these fields": `write_dataset(directory, values)`.

Values are written as TOML basic strings by `toml_string` (tests/builders.py), which writes C0, DEL and C1
characters as `\\uXXXX` escapes (the only way TOML lets them into a string) and every other
character as itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from tests.builders import toml_string, write_files
from tests.cli_runner import run_in_process

REPO = Path(__file__).resolve().parents[2]

# Rich/Textual markup that must never be interpreted: bold, a closing tag, an action, a link.
MARKUP = "[bold]b [/x] [@click=app.quit]x[/] [link=file:///etc/passwd]y[/link]"
MARKUP_TOKENS = ("[bold]b", "[/x]", "[@click=app.quit]x[/]", "[link=file:///etc/passwd]y[/link]")

# Terminal control sequences, written into the TOML file as escapes (see toml_string).
ESCAPES = {
    "clear-screen": "\x1b[2J",
    "osc52-clipboard": "\x1b]52;c;aGVsbG8=\x07",
    "c1-csi": "\x9b31m",
    "bell": "\x07",
    "delete": "\x7f",
}
# What validate must name for each: the first forbidden character of the value.
ESCAPE_CODES = {
    "clear-screen": "U+001B",
    "osc52-clipboard": "U+001B",
    "c1-csi": "U+009B",
    "bell": "U+0007",
    "delete": "U+007F",
}

# Printable but unusual text that is valid data.
UNICODE = {
    "zwsp": "zero\u200bwidth",
    "zwj": "join\u200djoined",
    "combining": "cafe\u0301 re\u0301sume\u0301",
    "cjk": "数据联盟",
    "emoji-zwj": "👩\u200d💻",
    "flag": "🇨🇭",
}

# Every placeholder and its default (valid) text. Each default holds a unique word, so a
# search can find the record and a screen check can tell the fields apart.
BASE_TEXTS: dict[str, str] = {
    "alliance.name": "Hostile Alliance",
    "alliance.mission": "Mission statement quokka",
    "alliance.focus_areas.1": "Focus area wombat",
    "alliance.focus_areas.2": "Focus area numbat",
    "alliance.objectives.1": "Objective platypus",
    "alliance.governance": "Governance echidna",
    "alliance.figures.label": "Members label dingo",
    "alliance.figures.value": "3 members bilby",
    "alliance.figures.budget": "Budget value potoroo",
    "alliance.note": "Alliance note bandicoot",
    "topic.openness.title": "Open question wallaby",
    "topic.openness.summary": "Topic summary kookaburra",
    "topic.openness.note": "Topic note cassowary",
    "member.acme.name": "Acme Research Corporation",
    "member.acme.short_name": "ACME",
    "member.acme.aliases.1": "Acme alias zanzibar",
    "member.acme.region": "Region california",
    "member.acme.summary": "Acme summary marmoset",
    "member.acme.note": "Acme note gibbon",
    "member.geneva.name": "University of Geneva",
    "member.geneva.summary": "Geneva summary lemur",
    "member.nasa.name": "National Aeronautics and Space Administration",
    "member.nasa.summary": "Space agency summary tapir",
    "quote.q-acme.text": "Acme quote text ocelot",
    "quote.q-acme.speaker": "Ada Speaker",
    "quote.q-acme.role": "Acme role margay",
    "quote.q-acme.translations.fr": "Texte de citation serval",
    "quote.q-acme.note": "Quote note caracal",
    "quote.q-nasa.text": "Nasa quote text jaguarundi",
    "quote.q-nasa.speaker": "Bill Speaker",
    "quote.q-nasa.role": "Nasa role kinkajou",
    "event.launch.title": "Alliance launched capybara",
    "event.launch.summary": "Launch summary agouti",
    "event.launch.tags.1": "launch",
    "event.launch.note": "Launch note paca",
    "event.nasa-joins.title": "Nasa joins coati",
    "event.nasa-joins.summary": "Joining summary tayra",
}


def record_of(key: str) -> tuple[str, str]:
    """("member", "acme") for "member.acme.summary"; ("alliance", "hostile-alliance") for alliance fields."""
    parts = key.split(".")
    if parts[0] == "alliance":
        return "alliance", "hostile-alliance"
    return parts[0], parts[1]


def field_of(key: str) -> str:
    """The TOML field name a placeholder fills: "summary", "aliases", "translations", "figures"."""
    parts = key.split(".")
    return parts[1] if parts[0] == "alliance" else parts[2]


TEMPLATES: dict[str, str] = {
    "alliance.toml": """\
# The alliance, with its one open question.
[alliance]
id = "hostile-alliance"
name = @@alliance.name@@
founded = 2023-12-05
founders = ["acme", "geneva"]
mission = @@alliance.mission@@
website = "https://example.org"
as_of = 2024-06-01
focus_areas = [@@alliance.focus_areas.1@@, @@alliance.focus_areas.2@@]
objectives = [@@alliance.objectives.1@@]
governance = @@alliance.governance@@
figures.@@alliance.figures.label@@ = @@alliance.figures.value@@
figures.Budget = { value = @@alliance.figures.budget@@, sources = ["https://example.org/budget"] }
sources = ["https://example.org/about"]
note = @@alliance.note@@

[[alliance.topic]]
id = "openness"
title = @@topic.openness.title@@
summary = @@topic.openness.summary@@
members = ["acme", "nasa"]
sources = ["https://example.org/openness"]
note = @@topic.openness.note@@
""",
    "members/members.toml": """\
[[member]]
id = "acme"
name = @@member.acme.name@@
short_name = @@member.acme.short_name@@
aliases = [@@member.acme.aliases.1@@]
type = "company"
country = "US"
region = @@member.acme.region@@
founding = true
joined = 2023-12-05
website = "https://acme.example.org"
summary = @@member.acme.summary@@
sources = ["https://example.org/acme"]
note = @@member.acme.note@@

[[member]]
id = "geneva"
name = @@member.geneva.name@@
type = "university"
country = "CH"
founding = true
joined = 2023-12-05
summary = @@member.geneva.summary@@
sources = ["https://example.org/geneva"]

[[member]]
id = "nasa"
name = @@member.nasa.name@@
type = "government"
country = "US"
founding = false
joined = "2024-05"
summary = @@member.nasa.summary@@
sources = ["https://example.org/nasa"]
""",
    "quotes/quotes.toml": """\
[[quote]]
id = "q-acme"
text = @@quote.q-acme.text@@
speaker = @@quote.q-acme.speaker@@
role = @@quote.q-acme.role@@
member = "acme"
date = 2023-12-05
lang = "en"
translations.fr = @@quote.q-acme.translations.fr@@
sources = ["https://example.org/q-acme"]
note = @@quote.q-acme.note@@

[[quote]]
id = "q-nasa"
text = @@quote.q-nasa.text@@
speaker = @@quote.q-nasa.speaker@@
role = @@quote.q-nasa.role@@
member = "nasa"
date = "2024-05"
lang = "en"
sources = ["https://example.org/q-nasa"]
""",
    "timeline.toml": """\
[[event]]
id = "launch"
date = 2023-12-05
title = @@event.launch.title@@
summary = @@event.launch.summary@@
members = ["acme", "geneva"]
tags = [@@event.launch.tags.1@@]
sources = ["https://example.org/launch"]
note = @@event.launch.note@@

[[event]]
id = "nasa-joins"
date = "2024-05"
title = @@event.nasa-joins.title@@
summary = @@event.nasa-joins.summary@@
members = ["nasa"]
sources = ["https://example.org/nasa-joins"]
""",
}

REFS = (
    "member:acme",
    "member:geneva",
    "member:nasa",
    "quote:q-acme",
    "quote:q-nasa",
    "event:launch",
    "event:nasa-joins",
    "topic:openness",
)

_PLACEHOLDER = re.compile(r"@@([a-z0-9_.-]+)@@")


def texts(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """BASE_TEXTS with some values replaced (keys must exist)."""
    values = dict(BASE_TEXTS)
    for key, value in (overrides or {}).items():
        assert key in values, f"no placeholder {key!r}"
        values[key] = value
    return values


def render_files(values: Mapping[str, str] | None = None) -> dict[str, str]:
    """The dataset's files (name -> TOML text) for these field values."""
    full = texts(values)
    return {name: _PLACEHOLDER.sub(lambda m: toml_string(full[m.group(1)]), tpl) for name, tpl in TEMPLATES.items()}


def write_dataset(directory: Path, values: Mapping[str, str] | None = None) -> Path:
    """Write the base dataset, with `values` in their fields, into directory (created)."""
    return write_files(directory, render_files(values))


def line_of(key: str) -> tuple[str, int]:
    """(file, line) of a placeholder in the templates: where a message about it must point."""
    for name, template in TEMPLATES.items():
        for number, line in enumerate(template.splitlines(), start=1):
            if f"@@{key}@@" in line:
                return name, number
    raise KeyError(key)


def markup_values() -> dict[str, str]:
    """Every text field: its default text, then the markup."""
    return {key: f"{value} {MARKUP}" for key, value in BASE_TEXTS.items()}


def record_texts(values: Mapping[str, str], ref: str) -> list[str]:
    """The values of one record's fields ("member:acme" -> its name, summary, ...)."""
    kind, record_id = ref.split(":", 1)
    return [value for key, value in values.items() if record_of(key) == (kind, record_id)]


# -- big datasets ------------------------------------------------------------------

COUNTRIES = ("US", "CH", "GB", "FR", "JP", "DE", "IN", "CA")
TYPES = ("company", "university", "research", "nonprofit", "government")


def many_members_text(count: int) -> str:
    """`count` valid members as TOML text, written directly (fast), ids m00000..."""
    chunks = []
    for n in range(count):
        chunks.append(
            f'[[member]]\nid = "m{n:05d}"\nname = "Member {n:05d} Consortium"\n'
            f'type = "{TYPES[n % len(TYPES)]}"\ncountry = "{COUNTRIES[n % len(COUNTRIES)]}"\n'
            f"founding = {'true' if n % 7 == 0 else 'false'}\njoined = 2024-{1 + n % 12:02d}-{1 + n % 28:02d}\n"
            f'summary = "Summary of member {n}."\nsources = ["https://example.org/m/{n}"]\n\n'
        )
    return "".join(chunks)


# -- running the CLI -------------------------------------------------------------------


def child_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment for a CLI child: caches and config in tmp, no outside data or colour."""
    env = {k: v for k, v in os.environ.items() if k not in ("ALLIANCE_DATA", "NO_COLOR", "FORCE_COLOR", "TEXTUAL")}
    env.update(
        ALLIANCE_CACHE=str(tmp / "cache"),
        ALLIANCE_CONFIG=str(tmp / "config"),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        PYTHONIOENCODING="utf-8",
    )
    env.update(extra)
    return env


def run_cli(
    *args: str, tmp: Path, timeout: float = 60.0, cwd: Path | None = None, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    """`python -m tui ARGS` with stdin/stdout/stderr not a terminal; output as bytes."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=child_env(tmp),
        cwd=str(cwd or tmp),
        timeout=timeout,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


def cli_in_process(*args: str, tmp: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """run_cli's command run in this process (tests/cli_runner.py): the same working directory,
    environment and bytes output; for tests of what it prints, not of a process."""
    return run_in_process(*args, cwd=cwd or tmp, env=child_env(tmp))


def assert_clean_rejection(done: subprocess.CompletedProcess[bytes], *needles: str) -> str:
    """Exit 2, no traceback, no raw control character in the output; stderr holds every needle."""
    err = done.stderr.decode("utf-8", "replace")
    out = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 2, f"exit {done.returncode}\nstdout:\n{out}\nstderr:\n{err}"
    assert "Traceback" not in err + out, err
    assert "unexpected error" not in err, err
    for needle in needles:
        assert needle in err, f"{needle!r} not in stderr:\n{err}"
    bad = re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", err + out)
    assert bad is None, f"raw control character {bad.group()!r} written to the terminal:\n{err!r}"
    return err


# -- the explorer, in-process (Textual's run_test) ---------------------------------------

APP_TIMEOUT = 60.0  # seconds for one whole app session


def run_async(coro: object, timeout: float = APP_TIMEOUT) -> object:
    """Run a coroutine (an app session) to the end, failing instead of hanging."""
    import asyncio

    return asyncio.run(asyncio.wait_for(coro, timeout))  # type: ignore[arg-type]


def squeeze(text: str) -> str:
    """No whitespace: a wrapped phrase is still found in wrapped text after squeezing both."""
    return re.sub(r"\s+", "", text)


def strip_text(widget: object, y: int) -> str:
    """What the widget draws on its line y (a LineList's render_line)."""
    return "".join(segment.text for segment in widget.render_line(y))  # type: ignore[attr-defined]


def visible_lines(widget: object) -> list[str]:
    return [strip_text(widget, y) for y in range(widget.size.height)]  # type: ignore[attr-defined]


async def all_rendered_lines(pilot: object, widget: object) -> list[str]:
    """Every line of a LineList as drawn, scrolling page by page; the scroll position is restored."""
    w: object = widget
    for _ in range(100):  # a pane just switched to is laid out on a later refresh
        if w.scrollable_content_region.height:  # type: ignore[attr-defined]
            break
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    total = w.virtual_size.height  # type: ignore[attr-defined]
    height = max(1, w.scrollable_content_region.height)  # type: ignore[attr-defined]
    start = w.scroll_offset.y  # type: ignore[attr-defined]
    lines: dict[int, str] = {}
    for top in range(0, max(1, total), height):
        w.scroll_to(y=top, animate=False, immediate=True)  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        offset = int(w.scroll_offset.y)  # type: ignore[attr-defined]
        for y in range(height):
            if offset + y < total:
                lines[offset + y] = strip_text(w, y)
    w.scroll_to(y=start, animate=False, immediate=True)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert len(lines) == total, f"read {len(lines)} of {total} lines (height {height}, {sorted(lines)})"
    return [lines[n] for n in range(total)]


# -- what a program wrote to its terminal -------------------------------------------------

_CSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
_STRING_SEQ = re.compile(r"\x1b[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)")  # OSC, DCS, APC, PM, SOS
_CHARSET = re.compile(r"\x1b[()*+].")
_SHORT = re.compile(r"\x1b[=>78MDEc]")
_CONTROL_CHAR = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")


def scan_terminal_output(raw: bytes) -> tuple[list[str], list[str]]:
    """Split terminal output into escape sequences; also list anything that is not well formed.

    Returns (sequences, problems): a problem is an ESC that starts no known sequence, an
    unterminated string sequence, or a control character (other than CR, LF, tab, backspace)
    outside any sequence.
    """
    text = raw.decode("utf-8", "replace")
    sequences: list[str] = []
    problems: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\x1b":
            for pattern in (_CSI, _STRING_SEQ, _CHARSET, _SHORT):
                match = pattern.match(text, i)
                if match:
                    sequences.append(match.group())
                    i = match.end()
                    break
            else:
                problems.append(f"unknown or cut escape sequence at {i}: {text[i : i + 24]!r}")
                i += 1
            continue
        if _CONTROL_CHAR.match(char):
            problems.append(f"control character {char!r} at {i}: {text[max(0, i - 20) : i + 20]!r}")
        i += 1
    return sequences, problems
