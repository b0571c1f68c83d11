"""The Overview's charts are links: a country's or a type's bar opens those members, a year's
bar opens the Timeline at that year. And PgDn/PgUp move one screen through the Overview.

At 80 columns, where the charts are in the list; on wide screens they are in the detail
(the dashboard: tests/tui/test_tui_wide.py)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from tui_helpers import ready, rendered


async def select(pilot: Any, line_list: Any, ref: str) -> None:
    """Put the cursor on the link `ref` (as j would, quicker: the overview has 40 links before the charts)."""
    assert line_list.select_ref(ref), ref
    await pilot.pause()


def year_of_cursor(app: Any) -> int:
    timeline = app.pane("timeline")
    return app.dataset.resolve(timeline.list.current.ref)[0].date.year


def test_pane_links_are_parsed_and_other_refs_are_not():
    from tui.app import pane_link

    assert pane_link("members?country=JP") == ("members", "country", "JP")
    assert pane_link("members?type=company") == ("members", "type", "company")
    assert pane_link("timeline?year=2024") == ("timeline", "year", "2024")
    for ref in ("member:nasa", "nasa", "members?bogus=1", "quotes?year=2024", "https://x.org/?a=b", "members?country"):
        assert pane_link(ref) is None, ref


async def test_enter_on_a_country_bar_opens_its_members(make_app, dataset):
    app = make_app(build_index=False)
    async with app.run_test(size=(80, 30)) as pilot:
        await ready(pilot)
        members = app.pane("members")
        members.set_filter("founding", "yes")  # any filter set before gives way to the chart's
        overview = app.pane("overview").list
        code = "JP"
        japanese = [m for m in dataset.members if m.country == code]
        assert japanese
        bar = next(e for e in overview.entries if e.ref == f"members?country={code}")
        assert bar.text.plain.split()[0] == code and bar.text.plain.split()[-1] == str(len(japanese))

        await select(pilot, overview, f"members?country={code}")
        await pilot.press("enter")
        assert app.current_pane is members
        assert app.focused is members.list
        assert not members.has_class("-detail-open")
        assert {m.id for m in members.visible_members()} == {m.id for m in japanese}
        assert [e.ref for e in members.list.entries] == [f"member:{m.id}" for m in members.visible_members()]
        assert "founding" not in members.filter_label()

        await pilot.press("escape")  # Esc from the list: back to the Overview, the cursor on the bar
        assert app.current_pane.id == "overview"
        assert overview.current.ref == f"members?country={code}"


async def test_enter_on_a_type_bar_opens_the_members_of_that_type(make_app, dataset):
    app = make_app(build_index=False)
    async with app.run_test(size=(80, 30)) as pilot:
        await ready(pilot)
        overview = app.pane("overview").list
        await select(pilot, overview, "members?type=university")
        await pilot.press("enter")
        members = app.pane("members")
        assert app.current_pane is members
        universities = {m.id for m in dataset.members if m.type == "university"}
        assert {m.id for m in members.visible_members()} == universities


async def test_a_year_of_the_growth_chart_opens_the_timeline_there(make_app, dataset):
    app = make_app(build_index=False)
    async with app.run_test(size=(80, 30)) as pilot:
        await ready(pilot)
        overview = app.pane("overview").list
        years = [int(e.ref.rpartition("=")[2]) for e in overview.entries if (e.ref or "").startswith("timeline?")]
        assert len(set(years)) >= 2
        year = years[-1]
        await select(pilot, overview, f"timeline?year={year}")
        await pilot.press("enter")
        timeline = app.pane("timeline")
        assert app.current_pane is timeline
        assert app.focused is timeline.list
        assert year_of_cursor(app) == year
        assert timeline.list.entries[timeline.list.cursor - 1].text.plain == str(year)  # its first event


async def test_a_double_click_on_a_bar_opens_it(make_app):
    app = make_app(build_index=False)
    async with app.run_test(size=(80, 30)) as pilot:
        await ready(pilot)
        overview = app.pane("overview").list
        await select(pilot, overview, "members?country=US")
        index = overview.cursor
        y = overview.line_of(index) - int(overview.scroll_offset.y)
        await pilot.press("k")  # the cursor elsewhere: the first click selects, the second opens
        assert await pilot.click(overview, offset=(4, y))
        assert overview.cursor == index
        assert app.current_pane.id == "overview"
        assert await pilot.click(overview, offset=(4, y))
        await pilot.pause()
        assert app.current_pane.id == "members"
        assert app.pane("members").filters == {"country": frozenset({"US"})}


async def test_page_down_and_up_move_one_screen_through_the_overview(make_app):
    """Every line of the Overview shows on the way down: the charts, the objectives and the
    sections between the links are not jumped over (PgDn once went from the last working
    group to the sources at the bottom)."""
    app = make_app(build_index=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        overview = app.pane("overview").list
        height = overview.scrollable_content_region.height
        bottom = overview.max_scroll_y
        assert bottom > 3 * height  # several screens of text
        tops = [int(overview.scroll_offset.y)]
        for _ in range(200):
            await pilot.press("pagedown")
            tops.append(int(overview.scroll_offset.y))
            if tops[-1] == bottom:
                break
        assert tops[-1] == bottom
        steps = [b - a for a, b in pairwise(tops)]
        assert all(0 < step < height for step in steps), steps  # each screen overlaps the one before
        assert len(steps) <= bottom // (height // 2) + 2  # and moves about a screen, not a line
        await pilot.press("pagedown")
        assert overview.current.ref == [e.ref for e in overview.entries if e.ref][-1]  # at the end: the last link

        ups = [int(overview.scroll_offset.y)]
        for _ in range(200):
            await pilot.press("pageup")
            ups.append(int(overview.scroll_offset.y))
            if ups[-1] == 0:
                break
        assert ups[-1] == 0
        assert all(0 < a - b < height for a, b in pairwise(ups)), ups
        # The cursor always stays on a link in view (Enter opens what is seen).
        line = overview.line_of(overview.cursor)
        assert 0 <= line < height


async def test_year_keys_put_the_year_at_the_top_of_the_view(make_app, dataset):
    """} and { show the year from its heading down, not just its first event at the bottom."""
    app = make_app(build_index=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        lst = app.pane("timeline").list
        years = sorted({e.date.year for e in dataset.events})

        def check(year: int) -> None:
            assert year_of_cursor(app) == year
            lines = [line.strip() for line in rendered(lst).splitlines()]
            if lst.scroll_offset.y < lst.max_scroll_y:
                assert lines[0] == str(year), lines[:3]
            else:  # the year starts in the last screen: the list cannot scroll that far
                assert str(year) in lines

        for year in years[1:]:
            await pilot.press("right_curly_bracket")
            check(year)
        for year in reversed(years[:-1]):
            await pilot.press("left_curly_bracket")
            check(year)
        app.pane("timeline").jump_to_year(years[1])  # the palette's "Timeline: YEAR" and the charts
        await pilot.pause()
        check(years[1])
