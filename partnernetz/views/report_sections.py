"""Report sections: the parts of the Kreis report and of a town's Steckbrief, as HTML.

Every sentence is computed from the (filtered) analysis it is given; a
Steckbrief speaks only about its town ("In Brakel ist jede ausgewählte
Kategorie erreichbar" only when no cell of Brakel is red).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from partnernetz.analysis.changes import VersionChanges
from partnernetz.analysis.matrix import RED, STATUS_SYMBOLS, YELLOW
from partnernetz.analysis.phrases import describe_white_spots, format_km
from partnernetz.analysis.reach import build_reach
from partnernetz.analysis.summary import CoverageAnalysis, summarise_towns
from partnernetz.geo.gazetteer import ATTRIBUTION, POPULATION_ATTRIBUTION
from partnernetz.i18n import STAGE_SHORT
from partnernetz.registry.vocabulary import language_name
from partnernetz.views import report_document as doc
from partnernetz.views.report_svg import MapSvg
from partnernetz.views.report_texts import _t as t
from partnernetz.views.report_texts import _tn as tn
from partnernetz.views.tables import format_date


@dataclass(frozen=True)
class ReportOptions:
    """What the caller adds to a report.

    Attributes
    ----------
    filters
        The filters in effect, as one line (printed on page 1); None: no filter.
    internal
        Mark every page "Intern – nicht zur Weitergabe".
    trend
        One line about the trend, e.g. "weiße Flecken: 4 (vor 12 Monaten: 7)".
    lang
        ``de`` or ``en``.
    stand
        The date of the data ("Stand der Daten"); the print date is said apart.
    changes
        What changed since the last report (:func:`partnernetz.analysis.changes.compare_versions`);
        None: no earlier version known.
    sender, logo
        The sender line and logo (``data:`` URI) of the KI, on every page.
    """

    filters: str | None = None
    internal: bool = False
    trend: str | None = None
    lang: str = "de"
    stand: dt.date | None = None
    changes: VersionChanges | None = None
    sender: str | None = None
    logo: str | None = None  # a data: URI


def _status_cell(text: str, status: str) -> tuple[str, str]:
    return text, f"pn-{status}"


def intro(title: str, region: str, today: dt.date, options: ReportOptions) -> str:
    """Title, date, filters in effect, trend and the internal mark: the top of page 1."""
    lang = options.lang
    parts = [f"<h1>{doc.esc(title)}</h1>",
             f'<p class="pn-meta">{doc.esc(region)} · {doc.esc(t("as_of", lang))}: '
             f"{doc.esc(format_date(options.stand or today, lang=lang))} · "
             f"{doc.esc(t('made_on', lang))} {doc.esc(format_date(today, lang=lang))}</p>"]
    filters = options.filters or t("filters_none", lang)
    parts.append(f'<p class="pn-filters"><strong>{doc.esc(t("filters", lang))}:</strong> '
                 f"{doc.esc(filters)}</p>")
    if options.trend:
        parts.append(f'<p><strong>{doc.esc(t("trend", lang))}:</strong> '
                     f"{doc.esc(options.trend)}</p>")
    if options.internal:
        parts.append(f'<p class="pn-internal">{doc.esc(t("internal", lang))}</p>')
    return "".join(parts)


SUMMARY_LINES = 12  # white-spot sentences on page 1; the matrix holds every cell


def white_spot_section(analysis: CoverageAnalysis, lang: str, *,
                       limit: int | None = None) -> str:
    """Weiße Flecken and Unter Ziel for the whole region (at most ``limit`` sentences each,
    then how many more the matrix shows)."""
    matrix = analysis.matrix
    red = describe_white_spots(matrix[matrix["status"] == RED], lang=lang)
    yellow = describe_white_spots(matrix[matrix["status"] == YELLOW], lang=lang,
                                      include_under_target=True)
    return (f'<h2>{doc.esc(t("white_title", lang))}</h2>'
            + _capped(red, limit, t("white_none", lang), lang)
            + f'<h3>{doc.esc(t("under_title", lang))}</h3>'
            + _capped(yellow, limit, t("under_none", lang), lang))


def full_white_spots(analysis: CoverageAnalysis, lang: str) -> str:
    """The lists page 1 had to cut short (white spots, gaps), in full, after the map."""
    matrix = analysis.matrix
    parts = []
    for status, title, extra in ((RED, "white_title", False), (YELLOW, "under_title", True)):
        lines = describe_white_spots(matrix[matrix["status"] == status], lang=lang,
                                     include_under_target=extra)
        if len(lines) > SUMMARY_LINES:
            parts.append(f"<h3>{doc.esc(t(title, lang))}</h3>"
                         + doc.bullet_list(lines, empty=""))
    if not parts:
        return ""
    return (f'<section class="pn-all-spots"><h2>{doc.esc(t("white_all_title", lang))}</h2>'
            + "".join(parts) + "</section>")


def _capped(lines: list[str], limit: int | None, empty: str, lang: str) -> str:
    if limit is None or len(lines) <= limit:
        return doc.bullet_list(lines, empty=empty)
    rest = len(lines) - limit
    return (doc.bullet_list(lines[:limit], empty=empty)
            + f'<p class="pn-more">{doc.esc(tn("more_in_matrix", rest, lang))}</p>')


def headline_figures(analysis: CoverageAnalysis, lang: str) -> str:
    head = analysis.headline
    return doc.figures_list([
        (doc.number_text(head.partners_active, lang), tn("partners", head.partners_active, lang),
         t("planned_inactive", lang, planned=head.partners_planned,
           inactive=head.partners_inactive)),
        (doc.number_text(head.towns, lang), tn("towns", head.towns, lang), ""),
        (doc.number_text(head.towns_with_white_spots, lang),
         tn("white_towns", head.towns_with_white_spots, lang),
         tn("white_cells", head.white_spots, lang)),
        (doc.number_text(head.languages, lang), tn("languages", head.languages, lang), ""),
        (doc.percent_text(head.verified_share, lang), t("verified", lang),
         t("verified_sub", lang)),
    ])


def changes_section(changes: VersionChanges | None, lang: str) -> str:
    """What changed since the last report: counts, with the names of few changes."""
    if changes is None:
        return f'<p class="pn-changes">{doc.esc(t("changes_unknown", lang))}</p>'
    date = format_date(changes.since, lang=lang)
    title = f'<h3>{doc.esc(t("changes_title", lang, date=date))}</h3>'
    if not changes.any:
        return title + f"<p>{doc.esc(t('changes_none', lang, date=date))}</p>"
    lines = []
    for key, items in (("new", changes.new), ("retired", changes.retired),
                       ("changed", changes.changed)):
        if items:
            shown = ", ".join(items[:4]) + (" …" if len(items) > 4 else "")
            lines.append(f"{tn(key, len(items), lang)}: {shown}")
    for key, spots in (("spots_opened", changes.spots_opened),
                       ("spots_closed", changes.spots_closed)):
        if spots:
            shown = "; ".join(f"{town}: {label}" for town, label in spots[:4])
            lines.append(f"{tn(key, len(spots), lang)} ({shown}{' …' if len(spots) > 4 else ''})")
    return title + doc.bullet_list(lines, empty="")


def summary_section(analysis: CoverageAnalysis, options: ReportOptions) -> str:
    """Page 1 after the title: headline figures, white spots, changes (read in a minute)."""
    lang = options.lang
    return (f'<section class="pn-summary"><h2>{doc.esc(t("summary_title", lang))}</h2>'
            + headline_figures(analysis, lang)
            + changes_section(options.changes, lang)
            + white_spot_section(analysis, lang, limit=SUMMARY_LINES) + "</section>")


def category_legend(partners: pd.DataFrame, categories: Mapping[str, Any], lang: str, *,
                    dot_mm: float = 1.9) -> str:
    """The partner dots as on the map (same size and colours), one per category shown."""
    if not len(partners):
        return ""
    shown = partners[partners["status"].isin(["active", "planned"])] if "status" in partners \
        else partners
    present = set(shown["category"].astype(str))
    size = f"width:{dot_mm:.2f}mm;height:{dot_mm:.2f}mm"
    items = []
    for key, info in categories.items():
        if key not in present:
            continue
        colour = getattr(info, "colour", "#333333")
        label = info.label(lang) if hasattr(info, "label") else str(key)
        items.append(f'<li><span class="pn-dot" style="background:{doc.esc(colour)};{size}" '
                     f'aria-hidden="true"></span>{doc.esc(label)}</li>')
    if "status" in partners and (partners["status"] == "planned").any():
        items.append(f'<li><span class="pn-dot pn-dot--planned" style="{size}" '
                     f'aria-hidden="true"></span>{doc.esc(t("planned_dot", lang))}</li>')
    return (f'<p class="pn-legend">{doc.esc(t("dots_legend", lang))}:</p>'
            f'<ul class="pn-dots">{"".join(items)}</ul>')


def map_section(drawn: MapSvg, *, alt: str, caption: str, lang: str, legend: str = "",
                values: list[float] | None = None) -> str:
    """The map page: the SVG map at full width, its colour scale and legend."""
    low, high = drawn.value_range
    present = [v for v in (values or []) if v == v]
    scale = doc.scale_legend(t("score", lang), doc.percent_text(low, lang),
                             doc.percent_text(high, lang))
    if present:
        scale += ('<p class="pn-legend">' + doc.esc(t(
            "scale_fitted", lang, low=doc.percent_text(low, lang),
            high=doc.percent_text(high, lang), min=doc.percent_text(min(present), lang),
            max=doc.percent_text(max(present), lang))) + "</p>")
    keys = ""
    if drawn.keys:
        keys = (f'<p class="pn-legend">{doc.esc(t("map_keys", lang))}</p><ul class="pn-keys">'
                + "".join(f"<li>{n} = {doc.esc(text)}</li>" for n, text in drawn.keys) + "</ul>")
    return (f'<section class="pn-map-page"><h2>{doc.esc(t("map_page_title", lang))}</h2>'
            + doc.figure(doc.svg_data_uri(drawn.svg), alt=alt, caption=caption,
                         extra=scale + legend + keys, width_mm=drawn.width_mm)
            + "</section>")


def map_alt_text(analysis: CoverageAnalysis, region: str, lang: str,
                 town: str | None = None) -> str:
    """The map's alternative text: what it shows, and the scores it colours (as words)."""
    scores = analysis.scores.sort_values("score")
    if town is not None:
        return t("map_alt_town", lang, town=town, region=region)
    parts = [f"{r.town} {doc.percent_text(r.score, lang)}" for r in scores.itertuples()]
    return t("map_alt", lang, region=region, values="; ".join(parts))


