"""The registry's data model: what ``data/partners.yaml`` may contain.

These pydantic models check form and types of single values (an e-mail
address, a postcode, a language code). Checks that need more than one value
or the gazetteer (unknown towns, duplicate ids, unknown categories, a point in
the wrong town) live in :mod:`partnernetz.registry.check`.

Messages are German, because coordinators read them; each one names the value
that is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from partnernetz.registry.vocabulary import ICONS, TRANSLATION_LANGUAGES, is_language_code

Stage = Literal[
    "fruehe_foerderung", "elementar", "schule", "ausserschulisch", "uebergang", "erwachsene"
]
TargetGroup = Literal["kinder", "jugendliche", "eltern", "erwachsene", "neuzugewanderte", "fachkraefte"]
Status = Literal["active", "inactive", "planned"]
Accessible = Literal["yes", "no", "unknown"]
Visibility = Literal["public", "internal"]

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
POSTCODE_RE = re.compile(r"^\d{5}$")
PHONE_RE = re.compile(r"^\+?[0-9 ()/\-.]+$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]{2,}$", re.IGNORECASE)
KREIS_RE = re.compile(r"^\d{5}$")
IDENTIFIER_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# Dot-atom local part @ domain of labels (letters incl. umlauts, digits, hyphens) with a TLD.
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$"
)


def _error(kind: str, template: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, template, context)


def _text(value: Any) -> Any:
    """Strip surrounding white space; turn empty text into ``None``."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _none_as_empty(factory: type) -> BeforeValidator:
    """``key:`` with nothing after it (YAML null) is the empty list or mapping."""
    return BeforeValidator(lambda value: factory() if value is None else value)


def yaml_yes_no(value: Any) -> Any:
    """YAML 1.1 reads unquoted ``yes``/``no`` as booleans; take them back."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


def _postcode(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if 1000 <= value <= 99999:
            return f"{value:05d}"
        raise _error(
            "postcode", "'{value}' ist keine gültige Postleitzahl (5 Ziffern, in Anführungszeichen)",
            value=value,
        )
    value = _text(value)
    if isinstance(value, str) and not POSTCODE_RE.match(value):
        raise _error("postcode", "'{value}' ist keine gültige Postleitzahl (5 Ziffern)", value=value)
    return value


def _phone(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _error(
            "phone",
            "Telefonnummer {value} bitte in Anführungszeichen schreiben, z. B. \"05271 12345\"",
            value=value,
        )
    value = _text(value)
    if isinstance(value, str):
        digits = sum(ch.isdigit() for ch in value)
        if not PHONE_RE.match(value) or digits < 6 or digits > 20:
            raise _error("phone", "'{value}' ist keine gültige Telefonnummer", value=value)
    return value


def _email(value: Any) -> Any:
    value = _text(value)
    if isinstance(value, str) and (len(value) > 254 or not EMAIL_RE.match(value)):
        raise _error("email", "'{value}' ist keine gültige E-Mail-Adresse", value=value)
    return value


def _url(value: Any) -> Any:
    value = _text(value)
    if isinstance(value, str):
        candidate = value if "://" in value else f"https://{value}"
        if not URL_RE.match(candidate):
            raise _error("url", "'{value}' ist keine gültige Web-Adresse (URL)", value=value)
        return candidate
    return value


def _language(value: Any) -> Any:
    value = _text(value)
    if isinstance(value, str) and not is_language_code(value):
        raise _error(
            "language", "'{value}' ist kein Sprachcode nach ISO 639-1 (z. B. de, ar, uk)",
            value=value,
        )
    return value


def _translation_language(value: Any) -> Any:
    if value not in TRANSLATION_LANGUAGES:
        raise _error(
            "translation_language",
            "'{value}' ist keine Sprache für Übersetzungen (erlaubt: {allowed})",
            value=value, allowed=", ".join(TRANSLATION_LANGUAGES),
        )
    return value


def _key_from_number(value: Any, digits: int, example: str) -> Any:
    """Official keys written without quotes arrive as numbers: "05762" as 5762.

    YAML 1.2 reads them as decimal numbers, so the leading zero is restored
    exactly. Numbers of the wrong size are an error.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if 10 ** (digits - 2) <= value < 10**digits:
            return f"{value:0{digits}d}"
        raise _error(
            "quote_key",
            "Schlüssel {value} bitte in Anführungszeichen schreiben, z. B. \"{example}\"",
            value=value, example=example,
        )
    return _text(value)


def _ags_or_text(value: Any) -> Any:
    return _key_from_number(value, 8, "05762020")


def _kreis_key(value: Any) -> Any:
    return _key_from_number(value, 5, "05762")


