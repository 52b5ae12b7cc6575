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
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.colors import ListedColormap, Normalize, to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from pyproj import Transformer

from partnernetz import coverage as cov
from partnernetz.errors import ExportError
from partnernetz.files import write_bytes_atomically
from partnernetz.gazetteer import ATTRIBUTION, POPULATION_ATTRIBUTION
from partnernetz.vocabulary import DEFAULT_CATEGORIES, language_name

A4 = (8.27, 11.69)  # inches, portrait
MATRIX_ROWS_PER_PAGE = 30
OVERVIEW_ROWS_PER_PAGE = 30
LINES_PER_PAGE = 52
WRAP_CHARS = 105
METRIC_CRS = "EPSG:25832"
FONT = "DejaVu Sans"
RC = {
    "pdf.fonttype": 42,  # embed TrueType: real, extractable text with umlauts
    "ps.fonttype": 42,
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "axes.unicode_minus": False,
}
# Sequential, colour-blind safe and printable in greyscale: YlGnBu without its
# near-black end, so that town names stay readable on every fill.
SCORE_CMAP = ListedColormap(mpl.colormaps["YlGnBu"](np.linspace(0.0, 0.72, 256)), name="score")
CELL_FILL = cov.CELL_FILL
CELL_INK = cov.CELL_INK
INK, MUTED, RULE = "#1F2328", "#57606A", "#D0D7DE"

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Abdeckung des Partnernetzes",
        "as_of": "Stand",
        "partners": "Partner (aktiv)",
        "planned_inactive": "geplant: {planned} · inaktiv: {inactive}",
        "towns": "Orte",
        "white_towns": "Orte mit weißem Fleck",
        "white_cells": "weiße Flecken insgesamt: {n}",
        "languages": "Sprachen im Angebot",
        "verified": "in 12 Monaten geprüft",
        "verified_sub": "Anteil aller Einträge",
        "map_title": "Abdeckung je Ort (Anteil der Kategorien mit erreichtem Ziel)",
        "score_bar": "Abdeckung: 0 = überall weißer Fleck, 1 = alle Ziele erreicht",
        "matrix_title": "Ampel-Matrix: Orte × Kategorien",
        "matrix_legend": (
            "✓ grün = Ziel erreicht   ! gelb = erreichbar, aber unter Ziel   "
            "✗ rot = weißer Fleck (nichts erreichbar)"
        ),
        "matrix_legend2": (
            "Zahl = erreichbare aktive Partner (im Ort oder für den Ort zuständig), "
            "bei gelb: erreichbar/Ziel; „+n gepl.“ = geplante Partner, zählen nicht mit"
        ),
        "town": "Ort",
        "population": "Einw.",
        "population_long": "Einwohner",
        "score": "Abdeckung",
        "overview_title": "Übersicht je Ort",
        "lights": "✓ / ! / ✗",
        "stages_missing": "fehlende Stufen der Bildungskette",
        "languages_short": "Sprachen",
        "kim": "KIM",
        "fresh": "geprüft ≤ 12 Mon.",
        "white_title": "Weiße Flecken",
        "white_none": "Keine weißen Flecken: in jedem Ort ist jede Kategorie erreichbar.",
        "under_title": "Unter Ziel",
        "under_none": "Keine Kategorie unter Ziel.",
        "continued": "(Fortsetzung)",
        "page": "Seite {page} von {pages}",
        "made": "Erstellt mit Partnernetz",
        "note": "Auswahl",
        "profile": "Steckbrief",
        "area": "Fläche",
        "located_all": "Partner im Ort (aktiv)",
        "reachable_all": "erreichbare Partner (aktiv)",
        "planned_all": "geplant",
        "category": "Kategorie",
        "light": "Ampel",
        "located": "im Ort",
        "reachable": "erreichbar",
        "target": "Ziel",
        "per_10k": "je 10.000",
        "nearest": "nächste (Ort, Entfernung)",
        "stages": "Bildungskette",
        "target_groups": "Zielgruppen",
        "covered": "abgedeckt",
        "missing": "fehlt",
        "none": "keine",
        "kim_present": "KIM Case Management: erreichbar ({n} Angebot(e))",
        "kim_missing": "KIM Case Management: fehlt",
        "kim_nearest": "; nächstes Angebot: {town}, {km}",
        "kim_planned": "; geplant: {n}",
        "white_town": "Weiße Flecken und Lücken",
        "unknown": "unbekannt",
        "green": "grün", "yellow": "gelb", "red": "rot",
        "planned_short": "gepl.",
        "partners_legend": "Partner (aktiv)",
        "planned_legend": "geplant",
    },
    "en": {
        "title": "Coverage of the partner network",
        "as_of": "As of",
        "partners": "Partners (active)",
        "planned_inactive": "planned: {planned} · inactive: {inactive}",
        "towns": "Towns",
        "white_towns": "Towns with a white spot",
        "white_cells": "white spots in total: {n}",
        "languages": "Languages offered",
        "verified": "verified within 12 months",
        "verified_sub": "share of all entries",
        "map_title": "Coverage per town (share of categories meeting their target)",
        "score_bar": "Coverage: 0 = white spot everywhere, 1 = every target met",
        "matrix_title": "Traffic-light matrix: towns × categories",
        "matrix_legend": (
            "✓ green = target met   ! yellow = reachable, but below target   "
            "✗ red = white spot (nothing reachable)"
        ),
        "matrix_legend2": (
            "Number = reachable active partners (in town or serving it), "
            "yellow: reachable/target; “+n plan.” = planned partners, not counted"
        ),
        "town": "Town",
        "population": "Pop.",
        "population_long": "Population",
        "score": "Coverage",
        "overview_title": "Overview per town",
        "lights": "✓ / ! / ✗",
        "stages_missing": "missing education-chain stages",
        "languages_short": "Languages",
        "kim": "KIM",
        "fresh": "verified ≤ 12 mo.",
        "white_title": "White spots",
        "white_none": "No white spots: every category is reachable in every town.",
        "under_title": "Below target",
        "under_none": "No category below target.",
        "continued": "(continued)",
        "page": "Page {page} of {pages}",
        "made": "Made with Partnernetz",
        "note": "Selection",
        "profile": "Town profile",
        "area": "Area",
        "located_all": "Partners in town (active)",
        "reachable_all": "Reachable partners (active)",
        "planned_all": "planned",
        "category": "Category",
        "light": "Light",
        "located": "in town",
        "reachable": "reachable",
        "target": "target",
        "per_10k": "per 10,000",
        "nearest": "nearest (town, distance)",
        "stages": "Education chain",
        "target_groups": "Target groups",
        "covered": "covered",
        "missing": "missing",
        "none": "none",
        "kim_present": "KIM case management: reachable ({n} offer(s))",
        "kim_missing": "KIM case management: missing",
        "kim_nearest": "; nearest offer: {town}, {km}",
        "kim_planned": "; planned: {n}",
        "white_town": "White spots and gaps",
        "unknown": "unknown",
        "green": "green", "yellow": "yellow", "red": "red",
        "planned_short": "plan.",
        "partners_legend": "Partners (active)",
        "planned_legend": "planned",
    },
}

