"""UI texts: one dictionary per language, German first.

Pages call ``t(key, lang, **values)``. Every key must exist in both
languages (a test checks this). Vocabulary labels (categories, stages …)
live in :mod:`partnernetz.registry.vocabulary`.
"""

from __future__ import annotations

import datetime as dt

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
    "shell.outdated": "Die Daten unten sind veraltet: sie zeigen den letzten gültigen Stand der "
                      "Registry, bis die Fehler oben behoben sind.",
    "shell.unexpected_page": "Diese Seite konnte wegen eines unerwarteten Fehlers nicht angezeigt "
                             "werden. Bitte neu laden; wenn es bleibt, der Redaktion Bescheid geben.",
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
    "filter.query_help": (
        "Wörter, die alle zutreffen müssen: Name, Träger, Angebote, Beschreibung, Ort, Ortsteil, "
        "Straße, Kategorie, Sprache, Zielgruppe; Groß-/Kleinschreibung und Umlaute egal"
    ),
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
    "directory.empty": (
        "Kein Partner passt zu den Filtern. Tipp: einen Filter lockern oder die Schreibweise der "
        "Suche prüfen; die Suche findet Partner, auf die jedes Wort zutrifft."
    ),
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
    "map.focus_filtered": "Der gewählte Partner ist durch die Filter ausgeblendet.",
    # --- pages that come later
    "overview.title": "Übersicht",
    "coverage.title": "Abdeckung",
    # --- overview and coverage pages
    "overview.intro": (
        "Stand {date}. Zahlen folgen den Filtern der Seitenleiste; es zählen nur aktive Partner."
    ),
    "overview.partners": "Partner (aktiv)",
    "overview.partners_help": (
        "Aktive Partner in der Auswahl. Geplante und inaktive Partner zählen nicht mit."
    ),
    "overview.towns": "Orte",
    "overview.towns_help": "Städte und Gemeinden der Region (bzw. der gewählten Orte).",
    "overview.white_towns": "Orte mit weißem Fleck",
    "overview.white_towns_help": "Orte, in denen mindestens eine Kategorie gar nicht erreichbar ist.",
    "overview.languages": "Sprachen im Angebot",
    "overview.languages_help": "Verschiedene Sprachen, in denen aktive Partner beraten oder unterrichten.",
    "overview.verified": "in 12 Monaten geprüft",
    "overview.verified_help": (
        "Anteil aller Einträge, deren Angaben in den letzten 12 Monaten geprüft wurden."
    ),
    "overview.planned": "geplant",
    "overview.planned_help": "Geplante Angebote: noch nicht aktiv, zählen bei der Abdeckung nicht mit.",
    "overview.figures_note": (
        "Weiße Flecken insgesamt (Ort × Kategorie): {spots} · inaktive Einträge: {inactive}"
    ),
    "overview.map": "Abdeckung je Ort",
    "overview.map_hint": (
        "Abdeckung = Anteil der Kategorien mit erreichtem Ziel (gelb zählt halb). Zeiger auf einen Ort "
        "zeigt den Wert."
    ),
    "overview.white_spots": "Weiße Flecken ({n})",
    "overview.more": "{n} weitere",
    "overview.white_spots_hint": (
        "Weißer Fleck: kein aktiver Partner der Kategorie im Ort oder für ihn zuständig. Entfernung: "
        "Luftlinie ab Ortsmitte."
    ),
    "overview.compare": "Orte im Vergleich",
    "overview.lights": "Ampel ✓ / ! / ✗",
    "overview.gaps": "weiße Flecken",
    "overview.kim": "KIM",
    "overview.score_help": "Anteil der Kategorien mit erreichtem Ziel (gelb zählt halb)",
    "overview.compare_hint": (
        "Schwächste Abdeckung zuerst. ✓ Ziel erreicht · ! unter Ziel · ✗ weißer Fleck. KIM: KIM Case "
        "Management erreichbar."
    ),
    "overview.report": "Bericht zum Ausdrucken",
    "overview.report_hint": (
        "PDF, wird beim Klick erzeugt. Der Bericht folgt den Filtern (ohne Ortsfilter) und nennt sie "
        "unter dem Titel."
    ),
    "overview.report_kreis": "Bericht der Region (PDF)",
    "overview.report_town": "Steckbrief für",
    "overview.report_profile": "Steckbrief {town} (PDF)",
    "coverage.intro": (
        "Welche Orte erreichen welche Angebote? Es zählen nur aktive Partner, die im Ort liegen oder für "
        "ihn zuständig sind; geplante und inaktive stehen getrennt. Verglichen werden alle Orte der "
        "Region mit den Filtern der Seitenleiste (außer dem Ortsfilter)."
    ),
    "coverage.towns_selected": (
        "Ortsfilter: {n} von {total} Orten gezeigt. Berechnet wird für die ganze Region."
    ),
    "coverage.no_active": "Kein aktiver Partner passt zu den Filtern: jede Zelle ist ein weißer Fleck.",
    "coverage.measure": "Kennzahl",
    "coverage.measure.reachable": "erreichbar",
    "coverage.measure.located": "im Ort",
    "coverage.measure.per_10k": "je 10.000 Einw.",
    "coverage.measure_help": (
        "erreichbar: im Ort oder für den Ort zuständig · im Ort: Standort im Ort · je 10.000 Einw.: "
        "erreichbar je 10.000 Einwohner"
    ),
    "coverage.matrix": "Ampel: Orte × Kategorien",
    "coverage.legend": (
        "**Legende:** ✓ grün = Ziel erreicht · ! gelb = erreichbar, aber unter Ziel · ✗ rot = weißer "
        "Fleck (nichts erreichbar)"
    ),
    "coverage.legend.reachable": "Zahl = erreichbare aktive Partner (bei gelb: erreichbar/Ziel).",
    "coverage.legend.located": (
        "Zahl = aktive Partner mit Standort im Ort; die Ampel bewertet weiter die erreichbaren."
    ),
    "coverage.legend.per_10k": (
        "Zahl = erreichbare aktive Partner je 10.000 Einwohner (– = Einwohnerzahl unbekannt)."
    ),
    "coverage.legend_planned": "„+n gepl.“ = geplante Partner, zählen nicht mit.",
    "coverage.planned_short": "gepl.",
    "coverage.apart": "Getrennt gezählt: geplant: {planned} · inaktiv: {inactive}",
    "coverage.apart_table": "Geplante und inaktive Partner je Ort und Kategorie ({n})",
    "coverage.white_spots": "Weiße Flecken ({n})",
    "coverage.no_white_spots": "Keine weißen Flecken: in jedem Ort ist jede Kategorie erreichbar.",
    "coverage.town": "Ort",
    "coverage.category": "Kategorie",
    "coverage.planned": "geplant",
    "coverage.inactive": "inaktiv",
    "coverage.map": "Karte",
    "coverage.map_category": "Kategorie für Karte und Vergleich",
    "coverage.score": "Abdeckung gesamt",
    "coverage.unit.score": "Abdeckung",
    "coverage.unit.reachable": "erreichbare Partner",
    "coverage.unit.located": "Partner im Ort",
    "coverage.unit.per_10k": "je 10.000 Einw.",
    "coverage.map_hint": "Zeiger auf einen Ort zeigt Namen und Wert. Dunkler = mehr; grau = keine Daten.",
    "coverage.compare": "Vergleich der Orte: {what}",
    "coverage.attributes": "Bildungskette, Sprachen, Zielgruppen",
    "coverage.attributes_hint": "✓ n = n erreichbare aktive Partner decken es ab · ✗ 0 = fehlt im Ort",
    "coverage.stages": "Bildungskette",
    "coverage.languages": "Sprachen",
    "coverage.target_groups": "Zielgruppen",
    "coverage.none_offered": "Kein aktiver Partner in der Auswahl nennt hier etwas.",
    "coverage.missing_cells": "Fehlend: {n} von {total} Feldern.",
    "coverage.kim": "KIM Case Management je Ort",
    "coverage.kim_column": "KIM Case Management",
    "coverage.present": "vorhanden",
    "coverage.missing": "fehlt",
    "coverage.nearest_offer": "nächstes Angebot",
    "coverage.kim_summary": "KIM Case Management erreichbar in {present} von {total} Orten.",
    "coverage.nearest": "Nächstes Angebot je Kategorie",
    "coverage.nearest_hint": (
        "Nächster aktiver Partner der Kategorie: Ort und Luftlinie ab Ortsmitte (keine Fahrstrecke). "
        "Farbe und Symbol wie in der Ampel."
    ),
    "coverage.nearest_in": "nächste in",
    "coverage.download_all": "Alles herunterladen",
    "coverage.xlsx_all": "Alle Tabellen (Excel, .xlsx)",
    "coverage.csv": "CSV (Excel)",
    "coverage.xlsx": "Excel (.xlsx)",
    "coverage.sheet.matrix": "Ampel",
    "coverage.sheet.stages": "Bildungskette",
    "coverage.sheet.languages": "Sprachen",
    "coverage.sheet.target_groups": "Zielgruppen",
    "coverage.sheet.kim": "KIM",
    "coverage.sheet.nearest": "Entfernungen",
    "coverage.export.partners": "erreichbare Partner",
    "coverage.export.covered": "abgedeckt",
    "coverage.yes": "ja",
    "coverage.no": "nein",
    "placeholder.coming": "Diese Seite wird gerade aufgebaut.",
    # --- editing, history, check list (issue 12)
    "nav.edit": "Bearbeiten",
    "nav.history": "Historie",
    "nav.checklist": "Prüfliste",
    "edit.title": "Partner bearbeiten",
    "edit.no_rights": (
        "Bearbeiten ist nur mit der Rolle Redaktion möglich, oder für den eigenen Eintrag (owners)."
    ),
    "edit.not_allowed": "Keine Berechtigung für diese Änderung – nichts wurde gespeichert.",
    "edit.partner": "Partner",
    "edit.new": "Neuen Partner anlegen …",
    "edit.intro_existing": (
        "Änderungen werden erst mit „Speichern“ geschrieben; die Historie hält fest, wer was "
        "geändert hat (id: {id})."
    ),
    "edit.intro_new": "Neuer Eintrag: Pflichtfelder sind id, Name, Kategorie und Ort.",
    "edit.verified_today": "Geprüft heute",
    "edit.verified_comment": "geprüft",
    "edit.show_on_map": "Auf der Karte zeigen",
    "edit.retire": "Stilllegen",
    "edit.retire_status": "Neuer Status",
    "edit.retire_confirm": "Status setzen",
    "edit.delete": "Löschen",
    "edit.delete_reason": "Begründung (bleibt in der Historie)",
    "edit.delete_confirm": "Endgültig löschen",
    "edit.location_map": "Standort auf der Karte setzen",
    "edit.location_marker": "Standort",
    "edit.location_hint": "In die Karte klicken setzt die Koordinaten; oder Breite/Länge unten eintragen.",
    "edit.field.id": "id (Kennung)",
    "edit.field.id_help": (
        "Kleinbuchstaben, Ziffern und Bindestriche, z. B. kita-sonnenschein-brakel; später nicht "
        "änderbar."
    ),
    "edit.field.name": "Name der Einrichtung",
    "edit.field.category": "Kategorie",
    "edit.field.subtype": "Art (z. B. Grundschule)",
    "edit.field.operator": "Träger",
    "edit.field.description": "Kurzbeschreibung",
    "edit.field.town": "Ort",
    "edit.field.street": "Straße und Hausnummer",
    "edit.field.postcode": "PLZ",
    "edit.field.district": "Ortsteil",
    "edit.field.lat": "Breite (lat, WGS84)",
    "edit.field.lon": "Länge (lon, WGS84)",
    "edit.field.serves_all": "versorgt den ganzen Kreis",
    "edit.field.serves": "Versorgte Orte",
    "edit.field.serves_help": "Leer: nur der eigene Ort.",
    "edit.field.stages": "Bildungskette",
    "edit.field.target_groups": "Zielgruppen",
    "edit.field.languages": "Sprachen",
    "edit.field.offers": "Angebote",
    "edit.field.lines_help": "Ein Eintrag je Zeile.",
    "edit.field.phone": "Telefon",
    "edit.field.email": "E-Mail",
    "edit.field.website": "Website",
    "edit.field.opening_hours": "Öffnungszeiten",
    "edit.field.contacts": "Ansprechpersonen (intern, außer als öffentlich markiert)",
    "edit.field.accessible": "Barrierefrei",
    "edit.field.status": "Status",
    "edit.field.verified": "Zuletzt geprüft am",
    "edit.field.notes": "Interne Notizen (nur Redaktion)",
    "edit.field.owners": "Selbstpflege: E-Mail-Adressen (owners)",
    "edit.field.owners_help": (
        "Diese Personen dürfen nach der Anmeldung genau diesen Eintrag bearbeiten. Eine Adresse je "
        "Zeile."
    ),
    "edit.contact.name": "Name",
    "edit.contact.role": "Funktion",
    "edit.contact.phone": "Telefon",
    "edit.contact.email": "E-Mail",
    "edit.contact.visibility": "Sichtbarkeit",
    "edit.accessible.unknown": "unbekannt",
    "edit.accessible.yes": "ja",
    "edit.accessible.no": "nein",
    "edit.comment": "Kommentar zur Änderung (optional, für die Historie)",
    "edit.save": "Speichern",
    "edit.saved": "Gespeichert: {summary} (Revision {revision}).",
    "edit.unchanged": "Nichts gespeichert: {summary}.",
    "edit.invalid": "Nicht gespeichert – die Registry-Prüfung meldet Fehler:",
    "edit.coordinates_invalid": "Breite und Länge bitte beide als Zahl angeben, z. B. 51.7170 und 9.1850.",
    "edit.unknown_partner": "Partner '{id}' gibt es nicht (mehr).",
    "edit.conflict": (
        "Dieser Eintrag wurde inzwischen von jemand anderem geändert. Ihre Änderung wurde nicht "
        "gespeichert."
    ),
    "edit.conflict_theirs": "Jetzt in der Registry",
    "edit.conflict_yours": "Ihre Fassung (nicht gespeichert)",
    "edit.conflict_reload": "Neu laden und erneut bearbeiten",
    "edit.serves_note": (
        "„Versorgte Orte“ leer lassen heißt: nur der eigene Ort. „Ganzer Kreis“ schreibt serves: "
        "{all}."
    ),
    "history.title": "Historie der Änderungen",
    "history.empty": "Noch keine Änderungen gespeichert.",
    "history.partner": "Partner",
    "history.all": "alle",
    "history.person": "Person (E-Mail oder Name)",
    "history.period": "Zeitraum",
    "history.count": "{n} von {total} Änderungen",
    "history.revision": "Revision {revision} · {kind}",
    "history.kind.change": "Änderung",
    "history.kind.restore": "Wiederherstellung",
    "history.kind.external": "Änderung außerhalb der App (von Hand)",
    "history.kind.initial": "Ausgangsstand",
    "history.op.add": "Neu angelegt",
    "history.op.update": "Geändert",
    "history.op.retire": "Stillgelegt",
    "history.op.remove": "Gelöscht",
    "history.op.restore": "Wiederhergestellt",
    "history.comment": "Kommentar",
    "history.reason": "Begründung",
    "history.field": "Feld",
    "history.old": "vorher",
    "history.new": "nachher",
    "history.restore_partner": "Änderung an {id} rückgängig machen (Stand davor)",
    "history.restore_all": "Ganze Registry auf diesen Stand ({revision}) zurücksetzen",
    "history.when": "Wann",
    "history.who": "Wer",
    "history.what": "Was",
    "history.now": "jetzt",
    "history.after": "nach dem Zurücksetzen",
    "history.preview.title_all": "Vorschau: ganze Registry auf den Stand {revision} vom {when} zurücksetzen",
    "history.preview.title_partner": "Vorschau: {id} auf den Stand {revision} vom {when} zurücksetzen",
    "history.preview.others_kept": "Nur dieser Partner wird zurückgesetzt; spätere Änderungen an "
                                   "anderen Partnern bleiben.",
    "history.preview.discards": "Diese {n} späteren Änderungen werden verworfen:",
    "history.preview.nothing": "Seit diesem Stand gibt es keine Änderungen, die verworfen würden.",
    "history.preview.fields": "So ändern sich die Felder:",
    "history.preview.undoable": "Das Zurücksetzen wird selbst in der Historie vermerkt und lässt "
                                "sich dort wieder rückgängig machen.",
    "history.preview.confirm": "Ich habe die Liste geprüft: diese Änderungen sollen verworfen werden",
    "history.preview.do": "Jetzt zurücksetzen",
    "history.preview.changed": "Seit der Vorschau kam eine weitere Änderung hinzu; nichts wurde "
                               "zurückgesetzt. Bitte die Liste erneut prüfen und bestätigen.",
    "history.preview.cancel": "Abbrechen",
    "history.more": "{n} ältere Änderungen – bitte filtern",
    "checklist.title": "Prüfliste",
    "checklist.months": "Prüfintervall in Monaten",
    "checklist.months_help": (
        "Aktive Partner, die länger nicht geprüft wurden, erscheinen hier – die ältesten zuerst."
    ),
    "checklist.intro": "{n} aktive Partner seit mehr als {months} Monaten nicht geprüft (oder noch nie).",
    "checklist.none": "Alle aktiven Einträge sind aktuell geprüft.",
    "checklist.page": "Seite (von {pages})",
    "checklist.never": "Noch nie geprüft",
    "checklist.since": "Zuletzt geprüft am {date} (vor {days} Tagen)",
    "checklist.edit": "Bearbeiten",
    "checklist.mail": "E-Mail „Noch aktuell?“ vorbereiten",
    "checklist.no_mail": "keine öffentliche E-Mail-Adresse",
    # --- re-check loop (partnernetz.recheck): fields, e-mail, answer page, Prüfliste
    "recheck.field.name": "Name",
    "recheck.field.operator": "Träger",
    "recheck.field.description": "Beschreibung",
    "recheck.field.address": "Adresse",
    "recheck.field.street": "Straße und Hausnummer",
    "recheck.field.postcode": "Postleitzahl",
    "recheck.field.district": "Ortsteil",
    "recheck.field.phone": "Telefon",
    "recheck.field.email": "E-Mail",
    "recheck.field.website": "Website",
    "recheck.field.opening_hours": "Öffnungszeiten",
    "recheck.field.offers": "Angebote",
    "recheck.field.accessible": "Barrierefrei",
    "recheck.field.contacts": "Ansprechpersonen",
    "recheck.field.role": "Funktion",
    "recheck.accessible.yes": "ja",
    "recheck.accessible.no": "nein",
    "recheck.accessible.unknown": "unbekannt",
    "recheck.mail.subject": "Ist Ihr Eintrag im Partnernetz noch aktuell? ({name})",
    "recheck.mail.reminder_prefix": "Erinnerung:",
    "recheck.mail.greeting": "Guten Tag,",
    "recheck.mail.intro": "im Partnernetz des Kommunalen Integrationszentrums ({region}) ist Ihre "
                          "Einrichtung mit den folgenden Angaben eingetragen:",
    "recheck.mail.ask": "Ist der Eintrag noch aktuell? Bitte öffnen Sie Ihren persönlichen Link und "
                        "klicken Sie „Alles noch aktuell“ – oder „Etwas hat sich geändert“, um die "
                        "Angaben zu korrigieren:",
    "recheck.mail.valid": "Der Link gilt bis zum {date} und nur für Ihren Eintrag.",
    "recheck.mail.no_account": "Sie brauchen dafür kein Konto und kein Passwort.",
    "recheck.mail.thanks": "Vielen Dank und freundliche Grüße",
    "confirm.title": "Ist Ihr Eintrag noch aktuell?",
    "confirm.intro": "So steht Ihre Einrichtung im Partnernetz ({region}):",
    "confirm.yes": "Alles noch aktuell",
    "confirm.changed": "Etwas hat sich geändert",
    "confirm.thanks_yes": "Vielen Dank! Ihr Eintrag ist als geprüft vermerkt.",
    "confirm.form_intro": "Bitte korrigieren Sie, was nicht mehr stimmt. Die Redaktion prüft Ihre "
                          "Änderungen, bevor sie im Verzeichnis erscheinen.",
    "confirm.offers_help": "Ein Angebot je Zeile",
    "confirm.contacts_help": "Ansprechpersonen, die im Verzeichnis öffentlich genannt werden",
    "confirm.contact_field": "Ansprechperson {n}: {field}",
    "confirm.sender": "Ihr Name (für Rückfragen, freiwillig)",
    "confirm.send": "Änderungen senden",
    "confirm.no_change": "Sie haben nichts geändert. Wenn alles stimmt, klicken Sie bitte „Alles noch "
                         "aktuell“.",
    "confirm.thanks_changed": "Vielen Dank! Ihre Änderungen ({n}) sind bei der Redaktion eingegangen und "
                              "erscheinen nach der Prüfung im Verzeichnis.",
    "confirm.invalid": "Bitte korrigieren:",
    "confirm.unavailable": "Bestätigungslinks sind auf diesem Server nicht eingerichtet. Bitte wenden Sie "
                           "sich an das Kommunale Integrationszentrum.",
    "confirm.failed": "Ihre Antwort konnte gerade nicht gespeichert werden. Bitte versuchen Sie es später "
                      "noch einmal.",
    "handout.title": "Weitergeben",
    "handout.vcard": "vCard dieses Partners",
    "handout.print_pdf": "Druckansicht (PDF)",
    "handout.print_html": "Druckansicht (HTML)",
    "handout.qr_png": "QR-Code (PNG)",
    "handout.link": "Link zu dieser Karte",
    "handout.qr_alt": "QR-Code: Link zur Karte von {name}",
    "handout.public": "Öffentliche Angaben aus dem Partnernetz.",
    "handout.internal": "Intern – nicht zur Weitergabe.",
    "handout.linked": "Karte aus dem Link",
    "handout.unknown": "Den Partner aus dem Link ({id}) gibt es im Verzeichnis nicht.",
    "digest.tab": "Was hat sich geändert",
    "digest.title": "Was hat sich geändert",
    "digest.range": "Zeitraum",
    "digest.show": "Zusammenstellen",
    "digest.period": "Zeitraum: {start} bis {end}",
    "digest.new": "Neue Partner ({n})",
    "digest.retired": "Ausgeschieden ({n})",
    "digest.changed": "Geänderte Einträge ({n})",
    "digest.answers": "Antworten auf Nachfragen ({n})",
    "digest.spots_opened": "Neue weiße Flecken ({n})",
    "digest.spots_closed": "Geschlossene weiße Flecken ({n})",
    "digest.spots_unknown": "Weiße Flecken: kein Stand vom Beginn des Zeitraums in der Historie",
    "digest.nothing": "Im Zeitraum hat sich nichts geändert.",
    "digest.removed": "gelöscht",
    "digest.status.inactive": "inaktiv",
    "digest.status.planned": "geplant",
    "digest.answer.confirmed": "bestätigt am {date}",
    "digest.answer.proposal": "Änderungen vorgeschlagen am {date}",
    "digest.pdf": "Als PDF herunterladen",
    "digest.mail": "Als E-Mail-Text herunterladen",
    "digest.mail_text": "E-Mail-Text zum Kopieren",
    "recheck.tab_due": "Fällig ({n})",
    "recheck.tab_pending": "Gefragt",
    "recheck.selection": "Auswahl für Sammelaktionen",
    "recheck.select_all": "Alle {n} auswählen",
    "recheck.select_none": "Auswahl leeren",
    "recheck.mark_verified": "Als geprüft markieren ({n})",
    "recheck.mark_confirm": "{n} Einträge als heute geprüft markieren? Das wird eine Änderung in der "
                            "Historie.",
    "recheck.mark_yes": "Ja, {n} als geprüft markieren",
    "recheck.bulk_comment": "geprüft (Sammelprüfung, {n} Einträge)",
    "recheck.ask": "Nachfragen ({n})",
    "recheck.ask_intro": "{n} persönliche E-Mails mit Bestätigungslink (gültig {days} Tage).",
    "recheck.no_address": "Ohne E-Mail-Adresse (bitte anrufen): {names}",
    "recheck.send_smtp": "Jetzt über {host} senden",
    "recheck.sent": "{n} E-Mails verschickt.",
    "recheck.download_eml": "E-Mails als ZIP (.eml) herunterladen",
    "recheck.download_csv": "CSV für den Outlook-Seriendruck herunterladen",
    "recheck.recorded": "{n} Partner als gefragt vermerkt.",
    "recheck.no_secret": "Bestätigungslinks brauchen einen Server-Schlüssel: [recheck] secret (mindestens "
                         "32 zufällige Zeichen) in .streamlit/secrets.toml.",
    "recheck.pending_title": "Gefragt, noch keine Antwort ({n})",
    "recheck.due.wait": "wartet auf Antwort",
    "recheck.due.reminder": "Erinnerung {n} fällig",
    "recheck.due.phone": "bitte anrufen (zwei Erinnerungen ohne Antwort)",
    "recheck.pending_line": "{name}: {mails} E-Mails, zuletzt am {date} – {due}",
    "recheck.remind": "Erinnerungen senden ({n})",
    "recheck.revoke": "Link widerrufen",
    "recheck.revoked": "Der Link von {name} gilt nicht mehr.",
    "recheck.proposals_title": "Vorschläge ({n})",
    "recheck.no_proposals": "Keine offenen Vorschläge.",
    "recheck.proposal_from": "{name} – Vorschlag vom {date}",
    "recheck.proposal_sender": "ausgefüllt von: {sender}",
    "recheck.old": "bisher",
    "recheck.new": "neu",
    "recheck.decision": "Entscheidung",
    "recheck.decision.open": "offen",
    "recheck.decision.accepted": "annehmen",
    "recheck.decision.rejected": "ablehnen",
    "recheck.decide": "Entscheidungen speichern",
    "recheck.decided": "Gespeichert: {accepted} angenommen, {rejected} abgelehnt.",
    "overview.upkeep_overdue": "Prüfung überfällig",
    "overview.upkeep_overdue_help": (
        "Aktive Partner, seit mehr als {months} Monaten nicht geprüft – siehe Prüfliste."
    ),
    "overview.trend": "Weiße Flecken: {now} (vor 12 Monaten: {then})",
    "overview.trend_oldest": "Weiße Flecken: {now} (ältester Stand vom {date}: {then})",
    # --- links, freshness, coverage truth (#7)
    "filter.verified": "Zuletzt geprüft",
    "filter.verified.any": "egal",
    "filter.verified.letzte-12-monate": "in den letzten 12 Monaten",
    "filter.verified.aelter-als-12-monate": "älter als 12 Monate",
    "filter.verified.nie": "nie geprüft",
    "link.ignored": "Der Link enthält Angaben, die die App nicht kennt; sie werden nicht angewendet:",
    "link.unknown_param": "Parameter „{param}“",
    "link.unknown_value": "„{param}={value}“",
    "nav.pages": "Seiten",
    "coverage.filtered_by": (
        "Gefiltert: {note}. Die Zahlen zählen nur passende Partner und nur die gewählten Kategorien."
    ),
    "coverage.no_match": (
        "Kein Partner passt zu den Filtern, daher gibt es hier nichts auszuwerten. "
        "Tipp: einen Filter lockern oder die Schreibweise der Suche prüfen."
    ),
    # --- import (exchange)
    "nav.import": "Import",
    "import.title": "Import",
    "import.locked": "Importieren dürfen nur angemeldete Redakteurinnen und Redakteure.",
    "import.intro": "Partnerlisten (CSV, Excel) oder die Schuldaten NRW übernehmen. Die Vorschau "
                    "zeigt genau, was sich ändert; gespeichert wird erst mit „Importieren“, in einem "
                    "Schritt mit einem Eintrag in der Historie.",
    "import.kind": "Art der Datei",
    "import.kind_table": "Eigene Liste (CSV/Excel)",
    "import.kind_msb": "Schuldaten NRW (MSB)",
    # school forms of the MSB school data (the German one is written as the entry's "Art")
    "msb.schulform.02": "Grundschule",
    "msb.schulform.04": "Hauptschule",
    "msb.schulform.08": "Förderschule",
    "msb.schulform.10": "Realschule",
    "msb.schulform.14": "Sekundarschule",
    "msb.schulform.15": "Gesamtschule",
    "msb.schulform.20": "Gymnasium",
    "msb.schulform.25": "Weiterbildungskolleg",
    "msb.schulform.30": "Berufskolleg",
    "import.file": "Datei hochladen",
    "import.limit": "Hochladen: {limit}",
    "import.sheet": "Tabellenblatt (leer: das erste)",
    "import.mapping_file": "Gespeicherte Spaltenzuordnung (YAML, optional)",
    "import.columns": "Spalten zuordnen",
    "import.default_category": "Kategorie für alle Zeilen",
    "import.save_mapping": "Zuordnung speichern (YAML)",
    "import.policy": "Mit Duplikaten",
    "import.action_skip": "überspringen",
    "import.action_duplicate_of": "Duplikat von {other} (überspringen)",
    "import.fixable": "Korrigierbare Zeilen ({n})",
    "import.fixed": "{n} Korrekturen übernommen – nur für diesen Import, die Datei bleibt unverändert.",
    "import.fix_value": "{field} (korrigiert)",
    "import.fix_suggestion": "„{value}“ übernehmen",
    "import.action_merge": "zusammenführen",
    "import.action_new": "neu anlegen",
    "import.duplicates": "Mögliche Duplikate ({n})",
    "import.row": "Zeile",
    "import.incoming": "Aus der Datei",
    "import.existing": "In der Registry",
    "import.value": "Wert",
    "import.choice": "Entscheidung",
    "import.take": "Diese Felder aus der Datei übernehmen (sonst nur leere Felder füllen)",
    "import.take_placeholder": "Felder wählen",
    "import.preview": "Vorschau",
    "import.changes": "Änderungen im Einzelnen ({n})",
    "import.retire": "Zur Stilllegung vorgeschlagen: {id} ({reason})",
    "import.report": "Zeilenbericht (CSV)",
    "import.strict": "Nichts importieren, wenn eine Zeile abgelehnt wird",
    "import.run": "Importieren (Änderungen: {n})",
    "import.done": "Gespeichert (Änderungen: {n}).",
    # --- exports (exchange)
    "export.gis": "Für GIS und andere Verzeichnisse",
    "export.geojson": "GeoJSON",
    "export.gpkg": "GeoPackage (QGIS)",
    "export.hsds_json": "HSDS 3.0 (JSON)",
    "export.hsds_csv": "HSDS 3.0 (CSV-Paket)",
    # --- reference populations (exchange)
    "reference.title": "Bezugsgröße je Kategorie",
    "reference.help": "Je 10.000 welcher Bevölkerungsgruppe gezählt wird. Werte aus {file}.",
    "reference.total": "Einwohner insgesamt",
    # --- sign-in and roles (auth)
    "auth.header": "Anmeldung",
    "auth.sign_in": "Anmelden",
    "auth.sign_in_with": "Anmelden: {provider}",
    "auth.sign_out": "Abmelden",
    "auth.signed_in": "Angemeldet: {name}",
    "auth.role": "Rolle: {role}",
    "auth.role.public": "öffentlich",
    "auth.role.mitglied": "Mitglied",
    "auth.role.redaktion": "Redaktion",
    "auth.role.admin": "Admin",
    "auth.no_role": "Kein Zugang für {email} – bitte an {contact} wenden.",
    "auth.no_role_nocontact": "Kein Zugang für {email} – bitte an das Kommunale Integrationszentrum wenden.",
    "auth.no_email": "Die Anmeldung hat keine E-Mail-Adresse übermittelt – kein Zugang.",
    "auth.unverified": (
        "Die E-Mail-Adresse {email} ist beim Anbieter nicht bestätigt – kein Zugang, auch nicht "
        "zu eigenen Einträgen."),
    "auth.expired": (
        "Die Anmeldung ist abgelaufen (nach {hours} Stunden): keine Rechte mehr, auch nicht für "
        "eigene Einträge. Bitte neu anmelden."),
    "auth.invalid_access": (
        "Die Zugangsdatei ist fehlerhaft: zurzeit gibt es nur die öffentliche Ansicht, auch "
        "eigene Einträge sind nicht bearbeitbar."),
    "auth.owner": "Eigene Einträge (Selbstpflege): {n} – unter „Bearbeiten“.",
    "auth.sign_in_off": (
        "Anmeldung ausgeschaltet: {reason} Wer es kennt, könnte sich als beliebige Person "
        "ausgeben. Ein neues erzeugen mit `{command}` und in .streamlit/secrets.toml unter "
        "[auth] als cookie_secret eintragen."),
    "auth.weak_secret.missing": "Das cookie_secret fehlt.",
    "auth.weak_secret.example": (
        "Das cookie_secret ist ein öffentlich bekanntes Beispiel aus der Dokumentation."),
    "auth.weak_secret.short": "Das cookie_secret ist zu kurz (mindestens 32 Zeichen).",
    "auth.weak_secret.uniform": "Das cookie_secret ist zu gleichförmig (zu wenig Zufall).",
    "auth.invalid_access_admin": (
        "Die Zugangsdatei {file} ist fehlerhaft – niemand hat zurzeit mehr als öffentliche "
        "Rechte. Bitte korrigieren:"),
    "auth.missing_access_admin": "Die Zugangsdatei fehlt oder ist nicht lesbar: {problem}",
    "auth.internal_view": "Interne Ansicht – nicht zur Weitergabe",
    "access.nav": "Zugang",
    "access.title": "Zugang",
    "access.intro": "Wer welche Rolle hat (aus der Zugangsdatei) und die letzten Anmeldungen dieses Servers.",
    "access.file": "Zugangsdatei: {file}",
    "access.settings": "Kontakt: {contact} · Gruppen-Claim: {claim} · Anmeldung endet nach {hours} Stunden",
    "access.entries": "Rollen",
    "access.col.role": "Rolle",
    "access.col.entry": "Eintrag",
    "access.col.kind": "Art",
    "access.kind.email": "E-Mail-Adresse",
    "access.kind.domain": "Domain",
    "access.kind.group": "Gruppe",
    "access.recent": "Letzte Anmeldungen (seit dem Start des Servers)",
    "access.col.time": "Zeit (UTC)",
    "access.col.email": "E-Mail",
    "access.col.event": "Ereignis",
    "access.no_events": "Noch keine Anmeldungen seit dem Start des Servers.",
    "access.warnings": "Hinweise zur Zugangsdatei",
    "access.event.granted": "Anmeldung",
    "access.event.no_role": "abgelehnt: keine Rolle",
    "access.event.unverified": "abgelehnt: E-Mail nicht bestätigt",
    "access.event.expired": "abgelehnt: Anmeldung abgelaufen",
    "access.event.invalid_access": "abgelehnt: Zugangsdatei fehlerhaft",
    "card.internal": "intern",
    "card.notes": "Notizen (intern)",
    "export.public": "öffentlich",
    "export.internal": "intern",
    "export.scope.public": "Partnernetz – öffentlich: nur öffentliche Kontaktdaten",
    "export.scope.internal": (
        "Partnernetz – intern: enthält interne Kontaktdaten – nicht zur Weitergabe"),
    "export.scope.sheet": "Hinweis",
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
    "shell.outdated": "The data below is outdated: it shows the last valid version of the "
                      "registry until the errors above are fixed.",
    "shell.unexpected_page": "This page could not be shown because of an unexpected error. Please "
                             "reload; if it persists, tell the editors.",
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
    "filter.query_help": (
        "Words that must all match: name, operator, offers, description, town, district, street, "
        "category, language, target group; case and umlauts are ignored"
    ),
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
    "directory.empty": (
        "No partner matches the filters. Tip: loosen a filter or check the spelling of the "
        "search; the search finds partners that match every word."
    ),
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
    "map.focus_filtered": "The selected partner is hidden by the filters.",
    "overview.title": "Overview",
    "coverage.title": "Coverage",
    "overview.intro": "As of {date}. Figures follow the sidebar filters; only active partners count.",
    "overview.partners": "Partners (active)",
    "overview.partners_help": "Active partners in the selection. Planned and inactive partners do not count.",
    "overview.towns": "Towns",
    "overview.towns_help": "Towns and municipalities of the region (or the selected towns).",
    "overview.white_towns": "Towns with a white spot",
    "overview.white_towns_help": "Towns where at least one category cannot be reached at all.",
    "overview.languages": "Languages offered",
    "overview.languages_help": "Distinct languages in which active partners advise or teach.",
    "overview.verified": "verified within 12 months",
    "overview.verified_help": "Share of all entries whose details were verified within the last 12 months.",
    "overview.planned": "planned",
    "overview.planned_help": "Planned services: not active yet, they do not count towards coverage.",
    "overview.figures_note": "White spots in total (town × category): {spots} · inactive entries: {inactive}",
    "overview.map": "Coverage per town",
    "overview.map_hint": (
        "Coverage = share of categories meeting their target (yellow counts half). Hover a town to see "
        "its figure."
    ),
    "overview.white_spots": "White spots ({n})",
    "overview.more": "{n} more",
    "overview.white_spots_hint": (
        "White spot: no active partner of the category in the town or serving it. Distance: straight line"
        " from the town centre."
    ),
    "overview.compare": "Towns compared",
    "overview.lights": "Lights ✓ / ! / ✗",
    "overview.gaps": "white spots",
    "overview.kim": "KIM",
    "overview.score_help": "Share of categories meeting their target (yellow counts half)",
    "overview.compare_hint": (
        "Weakest coverage first. ✓ target met · ! below target · ✗ white spot. KIM: KIM case management "
        "reachable."
    ),
    "overview.report": "Printable report",
    "overview.report_hint": (
        "PDF, produced when you click. The report follows the filters (except the town filter) and names "
        "them under the title."
    ),
    "overview.report_kreis": "Report of the region (PDF)",
    "overview.report_town": "Town profile for",
    "overview.report_profile": "Town profile {town} (PDF)",
    "coverage.intro": (
        "Which towns reach which services? Only active partners located in or serving a town count; "
        "planned and inactive ones are shown apart. All towns of the region are compared, with the "
        "sidebar filters (except the town filter)."
    ),
    "coverage.towns_selected": (
        "Town filter: {n} of {total} towns shown. Figures are computed for the whole region."
    ),
    "coverage.no_active": "No active partner matches the filters: every cell is a white spot.",
    "coverage.measure": "Measure",
    "coverage.measure.reachable": "reachable",
    "coverage.measure.located": "in town",
    "coverage.measure.per_10k": "per 10,000 pop.",
    "coverage.measure_help": (
        "reachable: in the town or serving it · in town: located in the town · per 10,000 pop.: reachable"
        " per 10,000 inhabitants"
    ),
    "coverage.matrix": "Traffic light: towns × categories",
    "coverage.legend": (
        "**Legend:** ✓ green = target met · ! yellow = reachable, but below target · ✗ red = white spot "
        "(nothing reachable)"
    ),
    "coverage.legend.reachable": "Number = reachable active partners (yellow: reachable/target).",
    "coverage.legend.located": (
        "Number = active partners located in the town; the light still rates the reachable ones."
    ),
    "coverage.legend.per_10k": (
        "Number = reachable active partners per 10,000 inhabitants (– = population unknown)."
    ),
    "coverage.legend_planned": "“+n plan.” = planned partners, not counted.",
    "coverage.planned_short": "plan.",
    "coverage.apart": "Counted apart: planned: {planned} · inactive: {inactive}",
    "coverage.apart_table": "Planned and inactive partners per town and category ({n})",
    "coverage.white_spots": "White spots ({n})",
    "coverage.no_white_spots": "No white spots: every category is reachable in every town.",
    "coverage.town": "Town",
    "coverage.category": "Category",
    "coverage.planned": "planned",
    "coverage.inactive": "inactive",
    "coverage.map": "Map",
    "coverage.map_category": "Category for map and comparison",
    "coverage.score": "Overall coverage",
    "coverage.unit.score": "coverage",
    "coverage.unit.reachable": "reachable partners",
    "coverage.unit.located": "partners in town",
    "coverage.unit.per_10k": "per 10,000 pop.",
    "coverage.map_hint": "Hover a town to see its name and figure. Darker = more; grey = no data.",
    "coverage.compare": "Towns compared: {what}",
    "coverage.attributes": "Education chain, languages, target groups",
    "coverage.attributes_hint": "✓ n = n reachable active partners cover it · ✗ 0 = missing in the town",
    "coverage.stages": "Education chain",
    "coverage.languages": "Languages",
    "coverage.target_groups": "Target groups",
    "coverage.none_offered": "No active partner in the selection names anything here.",
    "coverage.missing_cells": "Missing: {n} of {total} fields.",
    "coverage.kim": "KIM case management per town",
    "coverage.kim_column": "KIM case management",
    "coverage.present": "present",
    "coverage.missing": "missing",
    "coverage.nearest_offer": "nearest offer",
    "coverage.kim_summary": "KIM case management reachable in {present} of {total} towns.",
    "coverage.nearest": "Nearest service per category",
    "coverage.nearest_hint": (
        "Nearest active partner of the category: town and straight-line distance from the town centre "
        "(not travel distance). Colour and symbol as in the traffic light."
    ),
    "coverage.nearest_in": "nearest in",
    "coverage.download_all": "Download everything",
    "coverage.xlsx_all": "All tables (Excel, .xlsx)",
    "coverage.csv": "CSV (Excel)",
    "coverage.xlsx": "Excel (.xlsx)",
    "coverage.sheet.matrix": "Traffic light",
    "coverage.sheet.stages": "Education chain",
    "coverage.sheet.languages": "Languages",
    "coverage.sheet.target_groups": "Target groups",
    "coverage.sheet.kim": "KIM",
    "coverage.sheet.nearest": "Distances",
    "coverage.export.partners": "reachable partners",
    "coverage.export.covered": "covered",
    "coverage.yes": "yes",
    "coverage.no": "no",
    "placeholder.coming": "This page is being built.",
    # --- editing, history, check list (issue 12)
    "nav.edit": "Edit",
    "nav.history": "History",
    "nav.checklist": "Check list",
    "edit.title": "Edit partner",
    "edit.no_rights": "Editing needs the editor (redaktion) role, or your own entry (owners).",
    "edit.not_allowed": "Not allowed – nothing was saved.",
    "edit.partner": "Partner",
    "edit.new": "Add a new partner …",
    "edit.intro_existing": "Changes are written on “Save”; the history records who changed what (id: {id}).",
    "edit.intro_new": "New entry: id, name, category and town are required.",
    "edit.verified_today": "Verified today",
    "edit.verified_comment": "verified",
    "edit.show_on_map": "Show on the map",
    "edit.retire": "Retire",
    "edit.retire_status": "New status",
    "edit.retire_confirm": "Set status",
    "edit.delete": "Delete",
    "edit.delete_reason": "Reason (kept in the history)",
    "edit.delete_confirm": "Delete for good",
    "edit.location_map": "Set the location on the map",
    "edit.location_marker": "Location",
    "edit.location_hint": "Click the map to set the coordinates, or type latitude/longitude below.",
    "edit.field.id": "id",
    "edit.field.id_help": (
        "Lower-case letters, digits and hyphens, e.g. kita-sonnenschein-brakel; cannot be changed "
        "later."
    ),
    "edit.field.name": "Name of the organisation",
    "edit.field.category": "Category",
    "edit.field.subtype": "Type (e.g. primary school)",
    "edit.field.operator": "Operator",
    "edit.field.description": "Short description",
    "edit.field.town": "Town",
    "edit.field.street": "Street and number",
    "edit.field.postcode": "Postcode",
    "edit.field.district": "District",
    "edit.field.lat": "Latitude (WGS84)",
    "edit.field.lon": "Longitude (WGS84)",
    "edit.field.serves_all": "serves the whole Kreis",
    "edit.field.serves": "Towns served",
    "edit.field.serves_help": "Empty: its own town only.",
    "edit.field.stages": "Education chain",
    "edit.field.target_groups": "Target groups",
    "edit.field.languages": "Languages",
    "edit.field.offers": "Offers",
    "edit.field.lines_help": "One per line.",
    "edit.field.phone": "Phone",
    "edit.field.email": "E-mail",
    "edit.field.website": "Website",
    "edit.field.opening_hours": "Opening hours",
    "edit.field.contacts": "Contact persons (internal unless marked public)",
    "edit.field.accessible": "Accessible",
    "edit.field.status": "Status",
    "edit.field.verified": "Last verified on",
    "edit.field.notes": "Internal notes (editors only)",
    "edit.field.owners": "Self-service: e-mail addresses (owners)",
    "edit.field.owners_help": (
        "These people may edit exactly this entry after signing in. One address per line."
    ),
    "edit.contact.name": "Name",
    "edit.contact.role": "Role",
    "edit.contact.phone": "Phone",
    "edit.contact.email": "E-mail",
    "edit.contact.visibility": "Visibility",
    "edit.accessible.unknown": "unknown",
    "edit.accessible.yes": "yes",
    "edit.accessible.no": "no",
    "edit.comment": "Comment on the change (optional, for the history)",
    "edit.save": "Save",
    "edit.saved": "Saved: {summary} (revision {revision}).",
    "edit.unchanged": "Nothing saved: {summary}.",
    "edit.invalid": "Not saved – the registry check reports errors:",
    "edit.coordinates_invalid": (
        "Please give latitude and longitude both as numbers, e.g. 51.7170 and 9.1850."
    ),
    "edit.unknown_partner": "Partner '{id}' does not exist (any more).",
    "edit.conflict": "Someone else changed this entry meanwhile. Your change was not saved.",
    "edit.conflict_theirs": "Now in the registry",
    "edit.conflict_yours": "Your version (not saved)",
    "edit.conflict_reload": "Reload and edit again",
    "edit.serves_note": (
        "Leaving “Towns served” empty means its own town only. “Whole Kreis” writes serves: {all}."
    ),
    "history.title": "History of changes",
    "history.empty": "No changes saved yet.",
    "history.partner": "Partner",
    "history.all": "all",
    "history.person": "Person (e-mail or name)",
    "history.period": "Period",
    "history.count": "{n} of {total} changes",
    "history.revision": "Revision {revision} · {kind}",
    "history.kind.change": "change",
    "history.kind.restore": "restore",
    "history.kind.external": "change outside the app (by hand)",
    "history.kind.initial": "initial version",
    "history.op.add": "Added",
    "history.op.update": "Changed",
    "history.op.retire": "Retired",
    "history.op.remove": "Deleted",
    "history.op.restore": "Restored",
    "history.comment": "Comment",
    "history.reason": "Reason",
    "history.field": "Field",
    "history.old": "before",
    "history.new": "after",
    "history.restore_partner": "Undo the change to {id} (version before)",
    "history.restore_all": "Reset the whole registry to this version ({revision})",
    "history.when": "When",
    "history.who": "Who",
    "history.what": "What",
    "history.now": "now",
    "history.after": "after the restore",
    "history.preview.title_all": "Preview: restore the whole registry to version {revision} of {when}",
    "history.preview.title_partner": "Preview: restore {id} to version {revision} of {when}",
    "history.preview.others_kept": "Only this partner is restored; later changes to other partners stay.",
    "history.preview.discards": "These {n} later changes will be discarded:",
    "history.preview.nothing": "There are no later changes that would be discarded.",
    "history.preview.fields": "How the fields change:",
    "history.preview.undoable": "The restore is itself recorded in the history and can be undone there.",
    "history.preview.confirm": "I have checked the list: discard these changes",
    "history.preview.do": "Restore now",
    "history.preview.changed": "Another change came in since the preview; nothing was restored. "
                               "Please check the list again and confirm.",
    "history.preview.cancel": "Cancel",
    "history.more": "{n} older changes – please filter",
    "checklist.title": "Check list",
    "checklist.months": "Check interval in months",
    "checklist.months_help": "Active partners not verified for longer appear here, oldest first.",
    "checklist.intro": "{n} active partners not verified for more than {months} months (or never).",
    "checklist.none": "Every active entry has been verified recently.",
    "checklist.page": "Page (of {pages})",
    "checklist.never": "Never verified",
    "checklist.since": "Last verified on {date} ({days} days ago)",
    "checklist.edit": "Edit",
    "checklist.mail": "Prepare the “still correct?” e-mail",
    "checklist.no_mail": "no public e-mail address",
    # --- re-check loop
    "recheck.field.name": "Name",
    "recheck.field.operator": "Operator",
    "recheck.field.description": "Description",
    "recheck.field.address": "Address",
    "recheck.field.street": "Street and number",
    "recheck.field.postcode": "Postcode",
    "recheck.field.district": "District",
    "recheck.field.phone": "Phone",
    "recheck.field.email": "E-mail",
    "recheck.field.website": "Website",
    "recheck.field.opening_hours": "Opening hours",
    "recheck.field.offers": "Offers",
    "recheck.field.accessible": "Step-free access",
    "recheck.field.contacts": "Contact persons",
    "recheck.field.role": "Role",
    "recheck.accessible.yes": "yes",
    "recheck.accessible.no": "no",
    "recheck.accessible.unknown": "unknown",
    "recheck.mail.subject": "Is your entry in the Partnernetz directory still correct? ({name})",
    "recheck.mail.reminder_prefix": "Reminder:",
    "recheck.mail.greeting": "Hello,",
    "recheck.mail.intro": "your organisation is listed in the Partnernetz directory of the municipal "
                          "integration centre ({region}) with these details:",
    "recheck.mail.ask": "Is the entry still correct? Please open your personal link and click “Everything is "
                        "still correct” – or “Something has changed” to correct the details:",
    "recheck.mail.valid": "The link works until {date} and only for your entry.",
    "recheck.mail.no_account": "You need no account and no password.",
    "recheck.mail.thanks": "Thank you and kind regards",
    "confirm.title": "Is your entry still correct?",
    "confirm.intro": "This is how your organisation is listed in the Partnernetz directory ({region}):",
    "confirm.yes": "Everything is still correct",
    "confirm.changed": "Something has changed",
    "confirm.thanks_yes": "Thank you! Your entry is marked as checked.",
    "confirm.form_intro": "Please correct what is no longer right. The editors check your changes before "
                          "they appear in the directory.",
    "confirm.offers_help": "One offer per line",
    "confirm.contacts_help": "Contact persons named publicly in the directory",
    "confirm.contact_field": "Contact person {n}: {field}",
    "confirm.sender": "Your name (for questions, optional)",
    "confirm.send": "Send changes",
    "confirm.no_change": "You changed nothing. If everything is right, please click “Everything is still "
                         "correct”.",
    "confirm.thanks_changed": "Thank you! Your changes ({n}) have reached the editors and appear in the "
                              "directory once checked.",
    "confirm.invalid": "Please correct:",
    "confirm.unavailable": "Confirmation links are not set up on this server. Please contact the municipal "
                           "integration centre.",
    "confirm.failed": "Your answer could not be saved just now. Please try again later.",
    "handout.title": "Hand on",
    "handout.vcard": "vCard of this partner",
    "handout.print_pdf": "Print view (PDF)",
    "handout.print_html": "Print view (HTML)",
    "handout.qr_png": "QR code (PNG)",
    "handout.link": "Link to this card",
    "handout.qr_alt": "QR code: link to the card of {name}",
    "handout.public": "Public details from the Partnernetz directory.",
    "handout.internal": "Internal – not for passing on.",
    "handout.linked": "Card from the link",
    "handout.unknown": "The partner of the link ({id}) is not in the directory.",
    "digest.tab": "What has changed",
    "digest.title": "What has changed",
    "digest.range": "Period",
    "digest.show": "Compile",
    "digest.period": "Period: {start} to {end}",
    "digest.new": "New partners ({n})",
    "digest.retired": "Retired ({n})",
    "digest.changed": "Changed entries ({n})",
    "digest.answers": "Answers to requests ({n})",
    "digest.spots_opened": "New white spots ({n})",
    "digest.spots_closed": "White spots closed ({n})",
    "digest.spots_unknown": "White spots: no version from the start of the period in the history",
    "digest.nothing": "Nothing changed in this period.",
    "digest.removed": "deleted",
    "digest.status.inactive": "inactive",
    "digest.status.planned": "planned",
    "digest.answer.confirmed": "confirmed on {date}",
    "digest.answer.proposal": "proposed changes on {date}",
    "digest.pdf": "Download as PDF",
    "digest.mail": "Download as e-mail text",
    "digest.mail_text": "E-mail text to copy",
    "recheck.tab_due": "Due ({n})",
    "recheck.tab_pending": "Asked",
    "recheck.selection": "Selection for bulk actions",
    "recheck.select_all": "Select all {n}",
    "recheck.select_none": "Clear selection",
    "recheck.mark_verified": "Mark as verified ({n})",
    "recheck.mark_confirm": "Mark {n} entries as verified today? This becomes one change in the history.",
    "recheck.mark_yes": "Yes, mark {n} as verified",
    "recheck.bulk_comment": "verified (bulk check, {n} entries)",
    "recheck.ask": "Ask ({n})",
    "recheck.ask_intro": "{n} personal e-mails with a confirmation link (valid for {days} days).",
    "recheck.no_address": "No e-mail address (please call): {names}",
    "recheck.send_smtp": "Send now via {host}",
    "recheck.sent": "{n} e-mails sent.",
    "recheck.download_eml": "Download the e-mails as ZIP (.eml)",
    "recheck.download_csv": "Download a CSV for Outlook mail merge",
    "recheck.recorded": "{n} partners recorded as asked.",
    "recheck.no_secret": "Confirmation links need a server key: [recheck] secret (at least 32 random "
                         "characters) in .streamlit/secrets.toml.",
    "recheck.pending_title": "Asked, no answer yet ({n})",
    "recheck.due.wait": "waiting for an answer",
    "recheck.due.reminder": "reminder {n} due",
    "recheck.due.phone": "please call (two reminders without an answer)",
    "recheck.pending_line": "{name}: {mails} e-mails, last on {date} – {due}",
    "recheck.remind": "Send reminders ({n})",
    "recheck.revoke": "Revoke link",
    "recheck.revoked": "The link of {name} no longer works.",
    "recheck.proposals_title": "Proposals ({n})",
    "recheck.no_proposals": "No open proposals.",
    "recheck.proposal_from": "{name} – proposal of {date}",
    "recheck.proposal_sender": "filled in by: {sender}",
    "recheck.old": "before",
    "recheck.new": "new",
    "recheck.decision": "Decision",
    "recheck.decision.open": "open",
    "recheck.decision.accepted": "accept",
    "recheck.decision.rejected": "reject",
    "recheck.decide": "Save decisions",
    "recheck.decided": "Saved: {accepted} accepted, {rejected} rejected.",
    "overview.upkeep_overdue": "Check overdue",
    "overview.upkeep_overdue_help": (
        "Active partners not verified for more than {months} months – see the check list."
    ),
    "overview.trend": "White spots: {now} (12 months ago: {then})",
    "overview.trend_oldest": "White spots: {now} (oldest version of {date}: {then})",
    # --- links, freshness, coverage truth (#7)
    "filter.verified": "Last verified",
    "filter.verified.any": "any time",
    "filter.verified.letzte-12-monate": "in the last 12 months",
    "filter.verified.aelter-als-12-monate": "more than 12 months ago",
    "filter.verified.nie": "never verified",
    "link.ignored": "The link contains settings the app does not know; they are not applied:",
    "link.unknown_param": "parameter “{param}”",
    "link.unknown_value": "“{param}={value}”",
    "nav.pages": "Pages",
    "coverage.filtered_by": (
        "Filtered: {note}. The figures count matching partners and the selected categories only."
    ),
    "coverage.no_match": (
        "No partner matches the filters, so there is nothing to evaluate here. "
        "Tip: loosen a filter or check the spelling of the search."
    ),
    # --- import (exchange)
    "nav.import": "Import",
    "import.title": "Import",
    "import.locked": "Only signed-in editors may import.",
    "import.intro": "Take over partner lists (CSV, Excel) or the official school data of NRW. The "
                    "preview shows exactly what changes; nothing is saved until “Import”, in one "
                    "step with one history entry.",
    "import.kind": "Kind of file",
    "import.kind_table": "Own list (CSV/Excel)",
    "import.kind_msb": "School data NRW (MSB)",
    "msb.schulform.02": "Primary school",
    "msb.schulform.04": "Hauptschule (lower secondary school)",
    "msb.schulform.08": "Special needs school",
    "msb.schulform.10": "Realschule (intermediate secondary school)",
    "msb.schulform.14": "Sekundarschule (secondary school)",
    "msb.schulform.15": "Comprehensive school",
    "msb.schulform.20": "Gymnasium (grammar school)",
    "msb.schulform.25": "Adult education college",
    "msb.schulform.30": "Vocational college",
    "import.file": "Upload a file",
    "import.limit": "Upload: {limit}",
    "import.sheet": "Sheet (empty: the first)",
    "import.mapping_file": "Saved column mapping (YAML, optional)",
    "import.columns": "Map the columns",
    "import.default_category": "Category for every row",
    "import.save_mapping": "Save the mapping (YAML)",
    "import.policy": "Duplicates",
    "import.action_skip": "skip",
    "import.action_duplicate_of": "duplicate of {other} (skip)",
    "import.fixable": "Rows you can fix ({n})",
    "import.fixed": "{n} corrections applied – for this import only, the file stays as it is.",
    "import.fix_value": "{field} (corrected)",
    "import.fix_suggestion": "Use “{value}”",
    "import.action_merge": "merge",
    "import.action_new": "import as new",
    "import.duplicates": "Possible duplicates ({n})",
    "import.row": "Row",
    "import.incoming": "From the file",
    "import.existing": "In the registry",
    "import.value": "Value",
    "import.choice": "Decision",
    "import.take": "Take these fields from the file (otherwise fill empty fields only)",
    "import.take_placeholder": "Choose fields",
    "import.preview": "Preview",
    "import.changes": "Changes in detail ({n})",
    "import.retire": "Suggested for retirement: {id} ({reason})",
    "import.report": "Row report (CSV)",
    "import.strict": "Import nothing if any row is rejected",
    "import.run": "Import (changes: {n})",
    "import.done": "Saved (changes: {n}).",
    # --- exports (exchange)
    "export.gis": "For GIS and other directories",
    "export.geojson": "GeoJSON",
    "export.gpkg": "GeoPackage (QGIS)",
    "export.hsds_json": "HSDS 3.0 (JSON)",
    "export.hsds_csv": "HSDS 3.0 (CSV package)",
    # --- reference populations (exchange)
    "reference.title": "Reference population per category",
    "reference.help": "Per 10,000 of which population group. Values from {file}.",
    "reference.total": "Total population",
    # --- sign-in and roles (auth)
    "auth.header": "Sign-in",
    "auth.sign_in": "Sign in",
    "auth.sign_in_with": "Sign in: {provider}",
    "auth.sign_out": "Sign out",
    "auth.signed_in": "Signed in: {name}",
    "auth.role": "Role: {role}",
    "auth.role.public": "public",
    "auth.role.mitglied": "Member",
    "auth.role.redaktion": "Editor",
    "auth.role.admin": "Admin",
    "auth.no_role": "No access for {email} – please contact {contact}.",
    "auth.no_role_nocontact": "No access for {email} – please contact the integration centre.",
    "auth.no_email": "The sign-in did not provide an e-mail address – no access.",
    "auth.unverified": (
        "The provider has not verified the e-mail address {email} – no access, not even to "
        "your own entries."),
    "auth.expired": (
        "Your sign-in has expired (after {hours} hours): no rights any more, not even for your "
        "own entries. Please sign in again."),
    "auth.invalid_access": (
        "The access file is invalid: only the public view is available for now, own entries "
        "cannot be edited either."),
    "auth.owner": "Your own entries (self-service): {n} – under “Edit”.",
    "auth.sign_in_off": (
        "Sign-in is off: {reason} Whoever knows it could pose as anybody. Generate a new one "
        "with `{command}` and enter it in .streamlit/secrets.toml under [auth] as cookie_secret."),
    "auth.weak_secret.missing": "The cookie_secret is missing.",
    "auth.weak_secret.example": "The cookie_secret is a publicly known example from the documentation.",
    "auth.weak_secret.short": "The cookie_secret is too short (at least 32 characters).",
    "auth.weak_secret.uniform": "The cookie_secret is too uniform (too little randomness).",
    "auth.invalid_access_admin": (
        "The access file {file} is invalid – nobody has more than public rights for now. "
        "Please correct it:"),
    "auth.missing_access_admin": "The access file is missing or unreadable: {problem}",
    "auth.internal_view": "Internal view – not for distribution",
    "access.nav": "Access",
    "access.title": "Access",
    "access.intro": "Who has which role (from the access file) and the latest sign-ins on this server.",
    "access.file": "Access file: {file}",
    "access.settings": "Contact: {contact} · group claim: {claim} · sign-in ends after {hours} hours",
    "access.entries": "Roles",
    "access.col.role": "Role",
    "access.col.entry": "Entry",
    "access.col.kind": "Kind",
    "access.kind.email": "e-mail address",
    "access.kind.domain": "domain",
    "access.kind.group": "group",
    "access.recent": "Latest sign-ins (since the server started)",
    "access.col.time": "Time (UTC)",
    "access.col.email": "E-mail",
    "access.col.event": "Event",
    "access.no_events": "No sign-ins since the server started.",
    "access.warnings": "Notes on the access file",
    "access.event.granted": "sign-in",
    "access.event.no_role": "denied: no role",
    "access.event.unverified": "denied: e-mail not verified",
    "access.event.expired": "denied: sign-in expired",
    "access.event.invalid_access": "denied: access file invalid",
    "card.internal": "internal",
    "card.notes": "Notes (internal)",
    "export.public": "public",
    "export.internal": "internal",
    "export.scope.public": "Partnernetz – public: public contact data only",
    "export.scope.internal": (
        "Partnernetz – internal: contains internal contact data – not for distribution"),
    "export.scope.sheet": "Note",
}

