"""Back and Forward ([ ] and Backspace) return to where the user was, not to the top of a record.

Each history entry keeps the scroll of its record's detail, the link selected in it and the
list's cursor; Back first returns to the record just left (after Esc, a pane key or a tab),
then goes further back.
"""

from __future__ import annotations

from typing import Any

from tui_helpers import move_to, ready

from tui.widgets.line_list import LineList


def shown(app: Any) -> str:
    record = app.current_pane.record
    return f"{record.kind}:{record.id}"


def last_record_link(detail: LineList) -> str:
    """The ref of the detail's last link to a record (the links after it are URLs)."""
    return [e.ref for e in detail.entries if e.ref and not e.ref.startswith("http")][-1]


async def test_back_and_forward_restore_the_scroll_and_the_selected_link(make_app):
    app = make_app(open_ref="member:ibm", build_index=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        members = app.pane("members")
        detail = members.detail
        assert app.focused is detail
        link = last_record_link(detail)  # far down IBM's long detail
        await pilot.press("G")  # the last link (a source), then up to the record
        await move_to(pilot, detail, link, key="k")
        a_top, a_cursor = detail.scroll_offset.y, detail.cursor
        assert a_top > 0
        await pilot.press("enter")  # follow it: the record opens in its own pane
        assert app.current_pane is not members
        assert shown(app) == link
        b_detail = app.current_pane.detail
        await pilot.press("G")  # the event's last link, its detail scrolled down
        b_top, b_cursor = b_detail.scroll_offset.y, b_detail.cursor
        assert b_cursor != next(i for i, e in enumerate(b_detail.entries) if e.ref)  # not its first link

        await pilot.press("left_square_bracket")
        assert shown(app) == "member:ibm"
        assert app.focused is detail
        assert detail.cursor == a_cursor  # the link followed is selected again
        assert detail.current.ref == link
        assert detail.scroll_offset.y == a_top  # not the top of IBM's detail
        assert members.list.current.ref == "member:ibm"

        await pilot.press("right_square_bracket")
        assert shown(app) == link
        assert app.focused is b_detail
        assert b_detail.cursor == b_cursor  # B as it was left
        assert b_detail.scroll_offset.y == b_top

        await pilot.press("backspace")  # Backspace is Back too, with the same memory
        assert shown(app) == "member:ibm"
        assert (detail.scroll_offset.y, detail.cursor) == (a_top, a_cursor)


async def test_back_first_returns_to_the_record_just_left(make_app):
    app = make_app(open_ref="member:ibm", build_index=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # IBM's first link: a quote
        quote = shown(app)
        assert quote.startswith("quote:")
        assert app.history == ["member:ibm", quote]
        await pilot.press("j", "j")  # somewhere in the quote
        where = (app.pane("quotes").detail.scroll_offset.y, app.pane("quotes").detail.cursor)

        await pilot.press("1")  # away to the Overview
        assert app.current_pane.id == "overview"
        await pilot.press("left_square_bracket")  # back to the quote just left, as it was
        assert shown(app) == quote
        assert app.focused is app.pane("quotes").detail
        assert (app.pane("quotes").detail.scroll_offset.y, app.pane("quotes").detail.cursor) == where
        await pilot.press("left_square_bracket")  # then further back
        assert shown(app) == "member:ibm"

        await pilot.press("right_square_bracket", "2")  # away to IBM's pane, its detail still open
        assert app.focused is app.pane("members").detail
        await pilot.press("left_square_bracket")  # the quote just left, not what is behind IBM
        assert shown(app) == quote

        await pilot.press("right_square_bracket", "escape")  # Esc: from the quote's detail to its list
        assert app.focused is app.pane("quotes").list
        await pilot.press("left_square_bracket")  # back into the quote
        assert shown(app) == quote
        assert app.focused is app.pane("quotes").detail
        assert app.history == ["member:ibm", quote]  # returning added nothing


async def test_back_from_the_results_after_esc_goes_further_back(make_app):
    """Esc from a search hit to the results is a step back: Forward reopens the hit."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        from tui_helpers import search

        pane = await search(pilot, "nasa")
        await pilot.press("enter")  # open the first hit
        hit = shown(app)
        await pilot.press("escape")  # back to the results
        assert app.focused is pane.list
        await pilot.press("right_square_bracket")
        assert shown(app) == hit
        await pilot.press("backspace")
        assert app.current_pane is pane
        assert app.focused is pane.list
        assert pane.list.current.ref == hit


async def test_history_keys_act_and_show_only_where_history_goes(make_app):
    """`[` with nothing behind, `]` with nothing ahead: not in the footer or the help, and the
    key says why nothing happens."""
    app = make_app(build_index=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)

        def active() -> set[str]:
            return {b.binding.description for b in app.screen.active_bindings.values()}

        assert "History back" not in active() and "History forward" not in active()
        await pilot.press("left_square_bracket")
        assert "Nothing to go back to" in [n.message for n in app._notifications]
        await pilot.press("2", "enter")
        assert "History back" not in active()  # one record: nothing before it
        await pilot.press("enter")  # a link
        assert "History back" in active() and "History forward" not in active()
        await pilot.press("left_square_bracket")
        assert "History forward" in active()
