"""UI-free core of alliance explorer: data model, TOML loading and validation, search.

Importing this package is cheap: the search engine is imported only by the
modules that need it (`index.store`, `index.search`), and the TOML loader and
validator only when `load_dataset` is first used (a start from a snapshot never
needs them).
"""

from typing import TYPE_CHECKING, Any

from .dates import PartialDate
from .files import bundled_data_dir, resolve_data_dir
from .model import (
    GROUP_TYPES,
    MEMBER_TYPES,
    PROJECT_STATUSES,
    Alliance,
    Count,
    Dataset,
    Event,
    Figure,
    Group,
    Member,
    Person,
    Project,
    Quote,
    Record,
    Section,
    Topic,
    to_json,
)
from .problems import DataError, Problem

__all__ = [
    "GROUP_TYPES",
    "MEMBER_TYPES",
    "PROJECT_STATUSES",
    "Alliance",
    "Count",
    "DataError",
    "Dataset",
    "Event",
    "Figure",
    "Group",
    "Member",
    "PartialDate",
    "Person",
    "Problem",
    "Project",
    "Quote",
    "Record",
    "Section",
    "Topic",
    "bundled_data_dir",
    "load_dataset",
    "resolve_data_dir",
    "to_json",
]


if TYPE_CHECKING:
    from .load import load_dataset


def __getattr__(name: str) -> Any:
    if name == "load_dataset":
        from .load import load_dataset

        return load_dataset
    if name == "KINDS":  # the registered kinds' names, as of now (a test may register one)
        from .kinds import kind_names

        return kind_names()
    raise AttributeError(f"module 'index' has no attribute {name!r}")
