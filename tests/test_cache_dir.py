"""The cache folder without platformdirs on Linux (index/cache.py `user_cache_dir`): the same
folder platformdirs names, for every way the environment can set it, and no import of it."""

from __future__ import annotations

import subprocess
import sys

import platformdirs
import pytest

from index import cache

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is for Linux and BSD")

HOME = "/home/someone"


@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        (None, HOME),  # the usual case: ~/.cache
        ("/var/tmp/xdg-cache", HOME),  # an absolute XDG_CACHE_HOME wins
        ("/var/tmp/xdg-cache/", HOME),  # with a trailing slash
        ("", HOME),  # set but empty: ignored
        ("relative/cache", HOME),  # relative: ignored, as the XDG spec says
        ("~/cache", HOME),  # not expanded: relative, ignored
        (None, HOME + "/"),  # a trailing slash in HOME
        (None, "/"),  # root's home is /
        (None, None),  # HOME unset: the password database
        (None, "relative-home"),  # a relative HOME: platformdirs decides (pwd)
        ("/var/tmp/xdg-cache", "relative-home"),
    ],
)
def test_same_folder_as_platformdirs(monkeypatch, xdg, home):
    for name, value in (("XDG_CACHE_HOME", xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    expected = platformdirs.user_cache_dir("alliance-explorer", appauthor=False)
    assert cache.user_cache_dir() == expected


def test_the_cache_root_is_that_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_root() == tmp_path / "alliance-explorer" / "index"


def test_finding_the_cache_imports_no_platformdirs(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    code = "import sys, index.cache; print(index.cache.cache_root()); print('platformdirs' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.splitlines() == [str(tmp_path / ".cache" / "alliance-explorer" / "index"), "False"]


def test_the_check_can_fail(tmp_path):
    """A platform the rule does not cover goes to platformdirs, and the subprocess check sees it."""
    env = {"PATH": "/usr/bin:/bin", "HOME": "relative", "LANG": "C.UTF-8"}
    code = "import sys, index.cache; index.cache.cache_root(); print('platformdirs' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "True"
