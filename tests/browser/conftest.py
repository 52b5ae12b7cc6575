"""Browser-test harness: loopback servers and a request-recording Chromium page.

* ``static_server`` (session): a tiny HTTP server on 127.0.0.1 that serves
  ``static/`` at ``/app/static/`` (as Streamlit does), the streamlit-folium
  component build at ``/component/streamlit_folium.st_folium/`` and test pages
  published with ``static_server.publish(name, html)`` at ``/pages/<name>``.
* ``app_server`` (session): ``streamlit run dashboard.py`` on a free loopback
  port with ``PARTNERNETZ_REGISTRY`` and ``PARTNERNETZ_CACHE_DIR`` set; waits
  for ``/_stcore/health``.
* ``browser`` (session): Debian Chromium via playwright (never downloads one).
* ``start_streamlit`` (session): the same as a context manager for tests
  that need the app on a registry of their own.
* ``page`` (function): a fresh page that records every request URL (and
  aborts every non-loopback one), every dialog (dismissed), console and page
  errors and the websocket frames it sends, and saves a screenshot under
  ``test-artifacts/screenshots/`` when the test ends.

Every test here must be marked ``@pytest.mark.browser``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import types
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("PARTNERNETZ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})

# the synthetic data module lives in tests/ (no package there)
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------
# Static loopback server


class _Handler(http.server.SimpleHTTPRequestHandler):
    routes: ClassVar[dict[str, Path]] = {}

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        for prefix, root in sorted(self.routes.items(), key=lambda kv: -len(kv[0])):
            if path.startswith(prefix):
                rel = path[len(prefix):].lstrip("/")
                target = (root / rel).resolve()
                if root.resolve() in (target, *target.parents):
                    return str(target)
        return str(REPO / "__not_found__")

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class StaticServer:
    """The running loopback server; ``publish`` adds a page."""

    base_url: str
    pages_dir: Path

    def publish(self, name: str, html: str) -> str:
        """Write ``html`` as ``/pages/<name>`` and return its URL."""
        (self.pages_dir / name).write_text(html, encoding="utf-8")
        return f"{self.base_url}/pages/{name}"


@pytest.fixture(scope="session")
def static_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticServer]:
    import streamlit_folium

    pages = tmp_path_factory.mktemp("pages")
    component = Path(streamlit_folium.__file__).parent / "frontend" / "build"
    routes = {
        "/app/static/": REPO / "static",
        "/component/streamlit_folium.st_folium/": component,
        "/pages/": pages,
    }
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield StaticServer(f"http://127.0.0.1:{server.server_address[1]}", pages)
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------
# The real app


@dataclass
class AppServer:
    """The running Streamlit app."""

    base_url: str
    registry: Path
    log: Path


def wait_for_health(url: str, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    """Poll ``url`` until it answers 200; fail when ``process`` ends or time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.25)
    raise TimeoutError(f"no answer from {url} within {timeout:.0f} s")


@pytest.fixture(scope="session")
def app_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The registry the app runs on: ``PARTNERNETZ_TEST_REGISTRY`` or ``data/partners.yaml``.

    Tests that need particular partners (the XSS probe) override this fixture
    in their module.
    """
    path = Path(os.environ.get("PARTNERNETZ_TEST_REGISTRY", REPO / "data" / "partners.yaml"))
    assert path.exists(), f"registry {path} does not exist"
    return path


@contextlib.contextmanager
def streamlit_app(registry: Path, workdir: Path) -> Iterator[AppServer]:
    """``streamlit run dashboard.py`` on a free loopback port, on ``registry``.

    Fails with the log's tail when the app does not answer
    ``/_stcore/health``. The process is stopped on exit.
    """
    dashboard = REPO / "dashboard.py"
    port = free_port()
    cache = workdir / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    log = workdir / "streamlit.log"
    env = {
        **os.environ,
        "PARTNERNETZ_REGISTRY": str(registry),
        "PARTNERNETZ_CACHE_DIR": str(cache),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(dashboard),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
    ]
    with log.open("w") as out:
        process = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_for_health(f"{base}/_stcore/health", process=process)
        except (RuntimeError, TimeoutError) as err:
            pytest.fail(f"{err}\n--- streamlit log ---\n{log.read_text()[-4000:]}")
        yield AppServer(base, registry, log)
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen) -> None:
    """Terminate a server the tests started; kill it when it does not stop within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@contextlib.contextmanager
def running(cmd: list[str], *, env: dict, log: Path) -> Iterator[subprocess.Popen]:
    """``cmd`` started in the repository with its output in ``log``; stopped on exit."""
    with log.open("w") as out:
        process = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        stop_process(process)


def log_tail(path: Path) -> str:
    """The last 3000 characters of a server's log."""
    return path.read_text(errors="replace")[-3000:] if path.exists() else "(no log)"