# --- accessibility (issue 10): statement, Leichte Sprache, skip link, partner list,
# directory table. Kept as one block of its own, added to both dictionaries.

STATEMENT_REVIEWED = dt.date(2026, 12, 1)
"""Date of the last review of the statement (the axe and keyboard tests of issue 10)."""

OMBUDSSTELLE_URL = "https://www.lbbp.nrw.de/ombudsstelle"
OMBUDSSTELLE_EMAIL = "ombudsstelle-barrierefreie-it@mags.nrw.de"

A11Y_DE: dict[str, str] = {
    "nav.statement": "Barrierefreiheit",
    "nav.easy": "Leichte Sprache",
    "footer.label": "Fußzeile",
    "footer.statement": "Erklärung zur Barrierefreiheit",
    "footer.easy": "Leichte Sprache",
    "map.skip": "Karte überspringen: zur Liste der Partner",
    "map.list": "Partner auf der Karte ({n})",
    "map.list_hint": "Jeder Eintrag öffnet mit Enter die Kontaktkarte.",
    "map.list_more": "Es werden die ersten {shown} von {n} Partnern gezeigt. Filter engen die Liste ein; "
                     "das Verzeichnis zeigt alle.",
    "map.frame_title": "Karte der Partner",
    "map.frame_title_choropleth": "Karte: {title}",
    "directory.view": "Darstellung",
    "directory.view.table": "Tabelle (barrierefrei)",
    "directory.view.grid": "Raster (Auswahl einer Zeile)",
    "directory.sort": "Sortieren nach",
    "directory.order": "Reihenfolge",
    "directory.order.asc": "aufsteigend",
    "directory.order.desc": "absteigend",
    "directory.page": "Seite",
    "directory.page_size": "Zeilen je Seite",
    "directory.caption": "Partner {first}–{last} von {total}, sortiert nach {column} ({order}), "
                         "Seite {page} von {pages}",
    "directory.card": "Kontaktkarte",
    "directory.card_pick": "Kontaktkarte von",
    "data.table": "Die Werte der Karte als Tabelle",
    "statement.title": "Erklärung zur Barrierefreiheit",
    "statement.intro": "{region} ist bemüht, die Web-Anwendung Partnernetz im Einklang mit dem "
                       "Behindertengleichstellungsgesetz Nordrhein-Westfalen (BGG NRW, §§ 10 bis 10e) "
                       "und der Barrierefreie-Informationstechnik-Verordnung NRW (BITVNRW) barrierefrei "
                       "zugänglich zu machen. Maßstab sind die EN 301 549 und die WCAG 2.1, Stufen A "
                       "und AA.",
    "statement.state": "Stand der Vereinbarkeit",
    "statement.state_text": "Partnernetz ist mit den Anforderungen der BITVNRW weitgehend vereinbar. "
                            "Die unten genannten Inhalte sind nicht oder nicht vollständig barrierefrei; "
                            "zu jedem nennen wir die barrierefreie Alternative.",
    "statement.limits": "Nicht barrierefreie Inhalte und ihre Alternativen",
    "statement.limit.tiles": "Hintergrundkarten (OpenStreetMap, basemap.de) sind Bilder ohne "
                             "Textalternative. Alternative: die Liste der Partner unter der Karte "
                             "(mit dem Link „Karte überspringen“ erreichbar), das Verzeichnis als "
                             "Tabelle und die Datentabellen neben jeder Karte. Die Karte lässt sich "
                             "auch „ohne Hintergrund“ zeigen.",
    "statement.limit.map": "Die Karte selbst ist mit der Tastatur bedienbar: Orte, Gruppen und "
                           "Partner sind mit Tab erreichbar, Enter filtert nach einem Ort, öffnet eine "
                           "Gruppe oder eine Kontaktkarte, Escape schließt sie, Pfeiltasten und +/− "
                           "verschieben und zoomen. Die Lage der Partner auf der Karte ist nur visuell; "
                           "Ort und Adresse stehen in der Liste und im Verzeichnis.",
    "statement.limit.grid": "Tabellen im Raster (Auswahl im Verzeichnis, Matrix der Abdeckung) werden "
                            "als Grafik gezeichnet und von Screenreadern nur eingeschränkt gelesen. "
                            "Alternative: die HTML-Tabelle im Verzeichnis (Darstellung „Tabelle“), die "
                            "Tabellen im PDF-Bericht und die Downloads (CSV, Excel).",
    "statement.limit.sign": "Ein Video in Deutscher Gebärdensprache gibt es nicht; es ist nicht Teil "
                            "dieser Anwendung. Eine Erklärung in Leichter Sprache gibt es auf der Seite "
                            "„Leichte Sprache“.",
    "statement.limit.pdf": "Der PDF-Bericht ist ein getaggtes PDF (PDF/UA-1) mit Überschriften, "
                           "Lesezeichen, Tabellenköpfen und Alternativtexten für die Karten.",
    "statement.made": "Erstellung dieser Erklärung",
    "statement.made_text": "Die Erklärung beruht auf einer Selbstbewertung: automatische Prüfungen "
                           "mit axe-core auf jeder Seite (Deutsch und Englisch), Tastatur- und "
                           "Zoom-Tests (320 Pixel Breite, 200 %). Letzte Überprüfung: {date}.",
    "statement.feedback": "Feedback und Kontakt",
    "statement.feedback_text": "Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen, oder "
                               "brauchen Sie Inhalte in anderer Form? Schreiben Sie uns:",
    "statement.no_contact": "Die Registry nennt noch keinen Kontakt für Barrierefreiheit. Bitte "
                            "wenden Sie sich an das Kommunale Integrationszentrum {region}.",
    "statement.contact_email": "E-Mail",
    "statement.contact_phone": "Telefon",
    "statement.enforcement": "Schlichtungsverfahren (Ombudsstelle)",
    "statement.enforcement_text": "Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort "
                                  "erhalten, können Sie sich an die Ombudsstelle für barrierefreie "
                                  "Informationstechnik des Landes Nordrhein-Westfalen wenden "
                                  "(§§ 10d, 10e BGG NRW).",
    "statement.enforcement_link": "Ombudsstelle für barrierefreie Informationstechnik des Landes NRW",
    "easy.title": "Leichte Sprache",
    "easy.body": (
        "Das ist Partnernetz.\n"
        "Partnernetz ist eine Internet-Seite.\n"
        "Auf der Seite stehen Stellen, die Menschen helfen.\n"
        "Zum Beispiel: Schulen, Kitas und Beratungs-Stellen.\n"
        "Die Stellen sind in Ihrem Kreis.\n"
        "Das Kommunale Integrations-Zentrum macht die Seite.\n"
        "\n"
        "So benutzen Sie die Seite:\n"
        "Links ist ein Menü.\n"
        "Im Menü gibt es die Seite Karte.\n"
        "Auf der Karte sehen Sie, wo die Stellen sind.\n"
        "Unter der Karte ist eine Liste.\n"
        "In der Liste stehen alle Stellen.\n"
        "Klicken Sie auf eine Stelle.\n"
        "Dann sehen Sie: Adresse, Telefon und E-Mail.\n"
        "\n"
        "Sie suchen etwas Bestimmtes?\n"
        "Dann benutzen Sie die Filter.\n"
        "Zum Beispiel: Ihren Ort oder Ihre Sprache.\n"
        "Dann sehen Sie nur diese Stellen.\n"
        "\n"
        "Die Seite gibt es auf Deutsch und auf Englisch.\n"
        "Sie können die Sprache oben im Menü wählen.\n"
        "\n"
        "Sie haben ein Problem mit der Seite?\n"
        "Dann lesen Sie die Seite Barrierefreiheit.\n"
        "Dort steht, wem Sie schreiben können."
    ),
}