STAGE_SHORT: dict[str, tuple[str, str]] = {
    "fruehe_foerderung": ("Frühe Förderung", "Early support"),
    "elementar": ("Elementar", "Early education"),
    "schule": ("Schule", "School"),
    "ausserschulisch": ("Außerschulisch", "Out-of-school"),
    "uebergang": ("Übergang", "Transition"),
    "erwachsene": ("Erwachsene", "Adults"),
}


def _t(key: str, lang: str, **values: Any) -> str:
    text = TEXTS["en" if lang == "en" else "de"][key]
    return text.format(**values) if values else text


def _date_text(day: dt.date, lang: str) -> str:
    return day.isoformat() if lang == "en" else day.strftime("%d.%m.%Y")


def _number(value: float | int, lang: str) -> str:
    text = f"{int(value):,}"
    return text if lang == "en" else text.replace(",", ".")


def _percent(share: float, lang: str) -> str:
    if share is None or pd.isna(share):
        return "–"
    return f"{share * 100:.0f} %" if lang != "en" else f"{share * 100:.0f}%"


# --------------------------------------------------------------------------- the map


def _category_colours(categories: Mapping[str, Any] | None) -> dict[str, str]:
    colours = {key: style.colour for key, style in DEFAULT_CATEGORIES.items()}
    for key, info in (categories or {}).items():
        colour = getattr(info, "colour", None)
        if colour:
            colours[key] = colour
    return colours


def _category_label(key: str, categories: Mapping[str, Any] | None, lang: str) -> str:
    info = (categories or {}).get(key)
    if info is not None and callable(getattr(info, "label", None)):
        return str(info.label(lang))
    style = DEFAULT_CATEGORIES.get(key)
    if style is not None:
        return style.en if lang == "en" else style.de
    return key


