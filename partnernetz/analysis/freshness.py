"""Freshness: how recently the partners of each town were verified.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from partnernetz.analysis.reach import Reach, _column, _lookup, _reach_for

FRESH_MONTHS = 12


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the last day of a shorter month)."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - unreachable


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
    cutoff = months_before(today, months).toordinal()
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
