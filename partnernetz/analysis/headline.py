"""Headline: the few figures at the top of the coverage page and the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import compress

import numpy as np
import pandas as pd

from partnernetz.analysis.freshness import share_verified
from partnernetz.analysis.matrix import RED
from partnernetz.analysis.reach import _column, _explode


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
