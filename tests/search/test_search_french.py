"""Searching in French (issue 16): country names and type words as French readers type them."""

from __future__ import annotations

from .helpers import refs


def members_of(dataset, **where) -> set[str]:  # type: ignore[no-untyped-def]
    return {f"member:{m.id}" for m in dataset.members if all(getattr(m, k) == v for k, v in where.items())}


def test_a_french_country_name_finds_that_countrys_members(searcher, dataset) -> None:
    swiss = members_of(dataset, country="CH")
    assert len(swiss) >= 3
    for query in ("suisse", "Suisse"):
        found = set(refs(searcher.search(query, limit=200)))
        assert swiss <= found, sorted(swiss - found)
    japanese = members_of(dataset, country="JP")
    assert japanese and japanese <= set(refs(searcher.search("japon", limit=200)))


def test_an_english_country_name_finds_them_too(searcher, dataset) -> None:
    swiss = members_of(dataset, country="CH")
    assert swiss <= set(refs(searcher.search("switzerland", limit=200)))


def test_a_french_type_word_finds_that_type(searcher, dataset) -> None:
    universities = members_of(dataset, type="university")
    for query in ("université", "universite", "universités"):  # plural: French stems
        found = set(refs(searcher.search(query, limit=500)))
        assert universities <= found, (query, sorted(universities - found)[:5])


def test_a_type_filter_takes_the_french_word(searcher) -> None:
    english = refs(searcher.search("type:university", limit=500))
    assert english
    assert refs(searcher.search("type:université", limit=500)) == english
    assert refs(searcher.search("type:universite country:CH", limit=500)) == refs(
        searcher.search("type:university country:CH", limit=500)
    )
