"""GIS exports: the GeoPackage with its three layers and QGIS style, GeoJSON per RFC 7946."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from partnernetz.dataset import load_dataset
from partnernetz.exchange import gis
from partnernetz.filters import FilterSpec
from tests.conftest import DEMO_HX, run_cli


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(DEMO_HX, cache_dir="off")


def test_geopackage_opens_with_three_layers_crs_counts_and_style(dataset, tmp_path: Path) -> None:
    import pyogrio

    path = tmp_path / "partner.gpkg"
    result = run_cli("export", str(DEMO_HX), "--format", "gpkg", "-o", str(path))
    assert result.returncode == 0, result.stderr
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert {"partner", "gemeinden", "abdeckung", "layer_styles"} <= layers
    partner = pyogrio.read_info(path, layer="partner")
    assert partner["crs"] == "EPSG:25832" and partner["geometry_type"] == "Point"
    assert partner["features"] == len(dataset.partners)
    towns = pyogrio.read_dataframe(path, layer="gemeinden")
    assert towns.crs.to_epsg() == 25832 and len(towns) == len(dataset.towns)
    assert {"population", "kita_reachable", "kita_per_10k", "kita_status", "score"} <= set(towns)
    coverage = pyogrio.read_dataframe(path, layer="abdeckung")
    assert len(coverage) == len(dataset.towns) * len(dataset.categories)
    with sqlite3.connect(path) as db:
        styles = db.execute("SELECT f_table_name, f_geometry_column, useAsDefault, styleQML "
                            "FROM layer_styles").fetchall()
        geometry_column = db.execute("SELECT column_name FROM gpkg_geometry_columns "
                                     "WHERE table_name = 'partner'").fetchone()[0]
    assert len(styles) == 1
    table, column, default, qml = styles[0]
    assert (table, column, default) == ("partner", geometry_column, 1)
    assert 'type="categorizedSymbol" attr="category"' in qml
    kita = dataset.categories["kita"].colour.lstrip("#")
    rgb = ",".join(str(int(kita[i:i + 2], 16)) for i in (0, 2, 4))
    assert f'value="{rgb},255"' in qml


def test_geopackage_follows_the_filters(dataset, tmp_path: Path) -> None:
    import pyogrio

    path = tmp_path / "kitas.gpkg"
    result = run_cli("export", str(DEMO_HX), "--format", "gpkg", "-o", str(path),
                     "--category", "kita", "--town", "Brakel")
    assert result.returncode == 0, result.stderr
    frame = pyogrio.read_dataframe(path, layer="partner")
    expected = ((dataset.partners["category"] == "kita") & (dataset.partners["ags"] == "05762016"))
    assert len(frame) == int(expected.sum()) > 0
    assert set(frame["category"]) == {"kita"}


def test_geojson_rfc7946_coordinates_winding_and_content_note(dataset) -> None:
    import shapely

    data = json.loads(gis.partners_geojson(dataset))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert len(data["features"]) == len(dataset.partners)
    assert data["partnernetz"]["content"].startswith("Öffentliche Daten")
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 6.0 < lon < 10.0 and 50.0 < lat < 53.0  # lon first, WGS84
        assert round(lon, 6) == lon and round(lat, 6) == lat
    towns = json.loads(gis.towns_geojson(dataset))
    assert len(towns["features"]) == len(dataset.towns)
    assert {"population", "kita_per_10k", "kita_status"} <= set(towns["features"][0]["properties"])
    for feature in towns["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        polygons = getattr(geom, "geoms", [geom])
        for polygon in polygons:
            assert polygon.exterior.is_ccw  # RFC 7946: exterior rings counterclockwise
            assert all(not ring.is_ccw for ring in polygon.interiors)
        ring = feature["geometry"]["coordinates"][0]
        first = ring[0][0] if isinstance(ring[0][0], list) else ring[0]
        assert all(len(f"{c:.10f}".rstrip("0").split(".")[1]) <= 6 for c in first)


def test_geojson_export_filtered_by_search(dataset, tmp_path: Path) -> None:
    path = tmp_path / "p.geojson"
    result = run_cli("export", str(DEMO_HX), "--format", "geojson", "-o", str(path),
                     "--search", "beratung")
    assert result.returncode == 0, result.stderr
    names = [f["properties"]["name"] for f in json.loads(path.read_text())["features"]]
    assert names and len(names) < len(dataset.partners)
    spec = FilterSpec(query="beratung")
    assert len(names) == len(gis.select_partners(dataset, spec=spec).partners)


def test_export_never_leaks_internal_contacts(write_registry, tmp_path: Path) -> None:
    registry = write_registry("""
        - id: kita-a
          name: Kita A
          category: kita
          town: Brakel
          notes: vertraulich
          contacts:
            - {name: Geheim Person, visibility: internal}
            - {name: Offen Person, visibility: public}
        """)
    for fmt in ("geojson", "gpkg", "hsds-json", "hsds-csv"):
        path = tmp_path / f"out.{fmt}"
        assert run_cli("export", str(registry), "--format", fmt, "-o", str(path)).returncode == 0
        data = path.read_bytes()
        if fmt == "hsds-csv":
            import zipfile

            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(n) for n in archive.namelist())
        elif fmt == "gpkg":
            import pyogrio

            frame = pyogrio.read_dataframe(path, layer="partner")
            data = frame.to_json().encode()
        assert b"Geheim" not in data and b"vertraulich" not in data
        assert b"Offen Person" in data


def test_export_holds_internal_contacts_only_for_roles_that_see_them(write_registry) -> None:
    registry = write_registry("""
        - id: kita-a
          name: Kita A
          category: kita
          town: Brakel
          notes: vertraulich
          contacts:
            - {name: Geheim Person, visibility: internal}
        """)
    dataset = load_dataset(registry)
    public = json.loads(gis.partners_geojson(dataset, role="public"))
    member = json.loads(gis.partners_geojson(dataset, role="mitglied"))
    admin = gis.partners_geojson(dataset, role="admin")
    assert public["features"][0]["properties"]["contacts"] == []
    assert public["partnernetz"]["content"].startswith("Öffentliche Daten")
    assert member["features"][0]["properties"]["contacts"][0]["name"] == "Geheim Person"
    assert member["partnernetz"]["content"].startswith("Intern")
    assert b"vertraulich" not in admin  # notes are never exported
