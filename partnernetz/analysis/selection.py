"""Coverage of a selection: the filters decide what is counted and what can be missing.

A category that is not selected is never reported as missing: the matrix, the
white spots, the scores and the headline cover only the selected categories.
The stage, target-group and language tables likewise list only the selected
keys. Every other filter (stage, target group, language, status, text,
freshness) narrows which partners count; the caller passes the partners
already filtered with :func:`partnernetz.filters.apply_filters`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from partnernetz.analysis.summary import CoverageAnalysis, analyse_coverage
from partnernetz.filters import FilterSpec

__all__ = ["analyse_selection", "categories_in_scope", "data_stand"]


def categories_in_scope(categories: Mapping[str, Any], spec: FilterSpec) -> dict[str, Any]:
    """The categories the figures cover: the selected ones, or all when none is selected."""
    if not spec.categories:
        return dict(categories)
    return {key: info for key, info in categories.items() if key in spec.categories}


def analyse_selection(
    partners: pd.DataFrame,
    towns: pd.DataFrame,
    *,
    spec: FilterSpec,
    today: dt.date,
    categories: Mapping[str, Any],
    targets: Mapping[str, Any] | None = None,
) -> CoverageAnalysis:
    """Every coverage figure for the partners that pass ``spec``, over the selected keys only.

    Parameters
    ----------
    partners
        The partners after :func:`~partnernetz.filters.apply_filters` with ``spec``.
    towns
        The region's towns.
    spec
        The filters in effect (which categories, stages, target groups and
        languages the tables cover).
    today
        Reference date for freshness.
    categories, targets
        ``Dataset.categories`` and ``Dataset.targets``.
    """
    scope = categories_in_scope(categories, spec)
    goals = {k: v for k, v in (targets or {}).items() if k in scope}
    analysis = analyse_coverage(partners, towns, today=today, categories=scope, targets=goals)
    narrowed = {}
    for name, column, selected in (
        ("stages", "stage", spec.stages),
        ("target_groups", "target_group", spec.target_groups),
        ("languages", "language", spec.languages),
    ):
        table = getattr(analysis, name)
        if selected and column in table:
            narrowed[name] = table[table[column].isin(selected)].reset_index(drop=True)
    return dataclasses.replace(analysis, **narrowed) if narrowed else analysis


def data_stand(partners: pd.DataFrame, *, source: Path | None = None) -> dt.date | None:
    """The date of the data ("Stand"): the newest ``verified``, else the file's date.

    Parameters
    ----------
    partners
        The dataset's partners (``verified``: dates or None).
    source
        The registry file, for its modification date when no partner was verified.
    """
    dates = [d for d in partners.get("verified", pd.Series(dtype=object))
             if isinstance(d, dt.date)]
    if dates:
        return max(dates)
    if source is not None:
        try:
            return dt.date.fromtimestamp(Path(source).stat().st_mtime)
        except OSError:
            return None
    return None
