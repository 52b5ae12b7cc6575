"""Report texts: the PDF report's words in German and English and its number formats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from partnernetz.i18n import catalog_section
from partnernetz.registry.vocabulary import DEFAULT_CATEGORIES

# The report's words: the ``report:`` section of the app's catalogs (partnernetz/locale).
TEXTS: dict[str, dict[str, str]] = {lang: catalog_section("report", lang) for lang in ("de", "en")}


def _t(key: str, lang: str, **values: Any) -> str:
    text = TEXTS["en" if lang == "en" else "de"][key]
    return text.format(**values) if values else text


def _tn(key: str, n: int, lang: str, **values: Any) -> str:
    """The text of ``key`` for the number ``n``: ``key.one`` for 1, ``key.other`` else
    ("1 Angebot", "2 Angebote"); ``{n}`` is filled in."""
    return _t(f"{key}.{'one' if n == 1 else 'other'}", lang, n=n, **values)


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