def matrix_table(analysis: CoverageAnalysis, towns: pd.DataFrame, lang: str) -> str:
    """The traffic-light matrix: towns × categories, symbol and count in each cell."""
    matrix = analysis.matrix
    keys = list(dict.fromkeys(matrix["category"]))
    label_col = "label_en" if lang == "en" else "label_de"
    labels = dict(zip(matrix["category"], matrix[label_col], strict=True))
    population = dict(zip(towns["ags"], towns["population"], strict=True))
    by_cell = {(r.ags, r.category): r for r in matrix.itertuples(index=False)}
    scores = analysis.scores.set_index("ags")["score"]
    columns = [doc.Column(t("town", lang)), doc.Column(t("population", lang), numeric=True)]
    columns += [doc.Column(labels[k]) for k in keys]
    columns.append(doc.Column(t("score", lang), numeric=True))
    rows = []
    for r in analysis.scores[["ags", "town"]].itertuples(index=False):
        row: list[Any] = [r.town, doc.number_text(population.get(r.ags), lang)]
        for key in keys:
            cell = by_cell[(r.ags, key)]
            count = (f"{cell.reachable}/{cell.required}" if cell.status == YELLOW
                     else f"{cell.reachable}")
            text = f"{STATUS_SYMBOLS[cell.status]} {count}"
            if cell.planned:
                text += f" +{cell.planned} {t('planned_short', lang)}"
            row.append(_status_cell(text, cell.status))
        row.append(doc.percent_text(scores.get(r.ags, np.nan), lang))
        rows.append(row)
    return (f'<h2>{doc.esc(t("matrix_title", lang))}</h2>'
            f'<p class="pn-legend">{doc.esc(t("matrix_legend", lang))}</p>'
            f'<p class="pn-legend">{doc.esc(t("matrix_legend2", lang))}</p>'
            + doc.table(caption=t("matrix_caption", lang), columns=columns, rows=rows))


