"""Modal screens: the help listing every key, and the members filter picker.

Every modal of the explorer (these two and the command palette, see palette.py) closes
through `ClosesOnce` (modal.py).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from index import MEMBER_TYPES, Dataset
from index.describe import country_name

from .keyhelp import KeyHelp
from .modal import ClosesOnce
from .render import blank, heading, para
from .widgets.line_list import Entry, LineList


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


class FilterScreen(ClosesOnce, ModalScreen[tuple[str, str | None] | None]):
    """Pick one member filter: founding/later, a type or a country (or clear)."""

    BINDINGS: ClassVar[list[Binding]] = [Binding("escape,q", "cancel", "Cancel", id="filter.cancel")]

    def __init__(self, dataset: Dataset, current: dict[str, str]) -> None:
        super().__init__()
        self.dataset = dataset
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Filter members  (Enter picks, Esc cancels)"), classes="dialog-title", markup=False)
            yield LineList(id="choices")

    def _choice(self, label: str, key: str, value: str | None, count: int | None = None) -> Entry:
        active = value is not None and self.current.get(key) == value
        text = Text("✓ " if active else "  ")
        text.append(label)
        if count is not None:
            text.append(f"  {count}", style="dim")
        return Entry(text, ref=f"{key}={value if value is not None else ''}")

    def on_mount(self) -> None:
        members = self.dataset.members
        founding = sum(1 for m in members if m.founding)
        entries = [
            self._choice("All members (clear filters)", "clear", None, len(members)),
            blank(),
            heading("Membership"),
            self._choice("Founding members", "founding", "yes", founding),
            self._choice("Joined later", "founding", "no", len(members) - founding),
            self._choice("Founding or later", "founding", None),
            blank(),
            heading("Type"),
        ]
        by_type = self.dataset.members_by_type()
        entries += [self._choice(t, "type", t, len(by_type[t])) for t in MEMBER_TYPES if t in by_type]
        entries.append(self._choice("Any type", "type", None))
        entries += [blank(), heading("Country")]
        entries += [
            self._choice(country_name(code), "country", code, len(ms))
            for code, ms in self.dataset.members_by_country().items()
        ]
        entries.append(self._choice("Any country", "country", None))
        choices = self.query_one("#choices", LineList)
        choices.set_entries(entries)
        choices.focus()

    def on_line_list_activated(self, message: LineList.Activated) -> None:
        message.stop()
        key, _, value = (message.entry.ref or "").partition("=")
        self.dismiss((key, value or None))

    def action_cancel(self) -> None:
        self.dismiss(None)
