"""Wrapping (issue 14): wrapped lines hang under their first line's text, `→` stays with its
link, cut text ends with `…` at a word boundary."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.text import Text
from tui_helpers import ready, rendered, search

from tui.app import AllianceApp
from tui.render import cap, cut
from tui.widgets.line_list import Entry, LineList, cut_line, wrap_hanging

CONSOLE = Console(width=200)


def lines(text: str, width: int, indent: int | None = None) -> list[str]:
    return [line.plain for line in wrap_hanging(Text(text), width, CONSOLE, indent)]


def test_bullets_arrows_and_numbers_hang_under_their_text() -> None:
    for prefix in ("  • ", "  → ", "  12. ", "- "):
        wrapped = lines(prefix + "alpha beta gamma delta epsilon zeta eta theta iota kappa", 30)
        assert len(wrapped) > 1 and wrapped[0].startswith(prefix)
        for line in wrapped[1:]:
            assert line.startswith(" " * len(prefix)) and line[len(prefix)] != " ", (prefix, wrapped)


def test_arrow_stays_with_its_url() -> None:
    url = "https://www.constellationr.com/blog-news/insights/ibm-meta-form-ai-alliance-what-can-it-accomplish"
    wrapped = lines(f"  → {url}", 60)
    assert wrapped[0].startswith("  → https://")
    assert not any(line.rstrip().endswith("→") for line in wrapped)
    assert "".join(line.strip() for line in wrapped) == f"→ {url}"
    assert all(line.startswith("    ") for line in wrapped[1:])


def test_explicit_indent_and_paragraphs() -> None:
    """A search hit: the kind column, then title and snippet both hanging at 9."""
    text = "member   " + "word " * 20 + "\n         " + "snippet " * 15
    wrapped = lines(text.rstrip(), 40, indent=9)
    assert wrapped[0].startswith("member   word")
    assert all(line.startswith(" " * 9) and line[9] != " " for line in wrapped[1:])


def test_too_narrow_to_hang_uses_the_whole_width() -> None:
    wrapped = lines("          " + "word " * 10, 14)
    assert all(len(line) <= 14 for line in wrapped)


def test_cut_line_ends_with_an_ellipsis_at_a_word_boundary() -> None:
    line = cut_line(Text("Abdus Salam International Centre for Theoretical Physics"), 30)
    assert line.plain == "Abdus Salam International…"
    assert cut_line(Text("short"), 30).plain == "short"
    assert cut_line(Text("x" * 50), 20).plain == "x" * 19 + "…"


def test_cut_and_cap_stop_at_a_word() -> None:
    assert cut("The AI Alliance is an open community of technology developers", 30) == "The AI Alliance is an open…"
    assert len(cut("a" * 400, 300)) == 300
    capped = cap("word " * 10, 22)
    assert capped.startswith("word word word word…") and "more characters not shown" in capped


async def test_detail_sources_hang_and_keep_their_arrows(make_app: Callable[..., AllianceApp]) -> None:
    """A narrow detail: each wrapped source URL continues under its text, never a lone →."""
    app = make_app(open_ref="topic:nvidia-absence")
    async with app.run_test(size=(70, 60)) as pilot:
        await ready(pilot)
        detail = app.pane("overview").detail
        await pilot.press("G")
        shown = rendered(detail).splitlines()
        arrows = [i for i, line in enumerate(shown) if line.lstrip().startswith("→ https://")]
        assert arrows, shown
        assert not any(line.rstrip().endswith("→") for line in shown)
        continued = [shown[i + 1] for i in arrows if i + 1 < len(shown) and shown[i + 1].strip()]
        continued = [line for line in continued if not line.lstrip().startswith("→")]
        assert continued, "no source URL wrapped at this width"
        assert all(line.startswith("    ") and line[4] != " " for line in continued), continued


async def test_search_snippets_hang_under_the_title(make_app: Callable[..., AllianceApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 40)) as pilot:
        await ready(pilot)
        pane = await search(pilot, "open source")
        results: LineList = pane.list
        wrapped_entries = 0
        for index, _entry in enumerate(results.entries[:10]):
            start = results._entry_line[index]
            end = results._entry_line[index + 1] if index + 1 < len(results.entries) else len(results._lines)
            for line in results._lines[start + 1 : end]:
                assert line.plain.startswith(" " * 9) and line.plain[9] != " ", line.plain
                wrapped_entries += 1
        assert wrapped_entries


async def test_list_rows_cut_with_an_ellipsis(make_app: Callable[..., AllianceApp]) -> None:
    """A list row wider than its pane ends with … at a word, not mid-word at the edge."""
    app = make_app()
    # The timeline's rows are cut at the pane's edge (the members table sizes its own columns).
    async with app.run_test(size=(80, 30)) as pilot:
        await ready(pilot)
        app.show_pane("timeline")
        await pilot.pause()
        rows = app.pane("timeline").list
        width = rows.scrollable_content_region.width
        long_rows = [e for e in rows.entries if e.text.cell_len > width]
        assert long_rows
        for number, line in enumerate(rows._lines):
            if rows._entries[rows._line_entry[number]].text.cell_len > width:
                assert line.cell_len <= width and line.plain.endswith("…"), line.plain
                assert line.plain[-2] != " "
        rows.set_entries([Entry(Text("word " * 40), ref="x:y")])
        assert rows._lines[0].plain.endswith("word…")


def test_table_cells_are_fitted_in_cells_not_characters() -> None:
    """A CJK or emoji title takes two cells a character: padded or cut by len() it pushed
    the next column out of line (and the hostile timeline cut 数据联盟 off the screen)."""
    from rich.cells import cell_len

    from tui.render import fit

    for text in ("数据联盟 alliance", "Launch 🚀 数据联盟 and more", "plain ascii title", "Fédérale"):
        for width in (4, 8, 12, 30):
            shown = fit(text, width)
            assert cell_len(shown) == width, (text, width, shown)
            assert shown.rstrip().rstrip("…") in text or shown.rstrip().endswith("…")
