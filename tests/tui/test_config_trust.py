"""Settings (tui/config.py) are read only from the user's own private file, and a served
session neither reads nor writes them."""

from __future__ import annotations

import json
import os

import pytest

from tui import config


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(config.CONFIG_ENV, str(tmp_path))
    monkeypatch.delenv(config.SERVED_ENV, raising=False)
    return tmp_path


def _write(path, settings, mode=0o600):
    path.write_text(json.dumps(settings), encoding="utf-8")
    path.chmod(mode)


def test_own_settings_are_read(folder):
    _write(folder / "config.json", {"theme": "nord"})
    assert config.load_settings() == {"theme": "nord"}


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_settings_others_can_write_are_ignored(folder, mode):
    _write(folder / "config.json", {"theme": "nord"}, mode)
    assert config.load_settings() == {}


def test_a_symlinked_settings_file_is_ignored(folder, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("planted") / "config.json"
    _write(elsewhere, {"theme": "nord"})
    (folder / "config.json").symlink_to(elsewhere)
    assert config.load_settings() == {}


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_someone_elses_settings_are_ignored(folder):
    _write(folder / "config.json", {"theme": "nord"})
    os.chown(folder / "config.json", 65534, 65534)
    assert config.load_settings() == {}


def test_saving_never_writes_through_a_planted_name(folder, tmp_path_factory):
    victim = tmp_path_factory.mktemp("victim") / "file"
    victim.write_text("precious", encoding="utf-8")
    (folder / "config.tmp").symlink_to(victim)  # the fixed temporary name of old
    config.save_setting("theme", "nord")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert config.load_settings() == {"theme": "nord"}
    assert [p.name for p in folder.iterdir() if p.name.startswith(".config-")] == []


def test_a_served_session_reads_and_writes_nothing(folder, monkeypatch):
    _write(folder / "config.json", {"theme": "nord"})
    monkeypatch.setenv(config.SERVED_ENV, "1")
    assert config.served()
    assert config.load_settings() == {}
    config.save_setting("theme", "dracula")
    monkeypatch.delenv(config.SERVED_ENV)
    assert config.load_settings() == {"theme": "nord"}
