"""The filter table (index/filters.py) drives the parser, the CLI options, the help and the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.filters import FILTERS, markdown_table, syntax_line
from index.schema import build_schema
from tui.cli import build_parser
from tui.panes.search import SearchPane

from .helpers import refs

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_filter_searches_a_field_of_the_schema():
    names = build_schema().names()
    assert [f.field for f in FILTERS if f.field not in names] == []


@pytest.mark.parametrize("spec", FILTERS, ids=lambda f: f.name)
def test_each_example_keeps_some_records_and_not_all(searcher, spec):
    typed = searcher.search(f"{spec.name}:{spec.example}", limit=1000)
    everything = searcher.doc_count
    assert 0 < typed.total < everything, (spec.name, typed.total)


@pytest.mark.parametrize("spec", FILTERS, ids=lambda f: f.name)
def test_a_filter_option_is_the_filter_typed(searcher, spec):
    typed = searcher.search(f"{spec.name}:{spec.example}", limit=1000)
    given = searcher.search("", filters={spec.name: spec.example}, limit=1000)
    assert sorted(refs(given)) == sorted(refs(typed))
    # With words too: the filter keeps the word's hits of its kind only.
    assert set(refs(searcher.search("open", filters={spec.name: spec.example}, limit=1000))) <= set(refs(typed))


def test_filters_combine(searcher):
    both = searcher.search("", filters={"kind": "member", "country": "CH"}, limit=100)
    assert refs(both) and all(ref.startswith("member:") for ref in refs(both))
    assert set(refs(both)) == set(refs(searcher.search("kind:member country:ch", limit=100)))


def test_the_cli_has_an_option_per_filter_and_says_the_syntax():
    parser = build_parser()
    search = parser._subparsers._group_actions[0].choices["search"]  # type: ignore[union-attr]
    options = {option for action in search._actions for option in action.option_strings}
    assert {f"--{f.name}" for f in FILTERS} <= options
    assert syntax_line() in " ".join(search.format_help().split())


def test_the_search_help_and_the_readme_list_every_filter():
    for spec in FILTERS:
        assert f"{spec.name}:{spec.example}" in SearchPane.HELP
    assert markdown_table() in README.read_text(encoding="utf-8")
