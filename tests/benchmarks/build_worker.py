"""One cold index build, in its own process so that its peak memory is its own.

    python -m tests.benchmarks.build_worker DATA_DIR|- CACHE_DIR

Loads the dataset, then builds the index with `open_index(..., dataset=...)` into
CACHE_DIR (which should be empty), exactly as the explorer does in the background
(the explorer has the dataset loaded already). Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    data_arg, cache_arg = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    from index import load_dataset
    from index.store import open_index

    imported = time.perf_counter()
    data_dir = None if data_arg == "-" else data_arg
    dataset = load_dataset(data_dir)
    loaded = time.perf_counter()
    # parallel: as the explorer's build child (`alliance index build`) does for 5,000+ records.
    opened = open_index(data_dir, cache=Path(cache_arg), dataset=dataset, parallel=True)
    built = time.perf_counter()
    hwm = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1])
    print(
        json.dumps(
            {
                "import_seconds": imported - started,
                "load_seconds": loaded - imported,
                "build_seconds": built - loaded,  # fingerprint + write + verify + rename
                "writer_seconds": opened.info.build_seconds,  # adding documents and committing only
                "documents": opened.info.documents,
                "built": opened.built,
                "notice": opened.notice,
                "index_path": opened.info.path,
                "vmhwm_kb": hwm,
            }
        )
    )


if __name__ == "__main__":
    main()
