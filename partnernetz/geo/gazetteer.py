"""NRW municipalities: boundaries, centre points, areas, Kreis and population.

The gazetteer file ``data/geo/nrw_gemeinden.geojson`` is built by
``scripts/build_gazetteer.py``; the population file ``data/geo/population_zensus2022.csv``
is a plain CSV users extend for their own Kreis. See ``data/geo/README.md``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from partnernetz.errors import GazetteerError
from partnernetz.geo.townnames import official_spelling, resolve_town, suggest_town
from partnernetz.text import fold_text

__all__ = [
    "ATTRIBUTION",
    "DEFAULT_GAZETTEER_PATH",
    "DEFAULT_POPULATION_PATH",
    "POPULATION_ATTRIBUTION",
    "TOWN_COLUMNS",
    "list_kreise",
    "load_gazetteer",
    "load_population",
    "load_towns",
    "locate_points",
    "official_spelling",
    "resolve_town",
    "suggest_town",
]

ATTRIBUTION = "© GeoBasis-DE / BKG (2016), dl-de/by-2-0, Daten verändert"
POPULATION_ATTRIBUTION = (
    "Einwohnerzahlen: Zensus 2022, Statistische Ämter des Bundes und der Länder, dl-de/by-2-0"
)
CENTRE_ATTRIBUTION = "Ortsmittelpunkte: GeoNames (geonames.org), CC BY 4.0"

_GEO_DIR = Path(__file__).resolve().parents[2] / "data" / "geo"
DEFAULT_GAZETTEER_PATH = _GEO_DIR / "nrw_gemeinden.geojson"
DEFAULT_POPULATION_PATH = _GEO_DIR / "population_zensus2022.csv"

ALL_NRW = "nrw"
TOWN_COLUMNS = [
    "ags",
    "name",
    "type",
    "kreis",
    "kreis_name",
    "population",
    "area_km2",
    "lat",
    "lon",
    "centre_source",
    "geometry",
]
_GAZETTEER_COLUMNS = [c for c in TOWN_COLUMNS if c != "population"]
_STRING_COLUMNS = ["ags", "name", "type", "kreis", "kreis_name", "centre_source"]
_FLOAT_COLUMNS = ["area_km2", "lat", "lon"]

_CACHE_SIZE = 4
_gazetteer_cache: dict[tuple[str, int, int], gpd.GeoDataFrame] = {}


def _file_key(path: Path) -> tuple[str, int, int]:
    """Cache key of a file: resolved path, mtime and size; GazetteerError if it is missing."""
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        msg = (
            f"Gemeindedatei {path} nicht gefunden. Sie wird mit "
            "'python scripts/build_gazetteer.py' erzeugt."
        )
        raise GazetteerError(msg) from exc
    except OSError as exc:
        msg = f"Gemeindedatei {path} nicht lesbar: {exc}"
        raise GazetteerError(msg) from exc
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def _read_gazetteer(path: Path) -> gpd.GeoDataFrame:
    """Parse and check the gazetteer GeoJSON (no caching)."""
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several types for broken files
        msg = f"Gemeindedatei {path} ist kein lesbares GeoJSON: {exc}"
        raise GazetteerError(msg) from exc
    missing = [c for c in _GAZETTEER_COLUMNS if c not in frame.columns]
    if missing:
        msg = f"Gemeindedatei {path}: Spalten fehlen: {', '.join(missing)}."
        raise GazetteerError(msg)
    frame = frame[_GAZETTEER_COLUMNS]
    for column in _STRING_COLUMNS:
        frame[column] = frame[column].astype("str")
    for column in _FLOAT_COLUMNS:
        frame[column] = frame[column].astype("float64")
    bad = frame.loc[~frame["ags"].str.fullmatch(r"\d{8}"), "ags"]
    if len(bad):
        msg = f"Gemeindedatei {path}: ungültiger Gemeindeschlüssel '{bad.iloc[0]}'."
        raise GazetteerError(msg)
    if frame["ags"].duplicated().any():
        dup = frame.loc[frame["ags"].duplicated(), "ags"].iloc[0]
        msg = f"Gemeindedatei {path}: Gemeindeschlüssel '{dup}' kommt mehrfach vor."
        raise GazetteerError(msg)
    if frame.crs is None or not frame.crs.equals("EPSG:4326"):
        frame = frame.set_crs(4326, allow_override=True)
    frame = frame.sort_values("ags", ignore_index=True)
    shapely.prepare(np.asarray(frame.geometry.values))  # before the frame is shared
    return frame


def load_gazetteer(*, path: Path | str = DEFAULT_GAZETTEER_PATH) -> gpd.GeoDataFrame:
    """Load every municipality of the gazetteer.

    Parameters
    ----------
    path : Path or str, optional
        The gazetteer GeoJSON.

    Returns
    -------
    gpd.GeoDataFrame
        One row per municipality, sorted by ``ags``, EPSG:4326, columns ``ags, name, type,
        kreis, kreis_name, area_km2, lat, lon, centre_source, geometry``. A fresh copy: the
        parsed file is cached per (path, mtime, size).

    Raises
    ------
    GazetteerError
        The file is missing, unreadable or lacks columns.
    """
    path = Path(path)
    key = _file_key(path)
    frame = _gazetteer_cache.get(key)
    if frame is None:
        frame = _read_gazetteer(path)
        # pop(…, None): tolerant of another thread (Streamlit) evicting the same entry
        for old in [k for k in list(_gazetteer_cache) if k[0] == key[0]]:
            _gazetteer_cache.pop(old, None)
        for old in list(_gazetteer_cache)[: max(0, len(_gazetteer_cache) - _CACHE_SIZE + 1)]:
            _gazetteer_cache.pop(old, None)
        _gazetteer_cache[key] = frame
    return frame.copy()


def _parse_population_row(row: list[str], header: dict[str, int]) -> tuple[str, int] | str:
    """One CSV row → ``(ags, population)``, or a German reason why it is unusable."""
    if len(row) < len(header):
        return f"{len(row)} statt {len(header)} Spalten"
    ags = row[header["ags"]].strip()
    value = row[header["population"]].strip()
    if re.fullmatch(r"\d{7}", ags):  # a spreadsheet dropped the leading zero
        ags = "0" + ags
    if not re.fullmatch(r"\d{8}", ags):
        return f"Gemeindeschlüssel '{ags}' ist nicht achtstellig"
    if not re.fullmatch(r"\d+", value):
        return f"Einwohnerzahl '{value}' ist keine ganze Zahl ohne Trennzeichen"
    return ags, int(value)


def load_population(*, path: Path | str = DEFAULT_POPULATION_PATH) -> pd.DataFrame:
    """Load the population table.

    Parameters
    ----------
    path : Path or str, optional
        CSV with the columns ``ags`` and ``population`` (``name`` and others are ignored),
        comma- or semicolon-separated, UTF-8 (a BOM is fine).

    Returns
    -------
    pd.DataFrame
        ``ags`` (str, 8 digits with leading zeros) and ``population`` (Int64).

    Raises
    ------
    GazetteerError
        The file is missing, lacks a column, or a row is unusable (message names file and line).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        msg = f"Einwohnerdatei {path} nicht gefunden."
        raise GazetteerError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = f"Einwohnerdatei {path} ist nicht UTF-8-kodiert (Byte {exc.start})."
        raise GazetteerError(msg) from exc
    except OSError as exc:
        msg = f"Einwohnerdatei {path} nicht lesbar: {exc}"
        raise GazetteerError(msg) from exc
    lines = text.splitlines()
    first = lines[0] if lines else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header_row = next(reader, [])
    header = {name.strip().lower(): i for i, name in enumerate(header_row)}
    missing = [c for c in ("ags", "population") if c not in header]
    if missing:
        msg = (
            f"Einwohnerdatei {path}, Zeile 1: Spalte(n) {', '.join(missing)} fehlen "
            "(erwartet: ags,name,population)."
        )
        raise GazetteerError(msg)
    seen: dict[str, int] = {}
    records: list[tuple[str, int]] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        parsed = _parse_population_row(row, header)
        if isinstance(parsed, str):
            msg = f"Einwohnerdatei {path}, Zeile {line}: {parsed}."
            raise GazetteerError(msg)
        if parsed[0] in seen:
            msg = (
                f"Einwohnerdatei {path}, Zeile {line}: Gemeindeschlüssel '{parsed[0]}' "
                f"steht schon in Zeile {seen[parsed[0]]}."
            )
            raise GazetteerError(msg)
        seen[parsed[0]] = line
        records.append(parsed)
    return pd.DataFrame(
        {
            "ags": pd.Series([r[0] for r in records], dtype="str"),
            "population": pd.Series([r[1] for r in records], dtype="Int64"),
        }
    )


