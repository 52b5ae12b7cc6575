"""Benchmark: server time of a rerun of the Übersicht and Abdeckung pages (prints, asserts nothing).

What is measured: ``AppTest.run()`` of the whole app script (dashboard.py: the
shell with sidebar filters, then the page) in this process, i.e. the script
run a Streamlit server does on every rerun, plus AppTest's own small overhead
of collecting the output. The first run loads the registry and fills the caches;
the figures are the reruns after it (warm caches: a user clicking around with
the same filters), and one rerun with a new filter (the coverage analysis is
computed anew, a cache miss).

Regions, each with 20,000 synthetic partners (seeded):

* ``Steinfurt`` — the NRW Kreis with the most towns (24), real boundaries.
* ``synthetic-50`` — no NRW Kreis has 50 towns, so a synthetic region of 50
  square towns (10 × 5 grid of 6 km squares, Kreis key 05999) is written as a
  gazetteer GeoJSON and population CSV, and the app is pointed at it with
  ``$PARTNERNETZ_GAZETTEER`` / ``$PARTNERNETZ_POPULATION`` (read by
  ``app_pages/cached.py``).

Also printed: ``analyse_coverage`` alone on each region's data (the pure
computation behind both pages, uncached).

Run: ``.venv/bin/python bench/bench_pages.py [N_PARTNERS] [--tiny]``. Target: Übersicht
rerun <= 500 ms at 20,000 partners.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, box

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from partnernetz.analysis.summary import analyse_coverage  # noqa: E402
from partnernetz.dataset import load_dataset  # noqa: E402
from partnernetz.geo import gazetteer  # noqa: E402
from partnernetz.registry.vocabulary import DEFAULT_CATEGORIES, KIM_OFFER, STAGES, TARGET_GROUPS  # noqa: E402

_ARGS = [a for a in sys.argv[1:] if a != "--tiny"]
TINY = "--tiny" in sys.argv  # 60 partners, one rerun, one region: tests/test_benches.py
N_PARTNERS = int(_ARGS[0]) if _ARGS else 60 if TINY else 20_000
RERUNS = 1 if TINY else 10
N_COLS, N_ROWS, SIDE_M = 10, 5, 6_000.0
X0, Y0 = 480_000.0, 5_700_000.0  # EPSG:25832, inside NRW's UTM zone
LANGUAGES = ("de", "en", "ar", "uk", "ru", "tr", "fa", "ku", "pl", "ro", "ti", "so", "fr", "es")
CATEGORIES = list(DEFAULT_CATEGORIES)


# --------------------------------------------------------------------------- synthetic data


def write_grid_region(folder: Path) -> tuple[Path, Path]:
    """A 50-town gazetteer (GeoJSON) and its population CSV; returns both paths."""
    rng = random.Random(50)
    rows, centres = [], []
    for r in range(N_ROWS):
        for c in range(N_COLS):
            x, y = X0 + c * SIDE_M, Y0 + r * SIDE_M
            i = r * N_COLS + c
            rows.append({"ags": f"05999{i:03d}", "name": f"Ort {i:02d}", "type": "Gemeinde",
                         "kreis": "05999", "kreis_name": "Synthetischer Kreis",
                         "area_km2": SIDE_M * SIDE_M / 1e6, "centre_source": "polygon",
                         "geometry": box(x, y, x + SIDE_M, y + SIDE_M)})
            centres.append(Point(x + SIDE_M / 2, y + SIDE_M / 2))
    frame = gpd.GeoDataFrame(rows, crs="EPSG:25832").to_crs("EPSG:4326")
    points = gpd.GeoSeries(centres, crs="EPSG:25832").to_crs("EPSG:4326")
    frame["lat"], frame["lon"] = points.y.to_numpy(), points.x.to_numpy()
    gaz = folder / "gemeinden-50.geojson"
    frame.to_file(gaz, driver="GeoJSON", engine="pyogrio")
    pop = folder / "einwohner-50.csv"
    pd.DataFrame({"ags": frame["ags"], "name": frame["name"],
                  "population": [rng.randint(2_000, 60_000) for _ in range(len(frame))]}
                 ).to_csv(pop, index=False)
    return gaz, pop


def write_registry(path: Path, region: str, towns: gpd.GeoDataFrame, n: int) -> None:
    """``n`` partners with exact coordinates inside their town (point on surface)."""
    rng = random.Random(7)
    metric = towns.to_crs("EPSG:25832")
    bounds = metric.geometry.bounds.to_numpy()
    interiors = [geom.buffer(-200) for geom in metric.geometry]
    kreis = str(towns["kreis"].iloc[0])
    names = towns["name"].tolist()
    lines = ["region:", f"  name: {region}", f'  kreis: "{kreis}"', "partners:"]
    from pyproj import Transformer

    back = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)
    for i in range(n):
        t = rng.randrange(len(names))
        minx, miny, maxx, maxy = bounds[t]
        inner = interiors[t]
        while True:  # a random point well inside the town polygon (not on a border)
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if inner.contains(Point(x, y)):
                break
        lon, lat = back.transform(x, y)
        kind = rng.random()
        status = "planned" if kind > 0.95 else "inactive" if kind > 0.92 else "active"
        langs = ["de", *rng.sample(LANGUAGES[1:], rng.randint(0, 3))]
        lines += [
            f"  - id: p-{i:05d}",
            f"    name: Partner {i}",
            f"    category: {rng.choice(CATEGORIES)}",
            f'    town: "{names[t]}"',
            f"    location: {{lat: {lat:.6f}, lon: {lon:.6f}}}",
            f"    languages: [{', '.join(langs)}]",
            f"    stages: [{', '.join(rng.sample(list(STAGES), rng.randint(0, 2)))}]",
            f"    target_groups: [{', '.join(rng.sample(list(TARGET_GROUPS), rng.randint(0, 3)))}]",
            f"    status: {status}",
        ]
        if rng.random() < 0.05:
            lines.append(f"    offers: [{KIM_OFFER}]")
        if rng.random() < 0.9:
            lines.append(f"    verified: {dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(600))}")
        if kind < 0.02:
            lines.append("    serves: all")
        elif kind < 0.3:
            others = rng.sample(names, 2)
            lines.append("    serves: [" + ", ".join(f'"{o}"' for o in others) + "]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- measuring


def ms(values: list[float]) -> str:
    return (f"median {statistics.median(values) * 1000:.0f} ms, min {min(values) * 1000:.0f} ms, "
            f"max {max(values) * 1000:.0f} ms")


def compile_seconds(page: str) -> float:
    """Compiling dashboard.py and the page (with Streamlit's magic), median of 5.

    AppTest builds a fresh ``ScriptCache`` for every run, so each ``at.run()``
    pays this; a Streamlit server compiles once and keeps the bytecode.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    times = []
    for _ in range(5):
        cache = ScriptCache()
        t0 = time.perf_counter()
        cache.get_bytecode(str(ROOT / "dashboard.py"))
        cache.get_bytecode(str(ROOT / page))
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure_pages(label: str, pages: tuple[str, ...] = ("app_pages/overview.py", "app_pages/coverage.py")
                  ) -> None:
    from streamlit.testing.v1 import AppTest

    for page in pages:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        t0 = time.perf_counter()
        at.run()
        at.switch_page(page).run()
        first = time.perf_counter() - t0
        if at.exception or at.error:  # a broken page is not a figure: stop the bench
            problem = at.exception or [e.value for e in at.error]
            raise SystemExit(f"  {page}: EXCEPTION {problem}")
        times = []
        for _ in range(RERUNS):
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        at.sidebar.multiselect(key="w.sprache.de").set_value(["ar"]).run()
        miss = time.perf_counter() - t0
        shown = next(c.value for c in at.sidebar.caption if "Partner" in c.value)
        compiling = compile_seconds(page)
        print(f"  {label} · {page}: rerun (warm caches, {RERUNS}×) {ms(times)}; "
              f"rerun with a new filter (cache miss) {miss * 1000:.0f} ms; "
              f"first load incl. registry {first:.1f} s; after filter: {shown}")
        print(f"      of each AppTest run, {compiling * 1000:.0f} ms is compiling the two scripts "
              f"(AppTest only; a server keeps the bytecode): server rerun ≈ "
              f"{(statistics.median(times) - compiling) * 1000:.0f} ms median")


def measure_analysis(label: str, registry: Path, gaz: Path | None, pop: Path | None) -> None:
    dataset = load_dataset(registry, gazetteer_path=gaz, population_path=pop)
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        analysis = analyse_coverage(dataset.partners, dataset.towns, today=dt.date.today(),
                                    categories=dataset.categories, targets=dataset.targets)
        times.append(time.perf_counter() - t0)
    print(f"  {label}: analyse_coverage, {len(dataset.partners)} partners × {len(dataset.towns)} "
          f"towns ({len(analysis.matrix)} cells), 5 runs: {ms(times)}")


def measure_map_payload(registry: Path) -> None:
    """Size of the map HTML that st_folium sends to the browser (all partners shown)."""
    from partnernetz.views.maps import build_partner_map

    dataset = load_dataset(registry)
    fmap = build_partner_map(dataset.partners, dataset.towns, dataset.categories,
                                  basemap="none", attribution=dataset.attribution)
    size = len(fmap.get_root().render().encode("utf-8"))
    print(f"  map payload ({len(dataset.partners)} partners): {size / 1e6:.2f} MB HTML "
          f"(target < 1 MB at 2,000)")


def main() -> None:
    print("Partnernetz page benchmark; server script time per rerun, measured with AppTest "
          "in-process")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["PARTNERNETZ_CACHE_DIR"] = str(folder / "cache")
        hoexter = gazetteer.load_towns("05762")
        for n in (N_PARTNERS,) if TINY else (2_000, N_PARTNERS):
            registry = folder / f"hoexter-{n}.yaml"
            write_registry(registry, "Kreis Höxter", hoexter, n)
            os.environ["PARTNERNETZ_REGISTRY"] = str(registry)
            label = f"Kreis Höxter, {n} partners"
            print(f"\n{label}: registry {registry.stat().st_size / 1e6:.1f} MB")
            measure_map_payload(registry)
            measure_pages(label, ("app_pages/map.py", "app_pages/directory.py"))
        print("\nTargets: Karte/Verzeichnis rerun <= 150 ms at 2,000 and <= 1 s at 20,000 partners.")
        print(f"\nÜbersicht and Abdeckung, {N_PARTNERS} partners per region:")
        gaz, pop = write_grid_region(folder)
        regions = [
            ("Steinfurt (24 real towns)", "Kreis Steinfurt", gazetteer.load_towns("05566"),
             None, None),
            ("synthetic-50 (50 grid towns)", "Synthetischer Kreis",
             gazetteer.load_towns("05999", gazetteer_path=gaz, population_path=pop), gaz, pop),
        ]
        for label, region, towns, g, p in regions[-1:] if TINY else regions:
            registry = folder / f"{len(towns)}.yaml"
            write_registry(registry, region, towns, N_PARTNERS)
            os.environ["PARTNERNETZ_REGISTRY"] = str(registry)
            for name, value in (("PARTNERNETZ_GAZETTEER", g), ("PARTNERNETZ_POPULATION", p)):
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = str(value)
            print(f"\n{label}: registry {registry.stat().st_size / 1e6:.1f} MB")
            measure_analysis(label, registry, g, p)
            measure_pages(label)
    print("\nTarget: Übersicht rerun <= 500 ms at 20,000 partners.")


if __name__ == "__main__":
    main()
