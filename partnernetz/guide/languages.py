"""The guide's language variants and their gettext catalogs.

The UI texts of the guide are German ``msgid``s in the templates and in
:mod:`partnernetz.guide.messages`; every other variant has a catalog
``locale/<code>/LC_MESSAGES/guide.po`` (the template is ``locale/guide.pot``).
Catalogs are read with Babel at publish time; nothing is compiled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from partnernetz.errors import PartnernetzError

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "guide"
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[sd]")


@dataclass(frozen=True)
class GuideLanguage:
    """One language variant of the guide.

    ``code`` names its folder and catalog; ``tag`` is the page's ``lang``;
    ``translation`` the key of the registry's ``translations`` (None: German texts);
    ``locale`` the Babel locale for language names.
    """

    code: str
    tag: str
    name: str
    rtl: bool
    translation: str | None
    locale: str

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``."""
        return "rtl" if self.rtl else "ltr"


GUIDE_LANGUAGES: tuple[GuideLanguage, ...] = (
    GuideLanguage("de", "de", "Deutsch", False, None, "de"),
    GuideLanguage("ls", "de-x-ls", "Leichte Sprache", False, None, "de"),
    GuideLanguage("en", "en", "English", False, "en", "en"),
    GuideLanguage("ar", "ar", "العربية", True, "ar", "ar"),
    GuideLanguage("tr", "tr", "Türkçe", False, "tr", "tr"),
    GuideLanguage("uk", "uk", "Українська", False, "uk", "uk"),
    GuideLanguage("ru", "ru", "Русский", False, "ru", "ru"),
    GuideLanguage("fa", "fa", "فارسی", True, "fa", "fa"),
)
LANGUAGE_CODES: tuple[str, ...] = tuple(lang.code for lang in GUIDE_LANGUAGES)


class CatalogError(PartnernetzError):
    """A catalog of the guide is missing or cannot be read."""


def catalog_path(code: str) -> Path:
    """Where the catalog of language ``code`` lives."""
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def read_catalog(code: str) -> Catalog:
    """The Babel catalog of ``code`` (raises :class:`CatalogError`)."""
    path = catalog_path(code)
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=None, domain=DOMAIN)
    except OSError as exc:
        raise CatalogError(f"Übersetzungskatalog {path} fehlt oder ist nicht lesbar: "
                           f"{exc.strerror}") from None
    except Exception as exc:  # babel raises plain errors on broken files
        raise CatalogError(f"Übersetzungskatalog {path} ist fehlerhaft: {exc}") from None


@cache
def translations(code: str) -> dict[str, str]:
    """``msgid`` → ``msgstr`` of ``code``; German (the source) has none."""
    if code == "de":
        return {}
    catalog = read_catalog(code)
    return {message.id: message.string for message in catalog
            if message.id and isinstance(message.id, str) and message.string
            and not message.fuzzy}


def gettext_for(code: str):
    """A ``gettext`` function for ``code``: the translation, or the German source text."""
    table = translations(code)

    def gettext(message: str) -> str:
        return table.get(message) or message

    return gettext


def placeholders(text: str) -> set[str]:
    """The ``%(name)s`` placeholders of a message."""
    return set(PLACEHOLDER_RE.findall(text))


def app_text(message: str, lang: str, **values: object) -> str:
    """A guide message for the app's own pages (German, or English for ``lang="en"``)."""
    text = gettext_for("en" if lang == "en" else "de")(message)
    return text % values if values else text
