"""The palette switches the explorer's language while it runs, and the choice is remembered.

The panes are made again in the new language; the pane, the record shown, the search
index and the query stay; the next start without --lang or $ALLIANCE_LANG takes the choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui_helpers import ready, settle, wait_until

from index.i18n import language, set_language
from tui.app import AllianceApp
from tui.config import load_settings


async def switched(pilot: Any) -> None:
    """After a switch: the new panes' work done (the old panes' workers were cancelled with
    them, which `ready` would report as failures)."""
    app = pilot.app
    await wait_until(pilot, lambda: app.panes_ready)
    await wait_until(pilot, lambda: all(w.is_finished for w in app.workers))
    await pilot.pause()


def tabs(app: AllianceApp) -> list[str]:
    return [str(tab.label) for tab in app.query("#tabs Tab")]


def header(app: AllianceApp) -> str:
    return str(app.query_one("#header").render())


def footer(app: AllianceApp) -> str:
    return " ".join(key.description for key in app.query("FooterKey"))  # type: ignore[attr-defined]


def commands(app: AllianceApp) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def test_the_palette_offers_the_other_language_in_its_own_name(make_app: Callable[..., AllianceApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert "Language: Français" in commands(app)
        assert not any(title.startswith("Language: English") for title in commands(app))
        await app.switch_language("fr")
        await pilot.pause()
        assert "Langue\u00a0: English" in commands(app)
        assert "Thème" in commands(app) and "Volet\u00a0: Membres" in commands(app)


async def test_switching_keeps_the_pane_the_record_and_the_search(make_app: Callable[..., AllianceApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("5", *"nasa")
        await settle(pilot)
        app.follow("member:nasa")
        await pilot.pause()
        assert app.current_pane.id == "members" and app.current_pane.record.id == "nasa"
        history = list(app.history)
        assert tabs(app)[1] == "2 Members" and "quotes" in header(app)

        await app.switch_language("fr")
        await switched(pilot)
        assert language() == "fr"
        assert tabs(app) == ["1 Aperçu", "2 Membres", "3 Citations", "4 Chronologie", "5 Recherche", "6 Projets"]
        assert "citations" in header(app) and "événements" in header(app)
        assert app.current_pane.id == "members" and app.current_pane.record.id == "nasa"
        assert app.history == history  # the switch is not a step of the history
        assert "Quitter" in footer(app).split() and "Quit" not in footer(app).split()
        search = app.pane("search")
        assert search.input.value == "nasa" and search.searcher is not None
        await pilot.press("5")
        await wait_until(pilot, lambda: any("nasa" in ref for ref in (e.ref or "" for e in search.list.entries)))
        assert load_settings()["language"] == "fr"

        await app.switch_language("en")
        await switched(pilot)
        assert tabs(app)[1] == "2 Members" and "Quit" in footer(app).split()
        assert load_settings()["language"] == "en"


async def test_the_choice_is_taken_at_the_next_start_only_when_asked(make_app: Callable[..., Any]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await app.switch_language("fr")
        await switched(pilot)
    set_language("en")
    # --lang or $ALLIANCE_LANG named a language: the remembered one is not taken.
    make_app()
    assert language() == "en"
    make_app(saved_language=True)
    assert language() == "fr"
