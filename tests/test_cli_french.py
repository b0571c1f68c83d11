"""The command line in French (issue 16): help, messages, errors and plain output.

JSON, CSV and TSV stay as they are in every language, and so do the exit codes. French puts
a no-break space (U+00A0) before a colon or a semicolon: "nom\u00a0: NASA".
"""

from __future__ import annotations

import json
import re

from tests.test_i18n import run

NBSP = "\u00a0"


def test_validate_in_french() -> None:
    code, out, err = run("--lang", "fr", "validate")
    assert code == 0, err
    assert out.startswith(f"ok{NBSP}: ") and " membres (dont " in out


def test_list_help_and_errors_in_french() -> None:
    code, out, _err = run("--lang", "fr", "list", "--help")
    assert code == 0
    assert "seulement les membres fondateurs" in out
    assert f"les membres d’un pays (code ISO 3166-1 alpha-2){NBSP}: p. ex. CH" in re.sub(r"[ \n]+", " ", out)
    code, out, err = run("--lang", "fr", "list", "members", "--type", "foo")
    assert code == 2 and out == ""
    assert err.startswith(f"alliance{NBSP}: type de member inconnu{NBSP}: 'foo'{NBSP}; choisir parmi company,")


def test_list_piped_is_the_same_tsv_in_french() -> None:
    """Tab-separated lines are for programs: the data's values, whatever the language."""
    english = run("list", "members", "--type", "university")
    french = run("--lang", "fr", "list", "members", "--type", "university")
    assert english[0] == french[0] == 0
    assert english[1] == french[1] and "\tuniversity\t" in french[1]


def test_show_in_french_translates_labels_and_values_not_data() -> None:
    code, out, err = run("--lang", "fr", "show", "member:nasa")
    assert code == 0, err
    lines = out.splitlines()
    assert f"nom{NBSP}: National Aeronautics and Space Administration" in lines
    assert f"pays{NBSP}: États-Unis (US)" in lines
    assert f"type{NBSP}: administration" in lines  # government
    assert f"adhésion{NBSP}: membre fondateur" in lines
    assert f"entré le{NBSP}: 5 déc. 2023" in lines
    assert f"sources{NBSP}:" in lines
    code, english, _err = run("show", "member:nasa")
    assert code == 0
    assert "name: National Aeronautics and Space Administration" in english.splitlines()
    assert "country: United States (US)" in english.splitlines() and "joined: 2023-12-05" in english.splitlines()


def test_search_plain_in_french() -> None:
    code, out, err = run("--lang", "fr", "search", "nasa", "--limit", "1")
    assert code == 0, err
    last = out.splitlines()[-1]
    assert " résultats (" in last and "1 affiché) en " in last and last.endswith(" ms")
    assert "membre" in last


def test_did_you_mean_in_french() -> None:
    code, out, err = run("--lang", "fr", "search", "suise")
    assert code == 0, err
    assert f"vouliez-vous dire{NBSP}: suisse" in out.splitlines()
    assert "aucun résultat exact" in out
    code, out, _err = run("search", "suise")  # the same vocabulary in English: suisse is indexed
    assert "did you mean: suisse" in out.splitlines()


def test_a_bad_ref_is_exit_1_in_french() -> None:
    code, out, err = run("--lang", "fr", "show", "member:nosuch")
    assert code == 1 and out == ""
    assert err == f"alliance{NBSP}: aucune fiche 'member:nosuch'\n"


def test_bad_usage_is_exit_2_in_french() -> None:
    code, out, err = run("--lang", "fr", "search", "--limit", "0", "nasa")
    assert code == 2 and out == ""
    assert err == f"alliance{NBSP}: --limit doit valoir au moins 1\n"
    code, _out, err = run("list", "events", "--founding", LANG="fr_FR.UTF-8")  # the locale decides too
    assert code == 2
    assert err == f"alliance{NBSP}: --founding ne s’applique pas aux events (seulement aux members)\n"


def test_json_is_the_same_in_french() -> None:
    for args in (("search", "suise", "--json"), ("show", "member:nasa", "--json"), ("list", "members", "--json")):
        english = run(*args)
        french = run("--lang", "fr", *args)
        assert english[0] == french[0] == 0
        assert english[1] == french[1]  # byte for byte (a search's JSON holds no timing)
        assert json.loads(french[1])


def test_csv_is_the_same_in_french() -> None:
    english = run("list", "members", "--format", "csv")
    french = run("--lang", "fr", "list", "members", "--format", "csv")
    assert english == french


def test_the_search_help_in_french() -> None:
    code, out, _err = run("search", "--help", ALLIANCE_LANG="fr")
    assert code == 0
    text = re.sub(r"[ \n]+", " ", out)
    assert "Chercher dans toutes les fiches." in text
    assert "au plus N résultats (par défaut 20)" in text
    assert f"seulement une sorte de fiche{NBSP}: au choix member, quote," in text


def test_english_plain_search_is_as_before() -> None:
    code, out, _err = run("search", "nasa", "--limit", "1", LANG="en_US.UTF-8")
    assert code == 0
    assert out.splitlines()[-1].split(" in ")[0].endswith(", 1 shown)")
    assert " hits (" in out.splitlines()[-1]
