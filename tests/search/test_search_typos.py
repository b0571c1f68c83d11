"""Typo tolerance: a zero-hit query is retried fuzzy; did-you-mean suggestions."""

from __future__ import annotations

import pytest

from .helpers import refs


def test_nasaa(searcher):
    result = searcher.search("nasaa")
    assert result.fuzzy is True
    assert result.suggestion == "nasa"
    assert refs(result)[0] == "member:nasa"
    assert result.total == len(refs(searcher.search("nasa"))) == 4


def test_exact_hits_are_not_fuzzy(searcher):
    for query in ("nasa", "backbone", "hugg", "country:CH"):
        result = searcher.search(query)
        assert result.hits and result.fuzzy is False, query


@pytest.mark.parametrize(
    ("typo", "ref"),
    [
        # 4-7 letters: one edit is tolerated.
        ("hickz", "quote:launch-red-hat-hicks"),  # hicks
        ("spergek", "quote:launch-simons-foundation-spergel"),  # spergel
        ("zilxiz", "member:zilliz"),  # zilliz
        ("universty", "member:epfl"),  # 9 letters, one edit
        # 8 letters and more: two edits are tolerated.
        ("fondatiin", "member:linux-foundation"),  # foundation: one deletion, one substitution
        ("backbpnr", "quote:launch-fast-ai-howard"),  # backbone: two substitutions
        ("univrsitty", "member:university-of-tokyo"),  # university: one deletion, one insertion
    ],
)
def test_typo_within_the_distance_is_found(searcher, typo, ref):
    result = searcher.search(typo, limit=1000)
    assert result.fuzzy is True, typo
    assert ref in refs(result), (typo, refs(result)[:5])


@pytest.mark.parametrize(
    "typo",
    [
        "hixkz",  # hicks: two edits in 5 letters
        "spergkk",  # spergel: two edits in 7 letters
        "naasaa",  # nasa: two insertions
        "ibn",  # under 4 letters: no typo tolerance at all
    ],
)
def test_typo_beyond_the_distance_is_not_found(searcher, typo):
    result = searcher.search(typo)
    assert result.hits == [] and result.total == 0
    assert result.fuzzy is False


@pytest.mark.parametrize(
    ("typo", "word", "ref"),
    [
        ("collaboraton", "collaboration", "quote:launch-red-hat-hicks"),  # one deletion, 12 letters
        ("colaboraton", "collaboration", "quote:launch-red-hat-hicks"),  # two deletions, 11 letters
    ],
)
def test_typo_in_a_word_of_the_running_text(searcher, typo, word, ref):
    # The word occurs only in summaries and quotes (stemmed fields), not in any name.
    assert ref in refs(searcher.search(word, limit=1000))
    result = searcher.search(typo, limit=1000)
    assert result.suggestion == word
    assert result.fuzzy is True, (typo, result.total)
    assert ref in refs(result)


@pytest.mark.parametrize(
    "query",
    [
        "nasa",
        "backbone",
        "hugging face",
        "hugg",
        "open source",
        "spergel",
        "Salathé",
        "Fédérale",
        "country:CH type:university",
        "speaker:howard",
        "kind:quote nasa",
        "zemlin",
    ],
)
def test_no_suggestion_for_a_correct_query(searcher, query):
    result = searcher.search(query)
    assert result.hits
    assert result.suggestion == ""


def test_no_suggestion_for_a_correctly_spelled_inflection(searcher):
    # "milestones" is spelled right and finds Zemlin's quote ("milestone") by stemming.
    result = searcher.search("milestones")
    assert result.hits and not result.fuzzy
    assert result.suggestion == ""


def test_suggestion_replaces_only_the_misspelled_word(searcher):
    result = searcher.search("kind:member nasaa")
    assert result.suggestion == "kind:member nasa"
    assert refs(result) == ["member:nasa"]
