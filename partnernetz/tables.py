"""Presentation tables for the coverage pages and exports.

Numbers, shares and dates formatted the German or English way; the
traffic-light cell texts ("✓ 3", "! 1/3", "✗ 0 +1 gepl.") and their cell
styles; the wide towns × categories matrices; the frames offered for download
with readable headers; file-name slugs. Pure pandas: the pages only render
what these functions return.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from partnernetz import coverage as cov
from partnernetz.i18n import t
from partnernetz.maps import format_number

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

    from partnernetz.coverage import Headline

__all__ = [
    "ATTRIBUTES",
    "ATTRIBUTE_HEADERS",
    "CELL_FILL",
    "CELL_INK",
    "EXPORT_HEADERS",
    "MEASURES",
    "SCORE",
    "MapLayer",
    "build_apart_table",
    "build_attribute_export",
    "build_attribute_tables",
    "build_category_layer",
    "build_comparison_chart",
    "build_headline_figures",
    "build_kim_tables",
    "build_matrix_export",
    "build_matrix_tables",
    "build_nearest_export",
    "build_nearest_tables",
    "build_score_layer",
    "build_town_comparison",
    "build_wide_table",
    "format_date",
    "format_figure",
    "format_nearest",
    "format_percent",
    "make_slug",
    "measure_status",
    "name_coverage_stem",
    "name_download",
    "name_report_file",
    "select_towns",
    "style_lights",
    "style_table",
]

# What a matrix cell counts: partners within reach, located in the town, reachable per 10,000.
MEASURES: tuple[str, ...] = ("reachable", "located", "per_10k")
# The map's choice "overall coverage score" next to the category keys.
SCORE = "__score__"
CELL_FILL = cov.CELL_FILL
CELL_INK = cov.CELL_INK
# Readable (German, English) headers of the exported long matrix (:func:`cov.coverage_table`).
EXPORT_HEADERS: dict[str, tuple[str, str]] = {
    "ags": ("AGS", "AGS"),
    "town": ("Ort", "Town"),
    "category": ("Kategorie (Schlüssel)", "Category (key)"),
    "category_label": ("Kategorie", "Category"),
    "population": ("Einwohner", "Population"),
    "located": ("im Ort", "in town"),
    "reachable": ("erreichbar", "reachable"),
    "per_10k": ("erreichbar je 10.000 Einw.", "reachable per 10,000"),
    "planned": ("geplant", "planned"),
    "inactive": ("inaktiv", "inactive"),
    "required": ("Ziel", "target"),
    "status": ("Ampel", "traffic light"),
    "nearest_km": ("nächste (km)", "nearest (km)"),
    "nearest_town": ("nächste in", "nearest in"),
}
# The attribute views of the coverage page: analysis frame → its key column, in display order.
ATTRIBUTES: dict[str, str] = {
    "stages": "stage",
    "languages": "language",
    "target_groups": "target_group",
}
# Readable (German, English) header of each attribute key column in the exports.
ATTRIBUTE_HEADERS: dict[str, tuple[str, str]] = {
    "stage": ("Stufe der Bildungskette", "Education-chain stage"),
    "language": ("Sprache", "Language"),
    "target_group": ("Zielgruppe", "Target group"),
}
# File-name parts that are translated; the others are used as given.
_FILE_PARTS: dict[str, tuple[str, str]] = {"nearest": ("entfernungen", "distances")}
_SPELLED_OUT = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))


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
    return f"{town or '?'}, {cov.format_km(km, lang=lang)}"


def make_slug(text: str) -> str:
    """A file-name part: lower case, umlauts spelled out, dashes.

    Parameters
    ----------
    text : str
        E.g. ``"Höxter / Bad Driburg"``.

    Returns
    -------
    str
        E.g. ``"hoexter-bad-driburg"``; ``"ort"`` if nothing is left.
    """
    folded = text.lower()
    for umlaut, spelled in _SPELLED_OUT:
        folded = folded.replace(umlaut, spelled)
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "ort"


def name_report_file(place: str, *, profile: bool = False, lang: str = "de") -> str:
    """The PDF's file name: the region's report or a town's Steckbrief (``profile``).

    E.g. ``partnernetz-bericht-kreis-hoexter.pdf``, ``steckbrief-bad-driburg.pdf``,
    ``partnernetz-report-….pdf``, ``profile-….pdf``.
    """
    en = lang == "en"
    if profile:
        return f"{'profile' if en else 'steckbrief'}-{make_slug(place)}.pdf"
    return f"partnernetz-{'report' if en else 'bericht'}-{make_slug(place)}.pdf"


def name_coverage_stem(kreis: str, part: str | None = None, *, lang: str = "de") -> str:
    """The file-name stem of a coverage download, without extension.

    Parameters
    ----------
    kreis : str
        The region's Kreis key, e.g. ``05762``.
    part : str, optional
        The table, e.g. ``stages``, ``kim``, ``nearest``; None for the matrix and the workbook.
    lang : str
        ``de`` or ``en``.

    Returns
    -------
    str
        E.g. ``abdeckung-05762``, ``abdeckung-05762-stages``, ``coverage-05762-distances``.
    """
    stem = f"{'coverage' if lang == 'en' else 'abdeckung'}-{kreis}"
    if part is None:
        return stem
    return f"{stem}-{_pick(_FILE_PARTS[part], lang) if part in _FILE_PARTS else part}"


def name_download(
    region: str,
    *,
    what: str | None = None,
    towns: Sequence[str] = (),
    categories: Sequence[str] = (),
    filtered: bool = False,
    stand: dt.date | None = None,
    lang: str = "de",
) -> str:
    """The file-name stem of a download that says what is in it (no extension).

    Parameters
    ----------
    region : str
        The region's name, e.g. ``Kreis Höxter``.
    what : str, optional
        The table, e.g. ``abdeckung``, ``entfernungen``; None for the directory.
    towns, categories : sequence of str
        The selected town names and category keys.
    filtered : bool
        Other filters are in effect (stage, language, search …): ``gefiltert``.
    stand : datetime.date, optional
        The date of the data.
    lang : str
        ``de`` or ``en``.

    Returns
    -------
    str
        E.g. ``partnernetz-kreis-hoexter-beratung-2026-12-01``.
    """
    parts = ["partnernetz", make_slug(region)]
    if what:
        parts.append(make_slug(what))
    parts.extend(make_slug(name) for name in towns)
    parts.extend(make_slug(key) for key in categories)
    if filtered:
        parts.append("filtered" if lang == "en" else "gefiltert")
    if stand is not None:
        parts.append(stand.isoformat())
    stem = "-".join(p for p in parts if p)
    return stem if len(stem) <= 120 else stem[:120].rstrip("-")


# --------------------------------------------------------------------------- selection


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
    table = cov.pivot_long(long, column="key", value=value, index="ags")
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
    light = np.where(located <= 0, cov.RED, np.where(located >= required, cov.GREEN, cov.YELLOW))
    return pd.Series(light, index=matrix.index, dtype=object)


def build_matrix_tables(
    matrix: pd.DataFrame, measure: str, *, lang: str = "de"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Towns × categories: the cell texts and the lights.

    Parameters
    ----------
    matrix : pandas.DataFrame
        The long coverage matrix (:func:`cov.compute_coverage`).
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
    symbol = matrix["status"].map(cov.STATUS_SYMBOLS)
    figure = [format_figure(v, measure, lang=lang) for v in matrix[measure]]
    text = symbol + " " + pd.Series(figure, index=matrix.index, dtype=object)
    if measure == "reachable":
        yellow = matrix["status"] == cov.YELLOW
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
        E.g. :func:`cov.compute_stage_coverage`: ``partners`` and ``covered`` per town and key.
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
        light=long["covered"].map({True: cov.GREEN, False: cov.RED}),
        key=long[key],
    )
    return build_wide_table(long, "cell", lang=lang), build_wide_table(long, "light", lang=lang)


def build_kim_tables(kim: pd.DataFrame, *, lang: str = "de") -> tuple[pd.DataFrame, pd.DataFrame]:
    """KIM case management per town: the table (also the export) and its lights.

    Parameters
    ----------
    kim : pandas.DataFrame
        :func:`cov.compute_kim_coverage`.
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
    lights[present] = kim["present"].map({True: cov.GREEN, False: cov.RED})
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


