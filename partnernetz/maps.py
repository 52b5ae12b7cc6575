"""Folium maps: the partner map and the coverage choropleth.

Pure functions: data in, ``folium.Map`` out; nothing here touches Streamlit.

Two rules shape this module:

* **Self-hosted.** The maps load Leaflet, leaflet.markercluster and jQuery from
  ``/app/static/vendor/`` (Streamlit's static serving of ``static/``), never
  from a CDN; folium's other defaults (Bootstrap, Font Awesome,
  awesome-markers) are not loaded at all. With ``basemap="none"`` the map
  makes no request to any other host.
* **Drawn client-side.** Partners are sent once, as one compact JSON payload
  (rows as arrays, repeated texts as indices into one string table, language
  codes instead of names), and ``partnernetz/assets/partner_map.js`` builds the
  markers, clusters and popups in the browser. One folium ``Marker`` per
  partner would cost seconds of server time at a few thousand partners.

How streamlit-folium 0.27.4 shows these maps (read from its frontend source):
the component iframe (same origin as the app) loads every ``default_js`` /
``default_css`` of the map's elements in order, appends the figure header
(styles work, inline scripts in it do not run), then runs the concatenated
``script`` macros as one inline script and finally ``initComponent(map)``,
which attaches click reporting to every layer on the map *at that moment*.
The town layer is on the map then, so a click on a town returns its GeoJSON
feature as ``last_active_drawing`` (``properties.kind == "town"``). The partner
markers are added one tick later, so a click on a partner only opens its
popup and never reruns the Streamlit script.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import folium
import numpy as np
import shapely
import shapely.geometry
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from partnernetz import cards, vocabulary

ASSET_DIR = Path(__file__).parent / "assets"

STATIC_URL = "/app/static/vendor"
"""Where Streamlit serves ``static/vendor`` (``server.enableStaticServing``)."""

DATA_ATTRIBUTION = "© GeoBasis-DE / BKG (2016), dl-de/by-2-0, Daten verändert"

MAX_ZOOM = 18
COORD_DECIMALS = 5


@dataclass(frozen=True)
class Basemap:
    """A background map choice.

    ``url`` is the only host the map requests tiles from; ``links`` are the
    hyperlinks its attribution must carry (they are links, not requests).
    """

    key: str
    label_de: str
    label_en: str
    url: str | None
    attribution: str | None
    links: tuple[str, ...] = ()

    def label(self, lang: str = "de") -> str:
        """Label for the basemap choice in ``lang``."""
        return self.label_en if lang == "en" else self.label_de


BASEMAPS: dict[str, Basemap] = {
    "osm": Basemap(
        "osm", "OpenStreetMap", "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende',
        ("https://www.openstreetmap.org/copyright",),
    ),
    "basemapde": Basemap(
        "basemapde", "basemap.de (BKG)", "basemap.de (BKG)",
        "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/"
        "de_basemapde_web_raster_farbe/default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png",
        "&copy; basemap.de / BKG",
    ),
    "none": Basemap("none", "ohne Hintergrund", "no background", None, None),
}

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "legend": "Legende",
        "towns": "Gemeindegrenzen",
        "town": "Gemeindegrenze",
        "cluster": "mehrere Partner (anklicken zum Vergrößern)",
        "no_data": "keine Daten",
        "partners": "Partner",
    },
    "en": {
        "legend": "Legend",
        "towns": "Municipal boundaries",
        "town": "Municipal boundary",
        "cluster": "several partners (click to zoom in)",
        "no_data": "no data",
        "partners": "partners",
    },
}

# ---------------------------------------------------------------------------
# Marker symbols: a pin in the category colour with a white symbol, drawn in a
# 24x24 box. Self-contained SVG, no icon font.

ICON_PATHS: dict[str, str] = {
    "school": '<path d="M12 3 1 8.5 12 14 23 8.5Z"/>'
              '<path d="M5.5 11.6v4.4c0 1.9 3 3.5 6.5 3.5s6.5-1.6 6.5-3.5v-4.4L12 15Z"/>',
    "child": '<circle cx="12" cy="6" r="3.6"/><path d="M7.5 11h9l-1.6 6h-1.4l-.5 4.5h-2l-.5-4.5'
             'H9.1Z"/>',
    "youth": '<circle cx="7.5" cy="5.5" r="2.7"/><circle cx="16.5" cy="5.5" r="2.7"/>'
             '<path d="M3.6 9.6h7.8L10 21H5Z"/><path d="M12.6 9.6h7.8L19 21h-5Z"/>',
    "townhall": '<path d="M12 2 2 7v2h20V7Z"/><path d="M4 10h3v8H4Zm6.5 0h3v8h-3Zm6.5 0h3v8h-3Z"/>'
                '<path d="M2 19h20v3H2Z"/>',
    "speech": '<path d="M3 4h18v12H10l-5.5 4.5V16H3Z"/>',
    "building": '<path fill-rule="evenodd" d="M5 2h14v20h-5v-4h-4v4H5ZM8 5h3v3H8Zm5 0h3v3h-3Z'
                'M8 10h3v3H8Zm5 0h3v3h-3Z"/>',
    "heart": '<path d="M12 20.5 3.8 12.3a4.8 4.8 0 0 1 8.2-6.6 4.8 4.8 0 0 1 8.2 6.6Z"/>',
    "book": '<path d="M2 5c3-1.5 6.5-1.5 9.3.5V21c-2.8-2-6.3-2-9.3-.5Z"/>'
            '<path d="M12.7 5.5c2.8-2 6.3-2 9.3-.5v15.5c-3-1.5-6.5-1.5-9.3.5Z"/>',
    "family": '<circle cx="8" cy="5" r="2.8"/><path d="M4 9.5h8l-1 12H5Z"/>'
              '<circle cx="17" cy="10" r="2.3"/><path d="M14 13.5h6l-.8 8h-4.4Z"/>',
    "health": '<path d="M9 3h6v6h6v6h-6v6H9v-6H3V9h6Z"/>',
    "work": '<path fill-rule="evenodd" d="M8 6V4.5A1.5 1.5 0 0 1 9.5 3h5A1.5 1.5 0 0 1 16 4.5V6h5'
            'a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1Zm2-1v1h4V5Z"/>',
    "sport": '<g fill="none" stroke="#fff" stroke-width="2"><circle cx="12" cy="12" r="8.5"/>'
             '<path d="M3.5 12h17M12 3.5c-3.2 2.6-3.2 14.4 0 17M12 3.5c3.2 2.6 3.2 14.4 0 17"/></g>',
    "star": '<path d="m12 2 3 6.5 7 .8-5.2 4.8 1.4 7L12 17.6l-6.2 3.5 1.4-7L2 9.3l7-.8Z"/>',
    "info": '<circle cx="12" cy="5" r="2.2"/><path d="M9.5 9h4v10h2v2.5h-6V19h2v-7.5h-2Z"/>',
}


def icon_svg(icon: str, colour: str, *, width: int = 28) -> str:
    """A map pin in ``colour`` with the white symbol ``icon``, as inline SVG.

    Parameters
    ----------
    icon
        One of ``vocabulary.ICONS``; unknown names draw ``info``.
    colour
        Fill colour ``#rrggbb``; anything else draws grey.
    width
        Width in pixels; the height is ``width * 9 / 7``.

    Returns
    -------
    str
        ``<svg>`` element, decorative (``aria-hidden``).
    """
    colour = colour if cards._COLOUR_RE.match(colour or "") else cards.FALLBACK_COLOUR
    symbol = ICON_PATHS.get(icon, ICON_PATHS["info"])
    height = round(width * 9 / 7)
    return (
        f'<svg width="{width}" height="{height}" '
        f'viewBox="0 0 28 36" aria-hidden="true" focusable="false">'
        f'<path d="M14 35C14 35 2 21.6 2 13.5a12 12 0 0 1 24 0C26 21.6 14 35 14 35Z" '
        f'fill="{colour}" stroke="#1a1a1a" stroke-width="1.2"/>'
        f'<g fill="#fff" transform="translate(6 5.5) scale(.6667)">{symbol}</g></svg>'
    )


# ---------------------------------------------------------------------------
# Assets


def vendor_js(asset_base: str = STATIC_URL) -> list[tuple[str, str]]:
    """Leaflet and jQuery, self-hosted (the map's ``default_js``)."""
    return [
        ("leaflet", f"{asset_base}/leaflet/leaflet.js"),
        ("jquery", f"{asset_base}/jquery/jquery.min.js"),
    ]


def vendor_css(asset_base: str = STATIC_URL) -> list[tuple[str, str]]:
    """Leaflet's style sheet, self-hosted (the map's ``default_css``)."""
    return [("leaflet_css", f"{asset_base}/leaflet/leaflet.css")]


def markercluster_js(asset_base: str = STATIC_URL) -> list[tuple[str, str]]:
    """leaflet.markercluster, self-hosted."""
    return [("markercluster", f"{asset_base}/leaflet.markercluster/leaflet.markercluster.js")]


def markercluster_css(asset_base: str = STATIC_URL) -> list[tuple[str, str]]:
    """leaflet.markercluster's style sheets, self-hosted."""
    return [
        ("markercluster_css", f"{asset_base}/leaflet.markercluster/MarkerCluster.css"),
        ("markercluster_default_css", f"{asset_base}/leaflet.markercluster/MarkerCluster.Default.css"),
    ]


@cache
def _library_js() -> str:
    return (ASSET_DIR / "partner_map.js").read_text(encoding="utf-8")


@cache
def _library_css() -> str:
    return (ASSET_DIR / "partner_map.css").read_text(encoding="utf-8") + cards.CARD_CSS


def script_json(value: Any) -> str:
    """JSON that is safe inside an inline ``<script>`` (no ``</script>``, no U+2028)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


class _Raw(Element):
    """Pre-rendered text, returned as is: never compiled as a Jinja template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _RawRender:
    """Mixin for MacroElements whose macro output contains data.

    branca's ``MacroElement.render`` wraps each macro's output in
    ``Element(output)``, which compiles it as a Jinja template: slow for a
    megabyte of data, and a partner named ``{{ ... }}`` would be evaluated on
    the server. This ``render`` adds the output as plain text instead.
    """

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()  # type: ignore[attr-defined]
        if not isinstance(figure, Figure):
            raise TypeError("the element must be inside a Figure to render")
        for name, url in getattr(self, "default_js", []):
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in getattr(self, "default_css", []):
            figure.header.add_child(CssLink(url), name=name)
        macros = self._template.module.__dict__  # type: ignore[attr-defined]
        for part, target in (
            ("header", figure.header), ("html", figure.html), ("script", figure.script)
        ):
            macro = macros.get(part)
            if macro is not None:
                target.add_child(_Raw(str(macro(self, kwargs))), name=self.get_name())  # type: ignore[attr-defined]
        for child in self._children.values():  # type: ignore[attr-defined]
            child.render(**kwargs)


class SelfHostedMap(folium.Map):
    """A ``folium.Map`` that loads only self-hosted Leaflet and jQuery.

    Parameters
    ----------
    asset_base
        URL prefix of ``static/vendor`` as the browser sees it.
    **kwargs
        Passed to ``folium.Map``.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <meta name="viewport" content="width=device-width, initial-scale=1.0" />
            <style>
                #{{ this.get_name() }} {
                    position: {{this.position}};
                    width: {{this.width[0]}}{{this.width[1]}};
                    height: {{this.height[0]}}{{this.height[1]}};
                    left: {{this.left[0]}}{{this.left[1]}};
                    top: {{this.top[0]}}{{this.top[1]}};
                }
                .leaflet-container { font-size: {{this.font_size}}; }
            </style>
            <style>html, body { width: 100%; height: 100%; margin: 0; padding: 0; }</style>
        {% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="folium-map" id={{ this.get_name()|tojson }} ></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            L.Icon.Default.imagePath = {{ this.image_path|tojson }};
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS.{{ this.crs }},
                    ...{{this.options|tojavascript}}
                }
            );
            {%- if this.control_scale %}
            L.control.scale({imperial: false}).addTo({{ this.get_name() }});
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, *args: Any, asset_base: str = STATIC_URL, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # instance attributes: never mutate folium's class-level CDN lists
        self.default_js = vendor_js(asset_base)
        self.default_css = vendor_css(asset_base)
        self.image_path = f"{asset_base}/leaflet/images/"


class _Library(_RawRender, MacroElement):
    """The Partnernetz JavaScript and CSS, inlined once per map."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            {{ this.js }}
            Partnernetz.setup({{ this._parent.get_name() }}, {{ this.options }});
        {% endmacro %}
        """
    )

    def __init__(self, *, basemap: str, attribution: str) -> None:
        super().__init__()
        self._name = "PartnernetzLibrary"
        self.css = _library_css()
        self.js = _library_js()
        self.options = script_json({"basemap": basemap, "attribution": escape(attribution)})


class _TownLayer(_RawRender, MacroElement):
    """Town boundaries (and labels) drawn by ``Partnernetz.townLayer``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = Partnernetz.townLayer(
                {{ this._parent.get_name() }}, {{ this.data }}, {{ this.options }});
        {% endmacro %}
        """
    )

    def __init__(self, geojson: dict[str, Any], *, labels: bool = True) -> None:
        super().__init__()
        self._name = "TownLayer"
        self.data = script_json(geojson)
        self.options = script_json({"labels": labels})


class _PartnerLayer(_RawRender, JSCSSMixin):
    """Partner markers drawn by ``Partnernetz.partnerLayer`` from one payload."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = Partnernetz.partnerLayer(
                {{ this._parent.get_name() }}, {{ this.data }},
                Object.assign({{ this.options }}, {
                    townLayer: {{ this.towns.get_name() if this.towns else "null" }}
                }));
        {% endmacro %}
        """
    )

    def __init__(
        self, payload: dict[str, Any], options: dict[str, Any], *, towns: _TownLayer | None,
        asset_base: str,
    ) -> None:
        super().__init__()
        self._name = "PartnerLayer"
        self.default_js = markercluster_js(asset_base)
        self.default_css = markercluster_css(asset_base)
        self.data = script_json(payload)
        self.options = script_json(options)
        self.towns = towns


class _Control(_RawRender, MacroElement):
    """A map control with HTML escaped in Python (legends)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            Partnernetz.control({{ this.position|tojson }}, {{ this.html }}, "pn-legend")
                .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, *, position: str = "bottomright") -> None:
        super().__init__()
        self._name = "PartnernetzControl"
        self.html = script_json(html)
        self.position = position


