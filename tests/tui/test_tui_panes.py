"""Pane keys: members filter (f, FilterScreen) and sort (s), timeline years ({ }), quotes in
French (t), the citation (y), help (? F1), the palette (ctrl+p), quitting (q, ctrl+q)."""

from __future__ import annotations

from typing import Any

import pytest
from tui_helpers import move_to, plain, ready, refs, rendered, search, title, type_fast, wait_until

from index.describe import country_name
from tui.app import AllianceApp
from tui.panes.members import MembersPane
from tui.panes.quotes import QuotesPane
from tui.panes.timeline import TimelinePane
from tui.screens import FilterScreen, HelpScreen
from tui.widgets.line_list import LineList


async def click_entry(pilot: Any, line_list: LineList, ref: str, times: int = 1) -> None:
    """Click the first line of the entry whose ref is `ref` (it must be on screen)."""
    index = next(i for i, e in enumerate(line_list.entries) if e.ref == ref)
    y = line_list._entry_line[index] - line_list.scroll_offset.y
    assert 0 <= y < line_list.size.height, f"{ref} is not on screen"
    assert await pilot.click(line_list, offset=(3, y), times=times)
    await pilot.pause()


def member_ids(pane: MembersPane) -> list[str]:
    return [ref.removeprefix("member:") for ref in refs(pane.list)]


@pytest.mark.slow  # over 3 s: every filter through the dialog
async def test_members_filter_through_the_filter_screen(make_app, dataset):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        pane = app.pane("members")
        everyone = member_ids(pane)
        assert len(everyone) == len(dataset.members)

        await pilot.press("f")
        assert isinstance(app.screen, FilterScreen)
        choices = app.screen.query_one("#choices", LineList)
        assert app.focused is choices
        await move_to(pilot, choices, "founding=yes")
        await pilot.press("enter")
        assert not isinstance(app.screen, FilterScreen)
        founding = {m.id for m in dataset.members if m.founding}
        assert set(member_ids(pane)) == founding
        assert title(pane).endswith("filter: founding")
        assert f"{len(founding)} of {len(dataset.members)}" in title(pane)
        assert app.focused is pane.list

        await pilot.press("f")  # a second filter adds to the first; the active one is ticked
        choices = app.screen.query_one("#choices", LineList)
        ticked = [e.text.plain for e in choices.entries if e.text.plain.startswith("✓")]
        assert ticked == [f"✓ Founding members  {len(founding)}"]
        await move_to(pilot, choices, "type=university")
        await pilot.press("enter")
        universities = {m.id for m in dataset.members if m.founding and m.type == "university"}
        assert set(member_ids(pane)) == universities
        assert title(pane).endswith("filter: founding, university")

        await pilot.press("f")  # a country, picked with the mouse (double click)
        choices = app.screen.query_one("#choices", LineList)
        # With 30-odd countries it is below the fold: scrolled to (the cursor stays), then clicked.
        line = choices._entry_line[next(i for i, e in enumerate(choices.entries) if e.ref == "country=CH")]
        choices.scroll_to(y=line, animate=False)
        await pilot.pause()
        await click_entry(pilot, choices, "country=CH", times=2)
        assert not isinstance(app.screen, FilterScreen)
        swiss = {m.id for m in dataset.members if m.founding and m.type == "university" and m.country == "CH"}
        assert swiss and set(member_ids(pane)) == swiss
        assert title(pane).endswith(f"filter: founding, university, {country_name('CH')}")
        assert all(" CH " in line for line in plain(pane.list).splitlines())

        await pilot.press("f", "q")  # q (or Esc) cancels, it does not quit here
        assert app.is_running
        assert not isinstance(app.screen, FilterScreen)
        assert set(member_ids(pane)) == swiss

        await pilot.press("f")  # the first choice clears every filter
        assert app.screen.query_one("#choices", LineList).current.ref == "clear="
        await pilot.press("enter")
        assert member_ids(pane) == everyone
        assert "filter" not in title(pane)

        # Opening a member that the filter hides clears the filter, so the member shows.
        await pilot.press("f", "j", "j", "enter")  # joined later
        assert "filter: joined later" in title(pane)
        assert "nasa" not in member_ids(pane)
        app.follow("member:nasa")
        await pilot.pause()
        assert pane.record.id == "nasa"
        assert pane.list.current.ref == "member:nasa"
        assert member_ids(pane) == everyone
        assert "filter" not in title(pane)


