"""Report sections: the pages of the PDF report (summary, matrix, overview,
white spots, town profile).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from partnernetz.analysis.matrix import CELL_FILL, CELL_INK, STATUS_SYMBOLS, YELLOW
from partnernetz.analysis.phrases import describe_white_spots, format_km
from partnernetz.analysis.reach import build_reach
from partnernetz.analysis.summary import CoverageAnalysis, summarise_towns
from partnernetz.i18n import STAGE_SHORT
from partnernetz.registry.vocabulary import language_name
from partnernetz.views.report_layout import (
    INK,
    LINES_PER_PAGE,
    MATRIX_ROWS_PER_PAGE,
    MUTED,
    OVERVIEW_ROWS_PER_PAGE,
    RULE,
    WRAP_CHARS,
    _cell,
    _chunks,
    _Context,
    _new_page,
    _table_axes,
    _wrap,
)
from partnernetz.views.report_map import _score_bar, draw_coverage_map
from partnernetz.views.report_texts import _number, _percent, _t


def _summary_page(ctx: _Context, analysis: CoverageAnalysis, towns: gpd.GeoDataFrame,
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


def _matrix_pages(ctx: _Context, analysis: CoverageAnalysis, towns: gpd.GeoDataFrame,
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
                symbol = STATUS_SYMBOLS[cell.status]
                count = (f"{cell.reachable}/{cell.required}" if cell.status == YELLOW
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


def _overview_pages(ctx: _Context, analysis: CoverageAnalysis) -> list[Figure]:
    lang = ctx.lang
    summary = summarise_towns(analysis, lang=lang)
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


def _white_spot_lines(analysis: CoverageAnalysis, lang: str) -> list[tuple[str, str]]:
    matrix = analysis.matrix
    red = describe_white_spots(matrix, lang=lang)
    yellow = [
        s for s in describe_white_spots(
            matrix[matrix["status"] == YELLOW], lang=lang, include_under_target=True
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


def _profile_page(ctx: _Context, analysis: CoverageAnalysis, towns: gpd.GeoDataFrame,
                  partners: pd.DataFrame, categories: Mapping[str, Any] | None,
                  ags: str) -> Figure:
    lang = ctx.lang
    en = lang == "en"
    town = towns[towns["ags"] == ags].iloc[0]
    fig = _new_page(ctx, f"{_t('profile', lang)}: {town['name']}")
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
            nearest = f"{cell.nearest_town or '?'}, {format_km(cell.nearest_km, lang=lang)}"
        per_10k = "–" if pd.isna(cell.per_10k) else f"{cell.per_10k:.1f}".replace(
            ".", "." if en else ",")
        status_text = f"{STATUS_SYMBOLS[cell.status]} {_t(cell.status, lang)}"
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
                       km=format_km(kim["nearest_km"], lang=lang))
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
    spots = describe_white_spots(matrix, lang=lang, include_under_target=True)
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
