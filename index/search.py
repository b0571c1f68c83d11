"""Queries over the index: parsing, prefixes while typing, typo tolerance, snippets, facets.

`Searcher.search()` accepts any string and never raises: a query the parser
cannot read falls back to plain words, and any other failure becomes a
one-line `message` on an empty result.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from whoosh import query as wq
from whoosh import sorting
from whoosh.collectors import TimeLimitCollector
from whoosh.qparser import FieldsPlugin, GroupPlugin, MultifieldPlugin, OperatorsPlugin, PhrasePlugin, QueryParser
from whoosh.searching import TimeLimit
from whoosh.spelling import ListCorrector
from whoosh.support.levenshtein import levenshtein

from .filters import BY_FIELD, BY_NAME
from .schema import FACETS, TEXT_FIELDS, VOCABULARY, english, folding, french, names_analyzer

MAX_QUERY = 500  # characters; longer input is cut (and the result says so)
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"}
_LAST_WORD = re.compile(r"(?:^|[\s(])([^\s()\":]+)$")
_WORD = re.compile(r"(?<![\w:])(\w+)(?![\w:])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
TEXT_PREFIX_MIN = 3  # letters before a prefix is also expanded over long text
TEXT_PREFIX_TERMS = 8  # at most this many expansions (keeps a keystroke cheap)
SNIPPET_CHARS = 160
MAX_FUZZY_WORD = 30  # longer "words" are not typos; fuzzy matching them is slow
NEAREST_CACHE = 512  # corrections remembered: each keystroke of "goverance s..." asks again
# Under a time limit (a keystroke), a typo is searched as its closest known words, at most
# this many, instead of fuzzy terms: Whoosh expands a FuzzyTerm by walking the on-disk term
# table before the time limit can act (10-50 ms at 10k records). The search once typing
# pauses (no time limit) is complete.
KEYSTROKE_FUZZY_WORDS = 5

# The clock of time limits (a test slows it down to prove the typo path stops in time).
_clock = time.perf_counter


@dataclass(frozen=True)
class Snippet:
    """A piece of text with the character spans that matched (no markup)."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "highlights": [list(s) for s in self.spans]}


@dataclass(frozen=True)
class Hit:
    kind: str
    id: str
    title: str
    score: float
    snippet: Snippet
    title_spans: tuple[tuple[int, int], ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "snippet": self.snippet.to_json(),
        }


@dataclass
class SearchResult:
    query: str
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str = ""  # a did-you-mean query, or ""
    fuzzy: bool = False  # results come from the typo-tolerant retry
    message: str = ""  # a one-line note (query cut, parse trouble, failure)
    seconds: float = 0.0
    estimated: bool = False  # total is a lower bound (search was asked not to count)
    partial: bool = False  # the time limit stopped the search: best hits among those found

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion or None,
            "fuzzy": self.fuzzy,
            "facets": self.facets,
            "hits": [h.to_json() for h in self.hits],
        }