# ---------------------------------------------------------------------------
# Building blocks


def _to_wgs84(frame: Any) -> Any:
    crs = getattr(frame, "crs", None)
    if crs is not None and crs.to_epsg() != 4326:
        return frame.to_crs(4326)
    return frame


def _texts(lang: str) -> dict[str, str]:
    return TEXTS.get(lang, TEXTS["de"])


def _base_map(
    towns: Any, *, basemap: str, attribution: str, asset_base: str, height: str | int,
) -> SelfHostedMap:
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; choose one of {', '.join(BASEMAPS)}")
    spec = BASEMAPS[basemap]
    bounds = _bounds(towns)
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    fmap = SelfHostedMap(
        location=centre, zoom_start=10, tiles=None, asset_base=asset_base, height=height,
        control_scale=True, maxZoom=MAX_ZOOM, minZoom=6,
    )
    if spec.url:
        folium.TileLayer(
            tiles=spec.url, attr=spec.attribution, name=spec.label_de, max_zoom=MAX_ZOOM,
            control=False,
        ).add_to(fmap)
    fmap.add_child(_Library(basemap=basemap, attribution=attribution))
    return fmap


def _bounds(towns: Any) -> list[list[float]]:
    if towns is None or len(towns) == 0:
        # North Rhine-Westphalia
        return [[50.32, 5.86], [52.53, 9.46]]
    minx, miny, maxx, maxy = (float(v) for v in towns.total_bounds)
    return [[miny, minx], [maxy, maxx]]