def overview_table(analysis: CoverageAnalysis, lang: str) -> str:
    summary = summarise_towns(analysis, lang=lang)
    columns = [doc.Column(t("town", lang)), doc.Column(t("score", lang), numeric=True),
               doc.Column(t("lights", lang)), doc.Column(t("stages_missing", lang)),
               doc.Column(t("languages_short", lang), numeric=True), doc.Column(t("kim", lang)),
               doc.Column(t("fresh", lang), numeric=True)]
    idx = 1 if lang == "en" else 0
    rows = []
    for r in summary.itertuples(index=False):
        stages = ", ".join(STAGE_SHORT.get(s, (s, s))[idx] for s in r.stages_missing) or "–"
        rows.append([r.town, doc.percent_text(r.score, lang),
                     f"{r.green} / {r.yellow} / {r.red}", stages, str(len(r.languages)),
                     t("yes", lang) if r.kim else t("no", lang),
                     doc.percent_text(r.verified_share, lang)])
    return (f'<h2>{doc.esc(t("overview_title", lang))}</h2>'
            + doc.table(caption=t("overview_caption", lang), columns=columns, rows=rows))


def sources(attribution_lines: list[str], lang: str, *, compact: bool = False) -> str:
    """The data sources: a list (Steckbrief), or one paragraph at the report's end."""
    if compact:
        return (f'<section class="pn-sources pn-sources--compact"><p><strong>'
                f'{doc.esc(t("sources", lang))}:</strong> '
                f'{doc.esc("; ".join(attribution_lines))}</p></section>')
    items = "".join(f"<li>{doc.esc(line)}</li>" for line in attribution_lines)
    return (f'<section class="pn-sources"><h2>{doc.esc(t("sources", lang))}</h2>'
            f"<ul>{items}</ul></section>")


