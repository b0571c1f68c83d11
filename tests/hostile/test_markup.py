"""Rich/Textual markup in every text field of every kind of record is data, never markup.

`[bold]`, a stray closing tag `[/x]`, an action `[@click=app.quit]x[/]` and a link to a local
file `[link=file:///etc/passwd]y[/link]` are valid text: validate accepts them, and the explorer
draws them literally in every pane, every record's detail and search results, and clicking them
runs nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index import load_dataset
from tui.app import PANES, AllianceApp
from tui.widgets.line_list import LineList

from .helpers import (
    MARKUP,
    MARKUP_TOKENS,
    REFS,
    all_rendered_lines,
    markup_values,
    record_texts,
    run_async,
    run_cli,
    squeeze,
    strip_text,
    write_dataset,
)

ALLIANCE_KEYS = [k for k in markup_values() if k.startswith("alliance.")]
# A word from one record of each kind, and the record search must find.
SEARCHES = {
    "marmoset": "member:acme",
    "ocelot": "quote:q-acme",
    "agouti": "event:launch",
    "kookaburra": "topic:openness",
}


def test_markup_in_every_field_validates(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data", markup_values())
    done = run_cli("validate", "--data", str(data), tmp=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().startswith("ok: 3 members (2 founding), 2 quotes, 2 events, 1 topic"), done.stdout
    assert done.stderr == b""


def drawn(lines: list[str]) -> str:
    return squeeze("\n".join(lines))


def assert_all_shown(texts: list[str], lines: list[str], where: str) -> None:
    shown = drawn(lines)
    for text in texts:
        assert squeeze(text) in shown, f"{text!r} not drawn literally in {where}:\n" + "\n".join(lines)


def find_visible(line_list: LineList, token: str) -> tuple[int, int] | None:
    for y in range(line_list.scrollable_content_region.height):
        x = strip_text(line_list, y).find(token)
        if x >= 0:
            return x, y
    return None


async def click_every(pilot, line_list: LineList, token: str) -> int:
    """Click on the token's would-be link text, then double-click its tag.

    Returns how many clicks landed. A double-click opens the entry if it is a link, which
    may switch panes: the clicking stops there.
    """
    app = pilot.app
    pane = app.current_pane
    pad_x = line_list.content_region.x - line_list.region.x
    pad_y = line_list.content_region.y - line_list.region.y
    clicked = 0
    for times, dx in ((1, len("[@click=app.quit]")), (2, 3)):
        where = find_visible(line_list, token)
        if app.current_pane is not pane or where is None:
            assert clicked, f"{token!r} not visible in {line_list}"
            return clicked
        x, y = where
        assert await pilot.click(line_list, offset=(pad_x + x + dx, pad_y + y), times=times)
        await pilot.pause()
        assert app.is_running, f"clicking {token!r} in {line_list} line {y} stopped the app"
        assert app.return_code is None
        clicked += 1
    return clicked


@pytest.mark.slow
def test_markup_shows_literally_everywhere_and_does_nothing(tmp_path: Path) -> None:
    values = markup_values()
    data = write_dataset(tmp_path / "data", values)
    dataset = load_dataset(data)

    async def session() -> None:
        app = AllianceApp(dataset, data_dir=data)
        app.animation_level = "none"
        async with app.run_test(size=(140, 45)) as pilot:
            await app.workers.wait_for_complete()  # the index, built in tmp (conftest)
            await pilot.pause()
            assert app.index_notice == "", app.index_notice
            header = str(app.query_one("#header").render())
            assert values["alliance.name"] in header

            # Every pane, by its key.
            for number, name in enumerate(PANES, start=1):
                await pilot.press(str(number))
                assert app.current_pane.id == name
                assert app.is_running
                if name == "search":
                    await pilot.press("escape")  # out of the box, where a digit is text

            # The overview draws every field of the alliance (Esc first: 5 focused the search box).
            await pilot.press("escape", "1")
            assert app.current_pane.id == "overview"
            overview = app.pane("overview")
            title = str(overview.query_one(".pane-title").render())
            assert f"Overview · {values['alliance.name']}" in title
            # At 140 columns the charts and figures are the dashboard, beside the prose.
            lines = await all_rendered_lines(pilot, overview.list)
            lines += await all_rendered_lines(pilot, overview.detail)
            assert_all_shown([values[k] for k in ALLIANCE_KEYS], lines, "the overview")
            clicked = await click_every(pilot, overview.list, "[@click=app.quit]")
            clicked += await click_every(pilot, overview.detail, "[@click=app.quit]")

            # List rows: names, speakers, titles.
            for key, texts in (
                ("2", [values["member.acme.name"], values["member.geneva.name"], values["member.nasa.name"]]),
                ("3", [values["quote.q-acme.speaker"], values["quote.q-nasa.speaker"]]),
                ("4", [values["event.launch.title"], values["event.nasa-joins.title"]]),
            ):
                await pilot.press(key)
                plain = "\n".join(entry.text.plain for entry in app.current_pane.list.entries)
                for text in texts:
                    # The members table and the wide timeline cut long cells with … : the
                    # part shown (markup included) is literal.
                    lines = [line.rstrip() for line in plain.splitlines()]
                    assert text in plain or any(
                        f" {cut.split('…')[0]}" in f" {text}" and len(cut.split("…")[0]) > 20
                        for line in lines
                        for cut in [line[line.find(text[:12]) :]]
                        if text[:12] in line and "…" in cut
                    ), (key, text, plain)
                assert any(MARKUP_TOKENS[0] in strip_text(app.current_pane.list, y) for y in range(3)), key

            # Every record opens, and its detail draws every one of its fields literally.
            for ref in REFS:
                app.follow(ref)
                await pilot.pause()
                pane = app.current_pane
                assert pane.record is not None and f"{pane.record.kind}:{pane.record.id}" == ref
                assert pane.detail.has_focus
                lines = await all_rendered_lines(pilot, pane.detail)
                assert_all_shown(record_texts(values, ref), lines, ref)
                plain = "\n".join(entry.text.plain for entry in pane.detail.entries)
                for text in record_texts(values, ref):
                    assert text in plain, (ref, text)  # and unwrapped, exactly as written
                if ref in ("member:acme", "event:launch"):  # clicks are slow to simulate: two details
                    clicked += await click_every(pilot, pane.detail, "[@click=app.quit]")
                assert app.is_running, ref

            # The French rendering of the quote is text too.
            app.follow("quote:q-acme")
            await pilot.pause()
            await pilot.press("t")
            assert values["quote.q-acme.translations.fr"] in "\n".join(
                e.text.plain for e in app.pane("quotes").detail.entries
            )
            await pilot.press("t")

            # Search finds each kind by a word of it; results draw the markup literally.
            search = app.pane("search")
            for word, ref in SEARCHES.items():
                await pilot.press("slash")
                search.input.value = word  # as if typed (or pasted): Input.Changed runs the search
                await pilot.press("enter")
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert ref in search.hit_refs(), (
                    word,
                    search.hit_refs(),
                    str(search.query_one(".pane-title").render()),
                )
                lines = await all_rendered_lines(pilot, search.list)
                assert_all_shown(list(MARKUP_TOKENS), lines, f"search results for {word!r}")
                if word == "marmoset":
                    clicked += await click_every(pilot, search.list, "[@click=app.quit]")

            # A list row holding the action: click it, double-click it (opens it). A quote's
            # speaker: the members table cuts this long name before its action.
            await pilot.press("3")
            quotes = app.pane("quotes")
            quotes.list.select_ref("quote:q-acme")
            await pilot.pause()
            clicked += await click_every(pilot, quotes.list, "[@click=app.quit]")
            assert clicked >= 6, clicked
            assert app.is_running
            assert app.return_code is None
            await pilot.press("1")
            assert app.is_running

    run_async(session(), timeout=90)


def test_markup_in_a_member_id_reference_is_refused_quietly(tmp_path: Path) -> None:
    """A REF built from markup (as a hostile link target would be) is a warning, not an action."""
    data = write_dataset(tmp_path / "data", markup_values())
    dataset = load_dataset(data)

    async def session() -> None:
        app = AllianceApp(dataset, data_dir=data, build_index=False)
        app.animation_level = "none"
        async with app.run_test(size=(100, 30)) as pilot:
            app.follow(f"member:{MARKUP}")
            app.follow(MARKUP)
            await pilot.pause()
            assert app.is_running
            assert app.current_pane.id == "overview"

    run_async(session())