# --------------------------------------------------------------------------- exports


def build_matrix_export(matrix: pd.DataFrame, *, lang: str = "de") -> pd.DataFrame:
    """The long matrix (every figure per town × category) with readable headers.

    Parameters
    ----------
    matrix : pandas.DataFrame
        The long coverage matrix.
    lang : str
        Headers (:data:`EXPORT_HEADERS`), category labels and light names in ``de`` or ``en``.

    Returns
    -------
    pandas.DataFrame
        :func:`cov.coverage_table` renamed, the status as "grün"/"green" ….
    """
    table = cov.coverage_table(matrix, lang=lang)
    table["status"] = table["status"].map(lambda s: _pick(cov.STATUS_LABELS[s], lang))
    return table.rename(columns={k: _pick(v, lang) for k, v in EXPORT_HEADERS.items()})


def build_attribute_export(long: pd.DataFrame, key: str, *, lang: str = "de") -> pd.DataFrame:
    """The long attribute frame with readable headers, for download.

    Parameters
    ----------
    long : pandas.DataFrame
        E.g. :func:`cov.compute_language_coverage`.
    key : str
        Its key column, one of :data:`ATTRIBUTE_HEADERS`.
    lang : str
        ``de`` or ``en``.

    Returns
    -------
    pandas.DataFrame
        AGS, town, label, partners, covered ("ja"/"nein", "yes"/"no").
    """
    return pd.DataFrame({
        "AGS": long["ags"],
        t("coverage.town", lang): long["town"],
        _pick(ATTRIBUTE_HEADERS[key], lang): long[_label_column(lang)],
        t("coverage.export.partners", lang): long["partners"],
        t("coverage.export.covered", lang): long["covered"].map(
            {True: t("coverage.yes", lang), False: t("coverage.no", lang)}),
    })


def build_nearest_export(matrix: pd.DataFrame, *, lang: str = "de") -> pd.DataFrame:
    """AGS, town, category, nearest town and km (1 decimal) per town × category, for download."""
    return pd.DataFrame({
        "AGS": matrix["ags"],
        t("coverage.town", lang): matrix["town"],
        t("coverage.category", lang): matrix[_label_column(lang)],
        t("coverage.nearest_in", lang): matrix["nearest_town"],
        "km": matrix["nearest_km"].astype(float).round(1),
    })


# --------------------------------------------------------------------------- map and chart


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
    """The overall coverage score per town in per cent (0–100), from :func:`cov.score_towns`."""
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
        :func:`cov.summarise_towns`.
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
