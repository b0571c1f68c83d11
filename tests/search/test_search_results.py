"""Ranking and the shape of results: hits, snippets with match offsets, facets, limits."""

from __future__ import annotations

import pytest

from index import KINDS
from index.documents import document
from index.search import SNIPPET_CHARS, Hit, SearchResult, Snippet

from .helpers import fold, refs

QUERIES = [
    "nasa",
    "backbone",
    "open source",
    "university",
    "federale",
    "hugg",
    "speaker:howard",
    "kind:event year:2024",
]


# -- ranking -------------------------------------------------------------


def test_nasa_member_before_quotes_mentioning_nasa(searcher):
    found = refs(searcher.search("nasa"))
    assert found[0] == "member:nasa"
    assert found.index("member:nasa") < found.index("quote:launch-nasa-murphy")


@pytest.mark.parametrize(
    ("query", "ref"),
    [
        ("hugging face", "member:hugging-face"),
        ("linux foundation", "member:linux-foundation"),
        ("EPFL", "member:epfl"),
        ("Ecole Polytechnique Federale de Lausanne", "member:epfl"),
        ("National Aeronautics and Space Administration", "member:nasa"),
        ("ibm", "member:ibm"),
        ("meta", "member:meta"),
    ],
)
def test_names_rank_first(searcher, query, ref):
    assert refs(searcher.search(query))[:1] == [ref]


def test_every_member_ranks_above_quotes_that_mention_its_short_name(searcher, dataset):
    # "a search for 'nasa' should rank NASA itself above the quotes of NASA people" (index/documents.py)
    wrong = []
    for member in dataset.members:
        if not member.short_name:
            continue
        found = refs(searcher.search(member.short_name, limit=1000))
        ref = f"member:{member.id}"
        if ref not in found:
            wrong.append((member.short_name, "missing"))
            continue
        above = [r for r in found[: found.index(ref)] if r.startswith("quote:")]
        if above:
            wrong.append((member.short_name, above))
    assert wrong == []


@pytest.mark.parametrize("query", QUERIES)
def test_hits_are_sorted_by_score(searcher, query):
    scores = [hit.score for hit in searcher.search(query, limit=1000).hits]
    assert scores == sorted(scores, reverse=True)
    assert all(isinstance(s, float) and s > 0 for s in scores)


# -- hits ----------------------------------------------------------------


def test_hit_fields(searcher, dataset):
    result = searcher.search("nasa")
    assert isinstance(result, SearchResult)
    assert result.query == "nasa"
    hit = result.hits[0]
    assert isinstance(hit, Hit)
    assert (hit.kind, hit.id, hit.ref) == ("member", "nasa", "member:nasa")
    assert hit.title == "National Aeronautics and Space Administration (NASA)"
    assert isinstance(hit.snippet, Snippet)
    quote = next(h for h in result.hits if h.kind == "quote")
    assert quote.title == dataset.get("quote", quote.id).title
    for h in result.hits:
        assert h.kind in KINDS and dataset.get(h.kind, h.id) is not None


@pytest.mark.parametrize("query", QUERIES)
def test_every_hit_is_a_real_record(searcher, dataset, query):
    result = searcher.search(query, limit=1000)
    assert len(set(refs(result))) == len(result.hits)
    for hit in result.hits:
        assert dataset.get(hit.kind, hit.id) is not None, hit.ref


# -- snippets ------------------------------------------------------------


def test_backbone_spans(searcher):
    result = searcher.search("backbone")
    assert result.hits
    for hit in result.hits:
        text, spans = hit.snippet.text, hit.snippet.spans
        assert spans, hit.ref
        assert [text[a:b].lower() for a, b in spans] == ["backbone"] * len(spans), hit.ref


def test_snippet_window_keeps_a_late_match(searcher, dataset):
    # In Zilliz's quote "backbone" comes after the first 160 characters.
    body = dataset.get("quote", "feb2024-zilliz-xie").text
    assert body.lower().index("backbone") > SNIPPET_CHARS
    hit = next(h for h in searcher.search("backbone").hits if h.id == "feb2024-zilliz-xie")
    assert hit.snippet.text.startswith("…")
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.spans] == ["backbone"]
    assert hit.snippet.text.strip("…") in body


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("backbone", {"backbone"}),
        ("open source", {"open", "source"}),
        ("nasa", {"nasa"}),
        ("salathe", {"salathe"}),
        ("spergel arx", {"spergel", "arxiv"}),
    ],
)
def test_spans_index_the_snippet_text(searcher, query, words):
    result = searcher.search(query, limit=1000)
    marked = 0
    for hit in result.hits:
        text, spans = hit.snippet.text, hit.snippet.spans
        assert list(spans) == sorted(spans)
        previous_end = 0
        for start, end in spans:
            assert previous_end <= start < end <= len(text), (hit.ref, spans, len(text))
            previous_end = end
            # A span is a whole word: its folded text is one of the words searched for (or a stem variant).
            word = fold(text[start:end])
            assert any(word.startswith(w[:5]) for w in words), (hit.ref, word)
            marked += 1
    assert marked


def test_french_spans(small):
    hit = next(h for h in small.search("developpement").hits if h.id == "lyon")
    assert [fold(hit.snippet.text[a:b]) for a, b in hit.snippet.spans] == ["developpement"]
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.spans] == ["développement"]


def test_snippet_length_is_bounded(searcher):
    for hit in searcher.search("open source", limit=1000).hits:
        assert len(hit.snippet.text) <= SNIPPET_CHARS + 20 + 2, hit.ref


