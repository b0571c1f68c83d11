"""Any string is a valid query: search never raises and its message is one line.

Each property runs a few dozen examples in the fast lane and its full count in a `slow`
twin (`..._full`), so `pytest -m "not slow"` stays quick and `pytest` searches as deep.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from index.search import SearchResult

FRAGMENTS = [
    '"',
    '""',
    '"open source',
    "(",
    ")",
    "((",
    "))",
    "()",
    ")(",
    "*",
    "~",
    "~2",
    "^",
    "^3",
    "[",
    "]",
    "{",
    "}",
    ":",
    "::",
    "field:",
    "kind:",
    "type:",
    "country:",
    "year:",
    "founding:",
    "speaker:",
    "lang:",
    "kind:member",
    "country:ch",
    "year:2024",
    "founding:maybe",
    "foo:bar",
    "rank:0",
    "ref:x",
    "AND",
    "OR",
    "NOT",
    "ANDNOT",
    "ANDMAYBE",
    "REQUIRE",
    "TO",
    "[a TO b]",
    "nasa",
    "hugg",
    "backbone",
    "Fédérale",
    "\x00",
    "\x1b[31m",
    "\n",
    "\r",
    "\t",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\ud800",
    "é",
    "ß",
    "İ",
    "ﬁ",
    "日本",
    "🙂",
    "\\",
    "'",
    "-",
    "+",
    "!",
    "?",
    "/",
    " ",
]

queries = st.one_of(
    st.text(),
    st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)), max_size=8).map(" ".join),
    st.builds(lambda s, n: (s or "x") * n, st.text(min_size=1, max_size=3), st.integers(1, 10_000)),
)


def check(result: SearchResult, query: str) -> None:
    assert isinstance(result, SearchResult)
    assert result.query == query
    assert isinstance(result.message, str)
    assert "\n" not in result.message and "\r" not in result.message, result.message
    assert len(result.message.splitlines()) <= 1, result.message
    assert isinstance(result.hits, list) and isinstance(result.total, int)
    assert result.total >= len(result.hits) or not result.hits
    assert isinstance(result.suggestion, str) and "\n" not in result.suggestion


# Search time varies with the query (a 10,000-character one is cut first): no deadline.
SETTINGS = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.too_slow]}


@settings(max_examples=50, **SETTINGS)
@given(query=queries)
@example(query="a" * 10_000)
@example(query='"' * 10_000)
@example(query="(" * 5_000 + ")" * 4_000)
@example(query="nasa " * 2_000)
@example(query="\x00\n\r\t" * 2_500)
@example(query='"open source is the backbone"')
@example(query="hugg face")
@example(query="rank:0")
@example(query="year:[2023 TO 2024]")
@example(query="nasa~3")
def test_any_string_is_a_valid_query(searcher, query):
    check(searcher.search(query), query)


@pytest.mark.slow
@settings(max_examples=300, **SETTINGS)
@given(query=queries)
def test_any_string_is_a_valid_query_full(searcher, query):
    check(searcher.search(query), query)


KINDS = st.sampled_from([None, "member", "quote", "event", "topic", "bogus", ""])


@settings(max_examples=20, **SETTINGS)
@given(query=queries, kind=KINDS)
def test_any_string_with_a_kind(searcher, query, kind):
    check(searcher.search(query, filters={"kind": kind} if kind else None), query)


@pytest.mark.slow
@settings(max_examples=50, **SETTINGS)
@given(query=queries, kind=KINDS)
def test_any_string_with_a_kind_full(searcher, query, kind):
    check(searcher.search(query, filters={"kind": kind} if kind else None), query)


@settings(max_examples=30, **SETTINGS)
@given(query=queries, limit=st.integers(-5, 50))
def test_any_limit(searcher, query, limit):
    check(searcher.search(query, limit=limit), query)


@pytest.mark.slow
@settings(max_examples=100, **SETTINGS)
@given(query=queries, limit=st.integers(-5, 50))
def test_any_limit_full(searcher, query, limit):
    check(searcher.search(query, limit=limit), query)


def test_a_long_query_is_cut(searcher):
    # The cut is what bounds the time of a pasted essay (tests/benchmarks time searches).
    words = " ".join(f"w{i:03d}x" for i in range(2000))  # 12,000 characters of unknown words
    result = searcher.search(words)
    check(result, words)
    assert result.message == "query cut to its first 500 characters"


WORDS = ["nasa", "hugg", "face", "open", "source", "backbone", "spergel", "zemlin", "the", "of", "and", "ibm", "arx"]


PLAIN_QUERIES = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


def check_no_internal_failure(searcher, query: str) -> None:
    # Plain lowercase words are the most ordinary queries: no internal failure may show up as a message.
    result = searcher.search(query)
    assert not result.message.startswith("search failed"), (query, result.message)


@settings(max_examples=30, **SETTINGS)
@given(query=PLAIN_QUERIES)
@example(query="hugg face")
def test_plain_words_never_fail_internally(searcher, query):
    check_no_internal_failure(searcher, query)


@pytest.mark.slow
@settings(max_examples=150, **SETTINGS)
@given(query=PLAIN_QUERIES)
def test_plain_words_never_fail_internally_full(searcher, query):
    check_no_internal_failure(searcher, query)
