"""Column mapping: which source column fills which registry field.

German and English headers are recognised from :data:`SYNONYMS`; the rest
is asked for (app dropdowns, or ``--mapping FILE``). A mapping is saved as
a small YAML file::

    columns:                 # source header -> registry field (dotted for nested fields)
      Einrichtung: name
      Straße: address.street
      Ansprechpartner/in: contacts.0.name
      Sprachen: languages
    values:                  # per field: source value -> registry value
      category: {Kita: kita, Grundschule: schule, Verein: ehrenamt}
    defaults: {status: active}

Besides registry fields a column may map to ``town_ags`` (official key of
the town, wins over ``town``), ``phone_prefix`` (the area code of a split
phone number) or ``ignore``. Translations for the public guide come from
columns such as ``description_ar``, ``offers_tr``, ``opening_hours_uk``
(target ``translations.ar.description`` …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from partnernetz.errors import ImportFileError
from partnernetz.exchange.sources import read_file_bytes
from partnernetz.files import write_text_atomically
from partnernetz.registry.vocabulary import TRANSLATION_LANGUAGES
from partnernetz.text import fold_text

IGNORE = "ignore"
MAX_MAPPING_BYTES = 1024 * 1024

# Target fields a column may map to, with their German label (for the app's dropdowns).
FIELDS: dict[str, str] = {
    "name": "Name der Einrichtung",
    "category": "Kategorie",
    "subtype": "Art",
    "operator": "Träger",
    "description": "Beschreibung",
    "town": "Ort",
    "town_ags": "Gemeindeschlüssel (AGS)",
    "address.street": "Straße und Hausnummer",
    "address.postcode": "PLZ",
    "address.district": "Ortsteil",
    "location.lat": "Breitengrad",
    "location.lon": "Längengrad",
    "phone": "Telefon",
    "phone_prefix": "Telefon-Vorwahl",
    "email": "E-Mail",
    "website": "Website",
    "languages": "Sprachen",
    "target_groups": "Zielgruppen",
    "stages": "Bildungskette",
    "offers": "Angebote",
    "opening_hours": "Öffnungszeiten",
    "accessible": "Barrierefrei",
    "status": "Status",
    "verified": "Zuletzt geprüft",
    "identifiers.schulnummer": "Schulnummer",
    "contacts.0.name": "Ansprechperson: Name",
    "contacts.0.role": "Ansprechperson: Funktion",
    "contacts.0.phone": "Ansprechperson: Telefon",
    "contacts.0.email": "Ansprechperson: E-Mail",
    "notes": "Notizen (intern)",
    "id": "ID",
    IGNORE: "(nicht importieren)",
}

SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("Einrichtung", "Name der Einrichtung", "Name", "Bezeichnung", "Institution",
             "Organisation", "Organization", "Facility", "Schulname", "Schulbezeichnung",
             "Schulbezeichnung_1", "Amtliche Bezeichnung 1", "Partner"),
    "category": ("Kategorie", "Art", "Category", "Bereich"),
    "subtype": ("Schulform", "Typ", "Einrichtungsart", "Subtype", "Type"),
    "operator": ("Träger", "Traeger", "Operator", "Provider", "Trägerschaft"),
    "description": ("Beschreibung", "Description", "Kurzbeschreibung"),
    "town": ("Ort", "Stadt", "Gemeinde", "Town", "City", "Municipality", "Stadt/Gemeinde"),
    "town_ags": ("AGS", "Gemeindeschlüssel", "Gemeindeschluessel", "Amtlicher Gemeindeschlüssel",
                 "Gemeindekennziffer"),
    "address.street": ("Straße", "Str.", "Strasse", "Straße und Hausnummer", "Straße, Hausnummer",
                       "Anschrift", "Adresse", "Street", "Address", "Straße/Hausnummer"),
    "address.postcode": ("PLZ", "Postleitzahl", "Postcode", "Postal code", "Zip", "ZIP code"),
    "address.district": ("Ortsteil", "Stadtteil", "District", "Ortschaft"),
    "location.lat": ("latitude", "lat", "Breitengrad", "Breite"),
    "location.lon": ("longitude", "lon", "lng", "Längengrad", "Länge"),
    "phone": ("Telefon", "Tel.", "Tel", "Telefonnummer", "Phone", "Telephone",
              "Telefonnummer Durchwahl", "Rufnummer"),
    "phone_prefix": ("Vorwahl", "Telefonvorwahl", "Telefonnummer Vorwahl"),
    "email": ("E-Mail", "Email", "E-Mail-Adresse", "Mail", "Offizielle E-Mail-Adresse", "e-mail"),
    "website": ("Homepage", "Website", "Webseite", "Internet", "Internetseite", "URL", "Web"),
    "languages": ("Sprachen", "Sprache", "Languages", "Language", "Angebotssprachen"),
    "target_groups": ("Zielgruppe", "Zielgruppen", "Target group", "Target groups"),
    "stages": ("Bildungskette", "Stufe", "Stufen", "Stages"),
    "offers": ("Angebote", "Angebot", "Offers", "Services", "Leistungen"),
    "opening_hours": ("Öffnungszeiten", "Sprechzeiten", "Opening hours"),
    "accessible": ("Barrierefrei", "Barrierefreiheit", "Accessible"),
    "status": ("Status",),
    "verified": ("Zuletzt geprüft", "Geprüft", "Stand", "Last verified"),
    "identifiers.schulnummer": ("Schulnummer", "Schul-Nr.", "Schulnr"),
    "contacts.0.name": ("Ansprechpartner/in", "Ansprechpartner", "Ansprechpartnerin",
                        "Ansprechperson", "Ansprechpersonen", "Kontaktperson", "Kontakt",
                        "Contact", "Contact person"),
    "contacts.0.role": ("Funktion", "Rolle", "Role"),
    "notes": ("Notizen", "Bemerkung", "Bemerkungen", "Notes"),
    "id": ("ID", "Kennung"),
}


# Translations for the public guide: description_ar, offers_tr, opening_hours_uk …
TRANSLATED_FIELDS = {"description": ("Beschreibung", "description"),
                     "offers": ("Angebote", "offers"),
                     "opening_hours": ("Öffnungszeiten", "opening_hours")}
for _lang in TRANSLATION_LANGUAGES:
    for _field, (_label, _english) in TRANSLATED_FIELDS.items():
        FIELDS[f"translations.{_lang}.{_field}"] = f"{_label} ({_lang})"
        SYNONYMS[f"translations.{_lang}.{_field}"] = (f"{_english}_{_lang}", f"{_label} {_lang}")


def _header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold_text(header))


_SYNONYM_INDEX: dict[str, str] = {
    _header_key(s): target for target, names in SYNONYMS.items() for s in names
}


def recognise_header(header: str) -> str | None:
    """The registry field a column header names, or None when it is not known."""
    return _SYNONYM_INDEX.get(_header_key(header))


def is_known_header(header: str) -> bool:
    """Whether ``header`` is one of the synonyms (helps find the header row)."""
    return recognise_header(header) is not None


@dataclass(frozen=True)
class ColumnMapping:
    """Source header → field, value translations per field, and defaults."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)

    def target(self, header: str) -> str | None:
        """The field of one header, None when the header is not mapped."""
        target = self.columns.get(header)
        return None if target in (None, IGNORE) else target

    def with_columns(self, columns: Mapping[str, str]) -> ColumnMapping:
        """A copy with some headers (re)mapped."""
        return ColumnMapping({**self.columns, **columns}, self.values, self.defaults)

    def to_yaml(self) -> str:
        """The mapping in its YAML form."""
        data: dict[str, Any] = {"columns": dict(self.columns)}
        if self.values:
            data["values"] = {k: dict(v) for k, v in self.values.items()}
        if self.defaults:
            data["defaults"] = dict(self.defaults)
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


