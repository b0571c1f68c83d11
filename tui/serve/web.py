"""`alliance serve web`: the explorer in a browser, with textual-serve.

textual-serve's page (xterm.js) opens a websocket; for each one the server starts an explorer
whose Textual web driver speaks over pipes, not a pty, and relays it. We keep its page, static
files and process protocol (`AppService`) and replace what a server exposed to a network needs
done otherwise:

- routes: `/`, `/ws` and `/static/` (no directory listing), nothing else: no `/download/`
  (a served explorer writes no files, so it offers none);
- each tab's explorer runs without a shell, in its own process group, and is ended for sure
  when its tab closes or the server stops (asked to quit, then SIGTERM, then SIGKILL);
- at most `max_sessions` tabs at once; a websocket from another site's page is refused (a page
  the user visits elsewhere cannot start explorers on their machine);
- our banner (the bound port, so `--port 0` works) and one log line per tab on stderr;
- SIGINT and SIGTERM stop it cleanly, open tabs included.

It has no authentication of its own: on a loopback address only the machine's users reach it;
anything wider belongs behind a reverse proxy that authenticates, and the server says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import os
import shlex
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from ..messages import _
from .pty import child_argv

# Each tab's explorer, as an SSH session's: at most this much memory.
SESSION_MEMORY_MB = 2048
# Tabs at once (as `alliance serve ssh --max-sessions`).
MAX_SESSIONS = 32
# After the quit message, how long an explorer may take to leave before SIGTERM; then SIGKILL.
_QUIT_GRACE_S = 3.0
_TERM_GRACE_S = 2.0
# The page and its websocket: what the server's templates folder holds.
_TEMPLATES = Path(__file__).parent / "templates"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def explorer_argv(memory_mb: int = SESSION_MEMORY_MB) -> list[str]:
    """argv of one tab's explorer: no terminal to take, its memory capped."""
    return child_argv([], memory_mb * 1024 * 1024, terminal=False)


