"""Record kinds are one registry (index/kinds/): a kind defined here, in this file only,
validates, links, indexes, searches and shows like the built-in ones."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from index import load_dataset
from index.describe import Row, describe, links, prose, row
from index.kinds import Kind, get_kind, kind_names, kinds, registered
from index.origin import NOWHERE, Origin
from index.store import open_index
from tests.builders import MINIMAL_FILES, problems, write
from tui.cli import main


@dataclass(frozen=True, slots=True)
class Gadget:
    id: str
    name: str
    blurb: str
    sources: tuple[str, ...]
    makers: tuple[str, ...] = ()
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)

    kind: str = field(default="gadget", init=False, repr=False)

    @property
    def title(self) -> str:
        return self.name


def _rules() -> Mapping[str, Any]:
    from index import validate as v

    return {
        "id": v.required(v.slug),
        "name": v.required(v.text),
        "blurb": v.required(v.text),
        "makers": v.optional(v.IDS),
        "sources": v.required(v.URLS),
    }


def _document(gadget: Gadget, dataset: Any) -> dict[str, object]:
    return {"label": gadget.name, "title": gadget.name, "names": gadget.name, "text": gadget.blurb}


def _describe(gadget: Gadget, dataset: Any) -> list[Row]:
    return row("name", gadget.name) + prose("blurb", gadget.blurb) + links("makers", dataset, gadget.makers)


GADGET = Kind(
    name="gadget",
    plural="gadgets",
    title="Gadgets",
    table="gadget",
    record=Gadget,
    rules=_rules,
    document=_document,
    describe=_describe,
    links={"makers": ("member",)},
)

GADGETS_TOML = """\
[[gadget]]
id = "widgetron"
name = "Widgetron"
blurb = "A frobnicating quasar lens."
makers = ["ibm"]
sources = ["https://example.org/widgetron"]
"""


@pytest.fixture
def gadgets() -> Iterator[Kind]:
    with registered(GADGET) as kind:
        yield kind
    assert get_kind("gadget") is None  # gone again: other tests see the built-in kinds only


@pytest.fixture
def gadget_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALLIANCE_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "data"
    for name, text in {**MINIMAL_FILES, "gadgets.toml": GADGETS_TOML}.items():
        write(data, name, text)
    return data


def test_the_built_in_kinds_are_registered_in_order():
    assert kind_names()[:4] == ("member", "quote", "event", "topic")
    assert {"project", "group", "person"} <= set(kind_names())
    assert len({k.table for k in kinds()}) == len(kinds())


def test_a_kind_registered_here_loads_links_and_describes(gadgets, gadget_data):
    dataset = load_dataset(gadget_data)
    (gadget,) = dataset.of("gadget")
    assert gadget == Gadget(
        "widgetron", "Widgetron", "A frobnicating quasar lens.", ("https://example.org/widgetron",), ("ibm",)
    )
    assert gadget.origin.line == 1 and gadget.origin.file.endswith("gadgets.toml")
    assert dataset.resolve("gadget:widgetron") == [gadget]
    rows = {r.label: r for r in describe(gadget, dataset)}
    assert rows["makers"].links == ("member:ibm",)
    assert rows["sources"].values == ("https://example.org/widgetron",)
    # The member it names lists it back, under the kind's plural.
    ibm = dataset.member("ibm")
    assert {r.label: r.links for r in describe(ibm, dataset)}["gadgets"] == ("gadget:widgetron",)


def test_a_bad_record_of_the_new_kind_names_file_line_id_and_field(gadgets, gadget_data):
    write(gadget_data, "gadgets.toml", GADGETS_TOML.replace('makers = ["ibm"]', 'makers = ["ibn"]\ncolour = "red"'))
    found = problems(gadget_data)
    assert "data/gadgets.toml:1: gadget 'widgetron': makers: no member with id 'ibn' (did you mean 'ibm'?)" in found
    assert any(p.startswith("data/gadgets.toml:6: gadget 'widgetron': unknown field 'colour'") for p in found), found


def test_without_the_kind_its_table_is_unknown(gadget_data):
    found = problems(gadget_data)
    assert any("unknown table 'gadget'" in p for p in found), found


def test_a_kind_registered_here_is_indexed_searched_and_shown(gadgets, gadget_data, capsys):
    dataset = load_dataset(gadget_data)
    searcher = open_index(gadget_data, dataset=dataset).searcher()
    result = searcher.search("quasar")
    assert [h.ref for h in result.hits] == ["gadget:widgetron"]
    assert [h.ref for h in searcher.search("", filters={"kind": "gadget"}).hits] == ["gadget:widgetron"]
    searcher.close()

    assert main(["show", "gadget:widgetron", "--data", str(gadget_data)]) == 0
    shown = capsys.readouterr().out
    assert "blurb: A frobnicating quasar lens." in shown and "makers: International Business Machines" in shown
    assert main(["list", "gadgets", "--json", "--data", str(gadget_data)]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "kind": "gadget",
            "id": "widgetron",
            "name": "Widgetron",
            "blurb": "A frobnicating quasar lens.",
            "sources": ["https://example.org/widgetron"],
            "makers": ["ibm"],
        }
    ]
    assert main(["search", "frobnicating", "--kind", "gadget", "--data", str(gadget_data)]) == 0
    assert capsys.readouterr().out.startswith("gadget:widgetron\tWidgetron")
