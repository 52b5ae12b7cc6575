"""Printable PDF: the coverage report of a Kreis, and the one-page Steckbrief of a town.

Fully offline: the map is drawn locally with geopandas + matplotlib (town
polygons coloured by the coverage score, town names, partner points; no
tiles). Text is real text in an embedded TrueType font (DejaVu Sans, which
ships with matplotlib; ``pdf.fonttype`` 42), so it can be searched, copied
and read by screen readers. The traffic-light matrix never relies on colour
alone: every cell carries a symbol (✓ green, ! yellow, ✗ red).

``dataset`` below is a :class:`partnernetz.dataset.Dataset` or anything with
the same attributes (``region.name``, ``categories``, ``targets``,
``partners``, ``towns``, ``attribution``). Pass ``partners=`` to report on a
filtered selection instead of the whole registry.

Kreis report pages, in order: summary (figures and map), the matrix
(:data:`MATRIX_ROWS_PER_PAGE` towns per page), the per-town overview
(:data:`OVERVIEW_ROWS_PER_PAGE` towns per page), and the white-spot list
(:data:`LINES_PER_PAGE` lines per page, at least one page).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages

from partnernetz.analysis.summary import CoverageAnalysis, analyse_coverage
from partnernetz.errors import ExportError
from partnernetz.files import write_bytes_atomically
from partnernetz.views.report_layout import (
    LINES_PER_PAGE,
    MATRIX_ROWS_PER_PAGE,
    OVERVIEW_ROWS_PER_PAGE,
    RC,
    _attribution_lines,
    _Context,
)
from partnernetz.views.report_sections import (
    _matrix_pages,
    _overview_pages,
    _profile_page,
    _summary_page,
    _text_pages,
    _white_spot_lines,
)
from partnernetz.views.report_texts import _t


def count_report_pages(n_towns: int, n_white_spot_lines: int) -> int:
    """Pages of the Kreis report for ``n_towns`` towns and a white-spot list of n lines."""
    return (
        1
        + max(1, math.ceil(n_towns / MATRIX_ROWS_PER_PAGE))
        + max(1, math.ceil(n_towns / OVERVIEW_ROWS_PER_PAGE))
        + max(1, math.ceil(n_white_spot_lines / LINES_PER_PAGE))
    )


def resolve_report_town(query: str, towns: gpd.GeoDataFrame) -> str:
    """AGS of the town called ``query`` (name or AGS; case and umlauts tolerant).

    Raises
    ------
    ExportError
        No town of the region matches; the message lists what is possible.
    """
    from partnernetz.geo import gazetteer

    text = (query or "").strip()
    if text in set(towns["ags"]):
        return text
    ags = gazetteer.resolve_town(text, towns)
    if ags is not None and ags in set(towns["ags"]):
        return ags
    hint = gazetteer.suggest_town(text, towns)
    names = ", ".join(towns["name"])
    message = f"Ort „{text}“ gibt es in dieser Region nicht."
    if hint:
        message += f" Meinten Sie „{hint}“?"
    raise ExportError(f"{message} Mögliche Orte: {names}")


def report_pdf_bytes(
    dataset: Any,
    *,
    today: dt.date,
    town: str | None = None,
    partners: pd.DataFrame | None = None,
    analysis: CoverageAnalysis | None = None,
    note: str | None = None,
    lang: str = "de",
    internal: bool = False,
) -> bytes:
    """The report as PDF bytes (for a Streamlit download button).

    Parameters
    ----------
    dataset
        A ``Dataset`` (or an object with the same attributes).
    today
        The report date (title, freshness).
    town
        Name or AGS of a town: a one-page Steckbrief instead of the Kreis report.
    partners
        The (filtered) partners to report on; default ``dataset.partners``.
    analysis
        :func:`partnernetz.analysis.summary.analyse_coverage` of exactly these
        partners, if the caller has it already.
    note
        A line under the title, e.g. the active filters.
    lang
        ``de`` (default) or ``en``.
    internal
        The report of a signed-in role: every page's footer says
        "Intern – nicht zur Weitergabe".

    Raises
    ------
    ExportError
        Unknown town, or the PDF could not be produced.
    """
    partners = dataset.partners if partners is None else partners
    towns = dataset.towns
    categories = dataset.categories
    if analysis is None:
        analysis = analyse_coverage(partners, towns, today=today, categories=categories,
                                        targets=dataset.targets)
    region = getattr(dataset.region, "name", str(dataset.region))
    ctx = _Context(region=region, today=today, lang=lang,
                   attribution_lines=_attribution_lines(getattr(dataset, "attribution", "")),
                   note=note, internal=internal)
    buffer = io.BytesIO()
    title = (f"{_t('profile', lang)} – {region}" if town else f"{_t('title', lang)} – {region}")
    metadata = {"Title": title, "Creator": "Partnernetz", "Subject": region,
                "CreationDate": None}
    with mpl.rc_context(RC):
        if town is not None:
            ags = resolve_report_town(town, towns)
            ctx.pages = 1
            figures = [_profile_page(ctx, analysis, towns, partners, categories, ags)]
        else:
            white_lines = _white_spot_lines(analysis, lang)
            ctx.pages = count_report_pages(len(towns), len(white_lines))
            figures = [_summary_page(ctx, analysis, towns, partners, categories)]
            figures += _matrix_pages(ctx, analysis, towns, categories)
            figures += _overview_pages(ctx, analysis)
            figures += _text_pages(ctx, _t("white_title", lang), white_lines)
        with PdfPages(buffer, metadata=metadata) as pdf:
            for figure in figures:
                pdf.savefig(figure)
    return buffer.getvalue()


def write_report_pdf(
    dataset: Any,
    *,
    path: str | Path,
    today: dt.date,
    town: str | None = None,
    partners: pd.DataFrame | None = None,
    analysis: CoverageAnalysis | None = None,
    note: str | None = None,
    lang: str = "de",
    internal: bool = False,
) -> Path:
    """Write the report (or a town's Steckbrief) to ``path``, atomically.

    The PDF is built in memory, written to a temporary file beside ``path``
    and moved into place with :func:`os.replace`: a failure never leaves a
    half-written file, and an existing file stays untouched.

    Parameters are those of :func:`report_pdf_bytes`, plus ``path``.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ExportError
        Unknown town, or the file cannot be written (message names the path).
    """
    path = Path(path)
    data = report_pdf_bytes(dataset, today=today, town=town, partners=partners,
                            analysis=analysis, note=note, lang=lang, internal=internal)
    write_bytes_atomically(path, data)
    return path
