"""UI texts of the guide that are not in a template: labels of the registry's keys.

Each is a German ``msgid`` marked with ``N_`` so that ``scripts/build_guide_catalog.py``
finds it; the templates translate them with ``_`` at render time.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for the catalog; return it unchanged."""
    return message


TARGET_GROUPS: dict[str, str] = {
    "kinder": N_("Kinder"),
    "jugendliche": N_("Jugendliche"),
    "eltern": N_("Eltern"),
    "erwachsene": N_("Erwachsene"),
    "neuzugewanderte": N_("Neuzugewanderte"),
    "fachkraefte": N_("Fachkräfte"),
}
# The "for whom" filter of the start page.
FILTER_GROUPS: tuple[str, ...] = ("kinder", "jugendliche", "eltern", "erwachsene")

ACCESSIBLE: dict[str, str] = {
    "yes": N_("Barrierefrei zugänglich"),
    "no": N_("Nicht barrierefrei zugänglich"),
    "unknown": N_("Zur Barrierefreiheit liegen keine Angaben vor"),
}

CATEGORIES: dict[str, str] = {
    "schule": N_("Schulen und Bildungseinrichtungen"),
    "kita": N_("Kitas und Familienzentren"),
    "jugendhilfe": N_("Kinder- und Jugendhilfe"),
    "verwaltung": N_("Kommunale Ämter und Dienststellen"),
    "beratung": N_("Beratungsstellen"),
    "einrichtung": N_("Weitere regionale Einrichtungen"),
    "ehrenamt": N_("Ehrenamtliche Initiativen und Vereine"),
}

# Texts the browser script shows (passed to it as JSON by the start page).
SCRIPT_TEXTS: dict[str, str] = {
    "results": N_("Treffer: %(count)s"),
    "more": N_("Die ersten %(shown)s Treffer werden gezeigt. Bitte die Suche eingrenzen."),
    "none": N_("Keine Treffer. Bitte andere Wörter oder weniger Filter wählen."),
    "loading": N_("Suche wird geladen …"),
    "failed": N_("Die Suche konnte nicht geladen werden. Bitte die Orte unten nutzen."),
    "map_loading": N_("Karte wird geladen …"),
    "map_failed": N_("Die Karte konnte nicht geladen werden."),
    "details": N_("Mehr zu diesem Angebot"),
    "no_background": N_("ohne Hintergrundkarte"),
}

# The partner page (rendered in Python for speed: 8 pages per partner; see pages.PartnerPages).
PARTNER_TEXTS: dict[str, str] = {
    "here": N_("Sie sind hier"),
    "home": N_("Startseite"),
    "town": N_("Angebote in %(town)s"),
    "operator": N_("Träger"),
    "offers": N_("Angebote"),
    "groups": N_("Für wen?"),
    "languages": N_("Sprachen"),
    "address": N_("Adresse"),
    "hours": N_("Öffnungszeiten"),
    "accessibility": N_("Barrierefreiheit"),
    "reach": N_("So erreichen Sie die Stelle"),
    "phone": N_("Telefon"),
    "email": N_("E-Mail"),
    "website": N_("Internet"),
    "route": N_("Weg planen (OpenStreetMap, externe Seite)"),
    "contacts": N_("Ansprechpersonen"),
    "serves": N_("Zuständig für"),
    "serves_all": N_("den ganzen %(region)s"),
    "verified": N_("Zuletzt geprüft: %(date)s"),
    "german": N_("(auf Deutsch)"),
}

# The app's page "Wegweiser veröffentlichen" (app_pages/publish_guide.py), German and English.
APP_TEXTS: dict[str, str] = {
    "nav": N_("Wegweiser veröffentlichen"),
    "intro": N_("Der Wegweiser ist die öffentliche Website des Partnernetzes in acht Sprachen. "
                "Er enthält nur öffentliche Angaben aktiver Partner: keine internen Kontakte, "
                "keine Notizen."),
    "no_folder": N_("Kein Ordner eingestellt: bitte die Umgebungsvariable %(variable)s setzen."),
    "folder": N_("Ordner: %(folder)s"),
    "last": N_("Zuletzt veröffentlicht: %(time)s UTC, Registry-Stand %(version)s, "
               "%(partners)s Partner, %(pages)s Seiten."),
    "never": N_("In diesem Ordner wurde noch kein Wegweiser veröffentlicht."),
    "unchanged": N_("Die Registry ist seitdem unverändert."),
    "changed": N_("Die Registry wurde seitdem geändert."),
    "confirm": N_("Den Wegweiser in %(folder)s ersetzen (%(partners)s aktive Partner)"),
    "button": N_("Jetzt veröffentlichen"),
    "running": N_("Wird veröffentlicht …"),
    "done": N_("Veröffentlicht: %(pages)s Seiten mit %(partners)s Partnern."),
}
