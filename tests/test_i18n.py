"""The interface's language (issue 16): how it is chosen, and the command line in French.

French puts a no-break space (U+00A0) before a colon: "ok\u00a0: 141 membres"."""

from __future__ import annotations

import os

import pytest

from index.i18n import choose_language, language, language_of
from tests.cli_runner import run_in_process


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("fr", "fr"),
        ("fr_FR.UTF-8", "fr"),
        ("fr_CA", "fr"),
        ("fr-BE", "fr"),
        ("fr_FR@euro", "fr"),
        ("FR", "fr"),
        ("en_GB.UTF-8", "en"),
        ("C", "en"),
        ("C.UTF-8", "en"),
        ("POSIX", "en"),
        ("de_DE.UTF-8", None),
        ("", None),
        ("français", None),
    ],
)
def test_a_locale_names_a_language_of_ours_or_none(value: str, expected: str | None) -> None:
    assert language_of(value) == expected


@pytest.mark.parametrize(
    ("option", "env", "expected"),
    [
        (None, {}, "en"),
        ("fr", {"ALLIANCE_LANG": "en", "LANG": "en_US.UTF-8"}, "fr"),  # --lang first
        ("en", {"ALLIANCE_LANG": "fr"}, "en"),
        (None, {"ALLIANCE_LANG": "fr", "LC_ALL": "en_US.UTF-8"}, "fr"),  # then $ALLIANCE_LANG
        (None, {"ALLIANCE_LANG": "xx", "LANG": "fr_FR.UTF-8"}, "fr"),  # one not ours: the locale
        (None, {"LANG": "fr_FR.UTF-8"}, "fr"),
        (None, {"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        (None, {"LC_ALL": "de_DE.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),  # LC_ALL decides, not ours
        (None, {"LC_ALL": "", "LANG": "fr_FR.UTF-8"}, "fr"),  # set but empty: as unset
        (None, {"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_the_language_comes_from_the_option_then_the_variable_then_the_locale(
    option: str | None, env: dict[str, str], expected: str
) -> None:
    assert choose_language(option, env) == expected


def test_the_command_line_offers_the_languages_there_are() -> None:
    from index.i18n import LANGUAGES
    from tui.cli import LANGUAGE_CODES

    assert tuple(LANGUAGES) == LANGUAGE_CODES


def test_an_english_run_does_not_import_the_translations() -> None:
    """`alliance --version` in English: index.i18n imports the whole index package (~50 ms)."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom tui.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print('index.i18n' in sys.modules)"
    )
    env = french_env(LANG="en_US.UTF-8")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.split()[-1] == "False", done.stdout + done.stderr
    env = french_env(LANG="fr_FR.UTF-8")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.split()[-1] == "True", done.stdout + done.stderr


def french_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ALLIANCE_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(extra)
    return env


def run(*args: str, **env: str) -> tuple[int, str, str]:
    done = run_in_process(*args, env=french_env(**env))
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def test_validate_in_french_counts_with_french_plurals() -> None:
    code, out, err = run("--lang", "fr", "validate")
    assert code == 0, err
    assert out.startswith("ok\u00a0: ")
    assert " membres (dont 57 fondateurs), " in out
    assert " citations, " in out and " événements, " in out
    assert " fichiers (" in out
    code, out, _ = run("validate")  # the next run in the same process: English again
    assert code == 0 and out.startswith("ok: ") and " members (57 founding), " in out
    assert language() == "en"


def test_the_help_follows_the_locale() -> None:
    code, out, _ = run("--help", LANG="fr_FR.UTF-8")
    assert code == 0
    assert out.startswith("usage\u00a0: alliance")
    assert "Explorer l’AI Alliance\u00a0: membres, citations, chronologie et recherche." in out
    assert "afficher cette aide et quitter" in out
    assert "vérifier un jeu de données et en afficher le bilan" in out
    code, out, _ = run("--help", LANG="fr_FR.UTF-8", ALLIANCE_LANG="en")
    assert code == 0 and "Explore the AI Alliance" in out


def test_usage_errors_in_french_keep_their_exit_code() -> None:
    code, out, err = run("--lang", "fr", "frobnicate")
    assert code == 2 and out == ""
    assert "alliance\u00a0: erreur\u00a0: argument COMMAND\u00a0: choix invalide\u00a0: 'frobnicate'" in err
    code, _, err = run("--lang", "de", "validate")
    assert code == 2
    assert "choose from" in err  # not one of ours: the message is English (nothing was chosen)


def test_data_problems_are_counted_in_french(tmp_path) -> None:
    (tmp_path / "members.toml").write_text("[[member]]\nid = 'x'\n", encoding="utf-8")
    code, _, err = run("--lang", "fr", "validate", "--data", str(tmp_path))
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[-1].startswith("alliance\u00a0: ") and "dans les données" in lines[-1]
