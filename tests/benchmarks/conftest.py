"""The benchmarks are a script (`python -m tests.benchmarks.run`), never part of `pytest`."""

collect_ignore_glob = ["*"]
