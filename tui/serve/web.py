"""`alliance serve web`: the explorer in a browser, with textual-serve.

textual-serve starts one explorer process per browser tab (its web driver talks over pipes,
not a pty) and relays it over a websocket. It has no authentication of its own: on a loopback
address only the machine's users reach it; anything wider belongs behind a reverse proxy that
authenticates, and the server says so when it starts.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
from pathlib import Path

from .pty import child_argv

# Each tab's explorer, as an SSH session's: at most this much memory.
SESSION_MEMORY_MB = 2048


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def command_line(memory_mb: int = SESSION_MEMORY_MB) -> str:
    """The shell command textual-serve runs per tab: the explorer, no terminal to take."""
    return shlex.join(child_argv([], memory_mb * 1024 * 1024, terminal=False))


def serve_web(
    host: str, port: int, data_dir: str | None, cache: Path, served: str, public_url: str | None = None
) -> int:
    from textual_serve.server import Server

    # The tabs' processes inherit the server's environment (textual-serve copies it), so it
    # carries what a session may know: served mode, the shared cache, the data.
    os.environ["ALLIANCE_SERVED"] = "1"
    os.environ["ALLIANCE_CACHE"] = str(cache)
    if data_dir is not None:
        os.environ["ALLIANCE_DATA"] = data_dir
    else:
        os.environ.pop("ALLIANCE_DATA", None)
    print(f"alliance serve web: {served}", flush=True)
    if not is_loopback(host):
        print(
            f"alliance serve web: WARNING: {host} is not a loopback address and this server has no "
            "authentication: anyone who reaches the port gets an explorer. Put it behind a reverse "
            "proxy that authenticates, or bind to 127.0.0.1.",
            flush=True,
        )
    server = Server(command_line(), host=host, port=port, title="AI Alliance explorer", public_url=public_url)
    server.serve()
    return 0
