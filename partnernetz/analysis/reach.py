"""Reach: which partners count for which town.

A partner counts for a town when it is located there or serves it (see
:mod:`partnernetz.analysis.matrix` for the counting rules). :class:`Reach` holds
that relation once so every other analysis reuses it; the small column helpers
here are shared by the analysis modules.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from partnernetz.registry.vocabulary import (
    DEFAULT_CATEGORIES,
)

METRIC_CRS = "EPSG:25832"


@cache
def _to_metric() -> Transformer:
    return Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


def _as_tuple(value: Any) -> tuple:
    """A ``serves``/``stages``/… cell as a tuple (None and NaN become ``()``)."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, list | np.ndarray):
        return tuple(value)
    if isinstance(value, str):
        return (value,)
    return ()


def _column(frame: pd.DataFrame, name: str, default: Any = None) -> np.ndarray:
    """A column as an object array; ``default`` everywhere when it is missing."""
    if name in frame.columns:
        return frame[name].to_numpy(dtype=object)
    return np.full(len(frame), default, dtype=object)


def _explode(values: np.ndarray) -> tuple[np.ndarray, list]:
    """Row position of every element of a column of tuples, and the elements."""
    plain = set(map(type, values)) <= {tuple, list}
    tuples = values if plain else [_as_tuple(v) for v in values]
    lens = np.fromiter(map(len, tuples), dtype=np.intp, count=len(tuples))
    rows = np.repeat(np.arange(len(tuples), dtype=np.intp), lens)
    return rows, list(chain.from_iterable(tuples))


def _lookup(index: pd.Index, values: Sequence[Any]) -> np.ndarray:
    """Positions of ``values`` in ``index`` (-1 where absent, also for None/NaN)."""
    if not len(values) or not len(index):
        return np.full(len(values), -1, dtype=np.intp)
    return index.get_indexer(pd.Index(np.asarray(values, dtype=object), dtype=object))


