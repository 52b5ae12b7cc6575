"""Controlled vocabularies of the registry, with German and English labels.

The keys are what the registry file uses; the labels are what people read.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import NamedTuple


class Term(NamedTuple):
    """A vocabulary entry: German label first, English second."""

    de: str
    en: str


class CategoryStyle(NamedTuple):
    """How a default category looks: labels, colour and icon name."""

    de: str
    en: str
    colour: str
    icon: str


# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
DEFAULT_CATEGORIES: dict[str, CategoryStyle] = {
    "schule": CategoryStyle(
        "Schulen und Bildungseinrichtungen", "Schools and education providers", "#0072B2", "school"
    ),
    "kita": CategoryStyle("Kitas und Familienzentren", "Day-care and family centres", "#E69F00", "child"),
    "jugendhilfe": CategoryStyle(
        "Kinder- und Jugendhilfe", "Child and youth welfare", "#009E73", "youth"
    ),
    "verwaltung": CategoryStyle(
        "Kommunale Ämter und Dienststellen", "Municipal offices", "#555555", "townhall"
    ),
    "beratung": CategoryStyle("Beratungsstellen", "Counselling services", "#D55E00", "speech"),
    "einrichtung": CategoryStyle(
        "Weitere regionale Einrichtungen", "Other regional institutions", "#56B4E9", "building"
    ),
    "ehrenamt": CategoryStyle(
        "Ehrenamtliche Initiativen und Vereine", "Volunteer initiatives and associations",
        "#CC79A7", "heart",
    ),
}

# Icon names a category may use; the map draws each as an inline SVG symbol.
ICONS: tuple[str, ...] = (
    "school", "child", "youth", "townhall", "speech", "building", "heart",
    "book", "family", "health", "work", "sport", "star", "info",
)

STAGES: dict[str, Term] = {
    "fruehe_foerderung": Term("Frühe Förderung", "Early support"),
    "elementar": Term("Elementarbereich (Kita)", "Early education (Kita)"),
    "schule": Term("Schule", "School"),
    "ausserschulisch": Term("Außerschulische Jugendarbeit", "Out-of-school youth work"),
    "uebergang": Term("Übergang Ausbildung, Studium, Beruf", "Transition to training, study, work"),
    "erwachsene": Term("Erwachsenenbildung", "Adult education"),
}

TARGET_GROUPS: dict[str, Term] = {
    "kinder": Term("Kinder", "Children"),
    "jugendliche": Term("Jugendliche", "Young people"),
    "eltern": Term("Eltern", "Parents"),
    "erwachsene": Term("Erwachsene", "Adults"),
    "neuzugewanderte": Term("Neuzugewanderte", "Newcomers"),
    "fachkraefte": Term("Fachkräfte", "Professionals"),
}

STATUSES: dict[str, Term] = {
    "active": Term("aktiv", "active"),
    "inactive": Term("inaktiv", "inactive"),
    "planned": Term("geplant", "planned"),
}

ACCESSIBILITY: dict[str, Term] = {
    "yes": Term("barrierefrei", "accessible"),
    "no": Term("nicht barrierefrei", "not accessible"),
    "unknown": Term("Barrierefreiheit unbekannt", "accessibility unknown"),
}

PRECISIONS: dict[str, Term] = {
    "exact": Term("genaue Koordinaten", "exact coordinates"),
    "cache": Term("Adresse (geokodiert)", "address (geocoded)"),
    "postcode": Term("ungefähr (Mitte des Postleitzahlgebiets)", "approximate (postcode area centre)"),
    "town": Term("ungefähr (Ortsmitte)", "approximate (town centre)"),
}

KIM_OFFER = "KIM Case Management"

# Languages a partner's free texts may be translated into (``translations:``), besides German:
# the languages of the public guide (partnernetz.guide).
TRANSLATION_LANGUAGES: tuple[str, ...] = ("en", "ar", "tr", "uk", "ru", "fa")


@cache
def language_names(lang: str = "de") -> dict[str, str]:
    """Names of all ISO 639-1 languages in ``lang`` ("de" or "en"), keyed by code.

    Parameters
    ----------
    lang
        UI language of the names.

    Returns
    -------
    dict
        Two-letter code to name, e.g. ``{"ar": "Arabisch", ...}``.
    """
    from babel import Locale

    names = Locale(lang).languages
    return {code: name for code, name in names.items() if len(code) == 2 and code.isalpha()}


def language_name(code: str, lang: str = "de") -> str:
    """The name of one language code, or the code itself if it is unknown."""
    return language_names(lang).get(code, code)


def is_language_code(code: str) -> bool:
    """Whether ``code`` is a lower-case ISO 639-1 language code."""
    return code in language_names("en")


class CategoryInfo(NamedTuple):
    """A category as the app shows it: key, labels, colour and icon."""

    key: str
    label_de: str
    label_en: str
    colour: str
    icon: str

    def label(self, lang: str = "de") -> str:
        """The label in ``lang`` ("de" or "en")."""
        return self.label_en if lang == "en" else self.label_de


def default_categories() -> dict[str, CategoryInfo]:
    """The seven default categories, in display order."""
    return {
        key: CategoryInfo(key, style.de, style.en, style.colour, style.icon)
        for key, style in DEFAULT_CATEGORIES.items()
    }


def search_labels(categories: Mapping[str, CategoryInfo]) -> dict[str, dict[str, str]]:
    """What the search matches for a key, in both UI languages.

    Per partner column (``category``, ``stages``, ``target_groups``,
    ``languages``) key → "German English" text, so that "Arabisch" and "Arabic"
    both find ``ar``. For :func:`partnernetz.filters.build_search_text`.
    """
    de, en = language_names("de"), language_names("en")
    return {
        "category": {k: f"{c.label_de} {c.label_en}" for k, c in categories.items()},
        "stages": {k: f"{t.de} {t.en}" for k, t in STAGES.items()},
        "target_groups": {k: f"{t.de} {t.en}" for k, t in TARGET_GROUPS.items()},
        "languages": {code: f"{name} {en.get(code, '')}" for code, name in de.items()},
    }
