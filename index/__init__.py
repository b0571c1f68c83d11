"""UI-free core of alliance explorer: data model, TOML loading and validation, search.

Importing this package is cheap: the search engine is imported only by the
modules that need it (`index.store`, `index.search`).
"""

from .dates import PartialDate
from .files import bundled_data_dir, resolve_data_dir
from .load import load_dataset
from .model import KINDS, MEMBER_TYPES, Alliance, Dataset, Event, Figure, Member, Quote, Record, Section, Topic, to_json
from .problems import DataError, Problem

__all__ = [
    "KINDS",
    "MEMBER_TYPES",
    "Alliance",
    "DataError",
    "Dataset",
    "Event",
    "Figure",
    "Member",
    "PartialDate",
    "Problem",
    "Quote",
    "Record",
    "Section",
    "Topic",
    "bundled_data_dir",
    "load_dataset",
    "resolve_data_dir",
    "to_json",
]
