"""A list whose rows change is repainted whole: a sort or a filter that moves no scroll
and no cursor must still redraw every visible row (the terminal test of the same is
tests/e2e/test_stale_rows.py)."""

from __future__ import annotations

from tui_helpers import ready

from tui.widgets.line_list import LineList


async def test_each_sort_and_filter_repaints_every_visible_row(make_app, monkeypatch):
    app = make_app(preview=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        pane = app.pane("members")
        pane.set_filter("type", "university")
        pane.set_filter("founding", "yes")
        await pilot.pause()
        painted: set[int] = set()
        render_line = LineList.render_line

        def spy(self: LineList, y: int):  # type: ignore[no-untyped-def]
            if self is pane.list:
                painted.add(y)
            return render_line(self, y)

        monkeypatch.setattr(LineList, "render_line", spy)
        visible = set(range(min(pane.list.scrollable_content_region.height, len(pane.list.entries))))
        for change in ("s", "s", "s", "s"):  # country, type, joined, name: some keep the cursor's row
            painted.clear()
            await pilot.press(change)
            await pilot.pause()
            assert painted >= visible, f"after sorting by {pane.sort}, rows {sorted(visible - painted)} not repainted"
        painted.clear()
        pane.set_filter("founding", None)
        await pilot.pause()
        assert painted >= set(range(min(pane.list.scrollable_content_region.height, len(pane.list.entries))))
