"""What the editing pages show and send: rights, form values, the check-up e-mail.

Pure functions; the pages turn widgets into the plain values handled here
and hand the resulting entry to :func:`partnernetz.registry.writer.apply_changes`.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from partnernetz.access import Role
from partnernetz.i18n import t
from partnernetz.registry.models import yaml_yes_no
from partnernetz.registry.vocabulary import (
    STAGES,
    TARGET_GROUPS,
    TRANSLATION_LANGUAGES,
    language_name,
)

__all__ = [
    "ALL_TOWNS",
    "CONTACT_COLUMNS",
    "TRANSLATED_FIELDS",
    "build_location_map",
    "changed_fields_text",
    "correction_mailto",
    "entry_from_form",
    "field_label",
    "form_field",
    "form_values",
    "may_add",
    "may_delete",
    "may_edit",
    "may_restore",
    "may_see_history",
    "owned_by",
    "readable_summary",
]

ALL_TOWNS = "all"
CONTACT_COLUMNS = ("name", "role", "phone", "email", "visibility")
TRANSLATED_FIELDS = ("description", "offers", "opening_hours")  # per language; offers one a line


# --------------------------------------------------------------------------- rights


def owned_by(entry: Mapping[str, Any], email: str | None) -> bool:
    """True when ``email`` is one of the entry's ``owners`` (case ignored)."""
    if not email:
        return False
    owners = entry.get("owners") or []
    return email.strip().casefold() in {str(o).strip().casefold() for o in owners}


def may_edit(role: Role, email: str | None, entry: Mapping[str, Any] | None) -> bool:
    """``redaktion`` and ``admin`` edit every entry; a signed-in owner edits their own."""
    if role >= Role.REDAKTION:
        return True
    return entry is not None and owned_by(entry, email)


def may_add(role: Role) -> bool:
    """New partners: ``redaktion`` and ``admin``."""
    return role >= Role.REDAKTION


def may_delete(role: Role) -> bool:
    """Deleting (with a reason): ``admin`` only."""
    return role >= Role.ADMIN


def may_restore(role: Role) -> bool:
    """Restoring the whole registry to an earlier version: ``admin`` only."""
    return role >= Role.ADMIN


def may_restore_partner(role: Role) -> bool:
    """Restoring one partner to an earlier version of it: ``redaktion`` and ``admin``."""
    return role >= Role.REDAKTION


def may_see_history(role: Role) -> bool:
    """The history page: ``redaktion`` and ``admin``."""
    return role >= Role.REDAKTION


# --------------------------------------------------------------------------- form


