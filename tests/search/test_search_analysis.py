"""Analysis: lowercase, fold accents, stem (English, and French for translations); prefixes while typing."""

from __future__ import annotations

import pytest

from .helpers import fold, refs


@pytest.mark.parametrize("query", ["federale", "Fédérale", "FEDERALE", "fédérale", "FÉDÉRALE"])
def test_case_and_accents_do_not_matter(searcher, query):
    result = searcher.search(query)
    assert result.message == ""
    assert refs(result)[0] == "member:epfl"
    assert not result.fuzzy


def test_accented_query_finds_unaccented_data_and_back(searcher):
    # The data writes "Salathé"; both spellings find the same records.
    assert refs(searcher.search("salathe")) == refs(searcher.search("Salathé"))
    assert "member:epfl" in refs(searcher.search("salathe"))


def test_english_stemming(searcher):
    # "backbones" is not in the data, "backbone" is.
    assert set(refs(searcher.search("backbones"))) == set(refs(searcher.search("backbone")))
    assert "quote:launch-fast-ai-howard" in refs(searcher.search("backbones"))


@pytest.mark.parametrize("query", ["developpement", "développement", "DEVELOPPEMENT", "Développement"])
def test_unaccented_query_finds_accented_summary(small, query):
    result = small.search(query)
    assert "member:lyon" in refs(result)
    assert not result.fuzzy
    hit = next(h for h in result.hits if h.ref == "member:lyon")
    words = [fold(hit.snippet.text[a:b]) for a, b in hit.snippet.spans]
    assert words == ["developpement"], hit.snippet


def test_french_translation_is_searched(small):
    # translations.fr holds "développements": found by the singular, with and without accents.
    for query in ("développement", "developpement", "développements"):
        result = small.search(query)
        assert "quote:q-lyon" in refs(result), query


@pytest.mark.parametrize(
    ("query", "word"),
    [
        # English stemming would not join these: only the French stemmer does.
        ("nationaux", "nationaux"),
        ("national ", "nationaux"),
        ("heureux ", "heureuses"),
        ("heureuses", "heureuses"),
    ],
)
def test_french_stemming_of_translations(small, query, word):
    result = small.search(query)
    assert refs(result) == ["quote:q-lyon"], (query, refs(result))
    snippet = result.hits[0].snippet
    # The English text has no match: the snippet is the French text, with the match marked.
    assert snippet.text.startswith("Nos chercheuses")
    assert [snippet.text[a:b] for a, b in snippet.spans] == [word]


def test_french_only_word_does_not_need_english(small):
    # "laboratoires" appears only in the French translation (the English says "laboratory").
    result = small.search("laboratoire")
    assert "quote:q-lyon" in refs(result)
    hit = result.hits[refs(result).index("quote:q-lyon")]
    assert [fold(hit.snippet.text[a:b]) for a, b in hit.snippet.spans] == ["laboratoires"]


@pytest.mark.parametrize(
    ("prefix", "ref"),
    [
        ("hugg", "member:hugging-face"),
        ("Hugg", "member:hugging-face"),
        ("lin", "member:linux-foundation"),
        ("nas", "member:nasa"),
    ],
)
def test_prefix_of_a_name_ranks_first(searcher, prefix, ref):
    result = searcher.search(prefix)
    assert refs(result)[0] == ref, refs(result)[:5]
    assert not result.fuzzy


@pytest.mark.parametrize(
    ("prefix", "ref"), [("zeml", "quote:launch-linux-foundation-zemlin"), ("sperg", "member:simons-foundation")]
)
def test_prefix_of_a_speaker_or_text_word(searcher, prefix, ref):
    assert ref in refs(searcher.search(prefix))[:3]


@pytest.mark.parametrize(
    ("typed", "ref"),
    [("nasa", "member:nasa"), ("hugging face", "member:hugging-face"), ("linux foundation", "member:linux-foundation")],
)
def test_every_keystroke(searcher, typed, ref):
    for end in range(1, len(typed) + 1):
        text = typed[:end]
        result = searcher.search(text)
        assert "\n" not in result.message
        assert not result.message.startswith("search failed"), (text, result.message)
        if len(text.strip()) >= 3:
            assert ref in refs(result)[:3], (text, refs(result)[:5])
        else:
            # One or two letters: many candidates, but the member is among the first hits.
            assert ref in refs(result)[:20], (text, refs(result)[:20])


def test_prefix_only_for_the_last_word(searcher):
    # "hugg" is complete only as the last word; earlier words must match whole.
    assert refs(searcher.search("face hugg"))[:1] == ["member:hugging-face"]
    result = searcher.search("hugg face")
    assert "member:hugging-face" not in refs(result) or result.fuzzy


def test_prefix_over_text_words(searcher):
    # Three letters or more also expand over running text: "backbo" -> "backbone".
    assert {"quote:launch-fast-ai-howard", "member:fast-ai"} <= set(refs(searcher.search("backbo")))
    assert set(refs(searcher.search("spergel arx"))) == {
        "quote:launch-simons-foundation-spergel",
        "member:simons-foundation",
    }


def test_trailing_space_ends_the_prefix(searcher):
    result = searcher.search("hugg ")
    assert result.fuzzy or not result.hits, refs(result)
    assert refs(searcher.search("hugging "))[0] == "member:hugging-face"