def draw_coverage_map(
    ax: Axes,
    towns: gpd.GeoDataFrame,
    scores: pd.DataFrame,
    partners: pd.DataFrame,
    *,
    categories: Mapping[str, Any] | None = None,
    highlight: str | None = None,
    labels: bool = True,
    legend: bool = True,
    lang: str = "de",
) -> None:
    """Draw the region on ``ax``: towns coloured by coverage score, names, partner points.

    Drawn in EPSG:25832 so that distances and shapes look right; no tiles.

    Parameters
    ----------
    ax
        A matplotlib axes (its aspect is set to equal, its frame switched off).
    towns
        Towns GeoDataFrame (EPSG:4326).
    scores
        :func:`partnernetz.coverage.score_towns` (columns ``ags``, ``score``).
    partners
        Partners GeoDataFrame; active partners are drawn as filled points in
        their category colour, planned ones as hollow points.
    categories
        ``Dataset.categories`` for colours and legend labels.
    highlight
        AGS of one town (the Steckbrief's locator map): the other towns are
        drawn grey and the highlighted one with a thick outline.
    labels
        Write town names (and the score in per cent) on the map.
    legend
        Add a legend of the categories.
    lang
        ``de`` or ``en``.
    """
    metric = towns.to_crs(METRIC_CRS)
    score_of = dict(zip(scores["ags"], scores["score"], strict=True))
    values = np.array([score_of.get(a, np.nan) for a in metric["ags"]], dtype=float)
    cmap = SCORE_CMAP
    norm = Normalize(vmin=0.0, vmax=1.0)
    faces = ["#F0F0F0" if np.isnan(v) else to_hex(cmap(norm(v))) for v in values]
    if highlight is not None:
        faces = [
            face if a == highlight else "#EEEEEE"
            for a, face in zip(metric["ags"], faces, strict=True)
        ]
    metric.plot(ax=ax, color=faces, edgecolor="#4D4D4D", linewidth=0.6)
    if highlight is not None:
        metric[metric["ags"] == highlight].boundary.plot(ax=ax, color=INK, linewidth=2.0)

    colours = _category_colours(categories)
    to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    if len(partners):
        lat = pd.to_numeric(partners["lat"], errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(partners["lon"], errors="coerce").to_numpy(dtype=float)
        x, y = to_metric.transform(lon, lat)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        status = partners["status"].fillna("active").astype(str).to_numpy(dtype=object)
        cats = partners["category"].astype(str).to_numpy(dtype=object)
        minx, miny, maxx, maxy = metric.total_bounds
        pad = 0.02 * max(maxx - minx, maxy - miny)
        inside = (x >= minx - pad) & (x <= maxx + pad) & (y >= miny - pad) & (y <= maxy + pad)
        size = float(np.clip(2000 / max(inside.sum(), 1), 1.5, 14))
        point_colours = np.array([colours.get(c, "#333333") for c in cats], dtype=object)
        active = inside & (status == "active")
        planned = inside & (status == "planned")
        if active.any():
            ax.scatter(x[active], y[active], s=size, c=list(point_colours[active]),
                       edgecolors="white", linewidths=0.3, zorder=3, rasterized=True)
        if planned.any():
            ax.scatter(x[planned], y[planned], s=size * 2.5, facecolors="none",
                       edgecolors=list(point_colours[planned]), linewidths=0.8, zorder=3,
                       rasterized=True)
        ax.set_xlim(minx - pad, maxx + pad)
        ax.set_ylim(miny - pad, maxy + pad)

    if labels:
        cx, cy = to_metric.transform(
            pd.to_numeric(towns["lon"]).to_numpy(dtype=float),
            pd.to_numeric(towns["lat"]).to_numpy(dtype=float),
        )
        fontsize = 7 if len(towns) <= 20 else 5.5
        halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
        for name, ags, x0, y0 in zip(towns["name"], towns["ags"], cx, cy, strict=True):
            if highlight is not None and ags != highlight:
                continue
            score = score_of.get(ags, np.nan)
            text = name if np.isnan(score) else f"{name}\n{score * 100:.0f} %"
            ax.text(x0, y0, text, ha="center", va="center", fontsize=fontsize, color=INK,
                    zorder=5, path_effects=halo, linespacing=1.0)

    if legend and len(partners):
        present = list(dict.fromkeys(partners["category"].astype(str)))
        order = [k for k in (categories or {}) if k in present] + [
            k for k in present if k not in (categories or {})
        ]
        handles = [
            Line2D([], [], marker="o", linestyle="", markersize=5,
                   markerfacecolor=colours.get(k, "#333333"), markeredgecolor="white",
                   label=_category_label(k, categories, lang))
            for k in order
        ]
        handles.append(
            Line2D([], [], marker="o", linestyle="", markersize=6, markerfacecolor="none",
                   markeredgecolor=MUTED, label=_t("planned_legend", lang))
        )
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=6.5,
                  frameon=False, title=_t("partners_legend", lang), title_fontsize=7)
    ax.set_aspect("equal")
    ax.set_axis_off()