class Vocabulary:
    """The folded words of an index (written beside it at build time), sorted."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.words = sorted(counts)
        self.corrector = ListCorrector(self.words)
        self._nearest: dict[tuple[str, int], list[str]] = {}
        self.lookups = 0  # corrections computed, not served from the cache (tests read it)

    def nearest(self, word: str, maxdist: int, limit: int = 1) -> list[str]:
        """Known words within maxdist edits (first letter kept): closest first, then most used."""
        key = (word, maxdist)
        found = self._nearest.get(key)
        if found is None:
            self.lookups += 1
            found = self.corrector.suggest(word, limit=20, maxdist=maxdist, prefix=1)
            found.sort(key=lambda w: (levenshtein(word, w), -self.counts.get(w, 0), w))
            if len(self._nearest) >= NEAREST_CACHE:
                self._nearest.clear()
            self._nearest[key] = found
        return found[:limit]

    @classmethod
    def read(cls, ix: Any) -> Vocabulary:
        try:
            handle = ix.storage.open_file(VOCABULARY)
            try:
                raw = handle.read()
            finally:
                handle.close()
        except Exception:  # an index without a vocabulary still searches; it just cannot suggest
            return cls({})
        text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
        counts = {}
        for line in text.split("\n"):
            word, _tab, count = line.partition("\t")
            if word:
                counts[word] = int(count) if count.isdigit() else 1
        return cls(counts)

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def has_prefix(self, prefix: str) -> bool:
        position = bisect_left(self.words, prefix)
        return position < len(self.words) and self.words[position].startswith(prefix)


# The share of a keystroke's time limit spent finding hits; the rest makes their snippets
# (30 hits: ~3 ms bundled, ~9 ms at 10,000 records).
COLLECT_SHARE = 0.7


def _fuzzy_distance(word: str) -> int:
    """Edits allowed for a word: none under 4 letters, 1 up to 7, 2 beyond."""
    if len(word) < 4 or len(word) > MAX_FUZZY_WORD:
        return 0
    return 1 if len(word) <= 7 else 2


class Searcher:
    """Searches one open index; thread-safe (one query at a time)."""

    def __init__(self, ix: Any) -> None:
        self.ix = ix
        self._lock = threading.Lock()
        self._searcher = ix.searcher()
        schema = ix.schema
        self._parser = QueryParser(
            None,
            schema,
            plugins=[FieldsPlugin(), PhrasePlugin(), GroupPlugin(), OperatorsPlugin(), MultifieldPlugin(TEXT_FIELDS)],
        )
        self._plain_parser = QueryParser(None, schema, plugins=[MultifieldPlugin(TEXT_FIELDS)])
        self._english = english()
        self._french = french()
        self._folding = folding()
        self._names = names_analyzer()
        facets = sorting.Facets()
        for name in FACETS:
            facets.add_field(name, maptype=sorting.Count)
        self._facets = facets
        self._vocabulary: Vocabulary | None = None

    def close(self) -> None:
        with self._lock:
            self._searcher.close()

    @property
    def doc_count(self) -> int:
        return self._searcher.doc_count()

    # -- query building -------------------------------------------------

    def _with_prefix(self, text: str) -> str:
        """Mark the last word, as typed, to also match as a prefix of names."""
        if text.count('"') % 2 or text.endswith((" ", ")", '"')):
            return text
        match = _LAST_WORD.search(text)
        if not match or match.group(1).upper() in OPERATORS:
            return text
        word = match.group(1)
        return f"{text[: match.start(1)]}({word} OR prefix:{word})"

    def _parse(self, text: str) -> tuple[Any, str, str]:
        """The query, the exact string parsed (term offsets point into it), and a note."""
        prepared = self._with_prefix(_prepare(text))
        try:
            return self._parser.parse(prepared), prepared, ""
        except Exception:
            words = " ".join(_WORD.findall(text))
            return self._plain_parser.parse(words), words, "query syntax not understood; searched for the words"

    def _normalise(self, q: Any) -> Any:
        """Filter values as indexed (see index/filters.py), prefixes expanded."""
        reader = self._searcher.reader()

        def fix(node: Any) -> Any:
            if not isinstance(node, wq.Term):
                return node
            name, value = node.fieldname, node.text
            if name in BY_FIELD and isinstance(value, str):
                return _filter_query(name, value, boost=node.boost)
            if name == "prefix" and len(value) >= TEXT_PREFIX_MIN:
                # Half weight: a rare word in long text ("LinkedIn" for "lin") must not
                # outrank a name that starts with what was typed (Linux Foundation).
                words = islice(reader.expand_prefix("text", value), TEXT_PREFIX_TERMS)
                expansions = [wq.Term("text", _text(t), boost=0.5) for t in words]
                if expansions:
                    return wq.Or([node, *expansions])
            return node

        return q.accept(fix)

    def _fuzzy(self, q: Any, parsed: str, deadline: float | None = None) -> Any:
        """Typo-tolerant form: each word may be an edit or two away (see _fuzzy_distance).

        Long text is stemmed, and a misspelt word does not stem like the right one,
        so the word as typed is corrected against the index's own words, whose stems
        are then searched. With a deadline (a keystroke) every field is searched that
        way (see KEYSTROKE_FUZZY_WORDS), and words met after the deadline stay as typed.
        """
        analyzers = {"title": self._english, "names": self._names, "text": self._english, "text_fr": self._french}

        def typed_word(node: Any) -> str:
            start, end = getattr(node, "startchar", None), getattr(node, "endchar", None)
            typed = [t.text for t in self._folding(parsed[start:end])] if start is not None else []
            return typed[0] if len(typed) == 1 and _fuzzy_distance(typed[0]) else ""

        def near_terms(node: Any, word: str, limit: int) -> Any:
            near = self.vocabulary.nearest(word, _fuzzy_distance(word), limit=limit)
            analyzer = analyzers[node.fieldname]
            terms = sorted({t.text for w in near for t in analyzer(w)})
            return wq.Or([node, *(wq.Term(node.fieldname, t) for t in terms)]) if terms else node

        def fix(node: Any) -> Any:
            if not isinstance(node, wq.Term) or node.fieldname not in TEXT_FIELDS:
                return node
            if deadline is not None:
                if _clock() >= deadline:
                    return node
                word = typed_word(node)
                return near_terms(node, word, KEYSTROKE_FUZZY_WORDS) if word else node
            distance = _fuzzy_distance(node.text)
            if node.fieldname != "text":
                if not distance:
                    return node
                return wq.FuzzyTerm(node.fieldname, node.text, boost=node.boost, maxdist=distance, prefixlength=1)
            word = typed_word(node)
            return near_terms(node, word, 5) if word else node

        return q.accept(fix)

    # -- did you mean ---------------------------------------------------

    @property
    def vocabulary(self) -> Vocabulary:
        """The index's own words, read on first use (only typos and suggestions need them)."""
        if self._vocabulary is None:
            self._vocabulary = Vocabulary.read(self.ix)
        return self._vocabulary

    def _suggest(self, text: str, deadline: float | None = None) -> str:
        """A did-you-mean query, or "" (also when the deadline passes: half a correction misleads).

        The vocabulary holds the words of every language indexed (the French fields too:
        `suise` is corrected to `suisse` whatever the interface's language). With the
        interface in French, a French word wins over an equally close English one (`japn`:
        `japon`, not `japan`) and a French word whose stem is indexed is no typo."""
        vocabulary = self.vocabulary
        in_french = _interface_language() == "fr"
        changed = False
        out = text
        words = _WORD.findall(text)
        for position, raw in enumerate(words):
            if deadline is not None and _clock() >= deadline:
                return ""
            if raw.upper() in OPERATORS or raw.isdigit():
                continue
            tokens = [t.text for t in self._folding(raw)]
            if len(tokens) != 1 or not 3 <= len(tokens[0]) <= MAX_FUZZY_WORD:
                continue
            word = tokens[0]
            if word in vocabulary or self._known_stem(raw) or (in_french and self._known_french_stem(raw)):
                continue
            is_last = position == len(words) - 1 and not text.endswith(" ")
            if is_last and vocabulary.has_prefix(word):
                continue  # still being typed: a prefix of a known word
            distance = _fuzzy_distance(word) or 1
            found = self._french_first(word, vocabulary.nearest(word, distance, limit=20)) if in_french else []
            found = found or vocabulary.nearest(word, distance)
            if found and found[0] != word:
                out = re.sub(rf"(?<!\w){re.escape(raw)}(?!\w)", found[0], out, count=1)
                changed = True
        return out if changed else ""

    def _known_french_stem(self, raw: str) -> bool:
        """True when the word's French stem is in the French text ('fondatrices')."""
        reader = self._searcher.reader()
        stems = [t.text for t in self._french(raw)]
        return bool(stems) and all(reader.doc_frequency("text_fr", s) for s in stems)

    def _french_first(self, word: str, near: list[str]) -> list[str]:
        """The closest of `near` (closest first), a French one first among the equally close:
        one found more in the French text than in the English ([] if there are none)."""
        if not near:
            return []
        reader = self._searcher.reader()
        closest = levenshtein(word, near[0])

        def french(candidate: str) -> bool:
            fr = sum(reader.doc_frequency("text_fr", t.text) for t in self._french(candidate))
            en = sum(reader.doc_frequency("text", t.text) for t in self._english(candidate))
            return fr > en

        tied = [w for w in near if levenshtein(word, w) == closest]
        return [next((w for w in tied if french(w)), tied[0])]

    def _known_stem(self, raw: str) -> bool:
        """True when the word's stem is indexed: 'milestones' is right if 'milestone' is there."""
        reader = self._searcher.reader()
        stems = [t.text for t in self._english(raw)]
        return bool(stems) and all(reader.doc_frequency("text", s) or reader.doc_frequency("title", s) for s in stems)

    # -- highlighting ---------------------------------------------------

    def _spans(self, text: str, analyzer: Any, terms: set[str], prefixes: set[str]) -> list[tuple[int, int]]:
        spans = []
        for token in analyzer(text, chars=True, mode="index"):
            word = token.text
            if word in terms or any(word.startswith(p) for p in prefixes):
                spans.append((token.startchar, token.endchar))
        return spans

    def _prefix_spans(self, text: str, prefixes: set[str]) -> list[tuple[int, int]]:
        if not prefixes:
            return []
        return [
            (t.startchar, t.endchar)
            for t in self._folding(text, chars=True, mode="index")
            if any(t.text.startswith(p) for p in prefixes)
        ]

    @staticmethod
    def _window(text: str, spans: list[tuple[int, int]]) -> Snippet:
        if len(text) <= SNIPPET_CHARS:
            return Snippet(text, tuple(spans))
        start = 0
        if spans:
            first = spans[0][0]
            start = max(0, first - SNIPPET_CHARS // 4)
            space = text.rfind(" ", 0, start + 1)
            start = space + 1 if start and space != -1 and start - space < 20 else start
        end = min(len(text), start + SNIPPET_CHARS)
        space = text.find(" ", end)
        end = space if space != -1 and space - end < 20 else end
        lead = "…" if start else ""
        tail = "…" if end < len(text) else ""
        shift = len(lead) - start
        inside = tuple((a + shift, b + shift) for a, b in spans if a >= start and b <= end)
        return Snippet(f"{lead}{text[start:end]}{tail}", inside)

    def _query_terms(self, q: Any) -> dict[str, set[str]]:
        """The index terms a query can match, by field (prefixes and typos expanded).

        Highlighting uses these for every hit: asking Whoosh for each hit's own matched
        terms would make it visit every matching document, not just the best ones.
        """
        reader = self._searcher.reader()
        pairs = set(q.iter_all_terms())
        for leaf in q.leaves():
            if isinstance(leaf, wq.MultiTerm):  # prefixes and fuzzy terms: the words they reach
                pairs.update(leaf.expanded_terms(reader))
        terms: dict[str, set[str]] = {}
        for fieldname, value in pairs:
            terms.setdefault(fieldname, set()).add(_text(value))
        return terms

    def _snippet_source(
        self, stored: Mapping[str, Any], matched: dict[str, set[str]], prefixes: set[str]
    ) -> tuple[str, list[tuple[int, int]]]:
        """The text the snippet comes from, and its matched spans: the one whose words matched.

        The English body for English words; the French rendering for French words (more of
        the query's words found in it), and for `lang:fr` unless the English has more. A
        hit found by another field (a speaker's name) shows the English body, unmarked.
        """
        english = stored.get("body", "")
        english_spans = self._spans(english, self._english, matched.get("text", set()), set())
        english_spans += self._prefix_spans(english, prefixes)
        french = stored.get("body_fr", "")
        if not french:
            return english, english_spans
        french_spans = self._spans(french, self._french, matched.get("text_fr", set()), set())
        french_spans += self._prefix_spans(french, prefixes)
        english_words = len({english[a:b].casefold() for a, b in english_spans})
        french_words = len({french[a:b].casefold() for a, b in french_spans})
        wants_french = "fr" in matched.get("lang", set())
        if french_words > english_words or (wants_french and french_words == english_words):
            return french, french_spans
        return english, english_spans

    def _hit(self, hit: Any, matched: dict[str, set[str]]) -> Hit:
        stored = hit.fields()
        prefixes = matched.get("prefix", set())
        names = matched.get("names", set())
        title = stored.get("label", "")
        title_spans = sorted(
            set(self._spans(title, self._english, matched.get("title", set()) | matched.get("text", set()), set()))
            | set(self._spans(title, self._folding, names, prefixes))
        )
        body, body_spans = self._snippet_source(stored, matched, prefixes)
        return Hit(
            kind=stored.get("kind", ""),
            id=stored.get("id", ""),
            title=title,
            score=float(hit.score or 0.0),
            snippet=self._window(body, sorted(set(body_spans))),
            title_spans=tuple(_merge(title_spans)),
        )

    # -- search ---------------------------------------------------------

    def search(
        self,
        text: str,
        *,
        filters: Mapping[str, str] | None = None,
        limit: int = 20,
        count: bool = True,
        time_limit: float | None = None,
    ) -> SearchResult:
        """Run a query; never raises (a failure is a message on an empty result).

        filters ({"kind": "member", "country": "CH"}, names from index/filters.py) keep
        the hits that also match each, as `name:value` in the text would.

        count=False skips the exact total and the facets, whose cost grows with the
        number of matches (a second at 60,000). time_limit (seconds) returns the best
        hits among those found in that time (`partial`): the explorer uses both on every
        keystroke and asks again, in full (count=True), once typing pauses.
        """
        started = time.perf_counter()
        result = SearchResult(query=text)
        try:
            with self._lock:
                # Collecting (and correcting typos) stops at the deadline; making the hits'
                # snippets comes after it, so it gets the rest of the time limit.
                collect = None if time_limit is None else time_limit * COLLECT_SHARE
                deadline = None if collect is None else _clock() + collect
                self._search(text, dict(filters or {}), limit, result, count, collect, deadline)
        except Exception as exc:  # the search box must survive anything
            result.hits, result.total, result.facets = [], 0, {}
            result.message = f"search failed: {type(exc).__name__}: {str(exc)[:120]}"
        result.seconds = time.perf_counter() - started
        return result

    def _query(self, text: str, filters: dict[str, str], result: SearchResult) -> tuple[Any, str, str]:
        """(query or None, the cleaned text, the exact string parsed: term offsets point into it)."""
        clean = _CONTROL.sub(" ", text)
        if len(clean) > MAX_QUERY:
            clean = clean[:MAX_QUERY]
            result.message = f"query cut to its first {MAX_QUERY} characters"
        kept = [_filter_query(BY_NAME[name].field, value) for name, value in filters.items() if value]
        q, parsed = None, clean
        if clean.strip():
            q, parsed, note = self._parse(clean)
            result.message = result.message or note
            empty = q is None or q is wq.NullQuery or isinstance(q, type(wq.NullQuery))
            q = None if empty else self._normalise(q)
            unknown = _unknown_filter_values(q) if q is not None else ""
            result.message = unknown or result.message
        if kept:  # filters alone (an empty query) list what they keep
            q = wq.And([q, *kept]) if q is not None else wq.And(kept) if len(kept) > 1 else kept[0]
        return q, clean, parsed

    def _top(self, q: Any, limit: int, time_limit: float | None, result: SearchResult) -> Any:
        """The best `limit` hits; with a time limit, the best of those found in time."""
        if time_limit is None:
            return self._searcher.search(q, limit=limit)
        collector = TimeLimitCollector(self._searcher.collector(limit=limit), timelimit=time_limit)
        try:
            self._searcher.search_with_collector(q, collector)
        except TimeLimit:
            result.partial = True
        return collector.results()

    def _search(
        self,
        text: str,
        filters: dict[str, str],
        limit: int,
        result: SearchResult,
        count: bool,
        time_limit: float | None,
        deadline: float | None = None,
    ) -> None:
        q, clean, parsed = self._query(text, filters, result)
        if q is None:
            return
        limit = max(1, limit)
        # The best hits only: Whoosh skips blocks that cannot enter the top `limit`.
        results = self._top(q, limit * 2, time_limit, result)
        if results.is_empty() and not result.partial:
            # Typo tolerance within what is left of the time limit: out of time, it is left
            # to the search once typing pauses (`partial` asks for it).
            result.suggestion = self._suggest(clean, deadline)
            fuzzy = self._fuzzy(q, parsed, deadline)
            left = None if deadline is None else deadline - _clock()
            if left is not None and left <= 0:
                result.partial = True
            elif fuzzy != q:
                results = self._top(fuzzy, limit * 2, left, result)
                result.fuzzy = not results.is_empty()
                q = fuzzy
        elif results.scored_length() < 3:
            result.suggestion = self._suggest(clean, deadline)
        # Founding members first on (rounded) ties.
        # (Indexing, not iterating: list(results) asks len(), which counts every match.)
        collected = [results[i] for i in range(results.scored_length())]
        best = sorted(collected, key=lambda h: (-round(h.score or 0.0, 6), h.fields().get("rank", 1)))[:limit]
        matched = self._query_terms(q) if best else {}
        result.hits = [self._hit(h, matched) for h in best]
        if results.scored_length() < limit * 2 and not result.partial:  # all matches collected: exact
            result.total = results.scored_length()
            result.facets = _facets_of(self._searcher.reader(), [h.docnum for h in collected])  # <= 2 x limit
        elif count:
            counted = self._searcher.search(q, limit=None, scored=False, groupedby=self._facets)
            result.total = len(counted)
            result.facets = {name: _facet(counted, name) for name in FACETS}
        else:
            result.total = len(best) if result.partial else max(results.estimated_min_length(), len(best))
            result.estimated = True


def _interface_language() -> str:
    """The interface's language, "en" while index.i18n is not imported (an English command
    line never imports it; the explorer and a French command line do)."""
    i18n = sys.modules.get(f"{__package__}.i18n")
    return "en" if i18n is None else str(i18n.language())


_FIELD_PREFIX = re.compile(r"(?<![\w\"])(\w+):")
_TRAILING_OPERATOR = re.compile(r"(?:\s+(?:AND|OR|NOT|ANDNOT|ANDMAYBE|REQUIRE))+\s*$")


def _prepare(text: str) -> str:
    """Only documented filter names work as `name:` (any case); other colons are just text.

    A trailing operator (someone typing "nasa OR ...") is ignored until its operand comes.
    """

    def field(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        return f"{name}:" if name in BY_NAME else f"{match.group(1)} "

    return _TRAILING_OPERATOR.sub("", _FIELD_PREFIX.sub(field, text))


def _filter_query(field: str, value: str, boost: float = 1.0) -> Any:
    """A filter's term, its value as indexed; a prefix too where the filter allows one."""
    spec = BY_FIELD[field]
    value = spec.normalise(value)
    if spec.prefix and len(value) >= 2:
        return wq.Or([wq.Term(field, value), wq.Prefix(field, value)])
    return wq.Term(field, value, boost=boost)


def _unknown_filter_values(q: Any) -> str:
    """'kind:bogus: kind takes member, quote, …' for a closed filter given a value it
    never takes: say so, rather than answer 0 hits as if nothing matched."""
    problems = []
    for term in q.all_terms():
        field, value = term
        spec = BY_FIELD.get(field)
        text = _text(value)
        if spec is not None and spec.choices and text not in spec.choices:
            problems.append(f"{spec.name}:{text}: {spec.name} takes {', '.join(spec.choices)}")
    return "; ".join(dict.fromkeys(problems))


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _facets_of(reader: Any, docnums: list[int]) -> dict[str, dict[str, int]]:
    """Facets counted from hits already collected (all of them: the result set is small).

    (Results.docs() would run the query again over the whole index.)
    """
    out: dict[str, dict[str, int]] = {}
    for name in FACETS:
        counts: dict[str, int] = {}
        if reader.has_column(name):
            column = reader.column_reader(name)  # once per facet, not per document
            for docnum in docnums:
                label = _text(column[docnum])
                if label:
                    label = label.upper() if name == "country" else label
                    counts[label] = counts.get(label, 0) + 1
        out[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def _facet(results: Any, name: str) -> dict[str, int]:
    try:
        groups = results.groups(name)
    except (KeyError, ValueError):
        return {}
    out = {}
    for key, count in groups.items():
        if key is None or key == "":
            continue
        label = key.decode("utf-8") if isinstance(key, bytes) else str(key)
        if name == "country":
            label = label.upper()
        out[label] = count if isinstance(count, int) else len(count)
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
