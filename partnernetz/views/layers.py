"""Layers: choropleth layers, the comparison chart and the headline figures
as the coverage page shows them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from partnernetz.i18n import t
from partnernetz.views.choropleth import format_number

if TYPE_CHECKING:

    from partnernetz.analysis.headline import Headline
from partnernetz.views.tables import format_figure, format_percent


@dataclass(frozen=True)
class MapLayer:
    """What the choropleth shows: a value per AGS, how to read and format it."""

    values: pd.Series
    unit: str
    title: str
    fmt: Callable[[float], str]
    value_range: tuple[float, float] | None


def _format_score(value: float, *, lang: str) -> str:
    return format_percent(value / 100, lang=lang)


def build_score_layer(scores: pd.DataFrame, *, lang: str = "de") -> MapLayer:
    """The overall coverage score per town in per cent (0–100).

    From :func:`~partnernetz.analysis.matrix.score_towns`.
    """
    values = pd.Series((scores["score"] * 100).to_numpy(dtype=float), index=scores["ags"].to_numpy())
    return MapLayer(values, t("coverage.unit.score", lang), t("coverage.score", lang),
                    functools.partial(_format_score, lang=lang), (0.0, 100.0))


def build_category_layer(
    matrix: pd.DataFrame, category: str, measure: str, *, label: str, lang: str = "de"
) -> MapLayer:
    """One category's figure per town.

    Parameters
    ----------
    matrix : pandas.DataFrame
        The long coverage matrix.
    category : str
        The category key.
    measure : str
        One of :data:`MEASURES`.
    label : str
        The category's label in ``lang``, for the title.
    lang : str
        ``de`` or ``en``.

    Returns
    -------
    MapLayer
        The range runs from 0 to the largest value (at least 1); None without values.
    """
    cells = matrix[matrix["category"] == category]
    values = pd.Series(cells[measure].to_numpy(dtype=float), index=cells["ags"].to_numpy())
    value_range = (0.0, max(float(values.max()), 1.0)) if values.notna().any() else None
    return MapLayer(values, t(f"coverage.unit.{measure}", lang),
                    f"{label}: {t(f'coverage.measure.{measure}', lang)}",
                    functools.partial(format_figure, measure=measure, lang=lang), value_range)


def build_comparison_chart(towns: pd.DataFrame, values: pd.Series) -> pd.DataFrame:
    """Columns ``town`` (name) and ``value``, one row per entry of ``values`` (indexed by AGS)."""
    return pd.DataFrame({
        "town": towns.set_index("ags").loc[values.index, "name"].to_numpy(),
        "value": values.to_numpy(dtype=float),
    })


# --------------------------------------------------------------------------- overview


def build_headline_figures(head: Headline, *, lang: str = "de") -> list[tuple[str, str, str]]:
    """The overview's six headline figures as (label, value, help) texts, in display order."""
    figures = (
        ("overview.partners", format_number(head.partners_active, lang=lang, decimals=0),
         "overview.partners_help"),
        ("overview.towns", str(head.towns), "overview.towns_help"),
        ("overview.white_towns", str(head.towns_with_white_spots), "overview.white_towns_help"),
        ("overview.languages", str(head.languages), "overview.languages_help"),
        ("overview.verified", format_percent(head.verified_share, lang=lang), "overview.verified_help"),
        ("overview.planned", str(head.partners_planned), "overview.planned_help"),
    )
    return [(t(label, lang), value, t(help_key, lang)) for label, value, help_key in figures]


def build_town_comparison(
    summary: pd.DataFrame, categories: Mapping[str, Any], *, lang: str = "de"
) -> pd.DataFrame:
    """The towns compared, lowest score first.

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`~partnernetz.analysis.summary.summarise_towns`.
    categories : Mapping
        Category key → info with ``label(lang)``; unknown keys are shown as they are.
    lang : str
        ``de`` or ``en``.

    Returns
    -------
    pandas.DataFrame
        Town, score (whole per cent), lights ("✓ 5 · ! 1 · ✗ 1"), white spots
        (labels), KIM (✓/✗), languages within reach, share verified (whole per cent).
    """
    labels = {k: info.label(lang) for k, info in categories.items()}
    score, town = t("coverage.score", lang), t("coverage.town", lang)
    return pd.DataFrame({
        town: summary["town"],
        score: (summary["score"] * 100).round(0),
        t("overview.lights", lang): [f"✓ {g} · ! {y} · ✗ {r}" for g, y, r in
                                     zip(summary["green"], summary["yellow"], summary["red"], strict=True)],
        t("overview.gaps", lang): [", ".join(labels.get(k, k) for k in keys) or "–"
                                   for keys in summary["white_spots"]],
        t("overview.kim", lang): summary["kim"].map({True: "✓", False: "✗"}),
        t("overview.languages", lang): summary["languages"].map(len),
        t("overview.verified", lang): (summary["verified_share"] * 100).round(0),
    }).sort_values([score, town])