def build_map_figure(
    towns: gpd.GeoDataFrame,
    scores: pd.DataFrame,
    partners: pd.DataFrame,
    *,
    categories: Mapping[str, Any] | None = None,
    highlight: str | None = None,
    lang: str = "de",
    figsize: tuple[float, float] = (7.0, 6.0),
) -> Figure:
    """A standalone map figure (for the app, tests, or an image export).

    Same drawing as the report: see :func:`draw_coverage_map`, plus a colour
    bar of the coverage score.

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot; render it with ``FigureCanvasAgg`` or
        ``fig.savefig``.
    """
    with mpl.rc_context(RC):
        fig = Figure(figsize=figsize)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.02, 0.08, 0.70, 0.90))
        draw_coverage_map(ax, towns, scores, partners, categories=categories,
                          highlight=highlight, lang=lang)
        _score_bar(fig, (0.08, 0.04, 0.55, 0.02), lang)
    return fig


def render_map_array(figure: Figure, *, dpi: int = 80) -> np.ndarray:
    """The figure as an RGBA pixel array (height × width × 4, uint8)."""
    canvas = FigureCanvasAgg(figure)
    figure.set_dpi(dpi)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def _score_bar(fig: Figure, rect: tuple[float, float, float, float], lang: str) -> None:
    cax = fig.add_axes(rect)
    gradient = np.linspace(0, 1, 256)[None, :]
    cax.imshow(gradient, aspect="auto", cmap=SCORE_CMAP, extent=(0, 1, 0, 1))
    cax.set_yticks([])
    cax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    cax.set_xticklabels(["0", "0,25" if lang != "en" else "0.25", "0,5" if lang != "en" else "0.5",
                         "0,75" if lang != "en" else "0.75", "1"], fontsize=6.5)
    cax.set_title(_t("score_bar", lang), fontsize=7, color=MUTED, loc="left")


# --------------------------------------------------------------------------- pages


@dataclass
class _Context:
    region: str
    today: dt.date
    lang: str
    attribution_lines: list[str]
    note: str | None
    pages: int = 0
    page: int = 0


def _attribution_lines(attribution: str | None) -> list[str]:
    parts = [p.strip() for p in (attribution or "").split(";") if p.strip()]
    if not any("GeoBasis-DE" in p for p in parts):
        parts.insert(0, ATTRIBUTION)
    if not any("Einwohner" in p or "Zensus" in p for p in parts):
        parts.append(POPULATION_ATTRIBUTION)
    return parts


def _new_page(ctx: _Context, title: str) -> Figure:
    ctx.page += 1
    fig = Figure(figsize=A4)
    FigureCanvasAgg(fig)
    fig.text(0.06, 0.965, ctx.region, fontsize=9, color=MUTED, va="top")
    fig.text(0.94, 0.965, f"{_t('as_of', ctx.lang)}: {_date_text(ctx.today, ctx.lang)}",
             fontsize=9, color=MUTED, va="top", ha="right")
    fig.text(0.06, 0.94, title, fontsize=15, color=INK, va="top", weight="bold")
    if ctx.note:
        fig.text(0.06, 0.912, f"{_t('note', ctx.lang)}: {ctx.note}", fontsize=8, color=MUTED,
                 va="top")
    y = 0.045
    for line in reversed(ctx.attribution_lines):
        fig.text(0.06, y, line, fontsize=6.5, color=MUTED, va="bottom")
        y += 0.012
    fig.text(0.94, 0.045,
             f"{_t('made', ctx.lang)} · {_t('page', ctx.lang, page=ctx.page, pages=ctx.pages)}",
             fontsize=6.5, color=MUTED, va="bottom", ha="right")
    fig.add_artist(Line2D([0.06, 0.94], [0.075 + 0.012 * (len(ctx.attribution_lines) - 1)] * 2,
                          color=RULE, linewidth=0.6))
    return fig


def _table_axes(fig: Figure, top: float, bottom: float = 0.11) -> Axes:
    ax = fig.add_axes((0.06, bottom, 0.88, top - bottom))
    ax.set_xlim(0, 1)
    ax.set_axis_off()
    return ax


def _cell(ax: Axes, x0: float, x1: float, row: float, fill: str | None = None) -> None:
    if fill:
        ax.add_patch(Rectangle((x0, row), x1 - x0, 1, facecolor=fill, edgecolor="white",
                               linewidth=1.0))


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    if not len(items):
        return [items]
    return [items[i:i + size] for i in range(0, len(items), size)]


def _wrap(lines: Sequence[str], width: int = WRAP_CHARS) -> list[str]:
    out = []
    for line in lines:
        wrapped = textwrap.wrap(line, width=width, subsequent_indent="    ") or [""]
        out.extend(wrapped)
    return out


