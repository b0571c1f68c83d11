"""Open questions: controversies and what the sources leave unsettled (`[[alliance.topic]]`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING

from ..describe import Row, links, prose, row
from ..documents import id_words, join
from ..frozen import frozen
from ..origin import NOWHERE, Origin
from . import Kind

if TYPE_CHECKING:
    from ..model import Dataset
    from ..validate import Rule


@frozen(slots=True)
class Topic:
    """An open question: a controversy, or what the sources leave unsettled (`[[alliance.topic]]`)."""

    id: str
    title: str
    summary: str
    members: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)  # bookkeeping, not data

    kind: str = field(default="topic", init=False, repr=False)


def rules() -> Mapping[str, Rule]:
    from .. import validate as v

    return {
        "id": v.required(v.slug),
        "title": v.required(v.text),
        "summary": v.required(v.text),
        "members": v.optional(v.IDS),
        "sources": v.required(v.URLS),
        "note": v.optional(v.text),
    }


def document(topic: Topic, dataset: Dataset) -> dict[str, object]:
    return {
        "label": topic.title,
        "title": topic.title,
        "names": join(topic.title, id_words(topic)),
        "prefix": topic.title,
        "text": join(topic.summary, topic.note),
        "body": topic.summary,
    }


def describe(topic: Topic, dataset: Dataset) -> list[Row]:
    rows = row("title", topic.title)
    rows += prose("summary", topic.summary)
    rows += links("members", dataset, topic.members)
    rows += prose("note", topic.note)
    return rows


KIND = Kind(
    name="topic",
    plural="topics",
    title="Open questions",
    table="alliance.topic",
    record=Topic,
    rules=rules,
    document=document,
    describe=describe,
    links={"members": ("member",)},
    backlink_title="open questions",
)
