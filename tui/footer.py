"""The footer: the keys that act where the focus is, as many as fit on its one line.

Textual's Footer shows every binding with show=True that `check_action` does not hide,
and cuts off whatever passes the right edge. This one keeps the most useful keys when the
terminal is narrow (`FOOTER_RANK` in keymap.py: help, quit, Esc, Enter, the pane's own keys,
then history, preview, search, copy), in their usual order, and never a half-shown key.
Mounted after the first frame (AllianceApp.on_ready).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from index.i18n import _

from .keymap import FOOTER_DEFAULT, FOOTER_RANK

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.screen import Screen
    from textual.widget import Widget

# "▏^p palette", docked right (Footer's command palette key, compact).
PALETTE_WIDTH = 12


def key_width(key_display: str, description: str) -> int:
    """Cells a compact FooterKey takes: the key, a space, the description, a space after."""
    return cell_len(key_display) + 1 + cell_len(description) + 1


class ContextFooter(Footer):
    """A footer of the keys that act here, ranked to fit the width (compact: one space apart)."""

    _composed_width = -1  # the width the keys were chosen for

    def __init__(self) -> None:
        super().__init__(compact=True)  # one space between keys: more of them fit at 80 columns

    _composed: tuple[tuple[str, str, str, str, bool, str, str], ...] | None = None  # the keys shown

    def _chosen(self) -> tuple[tuple[str, str, str, str, bool, str, str], ...]:
        """The keys to show, left to right: (key, display, description, action, enabled,
        tooltip, classes)."""
        active = self.screen.active_bindings
        # One key per action (the first bound), as Textual's footer shows them.
        shown: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in shown:
                shown[binding.action] = (binding, enabled, tooltip)
        room = self.size.width or self.app.size.width
        palette = self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE
        palette = palette and self.app.COMMAND_PALETTE_BINDING in active
        if palette:
            room -= PALETTE_WIDTH
        items = [
            (binding, enabled, tooltip, self.app.get_key_display(binding))
            for binding, enabled, tooltip in shown.values()
        ]
        ranked = sorted(range(len(items)), key=lambda i: (FOOTER_RANK.get(items[i][0].id or "", FOOTER_DEFAULT), i))
        kept: set[int] = set()
        used = 0
        for index in ranked:
            binding, _rank, _order, display = items[index]
            width = key_width(display, _(binding.description))
            if used + width <= room:
                kept.add(index)
                used += width
        chosen = [
            (binding.key, display, _(binding.description), binding.action, enabled, tooltip, "")
            for index, (binding, enabled, tooltip, display) in enumerate(items)
            if index in kept
        ]
        if palette:
            _node, binding, enabled, _tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            tooltip = binding.tooltip or _(binding.description)
            display = self.app.get_key_display(binding)
            chosen.append(
                (binding.key, display, _(binding.description), binding.action, enabled, tooltip, "-command-palette")
            )
        return tuple(chosen)

    def compose(self) -> Iterator[Widget]:
        if not self._bindings_ready:
            return
        self._composed_width = self.size.width or self.app.size.width
        self._composed = self._chosen()
        for key, display, description, action, enabled, tooltip, classes in self._composed:
            footer_key = FooterKey(
                key, display, description, action, classes=classes, disabled=not enabled, tooltip=tooltip
            )
            # The palette key (docked right) keeps its own look, as in Textual's footer.
            yield footer_key if classes else footer_key.data_bind(compact=Footer.compact)

    def bindings_changed(self, screen: Screen) -> None:
        """Textual's footer recomposes on every report (mounting every key, then a layout
        of the screen: a search letter reports one, for n/N); this one only when the keys
        it would show differ."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if self.is_attached and self._chosen() != self._composed:
            await self.recompose()

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and event.size.width != self._composed_width:
            self._composed_width = event.size.width
            self.call_after_refresh(self.recompose)