A11Y_EN: dict[str, str] = {
    "nav.statement": "Accessibility",
    "nav.easy": "Easy language",
    "footer.label": "Footer",
    "footer.statement": "Accessibility statement",
    "footer.easy": "Easy language (Leichte Sprache)",
    "map.skip": "Skip the map: go to the list of partners",
    "map.list": "Partners on the map ({n})",
    "map.list_hint": "Press Enter on an entry to open its contact card.",
    "map.list_more": "Showing the first {shown} of {n} partners. Filters narrow the list; the "
                     "directory shows them all.",
    "map.frame_title": "Map of the partners",
    "map.frame_title_choropleth": "Map: {title}",
    "directory.view": "View",
    "directory.view.table": "Table (accessible)",
    "directory.view.grid": "Grid (select a row)",
    "directory.sort": "Sort by",
    "directory.order": "Order",
    "directory.order.asc": "ascending",
    "directory.order.desc": "descending",
    "directory.page": "Page",
    "directory.page_size": "Rows per page",
    "directory.caption": "Partners {first}–{last} of {total}, sorted by {column} ({order}), "
                         "page {page} of {pages}",
    "directory.card": "Contact card",
    "directory.card_pick": "Contact card of",
    "data.table": "The map's values as a table",
    "statement.title": "Accessibility statement",
    "statement.intro": "{region} strives to make the web application Partnernetz accessible in "
                       "accordance with the Disability Equality Act of North Rhine-Westphalia "
                       "(BGG NRW, §§ 10 to 10e) and the Accessible Information Technology Ordinance "
                       "NRW (BITVNRW). The standard is EN 301 549 and WCAG 2.1, levels A and AA.",
    "statement.state": "Compliance status",
    "statement.state_text": "Partnernetz is largely compliant with the BITVNRW. The content listed "
                            "below is not, or not fully, accessible; for each we name the accessible "
                            "alternative.",
    "statement.limits": "Non-accessible content and its alternatives",
    "statement.limit.tiles": "Background maps (OpenStreetMap, basemap.de) are images without a text "
                             "alternative. Alternative: the list of partners below the map (reached "
                             "with the “Skip the map” link), the directory as a table and the data "
                             "tables next to every map. The map can also be shown “no background”.",
    "statement.limit.map": "The map itself works with the keyboard: towns, groups and partners are "
                           "reached with Tab; Enter filters by a town, opens a group or a contact "
                           "card, Escape closes it, arrow keys and +/− pan and zoom. The position of "
                           "partners on the map is visual only; town and address are in the list and "
                           "the directory.",
    "statement.limit.grid": "Grid tables (selection in the directory, the coverage matrix) are drawn "
                            "as graphics and read only partly by screen readers. Alternative: the "
                            "directory's HTML table (view “Table”), the tables of the PDF report and "
                            "the downloads (CSV, Excel).",
    "statement.limit.sign": "There is no video in German Sign Language; it is not part of this "
                            "application. An explanation in Leichte Sprache (easy German) is on the "
                            "page “Easy language”.",
    "statement.limit.pdf": "The PDF report is a tagged PDF (PDF/UA-1) with headings, bookmarks, "
                           "table headers and alternative texts for the maps.",
    "statement.made": "Preparation of this statement",
    "statement.made_text": "The statement is based on a self-assessment: automated checks with "
                           "axe-core on every page (German and English), keyboard and zoom tests "
                           "(320 pixels wide, 200 %). Last review: {date}.",
    "statement.feedback": "Feedback and contact",
    "statement.feedback_text": "Have you found barriers, or do you need content in another form? "
                               "Write to us:",
    "statement.no_contact": "The registry names no accessibility contact yet. Please contact the "
                            "municipal integration centre of {region}.",
    "statement.contact_email": "E-mail",
    "statement.contact_phone": "Phone",
    "statement.enforcement": "Enforcement (ombudsman's office)",
    "statement.enforcement_text": "If you do not receive a satisfactory answer to your feedback, you "
                                  "can turn to the ombudsman's office for accessible information "
                                  "technology of North Rhine-Westphalia (§§ 10d, 10e BGG NRW).",
    "statement.enforcement_link": "Ombudsstelle für barrierefreie Informationstechnik des Landes NRW",
    "easy.title": "Easy language",
    "easy.body": (
        "This is Partnernetz.\n"
        "Partnernetz is a website.\n"
        "The website lists places that help people.\n"
        "For example: schools, nurseries and advice centres.\n"
        "The places are in your district.\n"
        "The municipal integration centre makes the website.\n"
        "\n"
        "How to use the website:\n"
        "On the left is a menu.\n"
        "In the menu is the page Map.\n"
        "The map shows where the places are.\n"
        "Below the map is a list.\n"
        "The list shows all places.\n"
        "Click on a place.\n"
        "Then you see: address, phone and e-mail.\n"
        "\n"
        "Are you looking for something special?\n"
        "Then use the filters.\n"
        "For example: your town or your language.\n"
        "Then you only see these places.\n"
        "\n"
        "The website is in German and in English.\n"
        "You can choose the language at the top of the menu.\n"
        "\n"
        "Do you have a problem with the website?\n"
        "Then read the page Accessibility.\n"
        "It says whom you can write to."
    ),
}

