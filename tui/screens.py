"""Modal screens: the help listing every key, and the filter picker of a list pane.

Every modal of the explorer (these two and the command palette, see palette.py) closes
through `ClosesOnce` (modal.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from index.i18n import N_, _

from .keyhelp import KeyHelp
from .modal import ClosesOnce
from .render import blank, heading, para
from .widgets.line_list import Entry, LineList

if TYPE_CHECKING:
    from .panes.filtering import FilterField
    from .widgets.narrow import NarrowInput


class HelpScreen(ClosesOnce, ModalScreen[None]):
    """Every key of the app and of the focused pane, with what it does."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape,q,question_mark,f1", "dismiss", N_("Close"), id="help.close"),
    ]

    def __init__(self, sections: list[tuple[str, str, list[KeyHelp]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(_("Keys  (Esc closes)")), classes="dialog-title", markup=False)
            yield LineList(id="help")

    def on_mount(self) -> None:
        entries: list[Entry] = []
        for title, help_text, keys in self.sections:
            entries.append(heading(title))
            if help_text:
                entries.append(para(help_text, "line-list--dim"))
            for key in keys:
                text = Text(f"  {key.shown:<20}", style="bold")
                text.append("  " + _(key.description))  # bound with N_(): translated when shown
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
    `\\` narrows the choices as in the panes' lists (a hundred speakers, thirty countries).
    """

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("space", "toggle", N_("Mark"), id="filter.toggle"),
        Binding("escape,q", "cancel", N_("Cancel"), id="filter.cancel"),
        Binding("backslash", "narrow", N_("Narrow"), show=False, priority=True, id="filter.narrow"),
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
        self.narrow_text = ""  # what `\` narrows the choices to

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.title_text()), classes="dialog-title", markup=False)
            yield LineList(id="choices")

    def title_text(self, note: str = "") -> str:
        # The noun is a pane's English plural ("members"), translated here as it is shown.
        return _("Filter {noun}  (Space marks, Enter applies, Esc cancels)").format(noun=_(self.noun)) + note

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
            self._choice(_("All {noun} (clear filters)").format(noun=_(self.noun)), "clear", None, self.total),
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

    def show_choices(self, keep: str | None = None) -> None:
        """Lay the choices out again (marks changed, or the narrowing), the list kept in place."""
        from .widgets.narrow import Narrowing

        choices = self.query_one("#choices", LineList)
        entries = self.choice_entries()
        note = ""
        if self.narrow_text.strip():
            narrowing = Narrowing(entries)
            entries = narrowing.narrowed(self.narrow_text)
            shown = len(narrowing.matches(self.narrow_text))
            note = _(" · narrowed: {text} · {shown} of {total}").format(
                text=self.narrow_text.strip(), shown=shown, total=narrowing.total
            )
        top = choices.scroll_offset.y
        choices.set_entries(entries, keep=keep or (choices.current.ref if choices.current else None))
        choices.scroll_to(y=top, animate=False)  # the list stays where it was
        self.query_one(".dialog-title", Static).update(Text(self.title_text(note)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "narrow":
            return not isinstance(self.focused, Input)  # in the box, `\` is typed
        return super().check_action(action, parameters)

    async def action_narrow(self) -> None:
        """Open the narrowing box above the choices (mounted the first time), focused."""
        from .widgets.narrow import NarrowInput

        boxes = self.query(NarrowInput)
        if boxes:
            box = boxes.first()
        else:
            box = NarrowInput(self.query_one("#choices", LineList), self.narrow_text, id="narrow")
            await self.query_one("#dialog").mount(box, after=self.query_one(".dialog-title"))
        box.display = True
        self.set_focus(box)

    @on(Input.Changed, "#narrow")
    def narrow_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.value != self.narrow_text:
            self.narrow_text = event.input.value  # now, not the event's: later keys may be in it
            self.show_choices()

    def on_narrow_input_done(self, message: NarrowInput.Done) -> None:
        """Enter keeps the narrowing, Esc clears it; both hide the box and return to the choices."""
        message.stop()
        text = message.box.value if message.keep else ""
        if not message.keep:
            with message.box.prevent(Input.Changed):
                message.box.value = ""
        message.box.display = False
        if text != self.narrow_text:
            self.narrow_text = text
            self.show_choices()

    def _result(self) -> dict[str, frozenset[str]]:
        return {key: frozenset(values) for key, values in self.chosen.items() if values}

    def action_toggle(self) -> None:
        """Space: mark or unmark the value under the cursor ("Any …" unmarks its field)."""
        choices = self.query_one("#choices", LineList)
        if choices.current is None or not choices.current.ref:
            return
        key, _sep, value = choices.current.ref.partition("=")
        self.marked = True
        if key == "clear":
            self.chosen.clear()
        elif not value:
            self.chosen.pop(key, None)
        else:
            values = self.chosen.setdefault(key, set())
            values.symmetric_difference_update({value})
        self.show_choices(keep=choices.current.ref)

    def on_line_list_activated(self, message: LineList.Activated) -> None:
        message.stop()
        key, _sep, value = (message.entry.ref or "").partition("=")
        if key == "clear":
            self.chosen.clear()
        elif not value:
            self.chosen.pop(key, None)
        elif not self.marked:
            self.chosen[key] = {value}  # Enter alone picks this value, as it always did
        self.dismiss(self._result())

    def action_cancel(self) -> None:
        self.dismiss(None)