def _sort_by_name(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Sort by name, umlauts next to their base letter ("Ölde" before "Paderborn")."""
    order = sorted(range(len(frame)), key=lambda i: (fold_text(frame["name"].iat[i]), i))
    return frame.iloc[order].reset_index(drop=True)


def load_towns(
    kreis: str,
    *,
    gazetteer_path: Path | str = DEFAULT_GAZETTEER_PATH,
    population_path: Path | str | None = DEFAULT_POPULATION_PATH,
) -> gpd.GeoDataFrame:
    """Load the towns of one Kreis, with population.

    Parameters
    ----------
    kreis : str
        Kreis key (5 digits, e.g. ``"05762"``), or ``"nrw"`` for every town.
    gazetteer_path : Path or str, optional
        The gazetteer GeoJSON.
    population_path : Path or str or None, optional
        The population CSV; ``None`` leaves every population ``<NA>``.

    Returns
    -------
    gpd.GeoDataFrame
        The towns table of ``docs/architecture.md`` (columns in that order), sorted by name.

    Raises
    ------
    GazetteerError
        Unknown Kreis key, or a data file is missing or broken.
    """
    key = str(kreis).strip()
    if re.fullmatch(r"\d{4}", key):  # a spreadsheet dropped the leading zero
        key = "0" + key
    towns = load_gazetteer(path=gazetteer_path)
    if key.casefold() != ALL_NRW:
        selected = towns["kreis"] == key
        if not selected.any():
            msg = (
                f"Unbekannter Kreisschlüssel '{kreis}'. Erwartet wird ein fünfstelliger "
                "Kreisschlüssel eines Kreises oder einer kreisfreien Stadt in NRW "
                "(z. B. '05762' für den Kreis Höxter) oder 'nrw'."
            )
            raise GazetteerError(msg)
        towns = towns[selected]
    if population_path is None:
        population = pd.Series(pd.NA, index=towns.index, dtype="Int64")
    else:
        table = load_population(path=population_path)
        lookup = pd.Series(table["population"].array, index=table["ags"].array)
        population = towns["ags"].map(lookup).astype("Int64")
    towns = towns.assign(population=population)[TOWN_COLUMNS]
    return _sort_by_name(towns)


def list_kreise(*, path: Path | str = DEFAULT_GAZETTEER_PATH) -> pd.DataFrame:
    """The Kreise and kreisfreie Städte of the gazetteer at ``path``.

    One row each, sorted by ``kreis`` (5 digits), with ``kreis_name`` and ``towns``
    (the number of municipalities).
    """
    towns = load_gazetteer(path=path)
    grouped = towns.groupby(["kreis", "kreis_name"], sort=True).size()
    return grouped.rename("towns").reset_index()


def locate_points(lat: object, lon: object, towns: gpd.GeoDataFrame) -> np.ndarray:
    """Find the town polygon each point lies in.

    Parameters
    ----------
    lat, lon : array-like of float
        Coordinates in EPSG:4326, same length (NaN allowed).
    towns : gpd.GeoDataFrame
        Towns with ``ags`` and polygon ``geometry`` in EPSG:4326.

    Returns
    -------
    numpy.ndarray
        Object array with the AGS per point, ``None`` outside every polygon or for NaN.
        A point on a shared border gets the town first in ``towns``.
    """
    lat_arr = np.asarray(lat, dtype="float64").ravel()
    lon_arr = np.asarray(lon, dtype="float64").ravel()
    if lat_arr.shape != lon_arr.shape:
        msg = f"lat and lon differ in length ({lat_arr.size} vs {lon_arr.size})"
        raise ValueError(msg)
    result = np.full(lat_arr.size, None, dtype=object)
    if lat_arr.size == 0 or len(towns) == 0:
        return result
    geoms = np.asarray(towns.geometry.values)
    shapely.prepare(geoms)  # no-op for the gazetteer's own (already prepared) polygons
    bounds = shapely.bounds(geoms)
    ags = np.asarray(towns["ags"], dtype=object)
    unassigned = np.ones(lat_arr.size, dtype=bool)
    # One vectorised, prepared point-in-polygon test per town on the points in its bounding
    # box: a few milliseconds for 20,000 points (an STRtree over the points is slower here).
    for i, geom in enumerate(geoms):
        xmin, ymin, xmax, ymax = bounds[i]
        in_box = (
            unassigned
            & (lon_arr >= xmin)
            & (lon_arr <= xmax)
            & (lat_arr >= ymin)
            & (lat_arr <= ymax)
        )
        candidates = np.flatnonzero(in_box)
        if candidates.size == 0:
            continue
        hits = candidates[shapely.intersects_xy(geom, lon_arr[candidates], lat_arr[candidates])]
        result[hits] = ags[i]
        unassigned[hits] = False
    return result
