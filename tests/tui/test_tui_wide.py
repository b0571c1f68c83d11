"""No wasted half screen at 120+ columns: every pane uses the width of a wide terminal.

The Overview is a dashboard there (its charts and figures in the detail while no record
is open, the prose and links in the list); the Timeline's rows get the members involved
and the tags, its list as wide as its columns; on narrow terminals both stay as they were.
"""

from __future__ import annotations

from typing import Any

import pytest
from tui_helpers import ready, rendered, screen_text, search, widest_blank_band

from tui.render import bar_chart

BODY = 4  # screen lines above the panes' bodies: app header, tabs (2), pane title
CHARTS = ("Members by type", "Members by country", "Membership over time", "Key figures", "Focus areas at launch")
LAUNCH = "IBM and Meta launch the AI Alliance"  # an event with members (IBM, Meta) and tags


def body(app: Any) -> list[str]:
    """The screen without header, tabs, pane title and footer."""
    return screen_text(app).splitlines()[BODY:-1]


def texts(line_list: Any) -> str:
    return "\n".join(entry.text.plain for entry in line_list.entries)


async def open_a_topic(pilot: Any) -> Any:
    """The Overview with an open question open in its detail (Enter on its link)."""
    app = pilot.app
    await pilot.press("1")
    overview = app.pane("overview")
    topic = next(e.ref for e in overview.list.entries if (e.ref or "").startswith("topic:"))
    assert overview.list.select_ref(topic)
    await pilot.press("enter")
    await pilot.pause()
    assert overview.record is not None and app.focused is overview.detail
    return overview


@pytest.mark.slow  # every pane at one size: over 3 s
@pytest.mark.parametrize("preview", [True, False], ids=["preview", "no-preview"])
@pytest.mark.parametrize("size", [(120, 40), (200, 60)])
async def test_no_pane_leaves_a_third_of_a_wide_screen_blank(make_app, size, preview):
    """Before (df8f09b…be0df6a, same measure): Overview 0.20/0.36 at 120/200 columns (0.37/0.70
    with preview off), Timeline 0.37/0.62. Each pane is measured as it shows on its key, with
    preview on (the other panes' details then hold a record), the search with results, and
    the Overview also with a record open. Without preview (the default) the lists' details
    hold their facets at a glance until a record opens (before: Members, Quotes, Projects
    0.28/0.36/0.36 at 120 columns and 0.49/0.52/0.72 at 200)."""
    app = make_app(preview=preview)
    width = size[0]
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        wasted = {}
        for key in ("1", "2", "3", "4", "6"):
            await pilot.press(key)
            await pilot.pause()
            wasted[key] = widest_blank_band(body(app), width)
        await search(pilot, "open source")
        wasted["5"] = widest_blank_band(body(app), width)
        await open_a_topic(pilot)
        wasted["overview with a record"] = widest_blank_band(body(app), width)
        assert max(wasted.values()) <= 1 / 3, wasted