def _identifier_key(value: Any) -> Any:
    if isinstance(value, str) and not IDENTIFIER_KEY_RE.match(value):
        raise _error(
            "identifier_key",
            "'{value}' ist kein gültiger Kennungs-Name (Kleinbuchstaben, z. B. schulnummer)",
            value=value,
        )
    return value


def _identifier_value(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    value = _text(value)
    if value is None:
        raise _error("identifier_value", "Kennung ist leer")
    return value


# Length limits: names, labels and keys; free descriptions and notes; list sizes.
MAX_SHORT = 200
MAX_MEDIUM = 1000
MAX_LONG = 5000
MAX_ITEMS = 50
MAX_TOWNS = 500

Text = Annotated[str, BeforeValidator(_text), StringConstraints(max_length=MAX_SHORT)]
# Optional texts: the length applies to a text, never to the empty value (``key:`` or
# ``key: ""``, which _text turns into None; a constraint on ``str | None`` raised TypeError).
ShortStr = Annotated[str, StringConstraints(max_length=MAX_SHORT)]
MediumStr = Annotated[str, StringConstraints(max_length=MAX_MEDIUM)]
LongStr = Annotated[str, StringConstraints(max_length=MAX_LONG)]
OptText = Annotated[ShortStr | None, BeforeValidator(_text)]
MediumText = Annotated[MediumStr | None, BeforeValidator(_text)]
LongText = Annotated[LongStr | None, BeforeValidator(_text)]
Postcode = Annotated[str | None, BeforeValidator(_postcode)]
Phone = Annotated[str | None, BeforeValidator(_phone)]
Email = Annotated[str | None, BeforeValidator(_email)]
Url = Annotated[str | None, BeforeValidator(_url), StringConstraints(max_length=MAX_MEDIUM)]
TownRef = Annotated[str, BeforeValidator(_ags_or_text), StringConstraints(max_length=MAX_SHORT)]
LanguageCode = Annotated[str, BeforeValidator(_language)]


def _search_term(value: Any) -> Any:
    """A word or word group of ``search_synonyms``: text with at least one letter or digit."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = value.strip()
        if not re.search(r"\w", value):
            raise _error("search_term", "'{value}' ist kein Suchbegriff (mindestens ein Buchstabe "
                         "oder eine Ziffer)", value=value)
    return value


SearchTerm = Annotated[str, BeforeValidator(_search_term), StringConstraints(max_length=MAX_SHORT)]
MAX_SEARCH_TERMS = 1000  # entries of ``search_synonyms``
MAX_ALTERNATIVES = 30  # words or word groups per entry
OwnerEmail = Annotated[str, BeforeValidator(_email)]


TranslationLanguage = Annotated[str, BeforeValidator(_translation_language)]
IdentifierKey = Annotated[str, BeforeValidator(_identifier_key)]
IdentifierValue = Annotated[str, BeforeValidator(_identifier_value), StringConstraints(max_length=MAX_SHORT)]


class Address(BaseModel, frozen=True, extra="forbid"):
    """Postal address of a partner; the town is the partner's ``town``."""

    street: OptText = Field(None, description="Straße und Hausnummer")
    postcode: Postcode = Field(None, description="Postleitzahl, 5 Ziffern")
    district: OptText = Field(None, description="Ortsteil")


class Location(BaseModel, frozen=True, extra="forbid"):
    """A point in WGS84 (EPSG:4326)."""

    lat: float = Field(ge=-90, le=90, description="Breitengrad (WGS84)")
    lon: float = Field(ge=-180, le=180, description="Längengrad (WGS84)")


class Contact(BaseModel, frozen=True, extra="forbid"):
    """A contact person. Internal unless marked ``public``."""

    name: Text = Field(description="Name der Ansprechperson")
    role: OptText = Field(None, description="Funktion")
    phone: Phone = None
    email: Email = None
    visibility: Visibility = Field(
        "internal", description="public: öffentlich sichtbar; internal: nur intern (Standard)"
    )


class Translation(BaseModel, frozen=True, extra="forbid"):
    """A partner's free texts in one more language (for the public guide)."""

    description: LongText = Field(None, description="Kurzbeschreibung in dieser Sprache")
    offers: Annotated[list[Text], Field(max_length=MAX_ITEMS)] | None = Field(
        None, description="Angebote in dieser Sprache, in derselben Reihenfolge")
    opening_hours: MediumText = Field(None, description="Öffnungszeiten in dieser Sprache")


class Partner(BaseModel, frozen=True, extra="forbid"):
    """One partner organisation of the network."""

    id: Text = Field(description="Eindeutige, stabile Kennung (Kleinbuchstaben, Ziffern, Bindestriche)")
    name: Text = Field(description="Name der Einrichtung")
    category: Text = Field(description="Kategorie, z. B. schule, kita, beratung")
    subtype: OptText = Field(None, description="Art, z. B. Grundschule oder Familienzentrum")
    operator: OptText = Field(None, description="Träger")
    description: LongText = Field(None, description="Kurzbeschreibung")
    town: TownRef = Field(description="Ort (Name oder 8-stelliger Gemeindeschlüssel)")
    address: Address | None = None
    location: Location | None = Field(None, description="Koordinaten; ersetzen die Geokodierung")
    serves: Annotated[list[TownRef], Field(max_length=MAX_TOWNS)] | Literal["all"] | None = Field(
        None, description="Versorgte Orte, oder all für den ganzen Kreis; Standard: der eigene Ort"
    )
    stages: list[Stage] = Field(default_factory=list, max_length=MAX_ITEMS,
                               description="Stufen der Bildungskette")
    target_groups: list[TargetGroup] = Field(default_factory=list, max_length=MAX_ITEMS,
                                             description="Zielgruppen")
    languages: list[LanguageCode] = Field(default_factory=list, max_length=MAX_ITEMS,
                                          description="Sprachen (ISO 639-1)")
    offers: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS,
                               description="Angebote, freie Schlagwörter")
    phone: Phone = None
    email: Email = None
    website: Url = None
    contacts: list[Contact] = Field(default_factory=list, max_length=MAX_ITEMS)
    identifiers: dict[IdentifierKey, IdentifierValue] = Field(
        default_factory=dict,
        description="Amtliche Kennungen, z. B. schulnummer: \"199999\" (Schulnummer NRW)",
    )
    opening_hours: MediumText = Field(None, description="Öffnungszeiten")
    accessible: Annotated[Accessible, BeforeValidator(yaml_yes_no)] = Field(
        "unknown", description="Barrierefrei: yes, no oder unknown"
    )
    status: Status = Field("active", description="active, inactive oder planned")
    verified: dt.date | None = Field(None, description="Zuletzt geprüft am (JJJJ-MM-TT)")
    notes: LongText = Field(None, description="Interne Notizen; werden nie angezeigt")
    owners: list[OwnerEmail] = Field(
        default_factory=list, max_length=MAX_ITEMS,
        description="E-Mail-Adressen der Personen, die diesen Eintrag selbst pflegen dürfen",
    )
    mail_language: Literal["de", "en"] | None = Field(
        None, description="Sprache der E-Mails an den Partner (Nachfrage „Noch aktuell?“): de oder en",
    )
    translations: dict[TranslationLanguage, Translation] = Field(
        default_factory=dict,
        description="Übersetzungen von Beschreibung, Angeboten und Öffnungszeiten für den "
                    "öffentlichen Wegweiser, je Sprache (" + ", ".join(TRANSLATION_LANGUAGES) + ")",
    )

    @field_validator("translations")
    @classmethod
    def _check_translated_offers(cls, value: dict[str, Translation],
                                 info: ValidationInfo) -> dict[str, Translation]:
        offers = info.data.get("offers") or []
        for lang, translation in value.items():
            if translation.offers and len(translation.offers) != len(offers):
                raise _error(
                    "translation_offers",
                    "Übersetzung '{lang}': {given} Angebote übersetzt, der Eintrag hat {count} "
                    "(bitte alle Angebote in derselben Reihenfolge übersetzen)",
                    lang=lang, given=len(translation.offers), count=len(offers),
                )
        return value

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not SLUG_RE.match(value):
            raise _error(
                "slug",
                "'{value}' ist keine gültige id (nur a-z, 0-9 und Bindestriche, z. B. "
                "kita-sonnenschein-brakel)",
                value=value,
            )
        return value


