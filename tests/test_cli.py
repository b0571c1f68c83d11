"""The `alliance` command: exit codes, output streams, JSON, data directory choice.

Run in-process (tests/cli_runner.py) where a child would prove nothing more; as a real
process for the installed console script and a reader that closes the pipe."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import problems, replace, write
from tests.cli_runner import run_in_process
from tui.cli import build_parser

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).with_name("alliance")
MODULE = [sys.executable, "-m", "tui"]

# Field names of data/README.md, per kind (JSON must use them, plus `kind`, and `links` on show member).
FIELDS = {
    "member": {
        "id",
        "name",
        "short_name",
        "aliases",
        "type",
        "country",
        "region",
        "founding",
        "joined",
        "website",
        "summary",
        "sources",
        "note",
    },
    "quote": {"id", "text", "speaker", "role", "member", "date", "lang", "translations", "sources", "note"},
    "event": {"id", "date", "title", "summary", "members", "tags", "sources", "note"},
    "topic": {"id", "title", "summary", "members", "sources", "note"},
}


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ALLIANCE_DATA", "FORCE_COLOR", "NO_COLOR")}
    env.update(extra)
    return env


def alliance(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, script: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run `alliance ARGS` in-process, or the installed console script; never a traceback."""
    env = env if env is not None else clean_env()
    if script:
        result = subprocess.run(
            [str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60
        )
    else:
        done = run_in_process(*args, cwd=cwd, env=env)
        result = subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result


@pytest.fixture(params=["in-process", "script"])
def script(request) -> bool:
    """Both ways to run the command: its entry point in-process, and the installed `alliance` script."""
    if request.param == "script":
        assert SCRIPT.is_file(), f"no console script at {SCRIPT}"
    return request.param == "script"


def pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def subcommands(parser: argparse.ArgumentParser | None = None, prefix: str = "") -> list[str]:
    """Every subcommand, nested ones included ('index build'), from the CLI's own parser."""
    parser = parser or build_parser()
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                found.append(prefix + name)
                found += subcommands(subparser, f"{prefix}{name} ")
    return sorted(found)


# --- version and help --------------------------------------------------------------------------------


def test_version_matches_pyproject(script, tmp_path):
    result = alliance("--version", script=script, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"alliance {pyproject_version()}\n", "")


def test_help_lists_every_subcommand(script, tmp_path):
    result = alliance("--help", script=script, cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("usage: alliance ")
    for name in subcommands():
        if " " not in name:
            assert f"\n    {name} " in result.stdout, f"{name} missing from --help"
    assert "Exit codes: 0 success, 1 nothing found, 2 bad usage or bad data" in result.stdout


def test_known_subcommands_exist():
    assert {"validate", "list", "show"} <= set(subcommands())


@pytest.mark.parametrize("command", subcommands())
def test_every_subcommand_has_help(command, tmp_path):
    result = alliance(*command.split(), "--help", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith(f"usage: alliance {command} ")
    assert "-h, --help" in result.stdout


@pytest.mark.parametrize("command", ["validate", "list", "show"])
def test_data_commands_take_data_option(command, tmp_path):
    assert "--data DIR" in alliance(command, "--help", cwd=tmp_path).stdout


# --- validate --------------------------------------------------------------------------------------------


def test_validate_bundled_dataset(script, tmp_path):
    result = alliance("validate", script=script, cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("ok: 141 members (57 founding), ")
    assert result.stdout.count("\n") == 1  # one line


def test_validate_prints_one_line_summary(minimal_dataset):
    result = alliance("validate", "--data", str(minimal_dataset), cwd=minimal_dataset)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "ok: 3 members (2 founding), 1 quote, 3 events, 1 topic in 4 files (.)\n"  # singular for 1


def test_validate_reports_every_problem_on_stderr_and_exits_2(script, minimal_dataset):
    replace(minimal_dataset, "alliance.toml", 'website = "https://example.org"', 'website = "example.org"')
    replace(minimal_dataset, "events.toml", "date = 2024-05-03", 'date = "2024-13"')
    replace(minimal_dataset, "quotes.toml", 'lang = "en"', 'lang = "xx"')
    write(minimal_dataset, "data.toml", b"# caf\xe9\n")
    expected = problems(minimal_dataset)
    assert len(expected) == 4
    result = alliance("validate", "--data", ".", script=script, cwd=minimal_dataset)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [*expected, "alliance: 4 problems in the data"]
    assert (
        result.stderr.splitlines()[0]
        == "alliance.toml:8: alliance 'test-alliance': website: 'example.org' is not an http(s) URL"
    )


def test_one_problem_via_alliance_data(minimal_dataset):
    write(minimal_dataset, "x.toml", "[[membr]]\n")
    result = alliance("validate", cwd=minimal_dataset, env=clean_env(ALLIANCE_DATA=str(minimal_dataset)))
    assert (result.returncode, result.stdout) == (2, "")
    assert (
        result.stderr == "x.toml:1: unknown table 'membr' (did you mean 'member'?)\nalliance: 1 problem in the data\n"
    )


@pytest.mark.parametrize("command", [["validate"], ["list", "members"], ["show", "member:ibm"]])
def test_missing_data_directory_is_bad_data_for_every_command(command, tmp_path):
    result = alliance(*command, "--data", "nowhere", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "nowhere: data directory does not exist\nalliance: 1 problem in the data\n"


def test_empty_data_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    result = alliance("validate", "--data", "empty", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("empty: no *.toml files in the data directory\n")


# --- which data directory ---------------------------------------------------------------------------------


@pytest.fixture
def other_dataset(minimal_dataset, tmp_path_factory) -> Path:
    """A second valid dataset: the minimal one plus a fourth member."""
    other = tmp_path_factory.mktemp("other")
    for path in minimal_dataset.glob("*.toml"):
        write(other, path.name, path.read_bytes())
    write(
        other,
        "more.toml",
        '[[member]]\nid = "cern"\nname = "CERN"\ntype = "research"\ncountry = "CH"\nfounding = false\n'
        'joined = 2024-02-08\nsummary = "Physics."\nsources = ["https://example.org/cern"]\n',
    )
    return other


def count_members(result: subprocess.CompletedProcess[str]) -> int:
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split(" members ")[0].removeprefix("ok: "))


def test_data_directory_precedence(minimal_dataset, other_dataset, tmp_path_factory):
    cwd = tmp_path_factory.mktemp("cwd")
    assert count_members(alliance("validate", cwd=cwd)) == 141  # bundled
    assert count_members(alliance("validate", cwd=cwd, env=clean_env(ALLIANCE_DATA=""))) == 141
    with_env = clean_env(ALLIANCE_DATA=str(minimal_dataset))
    assert count_members(alliance("validate", cwd=cwd, env=with_env)) == 3  # $ALLIANCE_DATA beats bundled
    assert count_members(alliance("validate", "--data", str(other_dataset), cwd=cwd, env=with_env)) == 4
    assert count_members(alliance("--data", str(other_dataset), "validate", cwd=cwd, env=with_env)) == 4
    broken_env = clean_env(ALLIANCE_DATA=str(cwd / "nowhere"))
    assert count_members(alliance("validate", "--data", str(other_dataset), cwd=cwd, env=broken_env)) == 4
    result = alliance("validate", cwd=cwd, env=broken_env)
    assert result.returncode == 2 and "nowhere: data directory does not exist" in result.stderr


def test_data_option_on_list_and_show(other_dataset, minimal_dataset):
    env = clean_env(ALLIANCE_DATA=str(minimal_dataset))
    result = alliance("list", "members", "--data", str(other_dataset), env=env, cwd=other_dataset)
    # By name: CERN, Ecole…, International…, National…
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["cern", "epfl", "ibm", "nasa"]
    assert alliance("show", "cern", "--data", str(other_dataset), env=env, cwd=other_dataset).returncode == 0
    result = alliance("show", "cern", env=env, cwd=other_dataset)
    assert (result.returncode, result.stderr) == (1, "alliance: no record 'cern'\n")


# --- list ---------------------------------------------------------------------------------------------------


def test_piped_list_is_plain_tab_separated(minimal_dataset):
    # Even when colour is forced, output to a pipe is plain text.
    env = clean_env(ALLIANCE_DATA=str(minimal_dataset), FORCE_COLOR="1", TERM="xterm-256color", COLUMNS="200")
    result = alliance("list", "members", env=env, cwd=minimal_dataset)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (  # sorted by name, as the Members pane is
        "epfl\tEcole Polytechnique Federale de Lausanne\tuniversity\tCH\tfounding\n"
        "ibm\tInternational Business Machines\tcompany\tUS\tfounding\n"
        "nasa\tNational Aeronautics and Space Administration\tgovernment\tUS\tlater\n"
    )
    for what in ("quotes", "events", "topics"):
        result = alliance("list", what, env=env, cwd=minimal_dataset)
        assert result.returncode == 0 and result.stdout
        assert "\x1b" not in result.stdout
        assert all("\t" in line for line in result.stdout.splitlines())


@pytest.mark.parametrize(
    ("what", "lines"),
    [
        ("quotes", ["ibm-open\t2023-12-05\tArvind Krishna\tOpen innovation wins."]),
        (
            "events",
            ["launch\t2023-12-05\tAlliance launched", "may\t2024-05\tNASA joins", "may-day\t2024-05-03\tNASA workshop"],
        ),
        ("topics", ["openness\tHow open is open?"]),
    ],
)
def test_list_other_kinds(minimal_dataset, what, lines):
    result = alliance("list", what, "--data", ".", cwd=minimal_dataset)
    assert result.returncode == 0
    assert sorted(result.stdout.splitlines()) == lines


@pytest.mark.parametrize(
    ("options", "ids"),
    [
        (["--type", "university"], ["epfl"]),
        (["--country", "US"], ["ibm", "nasa"]),
        (["--country", "ch"], ["epfl"]),
        (["--founding"], ["epfl", "ibm"]),
        (["--country", "US", "--founding"], ["ibm"]),
        (["--type", "government", "--founding"], []),
        (["--country", "NZ"], []),
    ],
)
def test_list_member_filters(minimal_dataset, options, ids):
    result = alliance("list", "members", *options, "--data", ".", cwd=minimal_dataset)
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ids
    assert result.returncode == (0 if ids else 1)  # 1: nothing found
    json_result = alliance("list", "members", *options, "--json", "--data", ".", cwd=minimal_dataset)
    assert [r["id"] for r in json.loads(json_result.stdout)] == ids
    assert json_result.returncode == result.returncode


def test_list_with_unknown_type_is_bad_usage(minimal_dataset):
    result = alliance("list", "members", "--type", "school", "--data", ".", cwd=minimal_dataset)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "alliance: unknown member type 'school'; use one of company, university, research, nonprofit, government\n"
    )


@pytest.mark.parametrize(
    "args",
    [["list"], ["list", "planets"], ["frobnicate"], ["show"], ["list", "members", "--colour"], ["--no-such-option"]],
)
def test_bad_usage_exits_2_with_usage(args, tmp_path):
    result = alliance(*args, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("usage: alliance")
    assert "error:" in result.stderr


# --- JSON ---------------------------------------------------------------------------------------------------


def test_list_json_uses_toml_field_names_and_iso_dates(minimal_dataset):
    for what, kind in [("members", "member"), ("quotes", "quote"), ("events", "event"), ("topics", "topic")]:
        result = alliance("list", what, "--json", "--data", ".", cwd=minimal_dataset)
        assert result.returncode == 0
        records = json.loads(result.stdout)
        assert isinstance(records, list) and records
        for record in records:
            assert record["kind"] == kind
            assert set(record) - {"kind"} <= FIELDS[kind], set(record) - FIELDS[kind]
    members = {
        r["id"]: r for r in json.loads(alliance("list", "members", "--json", "--data", ".", cwd=minimal_dataset).stdout)
    }
    assert members["ibm"] == {
        "kind": "member",
        "id": "ibm",
        "name": "International Business Machines",
        "short_name": "IBM",
        "type": "company",
        "country": "US",
        "founding": True,
        "joined": "2023-12-05",
        "summary": "Co-founder of the alliance.",
        "sources": ["https://example.org/ibm"],
    }
    assert members["nasa"]["joined"] == "2024-05"
    assert "short_name" not in members["nasa"]  # optional fields left empty are omitted
    events = json.loads(alliance("list", "events", "--json", "--data", ".", cwd=minimal_dataset).stdout)
    assert {e["id"]: e["date"] for e in events} == {"launch": "2023-12-05", "may-day": "2024-05-03", "may": "2024-05"}


def test_empty_json_list_still_parses(minimal_dataset):
    result = alliance("list", "members", "--country", "NZ", "--json", "--data", ".", cwd=minimal_dataset)
    assert result.returncode == 1
    assert json.loads(result.stdout) == []


def test_show_json_member_has_links(minimal_dataset):
    result = alliance("show", "member:nasa", "--json", "--data", ".", cwd=minimal_dataset)
    assert (result.returncode, result.stderr) == (0, "")
    record = json.loads(result.stdout)
    no_later = {"projects": [], "groups": [], "people": []}
    assert record["links"] == {"quotes": [], "events": ["may-day", "may"], "topics": ["openness"], **no_later}
    assert (record["kind"], record["id"], record["joined"], record["founding"]) == ("member", "nasa", "2024-05", False)
    assert set(record) - {"kind", "links"} <= FIELDS["member"]
    ibm = json.loads(alliance("show", "ibm", "--json", "--data", ".", cwd=minimal_dataset).stdout)
    assert ibm["links"] == {"quotes": ["ibm-open"], "events": ["launch"], "topics": ["openness"], **no_later}


def test_show_json_quote_event_topic(minimal_dataset):
    quote = json.loads(alliance("show", "quote:ibm-open", "--json", "--data", ".", cwd=minimal_dataset).stdout)
    assert quote == {
        "kind": "quote",
        "id": "ibm-open",
        "text": "Open innovation wins.",
        "speaker": "Arvind Krishna",
        "role": "IBM Chairman and CEO",
        "member": "ibm",
        "date": "2023-12-05",
        "lang": "en",
        "translations": {"fr": "L'innovation ouverte gagne."},
        "sources": ["https://example.org/quote"],
    }
    event = json.loads(alliance("show", "event:may", "--json", "--data", ".", cwd=minimal_dataset).stdout)
    assert (event["kind"], event["date"], event["members"]) == ("event", "2024-05", ["nasa"])
    topic = json.loads(alliance("show", "topic:openness", "--json", "--data", ".", cwd=minimal_dataset).stdout)
    assert (topic["kind"], topic["members"]) == ("topic", ["ibm", "nasa"])


def test_show_json_of_bundled_member(tmp_path):
    result = alliance("show", "member:nasa", "--json", cwd=tmp_path)
    assert result.returncode == 0
    record = json.loads(result.stdout)
    assert (record["kind"], record["id"], record["country"]) == ("member", "nasa", "US")
    assert len(record["joined"]) in (4, 7, 10) and record["joined"][:4].isdigit()


# --- show ---------------------------------------------------------------------------------------------------


def test_show_member_plain(minimal_dataset):
    result = alliance("show", "member:nasa", "--data", ".", cwd=minimal_dataset)
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert "name: National Aeronautics and Space Administration" in lines
    assert "country: United States (US)" in lines
    assert "joined: 2024-05" in lines
    assert "membership: joined later" in lines
    assert "\x1b" not in result.stdout
    assert result.stdout.index("events:") < result.stdout.index("sources:")
    assert "  2024-05-03  NASA workshop" in lines and "  2024-05  NASA joins" in lines


@pytest.mark.parametrize(
    ("ref", "first_line"),
    [
        ("ibm-open", "text: Open innovation wins."),
        ("quote:ibm-open", "text: Open innovation wins."),
        ("launch", "date: 2023-12-05"),
        ("openness", "title: How open is open?"),
        ("epfl", "name: Ecole Polytechnique Federale de Lausanne"),
    ],
)
def test_show_kinds_and_bare_ids(minimal_dataset, ref, first_line):
    result = alliance("show", ref, "--data", ".", cwd=minimal_dataset)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == first_line


@pytest.mark.parametrize("ref", ["nobody", "quote:ibm", "member:", "member:ibm-open", "planet:ibm"])
def test_show_not_found_exits_1(minimal_dataset, ref):
    result = alliance("show", ref, "--data", ".", cwd=minimal_dataset)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"alliance: no record {ref!r}\n"


def test_show_ambiguous_bare_id_exits_2(minimal_dataset):
    write(
        minimal_dataset,
        "more.toml",
        '[[event]]\nid = "ibm"\ndate = "2024"\ntitle = "T"\nsummary = "S"\nsources = ["https://example.org/e"]\n',
    )
    result = alliance("show", "ibm", "--data", ".", cwd=minimal_dataset)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("alliance: 'ibm' is ambiguous: use one of ")
    assert "member:ibm" in result.stderr and "event:ibm" in result.stderr
    assert alliance("show", "event:ibm", "--data", ".", cwd=minimal_dataset).returncode == 0


def test_show_bundled_member(script, tmp_path):
    result = alliance("show", "member:nasa", script=script, cwd=tmp_path)
    assert result.returncode == 0
    assert "name: National Aeronautics and Space Administration" in result.stdout.splitlines()


# --- robustness -----------------------------------------------------------------------------------------------


def test_closed_pipe_is_quiet(tmp_path):
    """`alliance list quotes --json | head -c 100`: no traceback, no noise when the reader leaves."""
    process = subprocess.Popen(
        [*MODULE, "list", "quotes", "--json"],
        cwd=tmp_path,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100).startswith(b"[")
    process.stdout.close()  # output is larger than a pipe buffer: the writer hits a closed pipe
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert stderr == ""


def test_data_text_with_rich_markup_prints_literally(minimal_dataset):
    replace(minimal_dataset, "members.toml", 'summary = "Swiss university."', 'summary = "[bold]Swiss[/] university."')
    result = alliance("show", "epfl", "--data", ".", cwd=minimal_dataset)
    assert "summary: [bold]Swiss[/] university." in result.stdout.splitlines()


def test_bad_data_on_list_and_show_exits_2(minimal_dataset):
    replace(minimal_dataset, "events.toml", "date = 2024-05-03", 'date = "2024-13"')
    for command in (["list", "members"], ["show", "member:ibm"], ["list", "events", "--json"]):
        result = alliance(*command, "--data", ".", cwd=minimal_dataset)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == (
            "events.toml:12: event 'may-day': date: '2024-13' is not a valid month\nalliance: 1 problem in the data\n"
        )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["list", "quotes", "--country", "CH"], "alliance: --country does not apply to quotes (only to members)\n"),
        (["list", "events", "--founding"], "alliance: --founding does not apply to events (only to members)\n"),
        (
            ["list", "projects", "--type", "company"],
            "alliance: --type does not apply to projects (only to members and groups)\n",
        ),
        (["list", "members", "--country", "XX"], "alliance: --country: 'XX' is not an ISO 3166-1 alpha-2 code\n"),
        (
            ["list", "members", "--country", "CHE"],
            "alliance: --country: 'CHE' is not an ISO 3166-1 alpha-2 code (did you mean 'CH'?)\n",
        ),
        (
            ["list", "groups", "--type", "company"],
            "alliance: unknown group type 'company'; use one of working-group, focus-area, chapter\n",
        ),
    ],
)
def test_a_list_option_that_cannot_apply_is_bad_usage(minimal_dataset, args, said):
    result = alliance(*args, "--data", ".", cwd=minimal_dataset)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", said)
