"""User settings that persist between runs (theme, preview), in the user config directory."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

CONFIG_ENV = "ALLIANCE_CONFIG"
# Set by `alliance serve` for the sessions it runs (a client cannot set it: tui/serve/policy.py
# passes four variables of its environment, never this one). A served session writes nothing on
# the server and reads none of its user's settings: no remembered theme, no export, no suspend,
# no index build.
SERVED_ENV = "ALLIANCE_SERVED"
DEFAULT_THEME = "textual-dark"


def served() -> bool:
    """Whether this explorer is a session of `alliance serve` (someone else's terminal)."""
    return os.environ.get(SERVED_ENV) == "1"


def config_dir() -> Path:
    """$ALLIANCE_CONFIG, else the user config directory (settings, the server's host key)."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser().absolute()
    from platformdirs import user_config_dir

    return Path(user_config_dir("alliance-explorer", appauthor=False))


def config_path() -> Path:
    return config_dir() / "config.json"


def load_settings() -> dict[str, object]:
    """The saved settings; {} when served, missing, unreadable, or not the user's own file.

    The file is read only if it is a regular file owned by this user that nobody else may
    write (opened without following a symlink): settings planted by someone else in a shared
    or misconfigured folder are ignored, as the cache is (index/trust.py)."""
    if served():
        return {}
    try:
        data = json.loads(_read_own_file(config_path()))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _read_own_file(path: Path) -> bytes:
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path}: not a regular file")
        if info.st_uid != os.geteuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise OSError(f"{path}: not your own private file")
        return handle.read(1 << 20)


def save_setting(key: str, value: object) -> None:
    """Best effort: an unwritable config directory only means the choice is not remembered.
    A served session remembers nothing (its choice would become every session's)."""
    if served():
        return
    settings = load_settings()
    settings[key] = value
    path = config_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # A fresh private name (mkstemp: O_EXCL, 0600), never a fixed one a symlink could
        # be planted at; then renamed over the settings in one step.
        import tempfile

        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(settings, indent=1))
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    except OSError:
        pass


def choose_theme(requested: str | None, available: set[str]) -> str:
    """--theme beats the saved theme beats the default; NO_COLOR never gets an ANSI theme.

    (Textual's ANSI themes render body text black on black under NO_COLOR.)
    """
    theme = requested or str(load_settings().get("theme") or DEFAULT_THEME)
    if theme not in available:
        theme = DEFAULT_THEME
    if os.environ.get("NO_COLOR") and theme.startswith("ansi"):
        theme = DEFAULT_THEME
    return theme