class CategoryDef(BaseModel, frozen=True, extra="forbid"):
    """A category defined in the registry's ``categories:`` section."""

    label: Text = Field(description="Deutsche Bezeichnung")
    label_en: OptText = Field(None, description="Englische Bezeichnung")
    colour: str = Field(description="Farbe als #rrggbb")
    icon: str = Field("info", description="Symbol: " + ", ".join(ICONS))

    @field_validator("colour")
    @classmethod
    def _check_colour(cls, value: str) -> str:
        if not COLOUR_RE.match(value):
            raise _error("colour", "'{value}' ist keine Farbe der Form #rrggbb", value=value)
        return value.upper()

    @field_validator("icon")
    @classmethod
    def _check_icon(cls, value: str) -> str:
        if value not in ICONS:
            raise _error(
                "icon", "'{value}' ist kein bekanntes Symbol (erlaubt: {allowed})",
                value=value, allowed=", ".join(ICONS),
            )
        return value


class Target(BaseModel, frozen=True, extra="forbid"):
    """A coverage target for one category.

    ``min_reachable`` partners must be reachable from every town; with
    ``per_10k`` the target grows with the population instead.
    """

    min_reachable: int = Field(1, ge=0, description="Mindestens so viele erreichbare Partner")
    per_10k: float | None = Field(
        None, gt=0, description="Erreichbare Partner je 10.000 Einwohner (Zielwert)"
    )


