"""A virtualised list of entries, drawn with the Line API.

Only visible lines are rendered, so 100,000 entries cost no more to show than
100 (no widget per record). Entries are rich `Text` (never markup, so data text
is inert); long entries wrap to the widget's width. Selectable entries carry a
REF (e.g. "member:nasa" or a URL); the cursor moves between them, and Enter
posts `LineList.Activated`. Plain entries (headings, body text) are skipped by
the cursor.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich._wrap import divide_line
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from . import N_


@dataclass(frozen=True)
class Entry:
    """One item: its text, and the REF it opens (None for plain text).

    Wrapped lines hang under the first line's text: `indent` cells, or (None) as far as
    each paragraph's leading spaces and bullet (`→`, `•`, `-`, `1.`) reach.
    """

    text: Text
    ref: str | None = None
    style: str = ""  # a component class name for headings etc.
    indent: int | None = None

    @property
    def selectable(self) -> bool:
        return self.ref is not None


_NOT_DIM = Style(dim=False)
# Leading spaces and a bullet: where a paragraph's text starts, and its wrapped lines hang.
_HANG = re.compile(r" *(?:(?:→|•|●|○|-|\*|\d{1,3}\.) +)?")
ELLIPSIS = "…"
CURSOR_BAR = "▌"  # in the Linux console's font too (code page 437)
DIM_COMPONENT = "line-list--dim"
ALONE = 0.9  # a list at least this share of the screen's width is alone on its rows (no jumps)


def wrap_hanging(text: Text, width: int, console: Console, indent: int | None = None) -> list[Text]:
    """`text` wrapped to `width`, each paragraph's later lines indented to where its text
    starts (`indent` cells, else its leading spaces and bullet): a bullet, an arrow and
    its link, a label column stay on the first line and the text hangs under itself."""
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        if paragraph.cell_len <= width:
            lines.append(paragraph)
            continue
        plain = paragraph.plain
        hang = indent if indent is not None else _HANG.match(plain).end()  # type: ignore[union-attr]
        hang = min(hang, len(plain))
        if hang and width - hang < max(10, width // 3):
            hang = 0  # too narrow to hang: use the whole width
        head, body = paragraph[:hang], paragraph[hang:]
        wrapped = list(body.wrap(console, max(1, width - hang))) or [Text("")]
        pad = Text(" " * head.cell_len)
        lines.append(head + wrapped[0])
        lines.extend(pad + line for line in wrapped[1:])
    return lines or [Text("")]


def count_hanging(text: Text, width: int, indent: int | None = None) -> int:
    """How many lines `wrap_hanging` makes of `text`, from its plain text alone: the same
    word breaks (rich's `divide_line`, folding long words), without building any line.

    Laying out a list needs each entry's height, not its lines: 100 search hits were all
    wrapped at every keystroke, to show the six on screen."""
    plain_text = text.plain
    if "\t" in plain_text:
        return len(wrap_hanging(text, width, _console(), indent))  # tabs widen: rich's own way
    count = 0
    for plain in plain_text.split("\n"):
        if cell_len(plain) <= width:
            count += 1
            continue
        hang = indent if indent is not None else _HANG.match(plain).end()  # type: ignore[union-attr]
        hang = min(hang, len(plain))
        if hang and width - hang < max(10, width // 3):
            hang = 0
        count += len(divide_line(plain[hang:], max(1, width - hang), fold=True)) + 1
    return count or 1


def _console() -> Console:
    return Console(width=80, color_system=None, file=None, legacy_windows=False)


def cut_line(line: Text, width: int) -> Text:
    """One line made to fit `width` cells: cut at a word boundary, ending with `…`."""
    if line.cell_len <= width:
        return line
    cut = line.copy()
    cut.truncate(max(0, width - 1))
    plain = cut.plain
    space = plain.rfind(" ")
    if space > len(plain) // 2:  # a word boundary not too far back
        cut = cut[:space]
    cut.rstrip()
    cut.append(ELLIPSIS)
    return cut


class _Lines(Sequence[Text]):
    """The laid-out lines of a LineList, each made (cut or wrapped) when first read."""

    def __init__(self, owner: LineList) -> None:
        self._owner = owner

    def __len__(self) -> int:
        return self._owner._line_count

    def __getitem__(self, number):  # type: ignore[no-untyped-def, override]
        if isinstance(number, slice):
            return [self[n] for n in range(*number.indices(len(self)))]
        if number < 0:
            number += len(self)
        if not 0 <= number < len(self):
            raise IndexError(number)
        return self._owner.line_text(number)


class Rows(Sequence[Entry]):
    """A list's rows, each made when first read (drawn, cut, narrowed, opened).

    A first visit of 40,000 members used to build 40,000 rows before one showed; with
    Rows it builds the screenful it draws. `items` are records, made into an Entry by
    `make`, or ready entries (headings); `refs` are the entries' refs, known without
    making them (the cursor, `select_ref` and exports need only those). Every entry takes
    exactly `lines` lines: `make` keeps a row to them (rows are never wrapped), so a list
    is laid out without reading one row. `text`, when given, is a row's plain text made
    without the row (narrowing reads every row's text: rich's Text costs more than that).
    """

    def __init__(
        self,
        items: Sequence[object],
        make: Callable[[object], Entry],
        refs: Sequence[str | None],
        lines: int = 1,
        *,
        text: Callable[[object], str] | None = None,
    ) -> None:
        if len(refs) != len(items):
            raise ValueError("one ref per item")
        self._items = items
        self._make = make
        self._text = text
        self.refs = refs
        self.lines = lines
        self._made: list[Entry | None] = [None] * len(items)

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        entry = self._made[index]
        if entry is None:
            item = self._items[index]
            entry = item if isinstance(item, Entry) else self._make(item)
            self._made[index] = entry
        return entry

    def plain(self, index: int) -> str:
        """Row `index`'s plain text, without making the row when it is not made yet."""
        entry = self._made[index]
        if entry is not None:
            return entry.text.plain
        item = self._items[index]
        if isinstance(item, Entry):
            return item.text.plain
        return self._text(item) if self._text is not None else self[index].text.plain

    def pick(self, indexes: Sequence[int]) -> Rows:
        """These rows (by index, in that order), sharing the rows made already: a narrowed
        list shows the same Entry objects, whose cut lines the list keeps."""
        return _Picked(self, indexes)


class _Picked(Rows):
    """Some rows of a Rows, made through it (see Rows.pick)."""

    def __init__(self, source: Rows, indexes: Sequence[int]) -> None:
        self._source = source
        self._indexes = indexes
        self.refs = [source.refs[i] for i in indexes]
        self.lines = source.lines

    def __len__(self) -> int:
        return len(self._indexes)

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._source[self._indexes[index]]

    def plain(self, index: int) -> str:
        return self._source.plain(self._indexes[index])

    def pick(self, indexes: Sequence[int]) -> Rows:
        return _Picked(self._source, [self._indexes[i] for i in indexes])


@dataclass(frozen=True)
class ListView:
    """Where a list stands: its scroll offset and its cursor (index and ref), to come back to."""

    scroll_y: int
    cursor: int
    ref: str | None


class _EntryMessage(Message):
    """A LineList message about one of its entries."""

    def __init__(self, line_list: LineList, entry: Entry | None) -> None:
        super().__init__()
        self.line_list = line_list
        self.entry = entry

    @property
    def control(self) -> LineList:
        return self.line_list


class LineList(ScrollView, can_focus=True):
    """Scrollable entries with a cursor over the selectable ones."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-list--cursor",
        "line-list--cursor-blurred",
        "line-list--heading",
        "line-list--dim",
        "line-list--label",
        "line-list--link",
        "line-list--match",
    }

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("j,down", "cursor_down", N_("Down"), show=False, id="list.down"),
        Binding("k,up", "cursor_up", N_("Up"), show=False, id="list.up"),
        Binding("g,home", "first", N_("First"), show=False, id="list.first"),
        Binding("G,end", "last", N_("Last"), show=False, id="list.last"),
        Binding("pagedown", "page(1)", N_("Page down"), show=False, id="list.page_down"),
        Binding("pageup", "page(-1)", N_("Page up"), show=False, id="list.page_up"),
        Binding("ctrl+d", "half_page(1)", N_("Half page down"), show=False, id="list.half_down"),
        Binding("ctrl+u", "half_page(-1)", N_("Half page up"), show=False, id="list.half_up"),
        Binding("enter", "activate", N_("Open"), id="list.open"),
    ]

    # repaint=False: watch_cursor repaints just the two entries whose highlight changed.
    cursor: reactive[int] = reactive(-1, always_update=True, init=False, repaint=False)
    _stepping = False  # the cursor moves by one j/k: leaving the view scrolls half a page

    class Highlighted(_EntryMessage):
        """The cursor moved onto an entry (None: the list has none)."""

    class Activated(_EntryMessage):
        """Enter (or a click) on a selectable entry."""

        entry: Entry  # never None here

    def __init__(
        self, *, wrap: bool = True, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.wrap_lines = wrap  # False: long lines are cut at the edge (lists), True: wrapped (details)
        self.on_activate: Callable[[Entry], None] | None = None  # else Enter posts Activated
        self._entries: Sequence[Entry] = []  # a list, or Rows (made when read)
        self._refs: Sequence[str | None] = []  # each entry's ref, read without making the entry
        self._selectable: list[int] = []  # entry indexes the cursor can visit
        # The layout: how many lines each entry takes, not the lines themselves. A line is
        # cut or wrapped when it is first drawn (`line_text`): a first visit of 40,000 rows
        # cut them all, several times, before one showed.
        self._line_count = 0
        self._line_entry: Sequence[int] = []  # line -> entry index
        self._entry_line: Sequence[int] = []  # entry -> first line (a range for Rows)
        self._wrapped_width = -1
        self._layout_wraps = False  # as laid out: wrapped (details) or cut at the edge (rows)
        self._counted = False  # rows' line counts do not depend on the width: counted once
        # Lines of the entries that take several, by entry, at the width they were made for:
        # a narrowed list (`\\`) shows the same entries again, and splitting 40,000 took seconds.
        self._parts: dict[int, tuple[Entry, list[Text]]] = {}
        self._parts_width = -1
        self._parts_before: tuple[int, dict[int, tuple[Entry, list[Text]]]] = (-1, {})  # the width before
        self._parts_peak = 0  # the longest list laid out since _parts was emptied
        # Rendered lines by (line number, highlighted): a screenful is redrawn from here.
        self._strip_cache: LRUCache[tuple[int, bool], Strip] = LRUCache(2000)
        self._rich_style_memo: Style | None = None  # see _base_style
        self._hold_scroll = False
        # Only the first line of the entry under the cursor is highlighted; its other lines
        # get a bar at the left edge (lists of multi-line entries: search hits).
        self.cursor_first_line = False
        self._pending_top: int | None = None  # a scroll asked for before the list had a size

    # -- content ---------------------------------------------------------

    @property
    def entries(self) -> Sequence[Entry]:
        return self._entries

    @property
    def refs(self) -> Sequence[str | None]:
        """Each entry's ref (None for plain text), in order: read without making any row."""
        return self._refs

    def set_entries(self, entries: Sequence[Entry], *, keep: str | None = None) -> None:
        """Replace the content; put the cursor on the entry whose ref is `keep`, else the first.

        `entries` may be Rows: each row is then made when it is first drawn or read."""
        if isinstance(entries, Rows):
            self._entries, self._refs = entries, entries.refs
        else:
            self._entries = list(entries)
            self._refs = [entry.ref for entry in self._entries]
        self._selectable = [i for i, ref in enumerate(self._refs) if ref is not None]
        self._wrapped_width = -1
        self._counted = False
        self._pending_top = None
        self._rewrap()
        target = -1
        if keep is not None:
            target = self._index_of(keep)
        if target == -1 and self._selectable:
            target = self._selectable[0]
        self.scroll_to(0, 0, animate=False)
        # A detail opens at its top, even when its first link is further down.
        self._hold_scroll = self.wrap_lines
        self.cursor = target
        self._hold_scroll = False
        # Every row may have changed (a sort, a filter): repaint them all. Moving the cursor
        # repaints only its two rows, and the scroll may not move: without this the other
        # rows kept the old order on screen until something else repainted them.
        self.refresh()

    @property
    def current(self) -> Entry | None:
        if 0 <= self.cursor < len(self._entries):
            return self._entries[self.cursor]
        return None

    def select_ref(self, ref: str) -> bool:
        """Move the cursor to the entry with that ref; False if there is none."""
        index = self._index_of(ref)
        if index == -1:
            return False
        self.cursor = index
        return True

    def _index_of(self, ref: str | None) -> int:
        """The first entry with that ref (-1: none): a search in C over the refs."""
        if ref is None:
            return -1
        try:
            return self._refs.index(ref)
        except ValueError:
            return -1

    # -- where the list stands (history, jumps) ----------------------------

    def view_state(self) -> ListView:
        """The scroll offset and the cursor, for `restore_view` (history entries)."""
        top = self._pending_top if self._pending_top is not None else int(self.scroll_offset.y)
        current = self.current
        return ListView(top, self.cursor, current.ref if current else None)

    def restore_view(self, view: ListView) -> None:
        """Put the cursor and the scroll back where `view_state` found them.

        The cursor goes back to the same entry if it still holds the same ref, else to the
        first entry with that ref; the scroll offset is restored as it was."""
        target = view.cursor
        if not (0 <= target < len(self._refs) and self._refs[target] == view.ref):
            target = self._index_of(view.ref)
        if target != -1:
            self._hold_scroll = True
            self.cursor = target
            self._hold_scroll = False
        self.scroll_line_to_top(view.scroll_y)

    def line_of(self, index: int) -> int:
        """The first line of entry `index` (as wrapped now)."""
        return self._entry_line[index] if 0 <= index < len(self._entry_line) else 0

    def scroll_line_to_top(self, line: int) -> None:
        """Scroll so that `line` is the top of the view (as far as the content allows); before
        the list has a size (a pane not shown yet), once it has one."""
        if not self.size.height:
            self._pending_top = line
            return
        self._pending_top = None
        self.scroll_to(y=line, animate=False, force=True)
        self.refresh()

    @property
    def _lines(self) -> Sequence[Text]:
        """Every line as laid out now (each made when read: for tests and the rare reader)."""
        return _Lines(self)

    def _rewrap(self) -> None:
        """Lay the entries out at the widget's width (once per width): count each entry's
        lines. Rows (no wrapping) take one line per paragraph at any width, so they are
        counted once per `set_entries`, and each row is cut when it is drawn. Wrapped text
        (details, hits: hundreds of entries at most) wraps the entries that do not fit, to
        know their height; those that fit take one line and are never wrapped."""
        width = max(1, self.scrollable_content_region.width or self.size.width or 80)
        if width == self._wrapped_width:
            return
        self._wrapped_width = width
        self._strip_cache.clear()
        console = self.app.console if self.is_attached else None
        parts = self._known_parts(width)  # the lines made at another width are gone
        wraps = self.wrap_lines and console is not None
        rows = self._entries if isinstance(self._entries, Rows) and not wraps else None
        if rows is not None and not (self._counted and not self._layout_wraps):
            # Rows: every entry takes `rows.lines` lines; laid out without reading one.
            self._layout_wraps = False
            count, each = len(rows), rows.lines
            if each == 1:
                self._line_entry, self._entry_line = range(count), range(count)
            else:
                line_entry = [0] * (count * each)
                for offset in range(each):
                    line_entry[offset::each] = range(count)
                self._line_entry, self._entry_line = line_entry, range(0, count * each, each)
            self._line_count = count * each
            self._counted = True
        elif not (self._counted and wraps == self._layout_wraps and not wraps):
            self._layout_wraps = wraps
            line_entry: list[int] = []
            entry_line: list[int] = []
            total = 0
            for index, entry in enumerate(self._entries):
                entry_line.append(total)
                plain = entry.text.plain
                if "\n" not in plain and (not wraps or entry.text.cell_len <= width):
                    count = 1  # most rows: one line, cut (if at all) when drawn
                elif wraps:
                    made = parts.get(id(entry))
                    if made is not None and made[0] is entry:
                        count = len(made[1])  # wrapped before at this width (a narrowing undone)
                    else:
                        count = count_hanging(entry.text, width, entry.indent)  # wrapped when drawn
                else:
                    count = plain.count("\n") + 1
                if count == 1:
                    line_entry.append(index)
                else:
                    line_entry.extend([index] * count)
                total += count
            self._line_entry, self._entry_line, self._line_count = line_entry, entry_line, total
            self._counted = True
        self._set_virtual_size(Size(width, self._line_count))

    def _set_virtual_size(self, size: Size) -> None:
        """A new length without a layout of the whole screen, when the CSS sizes the list.

        The inherited reactive lays out every widget on screen when the virtual size changes
        (16 ms of CPU at 100x30: each search letter gives the hits a new length). A list whose
        height and width the CSS fixes (`1fr`) only needs its scroll limits and scrollbar
        updated, and a repaint; a scrollbar that appears or goes is itself a layout reactive,
        so that case still lays the screen out. A list sized by its content gets the layout.
        """
        if size == self.virtual_size:
            return
        styles = self.styles
        if (
            not self.is_attached
            or styles.height is None
            or styles.height.is_auto
            or styles.width is None
            or styles.width.is_auto
        ):
            self.virtual_size = size
            return
        self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    def _entry_parts(self, index: int) -> list[Text]:
        """Entry `index`'s lines at the width laid out: wrapped or cut, made once and kept in
        `_parts` (by entry: a narrowed list shows the same entries again)."""
        entry = self._entries[index]
        width = max(1, self._wrapped_width)
        cached = self._parts.get(id(entry)) if self._parts_width == width else None
        if cached is not None and cached[0] is entry:
            return cached[1]
        text = entry.text
        if "\n" not in text.plain and text.cell_len <= width:
            return [text]
        if self._layout_wraps:
            parts = wrap_hanging(text, width, self.app.console, entry.indent)
        else:
            parts = [cut_line(p, width) for p in text.split("\n", allow_blank=True)] or [Text("")]
        if self.is_attached and self._parts_width == width:
            self._parts[id(entry)] = (entry, parts)  # kept for the next narrowing
        return parts

    def line_text(self, number: int) -> Text:
        """Line `number` as laid out now (cut or wrapped on first use)."""
        index = self._line_entry[number]
        parts = self._entry_parts(index)
        offset = number - self._entry_line[index]
        return parts[offset] if offset < len(parts) else Text("")

    def _known_parts(self, width: int) -> dict[int, tuple[Entry, list[Text]]]:
        """The lines of entries laid out before at this width (dropped when the entries are
        long gone: more of them than twice the longest list shown since)."""
        self._parts_peak = max(self._parts_peak, len(self._entries))
        if len(self._parts) > 2 * self._parts_peak:
            self._parts, self._parts_peak = {}, len(self._entries)
        if width != self._parts_width:
            # The lines of the width left are kept for one change: a pane shown for the first
            # time is laid out at a passing width and back (a scrollbar, the table's columns).
            if self._parts_before[0] == width:
                parts = self._parts_before[1]
            else:
                parts, self._parts_peak = {}, len(self._entries)
            self._parts_before = (self._parts_width, self._parts)
            self._parts, self._parts_width = parts, width
        return self._parts

    def on_resize(self, event: events.Resize) -> None:
        self._rewrap()
        if not self.wrap_lines:  # a detail keeps its reading position; a list follows its cursor
            self._scroll_cursor_visible()
        if self._pending_top is not None and self.size.height:
            self.scroll_line_to_top(self._pending_top)
        self.refresh()

    def watch_show_vertical_scrollbar(self) -> None:
        # The scrollbar that long text brings (or that goes with it) changes the width the
        # text has, without a resize: wrap again, or lines are cut under the scrollbar.
        if self.wrap_lines and self._wrapped_width != -1:
            self._rewrap()
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rich_style_memo = None
        self._strip_cache.clear()

    # -- rendering -------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        number = scroll_y + y
        width = self.scrollable_content_region.width
        base = self._base_style()
        if number >= self._line_count:
            return Strip.blank(width, base)
        entry_index = self._line_entry[number]
        selected = entry_index == self.cursor
        key = (number, selected and self.has_focus)
        strip = self._strip_cache.get(key)
        if strip is None:
            strip = self._render(number, entry_index, selected)
            self._strip_cache.set(key, strip)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _render(self, number: int, entry_index: int, selected: bool) -> Strip:
        entry = self._entries[entry_index]
        text = self.line_text(number)
        console = self.app.console
        # Every segment carries the theme's foreground and background (the widget's style,
        # then the entry's component colour): a segment without colours is drawn in the
        # terminal's defaults, black or cream boxes on the theme's panels.
        base = self._base_style()
        no_color = self.app.no_color
        style = base + self._component(entry.style) if entry.style else base
        dim = base + self._component(DIM_COMPONENT)
        segments = []
        for part, span_style, control in text.render(console, end=""):
            if span_style:
                if span_style.dim and not no_color:
                    # `dim` is drawn by each terminal its own way (unmeasurable, often too
                    # faint): in colour, dim text takes the theme's dim colour instead.
                    span_style = span_style + _NOT_DIM + Style.from_color(dim.color)
                combined = style + span_style
            else:
                combined = style
            segments.append(Segment(part, combined, control))
        if selected:
            name = "line-list--cursor" if self.has_focus else "line-list--cursor-blurred"
            cursor = self.get_component_rich_style(name)
            if no_color:
                # No colours to mark the cursor with: reverse video (and bold when focused).
                cursor = Style(reverse=True, bold=True if self.has_focus else None)
            if self.cursor_first_line and number != self._entry_line[entry_index] and text.plain[:1] == " ":
                # A multi-line entry's later lines (a hit's snippet): a bar in the cursor's
                # colour at the edge instead of the whole block re-coloured, so `j` rewrites
                # a cell per line over SSH, not every cell of two entries.
                bar = Style(color=cursor.bgcolor) if cursor.bgcolor and not no_color else Style(bold=True)
                return Strip([Segment(CURSOR_BAR, style + bar), *Strip(segments).crop(1, text.cell_len)])
            width = self.scrollable_content_region.width
            strip = Strip(segments).extend_cell_length(max(width, text.cell_len), style)
            # After the segments' own styles: the cursor's colours win, their bold/underline stay.
            return Strip(Segment.apply_style(list(strip), post_style=cursor))
        return Strip(segments)

    def _component(self, name: str) -> Style:
        """A component class's colour and attributes, on the widget's own background."""
        component = self.get_component_rich_style(name)
        return component + Style(bgcolor=self._base_style().bgcolor)

    def _base_style(self) -> Style:
        """The widget's own style (`rich_style`), kept until the styles change. Textual
        works it out afresh on each read, walking every ancestor: three reads a line made it
        a tenth of drawing a screen of the Overview. Textual's own cache of the component
        styles, which depend on the ancestors alike, is cleared at the same moment."""
        style = self._rich_style_memo
        if style is None:
            style = self._rich_style_memo = self.rich_style
        return style

    # -- cursor ----------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        if not self._hold_scroll:
            self._scroll_cursor_visible(jump=self._stepping)
        if self.scroll_offset.y == top:
            # Only the two entries whose highlight changed: over SSH a `j` should cost
            # a few hundred bytes, not a repaint of the whole list.
            for entry in (old, new):
                self._refresh_entry(entry)
        else:
            self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def _refresh_entry(self, index: int) -> None:
        if 0 <= index < len(self._entry_line):
            start = self._entry_line[index]
            end = self._entry_line[index + 1] if index + 1 < len(self._entry_line) else self._line_count
            self.refresh_lines(start, max(1, end - start))

    def _scroll_cursor_visible(self, *, jump: bool = False) -> None:
        """Scroll as little as shows the cursor's entry (a click, a page, a ref selected, a
        resize); with `jump` (one j/k in a list), by half a page when it left the view."""
        if not (0 <= self.cursor < len(self._entry_line)) or not self.size.height:
            return  # not laid out yet: on_resize scrolls once the size is known
        start = self._entry_line[self.cursor]
        end = self._entry_line[self.cursor + 1] if self.cursor + 1 < len(self._entry_line) else self._line_count
        if jump and self._scroll_jump(start, end):
            return
        self.scroll_to_region(Region(0, start, 1, max(1, end - start)), animate=False, force=True)

    @property
    def _jumps(self) -> bool:
        """j/k scroll by half a page in lists of rows and of search hits (not in text read line
        by line) that share the screen's rows with something else, the detail beside them:
        there a one-line scroll rewrites every row (2-5 KB at 100x30 and 200x60). A list as
        wide as the screen (narrow terminals) scrolls a line at a time, which cost about
        0.4 KB a line at 80x24, less than a jump, and keeps `j` under 1 KB a press there."""
        if self.wrap_lines and not self.cursor_first_line:
            return False
        # "As wide as the screen": within a margin or a scrollbar of it (the search results
        # at 80x24 are 78 of 80 columns); beside a detail a list has two thirds at most.
        return self.is_mounted and self.outer_size.width < ALONE * self.screen.size.width

    def _scroll_jump(self, start: int, end: int) -> bool:
        """The cursor's entry (lines `start` to `end`) left the view: scroll by half a page
        (vim's `scrolljump`), so it lands with half a page of rows ahead of it, never past
        the end nor the top. Scrolling a line per `j` moved every row of the list: at 200x60
        the list shares its rows with the detail, so the terminal cannot scroll it, and each
        `j` rewrote the list (2.6-4.8 KB); now one `j` in half a page does, the others repaint
        two rows. Returns False when the entry is in view (nothing to scroll)."""
        height = self.scrollable_content_region.height
        top = int(self.scroll_offset.y)
        if not height or (top <= start and end <= top + height):
            return False
        half = max(1, height // 2)
        below = end > top + height
        # Below the view: half a page less one line after the entry; above it: as many before it.
        new_top = min(end + half - 1 - height, start) if below else start - (half - 1)
        new_top = min(max(0, new_top), max(0, self._line_count - height))
        # Deferred like `scroll_to_region`'s, so scrolls keep their order within a burst of keys
        # (each press of a burst measures from the view shown: the last press's scroll wins).
        self.scroll_to(y=new_top, animate=False, force=True)
        return True

    def _move(self, steps: int) -> None:
        if self.wrap_lines and not self._jumps and self._reading_move(steps):
            return
        if not self._selectable:
            return
        position = bisect_right(self._selectable, self.cursor) - 1
        if position < 0 or self._selectable[position] != self.cursor:
            position = -1 if steps > 0 else len(self._selectable)
        target = min(max(position + steps, 0), len(self._selectable) - 1)
        self._stepping = self._jumps
        try:
            self.cursor = self._selectable[target]
        finally:
            self._stepping = False

    def _reading_move(self, step: int) -> bool:
        """In wrapped text (details), j/k scroll line by line until the next link is in view.

        Returns True when it scrolled instead of moving the cursor.
        """
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        position = bisect_right(self._selectable, self.cursor) - 1
        on_link = position >= 0 and self._selectable[position] == self.cursor
        following = position + step if on_link else (position + 1 if step > 0 else position)
        if 0 <= following < len(self._selectable):
            line = self._entry_line[self._selectable[following]]
            if top <= line < top + height:
                return False  # the next link is visible: go to it
        can_scroll = top + height < self._line_count if step > 0 else top > 0
        if can_scroll:
            self.scroll_to(y=top + step, animate=False)
            return True
        return False

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_first(self) -> None:
        if self._selectable:
            self.cursor = self._selectable[0]
        self.scroll_home(animate=False)

    def action_last(self) -> None:
        if self._selectable:
            self.cursor = self._selectable[-1]
        self.scroll_end(animate=False)

    def _page_lines(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _move_lines(self, lines: int) -> None:
        if self.wrap_lines and self._selectable and self._scroll_to_far_link(lines):
            return
        if not self._selectable:
            self.scroll_relative(y=lines, animate=False)
            return
        self.cursor = self._lines_target(lines)

    def _lines_target(self, lines: int) -> int:
        """The link `lines` lines from the cursor's (the one at or before that line, or the next)."""
        line = self._entry_line[self.cursor] if self.cursor >= 0 else 0
        target_line = min(max(0, line + lines), max(0, self._line_count - 1))
        entry = self._line_entry[target_line] if self._line_count else 0
        position = bisect_right(self._selectable, entry) - 1
        if lines > 0 and (position < 0 or self._selectable[position] <= self.cursor):
            position += 1
        position = min(max(position, 0), len(self._selectable) - 1)
        return self._selectable[position]

    def _scroll_to_far_link(self, lines: int) -> bool:
        """In wrapped text with few links (the Overview, a detail), PgDn/PgUp move one screen.

        When the link the cursor would move to is more than a screen beyond the view (the
        Overview's charts and prose lie between), scroll `lines` instead, and put the cursor
        on a link of the new view if one shows there (the first going down, the last going
        up). Returns True when it scrolled."""
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        if not height:
            return False
        new_top = min(max(0, top + lines), max(0, self._line_count - height))
        if new_top == top:
            return False  # at the end: the cursor moves to the last (first) link as before
        cursor_line = self._entry_line[self.cursor] if 0 <= self.cursor < len(self._entry_line) else -1
        if top <= cursor_line < top + height:
            target = self._lines_target(lines)
            line = self._entry_line[target]
            if target != self.cursor and top + min(lines, 0) <= line < top + height + max(lines, 0):
                return False  # that link is within a screen: the cursor moves to it
        self.scroll_to(y=new_top, animate=False)
        first = bisect_left(self._selectable, self._line_entry[new_top])  # links from the new top's entry
        in_view: list[int] = []
        for index in self._selectable[first:]:
            if self._entry_line[index] >= new_top + height:
                break
            if self._entry_line[index] >= new_top:
                in_view.append(index)
        if in_view and not (new_top <= cursor_line < new_top + height):
            self._hold_scroll = True
            self.cursor = in_view[0] if lines > 0 else in_view[-1]
            self._hold_scroll = False
        self.refresh()
        return True

    def action_page(self, direction: int) -> None:
        self._move_lines(direction * self._page_lines())

    def action_half_page(self, direction: int) -> None:
        self._move_lines(direction * max(1, self._page_lines() // 2))

    def action_activate(self) -> None:
        entry = self.current
        if entry is None or not entry.selectable:
            return
        if self.on_activate is not None:
            # Synchronous, so a key typed right after Enter (a pasted burst, a laggy SSH
            # link delivering several keys at once) already sees where Enter led.
            self.on_activate(entry)
        else:
            self.post_message(self.Activated(self, entry))

    def on_click(self, event: events.Click) -> None:
        line = event.y + self.scroll_offset.y
        if 0 <= line < len(self._line_entry):
            index = self._line_entry[line]
            if self._refs[index] is not None:
                already = index == self.cursor
                self.cursor = index
                if already or event.chain > 1:
                    self.action_activate()

    def on_focus(self) -> None:
        self._strip_cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._strip_cache.clear()
        self.refresh()
