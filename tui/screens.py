"""Modal screens: the help listing every key, and the filter picker of a list pane.

Every modal of the explorer (these two and the command palette, see palette.py) closes
through `ClosesOnce` (modal.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from .keyhelp import KeyHelp
from .modal import ClosesOnce
from .render import blank, heading, para
from .widgets.line_list import Entry, LineList

if TYPE_CHECKING:
    from .panes.filtering import FilterField


class HelpScreen(ClosesOnce, ModalScreen[None]):
    """Every key of the app and of the focused pane, with what it does."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, sections: list[tuple[str, str, list[KeyHelp]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Keys  (Esc closes)"), classes="dialog-title", markup=False)
            yield LineList(id="help")

    def on_mount(self) -> None:
        entries: list[Entry] = []
        for title, help_text, keys in self.sections:
            entries.append(heading(title))
            if help_text:
                entries.append(para(help_text, "line-list--dim"))
            for key in keys:
                text = Text(f"  {key.shown:<20}", style="bold")
                text.append("  " + key.description)
                entries.append(Entry(text, ref=key.ref))
            entries.append(blank())
        help_list = self.query_one("#help", LineList)
        help_list.set_entries(entries)
        help_list.focus()

    def on_line_list_activated(self, message: LineList.Activated) -> None:
        message.stop()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


class FilterScreen(ClosesOnce, ModalScreen[dict[str, frozenset[str]] | None]):
    """A list pane's filters: several values per field (a field keeps any of its values).

    Enter on a value keeps just that value in its field (as before several were possible);
    Space marks or unmarks values, then Enter applies the marks. "Any ..." clears a field,
    the first choice every field; Esc (or q) cancels. Dismisses with the new filters.
    """

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("space", "toggle", "Mark", id="filter.toggle"),
        Binding("escape,q", "cancel", "Cancel", id="filter.cancel"),
    ]

    def __init__(
        self, noun: str, total: int, fields: Sequence[FilterField], current: Mapping[str, frozenset[str]]
    ) -> None:
        super().__init__()
        self.noun = noun  # "members"
        self.total = total
        self.fields = list(fields)
        self.chosen: dict[str, set[str]] = {key: set(values) for key, values in current.items()}
        self.marked = False  # Space was used: Enter applies the marks

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = f"Filter {self.noun}  (Space marks, Enter applies, Esc cancels)"
            yield Static(Text(title), classes="dialog-title", markup=False)
            yield LineList(id="choices")

    def _choice(self, label: str, key: str, value: str | None, count: int | None = None) -> Entry:
        active = value is not None and value in self.chosen.get(key, ())
        text = Text("✓ " if active else "  ")
        text.append(label)
        if count is not None:
            text.append(f"  {count}", style="dim")
        return Entry(text, ref=f"{key}={value if value is not None else ''}")

    def choice_entries(self) -> list[Entry]:
        """Every choice: clear all, then per field its values (with counts) and "Any …"."""
        entries = [
            self._choice(f"All {self.noun} (clear filters)", "clear", None, self.total),
        ]
        for spec in self.fields:
            if not spec.counts:
                continue  # no record has a value for it
            counts = spec.counts
            if spec.order is not None:
                values = sorted(counts, key=spec.order)
            else:
                values = sorted(counts, key=lambda v: (-counts[v], v == "", v))
            entries += [blank(), heading(spec.heading)]
            entries += [self._choice(spec.label(v), spec.key, v, counts[v]) for v in values]
            entries.append(self._choice(spec.any_label, spec.key, None))
        return entries

    def on_mount(self) -> None:
        choices = self.query_one("#choices", LineList)
        choices.set_entries(self.choice_entries())
        choices.focus()

    def _result(self) -> dict[str, frozenset[str]]:
        return {key: frozenset(values) for key, values in self.chosen.items() if values}

    def action_toggle(self) -> None:
        """Space: mark or unmark the value under the cursor ("Any …" unmarks its field)."""
        choices = self.query_one("#choices", LineList)
        if choices.current is None or not choices.current.ref:
            return
        key, _, value = choices.current.ref.partition("=")
        self.marked = True
        if key == "clear":
            self.chosen.clear()
        elif not value:
            self.chosen.pop(key, None)
        else:
            values = self.chosen.setdefault(key, set())
            values.symmetric_difference_update({value})
        top = choices.scroll_offset.y
        choices.set_entries(self.choice_entries(), keep=choices.current.ref)
        choices.scroll_to(y=top, animate=False)  # the list stays where it was

    def on_line_list_activated(self, message: LineList.Activated) -> None:
        message.stop()
        key, _, value = (message.entry.ref or "").partition("=")
        if key == "clear":
            self.chosen.clear()
        elif not value:
            self.chosen.pop(key, None)
        elif not self.marked:
            self.chosen[key] = {value}  # Enter alone picks this value, as it always did
        self.dismiss(self._result())

    def action_cancel(self) -> None:
        self.dismiss(None)