def _summary_page(ctx: _Context, analysis: cov.CoverageAnalysis, towns: gpd.GeoDataFrame,
                  partners: pd.DataFrame, categories: Mapping[str, Any] | None) -> Figure:
    lang = ctx.lang
    fig = _new_page(ctx, _t("title", lang))
    head = analysis.headline
    figures = [
        (_number(head.partners_active, lang), _t("partners", lang),
         _t("planned_inactive", lang, planned=head.partners_planned,
            inactive=head.partners_inactive)),
        (_number(head.towns, lang), _t("towns", lang), ""),
        (_number(head.towns_with_white_spots, lang), _t("white_towns", lang),
         _t("white_cells", lang, n=head.white_spots)),
        (_number(head.languages, lang), _t("languages", lang), ""),
        (_percent(head.verified_share, lang), _t("verified", lang), _t("verified_sub", lang)),
    ]
    top = 0.885
    width = 0.88 / len(figures)
    for i, (value, label, sub) in enumerate(figures):
        x = 0.06 + i * width
        fig.add_artist(Rectangle((x + 0.004, top - 0.095), width - 0.008, 0.095,
                                 transform=fig.transFigure, facecolor="#F6F8FA",
                                 edgecolor=RULE, linewidth=0.6))
        fig.text(x + 0.012, top - 0.012, value, fontsize=17, weight="bold", color=INK, va="top")
        fig.text(x + 0.012, top - 0.052, "\n".join(textwrap.wrap(label, 20)), fontsize=7,
                 color=INK, va="top")
        if sub:
            fig.text(x + 0.012, top - 0.085, sub, fontsize=5.5, color=MUTED, va="top")
    fig.text(0.06, 0.765, _t("map_title", lang), fontsize=10, color=INK, va="top")
    ax = fig.add_axes((0.04, 0.16, 0.66, 0.59))
    draw_coverage_map(ax, towns, analysis.scores, partners, categories=categories, lang=lang)
    _score_bar(fig, (0.08, 0.125, 0.45, 0.012), lang)
    return fig


def _matrix_pages(ctx: _Context, analysis: cov.CoverageAnalysis, towns: gpd.GeoDataFrame,
                  categories: Mapping[str, Any] | None) -> list[Figure]:
    lang = ctx.lang
    matrix = analysis.matrix
    keys = list(dict.fromkeys(matrix["category"]))
    label_col = "label_en" if lang == "en" else "label_de"
    labels = dict(zip(matrix["category"], matrix[label_col], strict=True))
    scores = analysis.scores.set_index("ags")["score"]
    population = dict(zip(towns["ags"], towns["population"], strict=True))
    by_cell = {(r.ags, r.category): r for r in matrix.itertuples(index=False)}
    town_rows = list(analysis.scores[["ags", "town"]].itertuples(index=False))
    x_town = 0.0
    x_cats = 0.26
    x_score = 0.91
    col_w = (x_score - x_cats) / max(len(keys), 1)
    fs = 7.0 if len(keys) <= 8 else 6.0
    pages = []
    for n, chunk in enumerate(_chunks(town_rows, MATRIX_ROWS_PER_PAGE)):
        title = _t("matrix_title", lang) + (f" {_t('continued', lang)}" if n else "")
        fig = _new_page(ctx, title)
        fig.text(0.06, 0.905, _t("matrix_legend", lang), fontsize=7.5, color=INK, va="top")
        fig.text(0.06, 0.89, _t("matrix_legend2", lang), fontsize=6.5, color=MUTED, va="top")
        ax = _table_axes(fig, top=0.87)
        header = 3.4
        ax.set_ylim(header + MATRIX_ROWS_PER_PAGE, 0)
        ax.text(x_town + 0.005, header - 0.3, _t("town", lang), fontsize=fs, weight="bold",
                va="bottom")
        ax.text(x_cats - 0.01, header - 0.3, _t("population", lang), fontsize=fs, weight="bold",
                va="bottom", ha="right")
        for c, key in enumerate(keys):
            lines = textwrap.wrap(labels[key], 22, break_long_words=False)
            text = "\n".join(lines[:2]) + (" …" if len(lines) > 2 else "")
            ax.text(x_cats + (c + 0.3) * col_w, header - 0.2, text, fontsize=fs - 0.5,
                    weight="bold", ha="left", va="bottom", rotation=28,
                    rotation_mode="anchor", linespacing=1.0)
        ax.text(x_score + 0.045, header - 0.3, _t("score", lang), fontsize=fs, weight="bold",
                ha="center", va="bottom")
        ax.plot([0, 1], [header, header], color=INK, linewidth=0.8)
        for i, row in enumerate(chunk):
            y = header + i
            if i % 2:
                _cell(ax, 0, 1, y, "#F6F8FA")
            ax.text(x_town + 0.005, y + 0.5, row.town, fontsize=fs, va="center")
            pop = population.get(row.ags)
            pop_text = _t("unknown", lang) if pop is None or pd.isna(pop) else _number(pop, lang)
            ax.text(x_cats - 0.01, y + 0.5, pop_text, fontsize=fs - 0.5, va="center", ha="right",
                    color=MUTED)
            for c, key in enumerate(keys):
                cell = by_cell[(row.ags, key)]
                x0 = x_cats + c * col_w
                _cell(ax, x0, x0 + col_w, y, CELL_FILL[cell.status])
                symbol = cov.STATUS_SYMBOLS[cell.status]
                count = (f"{cell.reachable}/{cell.required}" if cell.status == cov.YELLOW
                         else f"{cell.reachable}")
                text = f"{symbol} {count}"
                if cell.planned:
                    text += f"  +{cell.planned} {_t('planned_short', lang)}"
                ax.text(x0 + col_w / 2, y + 0.5, text, fontsize=fs - 0.5, ha="center",
                        va="center", color=CELL_INK[cell.status])
            score = scores.get(row.ags, np.nan)
            ax.text(x_score + 0.045, y + 0.5, _percent(score, lang), fontsize=fs, ha="center",
                    va="center")
        pages.append(fig)
    return pages


