"""Presentation tables for the coverage pages and exports.

Numbers, shares and dates formatted the German or English way; the
traffic-light cell texts ("✓ 3", "! 1/3", "✗ 0 +1 gepl.") and their cell
styles; the wide towns × categories matrices; the frames offered for download
with readable headers; file-name slugs. Pure pandas: the pages only render
what these functions return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from partnernetz.analysis.matrix import CELL_FILL, CELL_INK, GREEN, RED, STATUS_SYMBOLS, YELLOW, pivot_long
from partnernetz.analysis.phrases import format_km
from partnernetz.i18n import CATEGORY_SHORT, t
from partnernetz.views.choropleth import format_number

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler



# What a matrix cell counts: partners within reach, located in the town, reachable per 10,000.
MEASURES: tuple[str, ...] = ("reachable", "located", "per_10k")
# The map's choice "overall coverage score" next to the category keys.
SCORE = "__score__"


# The attribute views of the coverage page: analysis frame → its key column, in display order.
ATTRIBUTES: dict[str, str] = {
    "stages": "stage",
    "languages": "language",
    "target_groups": "target_group",
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _label_column(lang: str) -> str:
    return "label_en" if lang == "en" else "label_de"


# --------------------------------------------------------------------------- formatting


def format_figure(value: float | None, measure: str, *, lang: str = "de") -> str:
    """A matrix figure: whole numbers for counts, one decimal per 10,000.

    Parameters
    ----------
    value : float or None
        The figure; None or NaN when unknown.
    measure : str
        One of :data:`MEASURES`; ``per_10k`` gets one decimal.
    lang : str
        ``de`` (``1.234,5``) or ``en`` (``1,234.5``).

    Returns
    -------
    str
        E.g. ``"3"``, ``"2,4"``; ``"–"`` if unknown.
    """
    if value is None or pd.isna(value):
        return "–"
    return format_number(float(value), lang=lang, decimals=1 if measure == "per_10k" else 0)


def format_percent(share: float | None, *, lang: str = "de") -> str:
    """A share (0–1) in whole per cent.

    Parameters
    ----------
    share : float or None
        The share; None or NaN when unknown.
    lang : str
        ``de`` or ``en``.

    Returns
    -------
    str
        ``"77 %"`` (German) or ``"77%"`` (English); ``"–"`` if unknown.
    """
    if share is None or pd.isna(share):
        return "–"
    number = format_number(float(share) * 100, lang=lang, decimals=0)
    return f"{number}%" if lang == "en" else f"{number} %"


def format_date(day: dt.date, *, lang: str = "de") -> str:
    """A date for people: ``21.11.2026`` (German) or ``2026-11-21`` (English)."""
    return day.isoformat() if lang == "en" else day.strftime("%d.%m.%Y")


def format_nearest(town: str | None, km: float | None, *, lang: str = "de") -> str:
    """The nearest offer as ``"Höxter, 4,2 km"``; ``"?"`` for an unknown town, ``"–"`` for none."""
    if km is None or pd.isna(km):
        return "–"
    return f"{town or '?'}, {format_km(km, lang=lang)}"


def select_towns(frame: pd.DataFrame, towns: Sequence[str]) -> pd.DataFrame:
    """Rows whose ``ags`` is one of ``towns``; every row when ``towns`` is empty."""
    return frame[frame["ags"].isin(list(towns))] if towns else frame


# --------------------------------------------------------------------------- traffic lights


def style_lights(status: pd.DataFrame) -> pd.DataFrame:
    """CSS per cell from a frame of ``green``/``yellow``/``red``; other cells unstyled."""
    return status.map(lambda s: f"background-color: {CELL_FILL[s]}; color: {CELL_INK[s]}"
                      if s in CELL_FILL else "")


def style_table(texts: pd.DataFrame, status: pd.DataFrame) -> Styler:
    """The text table coloured by the traffic light of each cell (same shape as ``texts``)."""
    return texts.style.apply(lambda _: style_lights(status), axis=None)


def build_wide_table(long: pd.DataFrame, value: str, *, lang: str = "de") -> pd.DataFrame:
    """A long town × key frame as a towns × labels table.

    Parameters
    ----------
    long : pandas.DataFrame
        Columns ``ags``, ``town``, ``key``, ``label_de``, ``label_en`` and ``value``.
    value : str
        The column that fills the cells.
    lang : str
        Which labels name the columns; the index is named "Ort"/"Town".

    Returns
    -------
    pandas.DataFrame
        One row per town (named), one column per key (its label, with the key
        appended where labels repeat), in first-seen order.
    """
    table = pivot_long(long, column="key", value=value, index="ags")
    towns = dict(zip(long["ags"], long["town"], strict=False))
    labels = dict(zip(long["key"], long[_label_column(lang)], strict=False))
    names = [labels[k] for k in table.columns]
    table.columns = [f"{n} ({k})" if names.count(n) > 1 else n
                     for n, k in zip(names, table.columns, strict=True)]
    table.index = pd.Index([towns[a] for a in table.index], name=t("coverage.town", lang))
    return table


def measure_status(matrix: pd.DataFrame, measure: str) -> pd.Series:
    """The light of each cell for the figure shown.

    "erreichbar" and "je 10.000" show the coverage status. "im Ort" counts only
    partners located in the town: red ✗ where none is, yellow below the target,
    green at or above it; never a green ✓ 0.
    """
    if measure != "located":
        return matrix["status"]
    located = matrix["located"].to_numpy()
    required = matrix["required"].to_numpy()
    light = np.where(located <= 0, RED, np.where(located >= required, GREEN, YELLOW))
    return pd.Series(light, index=matrix.index, dtype=object)


def build_matrix_tables(
    matrix: pd.DataFrame, measure: str, *, lang: str = "de"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Towns × categories: the cell texts and the lights.

    Parameters
    ----------
    matrix : pandas.DataFrame
        The long coverage matrix (:func:`~partnernetz.analysis.matrix.compute_coverage`).
    measure : str
        The figure shown, one of :data:`MEASURES`.
    lang : str
        ``de`` or ``en``.

    Returns
    -------
    tuple of pandas.DataFrame
        The texts ("✓ 3", "! 1/3" below target, "✗ 0 +1 gepl." with planned
        partners) and the statuses, both towns × category labels.
    """
    matrix = matrix.assign(status=measure_status(matrix, measure))
    symbol = matrix["status"].map(STATUS_SYMBOLS)
    figure = [format_figure(v, measure, lang=lang) for v in matrix[measure]]
    text = symbol + " " + pd.Series(figure, index=matrix.index, dtype=object)
    if measure == "reachable":
        yellow = matrix["status"] == YELLOW
        text[yellow] = text[yellow] + "/" + matrix.loc[yellow, "required"].astype(str)
    planned = matrix["planned"] > 0
    text[planned] = (text[planned] + " +" + matrix.loc[planned, "planned"].astype(str) + " "
                     + t("coverage.planned_short", lang))
    long = matrix.assign(cell=text, key=matrix["category"])
    return build_wide_table(long, "cell", lang=lang), build_wide_table(long, "status", lang=lang)