async def test_members_sort_cycles_and_keeps_the_highlighted_member(make_app, dataset):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2", "j", "j")
        pane = app.pane("members")
        highlighted = pane.list.current.ref
        assert "sorted by name" in title(pane)
        names = [m.name.casefold() for m in pane.visible_members()]
        assert names == sorted(names)
        keys = {
            "country": lambda m: (not m.country, m.country, m.name.casefold()),  # unknown countries last
            "type": lambda m: (m.type, m.name.casefold()),
            "joined": lambda m: (m.since, m.name.casefold()),  # joined, else first listed
            "founding": lambda m: (not m.founding, m.name.casefold()),  # the ● column: founding first
            "name": lambda m: m.name.casefold(),
        }
        for sort, key in keys.items():  # the columns shown at 100 wide, in the order s visits them
            await pilot.press("s")
            assert pane.sort == sort
            assert f"sorted by {sort} ▲" in title(pane)
            expected = [f"member:{m.id}" for m in sorted(dataset.members, key=key)]
            assert refs(pane.list) == expected
            assert pane.list.current.ref == highlighted  # the cursor stays on the same member
        await pilot.press("s")
        assert pane.sort == "country"
        first = pane.visible_members()[0]
        await pilot.press("g")
        assert rendered(pane.list).splitlines()[0].split()[1] == first.country


async def test_timeline_jumps_by_year(make_app, dataset):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        pane: TimelinePane = app.pane("timeline")
        lst = pane.list
        years = sorted({e.date.year for e in dataset.events})
        assert len(years) >= 4

        def year_of_cursor() -> int:
            return app.dataset.resolve(lst.current.ref)[0].date.year

        def heading_before_cursor() -> str:
            return lst.entries[lst.cursor - 1].text.plain

        assert year_of_cursor() == years[0]
        assert heading_before_cursor() == str(years[0])
        await pilot.press("k")  # the year heading is not selectable
        assert lst.cursor == 1
        for year in years[1:]:
            await pilot.press("right_curly_bracket")
            assert year_of_cursor() == year
            assert heading_before_cursor() == str(year)  # on the year's first event
        await pilot.press("right_curly_bracket")  # no later year: stays
        assert year_of_cursor() == years[-1]
        await pilot.press("left_curly_bracket")
        assert year_of_cursor() == years[-2]
        assert heading_before_cursor() == str(years[-2])
        await pilot.press("left_curly_bracket", "j", "j")
        assert year_of_cursor() == years[-3]
        assert heading_before_cursor() != str(years[-3])  # inside the year, not on its first event
        await pilot.press("left_curly_bracket")  # from inside a year: the year before
        assert year_of_cursor() == years[-4]
        assert heading_before_cursor() == str(years[-4])
        await pilot.press("}", "k")  # up from a year's first event: the last event of the year before
        assert year_of_cursor() == years[-4]
        assert lst.entries[lst.cursor + 1].style == "line-list--heading"
        await pilot.press("g", "left_curly_bracket")  # in the first year: its first event
        assert lst.cursor == 1
        assert pane.record is not None and pane.record.date.year == years[0]  # the detail follows