def _round_geometry(geometry: Any) -> Any:
    return shapely.transform(geometry, lambda coords: np.round(coords, COORD_DECIMALS))


def towns_geojson(
    towns: Any,
    *,
    extra: Callable[[Any], dict[str, Any]] | None = None,
    selected: str | None = None,
) -> dict[str, Any]:
    """Town boundaries as a GeoJSON FeatureCollection for the map.

    Parameters
    ----------
    towns
        Towns GeoDataFrame (architecture contract).
    extra
        Called with each row; its dict is merged into the feature properties.
    selected
        AGS of a town to draw highlighted.

    Returns
    -------
    dict
        Features with properties ``kind="town"``, ``ags``, ``name``,
        ``label_lat``, ``label_lon``, ``selected`` (plus ``extra``);
        coordinates rounded to 5 decimals.
    """
    features = []
    if towns is None or len(towns) == 0:
        return {"type": "FeatureCollection", "features": features}
    towns = _to_wgs84(towns)
    geoms = _round_geometry(np.asarray(towns.geometry.values, dtype=object))
    has_centre = "lat" in towns.columns and "lon" in towns.columns
    for i, row in enumerate(towns.itertuples(index=False)):
        row_map = row._asdict()
        ags = str(row_map.get("ags"))
        props: dict[str, Any] = {
            "kind": "town",
            "ags": ags,
            "name": str(row_map.get("name")),
            "selected": ags == selected,
        }
        if has_centre and not cards.is_missing(row_map.get("lat")):
            props["label_lat"] = round(float(row_map["lat"]), COORD_DECIMALS)
            props["label_lon"] = round(float(row_map["lon"]), COORD_DECIMALS)
        if extra is not None:
            props.update(extra(row_map))
        geom = geoms[i]
        features.append({
            "type": "Feature",
            "properties": props,
            "geometry": None if geom is None else shapely.geometry.mapping(geom),
        })
    return {"type": "FeatureCollection", "features": features}


