"""Benchmark: the full data pipeline (load → validate → geocode → join) at scale.

Generates a synthetic registry for Kreis Höxter with N partners (default
20,000) and prints figures; it asserts nothing. Cold = no dataset cache (the
whole pipeline runs); warm = the on-disk cache keyed by content hash hits.

    .venv/bin/python bench/bench_pipeline.py [N]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from partnernetz.dataset import load_dataset
from partnernetz.geo import gazetteer
from partnernetz.registry.limits import ParseLimits, scan_yaml
from partnernetz.registry.models import Partner
from partnernetz.registry.parse import parse_yaml
from partnernetz.registry.sandbox import parse_yaml_isolated

CATEGORIES = ["schule", "kita", "jugendhilfe", "verwaltung", "beratung", "einrichtung", "ehrenamt"]
POSTCODES = {"Bad Driburg": "33014", "Beverungen": "37688", "Borgentreich": "34434",
             "Brakel": "33034", "Höxter": "37671", "Marienmünster": "37696", "Nieheim": "33039",
             "Steinheim": "32839", "Warburg": "34414", "Willebadessen": "34439"}


def make_registry(n: int, *, seed: int = 7) -> str:
    """YAML text of a synthetic registry with ``n`` partners."""
    rng = random.Random(seed)
    towns = gazetteer.load_towns("05762")
    centres = {row.name: (row.lat, row.lon) for row in towns.itertuples()}
    lines = ["region:", "  name: Kreis Höxter", '  kreis: "05762"', "partners:"]
    names = list(POSTCODES)
    for i in range(n):
        town = rng.choice(names)
        lines += [
            f"  - id: partner-{i:05d}",
            f"    name: Einrichtung Nummer {i}",
            f"    category: {rng.choice(CATEGORIES)}",
            "    subtype: Beispiel",
            "    operator: Träger e. V.",
            f"    town: {town}",
            "    address:",
            f"      street: Hauptstraße {i % 200 + 1}",
            f'      postcode: "{POSTCODES[town]}"',
            f"    languages: [de, {rng.choice(['ar', 'tr', 'uk', 'ru', 'pl'])}]",
            "    stages: [schule, uebergang]",
            "    target_groups: [jugendliche, eltern]",
            "    offers: [Sprachförderung, Beratung]",
            f'    phone: "05271 {1000 + i}"',
            f"    email: partner{i}@example.org",
            f"    website: https://example.org/p/{i}",
            f"    verified: 2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        ]
        if i % 5 == 0:
            lat, lon = centres[town]
            lines.append(f"    location: {{lat: {lat + rng.uniform(-0.002, 0.002):.5f}, "
                         f"lon: {lon + rng.uniform(-0.002, 0.002):.5f}}}")
        if i % 7 == 0:
            lines.append("    serves: [Brakel, Nieheim]")
    return "\n".join(lines) + "\n"


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--tiny"]
    n = int(args[0]) if args else 50 if "--tiny" in sys.argv else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "partners.yaml"
        path.write_text(make_registry(n), encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        print(f"registry: {n} partners, {size_mb:.1f} MB YAML")

        def naive() -> None:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for item in data["partners"]:
                Partner.model_validate(item)

        naive_s = timed(naive, 1)
        print(f"naive yaml.safe_load + per-record validation: {naive_s[0]:.2f} s")

        gazetteer.load_gazetteer()  # module import + first file read, not part of the pipeline
        cold = timed(lambda: load_dataset(path, cache_dir="off"), 3)
        cache_dir = Path(tmp) / "cache"
        load_dataset(path, cache_dir=cache_dir)
        warm = timed(lambda: load_dataset(path, cache_dir=cache_dir), 5)
        print(f"cold pipeline (load, validate, geocode, join): min {min(cold):.2f} s, "
              f"median {statistics.median(cold):.2f} s   (target <= 3 s)")
        print(f"warm pipeline (content-hash cache hit):        min {min(warm):.3f} s, "
              f"median {statistics.median(warm):.3f} s   (target <= 1 s)")
        isolated = timed(lambda: load_dataset(path, cache_dir="off", isolated=True), 3)
        print(f"cold pipeline, YAML parsed in a limited child (app): min {min(isolated):.2f} s, "
              f"median {statistics.median(isolated):.2f} s")
        text = path.read_text(encoding="utf-8")
        scan = timed(lambda: scan_yaml(text, ParseLimits()), 3)
        in_process = timed(lambda: parse_yaml(text, file="p.yaml"), 3)
        child = timed(lambda: parse_yaml_isolated(text, file="p.yaml"), 3)
        print(f"limit scan (depth, aliases) {min(scan):.2f} s; parse incl. scan in-process "
              f"{min(in_process):.2f} s, in a child process {min(child):.2f} s")
        frame = load_dataset(path, cache_dir=cache_dir).partners
        print("precision counts:", frame["precision"].value_counts().to_dict())


if __name__ == "__main__":
    main()
