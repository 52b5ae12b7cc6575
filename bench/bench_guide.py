"""Benchmark: the public guide (Wegweiser) on a phone on a slow line (prints, asserts nothing).

For the Höxter demo and for synthetic registries of 2,000 and 20,000 partners
(``bench_pipeline.make_registry``, with descriptions) this prints:

* ``publish``: wall and CPU time of ``python -m partnernetz publish`` (load, open
  data, every page in eight languages). Targets: 2,000 < 10 s, 20,000 < 60 s.
* the start page ``de/index.html`` in Chromium with the CPU slowed 4×
  (``Emulation.setCPUThrottlingRate``) and a slow 3G line
  (``Network.emulateNetworkConditions``), served gzip-compressed by a loopback
  http.server, no cache, no service worker:
  - ``FCP``: first contentful paint (median of the runs), for two line profiles:
    "3G slow" of WebPageTest (400 ms round trip, 400 kbit/s) and Chrome DevTools'
    "Slow 3G" (2,000 ms per request, 400 kbit/s);
  - ``weight``: bytes on the wire until ``load`` (compressed; no map tiles: the map,
    its data and the search index load only when the visitor asks for them);
  - the compressed size of the search index and the map data, loaded on demand.
  Targets: FCP < 1.5 s and < 300 KB for the Höxter demo.

Run: ``.venv/bin/python bench/bench_guide.py`` (``--tiny``: 50 partners, one run,
what the test suite runs). The machine's load is printed: on a shared machine the
wall times are the neighbours' as much as ours; CPU time is the stable figure.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_pipeline import make_registry  # noqa: E402

CHROMIUM = os.environ.get("PARTNERNETZ_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
PROFILES = {  # latency in ms, throughput in bytes per second
    "3G slow (400 ms, 400 kbit/s)": (400, 400_000 / 8),
    "DevTools Slow 3G (2000 ms, 400 kbit/s)": (2000, 400_000 / 8),
}
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/geo+json",
                "application/manifest+json", "image/svg+xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, gzip-compressed when the browser accepts it (as a web server would)."""

    cache: dict[str, bytes] = {}  # noqa: RUF012 - one server per run

    def do_GET(self) -> None:
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        try:
            data = Path(path).read_bytes()
        except OSError:
            self.send_error(404)
            return
        ctype = self.guess_type(path)
        zipped = "gzip" in self.headers.get("Accept-Encoding", "") and ctype.startswith(COMPRESSIBLE)
        if zipped:
            data = self.cache.get(path) or self.cache.setdefault(path, gzip.compress(data, 6))
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if zipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(type("H", (GzipHandler,), {"cache": {}}), directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def publish(registry: Path, out: Path) -> tuple[float, float, float]:
    """Wall, user CPU and system CPU seconds of ``python -m partnernetz publish`` (a child)."""
    env = {**os.environ, "PARTNERNETZ_CACHE_DIR": "off", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    before = os.times()
    subprocess.run([sys.executable, "-m", "partnernetz", "publish", str(registry), "-o", str(out)],
                   check=True, env=env, cwd=ROOT, capture_output=True)
    after = os.times()
    return (time.perf_counter() - start, after.children_user - before.children_user,
            after.children_system - before.children_system)


def measure_start_page(browser, url: str, profile: tuple[float, float], runs: int) -> tuple[float, int]:
    """Median FCP (ms) and bytes on the wire until ``load`` of ``url``."""
    latency, throughput = profile
    paints, weights = [], []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                      has_touch=True, service_workers="block")
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": latency, "downloadThroughput": throughput,
            "uploadThroughput": throughput})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        sizes: list[int] = []
        cdp.on("Network.loadingFinished", functools.partial(_add_size, sizes))
        page.goto(url, wait_until="load", timeout=120_000)
        fcp = page.evaluate("""() => { const e = performance.getEntriesByName('first-contentful-paint');
                                       return e.length ? e[0].startTime : null; }""")
        paints.append(fcp)
        weights.append(sum(sizes))
        context.close()
    return statistics.median(paints), int(statistics.median(weights))


def _add_size(sizes: list[int], event: dict) -> None:
    sizes.append(int(event["encodedDataLength"]))


def gz_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def synthetic_registry(n: int, folder: Path) -> Path:
    text = make_registry(n).replace(
        "    subtype: Beispiel\n",
        "    subtype: Beispiel\n    description: Beratung und Begleitung für Familien, "
        "Sprachförderung und Hilfe beim Übergang in Schule und Beruf.\n")
    path = folder / f"synthetic-{n}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="50 partners, one run (for the tests)")
    args = parser.parse_args()
    sizes = [50] if args.tiny else [2_000, 20_000]
    runs = 1 if args.tiny else 3
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(dir=ROOT) as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        folder = Path(tmp)
        cases = [("Höxter demo", ROOT / "data" / "partners.yaml")]
        cases += [(f"{n:,} partners", synthetic_registry(n, folder)) for n in sizes]
        for label, registry in cases:
            out = folder / f"site-{len(os.listdir(folder))}"
            wall, user, system = publish(registry, out)
            files = sum(1 for _ in out.rglob("*.html"))
            print(f"\n{label}: publish {wall:.1f} s wall, {user:.1f} s user + {system:.1f} s system CPU "
                  f"({files:,} pages)")
            server, base = serve(out)
            try:
                for name, profile in PROFILES.items():
                    fcp, weight = measure_start_page(browser, base + "de/index.html", profile, runs)
                    print(f"  start page, CPU 4x, {name}: FCP {fcp:.0f} ms, "
                          f"weight {weight / 1024:.1f} KB compressed (before map tiles)")
            finally:
                server.shutdown()
                server.server_close()
            print(f"  on demand: search index {gz_size(out / 'data' / 'search.json') / 1024:.1f} KB, "
                  f"map data {gz_size(out / 'data' / 'map.json') / 1024:.1f} KB, "
                  f"Leaflet {gz_size(out / 'assets' / 'vendor' / 'leaflet' / 'leaflet.js') / 1024:.1f} KB "
                  "(compressed)")
        browser.close()


if __name__ == "__main__":
    main()
