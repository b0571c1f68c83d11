"""`alliance search`: JSON shape, exit codes, plain output, bad usage and bad data."""

from __future__ import annotations

import json

import pytest

from tui.cli import main

from .helpers import index_folders, run_cli, write_dataset

BROKEN_TOML = '[alliance]\nid = "x"\nname = = "broken"\n'


@pytest.fixture
def cli(bundled, monkeypatch, capsys):
    """Run main() in-process on the session's bundled index (no rebuild); returns (code, out, err)."""
    monkeypatch.setenv("ALLIANCE_CACHE", str(bundled.cache))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def search_json(cli, *args: str) -> tuple[int, dict]:
    code, out, err = cli("search", *args, "--json")
    assert err == ""
    return code, json.loads(out)


# -- JSON ------------------------------------------------------------------


def test_json_shape(cli):
    code, data = search_json(cli, "nasa")
    assert code == 0
    assert set(data) == {"query", "total", "suggestion", "fuzzy", "facets", "hits"}
    assert data["query"] == "nasa"
    assert data["total"] == 4 and data["suggestion"] is None and data["fuzzy"] is False
    assert set(data["facets"]) == {"kind", "type", "country", "year"}
    assert sum(data["facets"]["kind"].values()) == data["total"]
    for hit in data["hits"]:
        assert set(hit) == {"kind", "id", "title", "score", "snippet"}
        assert isinstance(hit["score"], float) and hit["score"] > 0
        assert set(hit["snippet"]) == {"text", "highlights"}
    first = data["hits"][0]
    assert (first["kind"], first["id"]) == ("member", "nasa")
    assert first["title"] == "National Aeronautics and Space Administration (NASA)"


def test_json_highlights_index_the_snippet(cli):
    _, data = search_json(cli, "backbone")
    assert data["hits"][0]["id"] == "launch-fast-ai-howard"
    for hit in data["hits"]:
        text = hit["snippet"]["text"]
        assert [text[a:b].lower() for a, b in hit["snippet"]["highlights"]] == ["backbone"]


def test_json_typo(cli):
    code, data = search_json(cli, "nasaa")
    assert code == 0
    assert data["suggestion"] == "nasa" and data["fuzzy"] is True
    assert data["hits"][0]["id"] == "nasa"


def test_json_kind(cli):
    code, data = search_json(cli, "open source", "--kind", "event")
    assert code == 0 and data["hits"]
    assert {hit["kind"] for hit in data["hits"]} == {"event"}
    assert data["facets"]["kind"] == {"event": data["total"]}


@pytest.mark.parametrize("limit", ["1", "5"])
def test_json_limit(cli, limit):
    code, data = search_json(cli, "open source", "--limit", limit)
    assert code == 0
    assert data["total"] == 77
    assert len(data["hits"]) == int(limit)


def test_json_no_hits_exit_1(cli):
    code, data = search_json(cli, "zzqqxxjj")
    assert code == 1
    assert data["hits"] == [] and data["total"] == 0


# -- plain output ------------------------------------------------------------


def test_plain_output_is_the_text_without_markers(cli, dataset):
    # Piped, the title and the snippet are the data's own text: no `**` around the matches
    # (a script would take them for data; --json gives the offsets).
    code, out, err = cli("search", "backbone")
    assert code == 0 and err == ""
    assert "\x1b" not in out and "**" not in out
    lines = out.splitlines()
    quote = dataset.resolve("quote:launch-fast-ai-howard")[0]
    assert lines[0] == f"quote:launch-fast-ai-howard\t{quote.title}"
    assert lines[1].startswith("    ") and lines[1].strip().strip("…") in quote.text  # the snippet
    assert lines[-1].startswith("3 hits (2 quotes, 1 member) in ")
    assert out.count("backbone") >= 4


def test_plain_output_of_a_typo(cli):
    code, out, _ = cli("search", "nasaa")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "no exact matches; showing close matches (typo-tolerant)"
    assert lines[1].startswith("member:nasa\t")
    assert "did you mean: nasa" in lines


def test_plain_output_with_no_hits(cli):
    code, out, _ = cli("search", "zzqqxxjj")
    assert code == 1
    assert out.splitlines()[-1].startswith("0 hits in ")


def test_plain_output_shows_how_many_were_shown(cli):
    code, out, _ = cli("search", "open source", "--limit", "3")
    assert code == 0
    hit_lines = [line for line in out.splitlines() if not line.startswith(" ") and "\t" in line]
    assert len(hit_lines) == 3
    assert out.splitlines()[-1].startswith("77 hits (") and "3 shown" in out.splitlines()[-1]


# -- bad usage and bad data -----------------------------------------------------


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_limit_below_one_is_bad_usage(cli, limit):
    code, out, err = cli("search", "nasa", "--limit", limit)
    assert code == 2
    assert out == ""
    assert err == "alliance: --limit must be at least 1\n"


@pytest.mark.parametrize("args", [["search", "nasa", "--limit", "many"], ["search"], ["search", "--limit"]])
def test_argument_errors_exit_2(cli, args):
    with pytest.raises(SystemExit) as exited:
        cli(*args)
    assert exited.value.code == 2


@pytest.mark.parametrize(
    ("option", "value", "choices"),
    [("--kind", "bogus", "member, quote, event, topic, project, group, person"), ("--founding", "maybe", "yes, no")],
)
def test_a_filter_value_outside_its_set_exits_2_with_the_set(cli, option, value, choices):
    code, out, err = cli("search", "nasa", option, value)
    assert (code, out) == (2, "")
    assert err == f"alliance: unknown {option[2:]} {value!r}; use one of {choices}\n"


