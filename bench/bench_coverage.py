"""Benchmark of the full coverage computation (prints figures, asserts nothing).

A synthetic region of 50 square towns (10 × 5 grid of 6 km squares built in
EPSG:25832, converted to EPSG:4326) with random populations, and 20,000
synthetic partners (seeded): about 8 % serve the whole region, 30 % serve one
or two neighbouring towns as well, 5 % are planned and 3 % inactive.

Run: ``.venv/bin/python bench/bench_coverage.py [--tiny]``
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, box

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from partnernetz.analysis.summary import analyse_coverage
from partnernetz.registry.models import Target
from partnernetz.registry.vocabulary import DEFAULT_CATEGORIES, KIM_OFFER, STAGES, TARGET_GROUPS

N_COLS, N_ROWS, SIDE_M = 10, 5, 6_000.0
X0, Y0 = 500_000.0, 5_720_000.0
TINY = "--tiny" in sys.argv  # a few partners, one run: tests/test_benches.py
N_PARTNERS = 200 if TINY else 20_000
RUNS = 1 if TINY else 7
LANGUAGES = ("de", "en", "ar", "uk", "ru", "tr", "fa", "ku", "pl", "ro", "ti", "so", "fr", "es")


def build_towns(rng: np.random.Generator) -> gpd.GeoDataFrame:
    """50 square towns in a grid; centres are the square centres."""
    rows = []
    for r in range(N_ROWS):
        for c in range(N_COLS):
            x, y = X0 + c * SIDE_M, Y0 + r * SIDE_M
            rows.append(
                {
                    "ags": f"05999{r * N_COLS + c:03d}",
                    "name": f"Ort {r * N_COLS + c:02d}",
                    "geometry": box(x, y, x + SIDE_M, y + SIDE_M),
                    "cx": x + SIDE_M / 2,
                    "cy": y + SIDE_M / 2,
                }
            )
    metric = gpd.GeoDataFrame(rows, crs="EPSG:25832")
    centres = gpd.GeoSeries(
        [Point(x, y) for x, y in zip(metric["cx"], metric["cy"], strict=True)], crs="EPSG:25832"
    ).to_crs("EPSG:4326")
    towns = metric.drop(columns=["cx", "cy"]).to_crs("EPSG:4326")
    towns["type"] = "Gemeinde"
    towns["kreis"] = "05999"
    towns["kreis_name"] = "Synthetischer Kreis"
    pop = rng.integers(2_000, 60_000, len(towns)).astype(object)
    pop[3] = None  # one town with unknown population
    towns["population"] = pd.array(pop, dtype="Int64")
    towns["area_km2"] = SIDE_M * SIDE_M / 1e6
    towns["lat"] = centres.y.to_numpy()
    towns["lon"] = centres.x.to_numpy()
    towns["centre_source"] = "polygon"
    return towns.sort_values("name").reset_index(drop=True)


def build_partners(rng: np.random.Generator, towns: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """20,000 random partners inside the grid."""
    n = N_PARTNERS
    x = rng.uniform(X0, X0 + N_COLS * SIDE_M, n)
    y = rng.uniform(Y0, Y0 + N_ROWS * SIDE_M, n)
    col = ((x - X0) // SIDE_M).astype(int)
    row = ((y - Y0) // SIDE_M).astype(int)
    idx = row * N_COLS + col
    ags = np.array([f"05999{i:03d}" for i in idx], dtype=object)
    all_ags = tuple(sorted(towns["ags"]))
    points = gpd.GeoSeries(gpd.points_from_xy(x, y), crs="EPSG:25832").to_crs("EPSG:4326")
    kind = rng.random(n)
    serves_all = kind < 0.08
    serves = []
    for i in range(n):
        if serves_all[i]:
            serves.append(all_ags)
        elif kind[i] < 0.38:
            extra = {f"05999{min(idx[i] + 1, 49):03d}", f"05999{max(idx[i] - 1, 0):03d}"}
            serves.append(tuple(sorted({ags[i], *extra})))
        else:
            serves.append((ags[i],))
    cats = np.array(list(DEFAULT_CATEGORIES), dtype=object)
    stage_keys = np.array(list(STAGES), dtype=object)
    group_keys = np.array(list(TARGET_GROUPS), dtype=object)
    langs = np.array(LANGUAGES, dtype=object)

    def pick(values: np.ndarray, most: int) -> list[tuple[str, ...]]:
        counts = rng.integers(0, most + 1, n)
        return [tuple(rng.choice(values, k, replace=False)) for k in counts]

    status = np.where(kind > 0.95, "planned", np.where(kind > 0.92, "inactive", "active"))
    start = dt.date(2023, 1, 1).toordinal()
    verified = [
        None if r < 0.1 else dt.date.fromordinal(start + int(d))
        for r, d in zip(rng.random(n), rng.integers(0, 1000, n), strict=True)
    ]
    return gpd.GeoDataFrame(
        {
            "id": [f"p-{i}" for i in range(n)],
            "name": [f"Partner {i}" for i in range(n)],
            "category": rng.choice(cats, n),
            "town": [f"Ort {i:02d}" for i in idx],
            "town_ags": ags,
            "ags": ags,
            "serves": serves,
            "serves_all": serves_all,
            "stages": pick(stage_keys, 2),
            "target_groups": pick(group_keys, 3),
            "languages": pick(langs, 3),
            "offers": [(KIM_OFFER,) if r < 0.05 else () for r in rng.random(n)],
            "status": status,
            "verified": verified,
            "lat": points.y.to_numpy(),
            "lon": points.x.to_numpy(),
        },
        geometry=points.to_numpy(),
        crs="EPSG:4326",
    )


def main() -> None:
    rng = np.random.default_rng(20_240_601)
    towns = build_towns(rng)
    partners = build_partners(rng, towns)
    # demanding targets and a category nobody offers, so that all three lights occur
    targets = {"kita": Target(min_reachable=2, per_10k=80.0), "beratung": Target(min_reachable=300)}
    categories = [*DEFAULT_CATEGORIES, "dolmetscher"]
    today = dt.date(2025, 6, 1)
    times, cpu = [], []
    for _ in range(RUNS):
        t0, c0 = time.perf_counter(), time.process_time()
        analysis = analyse_coverage(
            partners, towns, today=today, categories=categories, targets=targets
        )
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    statuses = analysis.matrix["status"].value_counts().to_dict()
    print(
        f"coverage: {len(partners)} partners, {len(towns)} towns, "
        f"{len(analysis.matrix)} cells {statuses}"
    )
    print(
        f"analyse_coverage over {RUNS} runs: min {min(times):.1f} ms, "
        f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms "
        f"(CPU time: min {min(cpu):.1f} ms, median {statistics.median(cpu):.1f} ms)"
    )


if __name__ == "__main__":
    main()
