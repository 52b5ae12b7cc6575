"""Coverage analytics: which towns lack which services ("white spots").

Every function here is pure: it takes the partners GeoDataFrame (already
filtered by the caller) and the towns GeoDataFrame (see
``docs/architecture.md``) and returns new frames. Nothing is read from disk.

Counting rules
--------------
Only partners with ``status == "active"`` count toward coverage and distances.
``planned`` and ``inactive`` partners are counted apart, in the columns
``planned`` and ``inactive``, with the same "located in or serving the town"
rule as ``reachable``.

``located``
    active partners of the category whose point lies in the town (partner
    column ``ags`` equals the town's AGS).
``reachable``
    active partners of the category that are located in the town **or** serve
    it (the town's AGS is in the partner's ``serves`` tuple, or the partner has
    ``serves_all``). A partner is counted once per town.
``per_10k``
    ``reachable / population * 10_000``; NaN when the population is unknown.
``required``
    the target number of reachable partners, from the category's
    :class:`~partnernetz.models.Target` (``Target()``, i.e. one reachable
    partner, for categories without a target)::

        required = min_reachable                                  # no per_10k target
        required = max(min_reachable, ceil(per_10k * population / 10_000))

    When the target has ``per_10k`` but the town's population is unknown, only
    ``min_reachable`` applies. Because ``reachable`` is a whole number,
    ``reachable >= required`` is the same as "``min_reachable`` met and
    ``per_10k`` ratio met".
``status`` (traffic light)
    ``red``    nothing reachable (``reachable == 0``) while ``required >= 1``:
               a white spot;
    ``green``  ``reachable >= required`` (target met; this includes
               ``required == 0``);
    ``yellow`` otherwise: something is reachable, but fewer than required.
``score`` (coverage score per town, for the choropleth)
    the mean over the town's categories of green = 1, yellow = 0.5, red = 0;
    between 0 (white spot in every category) and 1 (every target met).
    NaN when there are no categories.

Distances (``nearest_km``) run from the town's centre point (towns ``lat``,
``lon``) to the nearest active partner of the category anywhere in the given
partners frame, computed in EPSG:25832 (straight line, not travel distance).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import chain, compress
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from partnernetz.models import Target
from partnernetz.vocabulary import (
    DEFAULT_CATEGORIES,
    KIM_OFFER,
    STAGES,
    TARGET_GROUPS,
    Term,
    language_name,
)

METRIC_CRS = "EPSG:25832"
GREEN, YELLOW, RED = "green", "yellow", "red"
# Light fills with dark ink of the same hue for a status cell (tables, report):
# readable, and a symbol carries the meaning too, never the colour alone.
CELL_FILL: dict[str, str] = {GREEN: "#CDEBC5", YELLOW: "#FFEDA0", RED: "#F9C0B0"}
CELL_INK: dict[str, str] = {GREEN: "#146C2E", YELLOW: "#7A5200", RED: "#A3201A"}
STATUS_ORDER: tuple[str, ...] = (GREEN, YELLOW, RED)
STATUS_LABELS: dict[str, Term] = {
    GREEN: Term("grün", "green"),
    YELLOW: Term("gelb", "yellow"),
    RED: Term("rot", "red"),
}
STATUS_MEANINGS: dict[str, Term] = {
    GREEN: Term("Ziel erreicht", "target met"),
    YELLOW: Term("erreichbar, aber unter Ziel", "reachable, but below target"),
    RED: Term("weißer Fleck: nichts erreichbar", "white spot: nothing reachable"),
}
# A symbol per light, so that the matrix never relies on colour alone.
STATUS_SYMBOLS: dict[str, str] = {GREEN: "✓", YELLOW: "!", RED: "✗"}
# Colour-blind friendly traffic-light colours (fill colours for tables and maps).
STATUS_COLOURS: dict[str, str] = {GREEN: "#1A9850", YELLOW: "#FEC44F", RED: "#D73027"}
SCORE_WEIGHTS: dict[str, float] = {GREEN: 1.0, YELLOW: 0.5, RED: 0.0}
FRESH_MONTHS = 12

COVERAGE_COLUMNS: tuple[str, ...] = (
    "ags", "town", "population", "category", "label_de", "label_en",
    "located", "reachable", "per_10k", "planned", "inactive",
    "target_min", "target_per_10k", "required", "status",
    "nearest_km", "nearest_town", "nearest_ags", "nearest_id", "nearest_name",
)

# Columns of the exported long table (CLI, CSV/XLSX/JSON downloads).
EXPORT_COLUMNS: tuple[str, ...] = (
    "ags", "town", "category", "category_label", "population", "located", "reachable",
    "per_10k", "planned", "inactive", "required", "status", "nearest_km", "nearest_town",
)


class Noun(NamedTuple):
    """A singular noun with its grammatical gender ("f", "m" or "n")."""

    singular: str
    gender: str


# German and English singular nouns of the default categories, for sentences.
CATEGORY_NOUNS: dict[str, tuple[Noun, str]] = {
    "schule": (Noun("Schule", "f"), "school"),
    "kita": (Noun("Kita", "f"), "day-care centre"),
    "jugendhilfe": (Noun("Jugendhilfe-Angebot", "n"), "youth welfare service"),
    "verwaltung": (Noun("kommunale Dienststelle", "f"), "municipal office"),
    "beratung": (Noun("Beratungsstelle", "f"), "counselling service"),
    "einrichtung": (Noun("regionale Einrichtung", "f"), "regional institution"),
    "ehrenamt": (Noun("ehrenamtliche Initiative", "f"), "volunteer initiative"),
}

_KEIN = {"f": "keine", "m": "kein", "n": "kein"}
_KEINE_PRONOUN = {"f": "keine", "m": "keiner", "n": "keines"}
_NAECHST = {"f": "nächste", "m": "nächster", "n": "nächstes"}


# --------------------------------------------------------------------------- helpers


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
    a mapping to :class:`~partnernetz.vocabulary.CategoryStyle`, a list of keys,
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


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the last day of a shorter month)."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - unreachable


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


# --------------------------------------------------------------------------- distances


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


# --------------------------------------------------------------------------- the matrix


def required_count(target: Any, population: float | None) -> int:
    """The number of reachable partners a town needs to meet ``target``.

    Parameters
    ----------
    target
        A :class:`~partnernetz.models.Target` (``min_reachable``, ``per_10k``).
    population
        The town's population; None/NaN when unknown.

    Returns
    -------
    int
        ``max(min_reachable, ceil(per_10k * population / 10_000))``, or
        ``min_reachable`` when there is no ``per_10k`` target or the population
        is unknown.
    """
    required = int(getattr(target, "min_reachable", 1))
    per_10k = getattr(target, "per_10k", None)
    known = population is not None and not pd.isna(population) and population > 0
    if per_10k is not None and known:
        # round first so that 2.0 * 5000 / 10000 stays 1, not 1.0000000001 → 2
        ratio = round(float(per_10k) * float(population) / 10_000.0, 9)
        required = max(required, math.ceil(ratio))
    return required


def classify_status(reachable: int, required: int) -> str:
    """The traffic light of one cell: ``red``, ``yellow`` or ``green`` (see module doc)."""
    if reachable >= required:
        return GREEN
    if reachable == 0:
        return RED
    return YELLOW


def compute_coverage(
    partners: pd.DataFrame,
    towns: pd.DataFrame,
    *,
    categories: Mapping[str, Any] | Sequence[str] | None = None,
    targets: Mapping[str, Any] | None = None,
    reach: Reach | None = None,
) -> pd.DataFrame:
    """The coverage matrix in long form: one row per town × category.

    Parameters
    ----------
    partners
        Partners GeoDataFrame, already filtered by the caller.
    towns
        Towns GeoDataFrame of the region; rows keep their order.
    categories
        ``Dataset.categories`` (or keys); their order is the column order.
        Default: the default categories plus any the partners use.
    targets
        ``Dataset.targets``: category → Target; missing categories get
        ``Target()`` (at least one reachable partner).
    reach
        The result of :func:`build_reach`, if already computed.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COVERAGE_COLUMNS`, town-major (towns in input order,
        categories in display order). Counts are ``int64``; ``population`` is
        ``Int64``; ``per_10k``, ``target_per_10k`` and ``nearest_km`` are float
        with NaN for "unknown"/"none"; ``status`` is ``green``, ``yellow`` or
        ``red`` following the rule in the module docstring.
    """
    reach = _reach_for(partners, towns, reach)
    specs = _category_specs(categories, partners)
    keys = [key for key, _, _ in specs]
    targets = targets or {}
    n_towns, n_cats = len(reach.town_ags), len(keys)

    cat_pos = _lookup(pd.Index(keys, dtype=object), reach.category)
    onehot = np.zeros((len(partners), n_cats), dtype=bool)
    known = np.flatnonzero(cat_pos >= 0)
    onehot[known, cat_pos[known]] = True
    active = reach.active

    reachable = _count(reach, active, onehot).ravel()
    planned = _count(reach, reach.status == "planned", onehot).ravel()
    inactive = _count(reach, reach.status == "inactive", onehot).ravel()
    inside = active & (reach.located >= 0) & (cat_pos >= 0)
    located = np.bincount(
        reach.located[inside] * n_cats + cat_pos[inside], minlength=n_towns * n_cats
    ).astype(np.int64)

    pop_town = _population(towns)
    population = np.repeat(pop_town, n_cats)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_10k = reachable * 10_000.0 / population

    default = Target()
    target_list = [targets.get(key) or default for key in keys]
    target_min = np.tile([int(getattr(t, "min_reachable", 1)) for t in target_list], n_towns)
    target_ratio = np.tile(
        [np.nan if getattr(t, "per_10k", None) is None else float(t.per_10k) for t in target_list],
        n_towns,
    )
    required = np.array(
        [required_count(t, pop) for pop in pop_town for t in target_list], dtype=np.int64
    )
    status = np.where(
        reachable >= required, GREEN, np.where(reachable == 0, RED, YELLOW)
    ).astype(object)

    frame = pd.DataFrame(
        {
            "ags": np.repeat(reach.town_ags, n_cats),
            "town": np.repeat(reach.town_names, n_cats),
            "population": pd.array(
                [pd.NA if np.isnan(p) else int(p) for p in population], dtype="Int64"
            ),
            "category": np.tile(np.array(keys, dtype=object), n_towns),
            "label_de": np.tile(np.array([s[1] for s in specs], dtype=object), n_towns),
            "label_en": np.tile(np.array([s[2] for s in specs], dtype=object), n_towns),
            "located": located,
            "reachable": reachable,
            "per_10k": per_10k,
            "planned": planned,
            "inactive": inactive,
            "target_min": target_min.astype(np.int64),
            "target_per_10k": target_ratio.astype(float),
            "required": required,
            "status": status,
        }
    )
    masks = [active & (cat_pos == c) for c in range(n_cats)]
    for name, values in _nearest_columns(partners, reach, masks).items():
        frame[name] = values
    return frame


def pivot_coverage(
    coverage: pd.DataFrame, *, value: str = "status", index: str = "town"
) -> pd.DataFrame:
    """The long matrix as a wide table: one row per town, one column per category.

    Parameters
    ----------
    coverage
        The result of :func:`compute_coverage` (or any long frame with
        ``ags``, ``town``, ``category``).
    value
        Which column fills the cells, e.g. ``status``, ``reachable``, ``per_10k``.
    index
        ``town`` (names) or ``ags`` as the row index.

    Returns
    -------
    pandas.DataFrame
        Rows and columns in the order they first appear in ``coverage``.
    """
    return pivot_long(coverage, column="category", value=value, index=index)


def pivot_long(
    long: pd.DataFrame, *, column: str, value: str, index: str = "town"
) -> pd.DataFrame:
    """Any long town × key frame (stages, languages, …) as a wide table.

    Parameters
    ----------
    long
        E.g. the result of :func:`compute_stage_coverage`.
    column
        The key column that becomes the columns, e.g. ``stage``.
    value
        The column that fills the cells, e.g. ``covered``.
    index
        ``town`` or ``ags``.

    Returns
    -------
    pandas.DataFrame
        Rows and columns in first-seen order.
    """
    rows = list(dict.fromkeys(long[index].tolist()))
    cols = list(dict.fromkeys(long[column].tolist()))
    wide = long.pivot(index=index, columns=column, values=value)
    wide = wide.reindex(index=rows, columns=cols)
    wide.columns.name = None
    return wide


def score_towns(coverage: pd.DataFrame) -> pd.DataFrame:
    """The overall coverage score per town, for the choropleth.

    ``score = (green + 0.5 * yellow) / categories``: 1 when every target is
    met, 0 when every category is a white spot.

    Parameters
    ----------
    coverage
        The result of :func:`compute_coverage`.

    Returns
    -------
    pandas.DataFrame
        One row per town (input order) with ``ags``, ``town``, ``categories``,
        ``green``, ``yellow``, ``red`` (counts), ``score`` (float, NaN without
        categories) and ``white_spots`` (tuple of red category keys).
    """
    ags = list(dict.fromkeys(coverage["ags"].tolist()))
    town_of = dict(zip(coverage["ags"], coverage["town"], strict=True))
    status = coverage["status"].to_numpy(dtype=object)
    cell_ags = coverage["ags"].to_numpy(dtype=object)
    cats = coverage["category"].to_numpy(dtype=object)
    pos = _lookup(pd.Index(ags, dtype=object), cell_ags)
    n = len(ags)
    counts = {s: np.bincount(pos[status == s], minlength=n).astype(np.int64) for s in STATUS_ORDER}
    total = counts[GREEN] + counts[YELLOW] + counts[RED]
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(
            total > 0,
            (counts[GREEN] * SCORE_WEIGHTS[GREEN] + counts[YELLOW] * SCORE_WEIGHTS[YELLOW])
            / np.maximum(total, 1),
            np.nan,
        )
    spots: dict[str, list[str]] = {a: [] for a in ags}
    for a, c in zip(cell_ags[status == RED], cats[status == RED], strict=True):
        spots[a].append(c)
    return pd.DataFrame(
        {
            "ags": np.array(ags, dtype=object),
            "town": np.array([town_of[a] for a in ags], dtype=object),
            "categories": total,
            GREEN: counts[GREEN],
            YELLOW: counts[YELLOW],
            RED: counts[RED],
            "score": score.astype(float),
            "white_spots": pd.Series([tuple(spots[a]) for a in ags], dtype=object),
        }
    )


# --------------------------------------------------------------------------- attributes


def _indicator(
    partners: pd.DataFrame, column: str, keys: Sequence[str] | None, active: np.ndarray
) -> tuple[list[str], np.ndarray]:
    """Partners × keys: the partner names the key in the tuple column ``column``.

    With ``keys=None`` the keys are the values active partners use, sorted;
    values outside ``keys`` are appended after them.
    """
    rows, flat = _explode(_column(partners, column, ()))
    used = sorted(v for v in set(compress(flat, active[rows])) if isinstance(v, str))
    keys = list(keys) if keys is not None else []
    keys += [v for v in used if v not in set(keys)]
    codes = _lookup(pd.Index(keys, dtype=object), flat)
    indicator = np.zeros((len(partners), len(keys)), dtype=bool)
    hit = codes >= 0
    indicator[rows[hit], codes[hit]] = True
    return keys, indicator


def _attribute_long(
    reach: Reach, keys: list[str], counts: np.ndarray, name: str, labels: Any
) -> pd.DataFrame:
    n_towns, n_keys = len(reach.town_ags), len(keys)
    frame = pd.DataFrame(
        {
            "ags": np.repeat(reach.town_ags, n_keys),
            "town": np.repeat(reach.town_names, n_keys),
            name: np.tile(np.array(keys, dtype=object), n_towns),
            "label_de": np.tile(np.array([labels(k, "de") for k in keys], dtype=object), n_towns),
            "label_en": np.tile(np.array([labels(k, "en") for k in keys], dtype=object), n_towns),
            "partners": counts.ravel().astype(np.int64),
        }
    )
    frame["covered"] = frame["partners"] > 0
    return frame


def _attribute_coverage(
    partners: pd.DataFrame,
    towns: pd.DataFrame,
    reach: Reach | None,
    column: str,
    name: str,
    vocabulary: Mapping[str, Term] | None,
) -> pd.DataFrame:
    reach = _reach_for(partners, towns, reach)
    keys, indicator = _indicator(
        partners, column, list(vocabulary) if vocabulary is not None else None, reach.active
    )
    counts = _count(reach, reach.active, indicator)
    if vocabulary is None:
        return _attribute_long(reach, keys, counts, name, language_name)

    def label(key: str, lang: str) -> str:
        term = vocabulary.get(key)
        if term is None:
            return key
        return term.en if lang == "en" else term.de

    return _attribute_long(reach, keys, counts, name, label)


def compute_stage_coverage(
    partners: pd.DataFrame, towns: pd.DataFrame, *, reach: Reach | None = None
) -> pd.DataFrame:
    """Which Bildungskette stages the reachable active partners of each town cover.

    Parameters
    ----------
    partners, towns
        As for :func:`compute_coverage`.
    reach
        The result of :func:`build_reach`, if already computed.

    Returns
    -------
    pandas.DataFrame
        One row per town × stage (every stage of ``STAGES``, in vocabulary
        order) with ``ags``, ``town``, ``stage``, ``label_de``, ``label_en``,
        ``partners`` (reachable active partners naming the stage) and
        ``covered`` (bool). A stage is missing where ``covered`` is False.
    """
    return _attribute_coverage(partners, towns, reach, "stages", "stage", STAGES)


def compute_target_group_coverage(
    partners: pd.DataFrame, towns: pd.DataFrame, *, reach: Reach | None = None
) -> pd.DataFrame:
    """Which target groups the reachable active partners of each town address.

    Same layout as :func:`compute_stage_coverage`, with the column
    ``target_group`` (every key of ``TARGET_GROUPS``).
    """
    return _attribute_coverage(
        partners, towns, reach, "target_groups", "target_group", TARGET_GROUPS
    )


def compute_language_coverage(
    partners: pd.DataFrame, towns: pd.DataFrame, *, reach: Reach | None = None
) -> pd.DataFrame:
    """Languages offered within reach of each town.

    Parameters
    ----------
    partners, towns
        As for :func:`compute_coverage`.
    reach
        The result of :func:`build_reach`, if already computed.

    Returns
    -------
    pandas.DataFrame
        One row per town × language offered by any active partner in
        ``partners`` (codes sorted alphabetically), with ``ags``, ``town``,
        ``language`` (ISO 639-1), ``label_de``, ``label_en``, ``partners``
        (reachable active partners offering it) and ``covered``.
    """
    return _attribute_coverage(partners, towns, reach, "languages", "language", None)


def _has_offer(partners: pd.DataFrame, offer: str) -> np.ndarray:
    """Per partner: one of its ``offers`` equals ``offer`` (case and space ignored)."""
    rows, flat = _explode(_column(partners, "offers", ()))
    has = np.zeros(len(partners), dtype=bool)
    if flat:
        wanted = offer.strip().casefold()
        texts = pd.Series(flat, dtype=object).astype(str).str.strip().str.casefold()
        has[rows[(texts == wanted).to_numpy(dtype=bool)]] = True
    return has


def compute_kim_coverage(
    partners: pd.DataFrame,
    towns: pd.DataFrame,
    *,
    reach: Reach | None = None,
    offer: str = KIM_OFFER,
) -> pd.DataFrame:
    """KIM case management per town: present (reachable) or missing.

    A partner offers it when one of its ``offers`` equals ``offer``
    (``"KIM Case Management"``), ignoring case and surrounding space. Only
    active partners count; planned ones are counted apart.

    Returns
    -------
    pandas.DataFrame
        One row per town with ``ags``, ``town``, ``located``, ``reachable``,
        ``planned`` (planned partners with the offer in or serving the town),
        ``present`` (``reachable > 0``), ``nearest_km``, ``nearest_town``,
        ``nearest_name`` (nearest active partner with the offer).
    """
    reach = _reach_for(partners, towns, reach)
    n_towns = len(reach.town_ags)
    has = _has_offer(partners, offer)[:, None]
    active = reach.active
    reachable = _count(reach, active, has).ravel()
    inside = active & has[:, 0] & (reach.located >= 0)
    nearest = _nearest_columns(partners, reach, [active & has[:, 0]])
    return pd.DataFrame(
        {
            "ags": reach.town_ags,
            "town": reach.town_names,
            "located": np.bincount(reach.located[inside], minlength=n_towns).astype(np.int64),
            "reachable": reachable,
            "planned": _count(reach, reach.status == "planned", has).ravel(),
            "present": reachable > 0,
            "nearest_km": nearest["nearest_km"],
            "nearest_town": nearest["nearest_town"],
            "nearest_name": nearest["nearest_name"],
        }
    )


# --------------------------------------------------------------------------- freshness


def _ordinal(value: Any) -> float:
    if type(value) is dt.date:
        return value.toordinal()
    if isinstance(value, dt.datetime):
        return float(value.date().toordinal())
    if isinstance(value, dt.date):
        return float(value.toordinal())
    if isinstance(value, str):
        try:
            return float(dt.date.fromisoformat(value[:10]).toordinal())
        except ValueError:
            return math.nan
    return math.nan


def _verified_ordinals(partners: pd.DataFrame) -> np.ndarray:
    """Per partner: the ``verified`` date as an ordinal day number, NaN if none."""
    if "verified" not in partners.columns:
        return np.full(len(partners), np.nan)
    column = partners["verified"]
    if pd.api.types.is_datetime64_any_dtype(column):
        if getattr(column.dt, "tz", None) is not None:
            column = column.dt.tz_localize(None)
        days = column.to_numpy(dtype="datetime64[D]")
        out = days.astype("int64").astype(float) + dt.date(1970, 1, 1).toordinal()
        out[np.isnat(days)] = np.nan
        return out
    values = column.to_numpy(dtype=object)
    if set(map(type, values)) <= {dt.date, type(None)}:
        dated = values != None  # noqa: E711 - elementwise
        out = np.full(len(values), np.nan)
        out[dated] = np.fromiter(map(dt.date.toordinal, values[dated]), dtype=float)
        return out
    return np.fromiter(map(_ordinal, values), dtype=float, count=len(values))


def _fresh(partners: pd.DataFrame, today: dt.date, months: int) -> tuple[np.ndarray, np.ndarray]:
    ordinals = _verified_ordinals(partners)
    cutoff = _months_before(today, months).toordinal()
    return ordinals >= cutoff, np.isfinite(ordinals)


def share_verified(
    partners: pd.DataFrame, *, today: dt.date, months: int = FRESH_MONTHS
) -> float:
    """Share of entries verified within the last ``months`` months (0–1).

    Every entry counts, whatever its status: the registry's upkeep is about
    all of them. An entry is fresh when ``verified >= today - months``
    (same day of month; the month's last day if shorter). Entries without
    ``verified`` are not fresh. NaN when there are no entries.
    """
    if not len(partners):
        return float("nan")
    return float(_fresh(partners, today, months)[0].mean())


def compute_freshness(
    partners: pd.DataFrame,
    towns: pd.DataFrame,
    *,
    today: dt.date,
    months: int = FRESH_MONTHS,
    reach: Reach | None = None,
) -> pd.DataFrame:
    """Freshness per town: entries located in the town verified recently.

    An entry belongs to the town its point lies in (``ags``; the declared
    ``town_ags`` when the point lies outside every town). All statuses count;
    the rule is that of :func:`share_verified`.

    Returns
    -------
    pandas.DataFrame
        One row per town with ``ags``, ``town``, ``entries``, ``verified``
        (fresh entries), ``unverified`` (entries without a date) and
        ``share`` (``verified / entries``; NaN without entries).
    """
    reach = _reach_for(partners, towns, reach)
    n_towns = len(reach.town_ags)
    pos = reach.located.copy()
    outside = np.flatnonzero(pos < 0)
    if len(outside):
        declared = _column(partners.iloc[outside], "town_ags")
        pos[outside] = _lookup(pd.Index(reach.town_ags, dtype=object), declared)
    fresh, dated = _fresh(partners, today, months)
    ok = pos >= 0
    entries = np.bincount(pos[ok], minlength=n_towns).astype(np.int64)
    verified = np.bincount(pos[ok & fresh], minlength=n_towns).astype(np.int64)
    unverified = np.bincount(pos[ok & ~dated], minlength=n_towns).astype(np.int64)
    share = np.where(entries > 0, verified / np.maximum(entries, 1), np.nan)
    return pd.DataFrame(
        {
            "ags": reach.town_ags,
            "town": reach.town_names,
            "entries": entries,
            "verified": verified,
            "unverified": unverified,
            "share": share,
        }
    )


# --------------------------------------------------------------------------- sentences


def format_km(km: float, *, lang: str = "de") -> str:
    """A distance for people: ``17 km``, ``4,2 km`` (German comma), ``0,3 km``."""
    if km is None or pd.isna(km):
        return ""
    text = f"{km:.0f}" if km >= 10 else f"{km:.1f}"
    if lang != "en":
        text = text.replace(".", ",")
    return f"{text} km"


class NounPhrases(NamedTuple):
    """The phrases a white-spot sentence needs for one category."""

    none_here: str  # "keine Kita", "no day-care centre"
    nearest: str  # "nächste", "nearest"
    none_anywhere: str  # "keine", "none"


def category_noun(key: str, label: str, *, lang: str = "de") -> NounPhrases:
    """Phrases for a category, e.g. ``("keine Kita", "nächste", "keine")``.

    Default categories use the singular nouns of :data:`CATEGORY_NOUNS` with
    the right German gender; custom categories fall back to their label:
    ``kein Angebot der Kategorie „Sprachkurse“`` / ``nächstes`` / ``keines``.
    """
    nouns = CATEGORY_NOUNS.get(key)
    if lang == "en":
        if nouns is not None:
            return NounPhrases(f"no {nouns[1]}", "nearest", "none")
        return NounPhrases(f"nothing in category “{label}”", "nearest", "none")
    noun = nouns[0] if nouns is not None else None
    if noun is None:
        return NounPhrases(f"kein Angebot der Kategorie „{label}“", "nächstes", "keines")
    return NounPhrases(
        f"{_KEIN[noun.gender]} {noun.singular}", _NAECHST[noun.gender],
        _KEINE_PRONOUN[noun.gender],
    )


def describe_white_spots(
    coverage: pd.DataFrame, *, lang: str = "de", include_under_target: bool = False
) -> list[str]:
    """White spots (red cells) as plain sentences, town by town.

    German: ``Marienmünster: keine Beratungsstelle im Ort; nächste in Höxter
    (17 km)``; English (``lang="en"``): ``Marienmünster: no counselling
    service in town; nearest in Höxter (17 km)``. Without any partner of the
    category: ``…; keine im Verzeichnis`` (``keines`` for neuter nouns) /
    ``none in the registry``. Planned
    partners are added apart: ``; geplant: 1`` / ``; planned: 1``.

    Parameters
    ----------
    coverage
        The result of :func:`compute_coverage`.
    lang
        ``de`` (default) or ``en``.
    include_under_target
        Also describe yellow cells: ``Brakel: Kitas und Familienzentren unter
        Ziel (1 von 3 erreichbar)``.

    Returns
    -------
    list of str
        In the order of ``coverage`` (town-major).
    """
    en = lang == "en"
    sentences = []
    for row in coverage.itertuples(index=False):
        label = row.label_en if en else row.label_de
        if row.status == RED:
            no_x, nearest, none = category_noun(row.category, label, lang=lang)
            text = f"{row.town}: {no_x} {'in town' if en else 'im Ort'}"
            km = row.nearest_km
            if km is None or pd.isna(km):
                text += f"; {none} {'in the registry' if en else 'im Verzeichnis'}"
            elif row.nearest_town:
                text += f"; {nearest} in {row.nearest_town} ({format_km(km, lang=lang)})"
            else:
                away = "away" if en else "entfernt"
                text += f"; {nearest} {format_km(km, lang=lang)} {away}"
        elif row.status == YELLOW and include_under_target:
            if en:
                text = (
                    f"{row.town}: {label} below target "
                    f"({row.reachable} of {row.required} reachable)"
                )
            else:
                text = (
                    f"{row.town}: {label} unter Ziel "
                    f"({row.reachable} von {row.required} erreichbar)"
                )
        else:
            continue
        if row.planned:
            text += f"; {'planned' if en else 'geplant'}: {row.planned}"
        sentences.append(text)
    return sentences


# --------------------------------------------------------------------------- headline


@dataclass(frozen=True)
class Headline:
    """The figures at the top of the overview and the report."""

    partners_active: int
    partners_planned: int
    partners_inactive: int
    towns: int
    towns_with_white_spots: int
    white_spots: int
    languages: int
    verified_share: float

    def as_dict(self) -> dict[str, float | int]:
        """The figures as a plain dict (for JSON and tables)."""
        return dict(self.__dict__)


def compute_headline(
    partners: pd.DataFrame,
    towns: pd.DataFrame,
    coverage: pd.DataFrame,
    *,
    today: dt.date,
    verified_share: float | None = None,
) -> Headline:
    """Headline figures of the (filtered) network.

    Parameters
    ----------
    partners, towns
        As for :func:`compute_coverage`.
    coverage
        The result of :func:`compute_coverage` for the same inputs.
    today
        Reference date for freshness.
    verified_share
        :func:`share_verified` of ``partners``, if the caller already has it.

    Returns
    -------
    Headline
        ``partners_active`` (and planned/inactive apart), ``towns``,
        ``towns_with_white_spots`` (towns with at least one red cell),
        ``white_spots`` (red cells), ``languages`` (distinct languages of
        active partners) and ``verified_share`` (:func:`share_verified`).
    """
    if "status" in partners.columns:
        status = partners["status"].fillna("active").astype(str).to_numpy(dtype=object)
    else:
        status = np.full(len(partners), "active", dtype=object)
    active = status == "active"
    rows, flat = _explode(_column(partners, "languages", ()))
    languages = set(compress(flat, active[rows]))
    red = coverage["status"] == RED
    return Headline(
        partners_active=int(active.sum()),
        partners_planned=int((status == "planned").sum()),
        partners_inactive=int((status == "inactive").sum()),
        towns=len(towns),
        towns_with_white_spots=int(coverage.loc[red, "ags"].nunique()),
        white_spots=int(red.sum()),
        languages=len(languages),
        verified_share=(
            share_verified(partners, today=today) if verified_share is None else verified_share
        ),
    )


# --------------------------------------------------------------------------- all at once


@dataclass(frozen=True, eq=False)
class CoverageAnalysis:
    """Everything the overview, the coverage page and the report show."""

    matrix: pd.DataFrame
    scores: pd.DataFrame
    stages: pd.DataFrame
    target_groups: pd.DataFrame
    languages: pd.DataFrame
    kim: pd.DataFrame
    freshness: pd.DataFrame
    headline: Headline


def analyse_coverage(
    partners: pd.DataFrame,
    towns: pd.DataFrame,
    *,
    today: dt.date,
    categories: Mapping[str, Any] | Sequence[str] | None = None,
    targets: Mapping[str, Any] | None = None,
) -> CoverageAnalysis:
    """Run every coverage computation once, sharing the reach table.

    Parameters
    ----------
    partners
        Partners GeoDataFrame, filtered by the caller.
    towns
        Towns GeoDataFrame of the region.
    today
        Reference date for freshness.
    categories, targets
        ``Dataset.categories`` and ``Dataset.targets``.

    Returns
    -------
    CoverageAnalysis
    """
    reach = build_reach(partners, towns)
    matrix = compute_coverage(partners, towns, categories=categories, targets=targets, reach=reach)
    return CoverageAnalysis(
        matrix=matrix,
        scores=score_towns(matrix),
        stages=compute_stage_coverage(partners, towns, reach=reach),
        target_groups=compute_target_group_coverage(partners, towns, reach=reach),
        languages=compute_language_coverage(partners, towns, reach=reach),
        kim=compute_kim_coverage(partners, towns, reach=reach),
        freshness=compute_freshness(partners, towns, today=today, reach=reach),
        headline=compute_headline(partners, towns, matrix, today=today),
    )


def summarise_towns(analysis: CoverageAnalysis, *, lang: str = "de") -> pd.DataFrame:
    """One row per town: score, white spots, missing stages, languages, KIM, freshness.

    Returns
    -------
    pandas.DataFrame
        ``ags``, ``town``, ``score``, ``green``, ``yellow``, ``red``,
        ``white_spots`` (category keys), ``stages_missing`` and
        ``target_groups_missing`` (keys), ``languages`` (codes within reach),
        ``kim`` (bool), ``verified_share``.
    """
    scores = analysis.scores.set_index("ags")

    def grouped(frame: pd.DataFrame, key: str, covered: bool) -> pd.Series:
        part = frame[frame["covered"] == covered]
        return part.groupby("ags", sort=False)[key].agg(tuple)

    stages_missing = grouped(analysis.stages, "stage", False)
    groups_missing = grouped(analysis.target_groups, "target_group", False)
    languages = grouped(analysis.languages, "language", True)
    kim = analysis.kim.set_index("ags")["present"]
    fresh = analysis.freshness.set_index("ags")["share"]
    ags = analysis.scores["ags"]
    return pd.DataFrame(
        {
            "ags": ags.to_numpy(dtype=object),
            "town": analysis.scores["town"].to_numpy(dtype=object),
            "score": scores["score"].to_numpy(dtype=float),
            GREEN: scores[GREEN].to_numpy(),
            YELLOW: scores[YELLOW].to_numpy(),
            RED: scores[RED].to_numpy(),
            "white_spots": scores["white_spots"].to_numpy(dtype=object),
            "stages_missing": [stages_missing.get(a, ()) for a in ags],
            "target_groups_missing": [groups_missing.get(a, ()) for a in ags],
            "languages": [languages.get(a, ()) for a in ags],
            "kim": [bool(kim.get(a, False)) for a in ags],
            "verified_share": [float(fresh.get(a, np.nan)) for a in ags],
        }
    )


# --------------------------------------------------------------------------- export shape


def coverage_table(coverage: pd.DataFrame, *, lang: str = "de") -> pd.DataFrame:
    """The long matrix shaped for export (CLI, CSV/XLSX/JSON downloads).

    Columns :data:`EXPORT_COLUMNS`; ``status`` stays ``green``/``yellow``/``red``;
    ``per_10k`` is rounded to 2 and ``nearest_km`` to 1 decimal (NaN = none);
    ``category_label`` is in ``lang``.
    """
    out = pd.DataFrame(
        {
            "ags": coverage["ags"],
            "town": coverage["town"],
            "category": coverage["category"],
            "category_label": coverage["label_en" if lang == "en" else "label_de"],
            "population": coverage["population"],
            "located": coverage["located"],
            "reachable": coverage["reachable"],
            "per_10k": coverage["per_10k"].astype(float).round(2),
            "planned": coverage["planned"],
            "inactive": coverage["inactive"],
            "required": coverage["required"],
            "status": coverage["status"],
            "nearest_km": coverage["nearest_km"].astype(float).round(1),
            "nearest_town": coverage["nearest_town"],
        }
    )
    return out.reset_index(drop=True)



def coverage_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a table as JSON-ready dicts: NaN/NA become None, numpy numbers Python numbers."""
    records = []
    columns = list(table.columns)
    for row in table.itertuples(index=False, name=None):
        record = {}
        for column, value in zip(columns, row, strict=True):
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                record[column] = None
            elif isinstance(value, np.generic):
                record[column] = value.item()
            elif isinstance(value, tuple):
                record[column] = list(value)
            else:
                record[column] = value
        records.append(record)
    return records


def coverage_json(table: pd.DataFrame) -> str:
    """A table (e.g. :func:`coverage_table`) as a JSON array of objects, UTF-8 text."""
    import json

    return json.dumps(coverage_records(table), ensure_ascii=False, indent=1, allow_nan=False)
