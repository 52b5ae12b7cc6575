"""Coverage analytics on a small hand-written region with exactly known results.

Four square towns of 10 km × 10 km, built in EPSG:25832 around 51.7° N 9.2° E::

    y 5740 km +----------------+----------------+
              |    Nieheim     | Marienmünster  |
              |  pop 6,000     |  pop unknown   |
    y 5730 km +----------------+----------------+
              |    Höxter      |    Brakel      |
              |  pop 30,000    |  pop 16,000    |
    y 5720 km +----------------+----------------+
           x 510 km         520 km           530 km

Partner points and town centres are given in metres (EPSG:25832) and stored
as lat/lon, like the real frames. Expected distances are worked out by hand
from the metre coordinates below (Pythagoras), independently of the code.
"""

from __future__ import annotations

import datetime as dt
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod, Transformer
from shapely.geometry import Point, box

from partnernetz.analysis.attributes import (
    compute_kim_coverage,
    compute_language_coverage,
    compute_stage_coverage,
    compute_target_group_coverage,
)
from partnernetz.analysis.distance import compute_nearest
from partnernetz.analysis.freshness import compute_freshness, months_before, share_verified
from partnernetz.analysis.headline import compute_headline
from partnernetz.analysis.matrix import (
    classify_status,
    compute_coverage,
    coverage_table,
    pivot_coverage,
    pivot_long,
    required_count,
    score_towns,
)
from partnernetz.analysis.phrases import describe_white_spots, format_km
from partnernetz.analysis.reach import build_reach
from partnernetz.analysis.summary import analyse_coverage, summarise_towns
from partnernetz.registry.models import Target
from partnernetz.registry.vocabulary import KIM_OFFER

TO_WGS84 = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)

BRAKEL, HOEXTER, MARIENMUENSTER, NIEHEIM = "05762016", "05762020", "05762024", "05762028"
BEVERUNGEN = "05762008"  # not part of the test region
ALL = (BRAKEL, HOEXTER, MARIENMUENSTER, NIEHEIM)

# name, ags, square origin (m), centre (m), population
TOWNS = [
    ("Brakel", BRAKEL, (520_000, 5_720_000), (525_000, 5_725_000), 16_000),
    ("Höxter", HOEXTER, (510_000, 5_720_000), (516_000, 5_724_000), 30_000),
    ("Marienmünster", MARIENMUENSTER, (520_000, 5_730_000), (525_000, 5_735_000), None),
    ("Nieheim", NIEHEIM, (510_000, 5_730_000), (515_000, 5_735_000), 6_000),
]
CENTRES = {ags: centre for _, ags, _, centre, _ in TOWNS}

# id, category, town, ags (point in polygon), x, y, status, serves, extras
PARTNERS = [
    dict(id="schule-hx", category="schule", town="Höxter", ags=HOEXTER, xy=(514_000, 5_724_000),
         stages=("schule",), target_groups=("kinder", "jugendliche"), languages=("de", "en"),
         verified=dt.date(2025, 1, 10)),
    dict(id="schule-br", category="schule", town="Brakel", ags=BRAKEL, xy=(526_000, 5_726_000),
         stages=("schule", "uebergang"), target_groups=("jugendliche",), languages=("de", "tr"),
         verified=dt.date(2023, 5, 1)),
    dict(id="beratung-hx", category="beratung", town="Höxter", ags=HOEXTER,
         xy=(517_000, 5_722_000), serves=(HOEXTER, BRAKEL), stages=("erwachsene",),
         target_groups=("neuzugewanderte", "erwachsene"), languages=("ar", "de"),
         offers=("Sprachcafé", KIM_OFFER), verified=dt.date(2024, 12, 1)),
    dict(id="kita-all", category="kita", town="Nieheim", ags=NIEHEIM, xy=(513_000, 5_736_000),
         serves=ALL, serves_all=True, stages=("elementar", "fruehe_foerderung"),
         target_groups=("kinder", "eltern"), languages=("de", "uk"), verified=None),
    dict(id="kita-br-geplant", category="kita", town="Brakel", ags=BRAKEL,
         xy=(524_000, 5_727_000), status="planned", languages=("ru",),
         verified=dt.date(2025, 3, 1)),
    dict(id="beratung-mm-geplant", category="beratung", town="Marienmünster",
         ags=MARIENMUENSTER, xy=(522_000, 5_738_000), status="planned", languages=("ru",),
         offers=(" kim case management",), verified=dt.date(2025, 2, 2)),
    dict(id="jugend-hx-inaktiv", category="jugendhilfe", town="Höxter", ags=HOEXTER,
         xy=(515_500, 5_725_500), status="inactive", stages=("ausserschulisch",),
         languages=("ru",), verified=dt.date(2024, 6, 29)),
    dict(id="kita-hx", category="kita", town="Höxter", ags=HOEXTER, xy=(515_000, 5_726_000),
         stages=("elementar",), target_groups=("kinder",), languages=("ar", "fa"),
         verified=dt.date(2024, 6, 30)),
    # active, outside every town of the region (its point lies in Beverungen)
    dict(id="beratung-bev", category="beratung", town="Beverungen", ags=None,
         town_ags=BEVERUNGEN, xy=(535_000, 5_725_000), serves=(BEVERUNGEN,),
         languages=("so",), verified=dt.date(2025, 5, 5)),
]

