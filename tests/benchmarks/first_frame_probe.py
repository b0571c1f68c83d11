"""Run the explorer or the minimal app and end the process at its first frame.

    python -m tests.benchmarks.first_frame_probe explorer [alliance arguments…]
    python -m tests.benchmarks.first_frame_probe minimal

For tests/benchmarks/instructions.py, which counts the instructions a program runs up to
its first frame under valgrind: the wall clock of this machine swings by a third from run
to run, an instruction count by a few tenths of a percent. The process ends (os._exit) when
Textual has made the first frame and is about to write it, so what comes after it (the index opened,
the later panes) is not counted, just as the tmux measure stops its clock there.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def end_at_first_frame(app_class: type[Any]) -> None:
    """Make `app_class` end the process when it first draws something (App._display is
    where Textual writes a frame to the driver)."""
    display = app_class._display

    def first_frame(self: Any, screen: Any, renderable: Any) -> Any:
        if renderable is not None:
            os._exit(0)  # the frame is made: writing it out is the terminal's business
        return display(self, screen, renderable)

    app_class._display = first_frame


def main(argv: list[str]) -> int:
    program, rest = argv[0], argv[1:]
    if program == "minimal":
        from .minimal_app import MinimalApp

        end_at_first_frame(MinimalApp)
        MinimalApp().run()
        return 0
    from tui.app import AllianceApp
    from tui.cli import main as alliance

    end_at_first_frame(AllianceApp)
    return alliance(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
