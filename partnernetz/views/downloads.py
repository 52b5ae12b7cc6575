"""Downloads: file names and the readable export tables of the coverage page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import pandas as pd

from partnernetz.analysis.matrix import STATUS_LABELS, coverage_table
from partnernetz.i18n import ATTRIBUTE_HEADERS, EXPORT_HEADERS, t
from partnernetz.views.tables import _label_column, _pick

# File-name parts that are translated; the others are used as given.
_FILE_PARTS: dict[str, tuple[str, str]] = {"nearest": ("entfernungen", "distances")}
_SPELLED_OUT = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))


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


def name_report_file(place: str, *, profile: bool = False, lang: str = "de",
                     stand: dt.date | None = None) -> str:
    """The PDF's file name: the region's report or a town's Steckbrief (``profile``).

    E.g. ``partnernetz-bericht-kreis-hoexter-2026-11-15.pdf``,
    ``steckbrief-bad-driburg-2026-11-15.pdf``, ``partnernetz-report-….pdf``,
    ``profile-….pdf``; ``stand`` (the date of the data) ends the name.
    """
    en = lang == "en"
    date = f"-{stand.isoformat()}" if stand is not None else ""
    if profile:
        return f"{'profile' if en else 'steckbrief'}-{make_slug(place)}{date}.pdf"
    return f"partnernetz-{'report' if en else 'bericht'}-{make_slug(place)}{date}.pdf"


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
    scope: str | None = None,
    stand: dt.date | None = None,
    lang: str = "de",
) -> str:
    """The file-name stem of a download that says what is in it (no extension).

    Parameters
    ----------
    region : str
        The region's name, e.g. ``Kreis Höxter``.
    what : str, optional
        The table, e.g. ``abdeckung``, ``abdeckung-entfernungen``; None for the directory.
    towns, categories : sequence of str
        The selected town names and category keys.
    filtered : bool
        Other filters are in effect (stage, language, search …): ``gefiltert``.
    scope : str, optional
        What the viewer's role lets the file hold, e.g. ``öffentlich`` / ``intern``.
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
    if scope:
        parts.append(make_slug(scope))
    if stand is not None:
        parts.append(stand.isoformat())
    stem = "-".join(p for p in parts if p)
    return stem if len(stem) <= 120 else stem[:120].rstrip("-")


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
        :func:`~partnernetz.analysis.matrix.coverage_table` renamed, the status as "grün"/"green" ….
    """
    table = coverage_table(matrix, lang=lang)
    table["status"] = table["status"].map(lambda s: _pick(STATUS_LABELS[s], lang))
    return table.rename(columns={k: _pick(v, lang) for k, v in EXPORT_HEADERS.items()})


def build_attribute_export(long: pd.DataFrame, key: str, *, lang: str = "de") -> pd.DataFrame:
    """The long attribute frame with readable headers, for download.

    ``long`` is an attribute frame such as
    :func:`~partnernetz.analysis.attributes.compute_language_coverage`, ``key`` its key
    column (one of :data:`~partnernetz.i18n.ATTRIBUTE_HEADERS`), ``lang`` ``de`` or ``en``.

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
