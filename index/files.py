"""Finding the data directory and reading its TOML files safely."""

from __future__ import annotations

import os
from pathlib import Path

from .frozen import frozen
from .problems import Problem

ENV_VAR = "ALLIANCE_DATA"


def bundled_data_dir() -> Path:
    """The dataset shipped with the package (wheel) or the checkout's data/."""
    here = Path(__file__).resolve().parent
    packaged = here / "bundled_data"
    if packaged.is_dir():
        return packaged
    return here.parent / "data"


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """--data beats $ALLIANCE_DATA beats the bundled dataset."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return bundled_data_dir()


def display_path(path: Path) -> str:
    """A path as users should read it: relative to the working directory if inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@frozen
class SourceFile:
    """One TOML file's text, with the name to show in messages."""

    path: Path
    shown: str
    text: str
    raw: bytes


def file_size(path: Path) -> int:
    """The file's size in bytes, 0 if it cannot be read (loading reports why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def data_size(data_dir: str | os.PathLike[str] | None = None) -> int:
    """Bytes in the data files: how long parsing them will take."""
    return sum(file_size(path) for path in discover(resolve_data_dir(data_dir))[0])


def discover(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every *.toml path under root, recursively and in sorted order.

    Symlinked directories are followed once; loops are reported, not followed.
    """
    shown = display_path(root)
    if not root.exists():
        return [], [Problem(shown, message="data directory does not exist")]
    if not root.is_dir():
        return [], [Problem(shown, message="data path is not a directory")]
    found: list[Path] = []
    problems: list[Problem] = []
    seen: set[tuple[int, int]] = set()

    def walk(directory: Path) -> None:
        try:
            stat = directory.stat()
        except OSError as exc:
            problems.append(Problem(display_path(directory), message=f"cannot read directory: {exc.strerror}"))
            return
        key = (stat.st_dev, stat.st_ino)
        if key in seen:
            problems.append(Problem(display_path(directory), message="symlink loop: directory already read, skipped"))
            return
        seen.add(key)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(display_path(directory), message=f"cannot read directory: {exc.strerror}"))
            return
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue  # editor swap files, .git and the like
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name.endswith(".toml"):
                    problems.append(Problem(display_path(path), message="is a directory, not a TOML file"))
                walk(path)
            elif entry.name.endswith(".toml"):
                if entry.is_symlink() and not path.exists():
                    problems.append(Problem(display_path(path), message="broken symlink"))
                    continue
                if not path.is_file():  # a FIFO would block forever, /dev/zero never ends
                    problems.append(Problem(display_path(path), message="not a regular file"))
                    continue
                found.append(path)

    walk(root)
    if not found and not problems:
        problems.append(Problem(shown, message="no *.toml files in the data directory"))
    return found, problems


def read_source(path: Path) -> tuple[SourceFile | None, Problem | None]:
    """Read one file as UTF-8 text (BOM dropped); a Problem if that fails."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        return None, Problem(shown, message="is a directory, not a TOML file")
    except PermissionError:
        return None, Problem(shown, message="cannot read file: permission denied")
    except OSError as exc:
        return None, Problem(shown, message=f"cannot read file: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        return None, Problem(shown, line, column, f"not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    return SourceFile(path, shown, text, raw), None
