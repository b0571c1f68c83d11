"""The snippet comes from the field that matched: the English text for English words, the
French rendering for French words and for `lang:fr` (issue 14)."""

from __future__ import annotations

import pytest

from .helpers import fold

SPERGEL = "quote:launch-simons-foundation-spergel"


def _hit(result, ref):
    return next(hit for hit in result.hits if hit.ref == ref)


def _french(dataset, ref):
    quote = dataset.resolve(ref)[0]
    return dict(quote.translations)["fr"]


def test_a_hit_by_name_shows_the_english_text(searcher, dataset):
    # "spergel" matched the speaker, in no body: the English text, not the French rendering.
    quote = dataset.resolve(SPERGEL)[0]
    snippet = _hit(searcher.search("spergel"), SPERGEL).snippet
    assert snippet.text.startswith(quote.text[:40]), snippet.text
    assert snippet.spans == ()


def test_an_english_word_marks_the_english_text(searcher, dataset):
    quote = dataset.resolve(SPERGEL)[0]
    snippet = _hit(searcher.search("strongly committed"), SPERGEL).snippet
    assert snippet.text.startswith(quote.text[:40])
    assert [snippet.text[a:b] for a, b in snippet.spans] == ["strongly", "committed"]


def test_lang_fr_shows_the_french_rendering(searcher, dataset):
    result = searcher.search("lang:fr", limit=50)
    assert result.hits
    for hit in result.hits:
        french = _french(dataset, hit.ref)
        assert hit.snippet.text.strip("…") in french, (hit.ref, hit.snippet.text)


@pytest.mark.parametrize("query", ["spergel lang:fr", "spergel"])
def test_lang_fr_as_option_or_in_the_query(searcher, dataset, query):
    # The filter as an option (`--lang fr`) acts as `lang:fr` in the text does.
    filters = {"lang": "fr"} if query == "spergel" else {}
    snippet = _hit(searcher.search(query, filters=filters), SPERGEL).snippet
    assert snippet.text.strip("…") in _french(dataset, SPERGEL)


def test_an_english_word_with_lang_fr_stays_on_the_english_text(searcher, dataset):
    # The French rendering has no "committed": the English text is where the match is.
    snippet = _hit(searcher.search("committed lang:fr"), SPERGEL).snippet
    assert [snippet.text[a:b] for a, b in snippet.spans] == ["committed"]


def test_french_words_mark_the_french_rendering(searcher, dataset):
    # "soutien" and "essentiel" are in the French rendering only.
    snippet = _hit(searcher.search("soutien essentiel"), SPERGEL).snippet
    assert snippet.text.strip("…") in _french(dataset, SPERGEL)
    assert {fold(snippet.text[a:b]) for a, b in snippet.spans} == {"soutien", "essentiel"}


def test_more_french_words_than_english_ones_pick_the_french(small):
    # "laboratoires ouverts": the English says "laboratory" (no stem in common with the
    # French) and has no "ouverts": the French rendering holds both words.
    hit = next(h for h in small.search("laboratoires ouverts").hits if h.ref == "quote:q-lyon")
    assert hit.snippet.text.startswith("Nos chercheuses")
    assert [fold(hit.snippet.text[a:b]) for a, b in hit.snippet.spans] == ["ouverts", "laboratoires"]