CATEGORIES = ["schule", "kita", "beratung", "jugendhilfe"]
TARGETS = {"kita": Target(min_reachable=1, per_10k=1.0), "schule": Target()}
TODAY = dt.date(2025, 6, 30)


def to_latlon(x: float, y: float) -> tuple[float, float]:
    lon, lat = TO_WGS84.transform(x, y)
    return lat, lon


def make_towns() -> gpd.GeoDataFrame:
    """The four towns, as ``gazetteer.load_towns`` would return them."""
    rows = []
    for name, ags, (x0, y0), (cx, cy), pop in TOWNS:
        lat, lon = to_latlon(cx, cy)
        rows.append(
            {
                "ags": ags, "name": name, "type": "Stadt", "kreis": "05762",
                "kreis_name": "Höxter", "population": pop, "area_km2": 100.0,
                "lat": lat, "lon": lon, "centre_source": "geonames",
                "geometry": box(x0, y0, x0 + 10_000, y0 + 10_000),
            }
        )
    towns = gpd.GeoDataFrame(rows, crs="EPSG:25832").to_crs("EPSG:4326")
    towns["population"] = towns["population"].astype("Int64")
    return towns.sort_values("name").reset_index(drop=True)


PARTNER_COLUMNS = [
    "id", "name", "category", "subtype", "operator", "description", "town", "town_ags", "ags",
    "street", "postcode", "district", "serves", "serves_all", "stages", "target_groups",
    "languages", "offers", "phone", "email", "website", "opening_hours", "contacts",
    "accessible", "status", "verified", "lat", "lon", "precision", "geometry",
]


def make_partners(records: list[dict] | None = None) -> gpd.GeoDataFrame:
    """The partners frame, with the contract's columns."""
    rows = []
    for rec in records if records is not None else PARTNERS:
        lat, lon = to_latlon(*rec["xy"])
        town_ags = rec.get("town_ags", rec["ags"])
        rows.append(
            {
                "id": rec["id"], "name": f"Partner {rec['id']}", "category": rec["category"],
                "subtype": None, "operator": None, "description": None,
                "town": rec["town"], "town_ags": town_ags, "ags": rec["ags"],
                "street": None, "postcode": None, "district": None,
                "serves": rec.get("serves", (town_ags,)),
                "serves_all": rec.get("serves_all", False),
                "stages": rec.get("stages", ()), "target_groups": rec.get("target_groups", ()),
                "languages": rec.get("languages", ()), "offers": rec.get("offers", ()),
                "phone": None, "email": None, "website": None, "opening_hours": None,
                "contacts": (), "accessible": "unknown",
                "status": rec.get("status", "active"), "verified": rec.get("verified"),
                "lat": lat, "lon": lon, "precision": "exact", "geometry": Point(lon, lat),
            }
        )
    frame = pd.DataFrame(rows, columns=PARTNER_COLUMNS)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def xy_of(partner_id: str) -> tuple[float, float]:
    return next(p["xy"] for p in PARTNERS if p["id"] == partner_id)


