"""Distance: the nearest active partner of each category, per town.

Straight-line kilometres from the town's centre point, computed in EPSG:25832.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import shapely

from partnernetz.analysis.reach import Reach, _category_specs, _column, _reach_for, _text_or_none


def _nearest(reach: Reach, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row of the nearest masked partner per town (-1 if none) and distance in km."""
    n_towns = len(reach.town_ags)
    best = np.full(n_towns, -1, dtype=np.intp)
    dist = np.full(n_towns, np.nan)
    partner_points, town_points = reach.partner_points, reach.town_points
    candidates = np.flatnonzero(mask & reach.has_point)
    usable = np.flatnonzero(np.isfinite(reach.town_lat) & np.isfinite(reach.town_lon))
    if len(candidates) == 0 or len(usable) == 0:
        return best, dist
    tree = shapely.STRtree(partner_points[candidates])
    (src, hit), metres = tree.query_nearest(
        town_points[usable], return_distance=True, all_matches=False
    )
    best[usable[src]] = candidates[hit]
    dist[usable[src]] = metres / 1000.0
    return best, dist


def _nearest_columns(
    partners: pd.DataFrame, reach: Reach, masks: Sequence[np.ndarray]
) -> dict[str, np.ndarray]:
    """Nearest-partner columns for each mask, town-major (town × mask)."""
    n_towns, n_masks = len(reach.town_ags), len(masks)
    best = np.full((n_towns, n_masks), -1, dtype=np.intp)
    dist = np.full((n_towns, n_masks), np.nan)
    if len(partners) and n_towns:
        for m, mask in enumerate(masks):
            best[:, m], dist[:, m] = _nearest(reach, mask)
    best, dist = best.ravel(), dist.ravel()
    found = np.flatnonzero(best >= 0)
    chosen = partners.iloc[best[found]]
    name_of = dict(zip(reach.town_ags, reach.town_names, strict=True))
    in_ags = _column(chosen, "ags")
    declared_ags = _column(chosen, "town_ags")
    declared = _column(chosen, "town")
    town_ags = np.full(len(best), None, dtype=object)
    town = np.full(len(best), None, dtype=object)
    for i, a, da, dn in zip(found, in_ags, declared_ags, declared, strict=True):
        a = _text_or_none(a)
        if a is not None and a in name_of:
            town_ags[i], town[i] = a, name_of[a]
        else:
            town_ags[i] = a or _text_or_none(da)
            town[i] = _text_or_none(dn) or name_of.get(town_ags[i] or "")

    def pick(name: str) -> np.ndarray:
        out = np.full(len(best), None, dtype=object)
        out[found] = _column(chosen, name)
        return out

    return {
        "nearest_km": dist,
        "nearest_town": town,
        "nearest_ags": town_ags,
        "nearest_id": pick("id"),
        "nearest_name": pick("name"),
    }


def compute_nearest(
    partners: pd.DataFrame,
    towns: pd.DataFrame,
    *,
    categories: Mapping[str, Any] | Sequence[str] | None = None,
    reach: Reach | None = None,
) -> pd.DataFrame:
    """Distance from each town's centre to the nearest active partner of each category.

    Parameters
    ----------
    partners
        Partners GeoDataFrame; only ``status == "active"`` rows are candidates,
        wherever they are (also outside the region's towns).
    towns
        Towns GeoDataFrame; the centre point is ``lat``/``lon`` (a point on the
        polygon where they are missing).
    categories
        ``Dataset.categories`` or category keys; default: the default
        categories plus any the partners use.
    reach
        The result of :func:`build_reach`, if already computed.

    Returns
    -------
    pandas.DataFrame
        One row per town × category (town-major, in input order) with
        ``ags``, ``town``, ``category``, ``nearest_km`` (straight-line distance
        in EPSG:25832, km; NaN if there is none), ``nearest_town`` and
        ``nearest_ags`` (the town the partner's point lies in, else its
        declared town), ``nearest_id`` and ``nearest_name`` (None if none).
    """
    reach = _reach_for(partners, towns, reach)
    keys = [key for key, _, _ in _category_specs(categories, partners)]
    masks = [reach.active & (reach.category == key) for key in keys]
    n_cats = len(keys)
    frame = pd.DataFrame(
        {
            "ags": np.repeat(reach.town_ags, n_cats),
            "town": np.repeat(reach.town_names, n_cats),
            "category": np.tile(np.array(keys, dtype=object), len(reach.town_ags)),
        }
    )
    for name, values in _nearest_columns(partners, reach, masks).items():
        frame[name] = values
    return frame
