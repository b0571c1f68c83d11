"""Query syntax: words ANDed, "phrases", OR / NOT / parentheses, and filters."""

from __future__ import annotations

import re

import pytest

from index.kinds import kind_names

from .helpers import refs

ALL = 1000  # a limit above the number of documents


def ids(searcher, query, **kwargs) -> set[str]:
    result = searcher.search(query, limit=ALL, **kwargs)
    assert result.message == "", (query, result.message)
    return set(refs(result))


# -- words ---------------------------------------------------------------


def test_words_are_anded(searcher):
    both = ids(searcher, "backbone leading")
    assert both == ids(searcher, "backbone") & ids(searcher, "leading")
    assert both == {"quote:launch-fast-ai-howard", "member:fast-ai"}


def test_word_order_does_not_matter(searcher):
    assert ids(searcher, "leading backbone") == ids(searcher, "backbone leading")


def test_words_that_never_meet_find_nothing(searcher):
    result = searcher.search("spergel zemlin")
    assert result.hits == [] and result.total == 0


@pytest.mark.parametrize(
    ("query", "ref"),
    [
        ("the backbone", "quote:launch-fast-ai-howard"),
        ("open source is the backbone", "quote:launch-fast-ai-howard"),
        ("intel and amd", "event:2024-05-french-article"),
    ],
)
def test_common_words_do_not_empty_a_query(searcher, dataset, query, ref):
    # Every word of the query occurs in the record, so the AND of the words must find it;
    # stop words ("the", "is", "and") must not turn the query into "no hits".
    record = dataset.get(*ref.split(":"))
    words = re.findall(r"\w+", (getattr(record, "text", "") or getattr(record, "summary", "")).lower())
    assert all(word in words for word in query.split())
    result = searcher.search(query)
    assert result.message == ""
    assert ref in refs(result), (query, refs(result))


# -- phrases -------------------------------------------------------------


def test_single_word_phrase(searcher):
    result = searcher.search('"backbone"')
    assert result.message == ""
    assert refs(result)[0] == "quote:launch-fast-ai-howard"


@pytest.mark.parametrize("phrase", ['"open source is the backbone"', '"backbone of all leading"', '"Open Source"'])
def test_phrase_finds_the_quote(searcher, phrase):
    result = searcher.search(phrase)
    assert result.message == "", result.message
    assert "quote:launch-fast-ai-howard" in refs(result)
    if "backbone" in phrase:
        assert refs(result)[0] == "quote:launch-fast-ai-howard"


def test_phrase_requires_the_words_in_order(searcher):
    # Zilliz's quote has "the backbone of enabling", not "backbone of all leading".
    assert "quote:feb2024-zilliz-xie" in ids(searcher, "backbone")
    result = searcher.search('"backbone of all leading"')
    assert result.message == "", result.message
    assert set(refs(result)) == {"quote:launch-fast-ai-howard", "member:fast-ai"}
    # The words in another order are not the phrase.
    assert "quote:launch-fast-ai-howard" in ids(searcher, "leading backbone")
    reversed_phrase = searcher.search('"leading backbone"')
    assert reversed_phrase.message == "", reversed_phrase.message
    assert "quote:launch-fast-ai-howard" not in refs(reversed_phrase)


def test_unbalanced_quote_is_not_an_error(searcher):
    result = searcher.search('"backbone')
    assert "quote:launch-fast-ai-howard" in refs(result)
    assert not result.message.startswith("search failed")


# -- operators -----------------------------------------------------------


def test_or(searcher):
    either = ids(searcher, "spergel OR zemlin")
    assert either == ids(searcher, "spergel") | ids(searcher, "zemlin")
    assert {"quote:launch-simons-foundation-spergel", "quote:launch-linux-foundation-zemlin"} <= either


def test_not(searcher):
    assert ids(searcher, "backbone NOT zilliz") == {"quote:launch-fast-ai-howard", "member:fast-ai"}


def test_parentheses_group(searcher):
    grouped = ids(searcher, "(spergel OR zemlin) kind:quote")
    assert grouped == {"quote:launch-simons-foundation-spergel", "quote:launch-linux-foundation-zemlin"}
    nasa_or_member = ids(searcher, "nasa OR (spergel kind:member)")
    assert nasa_or_member == ids(searcher, "nasa") | {"member:simons-foundation"}
    # Parentheses change the meaning: without them the filter applies to both words.
    assert ids(searcher, "nasa OR spergel kind:member") == {"member:nasa", "member:simons-foundation"}
    others = [name for name in kind_names() if name not in ("quote", "member")]
    assert ids(searcher, "open NOT (kind:quote OR kind:member)") == set().union(
        *(ids(searcher, f"open kind:{name}") for name in others)
    )


# -- filters -------------------------------------------------------------


