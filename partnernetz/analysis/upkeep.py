"""Keeping entries current: which partners are due for a check ("Prüfliste")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from partnernetz.analysis.freshness import FRESH_MONTHS, months_before, share_verified

__all__ = ["FRESH_MONTHS", "UpkeepFigures", "months_before", "overdue_partners", "upkeep_figures"]



def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def overdue_partners(partners: pd.DataFrame, *, today: dt.date, months: int = FRESH_MONTHS) -> pd.DataFrame:
    """Active partners not verified within ``months`` months, oldest first.

    Never verified comes first. The result has an extra column ``days_since``
    (None when never verified).
    """
    cutoff = months_before(today, months)
    active = partners[partners["status"] == "active"]
    dates = active["verified"].map(_as_date)
    due = dates.isna() | dates.map(lambda d: d is not None and d < cutoff)
    out = active.loc[due].copy()
    verified = dates[due]
    out["days_since"] = pd.Series([None if d is None else (today - d).days for d in verified],
                                  index=out.index, dtype=object)
    order = sorted(range(len(out)), key=lambda i: (verified.iloc[i] is not None,
                                                   verified.iloc[i] or dt.date.min, out["name"].iloc[i]))
    return out.iloc[order].reset_index(drop=True)


@dataclass(frozen=True)
class UpkeepFigures:
    """The two upkeep figures of the Übersicht (for redaktion and admin)."""

    share: float  # share of all entries verified within the period (0–1, NaN without entries)
    overdue: int  # active partners due for a check


def upkeep_figures(partners: pd.DataFrame, *, today: dt.date, months: int = FRESH_MONTHS) -> UpkeepFigures:
    """The two upkeep figures of the Übersicht (for redaktion and admin)."""
    share = share_verified(partners, today=today, months=months)
    return UpkeepFigures(share, len(overdue_partners(partners, today=today, months=months)))