def wait_for_provider_and_app(*, provider: tuple[str, subprocess.Popen],
                              app: tuple[str, subprocess.Popen], work: Path) -> None:
    """Wait for the sign-in provider and the app, each given as (base or health URL, process).

    Fails with the tails of ``work/provider.log`` and ``work/streamlit.log``.
    """
    try:
        wait_for_health(f"{provider[0]}/.well-known/openid-configuration", process=provider[1])
        wait_for_health(app[0], process=app[1])
    except (RuntimeError, TimeoutError) as err:
        pytest.fail(f"{err}\n--- provider ---\n{log_tail(work / 'provider.log')}"
                    f"\n--- streamlit ---\n{log_tail(work / 'streamlit.log')}")


@functools.cache
def demo_login() -> types.ModuleType:
    """``scripts/demo_login.py`` (the test provider's users and command line) as a module."""
    spec = importlib.util.spec_from_file_location("demo_login", REPO / "scripts" / "demo_login.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def start_streamlit():
    """``start_streamlit(registry, workdir)``: context manager running the app on ``registry``."""
    return streamlit_app


@pytest.fixture(scope="session")
def app_server(
    app_registry: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    """The app on the default registry (see ``app_registry``), shared by the session."""
    with streamlit_app(app_registry, tmp_path_factory.mktemp("app")) as app:
        yield app


# ---------------------------------------------------------------------------
# Browser


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Debian chromium is not installed: run `make test` (it installs it) or `make chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class RecordingPage:
    """A playwright page plus everything it requested and every dialog it opened."""

    page: object
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    ws_sent: list[object] = field(default_factory=list)
    frame_requests: list[tuple[str, str]] = field(default_factory=list)  # (frame URL, URL)

    def external_requests(self, allowed_hosts: frozenset[str] | set[str] = frozenset()) -> list[str]:
        """Requested URLs whose host is neither loopback nor in ``allowed_hosts``."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            host = parts.hostname or ""
            if host in LOOPBACK_HOSTS or host in allowed_hosts:
                continue
            out.append(url)
        return out

    def external_requests_of_frame(self, marker: str) -> list[str]:
        """Like :meth:`external_requests`, for frames whose URL contains ``marker``."""
        urls = [url for frame, url in self.frame_requests if marker in frame]
        return RecordingPage(self.page, requests=urls).external_requests()

    def hosts(self) -> set[str]:
        """Hosts of all http(s)/ws requests."""
        return {
            urlsplit(url).hostname or ""
            for url in self.requests
            if urlsplit(url).scheme in ("http", "https", "ws", "wss")
        }


def _screenshot_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]).strip("_") + ".png"


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[RecordingPage]:
    """A fresh page; non-loopback requests are recorded and aborted (no network use)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    pg = context.new_page()
    rec = RecordingPage(pg)

    def on_route(route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if host in LOOPBACK_HOSTS:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", on_route)

    def on_request(req) -> None:
        rec.requests.append(req.url)
        try:
            frame_url = req.frame.url
        except Exception:  # service-worker requests have no frame
            frame_url = ""
        rec.frame_requests.append((frame_url, req.url))

    pg.on("request", on_request)

    def on_websocket(ws) -> None:
        rec.requests.append(ws.url)
        ws.on("framesent", lambda payload: rec.ws_sent.append(payload))

    pg.on("websocket", on_websocket)

    def on_dialog(dialog) -> None:
        rec.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("console", lambda msg: rec.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda err: rec.page_errors.append(str(err)))
    try:
        yield rec
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(Exception):
            pg.screenshot(path=str(SCREENSHOTS / _screenshot_name(request.node.nodeid)))
        context.close()


@pytest.fixture(scope="session")
def component_harness():
    """``component_harness(args_src)``: the harness page for the given ``window.ARGS`` script."""
    return component_harness_html


def component_harness_html(args_src: str) -> str:
    """A parent page that talks Streamlit's component protocol to streamlit-folium.

    It loads the real streamlit-folium frontend in an iframe (same origin, as
    in the app), sends it ``window.ARGS`` as the render event and records
    every message the component sends back in ``window.messages``.
    """
    return """<!doctype html><html><head><meta charset="utf-8"><title>harness</title></head>
<body style="margin:0">
<iframe id="component" title="map" style="width:1000px;height:0;border:0"
  src="/component/streamlit_folium.st_folium/index.html?streamlitUrl=harness"></iframe>
<script src="ARGS_SRC"></script>
<script>
window.messages = [];
const frame = document.getElementById("component");
window.addEventListener("message", (event) => {
  const data = event.data;
  if (!data || !data.isStreamlitMessage) { return; }
  window.messages.push(JSON.parse(JSON.stringify(data)));
  if (data.type === "streamlit:componentReady") {
    frame.contentWindow.postMessage(
      {type: "streamlit:render", args: window.ARGS, dfs: [], disabled: false}, "*");
  } else if (data.type === "streamlit:setFrameHeight") {
    frame.style.height = data.height + "px";
  }
});
</script></body></html>""".replace("ARGS_SRC", args_src)
