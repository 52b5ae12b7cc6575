"""Summary: the whole coverage analysis in one object, and the per-town summary.

:func:`analyse_coverage` runs reach, matrix, scores, attributes, freshness and
headline once; pages, the report and the CLI read from its result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from partnernetz.analysis.attributes import (
    compute_kim_coverage,
    compute_language_coverage,
    compute_stage_coverage,
    compute_target_group_coverage,
)
from partnernetz.analysis.freshness import compute_freshness
from partnernetz.analysis.headline import Headline, compute_headline
from partnernetz.analysis.matrix import GREEN, RED, YELLOW, compute_coverage, score_towns
from partnernetz.analysis.reach import build_reach


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
