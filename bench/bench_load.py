"""Benchmark: concurrent Chromium sessions against one loopback app server.

For 1, 5, 10 and 20 sessions (or the counts given), a fresh server is started
on the demo registry, warmed up by one unmeasured session, then N browser
sessions run at the same time, each: Übersicht → Karte → Verzeichnis →
Abdeckung, then one filter change (a search). Printed per level:

* sessions completed / failed, wall time;
* the server's CPU seconds (utime + stime from ``/proc/PID/stat``) per page view, and
  "net": the same less the server's background cost over the wall time (its
  timers and the probe's requests, measured for 10 s after the level's sessions
  have closed), so that a level whose clients take longer is not charged for
  the waiting;
* ``/_stcore/health`` latency while the sessions run (polled every 100 ms): median, p99, max;
* server RSS before and with all sessions open, and the growth per session.

The clients (this script, the Playwright driver and the browsers) and the
server would share the machine's cores, which a real deployment does not: 20
browsers on two cores starve the server of CPU and show up as "server
latency". So, as if they ran on machines of their own, the server and the
health probe run on core 0 and every client process on the other cores
(``sched_setaffinity``; ``--shared-cores`` turns this off), and the browsers
run at ``nice 19`` (unless ``--same-priority``). The server CPU figure comes
from the server's own ``/proc/PID/stat``. The health probe is a process of its
own. It asserts nothing.

    .venv/bin/python bench/bench_load.py [N ...] [--registry PATH] [--same-priority]
                                         [--shared-cores] [--tiny]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("PARTNERNETZ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PAGES = ("karte", "verzeichnis", "abdeckung")
TICK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` (its threads included), from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


SERVER_CORES = {0}
IDLE_SETTLE_SECONDS = 3.0  # after the sessions close, before the background is measured
IDLE_SECONDS = 10.0  # how long the server's background CPU is measured


def client_cores() -> set[int]:
    """The cores the clients get: all but the server's (all of them on one core)."""
    cores = os.sched_getaffinity(0)
    return (cores - SERVER_CORES) or cores


def pin_process(pid: int, cores: set[int]) -> None:
    """Move every thread of ``pid`` to ``cores`` (threads started later inherit it)."""
    for tid in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(ProcessLookupError):
            os.sched_setaffinity(int(tid), cores)


def rss_mb(pid: int) -> float:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE / 1e6


PROBE_CODE = """
import sys, time, urllib.request
url, out = sys.argv[1], open(sys.argv[2], "w", buffering=1)
while True:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
        out.write(f"{time.perf_counter() - start:.6f}\\n")
    except OSError:
        out.write("fail\\n")
    time.sleep(0.1)
"""


class HealthProbe:
    """Polls /_stcore/health every 100 ms and records each answer's latency.

    The probe runs in a process of its own: in this process the browser
    driver's event loop holds the GIL for long stretches with 20 sessions,
    which would add the bench's own waits to the server's latency.
    """

    def __init__(self, url: str, workdir: Path, *, cores: set[int] | None = None,
                 name: str = "health") -> None:
        self.url = url
        self.cores = cores
        self.path = workdir / f"{name}.txt"
        self.latencies: list[float] = []
        self.failures = 0
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        self._process = subprocess.Popen([sys.executable, "-c", PROBE_CODE, self.url,
                                          str(self.path)])
        if self.cores:
            pin_process(self._process.pid, self.cores)

    def stop(self) -> None:
        assert self._process is not None
        self._process.terminate()
        self._process.wait(timeout=35)
        for line in self.path.read_text().split():
            if line == "fail":
                self.failures += 1
            else:
                self.latencies.append(float(line))


@contextlib.contextmanager
def app_server(registry: Path, workdir: Path):
    port = free_port()
    env = {**os.environ, "PARTNERNETZ_REGISTRY": str(registry),
           "PARTNERNETZ_CACHE_DIR": str(workdir / "cache"),
           "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
           "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
    log = (workdir / "streamlit.log").open("w")
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start; see {workdir / 'streamlit.log'}")
            with contextlib.suppress(OSError), urllib.request.urlopen(base + "/_stcore/health",
                                                                      timeout=2):
                break
            time.sleep(0.25)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


async def wait_idle(page, timeout_ms: int = 300_000) -> None:
    """Until the script run is over and the page has content."""
    await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                                 timeout=timeout_ms)
    await page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=timeout_ms)


