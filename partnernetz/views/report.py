"""Printable report: the coverage report of a Kreis, and the Steckbrief of a town.

Built as one HTML document (:mod:`report_sections`, :mod:`report_document`)
and rendered by WeasyPrint as a tagged PDF in its ``pdf/ua-1`` variant
(PDF/UA-1): a title and the document language (``/Lang``) in the catalogue,
a structure tree in reading order (headings, lists, tables with ``TH``
headers, figures with alternative texts), bookmarks from the headings, and
real, extractable text in embedded fonts. WeasyPrint needs Debian's Pango
(``make`` installs it). Registry text is escaped HTML text: nothing is
interpreted as Markdown or mathtext ("Kosten $5 und $10" prints as it is).

The report states only what the filtered analysis shows: the filters in
effect are printed on page 1, before the white spots. ``internal`` marks every
page "Intern – nicht zur Weitergabe"; ``trend`` adds one line such as
"weiße Flecken: 4 (vor 12 Monaten: 7)".

``dataset`` is a :class:`partnernetz.dataset.Dataset` or anything with the
same attributes (``region.name``, ``categories``, ``targets``, ``partners``,
``towns``, ``attribution``).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from html import escape
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from partnernetz.analysis.summary import CoverageAnalysis, analyse_coverage
from partnernetz.errors import ExportError
from partnernetz.files import write_bytes_atomically
from partnernetz.views import report_document as doc
from partnernetz.views import report_sections as sections
from partnernetz.views.choropleth import SEQUENTIAL
from partnernetz.views.report_map import METRIC_CRS, RC, draw_coverage_map
from partnernetz.views.report_sections import ReportOptions
from partnernetz.views.report_texts import _t
from partnernetz.views.tables import format_date

PDF_VARIANT = "pdf/ua-1"
MAP_DPI = 170


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


def map_png(
    towns: gpd.GeoDataFrame, scores: pd.DataFrame, partners: pd.DataFrame, categories: Any, *,
    highlight: str | None = None, lang: str = "de", width_in: float = 7.0,
) -> bytes:
    """The coverage map as PNG, with the region's aspect (its legend is HTML beside it)."""
    minx, miny, maxx, maxy = towns.to_crs(METRIC_CRS).total_bounds
    aspect = (maxy - miny) / max(maxx - minx, 1.0)
    with mpl.rc_context(RC):
        fig = Figure(figsize=(width_in, max(2.0, width_in * aspect * 1.04)))
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        draw_coverage_map(ax, towns, scores, partners, categories=categories,
                          highlight=highlight, labels=True, legend=False, lang=lang)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=MAP_DPI)
    return buffer.getvalue()


def report_html(
    dataset: Any,
    *,
    today: dt.date,
    town: str | None = None,
    partners: pd.DataFrame | None = None,
    analysis: CoverageAnalysis | None = None,
    options: ReportOptions | None = None,
) -> str:
    """The report (or a town's Steckbrief) as one HTML document; see :func:`report_pdf_bytes`."""
    options = options or ReportOptions()
    lang = options.lang
    partners = dataset.partners if partners is None else partners
    towns = dataset.towns
    categories = dataset.categories
    if analysis is None:
        analysis = analyse_coverage(partners, towns, today=today, categories=categories,
                                    targets=dataset.targets)
    region = getattr(dataset.region, "name", str(dataset.region))
    sources = sections.sources(sections.attribution_lines(getattr(dataset, "attribution", "")),
                               lang)
    if town is not None:
        ags = resolve_report_town(town, towns)
        name = str(towns.loc[towns["ags"] == ags, "name"].iloc[0])
        title = f"{_t('profile', lang)}: {name}"
        body, info = sections.town_profile(analysis, towns, partners, ags, lang)
        located = partners[info["reach"].located == info["pos"]] if len(partners) else partners
        png = map_png(towns, analysis.scores, located, categories, highlight=ags, lang=lang,
                      width_in=5.0)
        alt = sections.map_alt_text(analysis, region, lang, town=name)
        located_map = doc.figure(doc.png_data_uri(png), alt=alt, css_class="pn-map-small",
                                 caption=_t("map_caption_town", lang, town=name))
        # the locator map and the sources float beside the figures: one page per town
        side = f'<div class="pn-side">{located_map}{sources}</div>'
        body = (sections.intro(title, region, today, options) + '<div class="pn-profile">'
                + side + body + "</div>")
    elif dataset.partners.empty:  # a new registry: no white spots invented for zero partners
        title = _t("title", lang)
        body = (sections.intro(title, region, today, options)
                + f"<p>{escape(_t('no_partners', lang, region=region))}</p>" + sources)
    else:
        title = _t("title", lang)
        png = map_png(towns, analysis.scores, partners, categories, lang=lang)
        body = (sections.intro(title, region, today, options)
                + sections.headline_figures(analysis, lang)
                + sections.white_spot_section(analysis, lang)
                + sections.map_section(png, alt=sections.map_alt_text(analysis, region, lang),
                                       caption=_t("map_title", lang), lang=lang,
                                       legend=sections.category_legend(partners, categories, lang))
                + sources
                + '<section class="pn-wide">'
                + sections.matrix_table(analysis, towns, lang)
                + sections.overview_table(analysis, lang) + "</section>")
    page = doc.Page(
        lang=lang, title=f"{title} – {region}", region=region,
        as_of=f"{_t('as_of', lang)}: {format_date(today, lang=lang)}", footer=_t("made", lang),
        internal_label=_t("internal", lang) if options.internal else None,
    )
    return doc.document(page, body, scale=SEQUENTIAL, description=region)


