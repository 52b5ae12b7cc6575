"""Report texts: the PDF report's words in German and English and its number formats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from partnernetz.registry.vocabulary import DEFAULT_CATEGORIES

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "filters": "Filter",
        "map_caption_town": "Lage von {town} im Kreis",
        "filters_none": "keine – alle Partner des Verzeichnisses",
        "trend": "Entwicklung",
        "map_heading": "Karte: Abdeckung je Ort",
        "map_alt": ("Karte der Orte der Region {region}, jeder Ort eingefärbt nach seiner "
                    "Abdeckung (hell = wenig, dunkel = viel), mit den Partnern als Punkte. "
                    "Abdeckung je Ort: {values}."),
        "map_alt_town": ("Lagekarte: {town} hervorgehoben in der Region {region}, mit den "
                         "Partnern im Ort als Punkte."),
        "matrix_caption": "Erreichbare aktive Partner je Ort und Kategorie, mit Ampel",
        "overview_caption": ("Abdeckung, Ampeln, Lücken der Bildungskette, Sprachen, KIM und "
                             "Aktualität je Ort"),
        "sources": "Quellen",
        "yes": "ja", "no": "nein",
        "white_town_title": "Weiße Flecken in {town}",
        "white_none_town": "In {town} ist jede ausgewählte Kategorie erreichbar.",
        "under_none_town": "In {town} ist keine Kategorie unter Ziel.",
        "categories_title": "Kategorien",
        "categories_caption": "Kategorien in {town}: im Ort, erreichbar, Ziel, nächstes Angebot",
        "attributes_title": "Bildungskette, Zielgruppen, Sprachen",
        "attributes_caption": "Bildungskette und Zielgruppen in {town}",
        "attribute": "Merkmal",
        "title": "Abdeckung des Partnernetzes",
        "no_partners": "Noch keine Partner: die Registry von {region} enthält noch keine Einträge. "
                       "Abdeckung und weiße Flecken lassen sich erst nach dem ersten Import berechnen.",
        "as_of": "Stand der Daten",
        "made_on": "erstellt am",
        "partners": "Partner (aktiv)",
        "planned_inactive": "geplant: {planned} · inaktiv: {inactive}",
        "towns": "Orte",
        "white_towns": "Orte mit weißem Fleck",
        "white_cells": "weiße Flecken insgesamt: {n}",
        "languages": "Sprachen im Angebot",
        "verified": "in 12 Monaten geprüft",
        "verified_sub": "Anteil aller Einträge",
        "map_title": "Abdeckung je Ort (Anteil der Kategorien mit erreichtem Ziel)",
        "score_bar": "Abdeckung: 0 = überall weißer Fleck, 1 = alle Ziele erreicht",
        "matrix_title": "Ampel-Matrix: Orte × Kategorien",
        "matrix_legend": (
            "✓ grün = Ziel erreicht   ! gelb = erreichbar, aber unter Ziel   "
            "✗ rot = weißer Fleck (nichts erreichbar)"
        ),
        "matrix_legend2": (
            "Zahl = erreichbare aktive Partner (im Ort oder für den Ort zuständig), "
            "bei gelb: erreichbar/Ziel; „+n gepl.“ = geplante Partner, zählen nicht mit"
        ),
        "town": "Ort",
        "population": "Einw.",
        "population_long": "Einwohner",
        "score": "Abdeckung",
        "overview_title": "Übersicht je Ort",
        "lights": "✓ / ! / ✗",
        "stages_missing": "fehlende Stufen der Bildungskette",
        "languages_short": "Sprachen",
        "kim": "KIM",
        "fresh": "geprüft ≤ 12 Mon.",
        "white_title": "Weiße Flecken",
        "white_none": "Keine weißen Flecken: in jedem Ort ist jede Kategorie erreichbar.",
        "under_title": "Unter Ziel",
        "under_none": "Keine Kategorie unter Ziel.",
        "continued": "(Fortsetzung)",
        "page": "Seite {page} von {pages}",
        "made": "Erstellt mit Partnernetz",
        "internal": "Intern – nicht zur Weitergabe",
        "note": "Auswahl",
        "profile": "Steckbrief",
        "area": "Fläche",
        "located_all": "Partner im Ort (aktiv)",
        "reachable_all": "erreichbare Partner (aktiv)",
        "planned_all": "geplant",
        "category": "Kategorie",
        "light": "Ampel",
        "located": "im Ort",
        "reachable": "erreichbar",
        "target": "Ziel",
        "per_10k": "je 10.000",
        "nearest": "nächste (Ort, Entfernung)",
        "stages": "Bildungskette",
        "target_groups": "Zielgruppen",
        "covered": "abgedeckt",
        "missing": "fehlt",
        "none": "keine",
        "kim_present.one": "KIM Case Management: erreichbar ({n} Angebot)",
        "kim_present.other": "KIM Case Management: erreichbar ({n} Angebote)",
        "kim_missing": "KIM Case Management: fehlt",
        "kim_nearest": "; nächstes Angebot: {town}, {km}",
        "kim_planned": "; geplant: {n}",
        "white_town": "Weiße Flecken und Lücken",
        "unknown": "unbekannt",
        "green": "grün", "yellow": "gelb", "red": "rot",
        "planned_short": "gepl.",
        "partners_legend": "Partner (aktiv)",
        "planned_legend": "geplant",
        # plural: key.one for 1, key.other else
        "partners.one": "Partner (aktiv)", "partners.other": "Partner (aktiv)",
        "towns.one": "Ort", "towns.other": "Orte",
        "white_towns.one": "Ort mit weißem Fleck", "white_towns.other": "Orte mit weißem Fleck",
        "white_cells.one": "insgesamt {n} weißer Fleck",
        "white_cells.other": "insgesamt {n} weiße Flecken",
        "languages.one": "Sprache im Angebot", "languages.other": "Sprachen im Angebot",
        "located_all.one": "Partner im Ort (aktiv)", "located_all.other": "Partner im Ort (aktiv)",
        "reachable_all.one": "erreichbarer Partner (aktiv)",
        "reachable_all.other": "erreichbare Partner (aktiv)",
        "summary_title": "Auf einen Blick",
        "more_in_matrix.one": "… und {n} weiterer: die vollständige Liste folgt nach der Karte",
        "more_in_matrix.other": "… und {n} weitere: die vollständige Liste folgt nach der Karte",
        "white_all_title": "Alle weißen Flecken und Lücken",
        "changes_title": "Was sich seit {date} geändert hat",
        "changes_none": "Seit {date} hat sich an den Partnern nichts geändert.",
        "changes_unknown": "Keine frühere Fassung der Registry: Änderungen lassen sich noch "
                           "nicht zeigen.",
        "new.one": "{n} neuer Partner", "new.other": "{n} neue Partner",
        "retired.one": "{n} Partner nicht mehr aktiv", "retired.other": "{n} Partner nicht mehr aktiv",
        "changed.one": "{n} Eintrag geändert", "changed.other": "{n} Einträge geändert",
        "spots_opened.one": "{n} weißer Fleck neu", "spots_opened.other": "{n} weiße Flecken neu",
        "spots_closed.one": "{n} weißer Fleck geschlossen",
        "spots_closed.other": "{n} weiße Flecken geschlossen",
        "scale_fitted": ("Farbskala von {low} bis {high}: alle Orte liegen zwischen {min} und "
                         "{max}; heller = weniger, dunkler = mehr."),
        "map_keys": "Orte, deren Name auf der Karte keinen Platz hat:",
        "dots_legend": "Punkte: ein Partner (Farbe = Kategorie)",
        "planned_dot": "geplanter Partner (hohler Punkt)",
        "map_page_title": "Karte: Abdeckung je Ort",
    },
    "en": {
        "filters": "Filters",
        "map_caption_town": "{town} within the region",
        "filters_none": "none – every partner of the registry",
        "trend": "Trend",
        "map_heading": "Map: coverage per town",
        "map_alt": ("Map of the towns of {region}, each town coloured by its coverage "
                    "(light = low, dark = high), with the partners as dots. "
                    "Coverage per town: {values}."),
        "map_alt_town": ("Locator map: {town} highlighted within {region}, with the partners "
                         "in town as dots."),
        "matrix_caption": "Reachable active partners per town and category, with traffic light",
        "overview_caption": ("Coverage, lights, education-chain gaps, languages, KIM and "
                             "freshness per town"),
        "sources": "Sources",
        "yes": "yes", "no": "no",
        "white_town_title": "White spots in {town}",
        "white_none_town": "Every selected category is reachable in {town}.",
        "under_none_town": "No category is below target in {town}.",
        "categories_title": "Categories",
        "categories_caption": "Categories in {town}: in town, reachable, target, nearest offer",
        "attributes_title": "Education chain, target groups, languages",
        "attributes_caption": "Education chain and target groups in {town}",
        "attribute": "Feature",
        "title": "Coverage of the partner network",
        "no_partners": "No partners yet: the registry of {region} holds no entries. Coverage and "
                       "white spots can be computed after the first import.",
        "as_of": "Data as of",
        "made_on": "created on",
        "partners": "Partners (active)",
        "planned_inactive": "planned: {planned} · inactive: {inactive}",
        "towns": "Towns",
        "white_towns": "Towns with a white spot",
        "white_cells": "white spots in total: {n}",
        "languages": "Languages offered",
        "verified": "verified within 12 months",
        "verified_sub": "share of all entries",
        "map_title": "Coverage per town (share of categories meeting their target)",
        "score_bar": "Coverage: 0 = white spot everywhere, 1 = every target met",
        "matrix_title": "Traffic-light matrix: towns × categories",
        "matrix_legend": (
            "✓ green = target met   ! yellow = reachable, but below target   "
            "✗ red = white spot (nothing reachable)"
        ),
        "matrix_legend2": (
            "Number = reachable active partners (in town or serving it), "
            "yellow: reachable/target; “+n plan.” = planned partners, not counted"
        ),
        "town": "Town",
        "population": "Pop.",
        "population_long": "Population",
        "score": "Coverage",
        "overview_title": "Overview per town",
        "lights": "✓ / ! / ✗",
        "stages_missing": "missing education-chain stages",
        "languages_short": "Languages",
        "kim": "KIM",
        "fresh": "verified ≤ 12 mo.",
        "white_title": "White spots",
        "white_none": "No white spots: every category is reachable in every town.",
        "under_title": "Below target",
        "under_none": "No category below target.",
        "continued": "(continued)",
        "page": "Page {page} of {pages}",
        "made": "Made with Partnernetz",
        "internal": "Internal – not for distribution",
        "note": "Selection",
        "profile": "Town profile",
        "area": "Area",
        "located_all": "Partners in town (active)",
        "reachable_all": "Reachable partners (active)",
        "planned_all": "planned",
        "category": "Category",
        "light": "Light",
        "located": "in town",
        "reachable": "reachable",
        "target": "target",
        "per_10k": "per 10,000",
        "nearest": "nearest (town, distance)",
        "stages": "Education chain",
        "target_groups": "Target groups",
        "covered": "covered",
        "missing": "missing",
        "none": "none",
        "kim_present.one": "KIM case management: reachable ({n} offer)",
        "kim_present.other": "KIM case management: reachable ({n} offers)",
        "kim_missing": "KIM case management: missing",
        "kim_nearest": "; nearest offer: {town}, {km}",
        "kim_planned": "; planned: {n}",
        "white_town": "White spots and gaps",
        "unknown": "unknown",
        "green": "green", "yellow": "yellow", "red": "red",
        "planned_short": "plan.",
        "partners_legend": "Partners (active)",
        "planned_legend": "planned",
        "partners.one": "partner (active)", "partners.other": "partners (active)",
        "towns.one": "town", "towns.other": "towns",
        "white_towns.one": "town with a white spot", "white_towns.other": "towns with a white spot",
        "white_cells.one": "{n} white spot in total",
        "white_cells.other": "{n} white spots in total",
        "languages.one": "language offered", "languages.other": "languages offered",
        "located_all.one": "partner in town (active)",
        "located_all.other": "partners in town (active)",
        "reachable_all.one": "reachable partner (active)",
        "reachable_all.other": "reachable partners (active)",
        "summary_title": "At a glance",
        "more_in_matrix.one": "… and {n} more: the full list follows the map",
        "more_in_matrix.other": "… and {n} more: the full list follows the map",
        "white_all_title": "All white spots and gaps",
        "changes_title": "What changed since {date}",
        "changes_none": "No partner has changed since {date}.",
        "changes_unknown": "No earlier version of the registry: changes cannot be shown yet.",
        "new.one": "{n} new partner", "new.other": "{n} new partners",
        "retired.one": "{n} partner no longer active",
        "retired.other": "{n} partners no longer active",
        "changed.one": "{n} entry changed", "changed.other": "{n} entries changed",
        "spots_opened.one": "{n} new white spot", "spots_opened.other": "{n} new white spots",
        "spots_closed.one": "{n} white spot closed", "spots_closed.other": "{n} white spots closed",
        "scale_fitted": ("Colour scale from {low} to {high}: every town lies between {min} and "
                         "{max}; lighter = less, darker = more."),
        "map_keys": "Towns whose name has no room on the map:",
        "dots_legend": "Dots: one partner each (colour = category)",
        "planned_dot": "planned partner (hollow dot)",
        "map_page_title": "Map: coverage per town",
    },
}



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
