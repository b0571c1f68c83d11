"""Export what you see (`e`): the focused pane's list, after its filters and sort, written to
a CSV, JSON or Markdown file the user names; an existing file only on a second Enter; errors
said in the dialog (issue 14)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import move_to, ready, refs, rendered, search

from index.export import md_cell
from tui.export_screen import ExportScreen, write_export
from tui.widgets.line_list import LineList


async def _filter(pilot: Any, choice: str) -> None:
    await pilot.press("f")
    choices = pilot.app.screen.query_one("#choices", LineList)
    await move_to(pilot, choices, choice)
    await pilot.press("enter")


async def _export(pilot: Any, path: str) -> Any:
    """`e`, the name typed over the proposed one, Enter; the dialog (closed or not)."""
    from textual.widgets import Input

    await pilot.press("e")
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportScreen)
    box = dialog.query_one("#export-path", Input)
    assert pilot.app.focused is box
    box.value = path
    await pilot.press("enter")
    await pilot.pause()
    return dialog


def _message(dialog: Any) -> str:
    return str(dialog.query_one("#export-message").render())


def _csv_ids(path: Path) -> list[str]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["id", "name", "type", "country", "founding"]
    return [row[0] for row in rows[1:]]


async def test_e_writes_the_members_as_filtered_and_sorted(make_app, dataset, tmp_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        pane = app.pane("members")
        await _filter(pilot, "type=university")
        await _filter(pilot, "founding=yes")
        await pilot.press("s")  # by country
        assert "sorted by country" in str(pane.query_one(".pane-title").render())
        shown = refs(pane.list)
        universities = [m for m in dataset.members if m.type == "university" and m.founding]
        assert len(shown) == len(universities) and shown != sorted(shown)

        target = tmp_path / "unis.csv"
        await _export(pilot, str(target))
        assert not isinstance(app.screen, ExportScreen)  # written and closed
        assert _csv_ids(target) == [ref.removeprefix("member:") for ref in shown]
        # What the screen shows, row for row: each visible row names the member of that line.
        rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))[1:]
        visible = [line for line in rendered(pane.list).splitlines() if line.strip()]
        assert len(visible) == min(len(rows), pane.list.size.height)
        for line, row in zip(visible, rows[: len(visible)], strict=True):
            assert row[1][:20] in line and row[3] in line, (line, row)
        assert any(f"Wrote {len(shown)} members to {target} (CSV)" in n.message for n in app._notifications)


async def test_json_and_markdown_by_the_extension(make_app, dataset, tmp_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        pane = app.pane("members")
        await _filter(pilot, "country=CH")
        shown = refs(pane.list)

        await _export(pilot, str(tmp_path / "ch.json"))
        records = json.loads((tmp_path / "ch.json").read_text(encoding="utf-8"))
        assert [f"{r['kind']}:{r['id']}" for r in records] == shown
        assert set(records[0]) >= {"kind", "id", "name", "type", "founding", "sources"}  # as `list --json`

        await _export(pilot, str(tmp_path / "ch.MD"))
        lines = (tmp_path / "ch.MD").read_text(encoding="utf-8").splitlines()
        assert lines[:2] == ["| id | name | type | country | founding |", "|---|---|---|---|---|"]
        names = [dataset.resolve(ref)[0].name for ref in shown]
        assert [line.split(" | ")[1] for line in lines[2:]] == [md_cell(name) for name in names]


async def test_an_existing_file_is_replaced_only_on_a_second_enter(make_app, tmp_path):
    target = tmp_path / "members.csv"
    target.write_text("keep me\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        dialog = await _export(pilot, str(target))
        assert app.screen is dialog  # still asking
        assert "exists" in _message(dialog) and "Enter again" in _message(dialog)
        assert target.read_text(encoding="utf-8") == "keep me\n"

        dialog.query_one("#export-path").value = str(tmp_path / "other.csv")  # another name: asks anew
        dialog.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and target.read_text(encoding="utf-8") == "keep me\n"

        await pilot.press("enter")  # the second Enter on the same name
        await pilot.pause()
        assert app.screen is not dialog
        assert _csv_ids(target) == [ref.removeprefix("member:") for ref in refs(app.pane("members").list)]


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("no/such/folder/x.csv", "No such file or directory"),
        ("", "Type a file name"),
        (".", "is a folder"),
    ],
)
async def test_errors_are_said_in_the_dialog(make_app, tmp_path, monkeypatch, name, said):
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("3")
        dialog = await _export(pilot, name)
        assert app.screen is dialog
        assert said in _message(dialog)
        await pilot.press("escape")
        assert app.screen is not dialog
        assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
async def test_a_full_disk_is_said_in_the_dialog(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        dialog = await _export(pilot, "/dev/full")  # it exists: a second Enter writes
        assert app.screen is dialog and "exists" in _message(dialog)
        await pilot.press("enter")  # /dev/full fails every write with ENOSPC
        await pilot.pause()
        assert app.screen is dialog
        assert "Cannot write /dev/full: No space left on device" in _message(dialog)


def test_a_failed_write_leaves_no_half_file(tmp_path, monkeypatch, dataset):
    import errno

    import tui.export_screen as export_screen

    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def full_open(path: str, mode: str, **kwargs: Any) -> Full:
        open(path, mode, **kwargs).close()  # the file is created, as a real open does
        return Full()

    monkeypatch.setattr(export_screen, "open", full_open, raising=False)
    target = tmp_path / "m.csv"
    with pytest.raises(OSError, match="No space"):
        write_export(str(target), dataset.members, None, overwrite=False)
    assert not target.exists()


async def test_relative_and_home_paths(make_app, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("4")  # the timeline: events in date order, under year headings
        await _export(pilot, "events.csv")
        await _export(pilot, "~/events.md")
        shown = [ref.removeprefix("event:") for ref in refs(app.pane("timeline").list)]
        rows = list(csv.reader(io.StringIO((work / "events.csv").read_text(encoding="utf-8"), newline="")))
        assert rows[0] == ["id", "date", "title"] and [row[0] for row in rows[1:]] == shown
        assert (home / "events.md").read_text(encoding="utf-8").count("\n") == len(shown) + 2


async def test_the_search_results_in_rank_order(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = await search(pilot, "open source")
        assert app.focused is pane.list
        hits = pane.hit_refs()
        await _export(pilot, str(tmp_path / "hits.csv"))
        rows = list(csv.reader(io.StringIO((tmp_path / "hits.csv").read_text(encoding="utf-8"), newline="")))
        assert rows[0] == ["kind", "id", "title"]
        assert [f"{kind}:{id}" for kind, id, _ in rows[1:]] == hits
        assert len({kind for kind, _, _ in rows[1:]}) > 1


async def test_e_in_the_search_box_types(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", "e")
        assert app.pane("search").input.value == "e"
        assert app.screen is app.screen_stack[0]