def report_pdf_bytes(
    dataset: Any,
    *,
    today: dt.date,
    town: str | None = None,
    partners: pd.DataFrame | None = None,
    analysis: CoverageAnalysis | None = None,
    filters: str | None = None,
    note: str | None = None,
    internal: bool = False,
    trend: str | None = None,
    lang: str = "de",
) -> bytes:
    """The report as PDF/UA-1 bytes (for a Streamlit download button).

    Parameters
    ----------
    dataset
        A ``Dataset`` (or an object with the same attributes).
    today
        The report date (title, freshness).
    town
        Name or AGS of a town: its Steckbrief instead of the Kreis report.
    partners
        The (filtered) partners to report on; default ``dataset.partners``.
    analysis
        :func:`partnernetz.analysis.summary.analyse_coverage` of exactly these
        partners, if the caller has it already.
    filters
        The filters in effect as one line, printed on page 1 (None: "keine").
    note
        Older name of ``filters`` (used when ``filters`` is None).
    internal
        Mark every page "Intern – nicht zur Weitergabe".
    trend
        One line about the trend, e.g. "weiße Flecken: 4 (vor 12 Monaten: 7)".
    lang
        ``de`` (default) or ``en``.

    Raises
    ------
    ExportError
        Unknown town, or the PDF could not be produced (e.g. Pango missing).
    """
    options = ReportOptions(filters=filters if filters is not None else note, internal=internal,
                            trend=trend, lang=lang)
    html = report_html(dataset, today=today, town=town, partners=partners, analysis=analysis,
                       options=options)
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango's shared libraries are missing
        raise ExportError(
            "PDF-Bericht nicht möglich: WeasyPrint oder Pango fehlt "
            f"(apt-get install libpango-1.0-0 libpangoft2-1.0-0): {exc}"
        ) from exc
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        return HTML(string=html, base_url=None).write_pdf(pdf_variant=PDF_VARIANT)
    except Exception as exc:
        raise ExportError(f"PDF-Bericht konnte nicht erzeugt werden: {exc}") from exc


def write_report_pdf(dataset: Any, *, path: str | Path, today: dt.date, **options: Any) -> Path:
    """Write the report (or a town's Steckbrief) to ``path``, atomically.

    The PDF is built in memory, written to a temporary file beside ``path``
    and moved into place: a failure never leaves a half-written file, and an
    existing file stays untouched. Parameters are those of
    :func:`report_pdf_bytes`, plus ``path``.

    Raises
    ------
    ExportError
        Unknown town, or the file cannot be written (message names the path).
    """
    path = Path(path)
    write_bytes_atomically(path, report_pdf_bytes(dataset, today=today, **options))
    return path


__all__ = [
    "ReportOptions",
    "map_png",
    "report_html",
    "report_pdf_bytes",
    "resolve_report_town",
    "write_report_pdf",
]
