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

from index.frozen import frozen

if TYPE_CHECKING:
    from textual.app import App

    from index import Dataset


@frozen
class HitContext:
    """A record opened from the search results: which hit it is, and the words that matched."""

    ref: str  # the record opened
    query: str
    position: int  # 1-based, in rank order
    total: int
    words: tuple[str, ...]  # matched words, lower case, as the snippets show them


class OpenRef(Message):
    """Open what a link names: a record (`kind:id` or a bare id) or a URL (copied).

    `hit` when it is a search hit: the record then shows which hit it is, with the
    matched words marked, and Esc or Back returns to the results.
    """

    def __init__(self, ref: str, hit: HitContext | None = None) -> None:
        super().__init__()
        self.ref = ref
        self.hit = hit


class BackOut(Message):
    """Back out one level: from a pane's list to the Overview, or (`to`) to a pane."""

    def __init__(self, to: str | None = None) -> None:
        super().__init__()
        self.to = to


class Explorer(Protocol):
    """The app as the palette sees it: read-only."""

    @property
    def dataset(self) -> Dataset | None:
        """The records shown (None while the data loads)."""


def explorer_of(app: App[object]) -> Explorer:
    """The running app, as an Explorer (AllianceApp is the only app these widgets run in)."""
    return cast("Explorer", app)