def guess_mapping(headers: Sequence[str], base: ColumnMapping | None = None) -> ColumnMapping:
    """Recognise the headers; ``base`` (a saved mapping) wins where it names a header.

    Two columns recognised as the same field: the first keeps it. ``Art``
    next to ``Kategorie`` is the subtype.
    """
    base = base or ColumnMapping()
    columns: dict[str, str] = {}
    taken = {t for h, t in base.columns.items() if h in headers and t != IGNORE}
    has_category = any(recognise_header(h) == "category" and _header_key(h) != "art"
                       for h in headers)
    for header in headers:
        if header in base.columns:
            columns[header] = base.columns[header]
            continue
        target = recognise_header(header)
        if target == "category" and _header_key(header) == "art" and has_category:
            target = "subtype"
        if target is None or target in taken:
            continue
        columns[header] = target
        taken.add(target)
    return ColumnMapping(columns, dict(base.values), dict(base.defaults))


def unmapped_headers(headers: Iterable[str], mapping: ColumnMapping) -> list[str]:
    """Headers the mapping does not name (they are ignored; the report says so once)."""
    return [h for h in headers if h not in mapping.columns]


def read_mapping(path: str | Path) -> ColumnMapping:
    """Read a mapping YAML file.

    Raises
    ------
    ImportFileError
        Missing file, bad YAML, or a field that does not exist.
    """
    raw = read_file_bytes(path, max_bytes=MAX_MAPPING_BYTES, limit_text="höchstens 1 MB",
                          what="Zuordnungsdatei")
    return load_mapping(raw, file=str(path))