async def test_t_switches_a_quote_to_french_and_back(make_app, dataset):
    quote = next(q for q in dataset.quotes if q.id == "launch-fast-ai-howard")
    french = dict(quote.translations)["fr"]
    app = make_app(open_ref="quote:launch-fast-ai-howard")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane: QuotesPane = app.pane("quotes")
        detail = pane.detail
        assert app.focused is detail
        assert "press t to read the French rendering" in plain(detail)
        assert quote.text in plain(detail)
        assert "text (fr)" not in plain(detail)
        await pilot.press("t")
        assert "text (fr)" in plain(detail)
        assert "original (en)" in plain(detail)
        assert french in plain(detail)
        assert "colonne vertébrale" in rendered(detail)
        assert app.focused is detail  # the detail keeps the focus
        await pilot.press("t")
        assert "text (fr)" not in plain(detail)
        assert "colonne vertébrale" not in rendered(detail)
        assert quote.text[:40] in rendered(detail)

        # A quote without a French rendering shows its text whatever t says.
        plain_quote = next(q for q in dataset.quotes if not q.translations)
        app.follow(f"quote:{plain_quote.id}")
        await pilot.pause()
        before = plain(detail)
        await pilot.press("t")
        assert plain(detail) == before
        assert "text (fr)" not in plain(detail)


async def test_y_copies_the_citation_of_the_selected_record(make_app, dataset):
    app = make_app(open_ref="quote:launch-fast-ai-howard")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        quote = next(q for q in dataset.quotes if q.id == "launch-fast-ai-howard")
        await pilot.press("y")  # the open quote (focus in its detail)
        copied = app.clipboard
        assert quote.text in copied
        assert "Jeremy Howard" in copied
        assert "2023-12-05" in copied
        assert quote.sources[0] in copied

        await pilot.press("escape", "j", "y")  # in the list: the highlighted quote
        pane = app.pane("quotes")
        other = next(q for q in dataset.quotes if f"quote:{q.id}" == pane.list.current.ref)
        assert other.id != quote.id
        assert other.speaker in app.clipboard
        assert other.text in app.clipboard
        assert other.sources[0] in app.clipboard

        await pilot.press("2", "y")  # a member
        member = pane.dataset.resolve(app.pane("members").list.current.ref)[0]
        assert app.clipboard.startswith(member.name)
        assert member.sources[0] in app.clipboard

        await search(pilot, "nasa")  # a search result
        await move_to(pilot, app.pane("search").list, "member:nasa")
        await pilot.press("y")
        assert app.clipboard.startswith("National Aeronautics and Space Administration (NASA)")


def expected_keys(app: Any) -> set[tuple[str, str]]:
    """(key as the footer writes it, description) of every binding Textual would run for a
    key pressed now, worked out here from Screen.active_bindings, not from the help."""
    from textual.binding import Binding
    from textual.keys import key_to_character
    from textual.widgets import Input

    focused = app.screen.focused
    out = set()
    for key, active in app.screen.active_bindings.items():
        if not active.binding.description:
            continue
        character = key_to_character(key)
        if isinstance(focused, Input) and active.node is not focused and character and character.isprintable():
            continue  # a character typed in the box goes into the box
        out.add((app.get_key_display(Binding(key, "")), active.binding.description))
    return out


def listed_keys(help_list: LineList) -> set[tuple[str, str]]:
    """(key, description) pairs of the help screen's key lines ("  [ / ⌫   Back")."""
    out = set()
    for entry in help_list.entries:
        if not (entry.ref or "").startswith("key:"):
            continue
        keys, description = entry.text.plain[2:22].strip(), entry.text.plain[24:].strip()
        assert keys and description, entry.text.plain  # at least two spaces between them
        out.update((key, description) for key in keys.split(" / "))
    return out


CONTEXTS = {
    "overview list": ("1",),
    "members list": ("2",),
    "members detail": ("2", "enter"),
    "quotes list": ("3",),
    "timeline list": ("4",),
    "search box": ("5",),
    "search results": ("5", "down"),
    "projects list": ("6",),
    "after following a link": ("3", "enter", "enter"),  # a quote, then its member: History back acts
    "timeline detail": ("4", "enter"),
}

