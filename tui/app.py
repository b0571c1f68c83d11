"""The explorer: header, pane tabs, six panes and a footer, all driven from the keyboard."""

from __future__ import annotations

import gc
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual._time import time as get_time
from textual.app import App, ComposeResult, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.driver import Driver
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, Static, Tab, Tabs

from index import Dataset, Problem, Record
from index.describe import citation
from index.frozen import frozen
from index.i18n import LANGUAGES, N_, _, language, ngettext, set_language

from .colours import install_filters, linux_console
from .config import choose_theme, load_settings, save_setting, served
from .explorer import BackOut, HitContext, OpenRef
from .key_bursts import read_escape_pairs_at_once, split_alt, word_move
from .keymap import APP_BINDINGS
from .panes.base import ListDetailPane, focus_now
from .panes.overview import OverviewPane
from .render import members_line
from .screen_diff import ScreenDiff
from .widgets.line_list import LineList, ListView

if TYPE_CHECKING:
    import threading

    from textual.command import Provider

    from index.search import Searcher

    from .keyhelp import KeyHelp

# Search stays on 5 (and /); Projects came later, as 6.
PANES = ("overview", "members", "quotes", "timeline", "search", "projects")
PANE_TITLES = {  # translated where shown: _(PANE_TITLES[name])
    "overview": N_("Overview"),
    "members": N_("Members"),
    "quotes": N_("Quotes"),
    "timeline": N_("Timeline"),
    "search": N_("Search"),
    "projects": N_("Projects"),
}
# The help screen's heading of each pane's keys.
PANE_HELP_TITLES = {
    "overview": N_("Overview pane"),
    "members": N_("Members pane"),
    "quotes": N_("Quotes pane"),
    "timeline": N_("Timeline pane"),
    "search": N_("Search pane"),
    "projects": N_("Projects pane"),
}
# Textual's own palette commands (App.get_system_commands), for the catalog.
TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


def later_panes() -> dict[str, type[ListDetailPane]]:
    """The panes mounted just after the first frame, which shows the Overview (see
    on_ready). Imported then too: their modules (filters, table header, search box) are
    about 8 ms the first frame does not wait for."""
    from .panes.members import MembersPane
    from .panes.projects import ProjectsPane
    from .panes.quotes import QuotesPane
    from .panes.search import SearchPane
    from .panes.timeline import TimelinePane

    return {
        "members": MembersPane,
        "quotes": QuotesPane,
        "timeline": TimelinePane,
        "search": SearchPane,
        "projects": ProjectsPane,
    }


def _go_to_provider() -> type[Provider]:
    """The palette's go-to commands, imported when the palette first opens."""
    from .palette import GoToProvider

    return GoToProvider


# From this many records the index is built by a child process (see _build_in_process).
BUILD_IN_PROCESS = 5000
# Signals that end the explorer like q (exit code 128+signal), and how long the orderly exit
# may take before the process leaves anyway.
EXIT_SIGNALS = ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGINT")
SIGNAL_EXIT_GRACE = 3.0
# Where a record of each kind opens; a kind without a pane of its own opens in Search's detail.
# The history's entry for the search results (Back from a hit returns to them).
SEARCH_RESULTS = "search:results"
HOME_PANE = {
    "member": "members",
    "quote": "quotes",
    "event": "timeline",
    "topic": "overview",
    "project": "projects",
    "group": "projects",
    "person": "projects",
}
# The filters a pane link ("members?country=JP", from the Overview's charts) may set.
PANE_LINK_KEYS = {"members": ("country", "type", "founding"), "timeline": ("year",)}


@frozen
class HistoryView:
    """Where the user was in a history entry's pane when leaving it: Back and Forward restore it."""

    list: ListView
    detail: ListView | None  # None for the search results


def pane_link(ref: str) -> tuple[str, str, str] | None:
    """'members?country=JP' -> ('members', 'country', 'JP'): a link to a pane's filtered
    list (record ids never hold '?'); None for any other ref."""
    pane, mark, query = ref.partition("?")
    key, equals, value = query.partition("=")
    if mark and equals and key in PANE_LINK_KEYS.get(pane, ()):
        return pane, key, value
    return None


