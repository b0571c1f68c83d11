"""Search: live results while typing, grouped by kind, with snippets and counts.

Queries run in a thread worker (Whoosh is synchronous), debounced, exclusive,
and a result is dropped if the box has changed since it was asked for. Workers only
search: they hand results back to the UI thread, which owns the widgets and timers.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from index.filters import examples_line
from index.i18n import N_, _, ngettext

from ..explorer import BackOut, HitContext, OpenRef
from ..render import kind_title, search_entries, search_tips
from ..widgets.input_box import QuickInput
from ..widgets.line_list import Entry, LineList
from .base import ListDetailPane, count, focus_now

if TYPE_CHECKING:
    from index.search import Searcher, SearchResult  # loaded with the index, after the first frame

DEBOUNCE = 0.12  # seconds after the last keystroke, on a machine with time to spare
# On a busy one (a server of many sessions, a slow box) a keystroke's search and its drawing
# take longer than a letter's gap, and searching at every letter only queues work behind the
# keys: the pause that starts a search grows to twice what the last one took, up to this.
DEBOUNCE_MAX = 0.8
KEYSTROKE_LIMIT = 0.03  # seconds a keystroke's search may take; the rest waits for a pause
REFINE_AFTER = 0.4  # seconds of quiet before a partial result is completed (ranking, counts)
REFINE_COST_FACTOR = 4  # on a busy machine: four times what a keystroke search took, if longer,
REFINE_MAX = 2.0  # up to this
HITS = 30  # per keystroke: more than a screenful (each hit has a snippet to highlight)
HITS_REFINED = 100  # once typing pauses


class SearchInput(QuickInput):
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "leave", N_("Leave search"), id="search.leave"),
        Binding("down", "results", N_("Results"), show=False, id="search.down"),
    ]

    def action_leave(self) -> None:
        pane = self.screen.query_one(SearchPane)
        pane.leave_input()

    def action_results(self) -> None:
        focus_now(self.screen.query_one(SearchPane).list)


# The help's text, translated where shown (help_text); {examples}: the filters' examples.
SEARCH_HELP = N_(
    "Type to search everything. Words must all match; the last one also matches as a prefix. "
    '"phrases", OR, NOT, ( ) and filters: {examples}. '
    "Enter opens the results; n/N step through hits."
)


class SearchPane(ListDetailPane):
    HELP = SEARCH_HELP.format(examples=examples_line())  # English (see help_text)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.searcher: Searcher | None = None
        self.notice = ""
        self.result: SearchResult | None = None
        self.hit_pos = -1  # which hit n/N opened last (-1: none yet, for this query)
        self._timer: Timer | None = None
        self._refine_timer: Timer | None = None
        self._pending = ""
        self._asked_at = 0.0  # when the keystroke search now running was started (monotonic)
        self._search_cost = 0.0  # seconds from the last one's start to its hits on screen

    def compose(self) -> ComposeResult:
        yield SearchInput(placeholder=_("Search members, quotes, events…  (/ from anywhere)"), id="query")
        yield Static(Text(_("Loading the search index…")), classes="pane-title", markup=False)
        with Horizontal(classes="split"):
            yield LineList(id="list", classes="list", wrap=True)
            yield LineList(id="detail", classes="detail")

    def on_mount(self) -> None:
        super().on_mount()
        self.list.cursor_first_line = True  # `j` over hits of four lines stays under 1 KB
        self.query_one(Input).cursor_blink = False  # idle means idle

    def help_text(self) -> str:
        return _(SEARCH_HELP).format(examples=examples_line())

    @property
    def input(self) -> SearchInput:
        return self.query_one(SearchInput)

    def title_text(self) -> str:
        return ""

    def list_entries(self) -> list[Entry]:
        return search_entries(self.result) if self.result else []

    # -- index lifecycle --------------------------------------------------

    def set_progress(self, done: int, total: int) -> None:
        if done >= total:
            message = ngettext(
                "Writing the search index of {total} record…", "Writing the search index of {total} records…", total
            )
            self.set_title(message.format(total=count(total)))
        else:
            self.set_title(
                _("Building the search index… {done}/{total} ({percent}%)").format(
                    done=count(done), total=count(total), percent=done * 100 // max(1, total)
                )
            )

    def set_searcher(self, searcher: Searcher, notice: str = "") -> None:
        self.searcher = searcher
        self.notice = notice
        self.set_title(notice or _("Search ready: type a query."))
        if self.input.value.strip():
            self.schedule(self.input.value, delay=0)

    # -- querying -----------------------------------------------------------

    @on(Input.Changed, "#query")
    def query_changed(self, event: Input.Changed) -> None:
        self.schedule(event.value)

    @on(Input.Submitted, "#query")
    def query_submitted(self, event: Input.Submitted) -> None:
        """Enter: typing is done, so the complete search (ranking, counts) runs at once."""
        for timer in (self._timer, self._refine_timer):
            if timer is not None:
                timer.stop()
        self._timer = self._refine_timer = None
        self._pending = event.value
        if self.searcher is not None and event.value.strip():
            self.refine(event.value)
        focus_now(self.list)

    def debounce(self) -> float:
        """Seconds of quiet after a keystroke before its search: DEBOUNCE, or twice what the
        last keystroke search took (wall clock, so a loaded machine counts) up to DEBOUNCE_MAX."""
        return min(DEBOUNCE_MAX, max(DEBOUNCE, 2 * self._search_cost))

    def refine_after(self) -> float:
        """Seconds of quiet before the complete search (100 hits, exact counts): REFINE_AFTER,
        or on a busy machine REFINE_COST_FACTOR times what a keystroke search took (up to
        REFINE_MAX), so the most expensive search waits for someone reading, not for the
        next letter."""
        return min(REFINE_MAX, max(REFINE_AFTER, REFINE_COST_FACTOR * self._search_cost))

    def schedule(self, text: str, delay: float | None = None) -> None:
        if delay is None:
            delay = self.debounce()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._pending = text
        if not text.strip():
            self.result = None
            self.refresh_list()
            self.set_title(
                self.notice or _("Search ready: type a query.") if self.searcher else _("Loading the index…")
            )
            return
        if self.searcher is None:
            self.set_title(_("The search index is still loading; your query runs when it is ready."))
            return
        if delay <= 0:
            self.run_search(self.searcher, text)
        else:
            self._timer = self.set_timer(delay, self._search_due)

    def _search_due(self) -> None:
        """The debounce timer fired (UI thread): search for what the box holds now."""
        self._timer = None
        if self.searcher is not None:
            self._asked_at = time.monotonic()
            self.run_search(self.searcher, self._pending)

    def _refine_due(self, text: str) -> None:
        """Typing paused (UI thread): complete the search, unless the box moved on."""
        self._refine_timer = None
        if self.searcher is not None and text == self._pending:
            self.refine(text)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, searcher: Searcher, text: str) -> None:
        """One keystroke: the best hits found within KEYSTROKE_LIMIT, no counting."""
        result = searcher.search(text, limit=HITS, count=False, time_limit=KEYSTROKE_LIMIT)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_result, text, result)

    def refine(self, text: str) -> None:
        """The full ranking, the exact total and the facets, in a worker."""
        if self.searcher is not None:
            self._run_refined(self.searcher, text)

    @work(thread=True, exclusive=True, group="search")
    def _run_refined(self, searcher: Searcher, text: str) -> None:
        result = searcher.search(text, limit=HITS_REFINED, count=True)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_result, text, result, refined=True)

    def show_result(self, text: str, result: SearchResult, *, refined: bool = False) -> None:
        """Show a search's result if the box still holds its query.

        A keystroke's result that is partial or cut short is completed once typing pauses;
        the complete one (`refined`) is final, even when it holds fewer hits than the total
        (over HITS_REFINED): refining it again would repeat the search every REFINE_AFTER
        seconds for ever, repainting the title each time (issue 17).
        """
        if text != self.input.value:
            return  # stale: the box changed while this ran
        if not refined and (result.partial or result.estimated or result.total > len(result.hits)):
            if self._refine_timer is not None:
                self._refine_timer.stop()
            self._refine_timer = self.set_timer(self.refine_after(), lambda: self._refine_due(text))
            if result.partial and not result.hits and self.result is not None:
                self.set_title(_("Searching…"))
                return  # nothing found in time yet: keep the previous hits until the full search
        if self.result is None or self.result.query != text:
            self.hit_pos = -1  # a new query: n starts again from its first hit
        had_hits = bool(self.result and self.result.hits)
        self.result = result
        had_focus = self.focused(self.list)
        self.refresh_list()
        if had_hits != bool(result.hits):
            self.screen.refresh_bindings()  # n/N act (and show in the footer) only with hits
        self.set_title_text(result)
        if had_focus:
            focus_now(self.list)
        if not refined and self._asked_at:
            asked, self._asked_at = self._asked_at, 0.0
            self.call_after_refresh(self._measured, asked)

    def _measured(self, asked: float) -> None:
        """The hits of a keystroke search are drawn: keep what it took (averaged with the last)."""
        took = time.monotonic() - asked
        self._search_cost = took if not self._search_cost else (self._search_cost + took) / 2

    def set_title_text(self, result: SearchResult) -> None:
        parts = []
        if result.suggestion:  # first: the status line may be cut on narrow screens
            parts.append(_("did you mean: {suggestion}").format(suggestion=result.suggestion))
        if result.fuzzy:
            parts.append(_("no exact match; close matches"))
        counts = " · ".join(f"{kind_title(k).lower()} {count(n)}" for k, n in result.facets.get("kind", {}).items())
        more = "+" if result.estimated else ""
        hits = ngettext("{total}{more} hit in {ms} ms", "{total}{more} hits in {ms} ms", result.total)
        parts.append(hits.format(total=count(result.total), more=more, ms=f"{result.seconds * 1000:.0f}"))
        if result.estimated:
            parts.append(_("counting…"))
        if counts:
            parts.append(counts)
        if result.message:
            parts.append(result.message)
        self.set_title(" · ".join(parts))

    # -- navigation -----------------------------------------------------------

    def hit_refs(self) -> list[str]:
        """The hits in rank order (as `alliance search` prints them): what n/N step through."""
        return [hit.ref for hit in self.result.hits] if self.result is not None else []

    def hit_context(self, ref: str) -> HitContext | None:
        """Which hit `ref` is, and the words that matched in it (from its marked title and snippet)."""
        if self.result is None:
            return None
        for position, hit in enumerate(self.result.hits, start=1):
            if hit.ref == ref:
                spans = [hit.title[a:b] for a, b in hit.title_spans]
                spans += [hit.snippet.text[a:b] for a, b in hit.snippet.spans]
                words = tuple(dict.fromkeys(w.casefold() for w in spans if len(w.strip()) >= 2))
                total = max(self.result.total, len(self.result.hits))
                return HitContext(ref, self.result.query, position, total, words)
        return None

    def activate(self, entry: Entry) -> None:
        """Enter on a result opens it as a hit (Esc comes back here); in the detail, a link."""
        if not entry.ref:
            return
        hit = self.hit_context(entry.ref) if self.focused(self.list) else None
        if hit is not None:
            self.hit_pos = hit.position - 1  # n continues from here
        self.post_message(OpenRef(entry.ref, hit))

    def focus_results(self) -> None:
        """Back from a hit: the results, the cursor on the hit last opened."""
        refs = self.hit_refs()
        if 0 <= self.hit_pos < len(refs):
            self.list.select_ref(refs[self.hit_pos])
        focus_now(self.list if self.list.entries else self.input)

    def step_hit(self, step: int) -> str | None:
        """The next (step 1) or previous (-1) hit after the one opened last, or None."""
        refs = self.hit_refs()
        if not refs:
            return None
        if self.hit_pos < 0 and step < 0:
            self.hit_pos = len(refs) - 1  # N before any n: the last hit
        else:
            self.hit_pos = (self.hit_pos + step) % len(refs)
        return refs[self.hit_pos]

    def leave_input(self) -> None:
        if self.list.entries:
            focus_now(self.list)
        else:
            self.post_message(BackOut())

    def refresh_list(self, keep: str | None = None) -> None:
        self.list.set_entries(self.list_entries(), keep=keep)
        if not self.list.entries and self.record is not None:
            self.show_detail(None)  # no results: no hit's record beside them

    def empty_detail(self) -> list[Entry]:
        """While no hit is open: how to search (stable, so typing does not repaint it)."""
        return search_tips()

    def focus_default(self) -> None:
        """The results when there are some (coming back with 5 must not select the query,
        which the next key would replace), else the box."""
        focus_now(self.list if self.list.entries else self.input)
