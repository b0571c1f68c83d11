"""The SSH host key (tui/serve/hostkey.py): made once, private, never taken from someone else."""

from __future__ import annotations

import os
import stat

import pytest

from tui.serve import hostkey
from tui.serve.hostkey import KEY_NAME, HostKeyError, load_or_create


def test_made_once_private_then_reused(tmp_path):
    folder = tmp_path / "config"
    key, made = load_or_create(folder)
    assert made
    path = folder / KEY_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    again, made_again = load_or_create(folder)
    assert not made_again
    assert hostkey.fingerprint(again) == hostkey.fingerprint(key)
    assert hostkey.fingerprint(key).startswith("SHA256:")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_key_others_can_read_is_refused(tmp_path, mode):
    load_or_create(tmp_path)
    (tmp_path / KEY_NAME).chmod(mode)
    with pytest.raises(HostKeyError, match=f"mode {mode:o}"):
        load_or_create(tmp_path)


def test_a_symlinked_key_is_refused(tmp_path):
    other = tmp_path / "other"
    load_or_create(other)
    folder = tmp_path / "config"
    folder.mkdir(mode=0o700)
    (folder / KEY_NAME).symlink_to(other / KEY_NAME)
    with pytest.raises(HostKeyError, match="symbolic link"):
        load_or_create(folder)


def test_a_folder_others_can_write_is_refused(tmp_path):
    folder = tmp_path / "config"
    folder.mkdir()
    folder.chmod(0o777)
    with pytest.raises(HostKeyError, match="writable by others"):
        load_or_create(folder)
    assert not (folder / KEY_NAME).exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_key_owned_by_someone_else_is_refused(tmp_path):
    load_or_create(tmp_path)
    os.chown(tmp_path / KEY_NAME, 65534, 65534)
    with pytest.raises(HostKeyError, match="owned by uid 65534"):
        load_or_create(tmp_path)


def test_garbage_is_not_replaced(tmp_path):
    path = tmp_path / KEY_NAME
    tmp_path.chmod(0o700)
    path.write_bytes(b"not a key")
    path.chmod(0o600)
    with pytest.raises(HostKeyError, match="not a private key"):
        load_or_create(tmp_path)
    assert path.read_bytes() == b"not a key"