async def test_the_dashboard_is_in_the_detail_on_wide_screens_and_in_the_list_on_narrow(make_app):
    app = make_app(preview=False, build_index=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        overview = app.pane("overview")
        for chart in CHARTS:
            assert chart in texts(overview.detail), chart
            assert chart not in texts(overview.list), chart
        assert "Founders" in texts(overview.list) and "Founders" not in texts(overview.detail)
        assert "Members by type" in rendered(overview.detail)  # on screen, not only held
        # The bars fill the detail's width and no more (a wrapped bar would be two lines).
        bars = [e.text for e in overview.detail.entries if "█" in e.text.plain]
        assert max(t.cell_len for t in bars) <= overview.detail.scrollable_content_region.width
        assert max(t.cell_len for t in bars) > 45  # not the 30-cell bars of the list
        await pilot.resize_terminal(80, 24)  # narrow: one list holds everything again
        await pilot.pause()
        await pilot.pause()
        for chart in CHARTS:
            assert chart in texts(overview.list), chart
        assert not overview.detail.display
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert "Members by country" not in texts(overview.list)
        assert "Members by country" in texts(overview.detail)


async def test_enter_on_a_bar_of_the_dashboard_opens_the_filtered_members(make_app, dataset):
    app = make_app(preview=False, build_index=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        overview = app.pane("overview")
        await pilot.press("tab")  # the hint says Tab moves to the charts
        assert app.focused is overview.detail
        assert overview.detail.select_ref("members?country=JP")
        await pilot.press("enter")
        members = app.pane("members")
        assert app.current_pane is members and app.focused is members.list
        assert members.filters == {"country": frozenset({"JP"})}
        assert {m.id for m in members.visible_members()} == {m.id for m in dataset.members if m.country == "JP"}


async def test_a_double_click_on_a_bar_of_the_dashboard_opens_it(make_app):
    app = make_app(preview=False, build_index=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        detail = app.pane("overview").detail
        assert detail.select_ref("members?type=university")
        index = detail.cursor
        y = detail.line_of(index) - int(detail.scroll_offset.y)
        assert 0 <= y < detail.size.height
        assert detail.select_ref("members?type=company")  # elsewhere: the first click selects
        assert await pilot.click(detail, offset=(4, y))
        assert detail.cursor == index and app.current_pane.id == "overview"
        assert await pilot.click(detail, offset=(4, y))
        await pilot.pause()
        assert app.current_pane.id == "members"
        assert app.pane("members").filters == {"type": frozenset({"university"})}


async def test_esc_after_opening_a_record_brings_the_dashboard_back(make_app):
    app = make_app(preview=False, build_index=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        overview = await open_a_topic(pilot)
        topic = overview.record
        assert "Members by country" not in texts(overview.detail)
        await pilot.press("escape")
        assert app.focused is overview.list
        assert overview.record is None
        assert "Members by country" in texts(overview.detail)
        await pilot.press("left_square_bracket")  # Back: the record just left, again
        await pilot.pause()
        assert overview.record is topic and app.focused is overview.detail


async def test_preview_does_not_hide_the_dashboard(make_app):
    """The Overview's list is links: with preview on, the dashboard stays beside them."""
    app = make_app(preview=True, build_index=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        overview = app.pane("overview")
        await pilot.press("j", "j")
        assert overview.record is None
        assert "Members by country" in texts(overview.detail)


def launch_row(app: Any) -> str:
    timeline = app.pane("timeline")
    entry = next(e for e in timeline.list.entries if LAUNCH in e.text.plain)
    return entry.text.plain


async def test_the_timeline_shows_members_and_tags_at_200_columns_and_not_at_80(make_app):
    app = make_app(preview=False, build_index=False)
    async with app.run_test(size=(200, 60)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await pilot.pause()
        timeline = app.pane("timeline")
        assert timeline.columns.extras == ("members", "tags")
        row = launch_row(app)
        assert "IBM, Meta" in row and "#launch" in row
        assert any("IBM, Meta" in line and "#launch" in line for line in screen_text(app).splitlines())
        # The list as wide as its columns, the detail the rest: a third at least.
        assert timeline.detail.outer_size.width >= 200 // 3
        assert timeline.list.outer_size.width == timeline.columns.width + 3
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert timeline.columns.extras == ()
        row = launch_row(app)
        assert "IBM, Meta" not in row and "#launch" not in row
        assert timeline.list.outer_size.width == 80


async def test_the_timeline_rows_are_built_again_only_when_the_columns_change(make_app):
    app = make_app(preview=False, build_index=False)
    async with app.run_test(size=(200, 60)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await pilot.pause()
        timeline = app.pane("timeline")
        built = []
        original = timeline.list_entries
        timeline.list_entries = lambda: built.append(1) or original()
        columns = timeline.columns
        timeline.lay_out(app.size.width)  # the same width: the same columns
        assert built == []
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert timeline.columns != columns and built == [1]


def test_bars_fill_the_width_they_are_given():
    rows = [("company", 73), ("university", 38), ("government", 3)]
    for fill in (40, 60, 97):
        lines = [entry.text for entry in bar_chart(rows, fill=fill)]
        assert max(text.cell_len for text in lines) == fill
    assert max(entry.text.cell_len for entry in bar_chart(rows)) == 2 + 10 + 1 + 30 + 3  # the list's 30 cells


@pytest.mark.parametrize(
    "key,noun,charts",
    [
        ("2", "members at a glance", ("Type", "Country", "Membership")),
        ("3", "quotes at a glance", ("Member", "Language", "Year")),
        ("4", "events at a glance", ("Tag", "Year")),
        ("6", "projects at a glance", ("Projects by status", "Projects by lead", "Groups and chapters by type")),
    ],
)
async def test_a_wide_list_without_a_record_open_shows_its_facets_beside_it(make_app, key, noun, charts):
    """Preview off, nothing open: not a two-line hint beside the list but what it holds."""
    app = make_app(preview=False, build_index=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        await pilot.press(key)
        await pilot.pause()
        shown = texts(app.current_pane.detail)
        assert noun in shown and all(f"\n{chart}\n" in shown for chart in charts), shown
        await pilot.resize_terminal(80, 24)  # the detail is hidden: nothing to count
        await pilot.pause()
        assert noun not in texts(app.current_pane.detail)


async def test_the_facets_follow_the_filters_and_a_bar_filters_further(make_app, dataset):
    app = make_app(preview=False, build_index=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        members = app.pane("members")
        universities = [m for m in dataset.members if m.type == "university"]
        members.set_filter("type", "university")
        await pilot.pause()
        assert f"{len(universities)} members at a glance" in texts(members.detail)
        countries = {m.country for m in universities}
        top = max(countries, key=lambda c: sum(m.country == c for m in universities))
        await pilot.press("tab")
        assert app.focused is members.detail
        assert members.detail.select_ref(f"filter?country={top}")
        await pilot.press("enter")
        assert app.focused is members.list
        assert members.filters == {"type": frozenset({"university"}), "country": frozenset({top})}
        kept = [m for m in universities if m.country == top]
        assert len(members.visible_members()) == len(kept)
        assert f"{len(kept)} members at a glance" in texts(members.detail)
        await pilot.press("enter")  # a record opens: the facets give way
        assert members.record is not None and "at a glance" not in texts(members.detail)
