"""Type-to-narrow: the one-line box (`\\`) that narrows a pane's list as you type, and the matching.

Matching is by words: the typed text is split on spaces and a row is kept when its text
contains every word, case-insensitively and in any order ("jp univ" keeps the Japanese
universities). Only the rows already built for the list are searched, through their plain
text, and while the text only grows (the usual case: typing) only the rows the shorter text
kept are searched again, so a keystroke over 100,000 rows costs milliseconds.

The global search (`/`, the Search pane) is another thing: it asks the index for records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from . import N_
from .input_box import QuickInput
from .line_list import Entry, Rows

PLACEHOLDER = N_("narrow: type words (Enter keeps, Esc clears)")  # the pane passes it translated


def words_of(text: str) -> tuple[str, ...]:
    """The words a narrowing text asks for, case-folded."""
    return tuple(text.casefold().split())


class Narrowing:
    """The entries of one built list, narrowed by typed words (see the module docstring).

    Non-selectable entries (year headings, group headings, blank lines) are kept when at
    least one row under them is kept, so a narrowed timeline still says which year it is.
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries
        self._rows: list[int] | None = None  # made when first needed: every list rebuild makes one of these
        self._folded: dict[int, str] | None = None  # built on the first narrowing, not with the list
        self._head: dict[int, tuple[int, int]] = {}  # first row of a group -> its heading run
        self._group: dict[int, int] = {}  # row -> first row of its group
        # Results of the texts typed so far, kept while each is a prefix of the current text:
        # typing reuses the last one, Backspace finds the previous one again.
        self._kept: dict[str, list[int]] = {}

    @property
    def rows(self) -> list[int]:
        """Entry indexes of the selectable rows."""
        if self._rows is None:
            entries = self.entries
            refs = entries.refs if isinstance(entries, Rows) else [e.ref for e in entries]
            self._rows = [i for i, ref in enumerate(refs) if ref is not None]
        return self._rows

    @property
    def total(self) -> int:
        """How many rows the list has before narrowing."""
        return len(self.rows)

    def _index(self) -> None:
        entries = self.entries
        # Rows give their text without being made (a first narrowing of 40,000 rows).
        plain = entries.plain if isinstance(entries, Rows) else (lambda i: entries[i].text.plain)
        self._folded = {i: plain(i).casefold() for i in self.rows}
        previous = None  # the row before, None at the start
        first = 0
        for i in self.rows:
            if previous is None or i != previous + 1:  # a new group of consecutive rows, after its heading run
                first = i
                self._head[i] = (0 if previous is None else previous + 1, i)
            self._group[i] = first
            previous = i

    def matches(self, text: str) -> list[int]:
        """Entry indexes of the rows that contain every word of `text` (all rows if none)."""
        words = words_of(text)
        if not words:
            return self.rows
        if self._folded is None:
            self._index()
        folded = self._folded
        assert folded is not None
        key = " ".join(words) + (" " if text[-1:].isspace() else "")
        if key in self._kept:
            return self._kept[key]
        # The longest earlier text this one extends: every row it keeps, that one kept too.
        base = max((k for k in self._kept if key.startswith(k)), key=len, default=None)
        candidates = self._kept[base] if base is not None else self.rows
        if len(words) == 1:
            word = words[0]
            kept = [i for i in candidates if word in folded[i]]
        else:
            kept = [i for i in candidates if all(w in folded[i] for w in words)]
        self._kept = {k: v for k, v in self._kept.items() if key.startswith(k)}
        self._kept[key] = kept
        return kept

    def narrowed(self, text: str) -> Sequence[Entry]:
        """The entries to show for `text`: the matching rows, each group under its heading
        (Rows picked from the list's Rows: only the rows drawn are made)."""
        entries = self.entries
        if not words_of(text):
            return entries if isinstance(entries, Rows) else list(entries)
        kept = self.matches(text)
        order: list[int] = []
        group_of = self._group
        shown_group = -1
        for i in kept:
            group = group_of[i]
            if group != shown_group:
                shown_group = group
                start, end = self._head[group]
                heading = list(range(start, end))
                if not order:  # no blank line above the first heading
                    while heading and not entries[heading[0]].text.plain.strip():
                        heading.pop(0)
                order.extend(heading)
            order.append(i)
        if isinstance(entries, Rows):
            return entries.pick(order)
        return [entries[j] for j in order]


class NarrowInput(QuickInput):
    """The narrowing box of a pane: mounted on first use, hidden when not in use.

    Enter keeps the narrowing and returns to the list; Esc clears it and returns.
    """

    DEFAULT_CSS = """
    NarrowInput {
        height: 1;
        border: none;
        padding: 0 1;
        margin: 0;
    }
    NarrowInput:focus {
        border: none;
    }
    """

    # Priority: acted on as the key arrives, so the keys typed after Enter or Esc in the same
    # burst already go to the list (without it they were routed to this box, and typed in it).
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("enter,down", "done(True)", N_("Keep narrowing"), priority=True, id="narrow.keep"),
        Binding("escape", "done(False)", N_("Clear narrowing"), priority=True, id="narrow.clear"),
    ]

    class Done(Message):
        """Enter (keep: True) or Esc (keep: False) in the box."""

        def __init__(self, box: NarrowInput, keep: bool) -> None:
            super().__init__()
            self.box = box
            self.keep = keep

        @property
        def control(self) -> NarrowInput:
            return self.box

    def __init__(
        self, target: Widget, value: str = "", *, placeholder: str = PLACEHOLDER, id: str | None = None
    ) -> None:
        super().__init__(
            value,
            placeholder=placeholder,
            id=id,
            compact=True,
            select_on_focus=False,  # reopened, it edits the text: a key must not replace it all
        )
        self.target = target  # the list it narrows: focused again on Enter and Esc
        self.cursor_blink = False  # idle means idle (no repaint twice a second over SSH)

    async def _on_key(self, event: events.Key) -> None:
        # This box's own keys (Backspace, arrows, ctrl+w...) act as the box reads them. As
        # bindings they would act when the key comes back up to the app, and in a burst
        # with Enter the focus is on the list by then: Backspace went back in the history.
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority:
                event.stop()
                event.prevent_default()
                await self.app.run_action(binding.action, self)
                return
        await super()._on_key(event)

    def action_done(self, keep: bool) -> None:
        """Focus the list at once (the next keys are the list's), and tell the pane once
        this box has handled the keys typed before: queued behind them, Done sees the final text."""
        self.screen.set_focus(self.target)
        self.post_message(self.Done(self, keep))
