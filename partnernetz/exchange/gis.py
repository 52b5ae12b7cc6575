"""Exports for GIS: GeoJSON (RFC 7946) and a GeoPackage that QGIS opens coloured.

The GeoPackage is in EPSG:25832 with three layers:

``partner``
    points with every public field (lists joined with ", ");
``gemeinden``
    town polygons with population and, per category, the reachable count,
    the figure per 10,000 inhabitants and the traffic light;
``abdeckung``
    the long coverage table (one row per town × category, no geometry).

A QGIS style (``layer_styles``, the table QGIS itself writes) colours the
partners by the app's category colours and is the layer's default.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from partnernetz.analysis.matrix import compute_coverage, coverage_table, score_towns
from partnernetz.dataset import Dataset
from partnernetz.errors import ExportError
from partnernetz.exchange.export import plain_cell
from partnernetz.exchange.selection import Selection, select_partners
from partnernetz.files import write_bytes_atomically
from partnernetz.filters import FilterSpec
from partnernetz.registry.vocabulary import CategoryInfo

METRIC_CRS = "EPSG:25832"
COORD_DECIMALS = 6  # about 0.1 m: RFC 7946 §11.2
LIST_COLUMNS = ("serves", "stages", "target_groups", "languages", "offers")
PARTNER_FIELDS = (
    "id", "name", "category", "category_label", "subtype", "operator", "description", "town",
    "ags", "street", "postcode", "district", "serves", "stages", "target_groups", "languages",
    "offers", "phone", "email", "website", "opening_hours", "accessible", "status", "verified",
    "precision", "lat", "lon",
)
STYLE_NAME = "Partnernetz Kategorien"


# --------------------------------------------------------------------------- records


def _value(value: Any) -> Any:
    value = plain_cell(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    return value


def partner_properties(selection: Selection) -> list[dict[str, Any]]:
    """One dict of public fields per partner (lists stay lists; dates ISO)."""
    frame = selection.partners
    categories = selection.dataset.categories
    out = []
    for row in frame.to_dict("records"):
        props = {key: _value(row.get(key)) for key in PARTNER_FIELDS if key != "category_label"}
        info = categories.get(row["category"])
        props["category_label"] = info.label_de if info else row["category"]
        props["identifiers"] = dict(row.get("identifiers") or {})
        props["contacts"] = [
            {k: v for k, v in contact.items() if v is not None} for contact in row.get("contacts") or ()
        ]
        out.append(props)
    return out


# --------------------------------------------------------------------------- GeoJSON


def partners_geojson(dataset: Dataset, *, spec: FilterSpec | None = None,
                     role: object = "public") -> bytes:
    """The partners as an RFC 7946 FeatureCollection (EPSG:4326, lon/lat, 6 decimals)."""
    selection = select_partners(dataset, spec=spec, role=role)
    features = []
    for props in partner_properties(selection):
        lon, lat = round(props["lon"], COORD_DECIMALS), round(props["lat"], COORD_DECIMALS)
        features.append({"type": "Feature", "id": props["id"],
                         "geometry": {"type": "Point", "coordinates": [lon, lat]},
                         "properties": props})
    return _feature_collection(features, selection)


def towns_geojson(dataset: Dataset, *, spec: FilterSpec | None = None,
                  role: object = "public") -> bytes:
    """The towns with population and coverage per category, RFC 7946 winding."""
    selection = select_partners(dataset, spec=spec, role=role)
    towns = towns_layer(selection).to_crs("EPSG:4326")
    geometry = shapely.set_precision(towns.geometry.to_numpy(), 10**-COORD_DECIMALS)
    geometry = shapely.orient_polygons(geometry, exterior_cw=False)  # RFC 7946 §3.1.6
    features = []
    for row, geom in zip(towns.drop(columns="geometry").to_dict("records"), geometry, strict=True):
        features.append({"type": "Feature", "id": row["ags"],
                         "geometry": shapely.geometry.mapping(geom),
                         "properties": {k: _value(v) for k, v in row.items()}})
    return _feature_collection(features, selection)


def _feature_collection(features: list[dict[str, Any]], selection: Selection) -> bytes:
    collection = {
        "type": "FeatureCollection",
        "name": f"partnernetz-{selection.dataset.region.kreis}",
        "partnernetz": {"region": selection.dataset.region.name, "content": selection.note,
                        "attribution": selection.dataset.attribution},
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")


# --------------------------------------------------------------------------- layers


def partners_layer(selection: Selection) -> gpd.GeoDataFrame:
    """The ``partner`` layer: flat columns, EPSG:25832."""
    rows = []
    for props in partner_properties(selection):
        flat = {k: (", ".join(props[k]) if k in LIST_COLUMNS else props[k])
                for k in PARTNER_FIELDS}
        for key, value in props["identifiers"].items():
            flat[f"kennung_{key}"] = value
        flat["contacts"] = "; ".join(
            " / ".join(str(c[k]) for k in ("name", "role", "phone", "email") if c.get(k))
            for c in props["contacts"])
        rows.append(flat)
    frame = pd.DataFrame(rows, columns=[*PARTNER_FIELDS, "contacts"] if not rows else None)
    if "verified" in frame:
        frame["verified"] = pd.to_datetime(frame["verified"], errors="coerce").dt.date
    geometry = gpd.points_from_xy(frame["lon"].astype(float), frame["lat"].astype(float),
                                  crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326").to_crs(METRIC_CRS)


def coverage_of(selection: Selection) -> pd.DataFrame:
    """The coverage matrix of the selected partners over all towns of the region."""
    dataset = selection.dataset
    return compute_coverage(selection.partners, dataset.towns, categories=dataset.categories,
                            targets=dataset.targets)


def towns_layer(selection: Selection, matrix: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """The ``gemeinden`` layer: polygons, population, coverage per category, score."""
    matrix = coverage_of(selection) if matrix is None else matrix
    towns = selection.dataset.towns
    out = pd.DataFrame({"ags": towns["ags"].to_numpy(dtype=object),
                        "name": towns["name"].to_numpy(dtype=object),
                        "population": towns["population"].astype("Int64").to_numpy(),
                        "area_km2": towns["area_km2"].astype(float).round(2).to_numpy()})
    for key in dict.fromkeys(matrix["category"]):
        part = matrix[matrix["category"] == key].set_index("ags").reindex(out["ags"])
        out[f"{key}_reachable"] = part["reachable"].to_numpy()
        out[f"{key}_per_10k"] = part["per_10k"].astype(float).round(2).to_numpy()
        out[f"{key}_status"] = part["status"].to_numpy(dtype=object)
    scores = score_towns(matrix).set_index("ags").reindex(out["ags"])
    out["score"] = scores["score"].astype(float).round(3).to_numpy()
    return gpd.GeoDataFrame(out, geometry=towns.geometry.to_numpy(), crs=towns.crs).to_crs(METRIC_CRS)


# --------------------------------------------------------------------------- GeoPackage


def write_geopackage(dataset: Dataset, path: str | Path, *, spec: FilterSpec | None = None,
                     role: object = "public") -> Path:
    """Write the three-layer GeoPackage with its QGIS style (atomically)."""
    data = geopackage_bytes(dataset, spec=spec, role=role)
    write_bytes_atomically(path, data)
    return Path(path)


def geopackage_bytes(dataset: Dataset, *, spec: FilterSpec | None = None,
                     role: object = "public") -> bytes:
    """The GeoPackage as bytes (for the app's download and the CLI)."""
    import tempfile

    import pyogrio

    selection = select_partners(dataset, spec=spec, role=role)
    matrix = coverage_of(selection)
    with tempfile.TemporaryDirectory(prefix="partnernetz-gpkg-") as tmp:
        target = Path(tmp) / "export.gpkg"
        description = f"{dataset.region.name}: {selection.note}. {dataset.attribution}"
        try:
            pyogrio.write_dataframe(partners_layer(selection), target, layer="partner",
                                    driver="GPKG", layer_options={"DESCRIPTION": description})
            pyogrio.write_dataframe(towns_layer(selection, matrix), target, layer="gemeinden",
                                    driver="GPKG", append=False,
                                    layer_options={"DESCRIPTION": description})
            table = coverage_table(matrix)
            table["population"] = table["population"].astype("Int64")
            pyogrio.write_dataframe(table, target, layer="abdeckung", driver="GPKG",
                                    layer_options={"DESCRIPTION": description})
            write_layer_styles(target, dataset.categories)
        except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
                sqlite3.Error) as exc:
            raise ExportError(f"GeoPackage kann nicht geschrieben werden: {exc}") from None
        return target.read_bytes()