# Texts that repeat a lot: sent once per column as a table, rows hold indices.
CODED_KEYS: tuple[str, ...] = (
    "category", "subtype", "status", "operator", "postcode", "town", "district", "precision",
    "opening_hours", "accessible",
)


def _factorize(values: list[Any]) -> tuple[list[int], list[Any]]:
    table: dict[Any, int] = {}
    codes = [-1 if v is None else table.setdefault(v, len(table)) for v in values]
    return codes, list(table)


def _contacts_columns(raw: list[Any]) -> tuple[dict[str, list[Any]], list[str]]:
    """Contacts of all rows as flat columns; row i owns entries ``start[i]:start[i+1]``."""
    start: list[int] = []
    names: list[str] = []
    roles: list[int] = []
    phones: list[str | None] = []
    emails: list[str | None] = []
    table: dict[str, int] = {}
    for value in raw:
        start.append(len(names))
        if value is None:
            continue
        for name, role, phone, email in cards.contact_tuples(value):
            names.append(name)
            roles.append(-1 if role is None else table.setdefault(role, len(table)))
            phones.append(phone)
            emails.append(email)
    start.append(len(names))
    return (
        {"start": start, "name": names, "role": roles, "phone": phones, "email": emails},
        list(table),
    )


def partner_payload(
    partners: Any, categories: Mapping[str, Any], *, lang: str = "de"
) -> dict[str, Any]:
    """The compact JSON payload the browser draws the partners from.

    Columnar, so that building it costs a few list passes per column and no
    object per partner.

    Parameters
    ----------
    partners
        Partners GeoDataFrame (architecture contract); only the card columns
        and ``lat``/``lon`` are read. Rows without coordinates are left out.
    categories
        Category key to category info.
    lang
        UI language.

    Returns
    -------
    dict
        ``n``; ``lat``, ``lon`` (rounded to 5 decimals); ``keys``
        (``cards.RECORD_KEYS``); ``columns`` (key to one value per partner);
        ``tables`` (for ``CODED_KEYS`` and ``role``: the distinct texts;
        ``languages``, ``offers``: the distinct combinations as lists; columns
        hold indices, -1 for none); ``categories`` (key, label, colour, count,
        svg, layer-control label) and the card ``context``. ``contacts`` is
        flat: ``start`` (row i owns ``start[i]:start[i+1]``), ``name``,
        ``role`` (index), ``phone``, ``email``.
    """
    n = len(partners)
    columns_present = set(partners.columns) if n else set()
    if n:
        lat_all = np.round(partners["lat"].to_numpy(dtype=float), COORD_DECIMALS)
        lon_all = np.round(partners["lon"].to_numpy(dtype=float), COORD_DECIMALS)
        valid = ~(np.isnan(lat_all) | np.isnan(lon_all))
    else:
        lat_all = lon_all = np.empty(0)
        valid = np.empty(0, dtype=bool)
    all_valid = bool(valid.all())
    keep = None if all_valid else np.flatnonzero(valid).tolist()

    def column(key: str) -> list[Any]:
        raw = partners[key].tolist() if key in columns_present else [None] * n
        if keep is not None:
            raw = [raw[i] for i in keep]
        return cards.COLUMN_CLEANERS[key](raw)

    out_columns: dict[str, Any] = {}
    tables: dict[str, list[Any]] = {}
    for key in cards.RECORD_KEYS:
        raw = partners[key].tolist() if key in columns_present else [None] * n
        if keep is not None:
            raw = [raw[i] for i in keep]
        if key == "contacts":
            out_columns[key], tables["role"] = _contacts_columns(raw)
            continue
        values = cards.COLUMN_CLEANERS[key](raw)
        if key in ("languages", "offers"):
            # the distinct combinations, as lists; rows hold indices (-1: none)
            table: dict[tuple[str, ...], int] = {}
            out_columns[key] = [table.setdefault(v, len(table)) if v else -1 for v in values]
            tables[key] = [list(v) for v in table]
        elif key in CODED_KEYS:
            out_columns[key], tables[key] = _factorize(
                [v if v is not None else "" for v in values] if key == "category" else values
            )
        else:
            out_columns[key] = values

    lat = (lat_all if all_valid else lat_all[valid]).tolist()
    lon = (lon_all if all_valid else lon_all[valid]).tolist()

    # categories: the known ones in their order, then unknown keys found in the data
    cat_codes, cat_table = out_columns["category"], tables["category"]
    counts_by_code = np.bincount(np.asarray(cat_codes, dtype=np.int64), minlength=len(cat_table))
    counts = {key: int(counts_by_code[i]) for i, key in enumerate(cat_table)}
    cat_keys = [key for key in categories if key in counts]
    cat_keys += [key for key in cat_table if key not in categories]
    cat_list = []
    for key in cat_keys:
        label, colour, icon = cards.category_view(key, categories.get(key), lang)
        cat_list.append({
            "key": key,
            "label": label,
            "colour": colour,
            "count": counts[key],
            "svg": icon_svg(icon, colour),
            "control": (
                f'<span class="pn-lc">{icon_svg(icon, colour, width=14)}'
                f"{escape(label)} ({counts[key]})</span>"
            ),
        })
    language_codes = {code for combo in tables["languages"] for code in combo}
    context = cards.card_context(
        {c["key"]: {"label": c["label"], "colour": c["colour"]} for c in cat_list},
        lang=lang, language_codes=language_codes,
    )
    return {
        "n": len(lat),
        "lat": lat,
        "lon": lon,
        "keys": list(cards.RECORD_KEYS),
        "columns": out_columns,
        "tables": tables,
        "categories": cat_list,
        "context": context,
    }


