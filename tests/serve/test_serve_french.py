"""`alliance serve` in the server's language: its usage errors, banner and the refusals sent to
clients are French under --lang fr, while the connection log stays English (for scripts). No
network: the servers' functions are called directly."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tui.cli import main
from tui.serve import policy, web
from tui.serve.hostkey import KEY_NAME, HostKeyError, load_or_create
from tui.serve.ssh import Limits, Session

NBSP = "\u00a0"


@pytest.fixture
def cli_language() -> Any:
    """`main` sets the process's language from --lang: English again after the test."""
    yield
    from index.i18n import set_language

    set_language("en")


def test_no_access_option_is_a_french_usage_error(cli_language: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "fr", "serve", "ssh"]) == 2
    assert capsys.readouterr().err == (
        f"alliance{NBSP}: dites qui peut se connecter{NBSP}: --authorized-keys FICHIER (leurs clés publiques) "
        "ou --open-access (tout le monde)\n"
    )


def test_a_limit_below_one_is_a_french_usage_error(cli_language: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "fr", "serve", "ssh", "--open-access", "--per-ip", "0"]) == 2
    assert capsys.readouterr().err == f"alliance{NBSP}: --per-ip doit valoir au moins 1\n"


def test_the_english_usage_errors_are_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "ssh"]) == 2
    assert capsys.readouterr().err == (
        "alliance: say who may connect: --authorized-keys FILE (their public keys) or --open-access (anyone)\n"
    )
    assert main(["serve", "ssh", "--open-access", "--max-sessions", "0"]) == 2
    assert capsys.readouterr().err == "alliance: --max-sessions must be at least 1\n"


@pytest.mark.parametrize(
    ("command", "english", "french"),
    [
        (
            "sh",
            "'sh' is not served: this server runs only search, show, list, validate",
            f"'sh' n’est pas servi{NBSP}: ce serveur ne lance que search, show, list, validate",
        ),
        (
            "",
            "no command: this server runs only search, show, list, validate (or a session: ssh -t)",
            f"aucune commande{NBSP}: ce serveur ne lance que search, show, list, validate"
            f" (ou une session{NBSP}: ssh -t)",
        ),
        ("show --data=/etc", "--data is fixed by the server", "--data est fixé par le serveur"),
        (
            "a" * 5000,
            "command too long (5000 characters; at most 4096)",
            f"commande trop longue (5000 caractères{NBSP}; au plus 4096)",
        ),
    ],
    ids=["not served", "no command", "data", "too long"],
)
def test_policy_refusals_in_french_and_english(command: str, english: str, french: str) -> None:
    with pytest.raises(policy.Refused) as refused:
        policy.exec_argv(command)
    assert str(refused.value) == english
    from index.i18n import set_language

    set_language("fr")
    try:
        with pytest.raises(policy.Refused) as refused:
            policy.exec_argv(command)
        assert str(refused.value) == french
    finally:
        set_language("en")


def test_limits_refuse_in_french_and_log_in_english(french: None) -> None:
    limits = Limits(max_sessions=1, per_ip=1)
    assert limits.admit("10.0.0.1") is None
    refusal = limits.admit("10.0.0.1")
    assert refusal == f"le serveur est plein (1 sessions){NBSP}; réessayez plus tard"
    assert refusal is not None and refusal.logged == "the server is full (1 sessions); try again later"
    limits = Limits(max_sessions=5, per_ip=1)
    limits.admit("10.0.0.2")
    assert limits.admit("10.0.0.2") == f"trop de sessions depuis 10.0.0.2 (1 au plus){NBSP}; fermez-en une et réessayez"


def test_a_host_key_folder_others_can_write_is_refused_in_french(tmp_path: Path, french: None) -> None:
    folder = tmp_path / "config"
    folder.mkdir(mode=0o700)
    folder.chmod(0o777)
    with pytest.raises(HostKeyError) as error:
        load_or_create(folder)
    assert str(error.value) == f"{folder}{NBSP}: modifiable par d’autres (mode 777){NBSP}; faites chmod go-w dessus"
    assert not (folder / KEY_NAME).exists()


class _Channel:
    """What a session writes to its client, and how it ends."""

    def __init__(self) -> None:
        self.written: list[bytes] = []
        self.status: int | None = None

    def write(self, data: bytes, datatype: Any = None) -> None:
        self.written.append(data)

    def exit(self, status: int) -> None:
        self.status = status


def _session(max_sessions: int = 4) -> tuple[Session, _Channel, SimpleNamespace]:
    server = SimpleNamespace(limits=Limits(max_sessions=max_sessions, per_ip=4), sessions=set())
    connection = SimpleNamespace(ip="10.0.0.9", exit="-")
    session = Session(server, connection)  # type: ignore[arg-type]
    channel = _Channel()
    session.chan = channel
    return session, channel, connection


def test_a_session_tells_the_client_in_french_and_logs_in_english(french: None) -> None:
    session, channel, connection = _session()
    session.command = "bash -c id"
    asyncio.run(session._run())
    assert b"".join(channel.written).decode() == (
        f"alliance{NBSP}: 'bash' n’est pas servi{NBSP}: ce serveur ne lance que search, show, list, validate\n"
    )
    assert channel.status == 2
    assert connection.exit == "refused (exec bash -c id)"

    session, channel, connection = _session()  # no command, no terminal
    asyncio.run(session._run())
    assert b"".join(channel.written).decode() == (
        f"alliance{NBSP}: l’explorateur a besoin d’un terminal{NBSP}: connectez-vous avec ssh -t\r\n"
    )
    assert connection.exit == "refused (no terminal)"

    session, channel, connection = _session(max_sessions=0)  # full
    asyncio.run(session._run())
    assert b"".join(channel.written).decode() == (
        f"alliance{NBSP}: le serveur est plein (0 sessions){NBSP}; réessayez plus tard\r\n"
    )
    assert connection.exit == "refused (the server is full (0 sessions))"


def test_the_web_banner_in_french(
    french: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def run(self: web.WebServer, ready: Any) -> None:
        ready("http://0.0.0.0:8000")

    monkeypatch.setattr(web.WebServer, "run", run)
    for name in ("ALLIANCE_SERVED", "ALLIANCE_CACHE", "ALLIANCE_DATA"):
        monkeypatch.setenv(name, "")  # serve_web sets them for its tabs: restored after
    assert web.serve_web("0.0.0.0", 8000, None, Path("/nonexistent"), "données") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"alliance serve web{NBSP}: à l’écoute sur http://0.0.0.0:8000"
    assert lines[2] == f"  limites{NBSP}: 32 onglets, 2048 Mo de mémoire chacun"
    assert lines[3].startswith(f"alliance serve web{NBSP}: ATTENTION{NBSP}: 0.0.0.0 n’est pas une adresse de bouclage")
    assert lines[4] == f"  ouvrir{NBSP}: http://0.0.0.0:8000/"
