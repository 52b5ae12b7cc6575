"""Report map: the coverage map drawn with matplotlib for the PDF report.

Town polygons coloured by the coverage score on the app's own colour scale
(:data:`partnernetz.views.choropleth.SEQUENTIAL`), town names, partner
points; no tiles. Mathtext is off: a label is printed as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, Normalize, to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from pyproj import Transformer

from partnernetz.views.choropleth import SEQUENTIAL
from partnernetz.views.report_texts import _category_colours, _category_label, _t

METRIC_CRS = "EPSG:25832"


FONT = "DejaVu Sans"
RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "axes.unicode_minus": False,
    "text.parse_math": False,  # "$5 und $10" is text, never mathtext
}
INK, MUTED = "#1F2328", "#57606A"

# The app's scale (viridis, light = low, dark = high), interpolated as the app does.
SCORE_CMAP = LinearSegmentedColormap.from_list("score", list(SEQUENTIAL), N=256)


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
        :func:`partnernetz.analysis.matrix.score_towns` (columns ``ags``, ``score``).
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
