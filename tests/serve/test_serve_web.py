"""`alliance serve web` in a real browser: Debian's headless Chromium driven by Selenium through
the system chromedriver (nothing downloaded), against a real server on 127.0.0.1.

The page draws the terminal on a canvas (xterm.js), so the screen is read as text from xterm's
own buffer: a script run before the page's own (`_HOOK`) keeps a handle on the page's terminal
object when textual-serve's client stores it, and `_READ` returns its visible rows. Keys are
typed into xterm's input element, as a person's are. The screenshot of the search scenario is
kept in tests/serve/artifacts/ (ignored by git).

Each tab's explorer is a child process of the server (no shell between them): they are counted
in /proc, and must all be gone when their tabs close or the server stops.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import alliance_command

from .servers import TEST_NICENESS, server_env, session_processes

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HAVE_BROWSER = os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)
ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(not HAVE_BROWSER, reason="needs chromium and chromium-driver (.ci/run installs them)"),
]

# Before the page's scripts: textual-serve's client sets `this.terminal = new Terminal(...)` on
# an object that also has `websocket_url`; a setter on Object.prototype sees that assignment,
# stores the value as an own property (the page works as before) and keeps the terminal.
_HOOK = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (this.websocket_url !== undefined) { window.__terminals = (window.__terminals || []).concat([value]); }
  },
});
"""
# The terminal's visible rows as text (xterm's public buffer API), or null before it exists.
_READ = """
const t = (window.__terminals || [])[0];
if (!t) return null;
const b = t.buffer.active, rows = [];
for (let y = 0; y < t.rows; y++) {
  const line = b.getLine(b.viewportY + y);
  rows.push(line ? line.translateToString(true) : "");
}
return rows.join("\\n");
"""
# The explorer's first screen: its header and pane tabs.
FIRST_SCREEN = ("AI Alliance", "1 Overview", "5 Search")


# -- the server --------------------------------------------------------------------------------


@dataclass
class WebServed:
    """A running `alliance serve web` and its address."""

    process: subprocess.Popen[str]
    url: str
    banner: str
    stdout_path: Path
    stderr_path: Path

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def output(self) -> str:
        return self.stdout_path.read_text(errors="replace") + self.stderr_path.read_text(errors="replace")

    def tabs(self) -> list[int]:
        """The server's child processes: its tabs' explorers."""
        return session_processes(self.process.pid)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"the server did not stop on signal {signum}:\n{self.output()}") from None
        return self.process.returncode


def start_web(tmp: Path, cache: Path, *options: str, timeout: float = 120) -> WebServed:
    """Start `alliance serve web --port 0 OPTIONS` and wait for its banner."""
    tmp.mkdir(parents=True, exist_ok=True)
    env = server_env(tmp)
    env["ALLIANCE_CACHE"] = str(cache)  # shared by the module's servers: the index built once
    stdout_path, stderr_path = tmp / "server.out", tmp / "server.log"
    command = [*shlex.split(alliance_command()), "serve", "web", "--port", "0", *options]
    command = ["nice", "-n", str(TEST_NICENESS), *command]  # as servers.start_server: beside the suite
    with stdout_path.open("w") as out, stderr_path.open("w") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=env, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        banner = stdout_path.read_text()
        url = re.search(r"listening on (http://\S+)", banner)
        if url and "  open: " in banner:
            return WebServed(process, url.group(1), banner, stdout_path, stderr_path)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise AssertionError(f"no banner:\n{stdout_path.read_text()}\n{stderr_path.read_text()}")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web-cache")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> Iterator[WebServed]:
    served = start_web(tmp_path_factory.mktemp("web"), cache)
    yield served
    assert served.stop() == 0


def wait_until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last: {value!r}")
        time.sleep(0.1)


def gone(pids: list[int]) -> bool:
    """True once none of these processes exists (exited and reaped by the server)."""
    return not any(Path(f"/proc/{pid}").exists() for pid in pids)


def is_explorer(pid: int) -> bool:
    try:
        return b"tui.cli" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


# -- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium through the system chromedriver; it can reach 127.0.0.1 only."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # we run as root
        "--disable-dev-shm-usage",
        "--window-size=1200,800",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",  # loopback only
        "--enable-unsafe-swiftshader",  # xterm's WebGL renderer on the software GL
        "--disable-background-timer-throttling",  # windows not in front keep their pace
        "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_script_timeout(10)
    yield driver
    driver.quit()


