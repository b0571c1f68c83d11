"""The explorer in French in a real terminal (tmux), chosen by the locale as people have it:
LANG=fr_FR.UTF-8, no --lang, no $ALLIANCE_LANG. It opens, searches "suisse" (the French
name of a country: the Swiss members), opens a member and quits."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import Terminal, alliance_command, clean_env, have_tmux, readable

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
]


def french_env(tmp: Path) -> dict[str, str]:
    env = clean_env(tmp)
    del env["LC_ALL"]  # set, it would decide the language before LANG
    env["LANG"] = "fr_FR.UTF-8"
    return env


def test_french_from_the_locale_search_suisse_open_a_member_quit(tmp_path: Path) -> None:
    term = Terminal(tmp_path, width=100, height=30)
    try:
        # A shell with ALLIANCE_LANG=en around the suite: unset, as on a French desktop.
        term.start(f"unset ALLIANCE_LANG; {alliance_command()}", env=french_env(tmp_path))
        screen = term.wait_all("1 Aperçu", "2 Membres", "3 Citations", "4 Chronologie", "5 Recherche", "? Aide")
        readable(screen)
        assert "q Quitter" in screen and "membres listés" in screen, screen

        term.send("/")
        term.wait_for("Recherche prête", timeout=30)
        term.type("suisse")
        screen = term.wait_all("CERN", "ETH Zurich", "Ecole Polytechnique Federale")
        assert "3 résultats" in screen, screen

        term.send("Enter", delay=0.3)  # to the results
        term.send("Enter")  # open the first hit: a Swiss member
        screen = term.wait_for("member:cern")
        assert "Suisse" in screen, screen  # its country, in French

        term.send("Escape")
        term.wait_for("Quitter")
        term.send("Escape", "q", delay=0.3)
        term.wait_for("__EXIT__0")
        assert term.display("#{alternate_on}") == "0", "alternate screen not left"
    finally:
        term.close()