@pytest.fixture
def towns() -> gpd.GeoDataFrame:
    return make_towns()


@pytest.fixture
def partners() -> gpd.GeoDataFrame:
    return make_partners()


@pytest.fixture
def matrix(partners, towns) -> pd.DataFrame:
    return compute_coverage(partners, towns, categories=CATEGORIES, targets=TARGETS)


def cell(matrix: pd.DataFrame, town: str, category: str) -> pd.Series:
    rows = matrix[(matrix["town"] == town) & (matrix["category"] == category)]
    assert len(rows) == 1
    return rows.iloc[0]


# --------------------------------------------------------------------------- fixture sanity


def test_fixture_points_lie_in_their_declared_polygons(partners, towns):
    joined = gpd.sjoin(partners, towns[["ags", "geometry"]], how="left", predicate="within")
    assert list(joined["ags_right"].fillna("-")) == [
        p["ags"] if p["ags"] else "-" for p in PARTNERS
    ]


# --------------------------------------------------------------------------- the matrix


def test_matrix_has_one_row_per_town_and_category_in_order(matrix):
    assert list(matrix["town"]) == [t for t in ("Brakel", "Höxter", "Marienmünster", "Nieheim")
                                    for _ in CATEGORIES]
    assert list(matrix["category"]) == CATEGORIES * 4
    for column in ("ags", "town", "category", "located", "reachable", "per_10k", "status",
                   "nearest_km"):
        assert column in matrix.columns


def test_matrix_counts_located_reachable_planned_inactive_exactly(matrix):
    wide = {
        col: pivot_coverage(matrix, value=col).to_dict(orient="index")
        for col in ("located", "reachable", "planned", "inactive", "required", "status")
    }
    expected = {
        #                 schule             kita               beratung           jugendhilfe
        "located": {
            "Brakel":        {"schule": 1, "kita": 0, "beratung": 0, "jugendhilfe": 0},
            "Höxter":        {"schule": 1, "kita": 1, "beratung": 1, "jugendhilfe": 0},
            "Marienmünster": {"schule": 0, "kita": 0, "beratung": 0, "jugendhilfe": 0},
            "Nieheim":       {"schule": 0, "kita": 1, "beratung": 0, "jugendhilfe": 0},
        },
        "reachable": {
            "Brakel":        {"schule": 1, "kita": 1, "beratung": 1, "jugendhilfe": 0},
            "Höxter":        {"schule": 1, "kita": 2, "beratung": 1, "jugendhilfe": 0},
            "Marienmünster": {"schule": 0, "kita": 1, "beratung": 0, "jugendhilfe": 0},
            "Nieheim":       {"schule": 0, "kita": 1, "beratung": 0, "jugendhilfe": 0},
        },
        "planned": {
            "Brakel":        {"schule": 0, "kita": 1, "beratung": 0, "jugendhilfe": 0},
            "Höxter":        {"schule": 0, "kita": 0, "beratung": 0, "jugendhilfe": 0},
            "Marienmünster": {"schule": 0, "kita": 0, "beratung": 1, "jugendhilfe": 0},
            "Nieheim":       {"schule": 0, "kita": 0, "beratung": 0, "jugendhilfe": 0},
        },
        "inactive": {
            "Brakel":        {"schule": 0, "kita": 0, "beratung": 0, "jugendhilfe": 0},
            "Höxter":        {"schule": 0, "kita": 0, "beratung": 0, "jugendhilfe": 1},
            "Marienmünster": {"schule": 0, "kita": 0, "beratung": 0, "jugendhilfe": 0},
            "Nieheim":       {"schule": 0, "kita": 0, "beratung": 0, "jugendhilfe": 0},
        },
        # kita: max(1, ceil(1.0 per 10k * population)); unknown population: 1
        "required": {
            "Brakel":        {"schule": 1, "kita": 2, "beratung": 1, "jugendhilfe": 1},
            "Höxter":        {"schule": 1, "kita": 3, "beratung": 1, "jugendhilfe": 1},
            "Marienmünster": {"schule": 1, "kita": 1, "beratung": 1, "jugendhilfe": 1},
            "Nieheim":       {"schule": 1, "kita": 1, "beratung": 1, "jugendhilfe": 1},
        },
        "status": {
            "Brakel":        {"schule": "green", "kita": "yellow", "beratung": "green",
                              "jugendhilfe": "red"},
            "Höxter":        {"schule": "green", "kita": "yellow", "beratung": "green",
                              "jugendhilfe": "red"},
            "Marienmünster": {"schule": "red", "kita": "green", "beratung": "red",
                              "jugendhilfe": "red"},
            "Nieheim":       {"schule": "red", "kita": "green", "beratung": "red",
                              "jugendhilfe": "red"},
        },
    }
    assert wide == expected


