"""Filters (`f`) with several values per field, on Members, Quotes and Timeline.

In the dialog Space marks values (a field keeps any of its marked values, all fields
apply), Enter applies; Enter on a value with nothing marked keeps just that value, as
the dialog always did. `MembersPane.set_filter(key, value)` keeps its meaning (the
Overview's chart links call it).
"""

from __future__ import annotations

from typing import Any

from tui_helpers import burst, move_to, ready, refs, title

from index.describe import country_name
from tui.screens import FilterScreen
from tui.widgets.line_list import LineList


def ticked(app: Any) -> list[str]:
    choices = app.screen.query_one("#choices", LineList)
    return [e.ref for e in choices.entries if e.ref and e.text.plain.startswith("✓")]


async def mark(pilot: Any, *choice_refs: str) -> None:
    """In the open dialog: put the cursor on each choice (as j/k would) and press Space."""
    choices = pilot.app.screen.query_one("#choices", LineList)
    for ref in choice_refs:
        assert choices.select_ref(ref), ref
        await pilot.press("space")


async def test_several_values_per_field_on_members(make_app, dataset):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2", "f")
        pane = app.pane("members")
        assert isinstance(app.screen, FilterScreen)
        await mark(pilot, "type=university", "type=research", "country=JP", "country=US")
        assert ticked(app) == ["type=university", "type=research", "country=US", "country=JP"]  # dialog order
        await pilot.press("enter")  # applies the marks, wherever the cursor is
        assert not isinstance(app.screen, FilterScreen)
        kept = {
            f"member:{m.id}"
            for m in dataset.members
            if m.type in {"university", "research"} and m.country in {"JP", "US"}
        }
        assert kept and set(refs(pane.list)) == kept
        jp, us = country_name("JP"), country_name("US")
        assert title(pane).endswith(f"filter: university or research, {jp} or {us}")
        assert f"Members · {len(kept)} of {len(dataset.members)}" in title(pane)
        assert app.focused is pane.list

        await pilot.press("f")  # the marks are the filters now; Space unmarks one
        assert set(ticked(app)) == {"type=university", "type=research", "country=US", "country=JP"}
        await mark(pilot, "country=US")
        await pilot.press("enter")
        assert set(refs(pane.list)) == {
            f"member:{m.id}" for m in dataset.members if m.type in {"university", "research"} and m.country == "JP"
        }

        await pilot.press("f")  # Enter on a value, nothing marked: that value alone, for its field
        await move_to(pilot, app.screen.query_one("#choices", LineList), "type=company")
        await pilot.press("enter")
        assert pane.filters == {"type": frozenset({"company"}), "country": frozenset({"JP"})}
        assert title(pane).endswith(f"filter: company, {jp}")

        await pilot.press("f")  # Space on "Any country" clears that field; Esc cancels it all
        await mark(pilot, "country=")
        assert ticked(app) == ["type=company"]
        await pilot.press("escape")
        assert pane.filters == {"type": frozenset({"company"}), "country": frozenset({"JP"})}

        await pilot.press("f")  # Space on "All members" clears the marks; Enter then shows all
        await mark(pilot, "clear=")
        await pilot.press("enter")
        assert pane.filters == {} and len(refs(pane.list)) == len(dataset.members)
        assert "filter" not in title(pane)


