"""Benchmark: how close offline placement gets to the official school coordinates.

Reads the Ministry for Schools' list of the 159 schools of Kreis Höxter and the
Hochsauerlandkreis (``../shared/reference/schuldaten_hx_hsk_msb_2022.csv``,
official coordinates in EPSG:25832), imports every school WITHOUT coordinates
(name, town, street, postcode), runs the offline chain and prints the error:
median, 90th percentile and the share placed in the right town. For
comparison it prints the same figures for "every school at its town centre".
Targets (issue #7): median ≤ 1.0 km, p90 ≤ 6 km, 100 % in the right town.
Prints a notice and exits 0 when the reference data is not there. Asserts nothing.

    .venv/bin/python bench/bench_placement.py   (already small: ``--tiny`` changes nothing)
"""

from __future__ import annotations

import csv
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import yaml
from pyproj import Transformer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from partnernetz.dataset import load_dataset  # noqa: E402

MSB = ROOT.parent / "shared" / "reference" / "schuldaten_hx_hsk_msb_2022.csv"
REGIONS = (("05762", "Kreis Höxter"), ("05958", "Hochsauerlandkreis"))
TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)


def read_schools(path: Path) -> list[dict[str, str]]:
    """The MSB rows (semicolon-separated, every field quoted, trailing ';')."""
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def registry_of(rows: list[dict[str, str]], kreis: str, name: str) -> dict:
    """A registry of one Kreis' schools, placed only by town, street and postcode."""
    partners = [
        {"id": f"schule-{r['Schulnummer']}", "name": r["Schulbezeichnung_1"], "category": "schule",
         "town": r["Ort"], "address": {"street": r["Strasse"], "postcode": r["PLZ"]}}
        for r in rows if r["Gemeindeschluessel"].startswith(kreis)
    ]
    return {"region": {"name": name, "kreis": kreis}, "partners": partners}


def measure(rows: list[dict[str, str]], tmp: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                             Counter]:
    """Errors in metres of the chain and of the bare town centre, right-town flags, precisions."""
    by_id = {f"schule-{r['Schulnummer']}": r for r in rows}
    chain, centre, right = [], [], []
    precisions: Counter = Counter()
    for kreis, name in REGIONS:
        path = tmp / f"schulen-{kreis}.yaml"
        path.write_text(yaml.safe_dump(registry_of(rows, kreis, name), allow_unicode=True),
                        encoding="utf-8")
        dataset = load_dataset(path, cache_dir="off")
        centres = dataset.towns.set_index("ags")[["lat", "lon"]]
        for row in dataset.partners.itertuples():
            official = by_id[row.id]
            truth = np.array([float(official["UTMRechtswert"]), float(official["UTMHochwert"])])
            chain.append(np.hypot(*(np.array(TO_UTM.transform(row.lon, row.lat)) - truth)))
            c = centres.loc[row.town_ags]
            centre.append(np.hypot(*(np.array(TO_UTM.transform(c["lon"], c["lat"])) - truth)))
            right.append(row.ags == official["Gemeindeschluessel"])
            precisions[row.precision] += 1
    return np.array(chain), np.array(centre), np.array(right), precisions


def main() -> int:
    if not MSB.exists():
        print(f"Referenzdaten fehlen ({MSB}); nichts zu messen.")
        return 0
    rows = read_schools(MSB)
    with tempfile.TemporaryDirectory() as tmp:
        chain, centre, right, precisions = measure(rows, Path(tmp))
    print(f"placement of {len(chain)} schools (MSB 2022, official coordinates), imported "
          "without coordinates")
    print("  precision labels: " + ", ".join(f"{k} {v}" for k, v in sorted(precisions.items())))
    for label, errors in (("offline chain", chain), ("town centre only", centre)):
        print(f"  {label:17s} median {np.median(errors) / 1000:5.2f} km   "
              f"p90 {np.quantile(errors, 0.9) / 1000:5.2f} km   max {errors.max() / 1000:5.2f} km")
    print(f"  in the right town: {right.mean() * 100:.1f} % ({right.sum()} of {len(right)})")
    print("  targets: median <= 1.0 km, p90 <= 6 km, 100 % in the right town")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
