"""UI texts: gettext catalogs per language, German first.

The texts live in ``partnernetz/locale/<lang>/LC_MESSAGES/partnernetz.po``
(read with Babel): ``msgctxt`` is the key the code asks for, ``msgid`` the
German text, ``msgstr`` the translation. Translators use their usual tools
(Poedit, Weblate, Lokalize); ``docs/translations.md`` says how a catalog goes
to a translator and comes back. Pages call ``t(key, lang, **values)``; a test
checks that every catalog has every message with the same placeholders.

Keys with a prefix and a colon are tables (``DIRECTORY_COLUMNS:phone``) and the
report's words (``report:offers.one``). Vocabulary labels (categories, stages …)
live in :mod:`partnernetz.registry.vocabulary`; the public guide has catalogs of
its own (:mod:`partnernetz.guide.languages`).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES = {"de": "Deutsch", "en": "English"}
DEFAULT_LANGUAGE = "de"
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "partnernetz"

STATEMENT_REVIEWED = dt.date(2026, 12, 1)
"""Date of the last review of the accessibility statement (the axe and keyboard tests)."""

OMBUDSSTELLE_URL = "https://www.lbbp.nrw.de/ombudsstelle"
OMBUDSSTELLE_EMAIL = "ombudsstelle-barrierefreie-it@mags.nrw.de"


def catalog_path(lang: str) -> Path:
    """The ``.po`` file of ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def read_catalog(lang: str) -> dict[str, str]:
    """Key (``msgctxt``) → text of the catalog of ``lang``, in the catalog's order.

    An untranslated message (empty ``msgstr``) gives the German ``msgid``.
    """
    with catalog_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    return {message.context: message.string or message.id
            for message in catalog if message.id and message.context}


def catalog_section(prefix: str, lang: str) -> dict[str, str]:
    """The messages of one section (``report``, ``DIRECTORY_COLUMNS`` …) without the prefix."""
    head = f"{prefix}:"
    return {key[len(head):]: text for key, text in read_catalog(lang).items() if key.startswith(head)}


def _plain(lang: str) -> dict[str, str]:
    return {key: text for key, text in read_catalog(lang).items() if ":" not in key}


def _pairs(prefix: str) -> dict[str, tuple[str, str]]:
    """A table's (German, English) labels by key."""
    de, en = catalog_section(prefix, "de"), catalog_section(prefix, "en")
    return {key: (text, en.get(key, text)) for key, text in de.items()}


DE: dict[str, str] = _plain("de")
EN: dict[str, str] = _plain("en")
TEXTS: dict[str, dict[str, str]] = {"de": DE, "en": EN}

# Column headers and short labels of tables, exports and the report: key -> (German, English).
DIRECTORY_COLUMNS: dict[str, tuple[str, str]] = _pairs("DIRECTORY_COLUMNS")
"""Directory columns."""
EXPORT_HEADERS: dict[str, tuple[str, str]] = _pairs("EXPORT_HEADERS")
"""Headers of the exported long matrix (:func:`~partnernetz.analysis.matrix.coverage_table`)."""
ATTRIBUTE_HEADERS: dict[str, tuple[str, str]] = _pairs("ATTRIBUTE_HEADERS")
"""Header of each attribute key column in the exports."""
STAGE_SHORT: dict[str, tuple[str, str]] = _pairs("STAGE_SHORT")
"""Short names of the Bildungskette stages."""
CATEGORY_SHORT: dict[str, tuple[str, str]] = _pairs("CATEGORY_SHORT")
"""Short column headers of the default categories (coverage tables; the full label on hover)."""


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``{placeholders}`` filled in.

    Falls back to German, then to the key itself, so a missing text never
    breaks a page.
    """
    text = TEXTS.get(lang, DE).get(key) or DE.get(key) or key
    return text.format(**values) if values else text
