"""The report's region map as SVG: vector shapes, town labels as real text, partner dots.

Drawn by hand (no matplotlib) in millimetres at print size, so that a label
of 8 pt is 8 pt on paper, searchable in the PDF and checkable by a test:
:class:`MapSvg` keeps every label's box. Labels are placed one by one
(largest town first) at the first candidate position around the town's
centre that overlaps no label placed before, stays on the map and covers as
few partner dots as possible; a town whose name finds no room gets a number
instead, explained in a list under the map (:attr:`MapSvg.keys`).

Town colours follow the app's scale (:func:`partnernetz.views.choropleth.scale_colour`)
over :func:`fitted_range`: when every town lies between 86 and 100 %, the scale
runs from 85 to 100 % and spreads those values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import font_manager
from PIL import ImageFont
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Point, Polygon

from partnernetz.views.choropleth import NO_DATA_COLOUR, fitted_range, scale_colour
from partnernetz.views.report_texts import _category_colours

METRIC_CRS = "EPSG:25832"
PT = 25.4 / 72  # one point in millimetres
FONT_FAMILY = "DejaVu Sans"
LABEL_PT = 8.0  # town labels: at least 8 pt
KEY_PT = 8.0  # the numbers of towns without room for their name
DOT_MM = 1.9  # diameter of a partner dot
INK, OUTLINE, HALO = "#1F2328", "#4D4D4D", "#FFFFFF"


@dataclass(frozen=True)
class LabelBox:
    """A placed label: its text lines, font size (pt) and box (x0, y0, x1, y1) in mm."""

    lines: tuple[str, ...]
    size_pt: float
    box: tuple[float, float, float, float]
    ags: str
    anchor: tuple[float, float] = (0.0, 0.0)  # the town's centre (a leader line to a number)


@dataclass(frozen=True)
class MapSvg:
    """The map as SVG text, its size in mm, the labels placed and the numbered towns."""

    svg: str
    width_mm: float
    height_mm: float
    labels: tuple[LabelBox, ...]
    keys: tuple[tuple[int, str], ...]  # (number, "Town 92 %") for towns labelled by a number
    value_range: tuple[float, float]
    dot_mm: float = DOT_MM


@lru_cache(maxsize=4)
def _font(bold: bool) -> ImageFont.FreeTypeFont:
    prop = font_manager.FontProperties(family=FONT_FAMILY, weight="bold" if bold else "normal")
    return ImageFont.truetype(font_manager.findfont(prop), 100)


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The printed width of ``text`` in DejaVu Sans at ``size_pt``."""
    return _font(bold).getlength(text) / 100 * size_pt * PT