def log(line: str) -> None:
    """One line of the tabs' log on stderr, in English whatever the language (for scripts)."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"{stamp} {line}\n")
        sys.stderr.flush()


def _screen_size(cells: int) -> int:
    """A terminal dimension from a client, between 1 and 1000 cells."""
    return min(max(cells, 1), 1000)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


class Tab(AppService):
    """One tab's explorer: textual-serve's process protocol, the process started without a
    shell in a group of its own and ended for sure by `stop`."""

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = argv

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,  # its group is ours to signal, whatever it started
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def set_terminal_size(self, width: int, height: int) -> None:
        """The page's size, kept to what a screen can be: the message is the client's to forge."""
        if isinstance(width, int) and isinstance(height, int):
            await super().set_terminal_size(_screen_size(width), _screen_size(height))

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def returncode(self) -> int | None:
        return self._process.returncode if self._process else None

    async def stop(self) -> None:
        """Ask the explorer to quit, then signal its group until it is gone. Safe to repeat."""
        task, self._task = self._task, None
        process = self._process
        if task is not None:
            with contextlib.suppress(Exception):
                await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            if process is not None and process.returncode is None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self.send_meta({"type": "quit"}), 1.0)
        if process is not None and process.returncode is None:
            # Signalled only while the leader is not reaped: its id is still its group's.
            for signum, grace in ((None, _QUIT_GRACE_S), (signal.SIGTERM, _TERM_GRACE_S), (signal.SIGKILL, None)):
                if signum is not None:
                    _signal_group(process.pid, signum)
                try:
                    await asyncio.wait_for(asyncio.shield(process.wait()), grace)
                    break
                except asyncio.TimeoutError:
                    continue
        if task is not None:
            # Its reader ends once the pipes close (the process and its group are gone).
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, _TERM_GRACE_S)


class WebServer(Server):
    """textual-serve's server with our routes, limits, tab handling, banner and shutdown."""

    def __init__(
        self,
        argv: list[str],
        *,
        host: str,
        port: int,
        public_url: str | None,
        max_sessions: int = MAX_SESSIONS,
        title: str = "AI Alliance explorer",
    ) -> None:
        super().__init__(shlex.join(argv), host=host, port=port, title=title, public_url=public_url)
        self.argv = argv
        self.public_url = public_url.rstrip("/") if public_url else None  # None: from each request
        self.templates_path = _TEMPLATES
        self.max_sessions = max_sessions
        self.tabs: dict[web.WebSocketResponse, Tab] = {}
        self._closing = False

    async def _make_app(self) -> web.Application:
        import aiohttp_jinja2
        import jinja2

        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    def base_url(self, request: web.Request) -> str:
        """Where browsers reach us: --public-url, else the address this request came to."""
        return self.public_url or f"{request.scheme}://{request.host}"

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        import aiohttp_jinja2

        base = self.base_url(request)
        websocket = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1] + "/ws"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": websocket,
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["X-Frame-Options"] = "DENY"  # not framed by another site's page
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def origin_allowed(self, request: web.Request) -> bool:
        """A websocket from our own page (or a client without Origin, not a browser page)."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        allowed = {f"{request.scheme}://{request.host}".lower()}
        if self.public_url:
            parts = urlsplit(self.public_url)
            allowed.add(f"{parts.scheme}://{parts.netloc}".lower())
        return origin.lower() in allowed

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        peer = request.remote or "?"
        if not self.origin_allowed(request):
            log(f"{peer} refused: websocket from another site ({request.headers.get('Origin')!r})")
            raise web.HTTPForbidden(text="websocket from another site")
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if self._closing or len(self.tabs) >= self.max_sessions:
            log(f"{peer} refused: {self.max_sessions} tabs already open")
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"too many sessions")
            return websocket
        width = _screen_size(to_int(request.query.get("width", "80"), 80))
        height = _screen_size(to_int(request.query.get("height", "24"), 24))
        tab = Tab(
            self.argv,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.tabs[websocket] = tab
        started = time.monotonic()
        try:
            await tab.start(width, height)
            await self._process_messages(websocket, tab)
        except (asyncio.CancelledError, ConnectionError):
            pass
        except Exception as exc:  # a bad message from the page: that tab ends, not the server
            log(f"{peer} tab error: {type(exc).__name__}: {exc}")
        finally:
            await tab.stop()
            with contextlib.suppress(Exception):
                await websocket.close()
            self.tabs.pop(websocket, None)
            log(f"{peer} tab pid {tab.pid} {time.monotonic() - started:.1f}s exit {tab.returncode}")
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        """End every tab: its explorer, then its websocket (their handlers then return)."""
        self._closing = True
        await asyncio.gather(*(tab.stop() for tab in list(self.tabs.values())), return_exceptions=True)
        await asyncio.gather(
            *(ws.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped") for ws in list(self.tabs)),
            return_exceptions=True,
        )

    async def run(self, ready: Callable[[str], None]) -> None:
        """Listen, call `ready(url)`, serve until SIGINT or SIGTERM, then stop cleanly."""
        runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log=None, shutdown_timeout=10)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            port = runner.addresses[0][1]
            host = f"[{self.host}]" if ":" in self.host else self.host
            ready(self.public_url or f"http://{host}:{port}")
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            await stop.wait()
        finally:
            await runner.cleanup()


def serve_web(
    host: str,
    port: int,
    data_dir: str | None,
    cache: Path,
    served: str,
    public_url: str | None = None,
    max_sessions: int = MAX_SESSIONS,
) -> int:
    """Run the web server until SIGINT or SIGTERM; every tab's explorer is ended on the way out."""
    # The tabs' processes inherit the server's environment (textual-serve copies it), so it
    # carries what a session may know: served mode, the shared cache, the data.
    os.environ["ALLIANCE_SERVED"] = "1"
    os.environ["ALLIANCE_CACHE"] = str(cache)
    if data_dir is not None:
        os.environ["ALLIANCE_DATA"] = data_dir
    else:
        os.environ.pop("ALLIANCE_DATA", None)
    server = WebServer(explorer_argv(), host=host, port=port, public_url=public_url, max_sessions=max_sessions)

    def ready(url: str) -> None:
        lines = [
            _("alliance serve web: listening on {url}").format(url=url),
            _("  data: {served}").format(served=served),
            _("  limits: {tabs} tabs, {memory} MB of memory each").format(tabs=max_sessions, memory=SESSION_MEMORY_MB),
        ]
        if not is_loopback(host):
            lines.append(
                _(
                    "alliance serve web: WARNING: {host} is not a loopback address and this server has no "
                    "authentication: anyone who reaches the port gets an explorer. Put it behind a reverse "
                    "proxy that authenticates, or bind to 127.0.0.1."
                ).format(host=host)
            )
        lines.append(_("  open: {url}/").format(url=url))
        print("\n".join(lines), flush=True)

    asyncio.run(server.run(ready))
    return 0
