"""List panes make their rows when drawn (issue 17): a first visit builds a screenful of
rows, not one per record, and what shows (and what narrowing, sorting, `select_ref`,
export and year jumps see) is what building every row eagerly gave."""

from __future__ import annotations

import pytest
from rich.text import Text
from tui_helpers import Counting, ready, settle

import tui.panes.members
import tui.panes.quotes
import tui.render
from tests.hostile.helpers import all_rendered_lines
from tui.render import member_row, quote_row, timeline_entries
from tui.widgets.line_list import Entry, Rows, cut_line
from tui.widgets.narrow import Narrowing


def eager_lines(entries: list[Entry], width: int) -> list[str]:
    """The list as drawn when every row was built and cut at once (before issue 17)."""
    return [cut_line(p, width).plain.rstrip() for e in entries for p in e.text.split("\n", allow_blank=True)]


PANES = {
    # key: (pane, the module attribute that builds a row)
    "2": ("members", tui.panes.members, "member_row"),
    "3": ("quotes", tui.panes.quotes, "quote_row"),
    "4": ("timeline", tui.render, "event_row"),
}


@pytest.mark.parametrize("key", sorted(PANES))
async def test_first_visit_builds_a_screenful_of_rows_and_draws_the_eager_list(
    key: str, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: every row of the list was built on the first visit (141 members, 89 quotes,
    every event); now at most the rows drawn on the first frames."""
    name, module, builder = PANES[key]
    counting = Counting(getattr(module, builder))
    monkeypatch.setattr(module, builder, counting)
    app = make_app(preview=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        counting.calls = 0
        await pilot.press(key)
        await settle(pilot)
        pane = app.pane(name)
        assert app.current_pane is pane
        height = pane.list.scrollable_content_region.height
        assert pane.list.virtual_size.height > 2 * height, "the list must be longer than two screens"
        assert isinstance(pane.list.entries, Rows)
        assert 0 < counting.calls <= height + 2, (counting.calls, height)

        # What is drawn, page by page to the end, is what building every row gave.
        lines = await all_rendered_lines(pilot, pane.list)
        width = pane.list.scrollable_content_region.width
        eager = list(pane.list_entries())  # a fresh build: every row made
        assert [line.rstrip() for line in lines] == eager_lines(eager, width)
        assert list(pane.list.refs) == [entry.ref for entry in eager]


async def test_sort_select_export_and_narrowing_over_rows(make_app) -> None:
    """A sort, `select_ref` of the last row, the export's refs and a narrowing all act on
    the rows without building them first, and show what the eager list showed."""
    app = make_app(preview=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await settle(pilot)
        members = app.pane("members")
        await pilot.press("s")  # by country
        await settle(pilot)
        ordered = members.visible_members()
        refs = [f"member:{m.id}" for m in ordered]
        assert list(members.list.refs) == refs
        assert members.export_refs() == refs

        built = members.list.entries._made  # type: ignore[attr-defined]
        assert sum(entry is not None for entry in built) < len(refs) // 2
        assert members.list.select_ref(refs[-1])
        await pilot.pause()
        assert members.list.current is not None and members.list.current.ref == refs[-1]
        top = int(members.list.scroll_offset.y)
        assert top <= members.list.cursor < top + members.list.scrollable_content_region.height

        # `\` jp: the Japanese members, in the sorted order, drawn as the eager rows.
        await pilot.press("backslash", "j", "p", "enter")
        await settle(pilot)
        shown = members.list.entries
        assert isinstance(shown, Rows)
        japanese = [m for m in ordered if "jp" in member_row(m, members.columns).text.plain.casefold()]
        assert [entry.ref for entry in shown] == [f"member:{m.id}" for m in japanese]
        assert [entry.text.plain for entry in shown] == [member_row(m, members.columns).text.plain for m in japanese]


async def test_timeline_year_jumps_read_the_headings_only(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    """`}` and `{` find the years from the refs (headings have none): no event row is built."""
    app = make_app(preview=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await settle(pilot)
        timeline = app.pane("timeline")
        counting = Counting(tui.render.event_row)
        monkeypatch.setattr(tui.render, "event_row", counting)
        starts = timeline.year_starts()
        assert counting.calls == 0
        eager = timeline_entries(app.dataset.events)
        assert starts == [i + 1 for i, e in enumerate(eager) if not e.selectable and i + 1 < len(eager)]
        await pilot.press("}")
        await pilot.pause()
        assert timeline.list.cursor == starts[1]


def test_rows_are_one_line_even_when_a_field_holds_a_newline(dataset) -> None:
    """A row's line count is known before it is made: a newline in a name or title (data
    may hold one) is shown as a space, so a row never takes two lines (or a quote three)."""
    member = dataset.members[0]
    broken = type(member).__new__(type(member))
    for slot in type(member).__slots__:  # a copy with a newline in its name
        object.__setattr__(broken, slot, getattr(member, slot))
    object.__setattr__(broken, "name", "First line\nsecond line")
    row = member_row(broken, tui.render.MemberColumns(name=30, extras=("joined",)))
    assert "\n" not in row.text.plain and "First line second line" in row.text.plain
    quote = dataset.quotes[0]
    assert quote_row(quote, dataset).text.plain.count("\n") == 1


def test_rows_make_each_entry_once_and_picks_share_them() -> None:
    made: list[int] = []

    def make(n: object) -> Entry:
        made.append(n)  # type: ignore[arg-type]
        return Entry(Text(f"row {n}"), ref=f"r:{n}")

    heading = Entry(Text("heading"))
    rows = Rows([heading, *range(10)], make, [None, *(f"r:{n}" for n in range(10))])
    assert len(rows) == 11 and made == []
    assert rows[3].text.plain == "row 2" and rows[3] is rows[3] and made == [2]
    picked = rows.pick([0, 3, 5])
    assert [e.text.plain for e in picked] == ["heading", "row 2", "row 4"] and made == [2, 4]
    assert picked[1] is rows[3]
    assert picked.pick([2]).refs == ["r:4"]
    narrowing = Narrowing(rows)
    assert narrowing.total == 10
    assert [e.text.plain for e in narrowing.narrowed("row 7")] == ["heading", "row 7"]
    with pytest.raises(ValueError):
        Rows([1, 2], make, ["a"])


async def test_the_lists_are_prepared_behind_the_overview(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sorting, measuring and counting facets happen in a worker once the data is there:
    the first visit of Members sorts, measures and counts nothing (0.1-0.2 s at 100k)."""
    sorts = Counting(tui.panes.members.sort_members)
    measures = Counting(tui.panes.members.measure_members)
    monkeypatch.setattr(tui.panes.members, "sort_members", sorts)
    monkeypatch.setattr(tui.panes.members, "measure_members", measures)
    app = make_app(preview=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        members = app.pane("members")
        assert (sorts.calls, measures.calls) == (1, 1)
        assert members._glance is not None and members._glance[0] is app.dataset
        await pilot.press("2")
        await settle(pilot)
        assert app.current_pane is members
        assert (sorts.calls, measures.calls) == (1, 1)
        assert members.list.current is not None
        await pilot.press("s")  # another order: sorted now, once
        await settle(pilot)
        assert sorts.calls == 2


def test_a_preparation_is_kept_only_for_the_data_shown(dataset) -> None:
    """adopt() keeps what a worker computed for the pane's dataset, replaces what was kept
    for data shown before, and ignores a result for data no longer shown."""
    from dataclasses import replace

    from tui.panes.members import MembersPane

    pane = MembersPane(dataset)
    older = replace(dataset)  # another Dataset object: "the data before"
    pane._sorted["name", False] = (older, [])
    pane.adopt(pane.prepared())
    kept = pane._sorted["name", False]
    assert kept[0] is dataset and [m.id for m in kept[1]] == [m.id for m in pane.sorted_members("name", False)]
    assert pane._measured is not None and pane._measured[0] is dataset
    assert pane._glance is not None and pane._glance[0] is dataset

    late = MembersPane(dataset)
    stale = MembersPane(older).prepared()
    late.adopt(stale)
    assert late._measured is None and late._glance is None and not late._sorted
