"""Moving around: panes (keys and tabs), list keys, Enter on entries and links, Esc, history, --open."""

from __future__ import annotations

import json
from typing import Any

from textual.widgets import Tabs
from tui_helpers import move_to, ready, rendered

from tui.app import PANES
from tui.panes.search import SearchInput


def notifications(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


def shown(app: Any) -> str:
    record = app.current_pane.record
    return f"{record.kind}:{record.id}"


async def test_number_keys_and_tabs_switch_panes(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.current_pane.id == "overview"
        assert app.focused is app.pane("overview").list
        for key, name in zip("1234", PANES[:4], strict=True):
            await pilot.press(key)
            assert app.current_pane.id == name
            assert app.query_one("#tabs", Tabs).active == f"tab-{name}"
            assert app.focused is app.pane(name).list
        await pilot.press("5")
        assert app.current_pane.id == "search"
        assert app.query_one("#tabs", Tabs).active == "tab-search"
        assert isinstance(app.focused, SearchInput)
        await pilot.press("2")  # in the box, a digit is text, not a pane key
        assert app.current_pane.id == "search"
        assert app.pane("search").input.value == "2"

        for name in ("quotes", "overview"):  # the mouse: a click on a tab
            assert await pilot.click(f"#tab-{name}")
            await pilot.pause()
            assert app.current_pane.id == name
            assert app.focused is app.pane(name).list


async def test_a_pane_keeps_its_open_record_while_you_look_elsewhere(make_app):
    """And the focus in its detail."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2", "j", "enter")
        members = app.pane("members")
        opened = members.record
        assert app.focused is members.detail
        await pilot.press("3", "2")
        assert app.focused is members.detail
        assert members.record is opened


async def test_slash_focuses_the_search_box_from_every_pane(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for key in "1234":
            await pilot.press(key, "slash")
            assert app.current_pane.id == "search"
            assert isinstance(app.focused, SearchInput), key
        await pilot.press("escape", "2", "enter")  # from an open detail too
        assert app.focused is app.pane("members").detail
        await pilot.press("slash")
        assert isinstance(app.focused, SearchInput)
        await pilot.press("o", "a", "backspace")  # typing goes into the box; Backspace edits it
        assert app.pane("search").input.value == "o"
        assert app.current_pane.id == "search"  # Backspace is not "back" in the box


async def test_list_keys_move_the_cursor(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        pane = app.pane("members")
        members = pane.visible_members()
        lst = pane.list
        assert len(members) > 40
        assert lst.cursor == 0
        assert pane.record.id == members[0].id

        await pilot.press("j")
        assert lst.cursor == 1
        assert pane.record.id == members[1].id  # the detail previews the highlighted member
        await pilot.press("down")
        assert lst.cursor == 2
        await pilot.press("k")
        assert lst.cursor == 1
        await pilot.press("up", "k")  # stops at the first
        assert lst.cursor == 0

        await pilot.press("G")
        assert lst.cursor == len(members) - 1
        assert pane.record.id == members[-1].id
        assert lst.scroll_offset.y > 0
        assert members[-1].name[:20] in rendered(lst)  # scrolled into view
        await pilot.press("g")
        assert lst.cursor == 0
        assert lst.scroll_offset.y == 0
        await pilot.press("end")
        assert lst.cursor == len(members) - 1
        await pilot.press("home")
        assert lst.cursor == 0

        page = lst.scrollable_content_region.height - 1
        assert page > 4
        await pilot.press("pagedown")
        assert lst.cursor == page
        await pilot.press("pagedown")
        assert lst.cursor == 2 * page
        await pilot.press("pageup")
        assert lst.cursor == page
        await pilot.press("ctrl+d")
        assert lst.cursor == page + page // 2
        await pilot.press("ctrl+u")
        assert lst.cursor == page
        await pilot.press("pageup", "pageup")
        assert lst.cursor == 0
        await pilot.press("end", "pagedown", "ctrl+d")  # nothing beyond the last
        assert lst.cursor == len(members) - 1


async def test_enter_opens_the_record_and_escape_backs_out(make_app, dataset):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        overview = app.pane("overview").list
        first = dataset.alliance.founders[0]
        assert overview.current.ref == f"member:{first}"  # the cursor starts on the first link
        await pilot.press("enter")  # a founder, in the overview: opens in the Members pane
        assert app.current_pane.id == "members"
        assert app.pane("members").record.id == first
        assert app.focused is app.pane("members").detail
        await pilot.press("escape", "escape")  # detail, then list: back to the overview
        assert app.current_pane.id == "overview"
        app.history.clear()

        await pilot.press("2", "g", "j", "enter")
        pane = app.pane("members")
        member = pane.visible_members()[1]
        assert pane.record.id == member.id
        assert app.focused is pane.detail
        assert pane.has_class("-detail-open")
        assert pane.detail.entries[0].text.plain == member.name
        assert app.history == [f"member:{member.id}"]
        await pilot.press("escape")
        assert app.focused is pane.list
        assert not pane.has_class("-detail-open")
        assert pane.list.cursor == 1  # still on the member
        await pilot.press("escape")  # from a list: up to the overview
        assert app.current_pane.id == "overview"
        await pilot.press("escape")  # the overview is the top: nothing happens
        assert app.current_pane.id == "overview"
        assert app.is_running


async def test_open_ref_then_enter_on_links_in_the_detail(make_app, dataset):
    """`alliance --open member:nasa` starts on NASA's detail; Enter follows a link, copies a URL."""
    app = make_app(open_ref="member:nasa")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = app.pane("members")
        detail = pane.detail
        assert app.current_pane is pane
        assert pane.record.id == "nasa"
        assert pane.list.current.ref == "member:nasa"
        assert app.focused is detail
        assert detail.entries[0].text.plain == "National Aeronautics and Space Administration"
        assert app.history == ["member:nasa"]

        assert detail.current.ref == "quote:launch-nasa-murphy"  # the cursor starts on the first link
        await pilot.press("enter")
        assert app.current_pane.id == "quotes"
        assert app.pane("quotes").record.id == "launch-nasa-murphy"
        assert app.focused is app.pane("quotes").detail
        assert app.history == ["member:nasa", "quote:launch-nasa-murphy"]

        await pilot.press("left_square_bracket")
        assert shown(app) == "member:nasa"
        url = dataset.member("nasa").sources[-1]
        await pilot.press("G")  # the last link: the last source
        assert detail.current.ref == url
        await pilot.press("enter")
        assert app.clipboard == url
        assert shown(app) == "member:nasa"  # a URL is copied, not opened
        assert any(url in message for message in notifications(app))


async def test_opening_a_record_shows_the_top_of_its_detail(make_app):
    """The detail of a record just opened starts with its title (the name of what you opened).

    The cursor goes to the first link of the detail, 20+ lines down for Fast.ai. set_entries
    keeps the detail at its top, but the detail is resized right after (its pane is shown,
    its scrollbar appears) and LineList.on_resize scrolls the cursor into view: the title,
    id and first fields are off screen.
    """
    app = make_app(open_ref="member:fast-ai")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        detail = app.pane("members").detail
        assert detail.entries[0].text.plain == "Fast.ai"
        assert detail.current.ref == "quote:launch-fast-ai-howard"
        assert detail.scroll_offset.y == 0
        assert rendered(detail).splitlines()[0].strip() == "Fast.ai"

        # In a detail, j/k scroll line by line (like a pager) until the next link shows.
        await pilot.press("j")
        assert detail.scroll_offset.y == 1
        assert detail.current.ref == "quote:launch-fast-ai-howard"
        await pilot.press("k")
        assert detail.scroll_offset.y == 0
        await pilot.press("G")
        assert detail.current.ref == detail.entries[-1].ref  # the last link: the last source
        assert detail.scroll_offset.y > 0


async def test_follow_a_quote_to_its_member_and_back(make_app):
    app = make_app(open_ref="quote:launch-fast-ai-howard")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        quotes = app.pane("quotes")
        assert app.current_pane is quotes
        assert quotes.record.id == "launch-fast-ai-howard"
        assert app.focused is quotes.detail
        await move_to(pilot, quotes.detail, "member:fast-ai")
        await pilot.press("enter")
        members = app.pane("members")
        assert app.current_pane is members
        assert members.record.id == "fast-ai"
        assert members.list.current.ref == "member:fast-ai"
        assert "Fast.ai" in rendered(members.list)
        assert members.detail.entries[0].text.plain == "Fast.ai"
        assert app.focused is members.detail

        await pilot.press("left_square_bracket")
        assert app.current_pane is quotes
        assert quotes.record.id == "launch-fast-ai-howard"
        assert "Jeremy Howard" in rendered(quotes.detail)
        await pilot.press("right_square_bracket")
        assert app.current_pane is members
        assert members.record.id == "fast-ai"


async def test_history_goes_back_and_forward_like_a_browser(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for ref in ("member:nasa", "member:ibm", "quote:launch-fast-ai-howard"):
            app.follow(ref)  # what Enter on a link does
            await pilot.pause()
        visited = ["member:nasa", "member:ibm", "quote:launch-fast-ai-howard"]
        assert app.history == visited

        await pilot.press("left_square_bracket")
        assert shown(app) == "member:ibm"
        await pilot.press("backspace")
        assert shown(app) == "member:nasa"
        await pilot.press("left_square_bracket")  # nothing before the first
        assert shown(app) == "member:nasa"
        assert "Nothing to go back to" in notifications(app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert shown(app) == "quote:launch-fast-ai-howard"
        await pilot.press("right_square_bracket")
        assert shown(app) == "quote:launch-fast-ai-howard"
        assert "No further history" in notifications(app)
        assert app.history == visited  # moving through it kept it

        app.follow("member:no-such-member")  # a dead link: a warning, no history
        await pilot.pause()
        assert shown(app) == "quote:launch-fast-ai-howard"
        assert app.history == visited
        assert any("no-such-member" in m for m in notifications(app))

        # Going somewhere new after going back drops the forward part, as in a browser.
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert shown(app) == "member:nasa"
        event = f"event:{app.dataset.events[0].id}"
        app.follow(event)
        await pilot.pause()
        assert app.history == ["member:nasa", event]
        await pilot.press("right_square_bracket")
        assert shown(app) == event
        await pilot.press("backspace")
        assert shown(app) == "member:nasa"


async def test_preview_is_off_by_default_and_p_turns_it_on(make_app, isolated):
    """Moving the cursor does not repaint the detail unless asked (bytes over slow links)."""
    app = make_app(preview=False, build_index=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "j")
        await pilot.pause()
        pane = app.pane("members")
        assert pane.record is None  # the cursor moved, the detail did not follow
        # The detail holds what it holds with nothing open (the list's facets beside it).
        assert "opens it here" in "\n".join(e.text.plain for e in pane.detail.entries)
        await pilot.press("p")
        await pilot.pause()
        assert pane.record is not None and f"member:{pane.record.id}" == pane.list.current.ref
        await pilot.press("j")
        await pilot.pause()
        assert f"member:{pane.record.id}" == pane.list.current.ref  # now it follows
    assert json.loads((isolated / "config.json").read_text())["preview"] is True