def _overview_pages(ctx: _Context, analysis: cov.CoverageAnalysis) -> list[Figure]:
    lang = ctx.lang
    summary = cov.summarise_towns(analysis, lang=lang)
    rows = list(summary.itertuples(index=False))
    cols = [0.0, 0.19, 0.29, 0.39, 0.78, 0.87, 0.92]
    pages = []
    fs = 7.0
    for n, chunk in enumerate(_chunks(rows, OVERVIEW_ROWS_PER_PAGE)):
        title = _t("overview_title", lang) + (f" {_t('continued', lang)}" if n else "")
        fig = _new_page(ctx, title)
        ax = _table_axes(fig, top=0.9)
        header = 1.6
        ax.set_ylim(header + OVERVIEW_ROWS_PER_PAGE, 0)
        heads = [_t("town", lang), _t("score", lang), _t("lights", lang),
                 _t("stages_missing", lang), _t("languages_short", lang), _t("kim", lang),
                 _t("fresh", lang)]
        for x, text in zip(cols, heads, strict=True):
            ax.text(x + 0.005, header - 0.3, text, fontsize=fs - 0.5, weight="bold",
                    va="bottom")
        ax.plot([0, 1], [header, header], color=INK, linewidth=0.8)
        for i, row in enumerate(chunk):
            y = header + i + 0.5
            if i % 2:
                _cell(ax, 0, 1, header + i, "#F6F8FA")
            stages = ", ".join(
                STAGE_SHORT.get(s, (s, s))[1 if lang == "en" else 0] for s in row.stages_missing
            ) or "–"
            values = [
                row.town,
                _percent(row.score, lang),
                f"{row.green} / {row.yellow} / {row.red}",
                textwrap.shorten(stages, 70, placeholder=" …"),
                str(len(row.languages)),
                "✓" if row.kim else "✗",
                _percent(row.verified_share, lang),
            ]
            for x, text in zip(cols, values, strict=True):
                ax.text(x + 0.005, y, text, fontsize=fs - (0.5 if x == cols[3] else 0),
                        va="center")
        pages.append(fig)
    return pages


def _text_pages(ctx: _Context, title: str, lines: list[tuple[str, str]]) -> list[Figure]:
    """Pages of text lines; ``lines`` holds ``(style, text)`` with style head/body."""
    pages = []
    chunks = _chunks(lines, LINES_PER_PAGE)
    for n, chunk in enumerate(chunks):
        fig = _new_page(ctx, title + (f" {_t('continued', ctx.lang)}" if n else ""))
        y = 0.9
        for style, text in chunk:
            if style == "head":
                fig.text(0.06, y, text, fontsize=10, weight="bold", color=INK, va="top")
            else:
                fig.text(0.06, y, text, fontsize=8, color=INK, va="top")
            y -= 0.0145
        pages.append(fig)
    return pages


def _white_spot_lines(analysis: cov.CoverageAnalysis, lang: str) -> list[tuple[str, str]]:
    matrix = analysis.matrix
    red = cov.describe_white_spots(matrix, lang=lang)
    yellow = [
        s for s in cov.describe_white_spots(
            matrix[matrix["status"] == cov.YELLOW], lang=lang, include_under_target=True
        )
    ]
    lines: list[tuple[str, str]] = [("head", _t("white_title", lang))]
    lines += [("body", s) for s in _wrap(["• " + s for s in red])] or [
        ("body", _t("white_none", lang))
    ]
    lines.append(("body", ""))
    lines.append(("head", _t("under_title", lang)))
    lines += [("body", s) for s in _wrap(["• " + s for s in yellow])] or [
        ("body", _t("under_none", lang))
    ]
    return lines


