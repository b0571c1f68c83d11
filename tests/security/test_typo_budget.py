"""Finding 16 (typo budget): a keystroke's typo-tolerant search stays within its time limit.

The explorer searches each keystroke with `search(text, limit=30, count=False,
time_limit=0.03)`. The time limit bounded the first collection only: the did-you-mean
corrections, the FuzzyTerm expansions (a walk over the on-disk term table, before any time
limit can act) and a second full collection came on top (48-180 ms under load). These tests
pin the *work* done, not wall-clock time: with a clock that is already past the deadline no
correction is computed and no fuzzy term is built; under a time limit fuzzy terms are never
used (corrections come from the in-memory vocabulary, cached across keystrokes); without a
time limit (the search once typing pauses) typo tolerance is complete as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from whoosh import query as wq

import index.search
from index import bundled_data_dir
from index.search import COLLECT_SHARE, Searcher
from index.store import open_index


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return open_index(bundled_data_dir(), cache=tmp_path_factory.mktemp("typo-cache")).ix


@pytest.fixture
def searcher(ix: Any) -> Iterator[Searcher]:
    """A fresh searcher: no corrections cached from another test."""
    fresh = Searcher(ix)
    yield fresh
    fresh.close()


@pytest.fixture
def fuzzy_terms(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The words every FuzzyTerm is built for (a FuzzyTerm walks the term table)."""
    built: list[str] = []
    real = wq.FuzzyTerm

    class Spy(real):  # type: ignore[misc, valid-type]
        def __init__(self, fieldname: str, text: str, *args: Any, **kwargs: Any) -> None:
            built.append(text)
            super().__init__(fieldname, text, *args, **kwargs)

    monkeypatch.setattr(wq, "FuzzyTerm", Spy)
    return built


def refs(result: Any) -> list[str]:
    return [hit.ref for hit in result.hits]


def test_out_of_time_the_typo_path_does_nothing(
    searcher: Searcher, fuzzy_terms: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An artificially slow clock: every reading is 50 ms after the last."""
    now = [0.0]

    def slow_clock() -> float:
        now[0] += 0.05
        return now[0]

    vocabulary = searcher.vocabulary
    monkeypatch.setattr(index.search, "_clock", slow_clock)
    result = searcher.search("nasaa univrsity fondatiin", limit=30, count=False, time_limit=0.03)
    assert vocabulary.lookups == 0, "corrections computed after the deadline"
    assert fuzzy_terms == []
    assert result.hits == [] and result.suggestion == "" and result.fuzzy is False
    assert result.partial is True  # so the explorer completes it once typing pauses
    assert result.message == ""


def test_keystroke_typos_use_no_fuzzy_terms(searcher: Searcher, fuzzy_terms: list[str]) -> None:
    result = searcher.search("nasaa", limit=30, count=False, time_limit=10.0)  # plenty of time
    assert fuzzy_terms == []
    assert result.fuzzy is True and refs(result)[0] == "member:nasa"
    assert result.suggestion == "nasa"


@pytest.mark.parametrize(
    ("typo", "ref"),
    [
        ("universty", "member:epfl"),
        ("fondatiin", "member:linux-foundation"),
        ("colaboraton", "quote:launch-red-hat-hicks"),
        ("zilxiz", "member:zilliz"),
    ],
)
def test_keystroke_typos_still_find(searcher: Searcher, typo: str, ref: str) -> None:
    result = searcher.search(typo, limit=1000, count=False, time_limit=10.0)
    assert result.fuzzy is True and ref in refs(result), refs(result)[:5]


def test_corrections_are_computed_once_per_word(searcher: Searcher) -> None:
    """Typing on after a typo ("goverance s", "goverance sa", ...) does not correct it again."""
    vocabulary = searcher.vocabulary
    typed = "univrsitty fondatiin"
    for end in range(len("univrsitty "), len(typed) + 1):
        searcher.search(typed[:end], limit=30, count=False, time_limit=10.0)
    # univrsitty once; each prefix of the second word at most once.
    assert vocabulary.lookups <= 1 + len("fondatiin"), vocabulary.lookups
    before = vocabulary.lookups
    for end in range(len("univrsitty "), len(typed) + 1):
        searcher.search(typed[:end], limit=30, count=False, time_limit=10.0)
    assert vocabulary.lookups == before


def test_nearest_cache_is_bounded(searcher: Searcher) -> None:
    vocabulary = searcher.vocabulary
    for n in range(index.search.NEAREST_CACHE + 50):
        vocabulary.nearest(f"word{n}", 1)
    assert len(vocabulary._nearest) <= index.search.NEAREST_CACHE


def test_without_a_time_limit_typo_tolerance_is_complete(searcher: Searcher, fuzzy_terms: list[str]) -> None:
    """The search once typing pauses: fuzzy terms over names and titles, as before."""
    result = searcher.search("nasaa")
    assert fuzzy_terms, "no fuzzy terms: the complete search changed"
    assert result.fuzzy is True and refs(result)[0] == "member:nasa"
    assert result.total == len(refs(searcher.search("nasa"))) == 4


def test_fuzzy_retry_gets_only_the_time_left(searcher: Searcher, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second collection is limited to what the first left of the same deadline."""
    limits: list[float | None] = []
    real = Searcher._top

    def top(self: Searcher, q: Any, limit: int, time_limit: float | None, result: Any) -> Any:
        limits.append(time_limit)
        return real(self, q, limit, time_limit, result)

    monkeypatch.setattr(Searcher, "_top", top)
    searcher.search("nasaa", limit=30, count=False, time_limit=5.0)
    # Collecting gets its share of the limit; the rest is kept for the hits' snippets.
    assert len(limits) == 2 and limits[0] == pytest.approx(5.0 * COLLECT_SHARE)
    assert limits[1] is not None and 0 < limits[1] < limits[0]
