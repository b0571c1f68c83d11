"""Run the `alliance` command inside the test process: `tui.cli.main`, as the console script
and `python -m tui` do, but without starting a Python (about 0.15 s a run).

For tests of what the command prints and returns. A test that needs a real process (exit
codes from signals, a closed or full stdout, a terminal, the locale of a fresh interpreter,
what a child imports, the installed console script) runs one instead.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def _process_state(cwd: Path | None, env: Mapping[str, str] | None) -> Iterator[None]:
    """The working directory and the environment of a child, for the time of one run."""
    saved_cwd, saved_env = os.getcwd(), dict(os.environ)
    try:
        if cwd is not None:
            os.chdir(cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def run_in_process(
    *args: str | bytes, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`alliance ARGS` in this process, its stdout and stderr pipes (not terminals) as bytes.

    cwd and env (the whole environment, as for subprocess.run) hold for the run only. bytes
    args become str as Python makes sys.argv (os.fsdecode). The streams are UTF-8 with a
    child's error handlers in a UTF-8 locale (stdout strict, stderr backslashreplace). An
    exception that escapes main() is raised here: the test fails with its traceback, as a
    child's traceback on stderr would fail it.
    """
    from tui.cli import main

    argv = [os.fsdecode(arg) for arg in args]
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    # The __std*__ streams too: tui/terminal.py reads the encoding of the process's own stderr.
    saved = sys.stdin, sys.stdout, sys.stderr, sys.__stdin__, sys.__stdout__, sys.__stderr__
    stdin = io.StringIO()  # /dev/null
    sys.stdin, sys.stdout, sys.stderr, sys.__stdin__, sys.__stdout__, sys.__stderr__ = (
        *(stdin, stdout, stderr),
        *(stdin, stdout, stderr),
    )
    try:
        with _process_state(cwd, env):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: --help, --version, bad usage
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:  # as the interpreter does with sys.exit("message")
                    print(exc.code, file=sys.stderr)
                    code = 1
        stdout.flush()
        stderr.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr, sys.__stdin__, sys.__stdout__, sys.__stderr__ = saved
    return subprocess.CompletedProcess(["alliance", *argv], code, out.getvalue(), err.getvalue())
