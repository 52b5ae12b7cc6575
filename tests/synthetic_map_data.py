"""Synthetic towns and partners for the map tests (frames as in docs/architecture.md),
and a helper that captures what ``st_folium`` sends to its frontend.

Deterministic; no gazetteer or registry needed. The towns are a 3 x 3 grid of
rectangles around Brakel (Kreis Höxter); partners sit inside them.
"""

from __future__ import annotations

import datetime as dt
import random
from unittest import mock

import geopandas as gpd
import pandas as pd
import streamlit_folium
from shapely.geometry import box

XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_ID = "xss-probe"

TOWN_NAMES = (
    "Beverungen", "Borgentreich", "Brakel", "Höxter", "Marienmünster",
    "Nieheim", "Steinheim", "Warburg", "Willebadessen",
)
_CATEGORIES = ("schule", "kita", "jugendhilfe", "verwaltung", "beratung", "einrichtung", "ehrenamt")
_OFFERS = (
    "Sprachkurs", "Hausaufgabenhilfe", "KIM Case Management", "Elterncafé", "Beratung",
    "Begegnungscafé", "Berufsorientierung", "Sportangebot",
)
_LANGS = ("de", "ar", "uk", "ru", "tr", "fa", "en", "ku", "ti", "pl")
_ROLES = ("Leitung", "Sozialarbeit", "Koordination", "Sekretariat")


def make_towns() -> gpd.GeoDataFrame:
    """Nine rectangular towns, 0.1° x 0.07° each, sorted by name."""
    rows = []
    for i, name in enumerate(TOWN_NAMES):
        col, line = i % 3, i // 3
        x0, y0 = 9.0 + col * 0.1, 51.6 + line * 0.07
        rows.append({
            "ags": f"0576{2000 + i * 4:04d}",
            "name": name,
            "type": "Stadt",
            "kreis": "05762",
            "kreis_name": "Höxter",
            "population": pd.NA,
            "area_km2": 55.0,
            "lat": y0 + 0.035,
            "lon": x0 + 0.05,
            "centre_source": "polygon",
            "geometry": box(x0, y0, x0 + 0.1, y0 + 0.07),
        })
    towns = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    towns["population"] = towns["population"].astype("Int64")
    return towns.sort_values("name").reset_index(drop=True)