def coverage_map_svg(
    towns: gpd.GeoDataFrame,
    scores: pd.DataFrame,
    partners: pd.DataFrame,
    *,
    categories: Mapping[str, Any] | None = None,
    width_mm: float = 178.0,
    max_height_mm: float = 190.0,
    highlight: str | None = None,
    labels: bool = True,
    lang: str = "de",
) -> MapSvg:
    """The region's towns coloured by coverage, partner dots and town labels, as SVG.

    Parameters
    ----------
    towns
        Towns GeoDataFrame (EPSG:4326).
    scores
        Columns ``ags`` and ``score`` (0..1).
    partners
        Partners with ``lat``, ``lon``, ``category``, ``status``: active ones
        filled dots in their category's colour, planned ones hollow.
    categories
        ``Dataset.categories`` (colours).
    width_mm, max_height_mm
        The map's width (the text width) and the highest it may be; a tall region
        is drawn narrower to fit.
    highlight
        AGS of one town (the Steckbrief): the others grey and unlabelled.
    labels
        Write the town names and scores.
    lang
        ``de`` or ``en`` (per cent format).
    """
    metric = towns.to_crs(METRIC_CRS)
    minx, miny, maxx, maxy = metric.total_bounds
    span_x, span_y = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
    scale = min(width_mm / span_x, max_height_mm / span_y) * 0.98
    pad = 1.0
    width = span_x * scale + 2 * pad
    height = span_y * scale + 2 * pad

    def to_mm(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (np.asarray(x) - minx) * scale + pad, (maxy - np.asarray(y)) * scale + pad

    score_of = dict(zip(scores["ags"], scores["score"], strict=True))
    present = [float(v) for v in score_of.values() if v is not None and not pd.isna(v)]
    lo, hi = fitted_range(present)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.2f}mm" '
             f'height="{height:.2f}mm" viewBox="0 0 {width:.2f} {height:.2f}">']
    shapes_mm: dict[str, Any] = {}
    for ags, geom in zip(metric["ags"], metric.geometry, strict=True):
        value = score_of.get(ags)
        if highlight is not None and ags != highlight:
            fill = "#EEEEEE"
        elif value is None or pd.isna(value):
            fill = NO_DATA_COLOUR
        else:
            fill = scale_colour(float(value), lo, hi)
        path, shape = _path(geom, to_mm)
        shapes_mm[str(ags)] = shape
        stroke_w = 0.6 if highlight is not None and ags == highlight else 0.25
        parts.append(f'<path d="{path}" fill="{fill}" stroke="{INK if stroke_w > 0.3 else OUTLINE}" '
                     f'stroke-width="{stroke_w}" fill-rule="evenodd"/>')

    dots = _dots(partners, categories, to_mm, width, height)
    for x, y, colour, planned in dots:
        r = DOT_MM / 2
        if planned:
            parts.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{r:.2f}" fill="#FFFFFF" '
                         f'stroke="{colour}" stroke-width="0.45"/>')
        else:
            parts.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{r:.2f}" fill="{colour}" '
                         f'stroke="#FFFFFF" stroke-width="0.25"/>')

    placed: list[LabelBox] = []
    keys: list[tuple[int, str]] = []
    if labels:
        cx, cy = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True).transform(
            pd.to_numeric(towns["lon"]).to_numpy(dtype=float),
            pd.to_numeric(towns["lat"]).to_numpy(dtype=float))
        cx, cy = np.asarray(cx, dtype=float), np.asarray(cy, dtype=float)
        missing = ~(np.isfinite(cx) & np.isfinite(cy))
        if missing.any():  # no centre point: a point inside the polygon
            inner = metric.geometry.representative_point()
            cx[missing], cy[missing] = inner.x.to_numpy()[missing], inner.y.to_numpy()[missing]
        px, py = to_mm(cx, cy)
        order = _label_order(towns, highlight)
        dot_xy = np.array([(d[0], d[1]) for d in dots], dtype=float).reshape(-1, 2)
        for i in order:
            ags = str(towns["ags"].iloc[i])
            name = str(towns["name"].iloc[i])
            value = score_of.get(ags)
            lines = (name,) if value is None or pd.isna(value) else (
                name, _percent(float(value), lang))
            box = _place(lines, LABEL_PT, float(px[i]), float(py[i]), placed, dot_xy,
                         shapes_mm.get(ags), width, height)
            if box is not None:
                placed.append(LabelBox(lines, LABEL_PT, box, ags))
                continue
            number = str(len(keys) + 1)
            box = _place((number,), KEY_PT, float(px[i]), float(py[i]), placed, dot_xy,
                         shapes_mm.get(ags), width, height, rings=12)
            if box is None:  # no room at all: the town is only in the list under the map
                keys.append((len(keys) + 1, ": ".join(lines)))
                continue
            placed.append(LabelBox((number,), KEY_PT, box, ags, (float(px[i]), float(py[i]))))
            keys.append((len(keys) + 1, ": ".join(lines)))
        for label in placed:  # leader lines first: never over a label
            parts.append(_leader_svg(label))
        for label in placed:
            parts.append(_label_svg(label))
    parts.append("</svg>")
    return MapSvg("".join(parts), round(width, 2), round(height, 2), tuple(placed), tuple(keys),
                  (lo, hi))


def _percent(share: float, lang: str) -> str:
    return f"{share * 100:.0f}%" if lang == "en" else f"{share * 100:.0f} %"


def _label_order(towns: gpd.GeoDataFrame, highlight: str | None) -> list[int]:
    """Highlighted town only, or every town, the most populous first."""
    if highlight is not None:
        return [i for i, a in enumerate(towns["ags"]) if a == highlight]
    population = pd.to_numeric(towns.get("population", pd.Series(0, index=towns.index)),
                               errors="coerce").fillna(0).to_numpy(dtype=float)
    return sorted(range(len(towns)), key=lambda i: (-population[i], str(towns["name"].iloc[i])))


def _path(geom: Any, to_mm: Any) -> tuple[str, Any]:
    """SVG path data of a (multi)polygon in mm, and the polygon in mm (for containment)."""
    polygons = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    commands, shapes = [], []
    for polygon in polygons:
        rings = []
        for ring in (polygon.exterior, *polygon.interiors):
            x, y = to_mm(*np.asarray(ring.coords)[:, :2].T)
            points = " L".join(f"{a:.2f} {b:.2f}" for a, b in zip(x, y, strict=True))
            commands.append(f"M{points} Z")
            rings.append(list(zip(x, y, strict=True)))
        shapes.append(Polygon(rings[0], rings[1:]))
    return " ".join(commands), MultiPolygon(shapes) if len(shapes) > 1 else shapes[0]


def _dots(partners: pd.DataFrame, categories: Mapping[str, Any] | None, to_mm: Any,
          width: float, height: float) -> list[tuple[float, float, str, bool]]:
    """(x, y, colour, planned) of every active or planned partner on the map, in mm."""
    if not len(partners):
        return []
    colours = _category_colours(categories)
    lat = pd.to_numeric(partners["lat"], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(partners["lon"], errors="coerce").to_numpy(dtype=float)
    x, y = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True).transform(lon, lat)
    x, y = to_mm(x, y)
    status = partners["status"].fillna("active").astype(str).to_numpy(dtype=object)
    cats = partners["category"].astype(str).to_numpy(dtype=object)
    out = []
    for xi, yi, st, cat in zip(x, y, status, cats, strict=True):
        if st not in ("active", "planned") or not (0 <= xi <= width and 0 <= yi <= height):
            continue
        out.append((float(xi), float(yi), colours.get(cat, "#333333"), st == "planned"))
    out.sort(key=lambda d: d[3])  # planned (hollow) on top of active
    return _dodge(out, width, height)


