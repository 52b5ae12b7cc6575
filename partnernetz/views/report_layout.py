"""Report layout: page size, fonts, colours and the page/table primitives of the PDF.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from partnernetz.geo.gazetteer import ATTRIBUTION, POPULATION_ATTRIBUTION
from partnernetz.views.report_texts import _date_text, _t

A4 = (8.27, 11.69)  # inches, portrait
MATRIX_ROWS_PER_PAGE = 30
OVERVIEW_ROWS_PER_PAGE = 30
LINES_PER_PAGE = 52
WRAP_CHARS = 105


FONT = "DejaVu Sans"
RC = {
    "pdf.fonttype": 42,  # embed TrueType: real, extractable text with umlauts
    "ps.fonttype": 42,
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "axes.unicode_minus": False,
}


INK, MUTED, RULE = "#1F2328", "#57606A", "#D0D7DE"


@dataclass
class _Context:
    region: str
    today: dt.date
    lang: str
    attribution_lines: list[str]
    note: str | None
    pages: int = 0
    page: int = 0
    internal: bool = False  # footer "Intern – nicht zur Weitergabe" (a signed-in role's report)


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
    if ctx.internal:
        fig.text(0.5, 0.02, _t("internal", ctx.lang), fontsize=8, color="#8a1c00",
                 va="bottom", ha="center", weight="bold")
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
