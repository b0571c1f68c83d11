"""Measure 8: the first visit of each pane, from the key to the screen (issue 17: under 0.3 s at 100k).

The explorer runs under Textual's Pilot (headless, 100x30 by default, no index build, the
dataset already loaded as after start-up, and the panes' preparation behind the Overview
done: `AllianceApp.prepare_panes`, 0.1-0.2 s at 100k); in one session per repetition the keys 2, 3, 4,
6 and 5 open Members, Quotes, Timeline, Projects and Search for the first time. A visit is
timed from the key pressed until the last screen update it caused (the app's `_display`,
which the headless driver would write to the terminal), once the app is idle again.

    .venv/bin/python -m tests.benchmarks.first_visit --data DIR [--cache DIR] [--repeat 3]
        [--size 100x30] [--profile 3 --profile-out FILE]

`--data` is a generated dataset (`python -m tests.benchmarks.generate DIR --records 100000`);
the parsed data is cached in `--cache` (made on the first run). `--profile KEY` runs that
key's first visit under cProfile and prints the 30 costliest functions by cumulative time and the 15 by own time;
the timing of a profiled visit is not reported.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

KEYS = ("2", "3", "4", "6", "5")  # Members, Quotes, Timeline, Projects, Search
NAMES = {"2": "members", "3": "quotes", "4": "timeline", "5": "search", "6": "projects"}
TARGET_S = 0.3


def load(data: Path | None, cache: Path) -> Any:
    from index.snapshot import load_cached

    cache.mkdir(parents=True, exist_ok=True)
    return load_cached(data, cache=cache)[0]


async def one_session(
    dataset: Any, data: Path | None, size: tuple[int, int], profile: str | None = None
) -> tuple[dict[str, float], str]:
    """Seconds from each key to its last screen update; the profile's text if asked for."""
    import tui.app
    from tui.app import AllianceApp

    class Timed(AllianceApp):
        # A subclass's stylesheet path is read beside its own module: point it at the app's.
        CSS_PATH = str(Path(tui.app.__file__).with_name("app.tcss"))
        displayed = 0.0
        displayed_cpu = 0.0

        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            self.displayed = time.perf_counter()
            self.displayed_cpu = time.process_time()

    app = Timed(dataset, data_dir=data, build_index=False)
    app.animation_level = "none"
    times: dict[str, float] = {}
    report = ""
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause(0.2)
        # Start-up settled, as a user finds it who reads the Overview first: the panes'
        # preparation (sorts, widths, facets) runs behind it, in a worker.
        await app.workers.wait_for_complete()
        for key in KEYS:
            profiler = cProfile.Profile() if key == profile else None
            started, started_cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            if profiler:
                profiler.disable()
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out)
                stats.sort_stats("cumulative").print_stats(30)
                stats.sort_stats("tottime").print_stats(15)
                report = out.getvalue()
            assert app.current_pane.id == NAMES[key], app.current_pane.id
            times[NAMES[key]] = max(0.0, app.displayed - started)
            # CPU time of the process (all threads) over the same span: less at the mercy of a
            # busy machine than the wall clock.
            times[NAMES[key] + " cpu"] = max(0.0, app.displayed_cpu - started_cpu)
            await pilot.pause(0.1)
    return times, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (default: the bundled data)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/alliance-first-visit-cache"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size", default="100x30")
    parser.add_argument("--profile", choices=KEYS, default=None, help="profile this key's first visit")
    parser.add_argument("--profile-out", type=Path, default=None)
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.split("x"))
    started = time.perf_counter()
    dataset = load(args.data, args.cache)
    counts = dataset.counts()
    print(f"dataset: {sum(counts.values())} records {counts} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if args.profile:
        _, report = asyncio.run(one_session(dataset, args.data, (width, height), args.profile))
        if args.profile_out:
            args.profile_out.write_text(report)
        print(report)
        return 0
    runs = [asyncio.run(one_session(dataset, args.data, (width, height)))[0] for _ in range(args.repeat)]
    print(f"| pane (key) | key to screen, median s (min-max) over {len(runs)} | CPU s, median | under {TARGET_S} s |")
    print("|---|---|---|---|")
    for key in KEYS:
        values = [run[NAMES[key]] for run in runs]
        median = statistics.median(values)
        cpu = statistics.median(run[NAMES[key] + " cpu"] for run in runs)
        print(
            f"| {NAMES[key]} ({key}) | {median:.3f} ({min(values):.3f}-{max(values):.3f}) | {cpu:.3f} | "
            f"{'yes' if median < TARGET_S else 'no'} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
