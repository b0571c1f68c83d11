"""What panes and the palette may ask of the app: a small protocol, not the app class.

Panes and providers are mounted under `AllianceApp`, but importing it from them would
make a circle (the app imports every pane). They see the app through `Explorer`, and
`explorer_of` is the one place that says the running app is one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.app import App

    from index import Dataset


class Explorer(Protocol):
    """The app as its panes and the palette see it."""

    dataset: Dataset | None
    preview: bool  # the detail follows the cursor
    hit_pos: int  # which search hit n/N opened last (-1: none yet)

    def follow(self, ref: str) -> None:
        """Open what a link names: a record (kind:id or bare id) or a URL (copied)."""

    def action_back_out(self) -> None:
        """Back out one level: to the Overview."""


def explorer_of(app: App[object]) -> Explorer:
    """The running app, as an Explorer (AllianceApp is the only app these widgets run in)."""
    return cast("Explorer", app)