def test_member_title_does_not_repeat_the_short_name(searcher, dataset):
    # Some names already end with their short name: "Abdus Salam ... Physics (ICTP)".
    repeated = [
        document(m, dataset)["title"]
        for m in dataset.members
        if m.short_name and str(document(m, dataset)["title"]).count(f"({m.short_name})") > 1
    ]
    hit = next(h for h in searcher.search("ICTP", filters={"kind": "member"}).hits if h.id == "ictp")
    assert hit.title.count("(ICTP)") == 1, hit.title
    assert repeated == []


def test_title_spans_mark_the_name(searcher):
    hit = searcher.search("hugg").hits[0]
    assert [hit.title[a:b] for a, b in hit.title_spans] == ["Hugging"]


# -- facets --------------------------------------------------------------


def _year_of(record):
    """The date a record's year facet counts: members since they joined (else were listed),
    quotes and events their date, projects and groups their start; topics and people none."""
    date = {"member": "since", "quote": "date", "event": "date", "project": "started", "group": "started"}
    name = date.get(record.kind)
    return getattr(record, name) if name else None


@pytest.mark.parametrize("query", [*QUERIES, "founding:yes", "ibm"])
def test_facets_add_up(searcher, dataset, query):
    result = searcher.search(query, limit=1000)
    facets = result.facets
    assert set(facets) == {"kind", "type", "country", "year"}
    assert sum(facets["kind"].values()) == result.total
    records = [dataset.get(hit.kind, hit.id) for hit in result.hits]
    assert len(records) == result.total and None not in records
    # Members and groups have a type; members a country where a source establishes one.
    assert sum(facets["type"].values()) == sum(r.kind in ("member", "group") for r in records)
    assert sum(facets["country"].values()) == sum(r.kind == "member" and bool(r.country) for r in records)
    assert sum(facets["year"].values()) == sum(_year_of(r) is not None for r in records)
    assert all(code == code.upper() and len(code) == 2 for code in facets["country"])
    for name, counts in facets.items():
        assert all(isinstance(n, int) and n > 0 for n in counts.values()), name


def test_facets_match_the_dataset(searcher, dataset):
    founding = [m for m in dataset.members if m.founding]
    facets = searcher.search("founding:yes").facets
    assert facets["kind"] == {"member": len(founding)}
    for name, key in (("type", lambda m: m.type), ("country", lambda m: m.country)):
        expected: dict[str, int] = {}
        for m in founding:
            expected[key(m)] = expected.get(key(m), 0) + 1
        assert facets[name] == expected, name
    assert facets["year"] == {"2023": len(founding)}


def test_facets_count_every_match_not_only_the_shown_ones(searcher):
    every = searcher.search("open source", limit=1000)
    few = searcher.search("open source", limit=5)
    assert few.total == every.total > 5
    assert few.facets == every.facets


# -- limits --------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 5, 20])
def test_limit_caps_the_hits(searcher, limit):
    result = searcher.search("open source", limit=limit)
    assert result.total > 20
    shown = len(result.hits)
    assert shown == limit, f"{shown} hits for limit={limit}"


def test_limited_hits_are_the_best_ones(searcher):
    every = refs(searcher.search("open source", limit=1000))
    assert refs(searcher.search("open source", limit=5)) == every[:5]


def test_default_limit_is_twenty(searcher):
    result = searcher.search("open source")
    assert result.total > 20
    shown = len(result.hits)
    assert shown == 20, f"{shown} hits by default"


# -- empty and long queries ------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_empty_query(searcher, query):
    result = searcher.search(query)
    assert result.hits == [] and result.total == 0
    assert result.message == "" and result.suggestion == "" and not result.fuzzy


def test_long_query_is_cut_with_a_note(searcher):
    result = searcher.search("nasa " * 2000)
    assert result.message == "query cut to its first 500 characters"
    assert refs(result)[0] == "member:nasa"


def test_to_json(searcher):
    data = searcher.search("nasa").to_json()
    assert set(data) == {"query", "total", "suggestion", "fuzzy", "facets", "hits"}
    assert data["suggestion"] is None and data["fuzzy"] is False
    hit = data["hits"][0]
    assert set(hit) == {"kind", "id", "title", "score", "snippet"}
    assert set(hit["snippet"]) == {"text", "highlights"}
    assert searcher.search("nasaa").to_json()["suggestion"] == "nasa"


def test_founding_members_first_on_equal_scores(tmp_path) -> None:
    """Two members alike in every searched word: the founding one ranks first, wherever it is in the files."""
    from index.search import Searcher
    from index.store import open_index

    from .helpers import SMALL_FILES, write_dataset

    twins = "".join(
        f"""
[[member]]
id = "twin-{letter}"
name = "Twinkle Labs"
type = "company"
country = "US"
founding = {founding}
joined = 2023-12-05
summary = "Makes twinkles."
sources = ["https://example.org/{letter}"]
"""
        for letter, founding in (("one", "false"), ("two", "true"))  # ids alike in length
    )
    files = {**SMALL_FILES, "members.toml": SMALL_FILES["members.toml"] + twins}
    data = write_dataset(tmp_path / "data", files)
    searcher = Searcher(open_index(data, cache=tmp_path / "cache").ix)
    try:
        for query in ("twinkle", "twinkle labs", "twink"):
            result = searcher.search(query)
            assert refs(result)[:2] == ["member:twin-two", "member:twin-one"], query
            assert result.hits[0].score == pytest.approx(result.hits[1].score)
    finally:
        searcher.close()
