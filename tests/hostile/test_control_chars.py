"""Terminal control sequences and bidi controls in the data are refused, clearly, before any UI.

data/README.md: text must not contain C0 controls (except tab and newline), DEL, C1 controls,
nor the bidirectional embedding/override/isolate characters U+202A-U+202E and U+2066-U+2069.
TOML only lets control characters into a string as escapes (`\\u001b`), so that is how a hostile
dataset carries them. `alliance validate` and the explorer must both exit 2, name every place
(file:line, record, field) and never echo the characters themselves to the terminal.

The command runs in-process: what it writes is what a child writes to its pipes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index import DataError, load_dataset

from .helpers import (
    BASE_TEXTS,
    ESCAPE_CODES,
    ESCAPES,
    assert_clean_rejection,
    cli_in_process,
    field_of,
    line_of,
    record_of,
    write_dataset,
    write_files,
)


def expected_places(root: str) -> list[str]:
    """Each field's place as messages start, e.g. `data/members/members.toml:12: member 'acme': summary: `.

    One per (record, field), on the line of its first placeholder (where the field's key first is).
    """
    places: dict[tuple[str, str, str], str] = {}
    for key in BASE_TEXTS:
        kind, record_id = record_of(key)
        if (kind, record_id, field_of(key)) not in places:
            file, line = line_of(key)
            places[kind, record_id, field_of(key)] = f"{root}/{file}:{line}: {kind} {record_id!r}: {field_of(key)}: "
    return list(places.values())


@pytest.mark.parametrize("name", list(ESCAPES))
def test_escape_sequence_in_every_text_field_is_refused_by_validate_and_explorer(tmp_path: Path, name: str) -> None:
    escape = ESCAPES[name]
    code = ESCAPE_CODES[name]
    write_dataset(tmp_path / "data", {key: f"{value} {escape} tail" for key, value in BASE_TEXTS.items()})
    places = expected_places("data")

    done = cli_in_process("validate", "--data", "data", tmp=tmp_path)
    err = assert_clean_rejection(done, f"alliance: {len(places)} problems in the data")
    assert done.stdout == b""
    lines = err.splitlines()
    for place in places:
        found = [line for line in lines if line.startswith(place)]
        assert len(found) == 1, f"no single line for {place!r} in:\n{err}"
        assert f"contains control character {code}" in found[0], found[0]
        assert "control and escape characters are not allowed in text" in found[0]
    assert len(lines) == len(places) + 1, err

    # The explorer loads the data before it needs a terminal: same problems, same exit code,
    # and no complaint about the terminal (stdin and stdout here are not one).
    explorer = cli_in_process("--data", "data", tmp=tmp_path)
    explorer_err = assert_clean_rejection(explorer, f"alliance: {len(places)} problems in the data")
    assert "needs a terminal" not in explorer_err
    assert explorer_err == err


def test_a_valid_dataset_without_a_terminal_is_refused_for_the_terminal(tmp_path: Path) -> None:
    """The control for the test above: with good data the explorer's complaint is the terminal."""
    write_dataset(tmp_path / "data")
    done = cli_in_process("--data", "data", tmp=tmp_path)
    assert_clean_rejection(done, "the explorer needs a terminal")


@pytest.mark.parametrize(
    ("char", "name"),
    [("\u202e", "right-to-left override"), ("\u2066", "left-to-right isolate")],
    ids=["U+202E", "U+2066"],
)
def test_bidi_override_and_isolate_are_refused(tmp_path: Path, char: str, name: str) -> None:
    values = {
        "member.acme.name": f"Acme {char}Corp",
        "quote.q-acme.text": f"Trust {char}nothing",
        "quote.q-acme.translations.fr": f"Rien {char}du tout",
    }
    write_dataset(tmp_path / "data", values)
    code = f"U+{ord(char):04X}"
    for args in (("validate", "--data", "data"), ("--data", "data")):
        done = cli_in_process(*args, tmp=tmp_path)
        err = assert_clean_rejection(done, "alliance: 3 problems in the data")
        for key in values:
            file, line = line_of(key)
            kind, record_id = record_of(key)
            place = f"data/{file}:{line}: {kind} {record_id!r}: {field_of(key)}: contains {code} ({name})"
            assert place in err, f"{place!r} not in:\n{err}"
        assert "bidirectional override and isolate characters are not allowed in text" in err
        assert "needs a terminal" not in err


@pytest.mark.parametrize("code", [*range(0x202A, 0x202F), *range(0x2066, 0x206A)], ids=lambda c: f"U+{c:04X}")
def test_every_bidi_embedding_override_and_isolate_is_refused(tmp_path: Path, code: int) -> None:
    data = write_dataset(tmp_path / "data", {"event.launch.summary": f"a {chr(code)} b"})
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    (problem,) = caught.value.problems
    assert problem.line == line_of("event.launch.summary")[1]
    assert f"event 'launch': summary: contains U+{code:04X}" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "\u200e mark \u200f",
        "zero\u200bwidth",
        "join\u200djoined",
        "cafe\u0301",
        "数据联盟",
        "👩\u200d💻",
        "🇨🇭",
        "tab\there",
    ],
    ids=["lrm-rlm", "zwsp", "zwj", "combining", "cjk", "emoji-zwj", "flag", "tab"],
)
def test_allowed_invisible_and_wide_characters_load(tmp_path: Path, text: str) -> None:
    data = write_dataset(tmp_path / "data", {"member.acme.summary": text, "member.acme.name": f"Acme {text}"})
    dataset = load_dataset(data)
    assert dataset.member("acme").summary == text


@pytest.mark.parametrize(
    "file_name",
    ["bad\x1b]52;c;aGVsbG8=\x07.toml", "bad\x1b[2J.toml", "bad\u202eevil.toml"],
    ids=["osc52-in-file-name", "csi-clear-in-file-name", "rlo-in-file-name"],
)
def test_a_hostile_file_name_is_not_echoed_raw_to_the_terminal(tmp_path: Path, file_name: str) -> None:
    """The problem list names the file; a file name carrying escapes must not reach the terminal raw.

    (A dataset is often an unpacked archive: its file names are as much data as its text.)
    """
    data = write_dataset(tmp_path / "data")
    write_files(data, {file_name: "broken = [\n"})
    done = cli_in_process("validate", "--data", "data", tmp=tmp_path)
    assert_clean_rejection(done, "TOML syntax error", "alliance: 1 problem in the data")
