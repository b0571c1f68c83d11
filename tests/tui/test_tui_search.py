"""The search pane: as-you-type (debounced thread worker, stale results dropped), Enter and Esc
in the box, did-you-mean, opening results, n/N through the hits, the index still loading."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from textual.worker import get_current_worker
from tui_helpers import count_repaints, move_to, ready, refs, rendered, search, settle, title, type_fast, wait_until

from tui.app import HOME_PANE
from tui.panes.search import HITS_REFINED, SearchInput


class Recorder:
    """Wraps the pane's searcher: records each query and where it ran; can make one query slow."""

    def __init__(self, searcher: Any, slow: str = "", delay: float = 0.0) -> None:
        self.searcher = searcher
        self.slow, self.delay = slow, delay
        self.queries: list[str] = []
        self.places: list[tuple[bool, str]] = []  # (in a thread, worker group)
        self.slow_done = threading.Event()

    def search(self, text: str, **kwargs: Any) -> Any:
        self.queries.append(text)
        self.places.append((threading.current_thread() is not threading.main_thread(), get_current_worker().group))
        result = self.searcher.search(text, **kwargs)
        if text == self.slow:
            time.sleep(self.delay)
            self.slow_done.set()
        return result


async def test_typing_searches_as_you_type_and_escape_leaves_the_box(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = app.pane("search")
        await pilot.press("slash", *"howard")
        await settle(pilot)
        assert isinstance(app.focused, SearchInput)  # still typing: focus stays in the box
        assert "quote:launch-fast-ai-howard" in refs(pane.list)
        assert "hit" in title(pane)
        assert "Jeremy Howard" in rendered(pane.list)
        await pilot.press("escape")  # Esc leaves the box: to the results, when there are some
        assert app.focused is pane.list
        assert app.current_pane is pane
        await pilot.press("slash", "down")  # so does Down
        assert app.focused is pane.list

        await pilot.press("slash")  # back in the box, the query is selected: typing replaces it
        await type_fast(pilot, "nasa")
        await settle(pilot)
        assert pane.input.value == "nasa"
        assert pane.result.query == "nasa"
        assert "member:nasa" in refs(pane.list)
        await type_fast(pilot, ["backspace"] * 4)  # an empty box: no results
        await settle(pilot)
        assert pane.list.entries == []
        assert title(pane) == "Search ready: type a query."
        await pilot.press("escape")  # nothing to show: Esc goes back to the overview
        assert app.current_pane.id == "overview"
        assert app.focused is app.pane("overview").list


async def test_typing_fast_runs_one_search_in_a_thread_worker_enter_runs_it_at_once(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = app.pane("search")
        recorder = Recorder(pane.searcher)
        pane.searcher = recorder
        await pilot.press("slash")
        await type_fast(pilot, "open source")
        await settle(pilot)
        assert recorder.queries == ["open source"]
        assert recorder.places == [(True, "search")]
        assert pane.result.query == "open source"
        assert sorted(refs(pane.list)) == sorted(pane.hit_refs())
        assert isinstance(app.focused, SearchInput)

        # Enter before the debounce: the search runs at once and the results get the focus.
        pane.input.value = ""
        await settle(pilot)
        recorder.queries.clear()
        await type_fast(pilot, "howard")
        await pilot.press("enter")
        assert app.focused is pane.list
        await ready(pilot)
        assert recorder.queries == ["howard"]
        assert "quote:launch-fast-ai-howard" in refs(pane.list)
        assert app.focused is pane.list
        assert pane.list.current is not None and pane.list.current.ref == refs(pane.list)[0]
        await pilot.pause(0.2)
        assert recorder.queries == ["howard"]  # and the debounced search does not run too


async def test_a_slow_stale_result_is_dropped(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = app.pane("search")
        recorder = Recorder(pane.searcher, slow="open", delay=1.2)
        pane.searcher = recorder
        await pilot.press("slash")
        await type_fast(pilot, "open")
        await wait_until(pilot, lambda: recorder.queries)  # the debounce fired: "open" runs (slowly)
        assert recorder.queries == ["open"]
        await type_fast(pilot, " howard")
        await settle(pilot)
        assert recorder.queries[-1] == "open howard"
        assert not recorder.slow_done.is_set()  # the final result came first
        assert pane.result.query == "open howard"
        shown = refs(pane.list)
        # The slow search of "open" finishes last; its result must not replace the current one.
        await wait_until(pilot, recorder.slow_done.is_set)
        await pilot.pause(0.1)
        await ready(pilot)
        assert pane.result.query == "open howard"
        assert refs(pane.list) == shown
        assert "quote:launch-fast-ai-howard" in shown

        # And a result for a query that is no longer in the box is ignored when it arrives.
        old = pane.searcher.searcher.search("nasa", limit=200)
        pane.show_result("nasa", old)
        await pilot.pause()
        assert pane.result.query == "open howard"
        assert refs(pane.list) == shown


async def test_a_typo_shows_did_you_mean_and_the_result_opens_in_its_pane(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = await search(pilot, "nasaa")
        assert "did you mean: nasa" in title(pane)
        assert "member:nasa" in refs(pane.list)
        assert app.focused is pane.list
        await move_to(pilot, pane.list, "member:nasa")
        assert pane.record is not None and pane.record.id == "nasa"  # highlighting previews it
        await pilot.press("enter")
        members = app.pane("members")
        assert app.current_pane is members
        assert members.record.id == "nasa"
        assert members.list.current.ref == "member:nasa"
        assert app.focused is members.detail
        assert app.history == ["search:results", "member:nasa"]  # Back returns to the results
        await pilot.press("5")  # back to the search: the results are still there
        assert app.current_pane is pane
        assert "member:nasa" in refs(pane.list)


async def test_n_and_shift_n_step_through_the_hits(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("n")  # no search yet
        assert app.current_pane.id == "overview"
        assert any("press / to search" in n.message for n in app._notifications)

        pane = await search(pilot, "open source")
        hits = pane.hit_refs()
        assert len(hits) > 3
        assert len({HOME_PANE[ref.split(":")[0]] for ref in hits}) > 1  # hits of several kinds

        def shown() -> str:
            record = app.current_pane.record
            return f"{record.kind}:{record.id}"

        await pilot.press("N")  # N first: the last hit
        assert shown() == hits[-1]
        for expected in (hits[0], hits[1], hits[2]):  # n wraps around to the first
            await pilot.press("n")
            assert shown() == expected
            assert app.current_pane.id == HOME_PANE[expected.split(":")[0]]  # opened in its pane
            assert app.focused is app.current_pane.detail
        await pilot.press("N", "N", "N")
        assert shown() == hits[-1]  # and back around
        # The history holds the results and the hit open now: Back returns to the results.
        assert app.history[-2:] == ["search:results", hits[-1]]
        await pilot.press("backspace")
        assert app.current_pane is pane and app.focused is pane.list


async def test_n_follows_the_order_of_the_results_list(make_app):
    """n opens the hits in the order the results list shows them (rank order).

    The list groups hits by kind (members, quotes, events, open questions), but n/N step
    through SearchPane.hit_refs(), which is relevance order: the first n opens a hit that is
    not the first (highlighted) entry of the list.
    """
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = await search(pilot, "open source")
        shown_order = refs(pane.list)
        assert pane.list.current.ref == shown_order[0]
        opened = []
        for _ in range(3):
            await pilot.press("n")
            opened.append(f"{app.current_pane.record.kind}:{app.current_pane.record.id}")
        assert opened == shown_order[:3]


async def test_n_after_a_new_search_starts_at_the_first_hit(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await search(pilot, "open source")
        await pilot.press("n", "n")  # on the second hit of the first search
        pane = await search(pilot, "nasa")
        first = pane.hit_refs()[0]
        assert first == "member:nasa"
        await pilot.press("n")
        record = app.current_pane.record
        assert f"{record.kind}:{record.id}" == first


async def test_a_query_typed_while_the_index_loads_runs_when_it_is_ready(make_app):
    app = make_app(build_index=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        pane = app.pane("search")
        assert title(pane) == "Loading the search index…"
        await pilot.press("slash")
        await type_fast(pilot, "howard")
        await pilot.pause(0.2)
        assert "still loading" in title(pane)
        assert pane.list.entries == []
        app.load_index()
        await ready(pilot)
        await ready(pilot)  # the search the ready index started
        # Its first, time-limited pass may come back partial on a cold index; the refine
        # that follows a quiet moment (REFINE_AFTER) completes it.
        await wait_until(pilot, lambda: "quote:launch-fast-ai-howard" in refs(pane.list))
        assert isinstance(app.focused, SearchInput)


async def test_a_large_index_is_built_by_a_child_process(make_app, monkeypatch, tmp_path):
    """Above BUILD_IN_PROCESS records the explorer builds the index in `alliance index build`
    (a separate process, so the UI thread keeps the GIL) and shows its progress."""
    import subprocess as real_subprocess

    import tui.app as app_module

    monkeypatch.setenv("ALLIANCE_CACHE", str(tmp_path / "fresh-cache"))
    monkeypatch.setattr(app_module, "BUILD_IN_PROCESS", 1)
    commands: list[list[str]] = []
    real_popen = real_subprocess.Popen

    def recording_popen(command, *args, **kwargs):
        commands.append(list(command))
        return real_popen(command, *args, **kwargs)

    monkeypatch.setattr(app_module.subprocess, "Popen", recording_popen)
    progress: list[str] = []
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.pane("search")
        original = pane.set_progress
        monkeypatch.setattr(pane, "set_progress", lambda d, t: (progress.append(f"{d}/{t}"), original(d, t)))
        await ready(pilot)
        assert pane.searcher is not None
        assert not app.index_notice
        # `-c`, never `-m tui`, which would import from the cwd (tests/security/test_child_imports.py)
        assert commands and commands[0][1] == "-c" and commands[0][3:6] == ["index", "build", "--progress"]
        assert progress and progress[-1] == "356/356"  # reported by the child, line by line
        result = pane.searcher.search("nasa")
        assert result.hits and result.hits[0].ref == "member:nasa"


async def test_the_best_hit_is_on_top_and_n_follows_rank(make_app):
    """Hits used to be grouped in a fixed order (members, quotes, events, topics): `nvidia`
    showed its best hit, the open question on NVIDIA's absence, last. Now the list is the
    ranking, as the CLI prints it, each hit labelled with its kind."""
    app = make_app(preview=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = await search(pilot, "nvidia")
        ranked = [hit.ref for hit in pane.result.hits]
        assert ranked[0] == "topic:nvidia-absence"
        assert refs(pane.list) == ranked
        assert pane.list.entries[0].text.plain.startswith("question NVIDIA")
        opened = []
        for _ in range(3):
            await pilot.press("n")
            record = app.current_pane.record
            opened.append(f"{record.kind}:{record.id}")
        assert opened == ranked[:3]
        await pilot.press("N")
        record = app.current_pane.record
        assert f"{record.kind}:{record.id}" == ranked[1]


async def test_a_hit_says_which_it_is_and_esc_or_back_returns_to_the_results(make_app):
    app = make_app(preview=False)
    async with app.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        pane = await search(pilot, "open source")
        ranked = [hit.ref for hit in pane.result.hits]
        second = ranked[1]
        await move_to(pilot, pane.list, second)
        for back in ("escape", "backspace"):
            await pilot.press("enter")
            opened = app.current_pane
            assert f"{opened.record.kind}:{opened.record.id}" == second and app.focused is opened.detail
            detail = rendered(opened.detail)
            assert f"hit 2 of {pane.result.total} for “open source”" in detail
            marked = [
                entry.text.plain[span.start : span.end].casefold()
                for entry in opened.detail.entries[3:]
                for span in entry.text.spans
                if "underline" in str(span.style)
                and not (entry.ref or "").startswith(("http", "member:", "quote:", "event:"))
            ]
            assert {"open", "source"} & set(marked), marked  # the matched words are marked
            await pilot.press(back)
            # Back at the results: the query as typed, the cursor on the hit just opened.
            assert app.current_pane is pane and app.focused is pane.list
            assert pane.input.value == "open source" and pane.list.current.ref == second
        # n continues from the hit opened last; coming back with 5 focuses the results.
        await pilot.press("n")
        assert f"{app.current_pane.record.kind}:{app.current_pane.record.id}" == ranked[2]
        await pilot.press("5")
        assert app.focused is pane.list and pane.input.value == "open source"
        await pilot.press("j")  # a key goes to the results, not over the query
        assert pane.input.value == "open source"


@pytest.mark.slow
async def test_a_search_with_more_hits_than_shown_is_refined_once_then_stays_quiet(make_app):
    """Issue 17: after a query with over HITS_REFINED hits, the complete search ran again every
    REFINE_AFTER seconds for ever (the refined result still holds fewer hits than its total),
    repainting the title each time: no quiet screen, bytes over SSH, CPU when idle. The check of
    issue 17: no search runs and nothing is repainted during 3 s of quiet."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = app.pane("search")
        recorder = Recorder(pane.searcher)
        pane.searcher = recorder
        await pilot.press("slash")
        await type_fast(pilot, "ai")
        # The keystroke's search, then once typing pauses the complete one.
        await wait_until(pilot, lambda: len(recorder.queries) >= 2, timeout=5)
        await ready(pilot)
        assert pane.result.total > HITS_REFINED == len(pane.result.hits)  # more hits than it shows
        assert not pane.result.estimated
        await pilot.pause(0.3)  # the last result's repaint reaches the screen
        calls = len(recorder.queries)
        with count_repaints(app) as repaints:
            await pilot.pause(3.0)  # quiet: nothing typed
        assert recorder.queries[calls:] == []
        assert recorder.queries == ["ai", "ai"]
        # Nothing repainted either: no line of any list rendered, no screen update sent.
        assert repaints == {"render_line": 0, "screen_updates": 0}


async def test_the_cursor_on_a_hit_colours_its_title_line_and_marks_the_rest_with_a_bar(make_app):
    """A hit is four lines: re-colouring all of them (and the four of the hit left) made `j`
    rewrite 1.1 KB at 80x24 over SSH. Only the title line takes the cursor's colours; the
    snippet lines keep theirs, with a bar in the cursor's colour at the edge."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pane = await search(pilot, "open source")
        results = pane.list
        assert app.focused is results
        first = results._entry_line[results.cursor]
        end = results._entry_line[results.cursor + 1]
        assert end - first > 1, "the first hit has snippet lines"
        cursor_bg = results.get_component_rich_style("line-list--cursor").bgcolor
        plain_bg = results.rich_style.bgcolor
        title = results._render(first, results.cursor, True)
        assert {seg.style.bgcolor for seg in title if seg.text.strip()} == {cursor_bg}
        for number in range(first + 1, end):
            strip = list(results._render(number, results.cursor, True))
            assert strip[0].text == "▌" and strip[0].style.color == cursor_bg
            assert all(seg.style.bgcolor == plain_bg for seg in strip[1:] if seg.text.strip())
            # The same line unselected differs only in that first cell.
            unselected = results._render(number, results.cursor, False)
            assert "".join(s.text for s in strip)[1:] == unselected.text[1:]
