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

Page 1 is the summary (headline figures, what changed since the last report,
white spots); page 2 the region map at the text width, drawn as SVG
(:mod:`report_svg`: 8 pt town labels as real text, never overlapping); then the
matrix and overview on landscape pages. The registry's ``region.logo`` and
``region.sender`` head every page. WeasyPrint fetches nothing but ``data:`` URIs.

``dataset`` is a :class:`partnernetz.dataset.Dataset` or anything with the
same attributes (``region.name``, ``categories``, ``targets``, ``partners``,
``towns``, ``attribution``).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from html import escape
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from partnernetz.analysis.changes import VersionChanges
from partnernetz.analysis.selection import data_stand
from partnernetz.analysis.summary import CoverageAnalysis, analyse_coverage
from partnernetz.errors import ExportError
from partnernetz.files import write_bytes_atomically
from partnernetz.views import report_document as doc
from partnernetz.views import report_sections as sections
from partnernetz.views.choropleth import SEQUENTIAL
from partnernetz.views.pdf import render_pdf
from partnernetz.views.report_sections import ReportOptions
from partnernetz.views.report_svg import coverage_map_svg
from partnernetz.views.report_texts import _t
from partnernetz.views.tables import format_date

PDF_VARIANT = "pdf/ua-1"
TEXT_WIDTH_MM = 178.0  # A4 minus 16 mm margins
MAP_HEIGHT_MM = 190.0  # the map page: heading, map, scale and legend
LOCATOR_WIDTH_MM = 62.0  # the Steckbrief's locator map
LOCATOR_HEIGHT_MM = 52.0
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".svg": "image/svg+xml"}
MAX_LOGO_BYTES = 2_000_000


def resolve_report_town(query: str, towns: gpd.GeoDataFrame) -> str:
    """AGS of the town called ``query`` (name or AGS; case and umlauts tolerant).

    Raises
    ------
    ExportError
        No town of the region matches; the message lists what is possible.
    """
    from partnernetz.geo import townnames

    text = (query or "").strip()
    if text in set(towns["ags"]):
        return text
    ags = townnames.resolve_town(text, towns)
    if ags is not None and ags in set(towns["ags"]):
        return ags
    hint = townnames.suggest_town(text, towns)
    names = ", ".join(towns["name"])
    message = f"Ort „{text}“ gibt es in dieser Region nicht."
    if hint:
        message += f" Meinten Sie „{hint}“?"
    raise ExportError(f"{message} Mögliche Orte: {names}")


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
    if options.stand is None:  # "Stand der Daten": the date of the data, not the print date
        stand = data_stand(dataset.partners, source=getattr(dataset, "source", None)) or today
        options = dataclasses.replace(options, stand=stand)
    lang = options.lang
    partners = dataset.partners if partners is None else partners
    towns = dataset.towns
    categories = dataset.categories
    if analysis is None:
        analysis = analyse_coverage(partners, towns, today=today, categories=categories,
                                    targets=dataset.targets)
    region = getattr(dataset.region, "name", str(dataset.region))
    attribution = sections.attribution_lines(getattr(dataset, "attribution", ""))
    sources = sections.sources(attribution, lang)
    if town is not None:
        ags = resolve_report_town(town, towns)
        name = str(towns.loc[towns["ags"] == ags, "name"].iloc[0])
        title = f"{_t('profile', lang)}: {name}"
        body, info = sections.town_profile(analysis, towns, partners, ags, lang)
        located = partners[info["reach"].located == info["pos"]] if len(partners) else partners
        drawn = coverage_map_svg(towns, analysis.scores, located, categories=categories,
                                 highlight=ags, lang=lang, width_mm=LOCATOR_WIDTH_MM,
                                 max_height_mm=LOCATOR_HEIGHT_MM)
        alt = sections.map_alt_text(analysis, region, lang, town=name)
        located_map = doc.figure(doc.svg_data_uri(drawn.svg), alt=alt, css_class="pn-map-small",
                                 caption=_t("map_caption_town", lang, town=name),
                                 width_mm=drawn.width_mm)
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
        drawn = coverage_map_svg(towns, analysis.scores, partners, categories=categories,
                                 lang=lang, width_mm=TEXT_WIDTH_MM, max_height_mm=MAP_HEIGHT_MM)
        values = [float(v) for v in analysis.scores["score"]]
        body = (sections.intro(title, region, today, options)
                + sections.summary_section(analysis, options)
                + sections.map_section(drawn, alt=sections.map_alt_text(analysis, region, lang),
                                       caption=_t("map_title", lang), lang=lang, values=values,
                                       legend=sections.category_legend(partners, categories, lang,
                                                                       dot_mm=drawn.dot_mm))
                + sections.full_white_spots(analysis, lang)
                + '<section class="pn-wide">'
                + sections.matrix_table(analysis, towns, lang)
                + sections.overview_table(analysis, lang)
                + sections.sources(attribution, lang, compact=True) + "</section>")
    page = doc.Page(
        lang=lang, title=f"{title} – {region}", region=region,
        as_of=f"{_t('as_of', lang)}: {format_date(options.stand, lang=lang)}", footer=_t("made", lang),
        internal_label=_t("internal", lang) if options.internal else None,
        sender=options.sender, logo=options.logo,
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
    stand: dt.date | None = None,
    changes: VersionChanges | None = None,
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
    stand
        The date of the data ("Stand der Daten"); default: the newest ``verified``.
    changes
        What changed since the last report (page 1); None: "no earlier version".

    The logo and sender line come from the registry's ``region`` (``logo``: a file
    beside the registry, ``sender``) and are printed on every page.

    Raises
    ------
    ExportError
        Unknown town, or the PDF could not be produced (e.g. Pango missing).
    """
    region = getattr(dataset, "region", None)
    options = ReportOptions(filters=filters if filters is not None else note, internal=internal,
                            trend=trend, lang=lang, stand=stand, changes=changes,
                            sender=getattr(region, "sender", None),
                            logo=logo_data_uri(dataset))
    html = report_html(dataset, today=today, town=town, partners=partners, analysis=analysis,
                       options=options)
    return render_pdf(html, what="PDF-Bericht", url_fetcher=_data_only(), pdf_variant=PDF_VARIANT)


def logo_data_uri(dataset: Any) -> str | None:
    """The registry's logo (``region.logo``, a path relative to the registry) as a
    ``data:`` URI; None without one, or when the file is missing, too large or of
    another type (the registry check warns about it)."""
    region = getattr(dataset, "region", None)
    logo = getattr(region, "logo", None)
    source = getattr(dataset, "source", None)
    if not logo or source is None:
        return None
    path = Path(source).parent / logo
    kind = LOGO_TYPES.get(path.suffix.lower())
    try:
        if kind is None or not path.is_file() or path.stat().st_size > MAX_LOGO_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return f"data:{kind};base64," + base64.b64encode(data).decode("ascii")


def _data_only() -> Any:
    """WeasyPrint's fetcher for the report: ``data:`` URIs only, never the network or files
    (a registry's SVG logo could name any URL)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",))


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
    "logo_data_uri",
    "report_html",
    "report_pdf_bytes",
    "resolve_report_town",
    "write_report_pdf",
]