def count_report_pages(n_towns: int, n_white_spot_lines: int) -> int:
    """Pages of the Kreis report for ``n_towns`` towns and a white-spot list of n lines."""
    return (
        1
        + max(1, math.ceil(n_towns / MATRIX_ROWS_PER_PAGE))
        + max(1, math.ceil(n_towns / OVERVIEW_ROWS_PER_PAGE))
        + max(1, math.ceil(n_white_spot_lines / LINES_PER_PAGE))
    )


# --------------------------------------------------------------------------- Steckbrief


def _profile_page(ctx: _Context, analysis: cov.CoverageAnalysis, towns: gpd.GeoDataFrame,
                  partners: pd.DataFrame, categories: Mapping[str, Any] | None,
                  ags: str) -> Figure:
    lang = ctx.lang
    en = lang == "en"
    town = towns[towns["ags"] == ags].iloc[0]
    fig = _new_page(ctx, f"{_t('profile', lang)}: {town['name']}")
    matrix = analysis.matrix[analysis.matrix["ags"] == ags]
    score = analysis.scores.set_index("ags").loc[ags]
    fresh = analysis.freshness.set_index("ags").loc[ags]
    reach = cov.build_reach(partners, towns)
    pos = int(np.flatnonzero(reach.town_ags == ags)[0])
    active = reach.active
    located_all = int((active & (reach.located == pos)).sum())
    reachable_all = int((active & reach.matrix[:, pos]).sum())
    planned_all = int(((reach.status == "planned") & reach.matrix[:, pos]).sum())

    pop = town.get("population")
    figures = [
        (_t("population_long", lang),
         _t("unknown", lang) if pop is None or pd.isna(pop) else _number(pop, lang)),
        (_t("area", lang), f"{float(town.get('area_km2', np.nan)):.1f} km²".replace(
            ".", "," if not en else ".")),
        (_t("located_all", lang), str(located_all)),
        (_t("reachable_all", lang), str(reachable_all)),
        (_t("planned_all", lang), str(planned_all)),
        (_t("score", lang), _percent(score["score"], lang)),
        (_t("fresh", lang), f"{_percent(fresh['share'], lang)} ({fresh['verified']}/"
                            f"{fresh['entries']})"),
    ]
    y = 0.895
    for label, value in figures:
        fig.text(0.06, y, label, fontsize=8.5, color=MUTED, va="top")
        fig.text(0.40, y, value, fontsize=8.5, color=INK, va="top", weight="bold", ha="right")
        y -= 0.02

    ax_map = fig.add_axes((0.50, 0.70, 0.44, 0.22))
    draw_coverage_map(ax_map, towns, analysis.scores, partners[
        reach.located == pos] if len(partners) else partners,
        categories=categories, highlight=ags, labels=True, legend=False, lang=lang)

    # matrix row as a table
    top = 0.68
    ax = fig.add_axes((0.06, top - 0.028 * (len(matrix) + 1.5), 0.88, 0.028 * (len(matrix) + 1.5)))
    ax.set_xlim(0, 1)
    ax.set_ylim(len(matrix) + 1.5, 0)
    ax.set_axis_off()
    cols = [0.0, 0.30, 0.445, 0.515, 0.60, 0.66, 0.745]
    heads = [_t("category", lang), _t("light", lang), _t("located", lang),
             _t("reachable", lang), _t("target", lang), _t("per_10k", lang),
             _t("nearest", lang)]
    for x, text in zip(cols, heads, strict=True):
        ax.text(x + 0.005, 1.2, text, fontsize=7, weight="bold", va="bottom")
    ax.plot([0, 1], [1.5, 1.5], color=INK, linewidth=0.8)
    label_col = "label_en" if en else "label_de"
    for i, cell in enumerate(matrix.itertuples(index=False)):
        y0 = 1.5 + i
        _cell(ax, cols[1], cols[2] - 0.01, y0, CELL_FILL[cell.status])
        nearest = "–"
        if not pd.isna(cell.nearest_km):
            nearest = f"{cell.nearest_town or '?'}, {cov.format_km(cell.nearest_km, lang=lang)}"
        per_10k = "–" if pd.isna(cell.per_10k) else f"{cell.per_10k:.1f}".replace(
            ".", "." if en else ",")
        status_text = f"{cov.STATUS_SYMBOLS[cell.status]} {_t(cell.status, lang)}"
        if cell.planned:
            status_text += f" +{cell.planned} {_t('planned_short', lang)}"
        values = [textwrap.shorten(getattr(cell, label_col), 45, placeholder="…"), status_text,
                  str(cell.located), str(cell.reachable), str(cell.required), per_10k, nearest]
        for c, (x, text) in enumerate(zip(cols, values, strict=True)):
            ax.text(x + 0.005, y0 + 0.5, text, fontsize=7, va="center",
                    color=CELL_INK[cell.status] if c == 1 else INK)

    # stages, target groups, languages, KIM, white spots
    y = top - 0.028 * (len(matrix) + 1.5) - 0.02
    stages = analysis.stages[analysis.stages["ags"] == ags]
    groups = analysis.target_groups[analysis.target_groups["ags"] == ags]
    langs = analysis.languages[(analysis.languages["ags"] == ags) & analysis.languages["covered"]]
    kim = analysis.kim.set_index("ags").loc[ags]
    label = "label_en" if en else "label_de"

    def listing(frame: pd.DataFrame, covered: bool) -> str:
        names = frame.loc[frame["covered"] == covered, label].tolist()
        return ", ".join(names) if names else _t("none", lang)

    blocks: list[tuple[str, str]] = [
        (_t("stages", lang), f"✓ {_t('covered', lang)}: {listing(stages, True)}"),
        ("", f"✗ {_t('missing', lang)}: {listing(stages, False)}"),
        (_t("target_groups", lang), f"✓ {_t('covered', lang)}: {listing(groups, True)}"),
        ("", f"✗ {_t('missing', lang)}: {listing(groups, False)}"),
        (_t("languages", lang), ", ".join(
            sorted(language_name(code, lang) for code in langs["language"])) or _t("none", lang)),
    ]
    kim_text = (_t("kim_present", lang, n=int(kim["reachable"])) if kim["present"]
                else _t("kim_missing", lang))
    if not kim["present"] and not pd.isna(kim["nearest_km"]):
        kim_text += _t("kim_nearest", lang, town=kim["nearest_town"] or "?",
                       km=cov.format_km(kim["nearest_km"], lang=lang))
    if kim["planned"]:
        kim_text += _t("kim_planned", lang, n=int(kim["planned"]))
    blocks.append((_t("kim", lang), kim_text))
    for head, text in blocks:
        if head:
            y -= 0.006
            fig.text(0.06, y, head, fontsize=9, weight="bold", color=INK, va="top")
            y -= 0.017
        for line in textwrap.wrap(text, WRAP_CHARS)[:3]:
            fig.text(0.08, y, line, fontsize=8, color=INK, va="top")
            y -= 0.014
    spots = cov.describe_white_spots(matrix, lang=lang, include_under_target=True)
    y -= 0.006
    fig.text(0.06, y, _t("white_town", lang), fontsize=9, weight="bold", color=INK, va="top")
    y -= 0.017
    floor = 0.1
    lines = _wrap(["• " + s for s in spots]) or [_t("white_none", lang)]
    for line in lines:
        if y < floor:
            fig.text(0.08, y, "…", fontsize=8, color=INK, va="top")
            break
        fig.text(0.08, y, line, fontsize=8, color=INK, va="top")
        y -= 0.014
    return fig


