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
    :class:`~partnernetz.registry.models.Target` (``Target()``, i.e. one reachable
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

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from partnernetz.analysis.distance import _nearest_columns
from partnernetz.analysis.reach import Reach, _category_specs, _count, _lookup, _population, _reach_for
from partnernetz.registry.models import Target
from partnernetz.registry.vocabulary import (
    Term,
)

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


def required_count(target: Any, population: float | None) -> int:
    """The number of reachable partners a town needs to meet ``target``.

    Parameters
    ----------
    target
        A :class:`~partnernetz.registry.models.Target` (``min_reachable``, ``per_10k``).
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
