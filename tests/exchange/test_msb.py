"""Official school data (Schuldaten NRW): the reference file, re-import, retirement list."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from pyproj import Transformer

from partnernetz.exchange import importer
from partnernetz.exchange.msb import SCHULFORMEN, school_entry
from tests.conftest import REFERENCE, run_cli

MSB = REFERENCE / "schuldaten_hx_hsk_msb_2022.csv"
ITNRW = REFERENCE / "schulen_hx_hsk_itnrw_2024_25.csv"
needs_reference = pytest.mark.skipif(not MSB.exists(), reason="../shared/reference not present")

REGIONS = {"05762": "Kreis Höxter", "05958": "Hochsauerlandkreis"}


TOWNS = {"05762": "Brakel", "05958": "Arnsberg"}


def _empty_registry(folder: Path, kreis: str = "05762") -> Path:
    """A registry with one partner that is no school (the writer edits block lists only)."""
    path = folder / f"registry-{kreis}.yaml"
    path.write_text(f'region:\n  name: {REGIONS[kreis]}\n  kreis: "{kreis}"\npartners:\n'
                    f"  - id: ki-{kreis}\n    name: Kommunales Integrationszentrum\n"
                    f"    category: verwaltung\n    town: {TOWNS[kreis]}\n", encoding="utf-8")
    return path
AUTHOR = "redaktion@example.org"


def _import_msb(source: Path, registry: Path) -> importer.PreparedImport:
    table = importer.read_table(source.read_bytes(), name=source.name)
    prepared = importer.prepare_import(table, registry, source_format="msb")
    importer.commit_import(prepared, author=AUTHOR)
    return prepared


def _partners(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["partners"] or []


def test_school_entry_maps_codes_stage_and_coordinates() -> None:
    record = {"Schulnummer": "100026", "Schulform": "30", "Schulbezeichnung_1": "Berufskolleg X",
              "Schulbezeichnung_2": "", "Schulbezeichnung_3": "", "PLZ": "33014",
              "Strasse": "Jahnstr. 12", "Telefonvorwahl": "05253", "Telefon": "3894",
              "E-Mail": "100026@schule.nrw.de", "Homepage": "http://www.example.org",
              "Gemeindeschluessel": "05762004", "EPSG": "EPSG:25832", "UTMRechtswert": "501047",
              "UTMHochwert": "5731508"}
    entry, reasons = school_entry(record, town="Bad Driburg")
    assert reasons == []
    assert entry["subtype"] == "Berufskolleg" and entry["stages"] == ["uebergang"]
    assert entry["identifiers"] == {"schulnummer": "100026"}
    assert entry["phone"] == "05253 3894"
    assert entry["location"] == pytest.approx({"lat": 51.7346, "lon": 9.0147}, abs=1e-3)
    entry, _ = school_entry({**record, "Schulform": "0A"}, town="Bad Driburg")
    assert entry["subtype"] == "0A" and entry["stages"] == ["schule"]
    assert SCHULFORMEN["02"] == "Grundschule"


@needs_reference
def test_reference_file_all_159_schools_valid_in_the_right_town_and_place(tmp_path: Path) -> None:
    import csv

    from partnernetz.dataset import load_dataset

    rows = list(csv.DictReader(MSB.open(encoding="utf-8"), delimiter=";"))
    to_wgs = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)
    official = {r["Schulnummer"]: (r["Gemeindeschluessel"], *to_wgs.transform(
        float(r["UTMRechtswert"]), float(r["UTMHochwert"]))) for r in rows}
    imported = 0
    distances = []
    for kreis in REGIONS:
        registry = _empty_registry(tmp_path, kreis)
        _import_msb(MSB, registry)
        assert run_cli("validate", str(registry)).returncode == 0
        dataset = load_dataset(registry)
        assert dataset.report.warnings == ()
        frame = dataset.partners[dataset.partners["category"] == "schule"]
        imported += len(frame)
        for ids, ags, lat, lon in zip(frame["identifiers"], frame["ags"], frame["lat"],
                                      frame["lon"], strict=True):
            town, off_lon, off_lat = official[ids["schulnummer"]]
            assert ags == town  # the point lies in the school's own town
            dy = (lat - off_lat) * 111_320
            dx = (lon - off_lon) * 111_320 * np.cos(np.radians(lat))
            distances.append(float(np.hypot(dx, dy)))
    assert imported == len(rows) == 159
    assert float(np.median(distances)) < 10.0


@needs_reference
def test_msb_then_itnrw_gives_no_new_school_and_no_false_merge(tmp_path: Path) -> None:
    registry = _empty_registry(tmp_path)
    _import_msb(MSB, registry)
    before = {p["identifiers"]["schulnummer"]: p["id"] for p in _partners(registry)
              if "identifiers" in p}
    mapping = tmp_path / "itnrw.yaml"
    mapping.write_text("defaults: {category: schule}\n", encoding="utf-8")
    for policy in ("skip", "merge"):
        table = importer.read_table(ITNRW.read_bytes(), name=ITNRW.name)
        from partnernetz.exchange.mapping import read_mapping

        prepared = importer.prepare_import(table, registry, mapping=read_mapping(mapping),
                                           policy=policy)
        plan = prepared.plan
        shared = [o for o in plan.outcomes if o.status != "rejected"]  # rejected: other Kreis
        assert len(shared) == 50
        assert plan.count("imported") == 0
        assert {o.status for o in shared} <= {"duplicate", "merged", "unchanged"}
        numbers = {r[table.headers.index("Schulnummer")] for r in table.rows}
        for row, match in plan.matches:
            school = table.rows[table.row_numbers.index(row)][table.headers.index("Schulnummer")]
            assert before.get(school) == match.other  # the same school, never another one
        assert all(o.reason for o in plan.rejected)
        assert numbers


@needs_reference
def test_reimport_updates_by_schulnummer_keeps_coordinator_fields_lists_retirements(
        tmp_path: Path) -> None:
    registry = _empty_registry(tmp_path)
    _import_msb(MSB, registry)
    partners = _partners(registry)
    school = next(p for p in partners if p.get("identifiers", {}).get("schulnummer") == "100026")
    school.update({"languages": ["ar", "uk"], "offers": ["Elterncafé"],
                   "contacts": [{"name": "A. Muster", "visibility": "internal"}]})
    text = yaml.safe_dump({"region": {"name": "Kreis Höxter", "kreis": "05762"},
                           "partners": partners}, allow_unicode=True, sort_keys=False)
    registry.write_text(text, encoding="utf-8")

    lines = MSB.read_text(encoding="utf-8").splitlines()
    changed = []
    for line in lines:
        if line.startswith('"100026"'):
            line = line.replace('"3894"', '"3895"')
        if line.startswith('"100076"'):
            continue  # gone from the file
        if line.startswith('"127814"'):
            line = line.replace(';"1";"01.08', ';"2";"01.08')  # closed
        changed.append(line)
    newer = tmp_path / "schuldaten_neu.csv"
    newer.write_text("sep=;\n" + "\n".join(changed) + "\n", encoding="utf-8")

    prepared = _import_msb(newer, registry)
    plan = prepared.plan
    assert plan.count("updated") == 1 and plan.count("imported") == 0
    after = {p["identifiers"]["schulnummer"]: p for p in _partners(registry) if "identifiers" in p}
    assert after["100026"]["phone"] == "05253 3895"
    assert after["100026"]["languages"] == ["ar", "uk"]
    assert after["100026"]["offers"] == ["Elterncafé"]
    assert after["100026"]["contacts"][0]["name"] == "A. Muster"
    retire = dict(plan.retire)
    assert "nicht mehr in den Schuldaten" in retire[after["100076"]["id"]]
    assert "nicht mehr in Betrieb" in retire[after["127814"]["id"]]
    assert len(after) == 52  # nothing deleted

    result = run_cli("import", str(newer), "--into", str(registry), "--format", "msb")
    assert result.returncode == 0
    assert "Nichts zu tun" in result.stdout
    assert "Zur Stilllegung vorgeschlagen" in result.stdout


def test_schulnummer_on_card_and_in_locate(write_registry) -> None:
    import csv
    import io
    import json

    from partnernetz.dataset import load_dataset
    from partnernetz.registry.vocabulary import default_categories
    from partnernetz.views.cards import render_contact_card

    registry = write_registry("""
        - id: gs-iburg
          name: Schule unter der Iburg
          category: schule
          town: Bad Driburg
          identifiers: {schulnummer: "100026"}
        """)
    row = load_dataset(registry).partners.iloc[0]
    html = render_contact_card(row.to_dict(), default_categories())
    assert 'class="pn-card__schulnummer"' in html and "100026" in html
    rows = list(csv.DictReader(io.StringIO(run_cli("locate", str(registry)).stdout)))
    assert rows[0]["schulnummer"] == "100026"
    data = json.loads(run_cli("locate", str(registry), "--format", "geojson").stdout)
    assert data["features"][0]["properties"]["schulnummer"] == "100026"
    assert "Schuldaten NRW" in load_dataset(registry).attribution