# Keys of the context that must be listed there (and are not everywhere): the help follows
# what acts, so these come and go with the place (n/N need hits, [ ] history, { } the timeline).
CONTEXT_KEYS = {
    "overview list": ({"⏎"}, {"esc", "[", "]", "}", "n"}),
    "members list": ({"esc", "p", "f", "s"}, {"[", "}"}),
    "members detail": ({"esc"}, {"[", "]"}),
    "after following a link": ({"esc", "[", "⌫"}, {"]"}),
    "timeline list": ({"esc", "}", "{", "p", "f"}, {"s", "S"}),
}


@pytest.mark.parametrize("context", list(CONTEXTS))
async def test_help_lists_exactly_the_keys_that_act_here(make_app, context):
    app = make_app(build_index=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press(*CONTEXTS[context])
        expected = expected_keys(app)
        assert ("esc", "Back") in expected or context == "search box" or context == "overview list"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        listed = listed_keys(app.screen.query_one("#help", LineList))
        assert listed == expected, f"missing: {sorted(expected - listed)}; not acting here: {sorted(listed - expected)}"
        present, absent = CONTEXT_KEYS.get(context, (set(), set()))
        keys = {key for key, _ in listed}
        assert present <= keys, f"{context}: {sorted(present - keys)} missing from {sorted(keys)}"
        assert not absent & keys, f"{context}: {sorted(absent & keys)} listed but not acting here"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_opens_and_closes_and_follows_the_pane(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for open_key, close_key in (("question_mark", "escape"), ("f1", "q")):
            await pilot.press(open_key)
            assert isinstance(app.screen, HelpScreen)
            await pilot.press(close_key)
            assert not isinstance(app.screen, HelpScreen)
            assert app.is_running
        await pilot.press("2", "question_mark")
        help_list = app.screen.query_one("#help", LineList)
        assert app.focused is help_list
        text = plain(help_list)
        assert "Members pane" in text and "f filters" in text  # the pane's own help text
        assert "^p" in text
        await pilot.press("G")  # it scrolls: the last key is reachable
        assert help_list.current is help_list.entries[-1] or help_list.cursor == max(
            i for i, e in enumerate(help_list.entries) if e.selectable
        )
        await pilot.press("escape", "4", "question_mark")
        assert "Timeline pane" in plain(app.screen.query_one("#help", LineList))


async def test_the_palette_goes_to_a_record(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_fast(pilot, "Fast.ai")

        def options() -> list[str]:
            return [str(o.prompt) for o in app.screen.query_one("OptionList").options]

        await wait_until(pilot, lambda: "Go to member: Fast.ai" in options())
        assert options()[0] == "Go to member: Fast.ai"
        await pilot.press("enter")
        await pilot.pause()
        members = app.pane("members")
        assert app.current_pane is members
        assert members.record.id == "fast-ai"
        assert app.focused is members.detail
        assert app.history == ["member:fast-ai"]

        await pilot.press("ctrl+p")  # its system commands: a year of the timeline
        await type_fast(pilot, "Timeline: 2024")
        await wait_until(pilot, lambda: options() and options()[0].startswith("Timeline: 2024"))
        await pilot.press("enter")
        await pilot.pause()
        timeline = app.pane("timeline")
        assert app.current_pane is timeline
        assert app.dataset.resolve(timeline.list.current.ref)[0].date.year == 2024
        assert timeline.list.entries[timeline.list.cursor - 1].text.plain == "2024"


async def test_q_quits_from_the_top_level(make_app):
    app = make_app(build_index=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("q")
        assert not app.is_running
    assert app.return_code == 0


async def test_q_types_in_the_search_box_and_ctrl_q_quits_from_there(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("slash", "q")
        assert app.is_running
        assert app.pane("search").input.value == "q"
        await pilot.press("ctrl+q")
        assert not app.is_running


async def test_ctrl_q_quits_from_a_dialog(make_app):
    for keys in (("question_mark",), ("2", "f")):
        app: AllianceApp = make_app(build_index=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*keys)
            assert app.screen is not app.screen_stack[0]
            await pilot.press("ctrl+q")
            assert not app.is_running, keys