def load_mapping(raw: bytes, *, file: str) -> ColumnMapping:
    """A mapping from the bytes of its YAML file (an upload or a file), bounded.

    Raises
    ------
    ImportFileError
        Too big, not UTF-8, not YAML, nested too deeply, or not a mapping.
    """
    if len(raw) > MAX_MAPPING_BYTES:
        raise ImportFileError(f"{file}: Zuordnungsdatei ist größer als 1 MB")
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportFileError(f"{file}: Zuordnungsdatei ist nicht UTF-8-kodiert") from None
    except yaml.YAMLError as exc:
        raise ImportFileError(f"{file}: Zuordnungsdatei ist kein gültiges YAML ({exc})") from None
    except RecursionError:
        raise ImportFileError(f"{file}: Zuordnungsdatei ist zu tief verschachtelt") from None
    return parse_mapping(data, file=file)


def parse_mapping(data: Any, *, file: str) -> ColumnMapping:
    """Check the parsed mapping data and build a :class:`ColumnMapping`."""
    if data is None:
        return ColumnMapping()
    if not isinstance(data, dict) or set(data) - {"columns", "values", "defaults"}:
        raise ImportFileError(f"{file}: erwartet die Abschnitte columns, values und defaults")
    columns = data.get("columns") or {}
    values = data.get("values") or {}
    defaults = data.get("defaults") or {}
    if not all(isinstance(x, dict) for x in (columns, values, defaults)):
        raise ImportFileError(f"{file}: columns, values und defaults müssen Zuordnungen sein")
    out_columns = {}
    for header, target in columns.items():
        target = str(target)
        if target not in FIELDS:
            raise ImportFileError(
                f"{file}: columns.{header}: unbekanntes Feld '{target}' "
                f"(möglich: {', '.join(FIELDS)})"
            )
        out_columns[str(header)] = target
    out_values = {}
    for target, table in values.items():
        if not isinstance(table, dict):
            raise ImportFileError(f"{file}: values.{target}: erwartet Quellwert: Registry-Wert")
        if any(isinstance(v, dict | list) for v in table.values()):
            raise ImportFileError(f"{file}: values.{target}: Werte müssen Text sein")
        out_values[str(target)] = {str(k): str(v) for k, v in table.items()}
    return ColumnMapping(out_columns, out_values, {str(k): v for k, v in defaults.items()})


def write_mapping(path: str | Path, mapping: ColumnMapping) -> None:
    """Save a mapping (atomically) so the next import of the same list needs no questions."""
    write_text_atomically(path, mapping.to_yaml())