def test_broken_data_exit_2_with_file_and_line(cli, tmp_path, monkeypatch):
    data = tmp_path / "broken"
    data.mkdir()
    (data / "alliance.toml").write_text(BROKEN_TOML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("search", "nasa", "--data", str(data))
    assert code == 2
    assert out == ""
    assert "alliance.toml:3" in err
    assert "Traceback" not in err


def test_data_option(cli, tmp_path):
    data = write_dataset(tmp_path / "small")
    code, data_json = search_json(cli, "developpement", "--data", str(data))
    assert code == 0
    assert {(h["kind"], h["id"]) for h in data_json["hits"]} == {("member", "lyon"), ("quote", "q-lyon")}


# -- end to end (subprocess, output piped) ----------------------------------------


def test_subprocess_search(cache):
    found = run_cli("search", "backbone", cache=cache)
    assert found.returncode == 0, found.stderr
    assert found.stderr == ""
    assert "\x1b" not in found.stdout
    assert "backbone" in found.stdout and "**" not in found.stdout
    assert found.stdout.splitlines()[0].startswith("quote:launch-fast-ai-howard\t")
    assert len(index_folders(cache)) == 1  # built into $ALLIANCE_CACHE

    nothing = run_cli("search", "zzqqxxjj", "--json", cache=cache)
    assert nothing.returncode == 1
    assert json.loads(nothing.stdout)["hits"] == []

    bogus = run_cli("search", "nasa", "--kind", "bogus", cache=cache)
    assert bogus.returncode == 2 and "unknown kind 'bogus'" in bogus.stderr and bogus.stdout == ""

    zero = run_cli("search", "nasa", "--limit", "0", cache=cache)
    assert zero.returncode == 2 and zero.stderr == "alliance: --limit must be at least 1\n"


def test_subprocess_broken_data(cache, tmp_path):
    data = tmp_path / "broken"
    data.mkdir()
    (data / "alliance.toml").write_text(BROKEN_TOML, encoding="utf-8")
    result = run_cli("search", "nasa", "--data", "broken", cache=cache, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].startswith("broken/alliance.toml:3:")
    assert "Traceback" not in result.stderr
    assert not cache.exists() or index_folders(cache) == []


def test_subprocess_unwritable_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run_cli("search", "nasa", "--json", cache=blocker / "cache")
    assert result.returncode == 0
    assert json.loads(result.stdout)["hits"][0]["id"] == "nasa"
    notice = result.stderr.splitlines()
    assert len(notice) == 1
    assert notice[0].startswith("alliance: ") and "in-memory" in notice[0]


# -- index build: processes and priority ---------------------------------------


@pytest.fixture(scope="module")
def data_5k(tmp_path_factory) -> object:
    """5,010 generated records: at the two-process threshold (index.store.PARALLEL_BUILD)."""
    from index.store import PARALLEL_BUILD
    from tests.benchmarks.generate import generate

    directory = tmp_path_factory.mktemp("data5k")
    counts = generate(directory, records=PARALLEL_BUILD)
    assert sum(counts.values()) >= PARALLEL_BUILD
    return directory


def _segments(folder) -> int:
    return len({p.name.split(".")[0] for p in folder.glob("MAIN_*.pst")})


@pytest.mark.slow
@pytest.mark.skipif((__import__("os").cpu_count() or 1) < 2, reason="one CPU: one writer process")
def test_large_builds_use_two_writer_processes_unless_serial(tmp_path, data_5k):
    parallel = run_cli("index", "build", "--data", str(data_5k), cache=tmp_path / "a", timeout=180)
    assert parallel.returncode == 0, parallel.stderr
    serial = run_cli("index", "build", "--serial", "--data", str(data_5k), cache=tmp_path / "b", timeout=180)
    assert serial.returncode == 0, serial.stderr
    [two] = index_folders(tmp_path / "a")
    [one] = index_folders(tmp_path / "b")
    assert (_segments(two), _segments(one)) == (2, 1)
    # Same matches either way (order may differ among equal scores, so all hits are compared).
    for query in ("labs", "data"):
        a = run_cli("search", query, "--json", "--limit", "9999", "--data", str(data_5k), cache=tmp_path / "a")
        b = run_cli("search", query, "--json", "--limit", "9999", "--data", str(data_5k), cache=tmp_path / "b")
        hits_a, hits_b = json.loads(a.stdout), json.loads(b.stdout)
        assert hits_a["total"] == hits_b["total"] == len(hits_a["hits"]) > 0
        refs = [{f"{h['kind']}:{h['id']}" for h in hits["hits"]} for hits in (hits_a, hits_b)]
        assert refs[0] == refs[1]


def test_background_builds_lower_their_priority(tmp_path, monkeypatch, capsys):
    niced = []
    monkeypatch.setattr("os.nice", lambda n: niced.append(n) or n)
    data = write_dataset(tmp_path / "data")
    monkeypatch.setenv("ALLIANCE_CACHE", str(tmp_path / "cache"))
    assert main(["index", "build", "--background", "--data", str(data)]) == 0
    assert niced == [10]
    assert main(["index", "build", "--force", "--data", str(data)]) == 0
    assert niced == [10]  # not without --background