# --------------------------------------------------------------------------- entry points


def resolve_report_town(query: str, towns: gpd.GeoDataFrame) -> str:
    """AGS of the town called ``query`` (name or AGS; case and umlauts tolerant).

    Raises
    ------
    ExportError
        No town of the region matches; the message lists what is possible.
    """
    from partnernetz import gazetteer

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
    analysis: cov.CoverageAnalysis | None = None,
    note: str | None = None,
    lang: str = "de",
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
        :func:`partnernetz.coverage.analyse_coverage` of exactly these
        partners, if the caller has it already.
    note
        A line under the title, e.g. the active filters.
    lang
        ``de`` (default) or ``en``.

    Raises
    ------
    ExportError
        Unknown town, or the PDF could not be produced.
    """
    partners = dataset.partners if partners is None else partners
    towns = dataset.towns
    categories = dataset.categories
    if analysis is None:
        analysis = cov.analyse_coverage(partners, towns, today=today, categories=categories,
                                        targets=dataset.targets)
    region = getattr(dataset.region, "name", str(dataset.region))
    ctx = _Context(region=region, today=today, lang=lang,
                   attribution_lines=_attribution_lines(getattr(dataset, "attribution", "")),
                   note=note)
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
    analysis: cov.CoverageAnalysis | None = None,
    note: str | None = None,
    lang: str = "de",
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
                            analysis=analysis, note=note, lang=lang)
    write_bytes_atomically(path, data)
    return path


__all__ = [
    "build_map_figure",
    "count_report_pages",
    "draw_coverage_map",
    "render_map_array",
    "report_pdf_bytes",
    "resolve_report_town",
    "write_report_pdf",
]
