"""Map widget: the basemap choices, the arguments for ``st_folium`` and reading its answer.

Plain dicts only; this module does not import streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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


def basemap_options(lang: str = "de") -> dict[str, str]:
    """Basemap key to label, for a radio button."""
    return {key: spec.label(lang) for key, spec in BASEMAPS.items()}
