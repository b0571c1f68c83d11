"""The help, the filter picker, the export dialog and the terminal notices in French (issue 16);
in English they read exactly as before (the snapshots and tests/tui/test_tui_export.py say so).

French typography puts a no-break space before ':' and ';': compared here as plain spaces,
so these tests say what is written, not which space the catalog uses."""

from __future__ import annotations

from typing import Any

import pytest
from tui_helpers import plain, ready

from tui.export_screen import ExportScreen, how_many
from tui.keyhelp import KeyHelp
from tui.screens import FilterScreen, HelpScreen
from tui.widgets.line_list import LineList


def spaced(text: str) -> str:
    return text.replace("\u00a0", " ")


def title_of(screen: Any) -> str:
    return spaced(str(screen.query_one(".dialog-title").render()))


def message_of(dialog: ExportScreen) -> str:
    return spaced(str(dialog.query_one("#export-message").render()))


async def test_the_help_in_french(make_app, french):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert title_of(app.screen) == "Touches  (Échap ferme)"
        await pilot.press("escape")
        # A key's description is bound in English (N_) and shown in the language of the moment.
        await app.push_screen(HelpScreen([("Volet", "", [KeyHelp(("escape",), "esc", "Cancel", "key:x")])]))
        await pilot.pause()
        text = plain(app.screen.query_one("#help", LineList))
        assert "Annuler" in text and "Cancel" not in text


async def test_the_help_in_english_is_unchanged(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await app.push_screen(HelpScreen([("Pane", "", [KeyHelp(("escape",), "esc", "Cancel", "key:x")])]))
        await pilot.pause()
        assert title_of(app.screen) == "Keys  (Esc closes)"
        assert "  Cancel" in plain(app.screen.query_one("#help", LineList))


async def test_the_filter_picker_in_french(make_app, french):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("2", "f")
        assert isinstance(app.screen, FilterScreen)
        title = title_of(app.screen)
        assert title == "Filtrer les membres  (Espace coche, Entrée valide, Échap annule)"
        # The title fits the dialog at 80 columns (90 % wide, a border and a padding each side).
        assert len(title) <= app.screen.query_one(".dialog-title").content_region.width
        assert (
            plain(app.screen.query_one("#choices", LineList)).splitlines()[0].startswith("  Les membres, sans filtre")
        )
        await pilot.press("backslash", "u", "n", "i")
        await pilot.pause()
        assert " · restreint : uni · " in title_of(app.screen)


async def _open_export(pilot: Any) -> ExportScreen:
    await pilot.press("2", "e")
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportScreen)
    return dialog


async def _submit(pilot: Any, dialog: ExportScreen, path: str) -> None:
    from textual.widgets import Input

    dialog.query_one("#export-path", Input).value = path
    await pilot.press("enter")
    await pilot.pause()


async def test_the_export_dialog_in_french(make_app, dataset, french, tmp_path):
    from textual.widgets import Input

    members = len(dataset.members)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        dialog = await _open_export(pilot)
        assert title_of(dialog) == f"Exporter {members} membres dans un fichier"
        assert message_of(dialog) == (
            "Entrée écrit du CSV, ou du JSON ou du Markdown pour un nom en .json ou .md · Échap annule"
        )
        await _submit(pilot, dialog, "  ")
        assert message_of(dialog) == "Tapez un nom de fichier, p. ex. members.csv"
        await _submit(pilot, dialog, str(tmp_path))
        assert message_of(dialog) == f"{tmp_path} est un dossier : ajoutez un nom de fichier"
        await _submit(pilot, dialog, str(tmp_path / "nowhere" / "m.csv"))
        assert message_of(dialog).startswith(f"Impossible d’écrire {tmp_path / 'nowhere' / 'm.csv'} : ")
        target = tmp_path / "m.csv"
        target.write_text("kept", encoding="utf-8")
        await _submit(pilot, dialog, str(target))
        assert message_of(dialog) == f"{target} existe : Entrée à nouveau le remplace, sinon changez le nom"
        dialog.query_one("#export-path", Input).value = str(tmp_path / "other.csv")
        await pilot.pause()
        assert message_of(dialog) == "Entrée écrit · Échap annule"  # another name: asked again
        await _submit(pilot, dialog, str(target))
        assert " existe : " in message_of(dialog)
        await pilot.press("enter")  # Enter again: replaced
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        notices = [spaced(str(n.message)) for n in app._notifications]
        assert f"Export terminé : {members} membres dans {target} (CSV)" in notices


async def test_nothing_to_export_in_french(make_app, french):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2", "backslash", *"zzzzqqq", "enter")  # narrowed to nothing
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        notices = [spaced(str(n.message)) for n in app._notifications]
        assert "Rien à exporter : la liste ne contient aucune fiche" in notices


@pytest.mark.parametrize(
    ("count", "kind", "english", "french_text"),
    [
        (1, None, "1 record", "1 fiche"),
        (3, None, "3 records", "3 fiches"),
        (1, "member", "1 member", "1 membre"),
        (2, "person", "2 people", "2 personnes"),
    ],
)
def test_how_many_records_in_both_languages(count, kind, english, french_text):
    from index.i18n import set_language
    from index.kinds import get_kind

    of_kind = get_kind(kind) if kind else None
    assert how_many(count, of_kind) == english
    set_language("fr")
    try:
        assert how_many(count, of_kind) == french_text
    finally:
        set_language("en")


def test_terminal_notices_in_french(monkeypatch, french):
    from tui import terminal

    assert spaced(terminal.terminal_problem({"TERM": "dumb"}) or "") == (
        "ce terminal (TERM=dumb) ne peut pas afficher l’explorateur ; pour des scripts, utilisez list, show ou search"
    )
    monkeypatch.setattr(terminal, "narrow_encoding", lambda: "latin-1")
    assert spaced(terminal.encoding_notice()) == (
        "l’encodage du terminal (iso8859-1) n’est pas UTF-8 : les caractères qui lui manquent sont affichés en ASCII"
    )


def test_terminal_notices_in_english(monkeypatch):
    from tui import terminal

    assert terminal.terminal_problem({"TERM": "dumb"}) == (
        "this terminal (TERM=dumb) cannot show the explorer; for scripts use list, show or search"
    )
    monkeypatch.setattr(terminal, "narrow_encoding", lambda: "latin-1")
    assert terminal.encoding_notice() == (
        "the terminal's encoding (iso8859-1) is not UTF-8: characters it lacks are shown as ASCII"
    )


def test_the_exit_note_in_french(monkeypatch, capsys, french):
    from tui import terminal

    monkeypatch.setattr(terminal, "narrow_encoding", lambda: "latin-1")
    monkeypatch.setattr(terminal, "_substituted", True)
    terminal._notice()
    assert spaced(capsys.readouterr().err).startswith("alliance : note : l’encodage du terminal (iso8859-1)")