def test_matrix_serves_all_reaches_every_town_without_being_located(matrix):
    kita = matrix[matrix["category"] == "kita"].set_index("town")
    # kita-all lies in Nieheim and serves all: reachable everywhere, located only in Nieheim
    assert (kita["reachable"] >= 1).all()
    assert kita.loc["Marienmünster", "located"] == 0
    assert kita.loc["Nieheim", "located"] == 1


def test_matrix_serves_all_flag_counts_even_when_serves_is_not_expanded(towns):
    records = [dict(PARTNERS[3], serves=(NIEHEIM,))]  # serves_all=True, tuple not expanded
    matrix = compute_coverage(make_partners(records), towns, categories=["kita"])
    assert list(matrix["reachable"]) == [1, 1, 1, 1]


def test_matrix_per_10k_uses_population_and_is_nan_when_unknown(matrix):
    per_10k = pivot_coverage(matrix, value="per_10k")
    assert per_10k.loc["Brakel", "schule"] == pytest.approx(1 / 16_000 * 10_000)
    assert per_10k.loc["Höxter", "kita"] == pytest.approx(2 / 30_000 * 10_000)
    assert per_10k.loc["Nieheim", "kita"] == pytest.approx(1 / 6_000 * 10_000)
    assert per_10k.loc["Nieheim", "schule"] == 0.0
    assert per_10k.loc["Marienmünster"].isna().all()


def test_matrix_planned_and_inactive_partners_never_count_as_reachable(towns):
    records = [p for p in PARTNERS if p.get("status") in ("planned", "inactive")]
    matrix = compute_coverage(make_partners(records), towns, categories=CATEGORIES)
    assert matrix["reachable"].sum() == 0
    assert matrix["located"].sum() == 0
    assert matrix["nearest_km"].isna().all()
    assert set(matrix["status"]) == {"red"}
    assert matrix["planned"].sum() == 2
    assert matrix["inactive"].sum() == 1


def test_required_count_combines_minimum_and_ratio():
    assert required_count(Target(), 50_000) == 1
    assert required_count(Target(min_reachable=3), None) == 3
    assert required_count(Target(min_reachable=1, per_10k=2.0), 5_000) == 1
    assert required_count(Target(min_reachable=1, per_10k=2.0), 5_001) == 2
    assert required_count(Target(min_reachable=4, per_10k=2.0), 10_000) == 4
    assert required_count(Target(min_reachable=1, per_10k=0.3), 100_000) == 3
    assert required_count(Target(min_reachable=2, per_10k=5.0), float("nan")) == 2


def test_classify_status_is_red_only_when_nothing_is_reachable():
    assert classify_status(0, 1) == "red"
    assert classify_status(1, 3) == "yellow"
    assert classify_status(3, 3) == "green"
    assert classify_status(0, 0) == "green"


def test_matrix_status_is_green_when_target_is_zero_and_nothing_reachable(partners, towns):
    matrix = compute_coverage(
        partners, towns, categories=["jugendhilfe"],
        targets={"jugendhilfe": Target(min_reachable=0)},
    )
    assert set(matrix["status"]) == {"green"}


def test_matrix_default_categories_include_custom_ones_used_by_partners(towns):
    records = [dict(PARTNERS[0], id="dolmetsch", category="dolmetscher")]
    matrix = compute_coverage(make_partners(records), towns)
    assert list(dict.fromkeys(matrix["category"]))[-1] == "dolmetscher"
    assert len(set(matrix["category"])) == 8


def test_matrix_handles_empty_partners(towns):
    empty = make_partners([])
    matrix = compute_coverage(empty, towns, categories=CATEGORIES)
    assert len(matrix) == 16
    assert set(matrix["status"]) == {"red"}
    assert matrix["nearest_km"].isna().all()