class AllianceApp(App[int]):
    """Keyboard-first explorer over one dataset.

    Given no dataset, it starts empty and loads `data_dir` in a worker: large data shows
    its panes at once, with the loading (then indexing) progress in the header.
    """

    CSS_PATH = "app.tcss"
    TITLE = "alliance explorer"
    BINDINGS: ClassVar[list[Binding]] = APP_BINDINGS
    COMMANDS = App.COMMANDS | {_go_to_provider}
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (90, "-wide")]

    # What is under way in the background ("loading the data… 40%"), shown in the header.
    status: reactive[str] = reactive("", init=False)
    # The detail follows the cursor (p): set down on every pane.
    preview: reactive[bool] = reactive(False, init=False)

    def __init__(
        self,
        dataset: Dataset | None,
        *,
        data_dir: str | Path | None = None,
        open_ref: str | None = None,
        theme: str | None = None,
        build_index: bool = True,
        saved_language: bool = False,
    ) -> None:
        """saved_language: take the language chosen in the palette at an earlier run (the
        command line passes it when neither --lang nor $ALLIANCE_LANG named one)."""
        super().__init__()
        read_escape_pairs_at_once()  # Esc then a key read together (see key_bursts.py)
        install_filters(self)  # readable colours, NO_COLOR without colours, TERM=linux glyphs
        self._linux_console = linux_console()
        # The dataset lives as long as the app: keep its (up to millions of) objects out of
        # every later garbage collection, which would rescan them all (seconds at 100k records).
        gc.freeze()
        self.dataset = dataset
        self.data_dir = data_dir
        self.open_ref = open_ref
        self.build_index = build_index
        self.history: list[str] = []
        self.history_pos = -1
        # Where the user was in each history entry (by position; the history only ever
        # loses its tail, so positions before it stay valid).
        self.history_views: dict[int, HistoryView] = {}
        self._restoring = False  # a history step is opening its record: nothing to save
        self.index_notice = ""
        # What the background load found (bad data, or an unexpected error): reported at exit.
        self.problems: list[Problem] = []
        self.load_error: Exception | None = None
        self.panes_ready = False  # all five panes mounted (see on_ready)
        # What the data load found while the panes were still mounting: done once they are.
        self._after_panes: Callable[[], None] | None = None
        self._held_for_panes: list[Callable[[], None]] = []  # see _hold_until_panes
        # Preview the highlighted record as the cursor moves: off unless the user turned it on.
        settings = load_settings()
        self.set_reactive(AllianceApp.preview, bool(settings.get("preview", False)))
        saved = settings.get("language")
        if saved_language and isinstance(saved, str) and saved in LANGUAGES and saved != language():
            set_language(saved)
        self.theme = choose_theme(theme, set(self.available_themes))
        self._requested_theme = theme  # remembered as asked, even if NO_COLOR overrides it now
        self.exit_signal = 0  # the signal that ended the app, if one did
        self.startup_notice = ""  # shown once the panes are there (e.g. a non-UTF-8 terminal)
        self._signal_deadline: threading.Timer | None = None
        # What the terminal shows: updates write only what changed (bytes over SSH, see
        # screen_diff.py). No animations either: each step of one is a repaint.
        self._screen_diff = ScreenDiff()
        self.animation_level = "none"

    # -- layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self.header_text(), id="header", markup=False)
        yield Tabs(*(Tab(self.tab_label(p), id=f"tab-{p}") for p in PANES), id="tabs")
        # The first frame shows the Overview only; the hidden panes and the footer follow at
        # once (on_ready): mounting them first made the first frame ~25 ms later, and the
        # start-up budget is 1.15x a bare Textual app (tests/benchmarks).
        with ContentSwitcher(initial="overview", id="panes"):
            yield self._new_pane(OverviewPane, "overview")

    def _new_pane(self, cls: type[ListDetailPane], name: str) -> ListDetailPane:
        pane = cls(self.dataset, id=name)
        pane.preview = self.preview
        pane.before_leaving = self._save_view
        return pane

    @staticmethod
    def tab_label(name: str) -> Text:
        """'2 Members': the pane's key, then its name (a Text: a tab's label parses markup)."""
        return Text(f"{PANES.index(name) + 1} {_(PANE_TITLES[name])}")

    def header_text(self) -> Text:
        text = Text(self.TITLE if self.dataset is None else self.dataset.alliance.name, style="bold")
        if self.status:  # before the counts, which narrow terminals cut off
            text.append(f"  ·  {self.status}", style="italic")
        if self.dataset is not None:
            counts = self.dataset.counts()
            text.append(f"  ·  {members_line(self.dataset, short=True)}")
            text.append(" · " + ngettext("{n} quote", "{n} quotes", counts["quotes"]).format(n=counts["quotes"]))
            text.append(" · " + ngettext("{n} event", "{n} events", counts["events"]).format(n=counts["events"]))
            if counts.get("projects"):
                n = counts["projects"]
                text.append(" · " + ngettext("{n} project", "{n} projects", n).format(n=n))
        return text

    def get_key_display(self, binding: Binding) -> str:
        """Key names the terminal can show: on the Linux console 'enter', not '⏎'."""
        display = super().get_key_display(binding)
        if self._linux_console:
            from .colours import key_display

            return key_display(display)
        return display

    def watch_status(self) -> None:
        self.query_one("#header", Static).update(self.header_text())

    def watch_preview(self, preview: bool) -> None:
        if not self.screen_stack:
            return  # set before the app runs: the panes take it when made (_new_pane)
        for pane in self.query(ListDetailPane):
            pane.preview = preview

    # -- signals ----------------------------------------------------------------

    def on_load(self) -> None:
        """Before the terminal is switched to the app's mode: the signals that end the app."""
        self._handle_exit_signals()

    def _handle_exit_signals(self) -> None:
        """SIGTERM, SIGHUP, SIGQUIT and SIGINT end the app as q does, so the terminal is
        restored (main screen, cooked mode, cursor shown, mouse reporting off), with exit
        code 128+signal. Ctrl+Z (SIGTSTP) and SIGCONT are the driver's (see terminal.py)."""
        import asyncio
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():
            return  # signal handlers can only be set from the main thread
        loop = asyncio.get_running_loop()
        for name in EXIT_SIGNALS:
            signum = getattr(signal, name, None)
            if signum is not None:
                loop.add_signal_handler(signum, self._exit_on_signal, int(signum))

    def _exit_on_signal(self, signum: int) -> None:
        import threading

        if self.exit_signal:
            return  # already leaving
        self.exit_signal = signum
        self.exit(return_code=128 + signum)
        # If the orderly exit cannot finish (a terminal that hung up and blocks writes, a
        # stuck worker), leave anyway, with the terminal modes restored as far as we can.
        self._signal_deadline = threading.Timer(SIGNAL_EXIT_GRACE, self._exit_now, (128 + signum,))
        self._signal_deadline.daemon = True
        self._signal_deadline.start()

    def _exit_now(self, code: int) -> None:
        import contextlib
        import os
        import termios

        attrs = getattr(self._driver, "attrs_before", None)
        fileno = getattr(self._driver, "fileno", None)
        if attrs is not None and fileno is not None:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(fileno, termios.TCSANOW, attrs)
        os._exit(code)

    def run(self, *args: Any, **kwargs: Any) -> int | None:
        try:
            return super().run(*args, **kwargs)
        finally:
            if self._signal_deadline is not None:
                self._signal_deadline.cancel()  # the orderly exit finished

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, with a fix for stray SIGCONTs (see terminal.py)."""
        from .terminal import driver_class

        return driver_class() or super().get_driver_class()

    @on(Driver.SignalResume)
    def _repaint_after_resume(self) -> None:
        """Back from ctrl+z (`fg`): the terminal shows the shell's screen, and the
        compositor would send only what changed since. Repaint every cell."""
        self._screen_diff.clear()
        self.screen.refresh(layout=True)

    def on_resize(self, event: events.Resize) -> None:
        """The terminal changed size: it may have cleared or reflowed what it showed."""
        self._screen_diff.clear()

    def _display(self, screen: Screen, renderable: Any) -> None:
        """Textual's, writing only the parts of the screen that change (see screen_diff.py)."""
        from textual._compositor import CompositorUpdate

        driver = self._driver
        if (
            isinstance(renderable, CompositorUpdate)
            and self._running
            and not self._closed
            and not self.is_headless
            and not self._batch_count  # else Textual drops the update: it must not count as written
            and driver is not None
            and not driver.is_inline
        ):
            from rich.color import ColorSystem

            color_system = self.console._color_system or ColorSystem.TRUECOLOR
            reduced = self._screen_diff.reduce(renderable, self.size, color_system)
            if reduced is None:
                cursor = self.screen.outer_size.clamp_offset(self.cursor_position)
                if cursor == self._previous_cursor_position:
                    return  # nothing changed on screen, not even the cursor
                reduced = ScreenDiff.empty()
            renderable = reduced
        super()._display(screen, renderable)

    def on_mount(self) -> None:
        if self._requested_theme:
            save_setting("theme", self._requested_theme)
        self.theme_changed_signal.subscribe(self, lambda theme: save_setting("theme", theme.name))
        self.pane("overview").populate()
        focus_now(self.pane("overview").list)
        if self.dataset is None:
            self.status = _("loading the data…")

    async def on_ready(self) -> None:
        """After the first frame: the other panes and the footer, then what needs them.

        Keys pressed meanwhile wait in the app's queue (this handler holds it), so none
        can reach a pane that is not there yet.
        """
        if self.dataset is None:
            # The first frame is out: start loading now, while the panes mount (the worker
            # reads and hashes the files without holding the GIL); its result waits for them.
            self.load_data()
        panes = [self._new_pane(cls, name) for name, cls in later_panes().items()]
        for pane in panes:
            pane.display = False  # the switcher shows the current pane only
        await self.query_one("#panes", ContentSwitcher).mount_all(panes)
        from .footer import ContextFooter

        await self.mount(ContextFooter())
        self.screen.refresh_bindings()  # a footer mounted after the focus settled waits for this
        self.panes_ready = True
        if self.startup_notice:
            self.notify(self.startup_notice, severity="warning", timeout=8, markup=False)
        if self._after_panes is not None:
            after, self._after_panes = self._after_panes, None
            after()
        elif self.dataset is not None:
            self._with_data()
        held, self._held_for_panes = self._held_for_panes, []
        for then in held:
            then()

    def _hold_until_panes(self, then: Callable[[], None]) -> bool:
        """True while the later panes are not mounted, `then` kept for on_ready to run once
        they are. Keys wait for on_ready in the app's queue, but one read before Textual's
        Ready, or a palette command picked by then, went to a pane that was not there yet
        (NoMatches, seen on a loaded CI machine)."""
        if self.panes_ready:
            return False
        self._held_for_panes.append(then)
        return True

    def _with_data(self) -> None:
        """Once panes and data are there: the --open record, then the index (never before
        the first frame)."""
        if self.open_ref and self.dataset is not None:
            from .cli import open_ref_error

            # Large data is loaded after start, so only now can the REF be resolved: if it
            # names no single record, end as the CLI does for small data (it reports the error).
            found = self.dataset.resolve(self.open_ref)
            error = open_ref_error(self.open_ref, found)
            if error is not None:
                self.load_error = error
                self.exit(return_code=2 if found else 1)
                return
            self.open_record(found[0])
        self.prepare_panes([self.pane(name) for name in ("members", "quotes", "timeline")])
        if self.build_index:
            self.load_index()

    # A failure here costs only speed (a first visit computes what it needs): not an exit.
    @work(thread=True, exclusive=True, group="prepare", exit_on_error=False)
    def prepare_panes(self, panes: list[ListDetailPane]) -> None:
        """What the lists' first visits need (sorts, column widths, facets: 0.1-0.2 s at
        100,000 records), computed behind the Overview so that no first visit freezes; the
        UI thread keeps the results (workers set no pane's state)."""
        for pane in panes:
            prepared = pane.prepared()
            if prepared is not None:
                self.call_from_thread(pane.adopt, prepared)

    # -- data -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="data")
    def load_data(self) -> None:
        """Parse and validate the data files (seconds at 100k records) while the UI runs."""
        from index import DataError
        from index.snapshot import load_cached

        def report(done: int, total: int, percent: int) -> None:
            self.status = _("loading the data… {percent}%").format(percent=percent)

        progress = self._progress(report)
        try:
            dataset, _snapshot = load_cached(self.data_dir, progress=progress, before_decode=self._wait_for_panes)
        except DataError as exc:
            self.call_from_thread(self._data_failed, list(exc.problems))
            return
        except Exception as exc:  # reported by the CLI after the terminal is restored
            self.call_from_thread(self._data_failed, [], exc)
            return
        self.call_from_thread(self._data_ready, dataset)

    def _wait_for_panes(self, timeout: float = 5.0) -> None:
        """In the load worker: wait until on_ready has mounted the panes. The snapshot is read
        and hashed meanwhile (without the GIL); its decoding holds the GIL for ~0.1 s at a
        time, which would hold back the first frame's write and the mounting."""
        import time

        deadline = time.monotonic() + timeout
        while not self.panes_ready and time.monotonic() < deadline:
            time.sleep(0.005)

    def _progress(self, report: Callable[[int, int, int], None]) -> Callable[[int, int], None]:
        """A progress callback for a worker thread: report(done, total, percent) runs on the
        UI thread, once per percent (at most 100 screen updates)."""
        last = -1

        def progress(done: int, total: int) -> None:
            nonlocal last
            percent = done * 100 // max(1, total)
            if percent != last:
                last = percent
                self.call_from_thread(report, done, total, percent)

        return progress

    def _data_failed(self, problems: list[Problem], error: Exception | None = None) -> None:
        if not self.panes_ready:  # on_ready is still mounting them: exiting now would break that
            self._after_panes = lambda: self._data_failed(problems, error)
            return
        # The same report and exit code as when the data is checked before the UI starts.
        self.problems, self.load_error = problems, error
        self.exit(return_code=2 if problems else 3)

    def _data_ready(self, dataset: Dataset) -> None:
        if not self.panes_ready:  # on_ready is still mounting them: it calls this once they are
            self._after_panes = lambda: self._data_ready(dataset)
            return
        gc.freeze()  # as in __init__: the new objects stay out of later collections
        self.dataset = dataset
        self.status = ""
        for name in PANES:
            self.pane(name).set_dataset(dataset)
        self._with_data()

    # -- search index -----------------------------------------------------------

    @work(thread=True, exclusive=True, group="index")
    def load_index(self) -> None:
        from index.store import in_memory, open_existing, open_index

        def report(done: int, total: int, percent: int) -> None:  # on the UI thread
            self.pane("search").set_progress(done, total)
            # All documents added, the writers still finishing (with two of them, ~40% of the time).
            if done < total:
                self.status = _("indexing… {percent}%").format(percent=percent)
            else:
                self.status = _("indexing… writing the index")

        progress = self._progress(report)
        try:
            opened = None
            assert self.dataset is not None
            if served():  # the server built it at start; a session only reads it
                opened = open_existing(self.data_dir, dataset=self.dataset)
                if opened is None:
                    raise RuntimeError(_("the server has no index of this data (it changed since the server started)"))
            elif sum(self.dataset.counts().values()) >= BUILD_IN_PROCESS:
                opened = open_existing(self.data_dir, dataset=self.dataset)  # of the bytes loaded; verified once
                if opened is None and (why := self._build_in_process(progress)):
                    # The child found the cache unwritable: trying it again here would fail the same way.
                    opened = in_memory(self.dataset, progress, why)
            opened = opened or open_index(self.data_dir, dataset=self.dataset, progress=progress)
            searcher = opened.searcher()
        except Exception as exc:  # the explorer stays usable without search
            message = _("search unavailable: {error}").format(error=f"{type(exc).__name__}: {exc}")
            self.call_from_thread(self._index_failed, message)
            return
        self.call_from_thread(self._index_ready, searcher, opened.notice)

    def _build_in_process(self, progress: Callable[[int, int], None]) -> str:
        """Build a large index in a child process: in a thread it would hold the GIL and
        make every key wait. Returns why the cache could not hold the index, if the child
        says so; '' otherwise (then open_index opens the child's index, or builds it here
        if the child failed in another way)."""
        import os

        from .cli import child_command  # never `python -m tui`: that imports from the cwd

        command = child_command("index", "build", "--progress", "--background")
        if self.data_dir is not None:
            # Absolute: the child must read the very data this process loaded.
            command += ["--data", os.path.abspath(self.data_dir)]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as child:
            assert child.stdout is not None
            for line in child.stdout:
                parts = line.split()
                if len(parts) == 3 and parts[0] == "progress" and parts[1].isdigit() and parts[2].isdigit():
                    progress(int(parts[1]), int(parts[2]))
                elif line.startswith("unwritable "):
                    return line.removeprefix("unwritable ").strip()
        return ""

    def _index_ready(self, searcher: Searcher, notice: str) -> None:
        self.index_notice = notice
        self.status = ""
        self.pane("search").set_searcher(searcher, notice)
        if notice:
            self.notify(notice, severity="warning", timeout=8, markup=False)

    def _index_failed(self, message: str) -> None:
        self.index_notice = message
        self.status = ""
        self.pane("search").set_title(message)
        self.notify(message, severity="error", timeout=10, markup=False)

    # -- panes ------------------------------------------------------------------

    def pane(self, name: str) -> Any:
        return self.query_one(f"#{name}", ListDetailPane)

    @property
    def current_pane(self) -> ListDetailPane:
        current = self.query_one("#panes", ContentSwitcher).current or "overview"
        return self.pane(current)

    def show_pane(self, name: str, *, focus: bool = True) -> None:
        self.pane(name).populate()
        switcher = self.query_one("#panes", ContentSwitcher)
        if switcher.current != name:
            switcher.current = name
            tabs = self.query_one("#tabs", Tabs)
            # Not a user's tab click: without this the tab bar's late report of the change
            # could switch back when two pane keys arrive together.
            with tabs.prevent(Tabs.TabActivated):
                tabs.active = f"tab-{name}"
        if focus:
            self.pane(name).focus_default()

    # -- keys in flight -------------------------------------------------------------
    # A priority key (1-6, /) acts as the App reads it; any other key travels to the focused
    # widget and back up to the App, whose _on_key runs its binding a few hops later. A key
    # typed before a pane key can thus reach its binding after the switch, in a pane it was
    # not typed in: Esc then 3 showed the Quotes, then backed out of them to the Overview.

    _arriving: events.Key | None = None  # the key the App is reading (on_event)
    _moved_at: float = float("-inf")  # time of the last key that switched the pane
    _switched_at: float = float("-inf")  # when it did (a message's clock: Message.time)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            parts = split_alt(event)  # None for all but alt+X: active_bindings is not free
            if parts is not None and event.key not in self.active_bindings:
                move = word_move(event) if isinstance(self.focused, Input) else None
                if move is not None:
                    parts = (events.Key(move, None),)
                elif await self._check_bindings("escape", priority=True) or await self._check_bindings("escape"):
                    # Esc acted now, before the key read with it. Sent on to the focused
                    # widget like any key, it came back up to its binding after a pane key
                    # read with it had acted, and was dropped as typed in a pane since left
                    # (_on_key): Esc 3 Esc 2 from a detail came back to that detail.
                    parts = parts[1:]
                for part in parts:
                    await self.on_event(part)
                return
            self._arriving = event
            try:
                await super().on_event(event)
            finally:
                self._arriving = None
            return
        await super().on_event(event)

    def _moved_by_key(self) -> None:
        if self._arriving is not None:
            self._moved_at = self._arriving.time
            self._switched_at = get_time()

    def _on_key(self, event: events.Key) -> None:
        # Runs before App._on_key (handlers are called down the MRO) and can stop it.
        if event.time < self._moved_at:
            event.prevent_default()  # typed before a pane key already acted on: where it was typed is gone

    def _type_if_editing(self, char: str) -> bool:
        """A priority key pressed while an input has focus is text: type it there."""
        if isinstance(self.focused, Input):
            self.focused.insert_text_at_cursor(char)
            return True
        return False

    def action_pane(self, name: str) -> None:
        if self._type_if_editing(str(PANES.index(name) + 1)):
            return
        if self.screen is not self.screen_stack[0]:
            return  # a dialog is open: its own keys only (the pane keys are priority keys)
        if self._hold_until_panes(lambda: self.action_pane(name)):
            return
        self._moved_by_key()
        self.show_pane(name)

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        # A stale report (the tab bar's own activation at mount, handled after on_ready has
        # opened --open's record) must not switch back: act only if that tab is still active.
        if event.tab is not None and event.tab.id and event.tabs.active == event.tab.id:
            name = event.tab.id.removeprefix("tab-")
            if self.query_one("#panes", ContentSwitcher).current != name:
                self.show_pane(name)

    def action_search(self) -> None:
        if self._type_if_editing("/"):
            return
        if self._hold_until_panes(self.action_search):
            return
        self._moved_by_key()
        self.show_pane("search")
        focus_now(self.pane("search").input)

    def _asked_before_a_pane_key(self, message: Message) -> bool:
        """An open or a back-out asked for before a pane key that has switched the pane
        since (its message travels up from the list, slower than the priority key): where
        it was asked is gone, as for a key typed there (_on_key). An Enter then `1` read
        together opened the record after the Overview showed, and stayed there."""
        return message.time < self._switched_at

    @on(BackOut)
    def back_out(self, message: BackOut) -> None:
        """Esc from a list: back to the Overview (the top level); from a search hit's
        detail: back to the results.

        One level from where the user is now: an Enter typed just before this Esc (its
        OpenRef handled first) has opened a detail since, and that is what Esc closes.
        """
        if self._asked_before_a_pane_key(message) or self._hold_until_panes(lambda: self.back_out(message)):
            return
        if message.to == "search":
            self.show_search_results()
        elif not self.current_pane.close_detail() and self.current_pane.id != "overview":
            self.show_pane("overview")

    def show_search_results(self) -> None:
        self.show_pane("search", focus=False)
        self.pane("search").focus_results()

    @on(OpenRef)
    def _open_ref(self, message: OpenRef) -> None:
        if self._asked_before_a_pane_key(message) or self._hold_until_panes(lambda: self._open_ref(message)):
            return
        self.follow(message.ref, hit=message.hit)

    # -- records and links ------------------------------------------------------

    def follow(self, ref: str, *, hit: HitContext | None = None) -> None:
        """Open what a link names: a record (kind:id or bare id) or a URL (copied)."""
        if not ref:
            return
        if ref.startswith(("http://", "https://")):
            self.copy_to_clipboard(ref)
            self.notify(_("Link copied to the clipboard: {url}").format(url=ref), timeout=4, markup=False)
            return
        link = pane_link(ref)
        if link is not None:
            self.open_pane_link(*link)
            return
        if self.dataset is None:
            self.notify(_("Still loading the data"), timeout=2)
            return
        found = self.dataset.resolve(ref)
        if len(found) != 1:
            self.notify(_("No single record named {ref}").format(ref=repr(ref)), severity="warning", markup=False)
            return
        self.open_record(found[0], hit=hit)

    def open_pane_link(self, name: str, key: str, value: str) -> None:
        """A chart's link: the Members list filtered by one value (only), or a year of the
        Timeline; the list has the focus."""
        if self.dataset is None:
            self.notify(_("Still loading the data"), timeout=2)
            return
        self.show_pane(name, focus=False)
        pane = self.pane(name)
        if name == "members":
            pane.set_filter("clear", None)
            pane.set_filter(key, value)
            pane.focus_list()
        elif name == "timeline" and value.isdigit():
            pane.focus_list()
            pane.jump_to_year(int(value))

    def open_record(self, record: Record, *, remember: bool = True, hit: HitContext | None = None) -> None:
        name = HOME_PANE.get(record.kind, "search")
        if remember:
            self._save_view()  # where the user leaves the entry shown now
        results = self.pane("search").list.view_state() if remember and hit is not None else None
        self.show_pane(name, focus=False)
        self.pane(name).open(record, hit)
        if remember:
            ref = f"{record.kind}:{record.id}"
            if hit is not None:
                # Back from a hit goes to the results: the history holds them, then the hit
                # open now (stepping with n/N replaces it rather than piling hits up).
                at_hit = self.history_pos >= 1 and self.history[self.history_pos - 1] == SEARCH_RESULTS
                if at_hit:
                    self.history_pos -= 1
                    del self.history[self.history_pos + 1 :]
                self._remember(SEARCH_RESULTS)
                if results is not None:
                    self.history_views[self.history_pos] = HistoryView(results, None)
            self._remember(ref)
            # [ ] may act now (a link followed inside one detail moves no focus to tell the footer).
            self.refresh_bindings()

    def _remember(self, entry: str) -> None:
        if not self.history or self.history[self.history_pos] != entry:
            del self.history[self.history_pos + 1 :]
            self.history.append(entry)
            self.history_pos = len(self.history) - 1
            for stale in [p for p in self.history_views if p >= self.history_pos]:
                del self.history_views[stale]  # from a branch that was dropped

    # -- history: where the user is, what to save and restore ---------------------

    def _entry_pane(self, entry: str) -> str:
        if entry == SEARCH_RESULTS:
            return "search"
        return HOME_PANE.get(entry.partition(":")[0], "search")

    def _holds(self, position: int) -> bool:
        """The pane of history entry `position` still shows its record (in its detail)."""
        entry = self.history[position]
        if entry == SEARCH_RESULTS:
            return False  # saved when a hit opens (open_record): the results may change since
        record = self.pane(self._entry_pane(entry)).record
        return record is not None and f"{record.kind}:{record.id}" == entry

    def _showing(self, position: int) -> bool:
        """The user is on history entry `position` now: its pane shows, the focus is in
        its record's detail (or in the search results)."""
        if not 0 <= position < len(self.history) or not self.panes_ready:
            return False
        entry = self.history[position]
        pane = self.pane(self._entry_pane(entry))
        if self.current_pane is not pane:
            return False
        if entry == SEARCH_RESULTS:
            return self.focused is pane.list
        return self.focused is pane.detail and self._holds(position)

    def _here(self) -> tuple[int, bool]:
        """(history position, left): the entry the user is on, or last left (left=True,
        after Esc, a pane key or a tab). Esc from a hit to the results is a step back."""
        position = self.history_pos
        if (
            position >= 1
            and self.history[position - 1] == SEARCH_RESULTS
            and not self._showing(position)
            and self._showing(position - 1)
        ):
            return position - 1, False
        return position, 0 <= position < len(self.history) and not self._showing(position)

    def _save_view(self) -> None:
        """Keep where the user is in the current history entry (scroll, selected links)."""
        position = self.history_pos
        if self._restoring or not 0 <= position < len(self.history) or not self._holds(position):
            return
        pane = self.pane(self._entry_pane(self.history[position]))
        self.history_views[position] = HistoryView(pane.list.view_state(), pane.detail.view_state())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Back/Forward only when the history goes that way, n/N only with search hits:
        a key that cannot act is left out of the footer and the help (its fallback
        binding, without a description, still says why nothing happens)."""
        if action == "history" and parameters:
            position, left = self._here()
            if parameters[0] == -1:
                return left or position > 0
            return position + 1 < len(self.history)
        if action == "hit" and self.panes_ready:
            return bool(self.pane("search").hit_refs())
        return True

    def action_history(self, step: int) -> None:
        position, left = self._here()
        target = position if step < 0 and left else position + step
        if not 0 <= target < len(self.history):
            self.action_no_history(step)
            return
        self.history_pos = position
        self._save_view()
        self.history_pos = target
        self.refresh_bindings()  # what [ and ] can do now
        view = self.history_views.get(target)
        if self.history[target] == SEARCH_RESULTS:
            self.show_search_results()
            results = self.pane("search").list
            if view is not None and results.current is not None and results.current.ref == view.list.ref:
                results.scroll_line_to_top(view.list.scroll_y)
            return
        found = self.dataset.resolve(self.history[target]) if self.dataset else []
        if not found:
            return
        self._restoring = True
        try:
            self.open_record(found[0], remember=False)
        finally:
            self._restoring = False
        if view is not None:
            pane = self.pane(self._entry_pane(self.history[target]))
            if view.list.ref == self.history[target]:  # else (preview moved on) open() put it there
                pane.list.restore_view(view.list)
            if view.detail is not None:
                pane.detail.restore_view(view.detail)

    def action_no_history(self, step: int) -> None:
        self.notify(_("No further history") if step > 0 else _("Nothing to go back to"), timeout=2)

    def action_no_hits(self) -> None:
        self.notify(_("No search results: press / to search"), timeout=3)

    def action_hit(self, step: int) -> None:
        search = self.pane("search")
        ref = search.step_hit(step)
        if ref is None:
            self.notify(_("No search results: press / to search"), timeout=3)
            return
        self.follow(ref, hit=search.hit_context(ref))

    def current_record(self) -> Record | None:
        pane = self.current_pane
        focused = self.focused
        if self.dataset is None:
            return None
        if isinstance(focused, LineList) and focused.id == "list" and focused.current and focused.current.ref:
            found = self.dataset.resolve(focused.current.ref)
            if found:
                return found[0]
        return pane.record

    def action_suspend_process(self) -> None:
        if served():  # stopped, the session would hang: there is no shell to resume it from
            self.notify(_("Suspend is off in a served session: q quits"), timeout=3)
            return
        super().action_suspend_process()

    def action_toggle_preview(self) -> None:
        self.preview = not self.preview
        save_setting("preview", self.preview)
        if self.preview:
            self.current_pane.preview_current()
        if self.preview:
            self.notify(_("Preview on: the detail follows the cursor"), timeout=3)
        else:
            self.notify(_("Preview off: Enter opens a record"), timeout=3)

    def action_copy(self) -> None:
        record = self.current_record()
        if record is None or self.dataset is None:
            self.notify(_("Nothing selected to copy"), timeout=2)
            return
        self.copy_to_clipboard(citation(record, self.dataset))
        self.notify(_("Copied citation of {ref}").format(ref=f"{record.kind}:{record.id}"), timeout=3, markup=False)

    # -- help and palette ---------------------------------------------------------

    def help_sections(self) -> list[tuple[str, str, list[KeyHelp]]]:
        """The keys that act where the focus is now, grouped by who binds them: the focused
        widget, its pane, the screen, the app (see keyhelp.py)."""
        from textual.screen import Screen as TextualScreen

        from .keyhelp import active_keys
        from .panes.search import SearchInput

        sections = []
        for node, keys in active_keys(self.screen):
            if node is self:
                title = _("Everywhere")
                text = _("ctrl+p opens the command palette: go to any record, switch pane, theme or language.")
            elif isinstance(node, ListDetailPane):
                name = node.id or ""
                title = _(PANE_HELP_TITLES[name]) if name in PANE_HELP_TITLES else _("This pane")
                text = node.help_text()
            elif isinstance(node, SearchInput):
                title, text = _("The search box"), _("Characters type into the box; these keys act on it.")
            elif isinstance(node, LineList):
                title, text = (_("The detail") if node.id == "detail" else _("The list")), ""
            elif isinstance(node, TextualScreen):
                title, text = _("The screen"), ""
            else:
                title, text = type(node).__name__, ""
            sections.append((title, text, keys))
        return sections

    def action_help(self) -> None:
        from .screens import HelpScreen

        self.push_screen(HelpScreen(self.help_sections()))

    def action_command_palette(self) -> None:
        """Textual's palette, as a screen that closes once and fits tiny terminals."""
        from .palette import Palette

        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(placeholder=_("Search for commands…"), id="--command-palette"))

    def pop_screen(self) -> AwaitComplete:
        """Popping the last screen is a late duplicate (a dismiss from a key queued before the
        first took effect): nothing to do, where Textual raises ScreenStackError."""
        if len(self.screen_stack) <= 1:
            return AwaitComplete()
        return super().pop_screen()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):  # Textual's own, in our language
            yield command._replace(title=_(command.title), help=_(command.help))
        for code, name in LANGUAGES.items():
            if code != language():
                # Named in its own language: someone who cannot read this one finds theirs.
                help_text = _("Show the explorer in this language (remembered)")
                title = _("Language: {language}").format(language=name)
                yield SystemCommand(title, help_text, lambda c=code: self.switch_language(c))
        for name in PANES:
            title = _(PANE_TITLES[name])
            yield SystemCommand(
                _("Pane: {pane}").format(pane=title),
                _("Show the {pane} pane").format(pane=title),
                lambda n=name: self.show_pane(n),
            )
        for year in sorted({e.date.year for e in self.dataset.events} if self.dataset else ()):
            yield SystemCommand(
                _("Timeline: {year}").format(year=year),
                _("Jump to {year} on the timeline").format(year=year),
                lambda y=year: self._jump_year(y),
            )

    # -- language -----------------------------------------------------------------

    async def switch_language(self, code: str) -> None:
        """Show the explorer in another language, remembered (as the theme is) for the next
        start without --lang or $ALLIANCE_LANG. The panes are made again in the new language
        (their rows and titles are built in the language of the moment), the data, the search
        index and the history kept; the user stays on the pane and record they were on."""
        if code == language():
            return
        set_language(code)
        save_setting("language", code)
        await self._remake_panes()
        self.notify(_("Interface language: {language}").format(language=LANGUAGES[code]), timeout=3)

    async def _remake_panes(self) -> None:
        name = self.current_pane.id or "overview"
        shown = self.current_pane.record
        old_search = self.pane("search")
        searcher, query = old_search.searcher, old_search.input.value
        switcher = self.query_one("#panes", ContentSwitcher)
        self.panes_ready = False
        await switcher.remove_children()
        panes = [self._new_pane(OverviewPane, "overview")]
        panes += [self._new_pane(cls, pane_name) for pane_name, cls in later_panes().items()]
        for pane in panes[1:]:
            pane.display = False
        await switcher.mount_all(panes)
        switcher.current = "overview"
        self.panes_ready = True
        for pane_name in PANES:
            self.query_one(f"#tab-{pane_name}", Tab).label = self.tab_label(pane_name)
        self.watch_status()  # the header's counts
        self.pane("overview").populate()
        if self.dataset is not None:
            self.prepare_panes([self.pane(n) for n in ("members", "quotes", "timeline")])
        search = self.pane("search")
        if searcher is not None:
            search.input.value = query
            search.set_searcher(searcher, self.index_notice)
        self.show_pane(name)
        if shown is not None and self.dataset is not None:
            self._restoring = True  # the history already holds it
            try:
                self.open_record(shown, remember=False)
            finally:
                self._restoring = False
        self.screen.refresh_bindings()  # the footer's keys, in the new language

    def _jump_year(self, year: int) -> None:
        self.show_pane("timeline")
        self.pane("timeline").jump_to_year(year)
