"""Finding 12: a dataset must not forge lines or fields in plain and TSV output.

The validator rejects control characters but lets tab and newline into every text field
(and U+2028/U+2029, which Python's splitlines and some readers take as line breaks). Each
field of the hostile dataset below tries to start a result line of its own
("\\nmember:forged\\t...") or to add a TSV column. Decision pinned here: in names, titles,
snippets and list values each tab or line break prints as one space (`flat`); a long
text in `show` keeps its own lines, every one indented; paths and problem messages show
breaks as visible escapes (`\\n`).

The command runs in-process (what it prints is what a child would print); the hostile
dataset and its index cache are made once for the module, which only reads them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.builders import write_files
from tests.hostile.helpers import REFS, write_dataset

from .helpers import alliance_in_process, assert_no_traceback

FORGE = "\nmember:forged\tForged Corp\n    forged snippet\t\u2028member:forged2\tX\u2029"
# Every text a list or search shows, and the text fields `show` prints.
HOSTILE = {
    "member.acme.name": f"Acme{FORGE} Research",
    "member.acme.short_name": f"AC\tME{FORGE}",
    "member.acme.aliases.1": f"Alias one{FORGE}",
    "member.acme.region": f"Region{FORGE}",
    "member.acme.summary": f"Acme summary marmoset{FORGE}",
    "member.acme.note": f"Note{FORGE}",
    "member.geneva.name": f"Geneva\t\tUniversity{FORGE}",
    "quote.q-acme.text": f"Acme quote\ttext ocelot{FORGE}",
    "quote.q-acme.speaker": f"Ada{FORGE} Speaker",
    "quote.q-acme.role": f"Role{FORGE}",
    "event.launch.title": f"Alliance launched capybara{FORGE}",
    "event.launch.summary": f"Launch summary agouti{FORGE}",
    "event.launch.tags.1": f"tag{FORGE}",
    "topic.openness.title": f"Open question wallaby{FORGE}",
    "topic.openness.summary": f"Topic summary{FORGE}",
}
COLUMNS = {"members": 5, "quotes": 4, "events": 3, "topics": 2}
COUNTS = {"members": 3, "quotes": 2, "events": 2, "topics": 1}
LABELS = {
    "name",
    "short name",
    "aliases",
    "type",
    "country",
    "region",
    "membership",
    "joined",
    "website",
    "summary",
    "note",
    "quotes",
    "events",
    "open questions",
    "text",
    "speaker",
    "role",
    "member",
    "members",
    "date",
    "language",
    "translation (fr)",
    "title",
    "tags",
    "sources",
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the module's runs keep their cache and config (the index is built once)."""
    return tmp_path_factory.mktemp("escaping")


@pytest.fixture(scope="module")
def data(home: Path) -> Path:
    return write_dataset(home / "data", HOSTILE)


def out_lines(done) -> list[str]:  # type: ignore[no-untyped-def]
    assert_no_traceback(done.stderr, done.stdout)
    text = done.stdout.decode("utf-8")
    # Every reader's idea of a line: splitlines also breaks at U+2028, \x1c and the like.
    assert text.splitlines() == text.split("\n")[:-1], "a line break other than \\n in the output"
    return text.splitlines()


def test_the_dataset_is_valid(data: Path, home: Path) -> None:
    """Tabs, newlines and U+2028 all pass validation: they reach the output."""
    done = alliance_in_process("validate", "--data", str(data), tmp=home)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("what", sorted(COLUMNS))
def test_list_lines_and_fields(what: str, data: Path, home: Path) -> None:
    done = alliance_in_process("list", what, "--data", str(data), tmp=home)
    assert done.returncode == 0
    lines = out_lines(done)
    assert len(lines) == COUNTS[what], lines
    for line in lines:
        assert line.count("\t") == COLUMNS[what] - 1, line
    assert not any(line.startswith("member:forged") for line in lines)


def test_list_json_keeps_the_exact_text(data: Path, home: Path) -> None:
    done = alliance_in_process("list", "members", "--json", "--data", str(data), tmp=home)
    names = {m["id"]: m["name"] for m in json.loads(done.stdout)}
    assert names["acme"] == HOSTILE["member.acme.name"]


@pytest.mark.parametrize("query", ["acme", "forged", "speaker", "capybara", "wallaby", "ocelot", "kind:member"])
def test_search_lines(query: str, data: Path, home: Path) -> None:
    hits = json.loads(alliance_in_process("search", query, "--json", "--data", str(data), tmp=home).stdout)["hits"]
    assert hits, query
    done = alliance_in_process("search", query, "--data", str(data), tmp=home)
    lines = out_lines(done)
    result_lines = [line for line in lines if not line.startswith("    ")]
    refs = [line.split("\t", 1)[0] for line in result_lines[:-1]]  # the last line is the summary
    assert refs == [f"{h['kind']}:{h['id']}" for h in hits], lines
    for line in result_lines[:-1]:
        assert line.count("\t") == 1, line
    for line in lines:
        assert "\t" not in line.removeprefix(line.split("\t", 1)[0] + "\t"), line
    assert re.fullmatch(r"\d+ hits? .* in \d+ ms", result_lines[-1]), result_lines[-1]


@pytest.mark.parametrize("ref", REFS)
def test_show_lines(ref: str, data: Path, home: Path) -> None:
    done = alliance_in_process("show", ref, "--data", str(data), tmp=home)
    assert done.returncode == 0
    lines = out_lines(done)
    for line in lines:
        assert "\t" not in line, line
        if line.startswith("  "):
            continue
        label = line.split(":", 1)[0]
        assert label in LABELS, f"forged line {line!r} in\n" + "\n".join(lines)


def test_show_list_values_one_line_each(data: Path, home: Path) -> None:
    """One alias and one tag, however many line breaks they hold."""
    for ref, label, value in (("member:acme", "aliases", "Alias one"), ("event:launch", "tags", "tag")):
        lines = out_lines(alliance_in_process("show", ref, "--data", str(data), tmp=home))
        at = next(n for n, line in enumerate(lines) if line.startswith(f"{label}:"))
        assert lines[at].startswith(f"{label}: {value} member:forged Forged Corp"), lines[at]
        assert not lines[at + 1].startswith("  "), lines


def test_carriage_return_is_rejected(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data", {"member.acme.name": "Acme\rmember:forged\tX"})
    done = alliance_in_process("list", "members", "--data", str(data), tmp=tmp_path)
    assert done.returncode == 2 and done.stdout == b""
    assert "U+000D" in done.stderr.decode()


def test_validate_summary_escapes_the_folder_name(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "da\nok: 999 members\tta")
    done = alliance_in_process("validate", "--data", str(data), tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = out_lines(done)
    assert len(lines) == 1 and "\t" not in lines[0]
    assert "da\\nok: 999 members\\tta" in lines[0]


def test_problem_lines_escape_the_file_name(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data")
    write_files(data, {"bad\nforged.toml\t:1: x.toml": "[[member]\n"})
    done = alliance_in_process("validate", "--data", str(data), tmp=tmp_path)
    assert done.returncode == 2
    assert_no_traceback(done.stderr)
    err = done.stderr.decode().splitlines()
    assert len(err) == 2, err  # the problem, then the count
    assert "bad\\nforged.toml\\t" in err[0] and err[1] == "alliance: 1 problem in the data"
