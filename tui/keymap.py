"""The app-wide keymap; the tabs show 1-6, so the footer keeps its room for the other keys.

Pane keys live with their panes (f, s, t, { }, p), list keys with LineList
(j/k, g/G, PgUp/PgDn, ctrl+d/u, Enter); together they make the help screen. The footer
(tui/footer.py) shows those that act here, as many as fit, by FOOTER_RANK. Descriptions are
marked N_ and translated where shown (the language can change while the explorer runs).
"""

from __future__ import annotations

from textual.binding import Binding

from index.i18n import N_

APP_BINDINGS: list[Binding] = [
    # Priority: checked as keys arrive, so the keys typed in the same burst as a pane key
    # ("2\\univ", "/nasa", "5open") reach the pane just shown, its list or the search box
    # (the actions type the key instead when a text box has focus).
    Binding("1", "pane('overview')", N_("Overview"), show=False, priority=True, id="pane.overview"),
    Binding("2", "pane('members')", N_("Members"), show=False, priority=True, id="pane.members"),
    Binding("3", "pane('quotes')", N_("Quotes"), show=False, priority=True, id="pane.quotes"),
    Binding("4", "pane('timeline')", N_("Timeline"), show=False, priority=True, id="pane.timeline"),
    Binding("5", "pane('search')", N_("Search"), show=False, priority=True, id="pane.search"),
    Binding("6", "pane('projects')", N_("Projects"), show=False, priority=True, id="pane.projects"),
    Binding("slash", "search", N_("Search"), priority=True, id="search.focus"),
    # n/N and [ ] act (and show in the footer) only where they can: AllianceApp.check_action.
    # Where they cannot, the next binding of the key (no description: not in the help)
    # says why nothing happens.
    Binding("n", "hit(1)", N_("Next hit"), id="hit.next"),
    Binding("N", "hit(-1)", N_("Previous hit"), id="hit.previous"),
    Binding("n,N", "no_hits", "", show=False, id="hit.none"),
    Binding("left_square_bracket,backspace", "history(-1)", N_("History back"), id="history.back"),
    Binding("right_square_bracket", "history(1)", N_("History forward"), id="history.forward"),
    Binding("left_square_bracket,backspace", "no_history(-1)", "", show=False, id="history.none_back"),
    Binding("right_square_bracket", "no_history(1)", "", show=False, id="history.none_forward"),
    Binding("y", "copy", N_("Copy"), id="copy.citation"),
    Binding("p", "toggle_preview", N_("Preview"), show=False, id="preview.toggle"),
    Binding("question_mark,f1", "help", N_("Help"), id="help.show"),
    # In the app's raw mode ctrl+z is a key, not SIGTSTP: suspend as the shell would.
    Binding("ctrl+z", "suspend_process", N_("Suspend"), show=False, id="app.suspend"),
    Binding("q", "quit", N_("Quit"), id="app.quit"),
    Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True, id="app.quit_anywhere"),
    # ctrl+c quits at once, as in fzf, htop and k9s, from anywhere: the search box too (there
    # it would copy a selection, which the box hardly ever has; y copies citations), and
    # dialogs. Textual binds it to a "press ctrl+q to quit" notice.
    Binding("ctrl+c", "quit", N_("Quit"), show=False, priority=True, id="app.quit_ctrl_c"),
]

# What the footer keeps when the terminal is too narrow for every key that acts: lower
# first; the rest (a pane's own keys: f, s, { }, t…) rank at FOOTER_DEFAULT.
FOOTER_RANK: dict[str, int] = {
    "help.show": 0,
    "app.quit": 1,
    "pane.back": 2,
    "search.leave": 2,
    "list.open": 3,
    "hit.next": 5,
    "history.back": 6,
    "hit.previous": 7,
    "history.forward": 7,
    "pane.preview": 8,
    "search.focus": 9,  # the tabs show 5 Search
    "copy.citation": 9,
}
FOOTER_DEFAULT = 4

# Descriptions of Textual's own bindings (lists, inputs, the palette, scrolling), which the
# help and the footer show translated: marked here for the catalog.
TEXTUAL_KEYS = (
    N_("Copy selected text"),
    N_("Cut selected text"),
    N_("Delete all to the left"),
    N_("Delete all to the right"),
    N_("Delete character left"),
    N_("Delete character right"),
    N_("Delete left to start of word"),
    N_("Delete right to start of word"),
    N_("Down"),
    N_("Exit the command palette"),
    N_("First"),
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Go to bottom"),
    N_("Go to end"),
    N_("Go to start"),
    N_("Go to top"),
    N_("Last"),
    N_("Move cursor left"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor left and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Move cursor right and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Next command"),
    N_("Next page"),
    N_("Next tab"),
    N_("Page Down"),
    N_("Page Left"),
    N_("Page Right"),
    N_("Page Up"),
    N_("Paste text from the clipboard"),
    N_("Previous command"),
    N_("Previous page"),
    N_("Previous tab"),
    N_("Scroll Down"),
    N_("Scroll End"),
    N_("Scroll Home"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Scroll Up"),
    N_("Select"),
    N_("Select all"),
    N_("Select line end"),
    N_("Select line start"),
    N_("Submit"),
    N_("Up"),
    N_("palette"),
)
