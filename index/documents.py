"""Records as search documents: plain dicts of field -> text (no engine import).

Each kind writes its own document (index/kinds/); this module adds the fields every
document has (ref, kind, id) and walks the dataset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Dataset


def join(*parts: object) -> str:
    """The non-empty parts, one per line."""
    return "\n".join(str(p) for p in parts if p)


def id_words(record: Any) -> str:
    """An id as words ('uc-berkeley' -> 'uc berkeley'), and joined ('ucberkeley'): people
    type ids too."""
    words = str(record.id).split("-")
    return " ".join(words) + (" " + "".join(words) if len(words) > 1 else "")


def joined(*names: str) -> str:
    """Each name of two to four words also written as one ('Hugging Face' -> 'HuggingFace'),
    as people often type it."""
    out = []
    for name in names:
        words = [w for w in re.split(r"[\s\-_.·/]+", name) if w]
        if 2 <= len(words) <= 4:
            out.append("".join(words))
    return " ".join(out)


def document(record: Any, dataset: Dataset) -> dict[str, object]:
    """The fields of one record's search document (see schema.build_schema)."""
    from .kinds import kind_of

    doc: dict[str, object] = {"ref": f"{record.kind}:{record.id}", "kind": record.kind, "id": record.id, "rank": 0}
    doc.update(kind_of(record).document(record, dataset))
    return doc


def documents(dataset: Dataset) -> Iterator[dict[str, object]]:
    """Every record's document, kind by kind in registry order (members first)."""
    from .kinds import kinds

    for kind in kinds():
        for record in dataset.of(kind.name):
            yield document(record, dataset)