async def test_set_filter_keeps_its_meaning(make_app, dataset):
    """A str sets the field to just that value, None clears the field, ("clear", None) all."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        pane = app.pane("members")
        pane.set_filter("type", ["university", "research"])  # several, for callers that want them
        pane.set_filter("type", "university")
        pane.set_filter("country", "US")
        await pilot.pause()
        assert set(refs(pane.list)) == {
            f"member:{m.id}" for m in dataset.members if m.type == "university" and m.country == "US"
        }
        pane.set_filter("type", None)
        assert pane.filters == {"country": frozenset({"US"})}
        assert len(refs(pane.list)) == sum(1 for m in dataset.members if m.country == "US")
        pane.set_filter("clear", None)
        assert pane.filters == {} and len(refs(pane.list)) == len(dataset.members)


async def test_quotes_filter_by_speaker_member_language_and_year(make_app, dataset):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("3", "f")
        pane = app.pane("quotes")
        assert isinstance(app.screen, FilterScreen)
        choices = app.screen.query_one("#choices", LineList)
        headings = [e.text.plain for e in choices.entries if e.style == "line-list--heading"]
        assert headings == ["Speaker", "Member", "Language", "Year"]
        assert app.screen.query_one(".dialog-title").render().plain.startswith("Filter quotes")

        speakers = ["Yann LeCun", "Christopher Nguyen"]
        quotes = [q for q in dataset.quotes if q.speaker in speakers]
        assert len({q.date.year for q in quotes}) > 1, "the data no longer tells the filters apart"
        year = str(min(q.date.year for q in quotes))
        await mark(pilot, *(f"speaker={s}" for s in speakers), f"year={year}")
        await pilot.press("enter")
        kept = [q for q in quotes if str(q.date.year) == year]
        assert kept and refs(pane.list) == [f"quote:{q.id}" for q in dataset.quotes if q in kept]
        assert title(pane).endswith(f"filter: {speakers[1]} or {speakers[0]}, {year}")  # names in order
        assert f"Quotes · {len(kept)} of {len(dataset.quotes)}" in title(pane)

        pane.set_filter("clear", None)
        pane.set_filter("language", "fr")  # in French, or with a French rendering
        french = [q for q in dataset.quotes if q.lang == "fr" or any(lang == "fr" for lang, _ in q.translations)]
        assert french and refs(pane.list) == [f"quote:{q.id}" for q in french]
        assert title(pane).endswith("filter: French (fr)")

        ibm = [q for q in dataset.quotes if q.member == "ibm"]
        pane.set_filter("clear", None)
        pane.set_filter("member", "ibm")
        assert ibm and refs(pane.list) == [f"quote:{q.id}" for q in ibm]
        assert title(pane).endswith("filter: IBM")


async def test_timeline_filter_by_tags_and_year(make_app, dataset):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("4", "f")
        pane = app.pane("timeline")
        assert app.screen.query_one(".dialog-title").render().plain.startswith("Filter events")
        await mark(pilot, "tag=launch", "tag=policy")
        await pilot.press("enter")
        kept = [e for e in dataset.events if {"launch", "policy"} & set(e.tags)]
        assert kept and set(refs(pane.list)) == {f"event:{e.id}" for e in kept}
        headings = [e.text.plain for e in pane.list.entries if not e.selectable]
        assert headings == sorted({f"{e.date.year:04d}" for e in kept})  # only the years with events
        assert title(pane).endswith("filter: launch or policy")
        assert f"Timeline · {len(kept)} of {len(dataset.events)} events" in title(pane)

        year = f"{kept[0].date.year:04d}"
        pane.set_filter("year", year)  # and that year only
        assert set(refs(pane.list)) == {f"event:{e.id}" for e in kept if f"{e.date.year:04d}" == year}

        # Opening an event the filters hide clears them, so it shows in the list.
        hidden = next(e for e in dataset.events if not {"launch", "policy"} & set(e.tags))
        app.follow(f"event:{hidden.id}")
        await pilot.pause()
        assert pane.list.current.ref == f"event:{hidden.id}"
        assert pane.filters == {} and "filter" not in title(pane)


async def test_f_is_listed_in_the_help_of_quotes_and_timeline(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for key in ("3", "4"):
            await pilot.press(key)
            keys = {(k.shown, k.description) for _, _, ks in app.help_sections() for k in ks}
            assert ("f", "Filter") in keys


async def test_the_choices_narrow_as_you_type_and_marks_survive_it(make_app, dataset):
    """`\\` in the dialog narrows its choices (a long list of speakers or countries); a value
    marked while narrowed stays marked once the narrowing is cleared."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("3", "f")
        choices = app.screen.query_one("#choices", LineList)
        await burst(pilot, "backslash", *"lecun", "enter")
        assert app.focused is choices
        assert refs(choices) == ["speaker=Yann LeCun"]
        assert [e.text.plain for e in choices.entries if not e.selectable] == ["Speaker"]  # its heading
        assert "narrowed: lecun · 1 of" in app.screen.query_one(".dialog-title").render().plain
        await pilot.press("space", "backslash", "escape")  # mark it; clear the narrowing
        assert app.focused is choices and "speaker=Yann LeCun" in ticked(app)
        assert len(refs(choices)) > 50
        await burst(pilot, "backslash", *"qs", "escape", "enter")  # q and s typed, not Cancel
        assert not isinstance(app.screen, FilterScreen)
        quotes = app.pane("quotes")
        assert refs(quotes.list) == [f"quote:{q.id}" for q in dataset.quotes if q.speaker == "Yann LeCun"]
