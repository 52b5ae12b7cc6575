"""UI texts: one dictionary per language, German first.

Pages call ``t(key, lang, **values)``. Every key must exist in both
languages (a test checks this). Vocabulary labels (categories, stages …)
live in :mod:`partnernetz.vocabulary`.
"""

from __future__ import annotations

LANGUAGES = {"de": "Deutsch", "en": "English"}
DEFAULT_LANGUAGE = "de"

DE: dict[str, str] = {
    # --- shell
    "app.title": "Partnernetz",
    "app.tagline": "Partner der Kommunalen Integrationszentren: wer bietet was, wo, in welcher Sprache",
    "app.language": "Sprache / Language",
    "nav.overview": "Übersicht",
    "nav.map": "Karte",
    "nav.directory": "Verzeichnis",
    "nav.coverage": "Abdeckung",
    "shell.region": "Region",
    "shell.registry": "Registry",
    "shell.partners_shown": "{shown} von {total} Partnern",
    "shell.attribution": "Daten",
    "shell.invalid_registry": "Die Registry-Datei {file} enthält Fehler. Bitte korrigieren:",
    "shell.unusable_registry": "Die Registry kann nicht geladen werden",
    "shell.warnings": "{n} Warnungen zur Registry – bitte prüfen",
    "shell.unexpected": "Unerwarteter Fehler: {error}",
    # --- filters
    "filter.header": "Filter",
    "filter.towns": "Orte",
    "filter.categories": "Kategorien",
    "filter.stages": "Bildungskette",
    "filter.target_groups": "Zielgruppen",
    "filter.languages": "Sprachen",
    "filter.statuses": "Status",
    "filter.query": "Suche",
    "filter.query_help": "Name, Träger, Angebote, Beschreibung; Groß-/Kleinschreibung und Umlaute egal",
    "filter.include_serving": "auch Angebote, die diese Orte mitversorgen",
    "filter.reset": "Filter zurücksetzen",
    "filter.all": "alle",
    # --- card
    "card.operator": "Träger",
    "card.address": "Adresse",
    "card.phone": "Telefon",
    "card.email": "E-Mail",
    "card.website": "Website",
    "card.languages": "Sprachen",
    "card.offers": "Angebote",
    "card.opening_hours": "Öffnungszeiten",
    "card.accessible": "Barrierefreiheit",
    "card.verified": "zuletzt geprüft",
    "card.contacts": "Ansprechpersonen",
    "card.never_verified": "nie",
    # --- directory
    "directory.title": "Verzeichnis",
    "directory.intro": "Alle Partner, die zu den Filtern passen. Zeile anklicken zeigt die Kontaktkarte.",
    "directory.empty": "Kein Partner passt zu den Filtern.",
    "directory.select_hint": "Zeile auswählen, um die Kontaktkarte zu sehen.",
    "directory.show_on_map": "Auf der Karte zeigen",
    "directory.download": "Herunterladen ({n} Partner)",
    "directory.csv": "CSV (Excel)",
    "directory.xlsx": "Excel (.xlsx)",
    "directory.vcf": "vCard (.vcf)",
    "directory.count": "{n} Partner",
    "directory.precision": "Genauigkeit",
    # --- map
    "map.title": "Karte",
    "map.basemap": "Hintergrund",
    "map.basemap.osm": "OpenStreetMap",
    "map.basemap.basemapde": "basemap.de",
    "map.basemap.none": "ohne Hintergrund",
    "map.count": "{n} Partner auf der Karte",
    "map.town_hint": "Einen Ort auf der Karte anklicken, um nach ihm zu filtern.",
    "map.town_filtered": "Gefiltert auf {town}.",
    "map.legend": "Legende",
    # --- pages that come later
    "overview.title": "Übersicht",
    "coverage.title": "Abdeckung",
    "placeholder.coming": "Diese Seite wird gerade aufgebaut.",
}

EN: dict[str, str] = {
    "app.title": "Partnernetz",
    "app.tagline": "Partners of the municipal integration centres: who offers what, where, in which language",
    "app.language": "Sprache / Language",
    "nav.overview": "Overview",
    "nav.map": "Map",
    "nav.directory": "Directory",
    "nav.coverage": "Coverage",
    "shell.region": "Region",
    "shell.registry": "Registry",
    "shell.partners_shown": "{shown} of {total} partners",
    "shell.attribution": "Data",
    "shell.invalid_registry": "The registry file {file} has errors. Please correct them:",
    "shell.unusable_registry": "The registry cannot be loaded",
    "shell.warnings": "{n} warnings about the registry – please check",
    "shell.unexpected": "Unexpected error: {error}",
    "filter.header": "Filters",
    "filter.towns": "Towns",
    "filter.categories": "Categories",
    "filter.stages": "Education chain",
    "filter.target_groups": "Target groups",
    "filter.languages": "Languages",
    "filter.statuses": "Status",
    "filter.query": "Search",
    "filter.query_help": "Name, operator, offers, description; case and umlauts are ignored",
    "filter.include_serving": "also services that cover these towns",
    "filter.reset": "Reset filters",
    "filter.all": "all",
    "card.operator": "Operator",
    "card.address": "Address",
    "card.phone": "Phone",
    "card.email": "E-mail",
    "card.website": "Website",
    "card.languages": "Languages",
    "card.offers": "Offers",
    "card.opening_hours": "Opening hours",
    "card.accessible": "Accessibility",
    "card.verified": "last verified",
    "card.contacts": "Contacts",
    "card.never_verified": "never",
    "directory.title": "Directory",
    "directory.intro": "All partners matching the filters. Click a row to see the contact card.",
    "directory.empty": "No partner matches the filters.",
    "directory.select_hint": "Select a row to see the contact card.",
    "directory.show_on_map": "Show on map",
    "directory.download": "Download ({n} partners)",
    "directory.csv": "CSV (Excel)",
    "directory.xlsx": "Excel (.xlsx)",
    "directory.vcf": "vCard (.vcf)",
    "directory.count": "{n} partners",
    "directory.precision": "Precision",
    "map.title": "Map",
    "map.basemap": "Background",
    "map.basemap.osm": "OpenStreetMap",
    "map.basemap.basemapde": "basemap.de",
    "map.basemap.none": "no background",
    "map.count": "{n} partners on the map",
    "map.town_hint": "Click a town on the map to filter by it.",
    "map.town_filtered": "Filtered to {town}.",
    "map.legend": "Legend",
    "overview.title": "Overview",
    "coverage.title": "Coverage",
    "placeholder.coming": "This page is being built.",
}

TEXTS: dict[str, dict[str, str]] = {"de": DE, "en": EN}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``{placeholders}`` filled in.

    Falls back to German, then to the key itself, so a missing text never
    breaks a page.
    """
    text = TEXTS.get(lang, DE).get(key) or DE.get(key) or key
    return text.format(**values) if values else text
