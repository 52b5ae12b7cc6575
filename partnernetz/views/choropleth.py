"""Choropleth: the town map coloured by a figure (score or a category).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

import folium

from partnernetz.views.map_payload import _to_wgs84, towns_geojson
from partnernetz.views.maps import (
    DATA_ATTRIBUTION,
    STATIC_URL,
    _base_map,
    _bounds,
    _Control,
    _texts,
    _TownLayer,
)
from partnernetz.views.records import is_missing

# viridis, dark to light; reversed below so that more is darker
_VIRIDIS = (
    "#440154", "#482475", "#414487", "#355F8D", "#2A788E", "#21918C",
    "#22A884", "#44BF70", "#7AD151", "#BDDF26", "#FDE725",
)
SEQUENTIAL: tuple[str, ...] = tuple(reversed(_VIRIDIS))
"""Sequential, colour-blind-safe scale (viridis, light = low, dark = high)."""

NO_DATA_COLOUR = "#BDBDBD"


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def scale_colour(value: float, vmin: float, vmax: float, scale: tuple[str, ...] = SEQUENTIAL) -> str:
    """Colour of ``value`` on a linear scale from ``vmin`` to ``vmax``.

    Parameters
    ----------
    value, vmin, vmax
        The value and the range; values outside are clamped.
    scale
        Colour stops, low to high.

    Returns
    -------
    str
        ``#rrggbb``.
    """
    t = 0.5 if vmax <= vmin else min(1.0, max(0.0, (value - vmin) / (vmax - vmin)))
    pos = t * (len(scale) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(scale) - 1)
    frac = pos - lo
    a, b = _hex_to_rgb(scale[lo]), _hex_to_rgb(scale[hi])
    rgb = (round(x + (y - x) * frac) for x, y in zip(a, b, strict=True))
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def fitted_range(values: Sequence[float], *, step: float = 0.05, low: float = 0.0,
                 high: float = 1.0) -> tuple[float, float]:
    """Ends of a colour scale that fit ``values``: the lowest value rounded down and the
    highest rounded up to ``step``, within ``low``..``high``.

    Towns between 0.86 and 1.0 give (0.85, 1.0): the scale spreads them instead of
    colouring them all alike. Without values, or all equal, a range of one step
    around them (or ``low``..``high``).
    """
    present = [float(v) for v in values if v is not None and v == v]
    if not present:
        return low, high
    lo = max(low, math.floor(min(present) / step + 1e-9) * step)
    hi = min(high, math.ceil(max(present) / step - 1e-9) * step)
    if hi - lo < step:
        lo, hi = (max(low, hi - step), hi) if hi >= high else (lo, min(high, lo + step))
    return round(lo, 6), round(hi, 6)


def format_number(value: float, *, lang: str = "de", decimals: int = 1) -> str:
    """A number with German (``1.234,5``) or English (``1,234.5``) separators."""
    text = f"{value:,.{decimals}f}"
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def _value_of(values: Any, ags: str) -> float | None:
    try:
        value = values.get(ags) if hasattr(values, "get") else values[ags]
    except (KeyError, IndexError):
        return None
    if value is None or is_missing(value):
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if value != value else value


def build_choropleth_map(
    towns: Any,
    values: Mapping[str, float] | Any,
    *,
    value_label: str,
    lang: str = "de",
    basemap: str = "none",
    fmt: Callable[[float], str] | None = None,
    title: str | None = None,
    attribution: str = DATA_ATTRIBUTION,
    height: str | int = "100%",
    asset_base: str = STATIC_URL,
    value_range: tuple[float, float] | None = None,
) -> folium.Map:
    """Towns coloured by a number each (coverage), with legend and tooltips.

    Parameters
    ----------
    towns
        Towns GeoDataFrame of the region.
    values
        Number per AGS (mapping or ``pandas.Series`` indexed by AGS); towns
        without a number are grey and labelled "keine Daten".
    value_label
        Unit text after the number, e.g. ``"je 10.000"``: tooltip
        ``"Brakel: 1,2 je 10.000"``.
    lang
        UI language, ``"de"`` (default) or ``"en"``.
    basemap
        ``"none"`` (default), ``"osm"`` or ``"basemapde"``.
    fmt
        Formats a number; default :func:`format_number` in ``lang``, 1 decimal.
    title
        Legend title; default ``value_label``.
    attribution
        Data attribution shown on the map; escaped.
    height
        CSS height of the map.
    asset_base
        URL prefix of ``static/vendor`` as the browser sees it.

    value_range
        Fixed ends of the colour scale, e.g. ``(0, 100)`` for a share in
        per cent; default: the lowest and highest value shown.
    Returns
    -------
    folium.Map
        The map; a town click is reported like on the partner map.
    """
    towns = _to_wgs84(towns)
    texts = _texts(lang)
    fmt = fmt or (lambda v: format_number(v, lang=lang))
    fmap = _base_map(
        towns, basemap=basemap, attribution=attribution, asset_base=asset_base, height=height,
        frame_title=texts["frame_choropleth"].format(title=title or value_label),
    )
    numbers = {
        str(ags): _value_of(values, str(ags)) for ags in (towns["ags"] if len(towns) else [])
    }
    present = [v for v in numbers.values() if v is not None]
    if value_range is not None:
        vmin, vmax = value_range
    else:
        vmin, vmax = (min(present), max(present)) if present else (0.0, 1.0)
    unit = f" {value_label}" if value_label else ""

    def extra(row: Mapping[str, Any]) -> dict[str, Any]:
        value = numbers.get(str(row.get("ags")))
        name = str(row.get("name"))
        if value is None:
            return {"value": None, "fill": NO_DATA_COLOUR,
                    "tooltip": f"{name}: {texts['no_data']}"}
        return {"value": value, "fill": scale_colour(value, vmin, vmax),
                "tooltip": f"{name}: {fmt(value)}{unit}"}

    fmap.add_child(_TownLayer(towns_geojson(towns, extra=extra), keyboard=False))
    ramp = ",".join(SEQUENTIAL)
    ticks = (
        f"<span>{escape(fmt(vmin))}</span><span>{escape(fmt(vmax))}</span>" if present else ""
    )
    legend = (
        f'<div class="pn-legend__title">{escape(title or value_label)}</div>'
        + (
            f'<div class="pn-legend__ramp" style="background:linear-gradient(to right,{ramp})">'
            f'</div><div class="pn-legend__ticks">{ticks}</div>' if present else ""
        )
        + f'<div class="pn-legend__note"><span class="pn-legend__swatch" '
        f'style="background:{NO_DATA_COLOUR}"></span><span>{escape(texts["no_data"])}</span></div>'
    )
    fmap.add_child(_Control(legend, position="bottomright"))
    fmap.fit_bounds(_bounds(towns), padding=(10, 10))
    return fmap
