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
  codes instead of names), and ``partnernetz/views/assets/partner_map.js`` builds the
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

from collections.abc import Mapping
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from partnernetz.views.cards import CARD_CSS
from partnernetz.views.icons import icon_svg_for
from partnernetz.views.map_payload import _to_wgs84, partner_payload, script_json, towns_geojson
from partnernetz.views.map_widget import BASEMAPS

ASSET_DIR = Path(__file__).parent / "assets"

STATIC_URL = "/app/static/vendor"
"""Where Streamlit serves ``static/vendor`` (``server.enableStaticServing``)."""

DATA_ATTRIBUTION = "© GeoBasis-DE / BKG (2016), dl-de/by-2-0, Daten verändert"

MAX_ZOOM = 18





TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "legend": "Legende",
        "towns": "Gemeindegrenzen",
        "town": "Gemeindegrenze",
        "cluster": "mehrere Partner (anklicken zum Vergrößern)",
        "no_data": "keine Daten",
        "partners": "Partner",
        "frame": "Karte der Partner",
        "frame_choropleth": "Karte: {title}",
        "town_aria": "{name}, {n} Partner",
        "cluster_aria": "{n} Partner – vergrößern",
    },
    "en": {
        "legend": "Legend",
        "towns": "Municipal boundaries",
        "town": "Municipal boundary",
        "cluster": "several partners (click to zoom in)",
        "no_data": "no data",
        "partners": "partners",
        "frame": "Map of the partners",
        "frame_choropleth": "Map: {title}",
        "town_aria": "{name}, {n} partners",
        "cluster_aria": "{n} partners – zoom in",
    },
}


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
    return (ASSET_DIR / "partner_map.css").read_text(encoding="utf-8") + CARD_CSS


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

    def __init__(self, *, basemap: str, attribution: str, title: str | None = None) -> None:
        super().__init__()
        self._name = "PartnernetzLibrary"
        self.css = _library_css()
        self.js = _library_js()
        self.options = script_json(
            {"basemap": basemap, "attribution": escape(attribution), "title": title}
        )


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

    def __init__(self, geojson: dict[str, Any], *, labels: bool = True, keyboard: bool = True) -> None:
        super().__init__()
        self._name = "TownLayer"
        self.data = script_json(geojson)
        self.options = script_json({"labels": labels, "keyboard": keyboard})


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


def _texts(lang: str) -> dict[str, str]:
    return TEXTS.get(lang, TEXTS["de"])


def _base_map(
    towns: Any, *, basemap: str, attribution: str, asset_base: str, height: str | int,
    frame_title: str | None = None,
) -> SelfHostedMap:
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; choose one of {', '.join(BASEMAPS)}")
    spec = BASEMAPS[basemap]
    bounds = _bounds(towns)
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    fmap = SelfHostedMap(
        location=centre, zoom_start=10, tiles=None, asset_base=asset_base, height=height,
        control_scale=True, maxZoom=MAX_ZOOM, minZoom=6,
        zoomSnap=0.25,  # the first view fills the map; the zoom buttons still step by 1
    )
    if spec.url:
        folium.TileLayer(
            tiles=spec.url, attr=spec.attribution, name=spec.label_de, max_zoom=MAX_ZOOM,
            control=False,
        ).add_to(fmap)
    fmap.add_child(_Library(basemap=basemap, attribution=attribution, title=frame_title))
    return fmap


def _bounds(towns: Any) -> list[list[float]]:
    if towns is None or len(towns) == 0:
        # North Rhine-Westphalia
        return [[50.32, 5.86], [52.53, 9.46]]
    minx, miny, maxx, maxy = (float(v) for v in towns.total_bounds)
    return [[miny, minx], [maxy, maxx]]


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
    texts = _texts(lang)
    fmap = _base_map(
        towns, basemap=basemap, attribution=attribution, asset_base=asset_base, height=height,
        frame_title=texts["frame"],
    )
    town_layer = None
    if towns is not None and len(towns):
        # each town polygon is a keyboard control named "Brakel, 23 Partner"
        located = partners["ags"].value_counts().to_dict() if len(partners) else {}

        def town_name(row: Mapping[str, Any]) -> dict[str, Any]:
            n = int(located.get(str(row.get("ags")), 0))
            return {"aria": texts["town_aria"].format(name=row.get("name"), n=n)}

        town_layer = _TownLayer(towns_geojson(towns, selected=selected_town, extra=town_name))
        fmap.add_child(town_layer)
    fit = towns
    if selected_town and towns is not None and "ags" in towns.columns:
        chosen = towns[towns["ags"] == selected_town]
        if len(chosen):
            fit = chosen
    bounds = _bounds(fit)
    payload = partner_payload(partners, categories, lang=lang)
    options = {
        "fit": bounds,  # fitted again in the browser, clear of the legend and the controls
        "focus": focus_id,
        "legend": _partner_legend(payload["categories"], lang),
        "townLabel": escape(texts["towns"]),
        "texts": {"cluster": texts["cluster_aria"]},
    }
    fmap.add_child(_PartnerLayer(payload, options, towns=town_layer, asset_base=asset_base))
    fmap.fit_bounds(bounds, padding=(10, 10))
    return fmap


