"""How panes and the palette talk to the app: messages up, attributes down.

Panes and providers are mounted under `AllianceApp`, but importing it from them would
make a circle (the app imports every pane). So state flows one way:

- up: a pane posts `OpenRef` or `BackOut`; the message bubbles to the app, which acts;
- down: the app sets what panes show (`ListDetailPane.preview`, `set_dataset`,
  `set_searcher`) and reads what they hold (the record shown, the search hits);
- the palette reads the dataset through `Explorer`, and `explorer_of` is the one place
  that says the running app is one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App

    from index import Dataset


class OpenRef(Message):
    """Open what a link names: a record (`kind:id` or a bare id) or a URL (copied)."""

    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref


class BackOut(Message):
    """Back out one level from a pane's list: to the Overview."""


class Explorer(Protocol):
    """The app as the palette sees it: read-only."""

    @property
    def dataset(self) -> Dataset | None:
        """The records shown (None while the data loads)."""


def explorer_of(app: App[object]) -> Explorer:
    """The running app, as an Explorer (AllianceApp is the only app these widgets run in)."""
    return cast("Explorer", app)
