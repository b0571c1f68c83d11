"""Keys that arrive together (a paste, fast typing, a laggy SSH link delivering several keys in
one read): each key must act where the previous ones led, and the app must settle.

`burst` queues every key at once, as the terminal driver does when one read holds several keys.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Tabs
from tui_helpers import burst, ready

from tui.panes.search import SearchInput


def count_pane_switches(app: Any) -> list[str]:
    """Record every show_pane call of this app (on the instance only)."""
    calls: list[str] = []
    show_pane = app.show_pane

    def recording(name: str, *, focus: bool = True) -> None:
        calls.append(name)
        show_pane(name, focus=focus)

    app.show_pane = recording
    return calls


async def test_keys_after_a_pane_key_and_enter_land_where_they_led(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await burst(pilot, "2", "j", "enter", "j")
        members = app.pane("members")
        assert app.current_pane is members
        assert members.record.id == members.visible_members()[1].id
        assert app.focused is members.detail


async def test_text_typed_right_after_slash_goes_into_the_box(make_app):
    """`/how` in one read: the box gets "how" (base.focus_now says keys typed right after a
    pane switch must reach the widget just focused).

    The App routes each key to the widget focused when it dequeues the key; all four keys
    are routed to the list before `/` (a binding, run when the list handles its key) moves
    the focus. Bindings still work (they follow the focus chain at handling time), but text
    is not a binding: "h", "o", "w" reach the list, which drops them.
    """
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await burst(pilot, "slash", "h", "o", "w")
        assert isinstance(app.focused, SearchInput)
        assert app.pane("search").input.value == "how"


async def test_two_pane_keys_in_one_burst_end_on_the_last_pane(make_app):
    """`2` then `1` in one read: the Overview shows, and stays.

    show_pane sets Tabs.active, and Tabs posts TabActivated later; when it arrives the
    switcher already shows the next pane, so on_tabs_tab_activated switches back, which
    posts another TabActivated, and so on: the panes swap forever (about 100 switches a
    second) and, at exit, a queued TabActivated fails with NoMatches('#panes').
    """
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        switches = count_pane_switches(app)
        await burst(pilot, "2", "1")
        await pilot.pause(0.1)
        settled = len(switches)
        await pilot.pause(0.15)
        assert app.current_pane.id == "overview"
        assert app.query_one("#tabs", Tabs).active == "tab-overview"
        assert len(switches) == settled, f"still switching: {switches[settled : settled + 6]}…"
        assert settled <= 3, switches[:8]


async def test_escape_right_after_enter_closes_the_detail(make_app):
    """Enter then Esc in one read: the detail opens and closes; the pane stays.

    Enter moves the focus to the detail at once (screen.focused), but Widget.has_focus only
    turns true when the Focus event is processed; ListDetailPane.action_back tests
    `self.detail.has_focus`, finds it false and backs out of the pane to the Overview.
    """
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        members = app.pane("members")
        await burst(pilot, "enter", "escape")
        assert app.current_pane is members
        assert app.focused is members.list
        assert not members.has_class("-detail-open")
