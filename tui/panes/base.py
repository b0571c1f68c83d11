"""A pane with a list on the left and the highlighted record's detail on the right.

Enter opens the highlighted record in the detail (focus moves there, where linked
records and sources are selectable); with preview on (`p`), the detail follows the
cursor instead. Esc in the detail goes back to the list. On narrow terminals only one
of the two shows at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Static

from index import Dataset, Record
from index.forms import number
from index.i18n import N_, _, language

from ..explorer import BackOut, HitContext, OpenRef
from ..render import detail_entries, para
from ..widgets.line_list import Entry, LineList

if TYPE_CHECKING:
    from textual.timer import Timer

    from ..widgets.narrow import Narrowing, NarrowInput

# What ListDetailPane.prepared computed in a worker: (dataset, the pane's results), or None.
Prepared = tuple[Dataset, Any] | None

NARROW_AT_ONCE = 5000  # rows; above, narrowing waits for a pause in the typing (one pass per burst)
NARROW_PAUSE = 0.06  # seconds

# Translated when shown (the language may change while the explorer runs): see empty_hint().
EMPTY_HINTS = (
    N_("Enter opens the highlighted record here."),
    N_(
        "p turns on preview: the detail then follows the cursor. It is off by default because "
        "each preview repaints this side, kilobytes per key over a slow SSH link."
    ),
)


def empty_hint() -> list[Entry]:
    """What the detail says while no record is open (when it shows no facets)."""
    return [para(_(hint), "line-list--dim") for hint in EMPTY_HINTS]


def count(n: int) -> str:
    """A count in a title: in English as it always was ('40000'), in French grouped ('40 000')."""
    return str(n) if language() == "en" else number(n)


LIST_GUTTER = 3  # a list's padding (1 + 1) and its scrollbar
DETAIL_MIN = 40  # beside a list sized to its columns, the detail keeps a third of the width, at least this


def narrow_at(widget: Widget, width: int) -> bool:
    """The app's breakpoint for a pane `width` wide (as wide as the screen): only one of
    list and detail shows. Read from the width, not the screen's class, which a resize
    sets after the first layout pass."""
    name = ""
    for threshold, breakpoint in getattr(widget.app, "HORIZONTAL_BREAKPOINTS", None) or []:
        if width >= threshold:
            name = breakpoint
    return name == "-narrow"


def focus_now(widget: Widget) -> None:
    """Focus at once, not after the next refresh: keys typed right after a pane switch
    (fast typists, pasted keys, tmux send-keys) must reach the widget just focused."""
    widget.screen.set_focus(widget)


class ListDetailPane(Vertical):
    """Base for the Overview, Members, Quotes and Timeline panes."""

    WRAP_LIST: ClassVar[bool] = False  # lists are one line per row; the overview wraps its prose
    NARROWS: ClassVar[bool] = False  # `\` narrows the list as you type (lists of records, not prose)
    # The empty detail of a wide screen depends on the detail's width (bars): drawn again on resize.
    GLANCE: ClassVar[bool] = False
    HELP = N_("Move with j/k, open with Enter, go back with Esc.")  # in English: help_text() translates

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "back", N_("Back"), id="pane.back"),
        # In the footer where it matters, the list; elsewhere the app's p (not shown) acts.
        Binding("p", "preview", N_("Preview"), id="pane.preview"),
        Binding("e", "export", N_("Export the list"), show=False, id="pane.export"),
        # Priority: the box must have the focus before the next key of a burst is routed.
        Binding("backslash", "narrow", N_("Narrow"), show=False, priority=True, id="list.narrow"),
    ]

    def __init__(self, dataset: Dataset | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dataset = dataset
        self.record: Record | None = None
        self.hit: HitContext | None = None  # set while the detail shows a search hit
        # Set by the app: the detail follows the list's cursor (p toggles it).
        self.preview = False
        # Set by the app: called before the detail leaves its record, so the history can
        # keep where the user was in it (scroll, selected link).
        self.before_leaving: Callable[[], None] | None = None
        self._populated = False
        self.narrow_text = ""  # what `\` narrows the list to ("" : not narrowed)
        self._narrowing: Narrowing | None = None  # the built entries, narrowed without rebuilding
        self._narrow_box: NarrowInput | None = None  # mounted on first use
        self._narrow_timer: Timer | None = None
        self._title = ""  # title_text() as of the last refresh_list

    def compose(self) -> ComposeResult:
        yield Static(Text(""), classes="pane-title", markup=False)
        with Horizontal(classes="split"):
            yield LineList(id="list", classes="list", wrap=self.WRAP_LIST)
            yield LineList(id="detail", classes="detail")

    def help_text(self) -> str:
        """HELP in the interface's language (the help screen's text for this pane)."""
        return _(self.HELP)

    @property
    def list(self) -> LineList:
        return self.query_one("#list", LineList)

    @property
    def detail(self) -> LineList:
        return self.query_one("#detail", LineList)

    def set_title(self, text: str) -> None:
        # No layout pass: the title is one line as wide as the pane whatever it says (its CSS),
        # and a layout of the whole screen per search keystroke is most of a keystroke's cost.
        self.query_one(".pane-title", Static).update(Text(text), layout=False)

    def on_mount(self) -> None:
        for line_list in (self.list, self.detail):
            line_list.on_activate = self.activate
        if self.dataset is None:  # the app is still reading the data files
            self.list.set_entries([para(_("Loading the data…"), "line-list--dim")])

    def populate(self) -> None:
        """Build the list the first time the pane is needed, not at start-up.

        At 100,000 records the four lists cost more than everything the first frame needs.
        """
        if not self._populated and self.dataset is not None and self.is_mounted:
            self._populated = True
            self.refresh_list()
            if self.record is None:
                self.detail.set_entries(self.empty_detail())

    def on_show(self) -> None:
        self.populate()

    def set_dataset(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._populated = False
        if self.is_mounted and self.display:
            self.populate()

    # -- to override ----------------------------------------------------

    def list_entries(self) -> Sequence[Entry]:
        """The list's entries: a list, or Rows (each made when drawn) for long lists."""
        return []

    def title_text(self) -> str:
        return ""

    # -- columns from the width (lists whose rows are tables: members, timeline) ---------

    def choose_columns(self, room: int, narrow: bool) -> Any:
        """The rows' columns for `room` cells (None: rows are not a table). `narrow`: the list
        is alone on the screen (else the detail is beside it)."""
        return None

    def lay_out(self, width: int, *, rebuild: bool = True) -> None:
        """Choose the columns for a pane `width` wide and size the list: alone (narrow
        screens) it takes the whole width; beside the detail, what its columns need, the
        detail the rest (a third at least). Rows are built again only when the columns change."""
        if not width:
            return
        narrow = narrow_at(self, width)
        room = width - LIST_GUTTER if narrow else width - max(DETAIL_MIN, width // 3) - LIST_GUTTER
        columns = self.choose_columns(room, narrow)
        if columns is None:
            return
        self.list.styles.width = None if narrow else columns.width + LIST_GUTTER  # None: the stylesheet's
        if columns != self.columns:
            self.columns = columns
            if rebuild and self._populated:
                self.refresh_list()

    def prepared(self) -> Prepared:
        """What a first visit needs, computed from the dataset alone: (dataset, results), or
        None. A worker thread calls this once the data is there, while the user reads the
        Overview; it only reads (the UI thread keeps the results: `adopt`)."""
        return None

    def adopt(self, prepared: Prepared) -> None:
        """On the UI thread: keep what `prepared` computed, unless the dataset changed or a
        visit that came first computed it already."""

    def empty_detail(self) -> list[Entry]:
        """What the detail shows while no record is open (the Overview: its dashboard; the
        lists: their facets at a glance, see GLANCE)."""
        return empty_hint()

    def on_resize(self) -> None:
        if self.GLANCE and self._populated and self.record is None:
            # After this layout pass, when the detail's width (the bars' room) is known.
            self.call_after_refresh(self._redraw_glance)

    def _redraw_glance(self) -> None:
        if self.record is None:
            self.detail.set_entries(self.empty_detail())

    # -- behaviour ------------------------------------------------------

    def refresh_list(self, keep: str | None = None) -> None:
        current = keep or (self.list.current.ref if self.list.current else None)
        entries = self.list_entries()
        if self.NARROWS:
            from ..widgets.narrow import Narrowing

            self._narrowing = Narrowing(entries)
            if self.narrow_text:
                entries = self._narrowing.narrowed(self.narrow_text)
        self.list.set_entries(entries, keep=current)
        self._title = self.title_text()
        self.set_title(self._title + self.narrow_note())

    def preview_current(self) -> None:
        """Show the highlighted list entry's record in the detail (preview mode)."""
        current = self.list.current
        if current is not None and current.ref and self.dataset is not None:
            found = self.dataset.resolve(current.ref)
            # Not again for the record shown: that would lose where the reader is in it (a
            # record just opened, or restored by Back, highlights its row after the fact).
            if found and found[0] is not self.record:
                self.show_detail(found[0])

    def show_detail(self, record: Record | None) -> None:
        if self.before_leaving is not None and self.record is not None and self.record is not record:
            self.before_leaving()
        self.record = record
        if self.hit is not None and (record is None or f"{record.kind}:{record.id}" != self.hit.ref):
            self.hit = None  # another record: no longer the search hit
        if record is None or self.dataset is None:
            self.detail.set_entries(self.empty_detail())
            return
        self.detail.set_entries(self.detail_entries(record))

    def detail_entries(self, record: Record) -> list[Entry]:
        assert self.dataset is not None
        return detail_entries(record, self.dataset, hit=self.hit)

    def on_line_list_highlighted(self, message: LineList.Highlighted) -> None:
        if message.line_list is self.list and self.preview:
            self.preview_current()

    def activate(self, entry: Entry) -> None:
        if entry.ref:
            self.post_message(OpenRef(entry.ref))

    def open(self, record: Record, hit: HitContext | None = None) -> bool:
        """Show a record of this pane's kind: select it in the list, focus its detail.

        With `hit`, a search hit: the detail says which, marks the matched words, and Esc
        in it goes back to the results."""
        self.hit = hit
        self.populate()
        if not self.list.select_ref(f"{record.kind}:{record.id}"):
            self.make_visible(record)
            self.list.select_ref(f"{record.kind}:{record.id}")
        self.show_detail(record)
        self.add_class("-detail-open")
        focus_now(self.detail)
        return True

    def make_visible(self, record: Record) -> None:
        """Clear whatever hides the record from the list (narrowing, filters)."""
        if self.narrow_text:
            self.set_narrow("", keep=f"{record.kind}:{record.id}")

    def focused(self, widget: Widget) -> bool:
        """Focus as of now (has_focus only changes when the Focus event is handled)."""
        return self.screen.focused is widget

    async def action_preview(self) -> None:
        await self.app.run_action("toggle_preview")

    def action_back(self) -> None:
        if self.close_detail():
            return
        if self.narrow_text and self.focused(self.list):
            self.set_narrow("")  # one level at a time: the narrowing first, then the pane
            return
        self.post_message(BackOut())

    def close_detail(self) -> bool:
        """Esc in the detail: back to the list, or to the search results it was opened
        from. False if the detail has not the focus."""
        if not self.focused(self.detail):
            return False
        self.remove_class("-detail-open")
        focus_now(self.list)
        if self.hit is not None:
            self.hit = None
            self.post_message(BackOut(to="search"))
        return True

    def export_refs(self) -> list[str]:
        """The refs of the list's entries in their order (after filters, sort and narrowing):
        what `e` exports. A pane whose list is drawn otherwise overrides this."""
        return [ref for ref in self.list.refs if ref]

    def action_export(self) -> None:
        """`e`: write the list as shown to a CSV, JSON or Markdown file the user names."""
        from ..config import served

        if served():  # the file would be written on the server, by anyone connected
            self.app.notify(_("Export is off in a served session: `alliance list` writes the same text"), timeout=5)
            return
        from ..export_screen import open_export  # on use: not on the first frame's path

        open_export(self)

    def focus_list(self) -> None:
        """The list, with the detail closed (on narrow terminals the list shows again)."""
        self.remove_class("-detail-open")
        focus_now(self.list)

    def focus_default(self) -> None:
        focus_now(self.detail if self.has_class("-detail-open") and self.detail.display else self.list)

    # -- narrowing (`\`: see widgets/narrow.py) --------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "preview":
            return self.focused(self.list)
        if action == "narrow":
            # Not in a text box (there `\` is typed), and only in panes whose rows narrow.
            return self.NARROWS and self._populated and not isinstance(self.screen.focused, Input)
        return super().check_action(action, parameters)

    def narrow_note(self) -> str:
        """' · narrowed: jp · 9 of 85' for the title, or ''."""
        if not self.narrow_text or self._narrowing is None:
            return ""
        shown = len(self._narrowing.matches(self.narrow_text))
        note = _("narrowed: {text} · {shown} of {total}").format(
            text=self.narrow_text.strip(), shown=count(shown), total=count(self._narrowing.total)
        )
        return f" · {note}"

    async def action_narrow(self) -> None:
        """Open the narrowing box above the list (mounted the first time), focused."""
        box = self._narrow_box
        if box is None:
            from ..widgets.narrow import PLACEHOLDER, NarrowInput

            box = NarrowInput(self.list, self.narrow_text, placeholder=_(PLACEHOLDER), id="narrow")
            self._narrow_box = box
            # Awaited: the keys that follow in the same burst are routed once it has the focus.
            await self.mount(box, after=self.query_one(".pane-title"))
        box.display = True
        self.remove_class("-detail-open")  # narrow terminals show the list again
        focus_now(box)

    def forget_narrowing(self, text: str = "") -> None:
        """Set the narrowing text (and the box's) without touching the list."""
        if self._narrow_timer is not None:
            self._narrow_timer.stop()
            self._narrow_timer = None
        self.narrow_text = text
        if self._narrow_box is not None and self._narrow_box.value != text:
            with self._narrow_box.prevent(Input.Changed):
                self._narrow_box.value = text

    def set_narrow(self, text: str, keep: str | None = None) -> None:
        """Narrow the list to the rows holding every word of `text` ('' shows all)."""
        self.forget_narrowing(text)
        if self._narrowing is None:
            return
        current = keep or (self.list.current.ref if self.list.current else None)
        self.list.set_entries(self._narrowing.narrowed(text), keep=current)
        self.set_title(self._title + self.narrow_note())  # the rows under it are unchanged

    @on(Input.Changed, "#narrow")
    def narrow_changed(self, event: Input.Changed) -> None:
        event.stop()
        box = self._narrow_box
        if box is None:
            return
        text = box.value  # now, not the event's: later keys may be in it already
        if text == self.narrow_text:  # shown already (Enter applied it before this came)
            self.forget_narrowing(text)  # stops a pending narrowing to an older text
            return
        if self._narrowing is not None and self._narrowing.total > NARROW_AT_ONCE:
            # A long list: narrow once the keys of a burst are all in.
            if self._narrow_timer is not None:
                self._narrow_timer.stop()
            self._narrow_timer = self.set_timer(NARROW_PAUSE, lambda: self.set_narrow(box.value), name="narrow")
        else:
            self.set_narrow(text)

    def on_narrow_input_done(self, message: NarrowInput.Done) -> None:
        """Enter keeps the narrowing, Esc clears it; both hide the box (the title says it)."""
        message.stop()
        box = message.box
        self.set_narrow(box.value if message.keep else "")
        box.display = False
