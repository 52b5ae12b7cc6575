"""Map payload: the data the partner map's script reads (towns GeoJSON, partners).

Column-wise, repeated values coded once, coordinates rounded; no HTML here
except the card strings built by :mod:`partnernetz.views.cards`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

import numpy as np
import shapely
import shapely.geometry

from partnernetz.views.cards import card_context, category_view
from partnernetz.views.icons import icon_svg
from partnernetz.views.records import COLUMN_CLEANERS, RECORD_KEYS, contact_tuples, is_missing

COORD_DECIMALS = 5


def script_json(value: Any) -> str:
    """JSON that is safe inside an inline ``<script>`` (no ``</script>``, no U+2028)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def _to_wgs84(frame: Any) -> Any:
    crs = getattr(frame, "crs", None)
    if crs is not None and crs.to_epsg() != 4326:
        return frame.to_crs(4326)
    return frame


def _round_geometry(geometry: Any) -> Any:
    return shapely.transform(geometry, lambda coords: np.round(coords, COORD_DECIMALS))


def towns_geojson(
    towns: Any,
    *,
    extra: Callable[[Any], dict[str, Any]] | None = None,
    selected: str | None = None,
) -> dict[str, Any]:
    """Town boundaries as a GeoJSON FeatureCollection for the map.

    Parameters
    ----------
    towns
        Towns GeoDataFrame (architecture contract).
    extra
        Called with each row; its dict is merged into the feature properties.
    selected
        AGS of a town to draw highlighted.

    Returns
    -------
    dict
        Features with properties ``kind="town"``, ``ags``, ``name``,
        ``label_lat``, ``label_lon``, ``selected`` (plus ``extra``);
        coordinates rounded to 5 decimals.
    """
    features = []
    if towns is None or len(towns) == 0:
        return {"type": "FeatureCollection", "features": features}
    towns = _to_wgs84(towns)
    geoms = _round_geometry(np.asarray(towns.geometry.values, dtype=object))
    has_centre = "lat" in towns.columns and "lon" in towns.columns
    for i, row in enumerate(towns.itertuples(index=False)):
        row_map = row._asdict()
        ags = str(row_map.get("ags"))
        props: dict[str, Any] = {
            "kind": "town",
            "ags": ags,
            "name": str(row_map.get("name")),
            "selected": ags == selected,
        }
        if has_centre and not is_missing(row_map.get("lat")):
            props["label_lat"] = round(float(row_map["lat"]), COORD_DECIMALS)
            props["label_lon"] = round(float(row_map["lon"]), COORD_DECIMALS)
        if extra is not None:
            props.update(extra(row_map))
        geom = geoms[i]
        features.append({
            "type": "Feature",
            "properties": props,
            "geometry": None if geom is None else shapely.geometry.mapping(geom),
        })
    return {"type": "FeatureCollection", "features": features}


# Texts that repeat a lot: sent once per column as a table, rows hold indices.
CODED_KEYS: tuple[str, ...] = (
    "category", "subtype", "status", "operator", "postcode", "town", "district", "precision",
    "opening_hours", "accessible",
)


def _factorize(values: list[Any]) -> tuple[list[int], list[Any]]:
    table: dict[Any, int] = {}
    codes = [-1 if v is None else table.setdefault(v, len(table)) for v in values]
    return codes, list(table)


def _contacts_columns(raw: list[Any]) -> tuple[dict[str, list[Any]], list[str]]:
    """Contacts of all rows as flat columns; row i owns entries ``start[i]:start[i+1]``."""
    start: list[int] = []
    names: list[str] = []
    roles: list[int] = []
    phones: list[str | None] = []
    emails: list[str | None] = []
    internal: list[int] = []
    table: dict[str, int] = {}
    for value in raw:
        start.append(len(names))
        if value is None:
            continue
        for name, role, phone, email, is_internal in contact_tuples(value):
            names.append(name)
            roles.append(-1 if role is None else table.setdefault(role, len(table)))
            phones.append(phone)
            emails.append(email)
            internal.append(int(is_internal))
    start.append(len(names))
    return (
        {"start": start, "name": names, "role": roles, "phone": phones, "email": emails,
         "internal": internal},
        list(table),
    )