def test_kind_filter(searcher, dataset):
    members = ids(searcher, "kind:member")
    assert members == {f"member:{m.id}" for m in dataset.members}
    assert ids(searcher, "kind:quote nasa") == {"quote:launch-nasa-murphy"}
    assert all(r.startswith("event:") for r in ids(searcher, "kind:event open source"))


@pytest.mark.parametrize(
    "query", ["country:CH type:university", "country:ch type:university", "type:university country:Ch"]
)
def test_country_and_type(searcher, query):
    assert ids(searcher, query) == {"member:epfl", "member:eth-zurich"}


def test_country_filter_matches_the_dataset(searcher, dataset):
    assert ids(searcher, "country:JP") == {f"member:{m.id}" for m in dataset.members if m.country == "JP"}


def test_type_filter_matches_the_dataset(searcher, dataset):
    for kind in ("company", "university", "research", "nonprofit", "government"):
        assert ids(searcher, f"type:{kind}") == {f"member:{m.id}" for m in dataset.members if m.type == kind}, kind


def test_year_filter_on_events(searcher, dataset):
    expected = {f"event:{e.id}" for e in dataset.events if e.date.year == 2024}
    assert expected
    assert ids(searcher, "kind:event year:2024") == expected


def test_year_filter_on_quotes_and_members(searcher, dataset):
    assert ids(searcher, "kind:quote year:2023") == {f"quote:{q.id}" for q in dataset.quotes if q.date.year == 2023}
    # A member's year is when it joined, else when it was first listed.
    assert ids(searcher, "kind:member year:2024") == {
        f"member:{m.id}" for m in dataset.members if m.since and m.since.year == 2024
    }


@pytest.mark.parametrize(("value", "founding"), [("yes", True), ("no", False)])
def test_founding_filter(searcher, dataset, value, founding):
    expected = {f"member:{m.id}" for m in dataset.members if m.founding == founding}
    assert len(expected) == (57 if founding else 84)
    assert ids(searcher, f"founding:{value}") == expected


def test_filters_combine_with_words(searcher, dataset):
    assert ids(searcher, "founding:yes country:CH") == {"member:epfl", "member:eth-zurich", "member:cern"}
    university = ids(searcher, "university")
    for value, founding in (("yes", True), ("no", False)):
        members = {f"member:{m.id}" for m in dataset.members if m.founding == founding}
        assert ids(searcher, f"founding:{value} university") == university & members
    assert ids(searcher, "type:company open") == {
        r for r in ids(searcher, "open") if r in ids(searcher, "type:company")
    }


@pytest.mark.parametrize(
    ("query", "speaker"), [("speaker:howard", "Howard"), ("speaker:spergel", "Spergel"), ("speaker:Spergel", "Spergel")]
)
def test_speaker_filter(searcher, dataset, query, speaker):
    expected = {f"quote:{q.id}" for q in dataset.quotes if speaker in re.findall(r"\w+", q.speaker)}
    assert expected
    assert ids(searcher, query) == expected


def test_speaker_filter_examples(searcher):
    assert ids(searcher, "speaker:spergel") == {"quote:launch-simons-foundation-spergel"}
    assert ids(searcher, "speaker:howard") == {"quote:launch-fast-ai-howard"}


def test_lang_filter(searcher, dataset):
    expected = {
        f"quote:{q.id}" for q in dataset.quotes if q.lang == "fr" or any(lang == "fr" for lang, _ in q.translations)
    }
    assert expected
    assert ids(searcher, "lang:fr") == expected
    assert ids(searcher, "lang:FR") == expected


def test_filter_alone_has_no_suggestion_and_no_fuzzy(searcher):
    result = searcher.search("country:CH type:university")
    assert result.suggestion == "" and not result.fuzzy


def test_kind_argument(searcher):
    assert ids(searcher, "nasa", filters={"kind": "quote"}) == {"quote:launch-nasa-murphy"}
    assert ids(searcher, "nasa", filters={"kind": "member"}) == {"member:nasa"}
    assert ids(searcher, "nasa", filters={"kind": "MEMBER"}) == {"member:nasa"}
    assert ids(searcher, "kind:member", filters={"kind": "quote"}) == set()


def test_unknown_filter_is_not_an_error(searcher):
    result = searcher.search("foo:bar")
    assert not result.message.startswith("search failed")
    assert result.hits == []


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("spergel", "topic"),
        ("hugg face", None),
        ("OR nasa", None),
        ("Kind:Member nasa", None),
    ],
)
def test_zero_hit_query_with_a_prefix_does_not_fail(searcher, query, kind):
    # No exact hits: the query is retried typo-tolerant. The last word (3+ letters) was also
    # expanded as a prefix over the text; that retry must not crash.
    result = searcher.search(query, filters={"kind": kind} if kind else None)
    assert not result.message.startswith("search failed"), (query, kind, result.message)
    assert result.message == ""
