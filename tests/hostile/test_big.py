"""Big data: a 1 MB summary on one member, and 50,000 members.

Both are valid. The explorer must open the huge record quickly (a detail shows at most
20,000 characters of a field and says how many more there are) and keep answering keys;
with 50,000 members every navigation key must land on the right row.

Timings are printed (run with `-s` to see them) and attached to the test report as
properties; budgets on them belong to the benchmark suite, not to tests.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from index import load_dataset
from tui.app import AllianceApp

from .helpers import (
    all_rendered_lines,
    many_members_text,
    run_async,
    run_cli,
    visible_lines,
    write_dataset,
    write_files,
)

HUGE_WORDS = "lorem ipsum dolor sit amet consectetur adipiscing elit "


def huge_summary(size: int = 1_000_000) -> str:
    body = (HUGE_WORDS * (size // len(HUGE_WORDS) + 1))[: size - 40]
    return f"Hugestart zyzzyva {body} endmarker quagga"


@pytest.mark.slow  # over 3 s: a child validates 1 MB, then an explorer session draws it
def test_one_megabyte_summary(tmp_path: Path, record_property) -> None:
    summary = huge_summary()
    assert len(summary) >= 999_000
    data = write_dataset(tmp_path / "data", {"member.geneva.summary": summary})
    started = time.perf_counter()
    done = run_cli("validate", "--data", str(data), tmp=tmp_path)
    validate_seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stderr.decode()
    dataset = load_dataset(data)
    timings: dict[str, float] = {"validate (process)": validate_seconds}

    async def session() -> None:
        app = AllianceApp(dataset, data_dir=data)  # the index builds in the background, as in real use
        app.animation_level = "none"
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("2")
            members = app.pane("members")
            # Sorted by name, the University of Geneva is the last member: G highlights it (its
            # detail shows as a preview) and Enter opens it.
            started = time.perf_counter()
            await pilot.press("G", "enter")
            await pilot.pause()
            timings["open detail (G, Enter)"] = time.perf_counter() - started
            assert members.record is not None and members.record.id == "geneva"
            assert members.detail.has_focus
            detail = members.detail
            plain = "\n".join(e.text.plain for e in detail.entries)
            assert "Hugestart zyzzyva" in plain
            # Cut at the last word boundary before 20,000 characters: what is not shown is
            # the rest, counted exactly.
            hidden = re.search(r"…? \(([\d,]+) more characters not shown\)", plain)
            assert hidden is not None
            kept = len(summary) - int(hidden.group(1).replace(",", ""))
            assert 19_000 <= kept <= 20_000 and summary[:kept].rstrip() in plain
            assert "endmarker" not in plain  # beyond the cap

            started = time.perf_counter()
            lines = await all_rendered_lines(pilot, detail)
            timings["draw every line of the detail"] = time.perf_counter() - started
            shown = "\n".join(lines)
            assert "Hugestart zyzzyva" in shown
            assert "more characters not shown" in " ".join(shown.split())

            # Still answering keys: scroll the detail, back out, switch panes.
            top = detail.scroll_offset.y
            started = time.perf_counter()
            await pilot.press("j")
            timings["j in the detail"] = time.perf_counter() - started
            assert detail.scroll_offset.y == top + 1
            started = time.perf_counter()
            await pilot.press("escape")
            timings["escape"] = time.perf_counter() - started
            assert members.list.has_focus
            started = time.perf_counter()
            await pilot.press("1")
            timings["1 (overview)"] = time.perf_counter() - started
            assert app.current_pane.id == "overview"

            # The index holds the whole text: a word past the display cap is found.
            started = time.perf_counter()
            await app.workers.wait_for_complete()
            timings["index ready (after the above)"] = time.perf_counter() - started
            assert app.index_notice == "", app.index_notice
            search = app.pane("search")
            started = time.perf_counter()
            await pilot.press("slash")
            search.input.value = "endmarker"
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            timings["search a word at the end"] = time.perf_counter() - started
            assert search.hit_refs() == ["member:geneva"]
            assert any("University of Geneva" in line for line in visible_lines(search.list))
            assert app.is_running

    run_async(session(), timeout=120)
    for name, seconds in timings.items():
        record_property(name, round(seconds, 3))
    # Recorded, not asserted: a wall-clock budget fails on a busy machine and belongs to the
    # benchmark suite (tests/benchmarks). Asserted above: the capped detail, keys that still
    # land, the whole text indexed; the 120 s session timeout catches a hang.
    print("\n1 MB summary timings (s):", {k: round(v, 3) for k, v in timings.items()})


@pytest.fixture(scope="module")
def fifty_thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = write_dataset(tmp_path_factory.mktemp("big") / "data")
    write_files(data, {"members/many.toml": many_members_text(50_000)})
    return data


@pytest.mark.slow
def test_fifty_thousand_members_validate(fifty_thousand: Path, tmp_path: Path, record_property) -> None:
    started = time.perf_counter()
    done = run_cli("validate", "--data", str(fifty_thousand), tmp=tmp_path, timeout=120)
    seconds = time.perf_counter() - started
    record_property("validate 50,000 members (s)", round(seconds, 3))
    print(f"\nvalidate 50,003 members: {seconds:.2f} s")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().startswith("ok: 50003 members (7145 founding), 2 quotes, 2 events, 1 topic"), (
        done.stdout
    )
    # The time is recorded, not asserted (see test_one_megabyte_summary); the 120 s timeout
    # of the child catches a hang.


@pytest.mark.slow
def test_fifty_thousand_members_every_key_lands_right(fifty_thousand: Path, record_property) -> None:
    started = time.perf_counter()
    dataset = load_dataset(fifty_thousand)
    load_seconds = time.perf_counter() - started
    by_name = sorted(dataset.members, key=lambda m: m.name.casefold())
    first, last = f"member:{by_name[0].id}", f"member:{by_name[-1].id}"
    latencies: dict[str, float] = {}

    async def session() -> None:
        app = AllianceApp(dataset, data_dir=fifty_thousand, build_index=False)
        app.animation_level = "none"
        started = time.perf_counter()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            latencies["start (first frame)"] = time.perf_counter() - started
            members = app.pane("members")

            async def key(name: str, label: str | None = None) -> None:
                began = time.perf_counter()
                await pilot.press(name)
                await pilot.pause()
                latencies[label or name] = time.perf_counter() - began
                assert app.is_running

            await key("2")
            assert app.current_pane.id == "members"
            assert "Members · 50003 of 50003" in str(members.query_one(".pane-title").render())
            await key("j")
            assert members.list.current.ref == f"member:{by_name[1].id}"
            await key("G")
            assert members.list.current.ref == last
            assert any(by_name[-1].name in line for line in visible_lines(members.list)), "last row not drawn"
            await key("k")
            assert members.list.current.ref == f"member:{by_name[-2].id}"
            await key("g")
            assert members.list.current.ref == first
            await key("pagedown")
            await key("pagedown", "pagedown (2nd)")
            await key("ctrl+d")
            await key("end")
            assert members.list.current.ref == last
            await key("enter")
            assert members.record is not None and f"member:{members.record.id}" == last
            await key("escape")
            await key("home")
            assert members.list.current.ref == first
            await key("3")
            await key("4")
            await key("1")
            await key("2", "2 (again)")
            await key("slash", "/")
            assert app.pane("search").input.has_focus
            await key("m", "typing m (index not built)")
            assert "still loading" in str(app.pane("search").query_one(".pane-title").render())
            await key("escape", "escape (search)")
            # Not navigation, measured for the record: sorting and filtering rebuild the list.
            await key("2", "2 (from search)")
            await key("s", "s (sort by country)")
            assert app.is_running

    run_async(session(), timeout=120)
    # Timings are recorded, not asserted: a wall-clock budget fails on a busy machine and
    # belongs to the benchmark suite (tests/benchmarks). What is asserted above is that
    # every key lands right on 50,003 rows, and the 120 s timeout catches a hang.
    for name, seconds in latencies.items():
        record_property(f"key {name} (s)", round(seconds, 3))
    print(f"\n50,003 members: load {load_seconds:.2f} s; key latencies (s):")
    print({k: round(v, 3) for k, v in latencies.items()})