def write_layer_styles(path: Path, categories: Mapping[str, CategoryInfo]) -> None:
    """Add QGIS's ``layer_styles`` table with the category style of ``partner`` as default."""
    qml = category_qml(categories)
    sld = category_sld(categories)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), "
            "f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, "
            "useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
            "update_time DATETIME DEFAULT CURRENT_TIMESTAMP)"
        )
        db.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, "
            "ui, update_time) VALUES ('', '', 'partner', 'geom', ?, ?, ?, 1, ?, '', NULL, ?)",
            (STYLE_NAME, qml, sld, "Partner nach Kategorie, Farben wie in der App", now),
        )
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
            "last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', "
            "'QGIS-Stile', ?)", (now,))


def _rgba(colour: str) -> str:
    colour = colour.lstrip("#")
    return ",".join(str(int(colour[i:i + 2], 16)) for i in (0, 2, 4)) + ",255"


def category_qml(categories: Mapping[str, CategoryInfo]) -> str:
    """A QGIS QML style: categorised by ``category``, one coloured circle per category."""
    cats, symbols = [], []
    for i, info in enumerate(categories.values()):
        label = html.escape(info.label_de, quote=True)
        cats.append(f'<category symbol="{i}" value="{html.escape(info.key, quote=True)}" '
                    f'label="{label}" render="true"/>')
        symbols.append(
            f'<symbol type="marker" name="{i}" alpha="1" clip_to_extent="1" force_rhr="0">'
            '<layer class="SimpleMarker" enabled="1" locked="0" pass="0"><Option type="Map">'
            f'<Option name="color" type="QString" value="{_rgba(info.colour)}"/>'
            '<Option name="name" type="QString" value="circle"/>'
            '<Option name="outline_color" type="QString" value="255,255,255,255"/>'
            '<Option name="outline_width" type="QString" value="0.4"/>'
            '<Option name="size" type="QString" value="3.2"/>'
            "</Option></layer></symbol>")
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
            '<qgis version="3.34.0" styleCategories="Symbology">'
            '<renderer-v2 type="categorizedSymbol" attr="category" forceraster="0" '
            'symbollevels="0" enableorderby="0">'
            f"<categories>{''.join(cats)}</categories><symbols>{''.join(symbols)}</symbols>"
            "</renderer-v2></qgis>")


def category_sld(categories: Mapping[str, CategoryInfo]) -> str:
    """The same style as OGC SLD 1.1 (for other GIS)."""
    rules = []
    for info in categories.values():
        key = html.escape(info.key, quote=True)
        rules.append(
            f"<se:Rule><se:Name>{key}</se:Name><se:Description><se:Title>"
            f"{html.escape(info.label_de)}</se:Title></se:Description>"
            "<ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>category</ogc:PropertyName>"
            f"<ogc:Literal>{key}</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>"
            "<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName>"
            f'<se:Fill><se:SvgParameter name="fill">{info.colour}</se:SvgParameter></se:Fill>'
            '<se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter></se:Stroke>'
            "</se:Mark><se:Size>11</se:Size></se:Graphic></se:PointSymbolizer></se:Rule>")
    return ('<?xml version="1.0" encoding="UTF-8"?><StyledLayerDescriptor version="1.1.0" '
            'xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" '
            'xmlns:se="http://www.opengis.net/se"><NamedLayer><se:Name>partner</se:Name>'
            f"<UserStyle><se:FeatureTypeStyle>{''.join(rules)}</se:FeatureTypeStyle>"
            "</UserStyle></NamedLayer></StyledLayerDescriptor>")
