"""The command line: exit codes, output formats, and never a traceback."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
- id: kita-a
  name: Kita A
  category: kita
  town: Brakel
  location: {lat: 51.7170, lon: 9.1850}
- id: beratung-b
  name: Beratung B
  category: beratung
  town: Höxter
"""


def test_validate_exits_0_when_valid(write_registry):
    result = run_cli("validate", str(write_registry(GOOD)))
    assert result.returncode == 0, result.stderr
    assert "gültig (0 Fehler, 0 Warnungen)" in result.stdout


def test_validate_exits_0_with_warnings_only(write_registry):
    text = GOOD.replace("lon: 9.1850}", "lon: 9.1850}").replace(
        "{lat: 51.7170, lon: 9.1850}", "{lat: 51.7757, lon: 9.3816}")
    result = run_cli("validate", str(write_registry(text)))
    assert result.returncode == 0
    assert "Warnung" in result.stdout and "1 Warnungen" in result.stdout


def test_validate_warns_about_a_misspelt_town_with_line_and_official_name(write_registry):
    path = write_registry(GOOD.replace("town: Höxter", "town: Hoxter"))
    result = run_cli("validate", str(path))
    assert result.returncode == 0
    assert (f"{path}:13: Warnung: partners[1].town: Ort 'Hoxter' als 'Höxter' erkannt – bitte "
            "amtliche Schreibweise verwenden") in result.stdout


def test_validate_exits_1_when_invalid(write_registry):
    path = write_registry(GOOD.replace("town: Höxter", "town: Hxter"))
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    assert f"{path}:13: partners[1].town: unbekannter Ort 'Hxter' – meinten Sie Höxter?" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_exits_2_when_file_missing(tmp_path):
    result = run_cli("validate", str(tmp_path / "missing.yaml"))
    assert result.returncode == 2
    assert "nicht gefunden" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_arguments_exit_2_without_traceback():
    result = run_cli("locate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_locate_writes_csv_with_contract_columns(write_registry):
    result = run_cli("locate", str(write_registry(GOOD)))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[:8] == ["id", "name", "category", "town", "ags", "lat", "lon", "precision"]
    by_id = {row["id"]: row for row in rows}
    assert by_id["kita-a"]["precision"] == "exact"
    assert by_id["kita-a"]["ags"] == "05762016"
    assert by_id["beratung-b"]["town"] == "Höxter"
    assert by_id["beratung-b"]["precision"] == "town"
    assert by_id["beratung-b"]["ags"] == "05762020"


def test_locate_writes_geojson(write_registry):
    result = run_cli("locate", str(write_registry(GOOD)), "--format", "geojson")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["type"] == "FeatureCollection"
    feature = data["features"][0]
    assert feature["geometry"]["coordinates"] == [9.185, 51.717]
    assert feature["properties"]["precision"] == "exact"


def test_locate_exits_1_for_invalid_registry(write_registry):
    result = run_cli("locate", str(write_registry(GOOD.replace("category: kita", "category: x"))))
    assert result.returncode == 1
    assert "unbekannte Kategorie" in result.stderr


@pytest.mark.parametrize(("key", "count"), [("05762", 10), ("05958", 12), ("nrw", 396), ("05711", 1)])
def test_towns_lists_gazetteer(key, count):
    result = run_cli("towns", key)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == count
    assert list(rows[0])[:9] == ["ags", "name", "type", "kreis", "kreis_name", "population",
                                 "area_km2", "lat", "lon"]


def test_towns_population_empty_where_unknown():
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(run_cli("towns", "nrw").stdout))}
    assert rows["Höxter"]["population"] == "28012"
    assert rows["Eslohe (Sauerland)"]["population"] == "8782"
    assert rows["Bielefeld"]["population"] == ""


def test_towns_unknown_key_exits_2():
    result = run_cli("towns", "99999")
    assert result.returncode == 2
    assert "99999" in result.stderr
    assert "Traceback" not in result.stderr