# --------------------------------------------------------------------------- distances


@pytest.mark.parametrize(
    ("town", "category", "partner_id", "nearest_town"),
    [
        ("Brakel", "schule", "schule-br", "Brakel"),
        ("Brakel", "kita", "kita-hx", "Höxter"),
        ("Brakel", "beratung", "beratung-hx", "Höxter"),
        ("Höxter", "schule", "schule-hx", "Höxter"),
        ("Höxter", "kita", "kita-hx", "Höxter"),
        ("Marienmünster", "schule", "schule-br", "Brakel"),
        ("Marienmünster", "kita", "kita-all", "Nieheim"),
        ("Marienmünster", "beratung", "beratung-bev", "Beverungen"),
        ("Nieheim", "schule", "schule-hx", "Höxter"),
        ("Nieheim", "beratung", "beratung-hx", "Höxter"),
    ],
)
def test_nearest_km_matches_hand_computed_distance_within_100_m(
    matrix, town, category, partner_id, nearest_town
):
    ags = next(a for name, a, *_ in TOWNS if name == town)
    expected_km = metres(CENTRES[ags], xy_of(partner_id)) / 1000
    row = cell(matrix, town, category)
    assert row["nearest_id"] == partner_id
    assert row["nearest_town"] == nearest_town
    assert abs(row["nearest_km"] - expected_km) < 0.1


def test_nearest_km_agrees_with_geodesic_distance(matrix, towns):
    geod = Geod(ellps="GRS80")
    centre = towns.set_index("name").loc["Marienmünster"]
    lat, lon = to_latlon(*xy_of("beratung-bev"))
    _, _, geodesic_m = geod.inv(centre["lon"], centre["lat"], lon, lat)
    assert abs(cell(matrix, "Marienmünster", "beratung")["nearest_km"] - geodesic_m / 1000) < 0.1


def test_nearest_km_is_nan_and_town_empty_when_category_has_no_active_partner(matrix):
    jugend = matrix[matrix["category"] == "jugendhilfe"]
    assert jugend["nearest_km"].isna().all()
    assert jugend["nearest_town"].isna().all()


def test_compute_nearest_matches_matrix_columns(partners, towns, matrix):
    nearest = compute_nearest(partners, towns, categories=CATEGORIES)
    assert list(nearest["category"]) == list(matrix["category"])
    np.testing.assert_allclose(nearest["nearest_km"], matrix["nearest_km"])
    assert list(nearest["nearest_town"].fillna("")) == list(matrix["nearest_town"].fillna(""))


# --------------------------------------------------------------------------- attributes


def test_stage_coverage_lists_covered_and_missing_stages(partners, towns):
    stages = compute_stage_coverage(partners, towns)
    covered = stages[stages["covered"]].groupby("town")["stage"].agg(set).to_dict()
    assert covered == {
        "Brakel": {"fruehe_foerderung", "elementar", "schule", "uebergang", "erwachsene"},
        "Höxter": {"fruehe_foerderung", "elementar", "schule", "erwachsene"},
        "Marienmünster": {"fruehe_foerderung", "elementar"},
        "Nieheim": {"fruehe_foerderung", "elementar"},
    }
    # the inactive partner's "ausserschulisch" does not count anywhere
    assert not stages.loc[stages["stage"] == "ausserschulisch", "covered"].any()
    assert len(stages) == 4 * 6
    hx_elementar = stages[(stages["town"] == "Höxter") & (stages["stage"] == "elementar")]
    assert hx_elementar["partners"].item() == 2


def test_language_coverage_only_counts_active_partners_within_reach(partners, towns):
    languages = compute_language_coverage(partners, towns)
    covered = languages[languages["covered"]].groupby("town")["language"].agg(set).to_dict()
    assert covered == {
        "Brakel": {"ar", "de", "tr", "uk"},
        "Höxter": {"ar", "de", "en", "fa", "uk"},
        "Marienmünster": {"de", "uk"},
        "Nieheim": {"de", "uk"},
    }
    assert "ru" not in set(languages["language"])  # only planned/inactive partners speak it
    assert "so" in set(languages["language"])  # offered, but by nobody within reach
    assert languages.loc[languages["language"] == "ar", "label_de"].iloc[0] == "Arabisch"


