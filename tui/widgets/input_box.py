"""An Input for a box of fixed size typed into on every key (search, narrowing)."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class QuickInput(Input):
    """Textual's Input, without a layout pass of the whole screen per keystroke.

    Input sets its virtual size to its text's width on every change, and the inherited
    reactive asks for a layout of the whole screen (about 16 ms of CPU at 100x30, a quarter
    of a search keystroke). A box whose size is set by CSS, with no scrollbar, needs only
    its own repaint: its horizontal scroll limits are computed from the virtual size when
    used, not laid out.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
