"""Command palette provider: "go to" any member, quote, event or open question (fuzzy)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

if TYPE_CHECKING:
    from .app import AllianceApp


def highlight(matcher: Matcher, label: str) -> Content:
    """Like Matcher.highlight, which parses its candidate as markup: here data stays inert."""
    content = Content(label)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, label)
    for offset in offsets:
        if not label[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class GoToProvider(Provider):
    """One entry per record; the palette's matcher ranks them as people type."""

    MAX_HITS = 100  # the palette shows a screenful; ranking 100,000 Hit objects would lag
    _labels: list[tuple[str, str, str]] | None = None  # (label, casefolded label, ref)

    async def startup(self) -> None:
        self._labels = None

    def _targets(self) -> list[tuple[str, str, str]]:
        if self._labels is not None:
            return self._labels
        app: AllianceApp = self.app  # type: ignore[assignment]
        dataset = app.dataset
        targets: list[tuple[str, str]] = []
        if dataset is not None:
            for member in dataset.members:
                short = f" ({member.short_name})" if member.short_name else ""
                targets.append((f"Go to member: {member.name}{short}", f"member:{member.id}"))
            for quote in dataset.quotes:
                targets.append((f"Go to quote: {quote.title}", f"quote:{quote.id}"))
            for event in dataset.events:
                targets.append((f"Go to event: {event.date} {event.title}", f"event:{event.id}"))
            for topic in dataset.topics:
                targets.append((f"Go to open question: {topic.title}", f"topic:{topic.id}"))
        self._labels = [(label, label.casefold(), ref) for label, ref in targets]
        return self._labels

    async def search(self, query: str) -> Hits:
        app: AllianceApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        letters = [c for c in query.casefold() if not c.isspace()]
        scored: list[tuple[float, str, str]] = []
        for label, folded, ref in self._targets():
            # Cheap in-order letter test first: the fuzzy matcher is far slower.
            position = 0
            for char in letters:
                position = folded.find(char, position) + 1
                if not position:
                    break
            else:
                score = matcher.match(label)
                if score > 0:
                    scored.append((score, label, ref))
        scored.sort(key=lambda item: -item[0])
        for score, label, ref in scored[: self.MAX_HITS]:
            yield Hit(score, highlight(matcher, label), partial(app.follow, ref), text=label)

    async def discover(self) -> Hits:
        app: AllianceApp = self.app  # type: ignore[assignment]
        for label, _, ref in self._targets()[:20]:
            yield DiscoveryHit(Content(label), partial(app.follow, ref), text=label)
