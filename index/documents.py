"""Records as search documents: plain dicts of field -> text (no engine import)."""

from __future__ import annotations

from collections.abc import Iterator

from .dates import year_text
from .model import Dataset, Event, Member, Quote, Record, Topic


def _join(*parts: object) -> str:
    return "\n".join(str(p) for p in parts if p)


def document(record: Record, dataset: Dataset) -> dict[str, object]:
    """The fields of one record's search document (see schema.build_schema)."""
    doc: dict[str, object] = {
        "ref": f"{record.kind}:{record.id}",
        "kind": record.kind,
        "id": record.id,
    }
    id_words = record.id.replace("-", " ")
    if isinstance(record, Member):
        names = _join(record.name, record.short_name, *record.aliases, id_words)
        doc.update(
            label=record.name
            if not record.short_name or record.short_name in record.name
            else f"{record.name} ({record.short_name})",
            title=_join(record.name, record.short_name),
            names=names,
            prefix=names,
            text=_join(record.summary, record.note, record.region, record.type),
            body=record.summary,
            type=record.type,
            country=record.country.lower(),
            year=year_text(record.joined.year),
            founding="yes" if record.founding else "no",
            rank=0 if record.founding else 1,
            # Members are what people look up by name: ahead of a quote whose speaker is
            # "a Meta spokesperson" when someone types "meta".
            _names_boost=1.5,
            _prefix_boost=1.5,
            _title_boost=1.5,
        )
    elif isinstance(record, Quote):
        member = dataset.member(record.member) if record.member else None
        member_names = _join(member.name, member.short_name) if member else ""
        # The member's names go in the text, not in `names`: a search for "nasa"
        # should rank NASA itself above the quotes of NASA people.
        doc.update(
            label=record.title,
            title=record.speaker,  # not the first words: those must not outrank a member's name
            names=record.speaker,
            prefix=record.speaker,
            text=_join(record.text, record.role, member_names, record.note),
            text_fr=_join(*(text for lang, text in record.translations if lang == "fr")),
            body=record.text,
            body_fr=_join(*(text for lang, text in record.translations if lang == "fr")),
            year=year_text(record.date.year),
            speaker=record.speaker,
            lang=" ".join([record.lang, *(lang for lang, _ in record.translations)]),
            rank=0,
            # A quote's words are the thing itself; a summary elsewhere only reports them.
            _text_boost=1.3,
        )
        other = [text for lang, text in record.translations if lang != "fr"]
        if other:
            doc["text"] = _join(doc["text"], *other)
    elif isinstance(record, Event):
        member_names = [m.name for m in map(dataset.member, record.members) if m]
        doc.update(
            label=record.title,
            title=record.title,
            names=_join(record.title, id_words),
            prefix=record.title,
            text=_join(record.summary, " ".join(record.tags), record.note, *member_names),
            body=record.summary,
            year=year_text(record.date.year),
            rank=0,
        )
    elif isinstance(record, Topic):
        doc.update(
            label=record.title,
            title=record.title,
            names=_join(record.title, id_words),
            prefix=record.title,
            text=_join(record.summary, record.note),
            body=record.summary,
            rank=0,
        )
    return doc


def documents(dataset: Dataset) -> Iterator[dict[str, object]]:
    """Every record's document: members, quotes, events, then topics."""
    for record in (*dataset.members, *dataset.quotes, *dataset.events, *dataset.topics):
        yield document(record, dataset)
