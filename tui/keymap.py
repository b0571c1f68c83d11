"""The app-wide keymap. Every binding has an id, so users could remap it (App.set_keymap).

Pane keys live with their panes (f, s, t, { }), list keys with LineList
(j/k, g/G, PgUp/PgDn, ctrl+d/u, Enter); together they make the help screen.
"""

from __future__ import annotations

from textual.binding import Binding

APP_BINDINGS: list[Binding] = [
    Binding("1", "pane('overview')", "Overview", id="pane.overview"),
    Binding("2", "pane('members')", "Members", id="pane.members"),
    Binding("3", "pane('quotes')", "Quotes", id="pane.quotes"),
    Binding("4", "pane('timeline')", "Timeline", id="pane.timeline"),
    Binding("5", "pane('search')", "Search", show=False, id="pane.search"),
    Binding("slash", "search", "Search", id="search.focus"),
    Binding("n", "hit(1)", "Next hit", show=False, id="hit.next"),
    Binding("N", "hit(-1)", "Previous hit", show=False, id="hit.previous"),
    Binding("left_square_bracket,backspace", "history(-1)", "Back", show=False, id="history.back"),
    Binding("right_square_bracket", "history(1)", "Forward", show=False, id="history.forward"),
    Binding("y", "copy", "Copy citation", id="copy.citation"),
    Binding("question_mark,f1", "help", "Help", id="help.show"),
    Binding("q", "quit", "Quit", id="app.quit"),
    Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit_anywhere"),
]