def _text_or_none(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _category_specs(
    categories: Mapping[str, Any] | Sequence[str] | None, partners: pd.DataFrame
) -> list[tuple[str, str, str]]:
    """``(key, label_de, label_en)`` per category, in display order.

    ``categories`` may be ``Dataset.categories`` (objects with ``label(lang)``),
    a mapping to :class:`~partnernetz.registry.vocabulary.CategoryStyle`, a list of keys,
    or None: the default categories plus any other category the partners use.
    """
    if categories is None:
        keys = list(DEFAULT_CATEGORIES)
        used = partners["category"].dropna().unique() if "category" in partners else []
        keys += sorted(str(key) for key in used if key not in DEFAULT_CATEGORIES)
        categories = keys
    if isinstance(categories, Mapping):
        return [(str(key), *_labels(str(key), info)) for key, info in categories.items()]
    return [(str(key), *_labels(str(key), DEFAULT_CATEGORIES.get(key))) for key in categories]


def _labels(key: str, info: Any) -> tuple[str, str]:
    if info is None:
        return key, key
    if callable(getattr(info, "label", None)):
        return str(info.label("de")), str(info.label("en"))
    if hasattr(info, "label_de"):
        return str(info.label_de), str(getattr(info, "label_en", None) or info.label_de)
    if hasattr(info, "de"):
        return str(info.de), str(getattr(info, "en", None) or info.de)
    if hasattr(info, "label"):
        label = str(info.label)
        return label, str(getattr(info, "label_en", None) or label)
    return key, key


def _population(towns: pd.DataFrame) -> np.ndarray:
    """Population as float, NaN where unknown or not positive."""
    if "population" not in towns.columns:
        return np.full(len(towns), np.nan)
    pop = pd.to_numeric(towns["population"], errors="coerce").astype("float64").to_numpy()
    pop = pop.copy()
    pop[~(pop > 0)] = np.nan
    return pop


def _count(reach: Reach, rows: np.ndarray, indicator: np.ndarray) -> np.ndarray:
    """Partners with ``rows`` and ``indicator`` reaching each town (towns × keys, int64).

    ``indicator`` is partners × keys (bool). Every (partner, town) pair of the
    reach is expanded into the partner's keys (CSR style) and counted with
    ``bincount``: single-threaded numpy, no BLAS.
    """
    n_partners, n_towns = reach.matrix.shape
    n_keys = indicator.shape[1]
    nz_rows, nz_keys = np.nonzero(indicator & rows[:, None])  # sorted by row
    lens = np.bincount(nz_rows, minlength=n_partners)
    ptr = np.concatenate([[0], np.cumsum(lens)])
    pair_rows, pair_pos = reach.pairs
    pair_lens = lens[pair_rows]
    keep = pair_lens > 0
    pair_rows, pair_pos, pair_lens = pair_rows[keep], pair_pos[keep], pair_lens[keep]
    exclusive = np.cumsum(pair_lens) - pair_lens
    idx = np.repeat(ptr[pair_rows] - exclusive, pair_lens) + np.arange(pair_lens.sum())
    cells = np.repeat(pair_pos, pair_lens) * n_keys + nz_keys[idx]
    counts = np.bincount(cells, minlength=n_towns * n_keys)
    return counts.reshape(n_towns, n_keys).astype(np.int64)


# --------------------------------------------------------------------------- reach


@dataclass(frozen=True, eq=False)
class Reach:
    """Which partner reaches which town, built once by :func:`build_reach`.

    A partner reaches a town when its point lies in the town (``ags``), the
    town's AGS is in its ``serves`` tuple, or it has ``serves_all``. All
    statuses are kept; the computations pick ``active`` partners themselves.
    Pass one ``Reach`` to several ``compute_*`` functions to build it once.

    Attributes
    ----------
    town_ags, town_names
        The towns in input order (object arrays).
    matrix
        ``bool`` array, partners × towns: the partner reaches the town.
    located
        Per partner, the position of the town its point lies in (-1: none).
    status, category
        Per partner (object arrays).
    lat, lon
        Per partner, float.
    town_lat, town_lon
        Town centre points (a point on the polygon where ``lat``/``lon`` are missing).
    """

    town_ags: np.ndarray
    town_names: np.ndarray
    matrix: np.ndarray
    located: np.ndarray
    status: np.ndarray
    category: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    town_lat: np.ndarray
    town_lon: np.ndarray

    @cached_property
    def active(self) -> np.ndarray:
        """Per partner: ``status == "active"``."""
        return self.status == "active"

    @cached_property
    def has_point(self) -> np.ndarray:
        """Per partner: it has usable coordinates."""
        return np.isfinite(self.lat) & np.isfinite(self.lon)

    @cached_property
    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Partner rows and town positions of every reaching pair, sorted by partner."""
        rows, pos = np.nonzero(self.matrix)
        return rows, pos

    @cached_property
    def partner_points(self) -> np.ndarray:
        """Partner points in EPSG:25832 (shapely, metres); None where lat/lon are missing."""
        return _metric_points(self.lon, self.lat)

    @cached_property
    def town_points(self) -> np.ndarray:
        """Town centre points in EPSG:25832 (shapely, metres); None where unknown."""
        return _metric_points(self.town_lon, self.town_lat)

    def pair_table(self, partners: pd.DataFrame) -> pd.DataFrame:
        """The reach as a table: one row per (town, partner) pair.

        Returns
        -------
        pandas.DataFrame
            ``ags``, ``town``, ``row`` (position in ``partners``), ``id``,
            ``name``, ``category``, ``status``, ``located`` (bool), ordered by
            town then partner.
        """
        pos, rows = np.nonzero(self.matrix.T)
        return pd.DataFrame(
            {
                "ags": self.town_ags[pos],
                "town": self.town_names[pos],
                "row": rows,
                "id": partners["id"].iloc[rows].to_numpy(dtype=object),
                "name": partners["name"].iloc[rows].to_numpy(dtype=object),
                "category": self.category[rows],
                "status": self.status[rows],
                "located": self.located[rows] == pos,
            }
        )


def _metric_points(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    x, y = _to_metric().transform(lon, lat)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    points = np.full(len(x), None, dtype=object)
    ok = np.isfinite(x) & np.isfinite(y)
    points[ok] = shapely.points(x[ok], y[ok])
    return points


def build_reach(partners: pd.DataFrame, towns: pd.DataFrame) -> Reach:
    """Work out once which partner reaches which town.

    Parameters
    ----------
    partners
        Partners GeoDataFrame (columns ``ags``, ``serves``, ``serves_all``,
        ``category``, ``status``, ``lat``, ``lon``).
    towns
        Towns GeoDataFrame (columns ``ags``, ``name``, ``lat``, ``lon``).

    Returns
    -------
    Reach
        ``serves`` exploded once into a partners × towns matrix; AGS in
        ``serves`` that are not among ``towns`` are ignored.
    """
    town_ags = towns["ags"].astype(str).to_numpy(dtype=object)
    town_names = towns["name"].astype(str).to_numpy(dtype=object)
    town_index = pd.Index(town_ags, dtype=object)
    n_partners, n_towns = len(partners), len(town_ags)

    located = _lookup(town_index, _column(partners, "ags"))
    if "serves_all" in partners.columns:
        serves_all = partners["serves_all"].fillna(False).astype(bool).to_numpy()
    else:
        serves_all = np.zeros(n_partners, dtype=bool)
    matrix = np.zeros((n_partners, n_towns), dtype=bool)
    some = np.flatnonzero(~serves_all)
    rows, flat = _explode(_column(partners, "serves", ())[some])
    pos = _lookup(town_index, flat)
    hit = pos >= 0
    matrix[some[rows[hit]], pos[hit]] = True
    matrix[serves_all] = True
    inside = np.flatnonzero(located >= 0)
    matrix[inside, located[inside]] = True

    if "status" in partners.columns:
        status = partners["status"].fillna("active").astype(str).to_numpy(dtype=object)
    else:
        status = np.full(n_partners, "active", dtype=object)

    town_lat = pd.to_numeric(towns["lat"], errors="coerce").to_numpy(dtype=float).copy()
    town_lon = pd.to_numeric(towns["lon"], errors="coerce").to_numpy(dtype=float).copy()
    missing = ~(np.isfinite(town_lat) & np.isfinite(town_lon))
    if missing.any() and "geometry" in towns.columns:
        points = shapely.point_on_surface(towns.geometry.to_numpy()[missing])
        town_lon[missing] = shapely.get_x(points)
        town_lat[missing] = shapely.get_y(points)

    return Reach(
        town_ags=town_ags,
        town_names=town_names,
        matrix=matrix,
        located=located,
        status=status,
        category=_column(partners, "category"),
        lat=pd.to_numeric(partners["lat"], errors="coerce").to_numpy(dtype=float),
        lon=pd.to_numeric(partners["lon"], errors="coerce").to_numpy(dtype=float),
        town_lat=town_lat,
        town_lon=town_lon,
    )


def _reach_for(partners: pd.DataFrame, towns: pd.DataFrame, reach: Reach | None) -> Reach:
    if reach is None:
        return build_reach(partners, towns)
    if reach.matrix.shape != (len(partners), len(towns)):
        raise ValueError("reach was built for other partners or towns")
    return reach