def _partner_legend(cat_list: list[dict[str, Any]], lang: str) -> str:
    texts = _texts(lang)
    items = "".join(
        f"<li>{icon_svg_for(c)}<span>{escape(c['label'])} ({c['count']})</span></li>"
        for c in cat_list
    )
    return (
        f'<details open><summary class="pn-legend__title">{escape(texts["legend"])}</summary>'
        f"<ul>{items}</ul>"
        f'<div class="pn-legend__note"><span class="pn-legend__cluster">3</span>'
        f'<span>{escape(texts["cluster"])}</span></div>'
        f'<div class="pn-legend__note"><span class="pn-legend__town"></span>'
        f'<span>{escape(texts["town"])}</span></div></details>'
    )


def icon_svg_for(category: Mapping[str, Any]) -> str:
    """Small legend symbol of a payload category entry."""
    return category["svg"].replace('width="28" height="36"', 'width="16" height="21"', 1)


# ---------------------------------------------------------------------------
# Public API


def build_partner_map(
    partners: Any,
    towns: Any,
    categories: Mapping[str, Any],
    *,
    lang: str = "de",
    basemap: str = "osm",
    focus_id: str | None = None,
    selected_town: str | None = None,
    attribution: str = DATA_ATTRIBUTION,
    height: str | int = "100%",
    asset_base: str = STATIC_URL,
) -> folium.Map:
    """The partner map: clustered category markers, town boundaries, legend.

    Parameters
    ----------
    partners
        Partners GeoDataFrame (architecture contract), already filtered.
    towns
        Towns GeoDataFrame of the region; the map is fitted to its bounds.
    categories
        ``Dataset.categories`` (key to ``CategoryInfo``) or
        ``vocabulary.DEFAULT_CATEGORIES``; gives labels, colours, icons and
        the order of legend and layer control.
    lang
        UI language, ``"de"`` (default) or ``"en"``.
    basemap
        ``"osm"``, ``"basemapde"`` or ``"none"`` (no background, no external
        request); see :data:`BASEMAPS`.
    focus_id
        Partner id to zoom to, with its popup open.
    selected_town
        AGS of a town to highlight and fit the map to.
    attribution
        Data attribution shown on the map (``Dataset.attribution``); escaped.
    height
        CSS height of the map (folium size: ``"100%"`` or pixels).
    asset_base
        URL prefix of ``static/vendor`` as the browser sees it.

    Returns
    -------
    folium.Map
        Render with ``st_folium(fmap, **st_folium_kwargs(...))`` or ``fmap.save(path)``.
    """
    towns = _to_wgs84(towns) if towns is not None else None
    partners = _to_wgs84(partners)
    fmap = _base_map(
        towns, basemap=basemap, attribution=attribution, asset_base=asset_base, height=height
    )
    texts = _texts(lang)
    town_layer = None
    if towns is not None and len(towns):
        town_layer = _TownLayer(towns_geojson(towns, selected=selected_town))
        fmap.add_child(town_layer)
    payload = partner_payload(partners, categories, lang=lang)
    options = {
        "focus": focus_id,
        "legend": _partner_legend(payload["categories"], lang),
        "townLabel": escape(texts["towns"]),
    }
    fmap.add_child(_PartnerLayer(payload, options, towns=town_layer, asset_base=asset_base))
    fit = towns
    if selected_town and towns is not None and "ags" in towns.columns:
        chosen = towns[towns["ags"] == selected_town]
        if len(chosen):
            fit = chosen
    fmap.fit_bounds(_bounds(fit), padding=(10, 10))
    return fmap


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
    if value is None or cards.is_missing(value):
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
        towns, basemap=basemap, attribution=attribution, asset_base=asset_base, height=height
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

    fmap.add_child(_TownLayer(towns_geojson(towns, extra=extra)))
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