DE.update(A11Y_DE)
EN.update(A11Y_EN)

TEXTS: dict[str, dict[str, str]] = {"de": DE, "en": EN}


# --- Column headers and short labels of tables, exports and the report: key -> (German, English).

# Directory columns: key -> (German header, English header).
DIRECTORY_COLUMNS: dict[str, tuple[str, str]] = {
    "name": ("Name", "Name"),
    "category": ("Kategorie", "Category"),
    "subtype": ("Art", "Type"),
    "operator": ("Träger", "Operator"),
    "town": ("Ort", "Town"),
    "served": ("Zuständig für", "Responsible for"),
    "district": ("Ortsteil", "District"),
    "street": ("Straße", "Street"),
    "postcode": ("PLZ", "Postcode"),
    "phone": ("Telefon", "Phone"),
    "email": ("E-Mail", "E-mail"),
    "website": ("Website", "Website"),
    "languages": ("Sprachen", "Languages"),
    "offers": ("Angebote", "Offers"),
    "stages": ("Bildungskette", "Education chain"),
    "target_groups": ("Zielgruppen", "Target groups"),
    "opening_hours": ("Öffnungszeiten", "Opening hours"),
    "accessible": ("Barrierefrei", "Accessible"),
    "status": ("Status", "Status"),
    "verified": ("Zuletzt geprüft", "Last verified"),
    "contacts": ("Ansprechpersonen", "Contacts"),
    "notes": ("Notizen (intern)", "Notes (internal)"),
    "description": ("Beschreibung", "Description"),
    "id": ("ID", "ID"),
}


