"""Icons: the SVG pins of the partner map, one per category icon.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from partnernetz.registry import vocabulary
from partnernetz.views.cards import _COLOUR_RE, FALLBACK_COLOUR

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
    colour = colour if _COLOUR_RE.match(colour or "") else FALLBACK_COLOUR
    symbol = ICON_PATHS.get(icon, ICON_PATHS["info"])
    height = round(width * 9 / 7)
    return (
        f'<svg width="{width}" height="{height}" '
        f'viewBox="0 0 28 36" aria-hidden="true" focusable="false">'
        f'<path d="M14 35C14 35 2 21.6 2 13.5a12 12 0 0 1 24 0C26 21.6 14 35 14 35Z" '
        f'fill="{colour}" stroke="#1a1a1a" stroke-width="1.2"/>'
        f'<g fill="#fff" transform="translate(6 5.5) scale(.6667)">{symbol}</g></svg>'
    )


def icon_svg_for(category: Mapping[str, Any]) -> str:
    """Small legend symbol of a payload category entry."""
    return category["svg"].replace('width="28" height="36"', 'width="16" height="21"', 1)


def known_icons() -> tuple[str, ...]:
    """Icon names that have a symbol (all of ``vocabulary.ICONS``)."""
    return tuple(icon for icon in vocabulary.ICONS if icon in ICON_PATHS)
