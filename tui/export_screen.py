"""Export what you see: the `e` key's dialog, which writes the focused pane's list to a file.

The records are those of the list's entries, in their order (after the pane's filters, sort
and narrowing); the file is CSV, JSON or Markdown by its extension (.csv, .json, .md; CSV
otherwise), its text from index/export.py, the same as `alliance list --format`. The path is
taken as typed, relative to the working directory, `~` expanded. An existing file is kept
unless Enter is pressed a second time on the same name; what goes wrong (no such folder, no
permission, a full disk) is said in the dialog, never a traceback.

Imported only when the key is pressed: nothing here is on the first frame's path.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from index import Dataset
from index.export import export_text, format_for
from index.i18n import N_, _, ngettext
from index.kinds import Kind, get_kind

from .modal import ClosesOnce

if TYPE_CHECKING:
    from .panes.base import ListDetailPane

FORMAT_NAMES = {"csv": "CSV", "json": "JSON", "md": "Markdown"}


def records_of(refs: Sequence[str], dataset: Dataset) -> list[Any]:
    """The records that list entries' refs ("kind:id") name, in order, each once.

    Refs that name no record (a URL, a year, a filter) are left out."""
    records, seen = [], set()
    for ref in refs:
        if ref in seen:
            continue
        seen.add(ref)
        kind_name, sep, record_id = ref.partition(":")
        record = dataset.get(kind_name, record_id) if sep and get_kind(kind_name) else None
        if record is not None:
            records.append(record)
    return records


def write_export(path: str, records: Sequence[Any], kind: Kind | None, *, overwrite: bool) -> tuple[str, str]:
    """Write the records to `path` (`~` expanded) in the format its extension names.

    Returns (the path written, the format). Raises FileExistsError when the file exists and
    `overwrite` is false, OSError for anything the system refuses."""
    target = os.path.expanduser(path)
    fmt = format_for(target)
    text = export_text(records, fmt, kind)
    # "x" creates the file or fails if it exists: no window between a check and the write.
    handle = open(target, "w" if overwrite else "x", encoding="utf-8", newline="")  # noqa: SIM115
    try:
        with handle:
            handle.write(text)
    except OSError:
        if not overwrite:  # a full disk: no half-written file of ours is left behind
            with contextlib.suppress(OSError):
                os.unlink(target)
        raise
    return target, fmt


def how_many(count: int, kind: Kind | None) -> str:
    """ "12 members", "1 record", in the interface's language: the dialog's title and notice."""
    if kind is None:
        return ngettext("{n} record", "{n} records", count).format(n=count)
    from .messages import counted

    text = counted(kind.plural, count)
    if count == 1 and text == f"1 {kind.plural}":  # a kind counted() lacks: its own English singular
        text = f"1 {kind.name}"
    return text


def _reason(error: OSError) -> str:
    """One line for the dialog: 'No such file or directory', 'No space left on device'…"""
    return error.strerror or type(error).__name__


class ExportScreen(ClosesOnce, ModalScreen[str | None]):
    """Ask for a file name and write the list there; dismissed with a notice, or None."""

    DEFAULT_CSS = """
    ExportScreen {
        align: center middle;
    }
    ExportScreen > #export-dialog {
        width: 80%;
        max-width: 80;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    ExportScreen #export-message {
        height: auto;
        color: $text-muted;
    }
    ExportScreen #export-message.-error {
        color: $text-error;
    }
    """

    BINDINGS: ClassVar[list[Binding]] = [Binding("escape", "cancel", N_("Cancel"), id="export.cancel")]

    def __init__(self, records: Sequence[Any], kind: Kind | None, what: str, default_name: str) -> None:
        super().__init__()
        self.records = list(records)
        self.kind = kind
        self.what = what  # "12 members", for the title and the notice
        self.default_name = default_name
        self.confirm: str | None = None  # the path Enter will overwrite, once it was asked
        self.written: str | None = None  # the notice of the last write (tests read it)

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static(
                Text(_("Export {what} to a file").format(what=self.what)), classes="dialog-title", markup=False
            )
            yield Input(self.default_name, id="export-path", select_on_focus=False)
            yield Static(Text(""), id="export-message", markup=False)

    def on_mount(self) -> None:
        self.say(_("Enter writes CSV, or JSON or Markdown for a .json or .md name · Esc cancels"))
        box = self.query_one("#export-path", Input)
        box.cursor_blink = False  # idle means idle: no repaint twice a second (issue 17)
        box.focus()

    def say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#export-message", Static)
        message.update(Text(text))
        message.set_class(error, "-error")

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.confirm is not None and event.value.strip() != self.confirm:
            self.confirm = None  # another name: ask again before overwriting anything
            self.say(_("Enter writes · Esc cancels"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = event.value.strip()
        if not path:
            self.say(_("Type a file name, e.g. members.csv"), error=True)
            return
        overwrite = self.confirm == path
        try:
            if os.path.isdir(os.path.expanduser(path)):
                self.say(_("{path} is a folder: add a file name").format(path=path), error=True)
                return
            target, fmt = write_export(path, self.records, self.kind, overwrite=overwrite)
        except FileExistsError:
            self.confirm = path
            self.say(_("{path} exists: Enter again replaces it, or change the name").format(path=path), error=True)
            return
        except OSError as exc:
            self.confirm = None
            self.say(_("Cannot write {path}: {reason}").format(path=path, reason=_reason(exc)), error=True)
            return
        except ValueError as exc:  # an embedded NUL in the name
            self.say(_("Cannot write {path}: {reason}").format(path=path, reason=exc), error=True)
            return
        self.written = _("Wrote {what} to {path} ({format})").format(
            what=self.what, path=Path(target), format=FORMAT_NAMES[fmt]
        )
        self.dismiss(self.written)

    def action_cancel(self) -> None:
        self.dismiss(None)


def open_export(pane: ListDetailPane) -> None:
    """Open the dialog for the pane's list (a notice instead when it holds no record)."""
    if pane.dataset is None:
        return
    records = records_of(pane.export_refs(), pane.dataset)
    if not records:
        pane.app.notify(_("Nothing to export: the list has no records"), timeout=3)
        return
    names = {record.kind for record in records}
    kind = get_kind(names.pop()) if len(names) == 1 else None
    what = how_many(len(records), kind)

    def done(notice: str | None) -> None:
        if notice:
            pane.app.notify(notice, timeout=4, markup=False)

    pane.app.push_screen(ExportScreen(records, kind, what, f"{pane.id or 'list'}.csv"), done)