async def one_session(browser, base: str) -> tuple[int, list[str], object]:
    """Übersicht → Karte → Verzeichnis → Abdeckung → a search; the page views and errors."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(300_000)  # 20 browsers share two cores with the server
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    views = 0
    try:
        await page.goto(base + "/", timeout=300_000)
        await wait_idle(page)
        views += 1
        for slug in PAGES:
            link = page.locator(f'.st-key-pn-nav a[href^="{slug}"]').first
            await link.click()
            await page.wait_for_function(f"() => location.pathname.endsWith('/{slug}')")
            await wait_idle(page)
            views += 1
        search = page.locator('[data-testid="stSidebar"]').get_by_label("Suche", exact=True)
        await search.fill("Beratung")
        await search.press("Enter")
        await page.wait_for_function("() => location.search.includes('suche=Beratung')")
        await wait_idle(page)
        views += 1
        if await page.locator('[data-testid="stException"]').count():
            errors.append("exception box on the page")
    except Exception as exc:  # a failed session is counted, not raised
        errors.append(f"{type(exc).__name__}: {exc}")
    return views, errors, context


def browser_executable(workdir: Path, *, nice: bool) -> str:
    """Chromium, or a wrapper that starts it at the lowest CPU priority (``nice -n 19``).

    With ``nice`` the server always gets the CPU first, so its figures show the
    server's own cost and latency rather than the browsers' load on the cores.
    """
    if not nice:
        return CHROMIUM
    wrapper = workdir / "chromium-nice"
    wrapper.write_text(f'#!/bin/sh\nexec nice -n 19 {CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


async def run_level(n: int, base: str, pid: int, executable: str, workdir: Path, *,
                    probe_cores: set[int] | None = None) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, headless=True,
                                           args=CHROMIUM_ARGS)
        _, warm_errors, warm_context = await one_session(browser, base)  # unmeasured
        await warm_context.close()
        rss_before = rss_mb(pid)
        probe = HealthProbe(base + "/_stcore/health", workdir, cores=probe_cores)
        probe.start()
        cpu_before = cpu_seconds(pid)
        start = time.perf_counter()
        results = await asyncio.gather(*(one_session(browser, base) for _ in range(n)))
        wall = time.perf_counter() - start
        probe.stop()
        cpu = cpu_seconds(pid) - cpu_before
        rss_with = rss_mb(pid)
        for _, _, context in results:
            await context.close()
        await browser.close()
        # the server's background cost per second (its timers, the probe's requests) with
        # every session closed and the caches warm: charged to the views by the wall time
        idle_probe = HealthProbe(base + "/_stcore/health", workdir, cores=probe_cores, name="idle")
        idle_probe.start()
        await asyncio.sleep(IDLE_SETTLE_SECONDS)
        idle_start, idle_cpu = time.perf_counter(), cpu_seconds(pid)
        await asyncio.sleep(IDLE_SECONDS)
        idle_rate = (cpu_seconds(pid) - idle_cpu) / (time.perf_counter() - idle_start)
        idle_probe.stop()
    views = sum(r[0] for r in results)
    failed = [r[1] for r in results if r[1]]
    lat = probe.latencies or [float("nan")]
    return {
        "n": n, "ok": n - len(failed), "failed": failed, "wall": wall, "views": views,
        "cpu_per_view": cpu / views if views else float("nan"),
        "net_cpu_per_view": (cpu - idle_rate * wall) / views if views else float("nan"),
        "health_median": statistics.median(lat), "health_max": max(lat),
        "health_p99": statistics.quantiles(lat, n=100)[98] if len(lat) > 1 else lat[0],
        "health_failures": probe.failures, "rss_before": rss_before, "rss_with": rss_with,
        "rss_per_session": (rss_with - rss_before) / n, "warm_errors": warm_errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("levels", nargs="*", type=int, default=[1, 5, 10, 20])
    parser.add_argument("--registry", type=Path, default=ROOT / "data" / "partners.yaml")
    parser.add_argument("--tiny", action="store_true",
                        help="one session, short idle measurement (tests/test_benches.py)")
    parser.add_argument("--same-priority", action="store_true",
                        help="run the browsers at the server's CPU priority (default: nice 19)")
    parser.add_argument("--shared-cores", action="store_true",
                        help="let server and clients share every core (default: server on core 0)")
    args = parser.parse_args()
    if args.tiny:
        global IDLE_SETTLE_SECONDS, IDLE_SECONDS  # the tiny run only
        args.levels, IDLE_SETTLE_SECONDS, IDLE_SECONDS = [1], 0.2, 1.0
    separate = not args.shared_cores and len(os.sched_getaffinity(0)) > 1
    if separate:
        os.sched_setaffinity(0, client_cores())  # the driver and the browsers inherit it
    print(f"registry: {args.registry}; each session: Übersicht, {', '.join(PAGES)}, one search; "
          f"browsers at {'the same priority' if args.same_priority else 'nice 19'}; "
          f"{os.cpu_count()} cores; " + (f"server and health probe on core(s) {sorted(SERVER_CORES)}, "
                                         f"clients on {sorted(client_cores())}" if separate
                                         else "server and clients share the cores"))
    print(f"{'sessions':>8} {'ok':>3} {'wall s':>7} {'views':>5} {'srv CPU s/view':>14} {'net':>6} "
          f"{'health med s':>12} {'p99 s':>6} {'health max s':>12} {'RSS MB':>7} {'RSS +MB/sess':>12}")
    for n in args.levels:
        with tempfile.TemporaryDirectory() as tmp, app_server(args.registry, Path(tmp)) as (base, pid):
            if separate:
                pin_process(pid, SERVER_CORES)
            executable = browser_executable(Path(tmp), nice=not args.same_priority)
            r = asyncio.run(run_level(n, base, pid, executable, Path(tmp),
                                      probe_cores=SERVER_CORES if separate else None))
        print(f"{r['n']:>8} {r['ok']:>3} {r['wall']:>7.1f} {r['views']:>5} {r['cpu_per_view']:>14.3f} "
              f"{r['net_cpu_per_view']:>6.3f} {r['health_median']:>12.3f} {r['health_p99']:>6.3f} "
              f"{r['health_max']:>12.3f} {r['rss_with']:>7.0f} {r['rss_per_session']:>12.1f}",
              flush=True)
        for errors in r["failed"][:3]:
            print("   failed session:", "; ".join(errors)[:300])
        if r["warm_errors"]:
            print("   warm-up session:", "; ".join(r["warm_errors"])[:300])
        if args.tiny and (r["failed"] or r["warm_errors"]):
            raise SystemExit("the tiny run's session failed")  # tests/test_benches.py


if __name__ == "__main__":
    main()