def _dodge(dots: list[tuple[float, float, str, bool]], width: float,
           height: float) -> list[tuple[float, float, str, bool]]:
    """Dots that would cover each other moved apart on a small spiral, so that every
    partner stays visible (partners placed at their town's centre share one point)."""
    grid: dict[tuple[int, int], list[tuple[float, float]]] = {}
    cell = DOT_MM
    out = []
    for x, y, colour, planned in dots:
        for step in range(400):
            angle = step * 2.39996  # golden angle: an even sunflower spiral
            radius = DOT_MM * 0.62 * math.sqrt(step)
            nx = min(max(x + radius * math.cos(angle), DOT_MM / 2), width - DOT_MM / 2)
            ny = min(max(y + radius * math.sin(angle), DOT_MM / 2), height - DOT_MM / 2)
            key = (int(nx // cell), int(ny // cell))
            near = [p for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                    for p in grid.get((key[0] + dx, key[1] + dy), ())]
            if all(math.hypot(nx - px, ny - py) >= DOT_MM * 1.02 for px, py in near):
                break
        grid.setdefault(key, []).append((nx, ny))
        out.append((nx, ny, colour, planned))
    return out


def _label_size(lines: Sequence[str], size_pt: float) -> tuple[float, float]:
    w = max(text_width_mm(line, size_pt, bold=i == 0) for i, line in enumerate(lines)) + 1.2
    h = len(lines) * size_pt * PT * 1.18 + 0.8
    return w, h


def _place(lines: Sequence[str], size_pt: float, x: float, y: float, placed: list[LabelBox],
           dots: np.ndarray, shape: Any, width: float, height: float, *,
           rings: int = 4) -> tuple[float, float, float, float] | None:
    """The best free box for a label near (x, y), or None when there is no room."""
    w, h = _label_size(lines, size_pt)
    best, best_cost = None, math.inf
    for ring in range(rings + 1):
        step = 0.55 * ring
        offsets = [(0.0, 0.0)] if ring == 0 else [
            (dx * (w * 0.5 + 0.6) * step, dy * (h * 0.5 + 0.6) * step)
            for dx, dy in ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1),
                           (0.5, -1), (-0.5, -1), (0.5, 1), (-0.5, 1))]
        for dx, dy in offsets:
            cx, cy = x + dx, y + dy
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height:
                continue
            if any(_overlap(box, other.box) for other in placed):
                continue
            covered = 0
            if len(dots):
                covered = int(((dots[:, 0] >= box[0]) & (dots[:, 0] <= box[2])
                               & (dots[:, 1] >= box[1]) & (dots[:, 1] <= box[3])).sum())
            outside = shape is not None and not shape.contains(Point(cx, cy))
            cost = covered * 0.5 + (6.0 if outside else 0.0) + math.hypot(dx, dy) * 0.3
            if cost < best_cost:
                best, best_cost = box, cost
        if best is not None and best_cost < 1.0:
            break
    return best


def _overlap(a: Sequence[float], b: Sequence[float], gap: float = 0.3) -> bool:
    return not (a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1]
                or b[3] + gap <= a[1])


def _leader_svg(label: LabelBox) -> str:
    """A thin line from a town's centre to its number when the number had to move away."""
    if label.anchor == (0.0, 0.0):
        return ""
    x0, y0, x1, y1 = label.box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax, ay = label.anchor
    if x0 <= ax <= x1 and y0 <= ay <= y1:
        return ""
    return (f'<line x1="{ax:.2f}" y1="{ay:.2f}" x2="{cx:.2f}" y2="{cy:.2f}" stroke="{INK}" '
            f'stroke-width="0.25"/><circle cx="{ax:.2f}" cy="{ay:.2f}" r="0.5" fill="{INK}"/>')


def _label_svg(label: LabelBox) -> str:
    x0, y0, x1, y1 = label.box
    size = label.size_pt * PT
    cx = (x0 + x1) / 2
    out = [f'<rect x="{x0:.2f}" y="{y0:.2f}" width="{x1 - x0:.2f}" height="{y1 - y0:.2f}" '
           f'rx="0.8" fill="{HALO}" fill-opacity="0.82" stroke="none"/>']
    for i, line in enumerate(label.lines):
        baseline = y0 + 0.4 + size * (0.93 + 1.18 * i)
        weight = ' font-weight="bold"' if i == 0 else ""
        out.append(f'<text x="{cx:.2f}" y="{baseline:.2f}" font-family="{FONT_FAMILY}" '
                   f'font-size="{size:.3f}"{weight} fill="{INK}" text-anchor="middle">'
                   f"{escape(line)}</text>")
    return "".join(out)
