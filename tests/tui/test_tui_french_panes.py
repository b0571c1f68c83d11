"""The panes in French (issue 16): titles, column headers, filters, sorts, narrowing notes, the
search status line, dates, counts, country and type names; in English they read as before (the
snapshots say so too: tests/tui/test_tui_snapshots.py).

French typography puts a no-break space before ':' and ';' (and CLDR a narrow one between
thousands): compared here as plain spaces, so these tests say what is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui_helpers import plain, ready, screen_text, search, title, write_markup_dataset

from index.i18n import set_language
from tui.panes.base import count
from tui.panes.search import SearchPane
from tui.panes.timeline import TimelinePane


def spaced(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def title_of(pane: Any) -> str:
    return spaced(title(pane))


def header_of(pane: Any) -> str:
    return pane.header.label_text().plain


def footer_text(app: Any) -> str:
    """The screen's last line: the footer's keys."""
    return spaced(screen_text(app).splitlines()[-1])


async def open_pane(pilot: Any, key: str, name: str) -> Any:
    await pilot.press(key)
    await ready(pilot)
    return pilot.app.pane(name)


async def test_members_in_french(make_app, french):
    app = make_app(preview=False)  # the detail shows the facets at a glance
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = await open_pane(pilot, "2", "members")
        assert title_of(pane) == "Membres · 141 sur 141 · tri par nom ▲"
        assert header_of(pane).split() == ["CC", "type", "nom▲", "adhésion"]
        glance = spaced(plain(pane.detail))
        assert "Suisse (CH)" in glance and "Switzerland" not in glance  # CERN and others
        assert "université" in glance and "Type" in glance and "Pays" in glance
        assert "Adhésion" in glance and "Fondateurs" in glance and "Entrés après" in glance  # not cut
        founding = pane.filter_fields()[0]
        assert [founding.label("yes"), founding.label("no"), founding.any_label] == [
            "Fondateurs",
            "Entrés après",
            "Fondateurs ou non",
        ]
        footer = footer_text(app)
        assert "f Filtrer" in footer and "s Trier" in footer and "S Inverser" in footer

        await pilot.press("s")  # sort by country
        assert title_of(pane) == "Membres · 141 sur 141 · tri par pays ▲"
        assert header_of(pane).split()[0] == "CC▲"
        await pilot.press("S")
        assert title_of(pane).endswith("tri par pays ▼")

        pane.set_filter("country", "CH")
        pane.set_filter("type", ["university", "research"])
        await pilot.pause()
        shown = len([m for m in app.dataset.members if m.country == "CH" and m.type in ("university", "research")])
        assert title_of(pane) == (
            f"Membres · {shown} sur 141 · tri par pays ▼ · filtre : université ou recherche, Suisse (CH)"
        )


async def test_members_narrowed_in_french(make_app, french):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pane = await open_pane(pilot, "2", "members")
        await pilot.press("backslash", "j", "p")
        assert pane._narrow_box.placeholder.startswith("restreindre")
        await pilot.press("enter")
        jp = len([m for m in app.dataset.members if m.country == "JP"])
        assert title_of(pane) == f"Membres · 141 sur 141 · tri par nom ▲ · restreint : jp · {jp} sur 141"
        # At 80 columns the header still fits over its columns: the joined date's label
        # (French, longer) starts where its column does.
        columns = {c.key: c for c in pane.header.columns}
        header = header_of(pane)
        assert header.index("adhésion") == columns["joined"].start
        assert len("adhésion▲") <= columns["joined"].width


async def test_timeline_in_french(make_app, french):
    app = make_app(preview=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = await open_pane(pilot, "4", "timeline")
        assert title_of(pane) == "Chronologie · 50 événements · 2023 – 24 juin 2026 · { } par année"
        footer = footer_text(app)
        assert "Année suivante" in footer and "f Filtrer" in footer
        pane.set_filter("year", "2023")
        await pilot.pause()
        shown = len([e for e in app.dataset.events if e.date.year == 2023])
        assert title_of(pane) == (
            f"Chronologie · {shown} sur 50 événements · 2023 – 13 déc. 2023 · {{ }} par année · filtre : 2023"
        )
        glance = spaced(plain(pane.detail))
        assert "Étiquette" in glance or "Année" in glance


async def test_one_event_and_its_dates_in_french(make_app, french, tmp_path: Path):
    app = make_app(data_dir=write_markup_dataset(tmp_path / "data"))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = await open_pane(pilot, "4", "timeline")
        assert title_of(pane) == "Chronologie · 1 événement · 5 déc. 2023 – 5 déc. 2023 · { } par année"
        pane.set_filter("year", "1999")  # no such year: nothing kept
        await pilot.pause()
        assert title_of(pane) == "Chronologie · 0 sur 1 événement · filtre : 1999"


async def test_one_event_in_english(make_app, tmp_path: Path):
    app = make_app(data_dir=write_markup_dataset(tmp_path / "data"))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = await open_pane(pilot, "4", "timeline")
        assert title_of(pane) == "Timeline · 1 event · 5 Dec 2023 – 5 Dec 2023 · { } jump by year"


async def test_overview_and_projects_in_french(make_app, french):
    app = make_app(preview=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert title_of(app.pane("overview")) == "Aperçu · AI Alliance"
        pane = await open_pane(pilot, "6", "projects")
        assert title_of(pane) == "Projets · 30 projets · 17 groupes et sections · 19 personnes"
        rows = plain(pane.list)
        assert "Gérés par l’alliance (9)" in rows and "Groupes de travail (" in rows and "Personnes (19)" in rows
        glance = plain(pane.detail)
        assert "Projets par statut" in glance and "Groupes et sections par type" in glance


async def test_search_status_in_french(make_app, french):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = await search(pilot, "univrsity")
        status = title_of(pane)
        assert status.startswith("vouliez-vous dire : university · aucun résultat exact ; résultats proches · ")
        assert f"{pane.result.total} résultats en " in status
        assert pane.input.placeholder.startswith("Rechercher membres, citations, événements…")
        footer = footer_text(app)
        assert "Résultat suivant" in footer or "esc Retour" in footer


async def test_pane_titles_in_english_are_unchanged(make_app):
    app = make_app(preview=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert title_of(app.pane("overview")) == "Overview · AI Alliance"
        pane = await open_pane(pilot, "2", "members")
        assert title_of(pane) == "Members · 141 of 141 · sorted by name ▲"
        assert header_of(pane).split() == ["CC", "type", "name▲", "joined"]
        glance = plain(pane.detail)
        assert "Switzerland" in glance and "university" in glance
        pane.set_filter("type", ["university", "research"])
        await pilot.pause()
        assert title_of(pane).endswith("· sorted by name ▲ · filter: university or research")
        pane = await open_pane(pilot, "4", "timeline")
        assert title_of(pane) == "Timeline · 50 events · 2023 – 24 Jun 2026 · { } jump by year"
        pane = await open_pane(pilot, "6", "projects")
        assert title_of(pane) == "Projects · 30 projects · 17 groups and chapters · 19 people"
        pane = await search(pilot, "univrsity")
        assert title_of(pane).startswith("did you mean: university · no exact match; close matches · ")


def test_counts_and_help_in_both_languages() -> None:
    english = SearchPane.HELP, TimelinePane.HELP
    assert count(1234) == "1234"  # English titles never grouped their counts
    assert SearchPane.help_text(None) == SearchPane.HELP  # type: ignore[arg-type]
    assert TimelinePane.help_text(None) == TimelinePane.HELP  # type: ignore[arg-type]
    assert "{ and } jump" in TimelinePane.HELP
    set_language("fr")
    try:
        assert spaced(count(1234)) == "1 234"
        assert "{ et } passent" in TimelinePane.help_text(None)  # type: ignore[arg-type]
        assert SearchPane.help_text(None).startswith("Tapez pour tout rechercher.")  # type: ignore[arg-type]
        assert english == (SearchPane.HELP, TimelinePane.HELP)  # the class's text stays English
    finally:
        set_language("en")
