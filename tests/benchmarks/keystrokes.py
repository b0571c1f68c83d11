"""Measure 2: search latency per keystroke, Whoosh (the explorer's code path) against SQLite FTS5.

Each query is typed letter by letter: every prefix ("n", "na", "nas", "nasa") is one
search, run through `Searcher.search(prefix, limit=HITS, count=False, time_limit=KEYSTROKE_LIMIT)`
exactly as the Search pane's
worker does. The same prefixes go to an in-memory SQLite FTS5 table holding the same
records' text, with the last word as a prefix (`word*`) as long as it is being typed.
"""

from __future__ import annotations

import random
import re
import sqlite3
import time
import unicodedata

from tui.panes.search import HITS, KEYSTROKE_LIMIT

from .common import Size, load_size, percentile, summary

FIXED_QUERIES = ["open source", "federale", "nasa"]
PASS_BUDGET = 75.0  # seconds of Whoosh searching per size; at least one pass always runs


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def realistic_queries(dataset, seed: int = 7) -> list[str]:  # type: ignore[no-untyped-def]
    """What people type: member names (folded, lower case), fixed favourites, words from quotes."""
    rng = random.Random(seed)
    members = sorted(dataset.members, key=lambda m: m.id)
    quotes = sorted(dataset.quotes, key=lambda q: q.id)
    queries = []
    for member in rng.sample(members, min(3, len(members))):
        words = ascii_fold(member.short_name or member.name).lower().split()
        queries.append(" ".join(words[:2]))
    queries += FIXED_QUERIES
    for quote in rng.sample(quotes, min(3, len(quotes))):
        words = [w for w in re.findall(r"[^\W\d_]{4,}", quote.text)]
        if words:
            start = rng.randrange(len(words))
            queries.append(" ".join(words[start : start + rng.choice((1, 2))]).lower())
    speaker = rng.choice(quotes).speaker if quotes else ""
    if speaker:
        queries.append(ascii_fold(speaker.split()[-1]).lower())
    return queries


def keystrokes(queries: list[str]) -> list[str]:
    return [query[:n] for query in queries for n in range(1, len(query) + 1)]


# -- SQLite FTS5 ----------------------------------------------------------------------------------


def fts5_table(dataset) -> sqlite3.Connection:  # type: ignore[no-untyped-def]
    """An in-memory FTS5 table (kind, id, title, body) over the same documents the index gets."""
    from index.documents import documents

    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(kind UNINDEXED, id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    rows = []
    for doc in documents(dataset):
        title = "\n".join(str(doc.get(k, "")) for k in ("label", "names") if doc.get(k))
        body = "\n".join(str(doc.get(k, "")) for k in ("text", "text_fr") if doc.get(k))
        rows.append((doc["kind"], doc["id"], title, body))
    db.executemany("INSERT INTO docs (kind, id, title, body) VALUES (?, ?, ?, ?)", rows)
    db.commit()
    return db


def fts5_query(prefix: str) -> str:
    """Every word must match; the last one, still being typed, as a prefix."""
    words = re.findall(r"\w+", prefix)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    if not prefix[-1].isspace():
        quoted[-1] += "*"
    return " ".join(quoted)


def fts5_search(db: sqlite3.Connection, prefix: str, limit: int = 60) -> int:
    """Hits (with a snippet) and the total count, like the pane shows; returns the total."""
    match = fts5_query(prefix)
    if not match:
        return 0
    db.execute(
        "SELECT kind, id, title, snippet(docs, 3, '', '', '…', 24) FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?",
        (match, limit),
    ).fetchall()
    return db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()[0]


# -- the measure ------------------------------------------------------------------------------------


def _latency(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(samples, 50) * 1000, 3),
        "p95_ms": round(percentile(samples, 95) * 1000, 3),
        "p99_ms": round(percentile(samples, 99) * 1000, 3),
        "max_ms": round(max(samples) * 1000, 3),
        "mean_ms": round(sum(samples) / len(samples) * 1000, 3),
    }


def measure_search(size: Size, repeat: int, seed: int, log) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from index.search import Searcher
    from index.store import open_index

    dataset = load_size(size)
    opened = open_index(None if size.bundled else size.data_dir, cache=size.warm_cache, dataset=dataset)
    searcher = Searcher(opened.ix)
    queries = realistic_queries(dataset, seed)
    typed = keystrokes(queries)

    whoosh_passes: list[list[float]] = []
    totals: dict[str, int] = {}
    spent = 0.0
    while len(whoosh_passes) < repeat and (not whoosh_passes or spent + spent / len(whoosh_passes) < PASS_BUDGET):
        samples = []
        for prefix in typed:
            started = time.perf_counter()
            result = searcher.search(prefix, limit=HITS, count=False, time_limit=KEYSTROKE_LIMIT)
            samples.append(time.perf_counter() - started)
            totals[prefix] = result.total
        whoosh_passes.append(samples)
        spent += sum(samples)
    searcher.close()

    started = time.perf_counter()
    db = fts5_table(dataset)
    fts5_build = time.perf_counter() - started
    fts5_passes: list[list[float]] = []
    fts5_totals: dict[str, int] = {}
    for _ in range(len(whoosh_passes)):
        samples = []
        for prefix in typed:
            started = time.perf_counter()
            fts5_totals[prefix] = fts5_search(db, prefix)
            samples.append(time.perf_counter() - started)
        fts5_passes.append(samples)
    db.close()

    whoosh_all = [s for p in whoosh_passes for s in p]
    fts5_all = [s for p in fts5_passes for s in p]
    whoosh = _latency(whoosh_all)
    fts5 = _latency(fts5_all)
    slowest = sorted(zip(whoosh_passes[-1], typed, strict=True), reverse=True)[:5]
    out = {
        "records": size.records,
        "queries": queries,
        "keystrokes": len(typed),
        "passes": len(whoosh_passes),
        "samples": len(whoosh_all),
        "whoosh": whoosh,
        "whoosh_p95_per_pass_ms": summary([percentile(p, 95) * 1000 for p in whoosh_passes], 3),
        "fts5": fts5,
        "fts5_p95_per_pass_ms": summary([percentile(p, 95) * 1000 for p in fts5_passes], 3),
        "fts5_build_seconds": round(fts5_build, 3),
        "ratio_whoosh_fts5": {
            k: round(whoosh[k] / fts5[k], 1) if fts5[k] else None for k in ("p50_ms", "p95_ms", "p99_ms")
        },
        "slowest_whoosh": [{"prefix": p, "ms": round(s * 1000, 1), "hits": totals[p]} for s, p in slowest],
        "hits_whoosh_vs_fts5": {q: [totals[q], fts5_totals[q]] for q in queries},
        "note": ""
        if len(whoosh_passes) == repeat
        else f"{len(whoosh_passes)} of {repeat} passes (time budget {PASS_BUDGET:.0f} s of searching per size)",
    }
    log(
        f"search {size.label}: {len(typed)} keystrokes x {len(whoosh_passes)}: whoosh p50/p95/p99 "
        f"{whoosh['p50_ms']:.1f}/{whoosh['p95_ms']:.1f}/{whoosh['p99_ms']:.1f} ms, fts5 "
        f"{fts5['p50_ms']:.2f}/{fts5['p95_ms']:.2f}/{fts5['p99_ms']:.2f} ms"
    )
    return out