def open_page(driver: Any, url: str) -> str:
    """Load the page in the current window with the terminal hook; its window handle."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _HOOK})
    driver.get(url)
    return driver.current_window_handle


def screen(driver: Any) -> str:
    return driver.execute_script(_READ) or ""


def wait_screen(driver: Any, *texts: str, timeout: float = 30) -> str:
    """The screen once it shows every one of `texts`."""
    deadline = time.monotonic() + timeout
    while True:
        shown = screen(driver)
        if all(text in shown for text in texts):
            return shown
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {texts}; the screen:\n{shown}")
        time.sleep(0.1)


def wait_match(driver: Any, pattern: str, timeout: float = 30) -> str:
    """The screen once `pattern` matches it."""

    def matched() -> str:
        shown = screen(driver)
        return shown if re.search(pattern, shown) else ""

    return wait_until(matched, timeout, pattern)


def type_keys(driver: Any, *keys: str) -> None:
    """Type into the terminal as a person does (xterm's input element has the focus), each
    of `keys` (a key or a word) after the explorer had time to act on the one before."""
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
    for key in keys:
        box.send_keys(key)
        time.sleep(0.15)


# -- the scenario ------------------------------------------------------------------------------


def test_browser_loads_searches_opens_a_hit_and_keeps_a_screenshot(server: WebServed, browser: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    assert server.url.startswith("http://127.0.0.1:")  # the default bind: loopback
    assert "WARNING" not in server.banner
    before = set(server.tabs())
    home = browser.current_window_handle
    browser.switch_to.new_window("tab")
    open_page(browser, server.url + "/")
    first = wait_screen(browser, *FIRST_SCREEN)
    assert "Overview" in first
    # One new explorer process on the server, for this page.
    tabs = wait_until(lambda: [p for p in server.tabs() if p not in before], 10, "the tab's process")
    assert len(tabs) == 1 and is_explorer(tabs[0])

    type_keys(browser, "5")
    wait_screen(browser, "Search")
    type_keys(browser, "nasa")
    hits = wait_screen(browser, "National Aeronautics and Space Administration (NASA)", " hit")
    assert re.search(r"\b[1-9]\d* hits? in ", hits), hits
    type_keys(browser, Keys.ENTER, Keys.ENTER)  # to the results, then open the first hit
    detail = wait_screen(browser, "member:nasa", "government")
    assert "United States" in detail

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "web-search-nasa.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")

    browser.close()  # the tab closes: its websocket closes, its explorer ends
    browser.switch_to.window(home)
    wait_until(lambda: gone(tabs), 15, "the closed tab's explorer to end")


def test_ten_browser_windows_each_run_their_own_explorer(server: WebServed, browser: Any) -> None:
    queries = ["nasa", "ibm", "meta", "cern", "amd", "intel", "sony", "dell", "yale", "redhat"]
    home = browser.current_window_handle
    before = set(server.tabs())
    windows = []
    for _ in queries:
        browser.switch_to.new_window("window")
        windows.append(open_page(browser, server.url + "/"))
    for handle in windows:
        browser.switch_to.window(handle)
        wait_screen(browser, *FIRST_SCREEN, timeout=60)
    tabs = wait_until(lambda: (t := [p for p in server.tabs() if p not in before]) and len(t) >= 10 and t, 20, "tabs")
    assert len(tabs) == 10 and all(is_explorer(pid) for pid in tabs)

    # Each window searches for itself and sees its own hits (a shared process would mix them).
    for handle, query in zip(windows, queries, strict=True):
        browser.switch_to.window(handle)
        type_keys(browser, "5", query)
    for handle, query in zip(windows, queries, strict=True):
        browser.switch_to.window(handle)
        text = wait_match(browser, r"\d hits? in ")
        boxes = re.findall(r"▊\s+(\S.*?)\s+▎", text)
        assert boxes == [query], f"{query!r} expected alone in its window's search box:\n{text}"
        assert re.search(r"\b[1-9]\d* hits? in ", text), text

    for handle in windows:
        browser.switch_to.window(handle)
        browser.close()
    browser.switch_to.window(home)
    wait_until(lambda: gone(tabs), 30, "the ten closed windows' explorers to end")
    assert not [p for p in server.tabs() if p not in before]


# -- what the server serves --------------------------------------------------------------------


def _get(url: str, method: str = "GET") -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def test_serves_the_page_its_scripts_and_nothing_else(server: WebServed) -> None:
    status, page, headers = _get(server.url + "/")
    assert status == 200 and b'data-session-websocket-url="ws://127.0.0.1:' in page
    assert headers.get("X-Frame-Options") == "DENY"
    # Nothing fetched from another site: every URL in the page is ours (the SVG namespace aside).
    urls = set(re.findall(rb"(?:https?|wss?)://[^\"'\s)]+", page)) - {b"http://www.w3.org/2000/svg"}
    assert urls and all(u.startswith((server.url.encode(), b"ws://127.0.0.1:")) for u in urls), urls
    assert _get(server.url + "/static/js/textual.js")[0] == 200
    assert _get(server.url + "/static/css/xterm.css")[0] == 200
    tabs = server.tabs()
    for path in (
        "/download/abc",  # textual-serve's file delivery: our explorer offers none
        "/download/",
        "/nope",
        "/index.html",
        "/static/../server.py",
        "/static/%2e%2e/server.py",
        "/static/../../../../etc/passwd",
        "/ws/x",
        "/.git/config",
    ):
        status, body, _ = _get(server.url + path)
        assert (status, body) == (404, b"404: Not Found"), (path, status, body)  # no handler for it
    assert _get(server.url + "/static/")[0] in (403, 404)  # no directory listing
    assert _get(server.url + "/static/js/")[0] in (403, 404)
    assert _get(server.url + "/", "POST")[0] == 405
    assert _get(server.url + "/ws")[0] == 400  # a websocket only, and no explorer for a plain GET
    assert server.tabs() == tabs


# -- tabs over the websocket protocol (no browser): limits, origins, ends ----------------------


async def _receive(ws: Any, timeout: float) -> Any:
    """The next message within `timeout` s. (aiohttp's own receive timeout starts again at each
    ping it answers: with the server's 15 s heartbeat, a longer one never expires.)"""
    return await asyncio.wait_for(ws.receive(), timeout)


async def _open_tab(
    url: str, origin: str | None = None, size: str = "width=100&height=30", until: bytes = b"Overview"
) -> tuple[Any, Any, bytes]:
    """A websocket as textual-serve's page opens it; the session, socket and its output until
    `until` shows (30 s at most)."""
    import aiohttp

    session = aiohttp.ClientSession()
    headers = {"Origin": origin} if origin else {}
    try:
        ws = await session.ws_connect(url.replace("http:", "ws:") + "/ws?" + size, headers=headers)
    except BaseException:
        await session.close()
        raise
    out = b""
    deadline = time.monotonic() + 30
    while until not in out and time.monotonic() < deadline:
        try:
            message = await _receive(ws, max(0.1, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            break
        if message.type != aiohttp.WSMsgType.BINARY:
            break
        out += message.data
    return session, ws, out


async def _closed(ws: Any, timeout: float = 10) -> bool:
    """Read what is left until the server's close: True if it came."""
    import aiohttp

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            message = await _receive(ws, max(0.1, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            break
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
            return True
    return False


def test_limits_origins_a_stuck_tab_and_a_clean_stop(tmp_path: Path, cache: Path) -> None:
    import aiohttp

    served = start_web(tmp_path / "limited", cache, "--max-sessions", "2")

    async def scenario() -> None:
        a_session, a, a_out = await _open_tab(served.url)
        b_session, b, b_out = await _open_tab(served.url, origin=served.url)  # our own page's origin
        assert b"Overview" in a_out and b"Overview" in b_out
        tabs = served.tabs()
        assert len(tabs) == 2
        # A third tab beyond --max-sessions: closed at once (1013, try again later), no process.
        c_session, c, c_out = await _open_tab(served.url)
        assert c_out == b"" and c.close_code == aiohttp.WSCloseCode.TRY_AGAIN_LATER
        await c_session.close()
        assert sorted(served.tabs()) == sorted(tabs)
        # Another site's page may not open one (cross-site websocket): 403 before any process.
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await _open_tab(served.url, origin="http://evil.example")
        assert refused.value.status == 403
        # A tab whose explorer does not answer (stopped): closing it still ends it (SIGKILL).
        os.kill(tabs[0], signal.SIGSTOP)
        # Which websocket is the stuck one is not known: close both, both must end.
        await a.close()
        await a_session.close()
        await b.close()
        await b_session.close()
        await asyncio.to_thread(wait_until, lambda: gone(tabs), 20, "both tabs' explorers to end")

    asyncio.run(scenario())

    async def open_one() -> tuple[Any, Any]:
        session, ws, out = await _open_tab(served.url)
        assert b"Overview" in out
        return session, ws

    async def stop_with_a_tab_open() -> None:
        session, ws = await open_one()
        tabs = served.tabs()
        assert len(tabs) == 1
        code = await asyncio.to_thread(served.stop, signal.SIGTERM)
        assert code == 0
        assert gone(tabs)
        try:
            assert await _closed(ws), "the server stopped without closing the websocket"
        finally:
            await session.close()

    asyncio.run(stop_with_a_tab_open())
    log = served.output()
    assert "Traceback" not in log and "Error" not in log, log
    assert re.search(r"refused: 2 tabs already open", log) and "refused: websocket from another site" in log
    assert len(re.findall(r"\btab pid \d+ [\d.]+s exit", log)) == 3, log


def test_a_page_that_sends_nonsense_ends_only_its_own_tab(server: WebServed) -> None:
    """Sizes out of range or not numbers leave the tab alive; a message that is not
    textual-serve's protocol ends that tab alone; the server and another tab are unaffected."""
    import aiohttp

    async def pong(ws: Any, data: str) -> Any:
        await ws.send_json(["ping", data])
        while (message := await _receive(ws, 20)).type == aiohttp.WSMsgType.BINARY:
            pass
        return message.json() if message.type == aiohttp.WSMsgType.TEXT else message

    async def scenario() -> None:
        before = set(server.tabs())
        # The explorer has started once it takes the alternate screen.
        a_session, a, a_out = await _open_tab(server.url, size="width=100000&height=-3", until=b"\x1b[?1049h")
        b_session, b, b_out = await _open_tab(server.url, until=b"\x1b[?1049h")
        try:
            assert b"\x1b[?1049h" in a_out and b"\x1b[?1049h" in b_out
            tabs = [p for p in server.tabs() if p not in before]
            assert len(tabs) == 2
            for size in ({"width": 0, "height": -1}, {"width": "x", "height": []}, {"width": 10**9, "height": 10**9}):
                await a.send_json(["resize", size])
            assert await pong(a, "after-resizes") == ["pong", "after-resizes"]
            await asyncio.sleep(1)  # time to act on them
            assert sorted(p for p in server.tabs() if p not in before) == sorted(tabs)
            await a.send_str("not json")
            assert await _closed(a, timeout=20)
            await asyncio.to_thread(wait_until, lambda: gone(tabs[:1]) or gone(tabs[1:]), 20, "a's explorer to end")
            assert await pong(b, "still-here") == ["pong", "still-here"]
        finally:
            await a_session.close()
            await b.close()
            await b_session.close()
        await asyncio.to_thread(wait_until, lambda: gone(tabs), 20, "both tabs' explorers to end")

    asyncio.run(scenario())
    assert server.process.poll() is None
    assert "tab error: JSONDecodeError" in server.output()


def test_sigint_stops_the_server_and_its_tabs_without_a_traceback(tmp_path: Path, cache: Path) -> None:
    served = start_web(tmp_path / "sigint", cache)

    async def scenario() -> None:
        session, _ws, out = await _open_tab(served.url)
        assert b"Overview" in out
        tabs = served.tabs()
        assert len(tabs) == 1
        started = time.monotonic()
        assert await asyncio.to_thread(served.stop, signal.SIGINT) == 0
        assert time.monotonic() - started < 10
        assert gone(tabs)
        await session.close()

    asyncio.run(scenario())
    assert "Traceback" not in served.output()


# -- the banner --------------------------------------------------------------------------------


def test_a_non_loopback_bind_warns_that_there_is_no_authentication(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The warning, without binding anything but loopback in a test: the server's run is
    replaced by one that reports the address it would listen on."""
    from tui.serve import web

    async def fake_run(self: web.WebServer, ready: Callable[[str], None]) -> None:
        ready(f"http://{self.host}:8000")

    monkeypatch.setattr(web.WebServer, "run", fake_run)
    for name in ("ALLIANCE_SERVED", "ALLIANCE_CACHE", "ALLIANCE_DATA"):
        monkeypatch.setenv(name, "")  # serve_web sets them for its tabs: restored afterwards
    for host, warned in (("0.0.0.0", True), ("192.0.2.7", True), ("::", True), ("127.0.0.1", False), ("::1", False)):
        assert web.serve_web(host, 8000, None, tmp_path, "the data") == 0
        out = capsys.readouterr().out
        assert ("WARNING" in out and "no authentication" in out and "reverse proxy" in out) is warned, (host, out)
    assert web.is_loopback("localhost") and web.is_loopback("127.0.0.5") and not web.is_loopback("example.org")
