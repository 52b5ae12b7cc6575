"""One source row becomes one registry entry, or a German reason why not.

Values are cleaned the way spreadsheets break them: a postcode or AGS that
lost its leading zero gets it back, a phone number stored as ``5253.0``
becomes ``05253``, language names become ISO codes ("Arabisch, Türkisch" →
``ar, tr``). Values starting with ``=``, ``+``, ``-`` or ``@`` stay text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
from pydantic import ValidationError

from partnernetz.exchange.mapping import ColumnMapping
from partnernetz.geo import gazetteer, townnames
from partnernetz.registry.models import Partner
from partnernetz.registry.report import describe_pydantic_error, format_field_path
from partnernetz.registry.vocabulary import (
    STAGES,
    STATUSES,
    TARGET_GROUPS,
    CategoryInfo,
    language_names,
)
from partnernetz.text import fold_text

LIST_FIELDS = ("languages", "target_groups", "stages", "offers")
_LIST_SPLIT = re.compile(r"\s*[,;|\n]\s*")
_FLOAT_DIGITS = re.compile(r"^(\d+)\.0+$")

# Common words in lists for the default categories (folded).
CATEGORY_WORDS: dict[str, str] = {
    "schule": "schule", "schulen": "schule", "grundschule": "schule", "gymnasium": "schule",
    "realschule": "schule", "hauptschule": "schule", "gesamtschule": "schule",
    "berufskolleg": "schule", "forderschule": "schule", "sekundarschule": "schule",
    "kita": "kita", "kitas": "kita", "kindergarten": "kita", "kindertagesstatte": "kita",
    "familienzentrum": "kita", "jugendhilfe": "jugendhilfe", "jugendzentrum": "jugendhilfe",
    "jugendamt": "jugendhilfe", "amt": "verwaltung", "verwaltung": "verwaltung",
    "behorde": "verwaltung", "beratung": "beratung", "beratungsstelle": "beratung",
    "einrichtung": "einrichtung", "verein": "ehrenamt", "initiative": "ehrenamt",
    "ehrenamt": "ehrenamt",
}
_YES = {"ja", "yes", "j", "y", "x", "1", "true", "wahr", "barrierefrei"}
_NO = {"nein", "no", "n", "0", "false", "falsch", "nicht barrierefrei"}


@dataclass(frozen=True)
class EntryResult:
    """A converted row: the entry (None when rejected) and the German reasons."""

    entry: dict[str, Any] | None
    reasons: tuple[str, ...] = ()


class EntryBuilder:
    """Converts source records with one mapping, for one region."""

    def __init__(self, mapping: ColumnMapping, *, towns: gpd.GeoDataFrame,
                 categories: Mapping[str, CategoryInfo]) -> None:
        self.mapping = mapping
        self.towns = towns
        self.town_names = dict(zip(towns["ags"], towns["name"], strict=True))
        self.categories = categories
        self._category_index = _label_index(
            {k: (c.label_de, c.label_en) for k, c in categories.items()})
        self._stage_index = _label_index(STAGES)
        self._group_index = _label_index(TARGET_GROUPS)
        self._status_index = _label_index(STATUSES)
        self._languages = _language_index()
        self._towns_cache: dict[str, str | None] = {}

    def build(self, record: Mapping[str, str]) -> EntryResult:
        """The registry entry of one record (header → text)."""
        raw: dict[str, str] = {}
        for header, value in record.items():
            target = self.mapping.target(header)
            if target is not None and value.strip():
                raw[target] = value.strip()
        for target, value in self.mapping.defaults.items():
            if target not in raw and value not in (None, ""):
                raw[target] = str(value) if not isinstance(value, list) else ", ".join(value)
        for target, table in self.mapping.values.items():
            if target in raw and raw[target] in table:
                raw[target] = table[raw[target]]
        reasons: list[str] = []
        entry = self._convert(raw, reasons)
        if reasons:
            return EntryResult(None, tuple(reasons))
        candidate = {"id": entry.get("id") or "import-pruefung", **entry}
        try:
            Partner.model_validate(candidate)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                path = format_field_path(error["loc"])
                reasons.append(f"{path}: {describe_pydantic_error(error)}")
            return EntryResult(None, tuple(reasons))
        return EntryResult(entry, ())

    # ------------------------------------------------------------------ conversion

    def _convert(self, raw: dict[str, str], reasons: list[str]) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        simple = ("id", "name", "subtype", "operator", "description", "email", "website",
                  "opening_hours", "notes")
        for key in simple:
            if key in raw:
                entry[key] = raw[key]
        if "name" not in entry:
            reasons.append("Name fehlt")
        self._convert_category(raw, entry, reasons)
        self._convert_town(raw, entry, reasons)
        address = {}
        if "address.street" in raw:
            address["street"] = raw["address.street"]
        if "address.postcode" in raw:
            address["postcode"] = fix_key_digits(raw["address.postcode"], 5)
        if "address.district" in raw:
            address["district"] = raw["address.district"]
        if address:
            entry["address"] = address
        if "location.lat" in raw or "location.lon" in raw:
            lat, lon = _number(raw.get("location.lat")), _number(raw.get("location.lon"))
            if lat is None or lon is None:
                reasons.append("Koordinaten unvollständig oder keine Zahlen "
                               f"({raw.get('location.lat', '')} / {raw.get('location.lon', '')})")
            elif not self._inside_region(lat, lon):
                reasons.append(f"Koordinaten ({lat:.5f}, {lon:.5f}) liegen außerhalb der Region")
            else:
                entry["location"] = {"lat": round(lat, 6), "lon": round(lon, 6)}
        phone = join_phone(raw.get("phone_prefix"), raw.get("phone"))
        if phone:
            entry["phone"] = phone
        for key, index in (("languages", self._languages), ("stages", self._stage_index),
                           ("target_groups", self._group_index)):
            if key in raw:
                entry[key] = self._keys(raw[key], index, key, reasons)
        if "offers" in raw:
            entry["offers"] = split_list(raw["offers"])
        if "accessible" in raw:
            value = fold_text(raw["accessible"])
            entry["accessible"] = "yes" if value in _YES else "no" if value in _NO else "unknown"
        if "status" in raw:
            status = self._status_index.get(fold_text(raw["status"]))
            if status is None:
                reasons.append(f"status: unbekannter Status '{raw['status']}' (aktiv, inaktiv, geplant)")
            else:
                entry["status"] = status
        if "verified" in raw:
            day = parse_date(raw["verified"])
            if day is None:
                reasons.append(f"verified: '{raw['verified']}' ist kein Datum (TT.MM.JJJJ)")
            else:
                entry["verified"] = day
        if "identifiers.schulnummer" in raw:
            entry["identifiers"] = {"schulnummer": fix_key_digits(raw["identifiers.schulnummer"], 6)}
        translations: dict[str, dict[str, Any]] = {}
        for key in raw:
            if key.startswith("translations."):
                _, lang, name = key.split(".", 2)
                value = split_list(raw[key]) if name == "offers" else raw[key]
                translations.setdefault(lang, {})[name] = value
        if translations:
            entry["translations"] = translations
        contact = {key.split(".", 2)[2]: raw[key] for key in raw if key.startswith("contacts.0.")}
        if contact:
            if "name" not in contact:
                reasons.append("Ansprechperson ohne Namen")
            else:
                if "phone" in contact:
                    contact["phone"] = join_phone(None, contact["phone"])
                entry["contacts"] = [{**contact, "visibility": "internal"}]
        return entry

    def _inside_region(self, lat: float, lon: float) -> bool:
        found = gazetteer.locate_points(np.array([lat]), np.array([lon]), self.towns)
        return found[0] is not None

    def _convert_category(self, raw: dict[str, str], entry: dict[str, Any],
                          reasons: list[str]) -> None:
        value = raw.get("category")
        if value is None:
            reasons.append("Kategorie fehlt (Spalte zuordnen oder in der Zuordnung "
                           "defaults: {category: …} angeben)")
            return
        folded = fold_text(value)
        key = self._category_index.get(folded) or CATEGORY_WORDS.get(folded)
        if key is None or key not in self.categories:
            known = ", ".join(self.categories)
            reasons.append(f"category: unbekannte Kategorie '{value}' (bekannt: {known}; "
                           "Werte in der Zuordnung unter values: category: übersetzen)")
            return
        entry["category"] = key

    def _convert_town(self, raw: dict[str, str], entry: dict[str, Any],
                      reasons: list[str]) -> None:
        ags_text = raw.get("town_ags")
        if ags_text:
            ags = fix_key_digits(ags_text, 8)
            if ags in self.town_names:
                entry["town"] = self.town_names[ags]
                return
            reasons.append(f"Gemeindeschlüssel {ags_text} gehört zu keinem Ort der Region")
            return
        town = raw.get("town")
        if not town:
            reasons.append("Ort fehlt")
            return
        if town not in self._towns_cache:
            self._towns_cache[town] = townnames.resolve_town(town, self.towns)
        ags = self._towns_cache[town]
        if ags is None:
            hint = townnames.suggest_town(town, self.towns)
            reasons.append(f"town: unbekannter Ort '{town}'" + (f" – meinten Sie {hint}?" if hint else ""))
            return
        entry["town"] = self.town_names[ags]

    def _keys(self, text: str, index: Mapping[str, str], field: str, reasons: list[str]
              ) -> list[str]:
        out: list[str] = []
        for item in split_list(text):
            key = index.get(fold_text(item))
            if key is None:
                reasons.append(f"{field}: unbekannter Wert '{item}'")
            elif key not in out:
                out.append(key)
        return out


# --------------------------------------------------------------------------- value helpers


def split_list(text: str) -> list[str]:
    """Split a cell listing several values (``,``, ``;``, ``|`` or new lines)."""
    return [part for part in _LIST_SPLIT.split(text.strip()) if part]


def fix_key_digits(text: str, digits: int) -> str:
    """Digits of an official key with its leading zeros back: ``5762004`` → ``05762004``.

    ``3034.0`` (a spreadsheet float) is read as ``3034``. Text that is not a
    number is returned unchanged, so validation can name it.
    """
    text = text.strip()
    match = _FLOAT_DIGITS.match(text)
    if match:
        text = match.group(1)
    if text.isdigit() and len(text) < digits:
        return text.zfill(digits)
    return text


def join_phone(prefix: str | None, number: str | None) -> str | None:
    """A phone number from an area code and a number, each maybe a float (``5253.0``).

    A German area code always starts with 0; one that lost it gets it back.
    """
    parts = []
    for part in (prefix, number):
        if part is None or not part.strip():
            continue
        part = part.strip()
        match = _FLOAT_DIGITS.match(part)
        if match:
            part = match.group(1)
        parts.append(part)
    if not parts:
        return None
    if prefix and len(parts) == 2 and parts[0].isdigit() and not parts[0].startswith("0"):
        parts[0] = "0" + parts[0]
    elif not prefix and len(parts) == 1 and parts[0].isdigit() and not parts[0].startswith("0"):
        parts[0] = _restore_zero(parts[0])
    return " ".join(parts)


def _restore_zero(digits: str) -> str:
    """``527299990`` (a number stored as a float) → ``0527299990`` when that is a valid number."""
    import phonenumbers

    try:
        with_zero = phonenumbers.parse("0" + digits, "DE")
    except phonenumbers.NumberParseException:
        return digits
    return "0" + digits if phonenumbers.is_valid_number(with_zero) else digits


def parse_date(text: str) -> dt.date | None:
    """``31.12.2025``, ``2025-12-31`` or ``31.12.25``; None when it is no date."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _label_index(labels: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for key, (de, en) in labels.items():
        for name in (key, de, en):
            index.setdefault(fold_text(name), key)
    return index


def _language_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for lang in ("de", "en"):
        for code, name in language_names(lang).items():
            index.setdefault(fold_text(name), code)
            index.setdefault(code, code)
    return index