def build_attribute_tables(
    long: pd.DataFrame, key: str, *, lang: str = "de"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stages, target groups or languages: "✓ 5" / "✗ 0" per town and key, and the lights.

    Parameters
    ----------
    long : pandas.DataFrame
        E.g. :func:`~partnernetz.analysis.attributes.compute_stage_coverage`: ``partners`` and
        ``covered`` per town and key.
    key : str
        The key column, e.g. ``stage`` (see :data:`ATTRIBUTES`).
    lang : str
        ``de`` or ``en``.

    Returns
    -------
    tuple of pandas.DataFrame
        Texts and lights (green where covered, red where not), towns × labels.
    """
    long = long.assign(
        cell=[f"✓ {n}" if c else "✗ 0" for n, c in zip(long["partners"], long["covered"], strict=True)],
        light=long["covered"].map({True: GREEN, False: RED}),
        key=long[key],
    )
    return build_wide_table(long, "cell", lang=lang), build_wide_table(long, "light", lang=lang)


def build_kim_tables(kim: pd.DataFrame, *, lang: str = "de") -> tuple[pd.DataFrame, pd.DataFrame]:
    """KIM case management per town: the table (also the export) and its lights.

    Parameters
    ----------
    kim : pandas.DataFrame
        :func:`~partnernetz.analysis.attributes.compute_kim_coverage`.
    lang : str
        ``de`` or ``en``.

    Returns
    -------
    tuple of pandas.DataFrame
        Town, "✓ vorhanden"/"✗ fehlt", reachable, located, planned, nearest
        offer; and the lights, coloured in the presence column only.
    """
    present = t("coverage.kim_column", lang)
    table = pd.DataFrame({
        t("coverage.town", lang): kim["town"],
        present: kim["present"].map(
            {True: "✓ " + t("coverage.present", lang), False: "✗ " + t("coverage.missing", lang)}),
        t("coverage.measure.reachable", lang): kim["reachable"],
        t("coverage.measure.located", lang): kim["located"],
        t("coverage.planned", lang): kim["planned"],
        t("coverage.nearest_offer", lang): [
            format_nearest(town, km, lang=lang)
            for town, km in zip(kim["nearest_town"], kim["nearest_km"], strict=True)
        ],
    })
    lights = pd.DataFrame("", index=table.index, columns=table.columns)
    lights[present] = kim["present"].map({True: GREEN, False: RED})
    return table, lights


def build_nearest_tables(
    matrix: pd.DataFrame, *, lang: str = "de"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The nearest active offer per town and category ("Höxter, 4,2 km"), and the lights."""
    nearest = matrix.assign(
        cell=[format_nearest(town, km, lang=lang)
              for town, km in zip(matrix["nearest_town"], matrix["nearest_km"], strict=True)],
        key=matrix["category"],
    )
    return build_wide_table(nearest, "cell", lang=lang), build_wide_table(nearest, "status", lang=lang)


def build_apart_table(matrix: pd.DataFrame, *, lang: str = "de") -> pd.DataFrame:
    """Town and category cells with planned or inactive partners (counted apart), possibly empty."""
    apart = matrix[(matrix["planned"] > 0) | (matrix["inactive"] > 0)]
    return pd.DataFrame({
        t("coverage.town", lang): apart["town"],
        t("coverage.category", lang): apart[_label_column(lang)],
        t("coverage.planned", lang): apart["planned"],
        t("coverage.inactive", lang): apart["inactive"],
    })


def short_category_labels(categories: Mapping[str, Any], *, lang: str = "de",
                          max_chars: int = 13) -> dict[str, str]:
    """Full category label → a short column header ("Beratungsstellen" → "Beratung").

    The default categories have fixed short labels; a registry's own category
    keeps its label's first word, cut to ``max_chars``. Pair it with the full
    label as the column's help text.
    """
    out = {}
    for key, info in categories.items():
        full = info.label(lang) if hasattr(info, "label") else str(info)
        if key in CATEGORY_SHORT:
            short = CATEGORY_SHORT[key][1 if lang == "en" else 0]
        else:
            short = full.split()[0].rstrip("-") if full.split() else key
            short = short if len(short) <= max_chars else short[: max_chars - 1] + "…"
        out[full] = short
    return out
