"""The members table: column headers over the cells, any column sorted either way (s, S, a
click on a header), more columns on wider terminals, and no wasted half screen at 120+.

Everything is read from the rendered screen (what the user sees), and the expected orders
are computed here from the data, not with the pane's own sort code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from tui_helpers import ready, screen_text, widest_blank_band

from index import Member
from tui.render import cut

HEADER_ROW, FIRST_ROW = 4, 5  # screen lines: app header, tabs (2), pane title, column headers
LABELS = {"country": "CC", "type": "type", "name": "name", "joined": "joined"}
LABELS |= {"region": "region", "website": "website", "listed": "listed"}
ROW = re.compile(r"^ [●○] ")


def website(url: str) -> str:
    host = url.split("://", 1)[-1]
    return (host[4:] if host.startswith("www.") else host).rstrip("/")


def label(m: Member) -> str:
    short = f" ({m.short_name})" if m.short_name and m.short_name not in m.name else ""
    return m.name + short


def cell(m: Member, key: str) -> str:
    """What the column shows for m (before any cut)."""
    if key == "joined":
        return str(m.joined) if m.joined else (f"≤{m.listed}" if m.listed else "")
    values = {
        "country": m.country or "··",
        "type": m.type,
        "name": label(m),
        "region": m.region,
        "website": website(m.website) if m.website else "",
        "listed": str(m.listed) if m.listed else "",
    }
    return values[key]


def name(m: Member) -> str:
    return m.name.casefold()


# The order each column sorts by, and whether a member has a value there (those without
# go last in both directions).
ORDERS: dict[str, tuple[Callable[[Member], Any], Callable[[Member], bool]]] = {
    "name": (lambda m: name(m), lambda m: True),
    "country": (lambda m: (m.country, name(m)), lambda m: bool(m.country)),
    "type": (lambda m: (m.type, name(m)), lambda m: True),
    "joined": (lambda m: (m.since, name(m)), lambda m: m.since is not None),
    "region": (lambda m: (m.region.casefold(), name(m)), lambda m: bool(m.region)),
    "website": (lambda m: (website(m.website).casefold(), name(m)), lambda m: bool(m.website)),
    "listed": (lambda m: (m.listed, name(m)), lambda m: m.listed is not None),
    "founding": (lambda m: (not m.founding, name(m)), lambda m: True),
}


def expected(members: list[Member], key: str, descending: bool) -> list[Member]:
    order, has = ORDERS[key]
    present = sorted((m for m in members if has(m)), key=order, reverse=descending)
    return present + sorted((m for m in members if not has(m)), key=name)


def screen_lines(app: Any) -> list[str]:
    return screen_text(app).splitlines()


def list_part(line: str) -> str:
    """A screen line without the detail (right of the ▏ border)."""
    return line.split("▏", 1)[0]


def shown_names(app: Any, name_at: int) -> list[str]:
    """The name cell of every member row on screen, top to bottom (as cut by the table)."""
    names = []
    for line in screen_lines(app)[FIRST_ROW:]:
        row = list_part(line)
        if ROW.match(row):
            names.append(re.split(r"\s{2,}", row[name_at:].rstrip(" ▁▂▃▄▅▆▇█"))[0])
    return names


def as_cut(text: str, width: int) -> str:
    """A name as its column shows it: whole, or cut with … at a word boundary (tui.render.cut)."""
    return text if len(text) <= width else cut(text, width, back=0.25)


def header_x(app: Any, key: str) -> int:
    header = screen_lines(app)[HEADER_ROW]
    found = re.search(rf"(?<!\S){re.escape(LABELS[key])}(?=[▲▼ ]|$)", header)
    assert found, f"no {LABELS[key]!r} header in {header!r}"
    return found.start()


async def open_members(pilot: Any) -> Any:
    await ready(pilot)
    await pilot.press("2")
    await pilot.pause()
    return pilot.app.pane("members")


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_headers_sit_over_their_cells(make_app, dataset, size):
    app = make_app(preview=False)
    async with app.run_test(size=size) as pilot:
        pane = await open_members(pilot)
        by_id = {m.id: m for m in dataset.members}
        lines = screen_lines(app)
        rows = [
            (list_part(line), by_id[entry.ref.split(":", 1)[1]])
            for line, entry in zip(lines[FIRST_ROW:], pane.list.entries, strict=False)
            if ROW.match(line)
        ]
        assert len(rows) >= 15
        keys = ["country", "type", "name", *pane.columns.extras]
        checked = dict.fromkeys(keys, 0)
        starts = [header_x(app, key) for key in keys]
        assert starts == sorted(starts)
        for key, x, end in zip(keys, starts, [*starts[1:], None], strict=True):
            for row, member in rows:
                value = cell(member, key)
                if not value:
                    continue
                shown = row[x:end].rstrip(" ▁▂▃▄▅▆▇█")
                assert value.startswith(shown.rstrip("…")) and shown, (key, row, value)
                if x > 0:
                    assert row[x - 1] == " ", f"{key} value does not start at its header: {row!r}"
                checked[key] += 1
        assert all(checked.values()), checked  # every column had values to check


async def test_wider_terminals_show_more_columns(make_app):
    headers = {}
    for width, height in ((80, 24), (200, 60)):
        app = make_app(preview=False)
        async with app.run_test(size=(width, height)) as pilot:
            await open_members(pilot)
            headers[width] = set(screen_lines(app)[HEADER_ROW].replace("▲", " ").split())
    assert {"CC", "type", "name", "joined"} <= headers[80]
    assert headers[200] - headers[80] >= {"region", "website", "listed"}


@pytest.mark.slow  # every column both ways: about 5 s
async def test_every_column_sorts_both_ways(make_app, dataset):
    app = make_app(preview=False)
    async with app.run_test(size=(200, 60)) as pilot:
        pane = await open_members(pilot)
        name_at = header_x(app, "name")
        width = pane.columns.name
        done = []
        for _ in range(len(pane.shown_sorts())):
            await pilot.press("s")
            key = pane.sort
            for descending in (False, True):
                if descending:
                    await pilot.press("S")
                await pilot.press("g")
                await pilot.pause()
                arrow = "▼" if descending else "▲"
                assert f"sorted by {key} {arrow}" in screen_lines(app)[3]
                header = screen_lines(app)[HEADER_ROW]
                assert header.count(arrow) == 1 and "▲▼".replace(arrow, "") not in header
                want = [as_cut(label(m), width) for m in expected(list(dataset.members), key, descending)]
                shown = shown_names(app, name_at)
                assert len(shown) >= 40
                assert shown == want[: len(shown)], f"sorted by {key} {arrow}"
            done.append(key)
        assert sorted(done) == sorted(ORDERS)  # s went through every column, each once


async def test_a_click_on_a_header_sorts_and_a_second_reverses(make_app, dataset):
    app = make_app(preview=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_members(pilot)
        name_at = header_x(app, "name")
        for key in ("joined", "country"):
            x = header_x(app, key) + 1  # +1: the header's left padding
            await pilot.click(pane.header, offset=(x, 0))
            assert (pane.sort, pane.descending) == (key, False)
            await pilot.press("g")
            want = [as_cut(label(m), pane.columns.name) for m in expected(list(dataset.members), key, False)]
            shown = shown_names(app, name_at)
            assert shown == want[: len(shown)]
            assert f"{LABELS[key]}▲" in screen_lines(app)[HEADER_ROW]
            await pilot.click(pane.header, offset=(x, 0))
            assert (pane.sort, pane.descending) == (key, True)
            await pilot.press("g")
            want = [as_cut(label(m), pane.columns.name) for m in expected(list(dataset.members), key, True)]
            assert shown_names(app, name_at) == want[: len(shown)]
            assert f"{LABELS[key]}▼" in screen_lines(app)[HEADER_ROW]
            assert f"sorted by {key} ▼" in screen_lines(app)[3]


@pytest.mark.parametrize("size", [(120, 40), (200, 60)])
async def test_the_members_pane_wastes_no_third_of_a_wide_screen(make_app, size):
    """Before: list and detail half the screen each, names using a third of the list.
    Now the table is as wide as its columns and the detail has the rest (a third at least)."""
    app = make_app(preview=False)
    async with app.run_test(size=size) as pilot:
        pane = await open_members(pilot)
        table = pane.list.outer_size.width
        # Nothing open yet: the detail holds a short hint, the table fills its side.
        rows = [line[:table] for line in screen_lines(app)[FIRST_ROW:-1]]
        # 0.3: long names end with … at a word boundary, a few cells short of their column.
        assert widest_blank_band(rows, table) <= 0.3
        assert pane.detail.outer_size.width <= size[0] * 0.36
        await pilot.press("enter")  # a record in the detail
        await pilot.pause()
        assert pane.record is not None
        body = screen_lines(app)[FIRST_ROW:-1]  # the table and the detail, without the footer
        assert widest_blank_band(body, size[0]) <= 0.36
        # The table has what it needs, the detail the rest: a third of the screen at least.
        assert pane.detail.outer_size.width >= size[0] // 3
        assert table > pane.detail.outer_size.width


@pytest.mark.slow  # two layouts: over 3 s
async def test_the_layout_follows_a_resize(make_app):
    """Wide: the table sized to its columns; narrowed: the list alone, the whole width, and
    the headers hide while the detail is open in its place."""
    app = make_app(preview=False)
    async with app.run_test(size=(200, 60)) as pilot:
        pane = await open_members(pilot)
        assert pane.list.outer_size.width < 150 and "website" in pane.columns.extras
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert pane.list.outer_size.width == 80
        assert "website" not in pane.columns.extras
        assert "website" not in screen_lines(app)[HEADER_ROW]
        assert header_x(app, "name") == 18  # the padding, then ● CC type
        await pilot.press("enter")
        await pilot.pause()
        assert not pane.header.display