class AccessibilityContact(BaseModel, frozen=True, extra="forbid"):
    """Whom to tell about barriers (the feedback contact of the accessibility statement)."""

    name: OptText = Field(None, description="Stelle oder Person, z. B. KI Kreis Höxter")
    email: Email = Field(None, description="E-Mail-Adresse für Rückmeldungen zur Barrierefreiheit")
    phone: Phone = Field(None, description="Telefon für Rückmeldungen zur Barrierefreiheit")


class Region(BaseModel, frozen=True, extra="forbid"):
    """The Kreis (or kreisfreie Stadt) the registry covers."""

    name: Text = Field(description="Name der Region, z. B. Kreis Höxter")
    kreis: Annotated[str, BeforeValidator(_kreis_key)] = Field(
        description="Kreisschlüssel, 5 Ziffern in Anführungszeichen, z. B. \"05762\""
    )
    accessibility: AccessibilityContact | None = Field(
        None, description="Kontakt für Rückmeldungen zur Barrierefreiheit (Erklärung zur "
                          "Barrierefreiheit der App)"
    )
    logo: OptText = Field(
        None, description="Logo des KI für die Berichte: Pfad zu einer PNG-, JPEG- oder "
                          "SVG-Datei, relativ zur Registry-Datei, z. B. logos/ki.svg"
    )
    sender: OptText = Field(
        None, description="Absenderzeile der Berichte (oben auf jeder Seite), z. B. "
                          "Kommunales Integrationszentrum Kreis Höxter · Musterstraße 1 · 37671 Höxter"
    )

    @field_validator("logo")
    @classmethod
    def _check_logo(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
            raise _error("logo", "'{value}' ist kein Dateipfad: das Logo muss eine Datei neben "
                         "der Registry sein (keine Web-Adresse)", value=value)
        parts = re.split(r"[\\/]", value)
        if value.startswith(("/", "\\")) or ".." in parts:
            raise _error("logo", "'{value}': das Logo muss neben der Registry oder in einem "
                         "Ordner darunter liegen (kein absoluter Pfad, kein ..)", value=value)
        if not re.search(r"\.(png|jpe?g|svg)$", value, re.IGNORECASE):
            raise _error("logo", "'{value}' ist keine Bilddatei (erlaubt: .png, .jpg, .jpeg, .svg)",
                         value=value)
        return value

    @field_validator("kreis")
    @classmethod
    def _check_kreis(cls, value: str) -> str:
        if not KREIS_RE.match(value):
            raise _error("kreis", "'{value}' ist kein Kreisschlüssel (5 Ziffern)", value=value)
        return value


class Registry(BaseModel, frozen=True, extra="forbid"):
    """The whole registry file."""

    region: Region
    categories: Annotated[dict[str, CategoryDef], _none_as_empty(dict)] = Field(
        default_factory=dict, description="Zusätzliche oder geänderte Kategorien"
    )
    targets: Annotated[dict[str, Target], _none_as_empty(dict)] = Field(
        default_factory=dict, description="Versorgungsziele je Kategorie"
    )
    search_synonyms: dict[SearchTerm, list[SearchTerm]] = Field(
        default_factory=dict,
        description="Zusätzliche Suchbegriffe: Begriff → Wörter, die die Suche stattdessen auch "
                    "findet, z. B. FZ: [Familienzentrum] (ergänzt die Liste des Programms)",
    )
    # ``partners: []``, ``partners:`` and no key at all: a registry with no partners yet.
    partners: Annotated[list[Partner], _none_as_empty(list)] = Field(default_factory=list)

    @field_validator("search_synonyms")
    @classmethod
    def _check_search_synonyms(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        if len(value) > MAX_SEARCH_TERMS:
            raise _error("search_synonyms", "Zu viele Suchbegriffe ({count}, höchstens {limit})",
                         count=len(value), limit=MAX_SEARCH_TERMS)
        for key, words in value.items():
            if not words:
                raise _error("search_synonyms", "Suchbegriff '{key}' ohne Wörter (erwartet: "
                             "{key}: [Wort, …])", key=key)
            if len(words) > MAX_ALTERNATIVES:
                raise _error("search_synonyms", "Suchbegriff '{key}' hat {count} Wörter "
                             "(höchstens {limit})", key=key, count=len(words),
                             limit=MAX_ALTERNATIVES)
        return value

    @field_validator("categories")
    @classmethod
    def _check_category_keys(cls, value: dict[str, CategoryDef]) -> dict[str, CategoryDef]:
        for key in value:
            if not SLUG_RE.match(key):
                raise _error("category_key", "'{value}' ist kein gültiger Kategorie-Schlüssel", value=key)
        return value