def test_target_group_coverage_marks_fachkraefte_missing_everywhere(partners, towns):
    groups = compute_target_group_coverage(partners, towns)
    wide = pivot_long(groups, column="target_group", value="covered")
    assert not wide["fachkraefte"].any()
    assert wide.loc["Brakel"].sum() == 5
    assert wide.loc["Nieheim"][lambda s: s].index.tolist() == ["kinder", "eltern"]


def test_kim_coverage_is_present_where_reachable_and_planned_apart(partners, towns):
    kim = compute_kim_coverage(partners, towns).set_index("town")
    assert kim["present"].to_dict() == {
        "Brakel": True, "Höxter": True, "Marienmünster": False, "Nieheim": False,
    }
    assert kim["located"].to_dict() == {
        "Brakel": 0, "Höxter": 1, "Marienmünster": 0, "Nieheim": 0,
    }
    assert kim.loc["Marienmünster", "planned"] == 1  # " kim case management" matches
    expected = metres(CENTRES[NIEHEIM], xy_of("beratung-hx")) / 1000
    assert abs(kim.loc["Nieheim", "nearest_km"] - expected) < 0.1
    assert kim.loc["Nieheim", "nearest_town"] == "Höxter"


# --------------------------------------------------------------------------- freshness


def test_freshness_counts_entries_verified_within_12_months_per_town(partners, towns):
    fresh = compute_freshness(partners, towns, today=TODAY).set_index("town")
    assert fresh["entries"].to_dict() == {
        "Brakel": 2, "Höxter": 4, "Marienmünster": 1, "Nieheim": 1,
    }
    # 2024-06-30 is exactly 12 months before 2025-06-30 and counts; 2024-06-29 does not
    assert fresh["verified"].to_dict() == {
        "Brakel": 1, "Höxter": 3, "Marienmünster": 1, "Nieheim": 0,
    }
    assert fresh["unverified"].to_dict() == {
        "Brakel": 0, "Höxter": 0, "Marienmünster": 0, "Nieheim": 1,
    }
    assert fresh.loc["Höxter", "share"] == pytest.approx(0.75)


def test_share_verified_counts_every_entry_and_is_nan_without_entries(partners):
    assert share_verified(partners, today=TODAY) == pytest.approx(6 / 9)
    assert math.isnan(share_verified(make_partners([]), today=TODAY))


def test_share_verified_accepts_datetime_column(partners):
    as_datetime = partners.assign(verified=pd.to_datetime(partners["verified"]))
    assert share_verified(as_datetime, today=TODAY) == pytest.approx(6 / 9)


def test_months_before_clamps_to_month_end():
    assert months_before(dt.date(2024, 2, 29), 12) == dt.date(2023, 2, 28)
    assert months_before(dt.date(2025, 3, 31), 1) == dt.date(2025, 2, 28)
    assert months_before(dt.date(2025, 1, 15), 12) == dt.date(2024, 1, 15)


# --------------------------------------------------------------------------- sentences


def test_white_spots_are_plain_german_sentences(matrix):
    assert describe_white_spots(matrix) == [
        "Brakel: kein Jugendhilfe-Angebot im Ort; keines im Verzeichnis",
        "Höxter: kein Jugendhilfe-Angebot im Ort; keines im Verzeichnis",
        "Marienmünster: keine Schule im Ort; nächste in Brakel (9,1 km)",
        "Marienmünster: keine Beratungsstelle im Ort; nächste in Beverungen (14 km); geplant: 1",
        "Marienmünster: kein Jugendhilfe-Angebot im Ort; keines im Verzeichnis",
        "Nieheim: keine Schule im Ort; nächste in Höxter (11 km)",
        "Nieheim: keine Beratungsstelle im Ort; nächste in Höxter (13 km)",
        "Nieheim: kein Jugendhilfe-Angebot im Ort; keines im Verzeichnis",
    ]


def test_white_spots_in_english_and_with_under_target_cells(matrix):
    english = describe_white_spots(matrix, lang="en", include_under_target=True)
    assert english[0] == (
        "Brakel: Day-care and family centres below target (1 of 2 reachable); planned: 1"
    )
    assert (
        "Marienmünster: no counselling service in town; nearest in Beverungen (14 km); planned: 1"
        in english
    )
    assert "Höxter: no youth welfare service in town; none in the registry" in english