def st_folium_kwargs(*, key: str, height: int = 620, town_clicks: bool = True) -> dict[str, Any]:
    """Arguments for ``streamlit_folium.st_folium`` so that zoom and pan never rerun.

    Only ``last_active_drawing`` is returned (the GeoJSON feature of a clicked
    town); map moves, zoom, bounds and plain clicks are not, so they do not
    rerun the script. Partner clicks never reach Python (see module docstring).

    Parameters
    ----------
    key
        Stable widget key, e.g. ``"partner_map"``.
    height
        Height of the map in pixels.
    town_clicks
        ``False``: return nothing at all (a display-only map).

    Returns
    -------
    dict
        ``key``, ``height``, ``use_container_width``, ``returned_objects``.
    """
    return {
        "key": key,
        "height": height,
        "use_container_width": True,
        "returned_objects": ["last_active_drawing"] if town_clicks else [],
    }


def clicked_town(value: Mapping[str, Any] | None) -> str | None:
    """AGS of the town a user clicked, from the value ``st_folium`` returns.

    Parameters
    ----------
    value
        What ``st_folium`` returned (or ``st.session_state[key]``).

    Returns
    -------
    str or None
        The AGS if the last clicked object is a town, else ``None``.
    """
    if not isinstance(value, Mapping):
        return None
    drawing = value.get("last_active_drawing")
    if not isinstance(drawing, Mapping):
        return None
    props = drawing.get("properties")
    if isinstance(props, Mapping) and props.get("kind") == "town" and props.get("ags"):
        return str(props["ags"])
    return None


def basemap_options(lang: str = "de") -> dict[str, str]:
    """Basemap key to label, for a radio button."""
    return {key: spec.label(lang) for key, spec in BASEMAPS.items()}


def known_icons() -> tuple[str, ...]:
    """Icon names that have a symbol (all of ``vocabulary.ICONS``)."""
    return tuple(icon for icon in vocabulary.ICONS if icon in ICON_PATHS)