def make_partners(n: int, *, seed: int = 1, xss: bool = True) -> gpd.GeoDataFrame:
    """``n`` partners with realistic field lengths; the first one is the XSS probe."""
    rng = random.Random(seed)
    towns = make_towns()
    rows = []
    for i in range(n):
        town = towns.iloc[i % len(towns)]
        minx, miny, maxx, maxy = town.geometry.bounds
        lat = rng.uniform(miny + 0.002, maxy - 0.002)
        lon = rng.uniform(minx + 0.002, maxx - 0.002)
        category = _CATEGORIES[i % len(_CATEGORIES)]
        pid = f"partner-{i:05d}-{town['name'].lower().replace('ö', 'oe').replace('ü', 'ue')}"
        rows.append({
            "id": pid,
            "name": f"Einrichtung Nummer {i} in {town['name']}",
            "category": category,
            "subtype": rng.choice((None, "Grundschule", "Familienzentrum", "Jugendtreff")),
            "operator": rng.choice(("Caritasverband", "Stadt " + town["name"], "AWO", None)),
            "description": None,
            "town": town["name"],
            "town_ags": town["ags"],
            "ags": town["ags"],
            "street": f"Hauptstraße {i % 97 + 1}",
            "postcode": f"{33034 + i % 9}",
            "district": rng.choice((None, "Bökendorf", "Erkeln", "Hembsen")),
            "serves": (town["ags"],),
            "serves_all": False,
            "served": rng.choice((None, None, "Brakel, Nieheim", "*")),
            "relation": rng.choice((None, None, "elsewhere")),
            "stages": ("schule",),
            "target_groups": ("kinder", "eltern"),
            "languages": tuple(rng.sample(_LANGS, 2)),
            "offers": tuple(rng.sample(_OFFERS, 2)),
            "phone": f"05272 {100000 + i}",
            "email": f"kontakt{i}@einrichtung-{i % 50}.de",
            "website": f"https://www.einrichtung-{i}.example.de",
            "schulnummer": f"{190000 + i}" if i % 3 == 0 else None,
            "opening_hours": rng.choice(("Mo–Fr 8–16 Uhr", "Di und Do 14–18 Uhr", None)),
            "contacts": (
                {"name": f"Person {i}", "role": rng.choice(_ROLES),
                 "phone": f"05272 {200000 + i}", "email": f"person{i}@einrichtung.de"},
            ),
            "accessible": rng.choice(("yes", "no", "unknown")),
            "status": "active",
            "verified": dt.date(2025, 1 + i % 12, 1 + i % 28),
            "lat": lat,
            "lon": lon,
            "precision": rng.choice(("exact", "cache", "town")),
            "notes": f"Notiz {i}" if i % 3 == 0 else None,  # as a redaktion viewer gets them
        })
        if i % 4 == 1:
            rows[-1]["contacts"] += ({"name": f"Intern {i}", "role": None, "phone": None,
                                      "email": None, "visibility": "internal"},)
    if xss and rows:
        rows[0].update({
            "id": XSS_ID,
            "name": XSS_NAME,
            "operator": '"><script>alert(2)</script>',
            "website": "javascript:alert(3)",
            "email": "x@y.de\" onmouseover=\"alert(4)",
            "offers": ("<b>fett</b>",),
        })
    frame = gpd.GeoDataFrame(
        rows, geometry=gpd.points_from_xy([r["lon"] for r in rows], [r["lat"] for r in rows]),
        crs="EPSG:4326",
    ) if rows else gpd.GeoDataFrame({"id": [], "lat": [], "lon": []}, geometry=[], crs="EPSG:4326")
    return frame


def full_row() -> dict:
    """One partner with every card field filled (for the field-order tests)."""
    return {
        "id": "kita-sonnenschein-brakel",
        "name": "Kita Sonnenschein",
        "category": "kita",
        "subtype": "Familienzentrum",
        "status": "planned",
        "operator": "Caritasverband Höxter",
        "street": "Am Markt 1",
        "postcode": "33034",
        "town": "Brakel",
        "district": "Bökendorf",
        "served": "Brakel, Nieheim",
        "relation": "elsewhere",
        "precision": "town",
        "phone": "05272 12345",
        "email": "info@kita.example.de",
        "website": "https://kita.example.de",
        "schulnummer": "199999",
        "languages": ("ar", "uk"),
        "offers": ("Elterncafé", "Sprachkurs"),
        "opening_hours": "Mo–Fr 7–16 Uhr",
        "accessible": "yes",
        "verified": dt.date(2025, 3, 1),
        "contacts": ({"name": "Frau Beispiel", "role": "Leitung",
                      "phone": "05272 999", "email": "leitung@kita.example.de"},
                     {"name": "Herr Intern", "role": "Sozialarbeit", "visibility": "internal"}),
        "notes": "Elternabend im März",
    }


def st_folium_args(fmap, **kwargs) -> dict:
    """The arguments ``st_folium`` sends to its frontend, without Streamlit running."""
    captured: dict = {}

    def fake_component(**kw):
        captured.update(kw)
        return kw["default"]

    with mock.patch.object(streamlit_folium, "_component_func", fake_component):
        streamlit_folium.st_folium(fmap, **kwargs)
    captured.pop("on_change", None)
    return captured


# Zoom until the marker is unclustered; rejects after 8 s instead of hanging.
SHOW_MARKER = """(id) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('reveal timed out')), 8000);
  const found = Partnernetz.reveal(Partnernetz.maps[0], id, () => {
    clearTimeout(timer);
    resolve(true);
  });
  if (!found) { reject(new Error('no marker ' + id)); }
})"""
