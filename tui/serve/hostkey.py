"""The SSH server's host key: made on first start in the user's config folder, kept private.

The key proves to returning clients that they reach the same server, so it is read only if it
is this user's own regular file that nobody else can read or write (mode 0600 or stricter), in
a folder nobody else can write, opened without following a symlink. Anything else stops the
server with a message saying what to fix; it is never silently replaced.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

from ..messages import _

KEY_NAME = "ssh_host_ed25519_key"


class HostKeyError(Exception):
    """The host key cannot be used: the message says why and what to do."""


def _check(info: os.stat_result, path: Path, *, folder: bool) -> None:
    if not (stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode)):
        raise HostKeyError((_("{path}: not a folder") if folder else _("{path}: not a file")).format(path=path))
    if info.st_uid != os.geteuid():
        raise HostKeyError(_("{path}: owned by uid {uid}, not by you").format(path=path, uid=info.st_uid))
    mode = stat.S_IMODE(info.st_mode)
    if folder and mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise HostKeyError(
            _("{path}: writable by others (mode {mode}); chmod go-w it").format(path=path, mode=f"{mode:o}")
        )
    if not folder and mode & 0o077:
        raise HostKeyError(
            _("{path}: readable or writable by others (mode {mode}); chmod 600 it").format(path=path, mode=f"{mode:o}")
        )


def _open_folder(folder: Path) -> int:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise HostKeyError(_("{path}: a symbolic link or not a folder").format(path=folder)) from None
        raise HostKeyError(_("{path}: {reason}").format(path=folder, reason=exc.strerror)) from None
    try:
        _check(os.fstat(fd), folder, folder=True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def load_or_create(folder: Path) -> tuple[Any, bool]:
    """(the asyncssh private key, whether it was made now) from `folder`/KEY_NAME."""
    import asyncssh

    path = folder / KEY_NAME
    dir_fd = _open_folder(folder)
    try:
        try:
            fd = os.open(KEY_NAME, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
        except FileNotFoundError:
            key = asyncssh.generate_private_key("ssh-ed25519", comment="alliance-explorer host key")
            data = key.export_private_key("openssh")
            try:
                fd = os.open(
                    KEY_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=dir_fd
                )
            except OSError as exc:
                raise HostKeyError(
                    _("{path}: cannot create it: {reason}").format(path=path, reason=exc.strerror)
                ) from None
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            return key, True
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise HostKeyError(_("{path}: a symbolic link; remove it").format(path=path)) from None
            raise HostKeyError(_("{path}: {reason}").format(path=path, reason=exc.strerror)) from None
        with os.fdopen(fd, "rb") as handle:
            _check(os.fstat(handle.fileno()), path, folder=False)
            data = handle.read(1 << 16)
        try:
            return asyncssh.import_private_key(data), False
        except (asyncssh.KeyImportError, ValueError) as exc:
            raise HostKeyError(
                _("{path}: not a private key ({error}); move it away to make a new one").format(path=path, error=exc)
            ) from None
    finally:
        os.close(dir_fd)


def fingerprint(key: Any) -> str:
    """The key's SHA256 fingerprint as OpenSSH prints it (`SHA256:…`)."""
    return str(key.get_fingerprint("sha256"))