# Readable (German, English) headers of the exported long matrix
# (:func:`~partnernetz.analysis.matrix.coverage_table`).
EXPORT_HEADERS: dict[str, tuple[str, str]] = {
    "ags": ("AGS", "AGS"),
    "town": ("Ort", "Town"),
    "category": ("Kategorie (Schlüssel)", "Category (key)"),
    "category_label": ("Kategorie", "Category"),
    "population": ("Einwohner", "Population"),
    "located": ("im Ort", "in town"),
    "reachable": ("erreichbar", "reachable"),
    "per_10k": ("erreichbar je 10.000 Einw.", "reachable per 10,000"),
    "planned": ("geplant", "planned"),
    "inactive": ("inaktiv", "inactive"),
    "required": ("Ziel", "target"),
    "status": ("Ampel", "traffic light"),
    "nearest_km": ("nächste (km)", "nearest (km)"),
    "nearest_town": ("nächste in", "nearest in"),
}


# Readable (German, English) header of each attribute key column in the exports.
ATTRIBUTE_HEADERS: dict[str, tuple[str, str]] = {
    "stage": ("Stufe der Bildungskette", "Education-chain stage"),
    "language": ("Sprache", "Language"),
    "target_group": ("Zielgruppe", "Target group"),
}


STAGE_SHORT: dict[str, tuple[str, str]] = {
    "fruehe_foerderung": ("Frühe Förderung", "Early support"),
    "elementar": ("Elementar", "Early education"),
    "schule": ("Schule", "School"),
    "ausserschulisch": ("Außerschulisch", "Out-of-school"),
    "uebergang": ("Übergang", "Transition"),
    "erwachsene": ("Erwachsene", "Adults"),
}


# Short column headers of the default categories (coverage tables; the full label on hover).
CATEGORY_SHORT: dict[str, tuple[str, str]] = {
    "schule": ("Schulen", "Schools"),
    "kita": ("Kitas", "Day-care"),
    "jugendhilfe": ("Jugendhilfe", "Youth welfare"),
    "verwaltung": ("Ämter", "Offices"),
    "beratung": ("Beratung", "Counselling"),
    "einrichtung": ("Einrichtung", "Institutions"),
    "ehrenamt": ("Ehrenamt", "Volunteers"),
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``{placeholders}`` filled in.

    Falls back to German, then to the key itself, so a missing text never
    breaks a page.
    """
    text = TEXTS.get(lang, DE).get(key) or DE.get(key) or key
    return text.format(**values) if values else text
