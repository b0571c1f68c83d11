"""32 people at once on `alliance serve ssh`, and the 33rd turned away (issue 15's load test).

Every session opens the explorer, searches and moves through Members at a person's pace
(tests/serve/load.py); none may fail (each key shows on screen within 10 s), the 33rd session
is refused with a message while the 32 run, and every session's process is gone afterwards.
The suite runs a shortened script (3 queries, 20 rows each) to keep CI's time; the full one
(20 queries, 200 rows) and its keystroke-to-screen percentiles are the benchmark's
(`python -m tests.benchmarks.serve`), where timing targets belong.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from .load import QUERIES, Person, run_load, sample_rss
from .servers import session_processes, start_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SESSIONS = 32


async def _refused_one(port: int) -> tuple[str, int | None]:
    import asyncssh

    async with asyncssh.connect(
        "127.0.0.1", port, known_hosts=None, username="late", client_keys=None, encoding=None
    ) as conn:
        process = await conn.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
        err = await asyncio.wait_for(process.stderr.read(), 30)
        await asyncio.wait_for(process.wait_closed(), 30)
        return err.decode(), process.exit_status


def test_32_sessions_at_once_and_the_33rd_refused(tmp_path: Path, record_property: pytest.RecordProperty) -> None:
    served = start_server(tmp_path, "--open-access", "--max-sessions", str(SESSIONS), "--per-ip", str(SESSIONS + 8))
    try:

        async def scenario() -> tuple[list[Person], tuple[str, int | None], dict[int, float]]:
            stop = asyncio.Event()
            rss = asyncio.ensure_future(sample_rss(served.process.pid, stop))
            # The server starts as many explorers at once as it has CPUs: the first ones are done
            # before the last start, and stay (hold) until the 33rd has been turned away.
            hold = asyncio.Event()
            load = asyncio.ensure_future(run_load(served.port, SESSIONS, queries=3, moves=20, hold=hold))
            deadline = time.monotonic() + 240
            while len(session_processes(served.process.pid)) < SESSIONS:  # all 32 explorers running
                assert not load.done(), "the sessions ended before all 32 ran"
                assert time.monotonic() < deadline, "32 sessions never ran at once"
                await asyncio.sleep(0.2)
            late = await _refused_one(served.port)
            hold.set()
            result = await load
            stop.set()
            return result.people, late, await rss

        people, (message, status), peak = asyncio.run(scenario())
        failed = [f"session {p.index}: {p.error}" for p in people if p.error or p.refused]
        assert not failed, "\n".join(failed)
        pressed = 1 + sum(len(q) + 1 for q in QUERIES[:3]) + 2 + 20  # 5, the queries and ctrl+u, Esc, 2, rows
        assert [len(p.latencies) for p in people] == [pressed] * SESSIONS  # every key showed on screen
        assert message.strip() == f"alliance: the server is full ({SESSIONS} sessions); try again later"
        assert status == 1
        deadline = time.monotonic() + 20
        while session_processes(served.process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session_processes(served.process.pid) == []
        sizes = sorted(peak.values())
        assert len(sizes) >= SESSIONS
        record_property("session_rss_mb_median", round(sizes[len(sizes) // 2], 1))
        record_property("session_rss_mb_max", round(sizes[-1], 1))
        print(f"\nper-session RSS: median {sizes[len(sizes) // 2]:.0f} MB, max {sizes[-1]:.0f} MB")
        assert served.process.poll() is None
        lines = served.log_lines()
        assert sum("refused (the server is full" in line for line in lines) == 1
    finally:
        served.stop()
