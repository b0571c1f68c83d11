"""The floor for time to first frame: the smallest Textual app that looks like a real one.

A Header, a VerticalScroll of 60 Labels and a Footer, nothing loaded from disk.
The benchmark runs it in tmux exactly like the explorer and waits for MARKER.

    python tests/benchmarks/minimal_app.py
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Label

MARKER = "Minimal row 01"
ROWS = 60


class MinimalApp(App[None]):
    TITLE = "minimal"
    BINDINGS = [("q", "quit", "Quit")]  # noqa: RUF012

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            for row in range(1, ROWS + 1):
                yield Label(f"Minimal row {row:02d} · a line of text like a list entry")
        yield Footer()


if __name__ == "__main__":
    MinimalApp().run()
