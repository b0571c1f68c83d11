"""Searches that used to miss: joined names, British and American spellings, unknown
filter values, and unquoted words on the command line."""

from __future__ import annotations

import json

import pytest

from tui.cli import main

from .helpers import refs


@pytest.mark.parametrize("query", ["huggingface", "HuggingFace", "hugging-face", "hugging face"])
def test_a_name_typed_as_one_word_or_as_its_id(searcher, query):
    assert refs(searcher.search(query))[0] == "member:hugging-face"


def test_a_typo_of_the_joined_name_is_corrected(searcher):
    result = searcher.search("hugingface")
    assert result.fuzzy and refs(result)[0] == "member:hugging-face"
    assert result.suggestion == "huggingface"


@pytest.mark.parametrize(
    ("british", "american"), [("licence", "license"), ("centre", "center"), ("organisation", "organization")]
)
def test_british_and_american_spellings_find_the_same(searcher, british, american):
    one, other = searcher.search(british, limit=500), searcher.search(american, limit=500)
    assert one.hits and sorted(refs(one)) == sorted(refs(other))
    assert not one.fuzzy and not other.fuzzy


def test_both_spellings_are_marked_in_the_snippets(searcher):
    result = searcher.search("licence", limit=500)
    marked = {hit.title[a:b].casefold() for hit in result.hits for a, b in hit.title_spans} | {
        hit.snippet.text[a:b].casefold() for hit in result.hits for a, b in hit.snippet.spans
    }
    assert {"licence", "license"} <= marked


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("kind:bogus nasa", "kind:bogus: kind takes member, quote, event, topic, project, group, person"),
        ("type:foo", "type:foo: type takes company"),
        ("founding:maybe", "founding:maybe: founding takes yes, no"),
        ("status:finished", "status:finished: status takes managed, supported, member-run, ended"),
    ],
)
def test_a_filter_value_it_never_takes_is_said(searcher, query, said):
    result = searcher.search(query)
    assert result.hits == [] and said in result.message


def test_known_filter_values_say_nothing(searcher):
    for query in ("kind:member nasa", "type:chapter", "founding:true", "status:managed"):
        result = searcher.search(query)
        assert result.hits and result.message == "", (query, result.message)


def test_unquoted_words_on_the_command_line_are_one_query(bundled, monkeypatch, capsys):
    monkeypatch.setenv("ALLIANCE_CACHE", str(bundled.cache))
    assert main(["search", "open", "source", "--json"]) == 0
    unquoted = json.loads(capsys.readouterr().out)
    assert main(["search", "open source", "--json"]) == 0
    quoted = json.loads(capsys.readouterr().out)
    assert unquoted["query"] == "open source" and unquoted["hits"] == quoted["hits"]
