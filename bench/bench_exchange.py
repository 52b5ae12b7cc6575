"""Benchmark: import with duplicate detection, and every export, at scale.

Generates a synthetic registry for Kreis Höxter with 20,000 partners and a
5,000-row CSV (a fifth of it near-duplicates of registry partners, some
duplicates within the file), then prints figures; it asserts nothing.
Target: the import plan (read, map, check, duplicates) in ≤ 5 s. The write
(one ``apply_changes`` with every new partner, validated, plus the history
commit) is timed apart; the exports run on the registry before the import.

    .venv/bin/python bench/bench_exchange.py [N_PARTNERS] [N_ROWS]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from partnernetz.dataset import load_dataset
from partnernetz.exchange import gis, hsds, importer

TOWNS = {"Bad Driburg": "33014", "Beverungen": "37688", "Borgentreich": "34434",
         "Brakel": "33034", "Höxter": "37671", "Marienmünster": "37696", "Nieheim": "33039",
         "Steinheim": "32839", "Warburg": "34414", "Willebadessen": "34439"}
KINDS = [("kita", "Kita"), ("kita", "Familienzentrum"), ("schule", "Grundschule"),
         ("beratung", "Beratungsstelle"), ("jugendhilfe", "Jugendzentrum"), ("ehrenamt", "Verein"),
         ("einrichtung", "Einrichtung"), ("verwaltung", "Verwaltung")]
SYLLABLES = ["son", "nen", "re", "gen", "bo", "mar", "ien", "lin", "de", "ber", "ga", "tal",
             "wald", "feld", "au", "horn", "stein", "bach", "ro", "sa", "ki", "tu", "el", "mo"]
STREETS = ["Haupt", "Bahnhof", "Kirch", "Schul", "Markt", "Garten", "Linden", "Berg", "Mühlen"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def make_partner(rng: random.Random, i: int) -> dict:
    category, kind = rng.choice(KINDS)
    town = rng.choice(list(TOWNS))
    return {"id": f"p-{i:05d}", "name": f"{kind} {word(rng)} {word(rng)}", "category": category,
            "town": town, "street": f"{rng.choice(STREETS)}straße {rng.randint(1, 120)}",
            "postcode": TOWNS[town], "phone": f"05271 {rng.randint(10000, 99999)}",
            "email": f"info{i}@example.org", "kind": kind}


def write_registry(path: Path, partners: list[dict]) -> None:
    lines = ["region:", "  name: Kreis Höxter", '  kreis: "05762"', "partners:"]
    for p in partners:
        lines += [f"  - id: {p['id']}", f"    name: {p['name']}", f"    category: {p['category']}",
                  f"    town: {p['town']}", "    address:", f"      street: {p['street']}",
                  f'      postcode: "{p["postcode"]}"', f'    phone: "{p["phone"]}"',
                  f"    email: {p['email']}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_source(path: Path, rng: random.Random, partners: list[dict], n: int) -> None:
    rows = ["Einrichtung;Art;Straße;PLZ;Ort;Telefon;E-Mail"]
    for i in range(n):
        if i % 5 == 0:  # a partner of the registry, written differently
            p = dict(rng.choice(partners))
            p["street"] = p["street"].replace("straße", "str.")
            p["email"] = ""
        elif i % 25 == 1 and i > 1:  # a row repeated within the file
            rows.append(rows[-1])
            continue
        else:
            p = make_partner(rng, 100_000 + i)
            p["email"] = f"neu{i}@example.org"
        rows.append(";".join([p["name"], p["kind"], p["street"], p["postcode"], p["town"],
                              p["phone"], p["email"]]))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<58} {time.perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--tiny"]
    tiny = "--tiny" in sys.argv  # tests/test_benches.py
    n_partners = int(args[0]) if args else 100 if tiny else 20_000
    n_rows = int(args[1]) if len(args) > 1 else 30 if tiny else 5_000
    rng = random.Random(13)
    partners = [make_partner(rng, i) for i in range(n_partners)]
    with tempfile.TemporaryDirectory() as tmp:
        registry, source = Path(tmp) / "partners.yaml", Path(tmp) / "liste.csv"
        write_registry(registry, partners)
        write_source(source, rng, partners, n_rows)
        cache = Path(tmp) / "cache"
        dataset = timed(f"load registry ({n_partners:,} partners, cold)",
                        lambda: load_dataset(registry, cache_dir=cache))
        dataset = timed("load registry (warm cache)", lambda: load_dataset(registry, cache_dir=cache))
        table = timed(f"read CSV ({n_rows:,} rows)",
                      lambda: importer.read_table(source.read_bytes(), name=source.name))
        prepared = timed("import plan: map, check, duplicates (target ≤ 5 s)",
                         lambda: importer.prepare_import(table, registry, dataset=dataset))
        plan = prepared.plan
        print(f"  {plan.summary()}")
        print(f"  duplicate pairs listed: {len(plan.matches):,}; changes: {len(plan.changes):,}")
        timed("write: one apply_changes + history entry",
              lambda: importer.commit_import(prepared, author="bench@example.org"))
        timed("export GeoJSON", lambda: gis.partners_geojson(dataset))
        timed("export GeoPackage (3 layers + style)", lambda: gis.geopackage_bytes(dataset))
        timed("export HSDS JSON", lambda: hsds.hsds_json_bytes(dataset))
        timed("export HSDS tabular datapackage (ZIP)", lambda: hsds.hsds_datapackage_zip(dataset))


if __name__ == "__main__":
    main()
