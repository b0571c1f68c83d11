"""User settings that persist between runs (theme, preview), in the user config directory."""

from __future__ import annotations

import json
import os
from pathlib import Path

CONFIG_ENV = "ALLIANCE_CONFIG"
DEFAULT_THEME = "textual-dark"


def config_path() -> Path:
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser() / "config.json"
    from platformdirs import user_config_dir

    return Path(user_config_dir("alliance-explorer", appauthor=False)) / "config.json"


def load_settings() -> dict[str, object]:
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_setting(key: str, value: object) -> None:
    """Best effort: an unwritable config directory only means the choice is not remembered."""
    settings = load_settings()
    settings[key] = value
    path = config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".tmp")
        temp.write_text(json.dumps(settings, indent=1), encoding="utf-8")
        temp.replace(path)
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