def town_profile(
    analysis: CoverageAnalysis, towns: pd.DataFrame, partners: pd.DataFrame, ags: str,
    lang: str,
) -> tuple[str, dict[str, Any]]:
    """The Steckbrief's body below the intro (figures, white spots, table, lists).

    Every sentence is about this town: "In Brakel ist jede Kategorie
    erreichbar" only when no cell of Brakel is red.
    """
    en = lang == "en"
    town = towns[towns["ags"] == ags].iloc[0]
    name = str(town["name"])
    matrix = analysis.matrix[analysis.matrix["ags"] == ags]
    score = analysis.scores.set_index("ags").loc[ags]
    fresh = analysis.freshness.set_index("ags").loc[ags]
    reach = build_reach(partners, towns)
    pos = int(np.flatnonzero(reach.town_ags == ags)[0])
    active = reach.active
    located_all = int((active & (reach.located == pos)).sum())
    reachable_all = int((active & reach.matrix[:, pos]).sum())
    planned_all = int(((reach.status == "planned") & reach.matrix[:, pos]).sum())
    pop = town.get("population")
    area = float(town.get("area_km2", np.nan))
    area_text = doc.PLACEHOLDER if np.isnan(area) else (
        f"{area:.1f} km²" if en else f"{area:.1f} km²".replace(".", ","))
    figures = doc.figures_list([
        (doc.number_text(pop, lang), t("population_long", lang), ""),
        (area_text, t("area", lang), ""),
        (str(located_all), tn("located_all", located_all, lang), ""),
        (str(reachable_all), tn("reachable_all", reachable_all, lang), ""),
        (str(planned_all), t("planned_all", lang), ""),
        (doc.percent_text(score["score"], lang), t("score", lang), ""),
        (doc.percent_text(fresh["share"], lang), t("fresh", lang),
         f"{fresh['verified']}/{fresh['entries']}"),
    ])
    red = describe_white_spots(matrix[matrix["status"] == RED], lang=lang)
    yellow = describe_white_spots(matrix[matrix["status"] == YELLOW], lang=lang,
                                      include_under_target=True)
    spots = (f'<h2>{doc.esc(t("white_town_title", lang, town=name))}</h2>'
             + doc.bullet_list(red, empty=t("white_none_town", lang, town=name))
             + f'<h3>{doc.esc(t("under_title", lang))}</h3>'
             + doc.bullet_list(yellow, empty=t("under_none_town", lang, town=name)))

    label_col = "label_en" if en else "label_de"
    columns = [doc.Column(t("category", lang)), doc.Column(t("light", lang)),
               doc.Column(t("located", lang), numeric=True),
               doc.Column(t("reachable", lang), numeric=True),
               doc.Column(t("target", lang), numeric=True),
               doc.Column(t("per_10k", lang), numeric=True), doc.Column(t("nearest", lang))]
    rows = []
    for cell in matrix.itertuples(index=False):
        nearest = "–"
        if not pd.isna(cell.nearest_km):
            nearest = f"{cell.nearest_town or '?'}, {format_km(cell.nearest_km, lang=lang)}"
        per_10k = "–" if pd.isna(cell.per_10k) else (
            f"{cell.per_10k:.1f}" if en else f"{cell.per_10k:.1f}".replace(".", ","))
        status_text = f"{STATUS_SYMBOLS[cell.status]} {t(cell.status, lang)}"
        if cell.planned:
            status_text += f" +{cell.planned} {t('planned_short', lang)}"
        rows.append([getattr(cell, label_col), _status_cell(status_text, cell.status),
                     str(cell.located), str(cell.reachable), str(cell.required), per_10k,
                     nearest])
    category_table = (f'<h2>{doc.esc(t("categories_title", lang))}</h2>'
                      + doc.table(caption=t("categories_caption", lang, town=name),
                                  columns=columns, rows=rows))

    stages = analysis.stages[analysis.stages["ags"] == ags]
    groups = analysis.target_groups[analysis.target_groups["ags"] == ags]
    langs = analysis.languages[(analysis.languages["ags"] == ags) & analysis.languages["covered"]]
    kim = analysis.kim.set_index("ags").loc[ags]
    label = "label_en" if en else "label_de"

    def listing(frame: pd.DataFrame, covered: bool) -> str:
        names = frame.loc[frame["covered"] == covered, label].tolist()
        return ", ".join(names) if names else t("none", lang)

    kim_text = (tn("kim_present", int(kim["reachable"]), lang) if kim["present"]
                else t("kim_missing", lang))
    if not kim["present"] and not pd.isna(kim["nearest_km"]):
        kim_text += t("kim_nearest", lang, town=kim["nearest_town"] or "?",
                      km=format_km(kim["nearest_km"], lang=lang))
    if kim["planned"]:
        kim_text += t("kim_planned", lang, n=int(kim["planned"]))
    language_names = ", ".join(sorted(language_name(c, lang) for c in langs["language"]))
    rows2 = [
        [t("stages", lang), listing(stages, True), listing(stages, False)],
        [t("target_groups", lang), listing(groups, True), listing(groups, False)],
    ]
    attr_table = doc.table(
        caption=t("attributes_caption", lang, town=name),
        columns=[doc.Column(t("attribute", lang)), doc.Column(t("covered", lang)),
                 doc.Column(t("missing", lang))],
        rows=rows2,
    )
    attributes = (f'<h2>{doc.esc(t("attributes_title", lang))}</h2>' + attr_table
                  + f'<p><strong>{doc.esc(t("languages", lang))}:</strong> '
                    f'{doc.esc(language_names or t("none", lang))}</p>'
                  + f"<p>{doc.esc(kim_text)}</p>")
    return figures + spots + category_table + attributes, {"name": name, "pos": pos,
                                                            "reach": reach}


def attribution_lines(attribution: str | None) -> list[str]:
    """The data sources to print: the dataset's attribution plus boundaries and population."""
    parts = [p.strip() for p in (attribution or "").split(";") if p.strip()]
    if not any("GeoBasis-DE" in p for p in parts):
        parts.insert(0, ATTRIBUTION)
    if not any("Einwohner" in p or "Zensus" in p for p in parts):
        parts.append(POPULATION_ATTRIBUTION)
    return parts
