"""What every modal screen of the explorer shares (help, filter, command palette).

Keys arrive in bursts (a fast typist, a paste, a laggy SSH link delivering several keys
in one read), so a second Enter or Esc can reach a dialog that is already closing.
Kept apart from screens.py, which is imported only when a dialog opens: the palette,
imported at start, needs this too.
"""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete


class ClosesOnce:
    """Mixin for a modal Screen: the first dismiss wins, any later one does nothing.

    Textual's `dismiss` pops whatever screen is on top: a second one, from a key queued
    before the first took effect (`Enter Enter`, `Enter q`), pops the screen below, or raises
    ScreenStackError when that is the last one. Keys still queued for the closing dialog's
    widgets reach the app afterwards and act on the screen now shown, as typed-ahead keys do.
    """

    closing: bool = False

    def dismiss(self, result: Any = None) -> AwaitComplete:
        """Close this screen with `result`, unless it is already closing or not on top."""
        app = self.app  # type: ignore[attr-defined]
        if self.closing or app.screen is not self:
            return AwaitComplete()  # already done: awaiting it returns at once
        self.closing = True
        return super().dismiss(result)  # type: ignore[misc]
