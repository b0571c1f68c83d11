"""The app-wide keymap; the tabs show 1-6, so the footer keeps its room for the other keys.

Pane keys live with their panes (f, s, t, { }), list keys with LineList
(j/k, g/G, PgUp/PgDn, ctrl+d/u, Enter); together they make the help screen.
"""

from __future__ import annotations

from textual.binding import Binding

APP_BINDINGS: list[Binding] = [
    Binding("1", "pane('overview')", "Overview", show=False, id="pane.overview"),
    Binding("2", "pane('members')", "Members", show=False, id="pane.members"),
    Binding("3", "pane('quotes')", "Quotes", show=False, id="pane.quotes"),
    Binding("4", "pane('timeline')", "Timeline", show=False, id="pane.timeline"),
    # Priority: checked as keys arrive, so text typed in the same burst as "/" or "5"
    # already lands in the search box (the actions type the key when a box has focus).
    Binding("5", "pane('search')", "Search", show=False, priority=True, id="pane.search"),
    Binding("6", "pane('projects')", "Projects", show=False, id="pane.projects"),
    Binding("slash", "search", "Search", priority=True, id="search.focus"),
    Binding("n", "hit(1)", "Next hit", show=False, id="hit.next"),
    Binding("N", "hit(-1)", "Previous hit", show=False, id="hit.previous"),
    Binding("left_square_bracket,backspace", "history(-1)", "Back", show=False, id="history.back"),
    Binding("right_square_bracket", "history(1)", "Forward", show=False, id="history.forward"),
    Binding("y", "copy", "Copy", id="copy.citation"),
    Binding("p", "toggle_preview", "Preview", show=False, id="preview.toggle"),
    Binding("question_mark,f1", "help", "Help", id="help.show"),
    # In the app's raw mode ctrl+z is a key, not SIGTSTP: suspend as the shell would.
    Binding("ctrl+z", "suspend_process", "Suspend", show=False, id="app.suspend"),
    Binding("q", "quit", "Quit", id="app.quit"),
    Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit_anywhere"),
]