def form_values(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Widget values for an entry as in the file (flat; lists stay lists)."""
    address = entry.get("address") or {}
    location = entry.get("location") or {}
    serves = entry.get("serves")
    verified = entry.get("verified")
    if isinstance(verified, str):
        try:
            verified = dt.date.fromisoformat(verified[:10])
        except ValueError:
            verified = None
    return {
        "id": entry.get("id") or "",
        "name": entry.get("name") or "",
        "category": entry.get("category"),
        "subtype": entry.get("subtype") or "",
        "operator": entry.get("operator") or "",
        "description": entry.get("description") or "",
        "town": entry.get("town"),
        "street": address.get("street") or "",
        "postcode": str(address.get("postcode") or ""),
        "district": address.get("district") or "",
        "lat": _float(location.get("lat")),
        "lon": _float(location.get("lon")),
        "serves_all": serves == ALL_TOWNS,
        "serves": list(serves) if isinstance(serves, list) else [],
        "stages": list(entry.get("stages") or []),
        "target_groups": list(entry.get("target_groups") or []),
        "languages": list(entry.get("languages") or []),
        "offers": "\n".join(str(o) for o in entry.get("offers") or []),
        "phone": str(entry.get("phone") or ""),
        "email": entry.get("email") or "",
        "website": entry.get("website") or "",
        "opening_hours": entry.get("opening_hours") or "",
        "accessible": _yes_no(entry.get("accessible")),
        "status": entry.get("status") or "active",
        "verified": verified if isinstance(verified, dt.date) else None,
        "notes": entry.get("notes") or "",
        "owners": "\n".join(str(o) for o in entry.get("owners") or []),
        "contacts": [
            {column: (c.get(column) if column != "visibility" else c.get(column, "internal"))
             for column in CONTACT_COLUMNS}
            for c in entry.get("contacts") or [] if isinstance(c, Mapping)
        ],
        "translations": _translation_values(entry.get("translations")),
    }


def _translation_values(raw: Any) -> dict[str, dict[str, str]]:
    """Per guide language the three translated texts (offers one a line; empty: none)."""
    raw = raw if isinstance(raw, Mapping) else {}
    out = {}
    for code in TRANSLATION_LANGUAGES:
        texts = raw.get(code) if isinstance(raw.get(code), Mapping) else {}
        out[code] = {
            "description": str(texts.get("description") or ""),
            "offers": "\n".join(str(o) for o in texts.get("offers") or []),
            "opening_hours": str(texts.get("opening_hours") or ""),
        }
    return out


def _translations_from_form(values: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for code, texts in (values or {}).items():
        texts = texts or {}
        one: dict[str, Any] = {}
        for name in ("description", "opening_hours"):
            value = _clean(texts.get(name))
            if value is not None:
                one[name] = value
        offers = _lines(texts.get("offers") or "")
        if offers:
            one["offers"] = offers
        if one:
            out[code] = one
    return out


def _float(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _yes_no(value: Any) -> str:
    value = yaml_yes_no(value)
    return value if value in ("yes", "no") else "unknown"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def entry_from_form(values: Mapping[str, Any], *, keep: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The registry entry a submitted form describes (empty fields left out).

    ``keep`` holds fields the viewer was not shown (``notes``, ``owners`` for
    an owner without the ``redaktion`` role); they are carried over unchanged.
    """
    entry: dict[str, Any] = {}
    for key in ("id", "name", "category", "subtype", "operator", "description", "town"):
        value = _clean(values.get(key))
        if value is not None:
            entry[key] = value
    address = {k: _clean(values.get(k)) for k in ("street", "postcode", "district")}
    address = {k: v for k, v in address.items() if v is not None}
    if address:
        entry["address"] = address
    lat, lon = values.get("lat"), values.get("lon")
    if lat is not None and lon is not None:
        entry["location"] = {"lat": round(float(lat), 6), "lon": round(float(lon), 6)}
    if values.get("serves_all"):
        entry["serves"] = ALL_TOWNS
    elif values.get("serves"):
        entry["serves"] = list(values["serves"])
    for key in ("stages", "target_groups", "languages"):
        if values.get(key):
            entry[key] = list(values[key])
    offers = _lines(values.get("offers") or "")
    if offers:
        entry["offers"] = offers
    for key in ("phone", "email", "website"):
        value = _clean(values.get(key))
        if value is not None:
            entry[key] = value
    contacts = []
    for row in values.get("contacts") or []:
        contact = {k: _clean(row.get(k)) for k in CONTACT_COLUMNS}
        contact = {k: v for k, v in contact.items() if v is not None}
        if any(k != "visibility" for k in contact):
            contacts.append(contact)
    if contacts:
        entry["contacts"] = contacts
    value = _clean(values.get("opening_hours"))
    if value is not None:
        entry["opening_hours"] = value
    if values.get("accessible") in ("yes", "no"):
        entry["accessible"] = values["accessible"]
    if values.get("status") in ("inactive", "planned"):
        entry["status"] = values["status"]
    verified = values.get("verified")
    if isinstance(verified, dt.date):
        entry["verified"] = verified.isoformat()
    notes = _clean(values.get("notes"))
    if notes is not None:
        entry["notes"] = notes
    owners = _lines(values.get("owners") or "")
    if owners:
        entry["owners"] = owners
    translations = _translations_from_form(values.get("translations"))
    if translations:
        entry["translations"] = translations
    for key, value in (keep or {}).items():
        if value is None or value == []:
            entry.pop(key, None)
        else:
            entry[key] = value
    return entry


def form_field(issue_field: str) -> str:
    """The form field an issue belongs to: ``contacts[1].email`` → ``contacts``,
    ``address.postcode`` → ``postcode``, ``location.lat`` → ``location``."""
    name = issue_field
    if name.startswith("partners["):
        name = name[name.index("]") + 1:].lstrip(".")
    head = name.split(".")[0].split("[")[0]
    if head == "address" and "." in name:
        return name.split(".")[1]
    return head or "id"


# --------------------------------------------------------------------------- e-mail


def correction_mailto(
    record: Mapping[str, Any],
    *,
    region: str,
    category_label: str,
    town: str,
    sender: str | None = None,
) -> str | None:
    """A ``mailto:`` asking the partner whether their entry is still correct.

    Modelled on Karte von morgen's yearly "Ist der Eintrag noch aktuell?"
    mail: German subject, the entry's public data, a request for corrections.
    None when the partner has no public e-mail address.
    """
    to = (record.get("email") or "").strip()
    if not to:
        return None
    lines = [
        "Guten Tag,",
        "",
        f"im Partnernetz des Kommunalen Integrationszentrums ({region}) ist Ihre Einrichtung "
        "mit den folgenden Angaben eingetragen:",
        "",
    ]
    address = ", ".join(p for p in (record.get("street"), " ".join(
        p for p in (record.get("postcode"), town) if p)) if p)
    for label, value in (
        ("Name", record.get("name")),
        ("Art", category_label + (f" – {record['subtype']}" if record.get("subtype") else "")),
        ("Träger", record.get("operator")),
        ("Adresse", address),
        ("Telefon", record.get("phone")),
        ("E-Mail", record.get("email")),
        ("Website", record.get("website")),
        ("Öffnungszeiten", record.get("opening_hours")),
        ("Sprachen", _join(language_name(c) for c in record.get("languages") or ())),
        ("Bildungskette", _join(STAGES[s].de if s in STAGES else s for s in record.get("stages") or ())),
        ("Zielgruppen", _join(TARGET_GROUPS[g].de if g in TARGET_GROUPS else g
                              for g in record.get("target_groups") or ())),
        ("Angebote", _join(record.get("offers") or ())),
    ):
        if value:
            lines.append(f"{label}: {value}")
    lines += [
        "",
        "Ist der Eintrag noch aktuell? Bitte antworten Sie kurz auf diese E-Mail – mit den "
        "Korrekturen, falls sich etwas geändert hat, oder mit „stimmt so“.",
        "",
        "Vielen Dank und freundliche Grüße",
    ]
    if sender:
        lines.append(sender)
    subject = f"Ist Ihr Eintrag im Partnernetz noch aktuell? ({record.get('name') or ''})"
    query = urllib.parse.urlencode({"subject": subject, "body": "\n".join(lines)},
                                   quote_via=urllib.parse.quote)
    return f"mailto:{urllib.parse.quote(to, safe='@')}?{query}"


def _join(values: Iterable[Any]) -> str:
    return ", ".join(str(v) for v in values)


# registry keys whose form label differs from ``edit.field.<key>``
_LABEL_KEYS = {"address": "edit.field.street"}


def field_label(field: str, *, lang: str = "de") -> str:
    """The label people know for a registry field: ``phone`` → "Telefon",
    ``address.street`` → "Straße und Hausnummer", ``contacts[1].email`` →
    "Ansprechpersonen …"; a key without a label stays as it is."""
    name = form_field(field)
    key = _LABEL_KEYS.get(name, f"edit.field.{name}")
    label = t(key, lang)
    return name if label == key else label


def changed_fields_text(fields: Sequence[Any], *, lang: str = "de") -> str:
    """"Telefon, Straße und Hausnummer" – the fields a history entry changed, as labels."""
    return ", ".join(dict.fromkeys(field_label(getattr(f, "field", f), lang=lang) for f in fields))


_SUMMARY_FIELDS = re.compile(r"\(([A-Za-z_][\w.\[\], ]*)\)$")


def readable_summary(summary: str, *, lang: str = "de") -> str:
    """A history summary with field labels: "JMD: geändert (phone, email)" →
    "JMD: geändert (Telefon, E-Mail)". Works on older entries too (the keys are in
    the stored message)."""
    match = _SUMMARY_FIELDS.search(summary)
    if not match:
        return summary
    names = [n.strip() for n in match.group(1).split(",") if n.strip()]
    return summary[:match.start()] + "(" + changed_fields_text(names, lang=lang) + ")"


# --------------------------------------------------------------------------- location map


def build_location_map(
    *, lat: float, lon: float, marked: bool, basemap: str = "osm", height: int = 320,
) -> Any:
    """A small self-hosted map to set a partner's location by clicking (folium, no CDN).

    ``marked`` draws the current point; the page reads ``last_clicked`` back.
    """
    import folium

    from partnernetz.views.map_widget import BASEMAPS
    from partnernetz.views.maps import MAX_ZOOM, SelfHostedMap

    spec = BASEMAPS.get(basemap) or next(iter(BASEMAPS.values()))
    fmap = SelfHostedMap(location=[lat, lon], zoom_start=15 if marked else 12, tiles=None, height=height,
                         control_scale=True, maxZoom=MAX_ZOOM, minZoom=6)
    if spec.url:
        folium.TileLayer(tiles=spec.url, attr=spec.attribution, name=spec.label_de, max_zoom=MAX_ZOOM,
                         control=False).add_to(fmap)
    if marked:
        folium.CircleMarker([lat, lon], radius=8, color="#B00020", weight=3, fill=True,
                            fill_opacity=0.4).add_to(fmap)
    return fmap