def test_white_spots_fall_back_to_label_for_custom_category(partners, towns):
    matrix = compute_coverage(
        partners, towns,
        categories={"sprachkurs": type("Info", (), {"label": lambda self, lang: "Sprachkurse"})()},
    )
    assert describe_white_spots(matrix)[0] == (
        "Brakel: kein Angebot der Kategorie „Sprachkurse“ im Ort; keines im Verzeichnis"
    )


def test_format_km_uses_german_decimal_comma():
    assert format_km(4.24) == "4,2 km"
    assert format_km(4.24, lang="en") == "4.2 km"
    assert format_km(17.4) == "17 km"
    assert format_km(float("nan")) == ""


# --------------------------------------------------------------------------- headline, score


def test_headline_figures_count_active_apart_from_planned(partners, towns, matrix):
    headline = compute_headline(partners, towns, matrix, today=TODAY)
    assert headline.as_dict() == {
        "partners_active": 6,
        "partners_planned": 2,
        "partners_inactive": 1,
        "towns": 4,
        "towns_with_white_spots": 4,
        "white_spots": 8,
        "languages": 7,  # de en tr ar uk fa so
        "verified_share": pytest.approx(6 / 9),
    }


def test_headline_white_spot_towns_follow_categories(partners, towns):
    matrix = compute_coverage(partners, towns, categories=["schule", "kita", "beratung"],
                                  targets=TARGETS)
    headline = compute_headline(partners, towns, matrix, today=TODAY)
    assert headline.towns_with_white_spots == 2
    assert headline.white_spots == 4


def test_score_weights_green_one_yellow_half_red_zero(matrix):
    scores = score_towns(matrix).set_index("town")
    assert scores["score"].to_dict() == {
        "Brakel": 0.625, "Höxter": 0.625, "Marienmünster": 0.25, "Nieheim": 0.25,
    }
    assert scores.loc["Nieheim", "white_spots"] == ("schule", "beratung", "jugendhilfe")
    assert scores["categories"].eq(4).all()


def test_analyse_coverage_bundles_consistent_results(partners, towns, matrix):
    analysis = analyse_coverage(
        partners, towns, today=TODAY, categories=CATEGORIES, targets=TARGETS
    )
    pd.testing.assert_frame_equal(analysis.matrix, matrix)
    summary = summarise_towns(analysis).set_index("town")
    assert summary.loc["Höxter", "stages_missing"] == ("ausserschulisch", "uebergang")
    assert summary["kim"].to_dict() == {
        "Brakel": True, "Höxter": True, "Marienmünster": False, "Nieheim": False,
    }
    assert summary.loc["Brakel", "languages"] == ("ar", "de", "tr", "uk")
    assert summary.loc["Höxter", "verified_share"] == pytest.approx(0.75)


def test_reach_rejects_frames_it_was_not_built_for(partners, towns):
    reach = build_reach(partners, towns)
    with pytest.raises(ValueError, match="reach"):
        compute_coverage(partners.iloc[:3], towns, reach=reach)


def test_reach_pair_table_lists_serving_partners(partners, towns):
    pairs = build_reach(partners, towns).pair_table(partners)
    brakel = pairs[pairs["town"] == "Brakel"].set_index("id")
    assert set(brakel.index) == {"schule-br", "beratung-hx", "kita-all", "kita-br-geplant"}
    assert not brakel.loc["beratung-hx", "located"]
    assert brakel.loc["schule-br", "located"]


def test_coverage_table_has_export_columns_and_rounded_values(matrix):
    table = coverage_table(matrix)
    assert list(table.columns[:8]) == ["ags", "town", "category", "category_label",
                                       "population", "located", "reachable", "per_10k"]
    assert {"status", "nearest_km"} <= set(table.columns)
    row = table[(table["town"] == "Marienmünster") & (table["category"] == "schule")].iloc[0]
    assert row["nearest_km"] == round(metres(CENTRES[MARIENMUENSTER], xy_of("schule-br")) / 1000, 1)
