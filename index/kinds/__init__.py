"""Record kinds, as one registry: what each kind is called, where it is written, how it is
checked, searched and described.

A kind is one module of this package (see `project.py` for a small one): its frozen record
dataclass, its field rules, its search document and its description rows, gathered in one
`Kind`. Registering it is all the core needs: loading and validation (index/load.py), the
links between records and their checks, the search index (index/documents.py), `show`,
`list` and JSON (tui/cli.py), the palette and the explorer's detail views all go through
the registry. The explorer draws a kind's list rows with tui/render.py's `ROWS` (a generic
row otherwise) and opens it in the pane `HOME_PANE` (tui/app.py) names.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any

from ..frozen import frozen

if TYPE_CHECKING:
    from ..describe import Row
    from ..model import Dataset
    from ..validate import Rule


@frozen
class Kind:
    """One kind of record and everything the core needs to handle it."""

    name: str  # "project": the REF prefix (project:tapestry), `kind:` filter value, JSON "kind"
    plural: str  # "projects": `alliance list projects`, counts, the Dataset attribute
    title: str  # "Projects": headings and search groups
    table: str  # the TOML array: "project" ([[project]]) or "alliance.topic"
    record: type  # a frozen dataclass: id, sources, origin, kind (init=False) and `title`
    # Field name -> Rule (index/validate.py); a function, so the validator is imported only
    # when TOML is parsed (a start from a snapshot never needs it).
    rules: Callable[[], Mapping[str, Rule]]
    document: Callable[[Any, Dataset], dict[str, object]]  # the search document's fields
    describe: Callable[[Any, Dataset], list[Row]]  # labelled rows, before the sources row
    # Field -> the kinds whose ids it holds (checked at load; followed as links).
    links: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # How a link to a record of this kind reads in another record's detail.
    link_text: Callable[[Any], str] = lambda record: str(record.title)
    citation: Callable[[Any, Dataset], str] | None = None  # `y` in the explorer; a default otherwise
    sort_key: Callable[[Any], Any] | None = None  # list order (file order if None)
    # Heading of the list of records of this kind that link to a given record ("quotes").
    backlink_title: str = ""
    # `alliance list`'s columns: (heading, the cell of a record). Default: id and title.
    columns: tuple[tuple[str, Callable[[Any], str]], ...] = ()

    def cells(self, record: Any) -> tuple[str, ...]:
        """One record's `list` line."""
        if not self.columns:
            return (record.id, str(record.title))
        return tuple(cell(record) for _, cell in self.columns)

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns) or ("id", "title")


_REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind (its name and TOML table must be new)."""
    if kind.name in _REGISTRY or any(k.table == kind.table for k in _REGISTRY.values()):
        raise ValueError(f"kind {kind.name!r} or table {kind.table!r} is already registered")
    _REGISTRY[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove a kind (tests that define a throwaway kind)."""
    _REGISTRY.pop(name, None)


@contextlib.contextmanager
def registered(kind: Kind) -> Iterator[Kind]:
    """A kind registered for the length of a `with` block."""
    register(kind)
    try:
        yield kind
    finally:
        unregister(kind.name)


def kinds() -> tuple[Kind, ...]:
    """Every registered kind, in registration order (the order of lists and search groups)."""
    return tuple(_REGISTRY.values())


def kind_names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def get_kind(name: str) -> Kind | None:
    return _REGISTRY.get(name)


def kind_of(record: Any) -> Kind:
    """The kind a record belongs to (records carry their kind's name)."""
    return _REGISTRY[record.kind]


def by_table() -> dict[str, Kind]:
    return {k.table: k for k in _REGISTRY.values()}


# The built-in kinds, in the order the explorer and the CLI list them.
from . import event, group, member, person, project, quote, topic  # noqa: E402

for _module in (member, quote, event, topic, project, group, person):
    register(_module.KIND)