def partner_payload(
    partners: Any, categories: Mapping[str, Any], *, lang: str = "de"
) -> dict[str, Any]:
    """The compact JSON payload the browser draws the partners from.

    Columnar, so that building it costs a few list passes per column and no
    object per partner.

    Parameters
    ----------
    partners
        Partners GeoDataFrame (architecture contract); only the card columns
        and ``lat``/``lon`` are read. Rows without coordinates are left out.
    categories
        Category key to category info.
    lang
        UI language.

    Returns
    -------
    dict
        ``n``; ``lat``, ``lon`` (rounded to 5 decimals); ``keys``
        (``cards.RECORD_KEYS``); ``columns`` (key to one value per partner);
        ``tables`` (for ``CODED_KEYS`` and ``role``: the distinct texts;
        ``languages``, ``offers``: the distinct combinations as lists; columns
        hold indices, -1 for none); ``categories`` (key, label, colour, count,
        svg, layer-control label) and the card ``context``. ``contacts`` is
        flat: ``start`` (row i owns ``start[i]:start[i+1]``), ``name``,
        ``role`` (index), ``phone``, ``email``, ``internal`` (1: marked "intern").
        Only what the viewer's role may see is in ``partners`` (``dataset_for_role``).
    """
    n = len(partners)
    columns_present = set(partners.columns) if n else set()
    if n:
        lat_all = np.round(partners["lat"].to_numpy(dtype=float), COORD_DECIMALS)
        lon_all = np.round(partners["lon"].to_numpy(dtype=float), COORD_DECIMALS)
        valid = ~(np.isnan(lat_all) | np.isnan(lon_all))
    else:
        lat_all = lon_all = np.empty(0)
        valid = np.empty(0, dtype=bool)
    all_valid = bool(valid.all())
    keep = None if all_valid else np.flatnonzero(valid).tolist()

    def column(key: str) -> list[Any]:
        raw = partners[key].tolist() if key in columns_present else [None] * n
        if keep is not None:
            raw = [raw[i] for i in keep]
        return COLUMN_CLEANERS[key](raw)

    out_columns: dict[str, Any] = {}
    tables: dict[str, list[Any]] = {}
    for key in RECORD_KEYS:
        raw = partners[key].tolist() if key in columns_present else [None] * n
        if keep is not None:
            raw = [raw[i] for i in keep]
        if key == "contacts":
            out_columns[key], tables["role"] = _contacts_columns(raw)
            continue
        values = COLUMN_CLEANERS[key](raw)
        if key in ("languages", "offers"):
            # the distinct combinations, as lists; rows hold indices (-1: none)
            table: dict[tuple[str, ...], int] = {}
            out_columns[key] = [table.setdefault(v, len(table)) if v else -1 for v in values]
            tables[key] = [list(v) for v in table]
        elif key in CODED_KEYS:
            out_columns[key], tables[key] = _factorize(
                [v if v is not None else "" for v in values] if key == "category" else values
            )
        else:
            out_columns[key] = values

    lat = (lat_all if all_valid else lat_all[valid]).tolist()
    lon = (lon_all if all_valid else lon_all[valid]).tolist()

    # categories: the known ones in their order, then unknown keys found in the data
    cat_codes, cat_table = out_columns["category"], tables["category"]
    counts_by_code = np.bincount(np.asarray(cat_codes, dtype=np.int64), minlength=len(cat_table))
    counts = {key: int(counts_by_code[i]) for i, key in enumerate(cat_table)}
    cat_keys = [key for key in categories if key in counts]
    cat_keys += [key for key in cat_table if key not in categories]
    cat_list = []
    for key in cat_keys:
        label, colour, icon = category_view(key, categories.get(key), lang)
        cat_list.append({
            "key": key,
            "label": label,
            "colour": colour,
            "count": counts[key],
            "svg": icon_svg(icon, colour),
            "control": (
                f'<span class="pn-lc">{icon_svg(icon, colour, width=14)}'
                f"{escape(label)} ({counts[key]})</span>"
            ),
        })
    language_codes = {code for combo in tables["languages"] for code in combo}
    context = card_context(
        {c["key"]: {"label": c["label"], "colour": c["colour"]} for c in cat_list},
        lang=lang, language_codes=language_codes,
    )
    return {
        "n": len(lat),
        "lat": lat,
        "lon": lon,
        "keys": list(RECORD_KEYS),
        "columns": out_columns,
        "tables": tables,
        "categories": cat_list,
        "context": context,
    }
