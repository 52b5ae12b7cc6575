"""Open Referral HSDS 3.0: the JSON form and the tabular CSV datapackage.

German profile (see ``docs/hsds.md``): each partner is one organization
with one service at one location; the towns it serves are service areas
named by their AGS (``extent_type: ags``); category, Bildungskette stages,
target groups and accessibility are taxonomy terms linked as attributes;
``verified`` is the service's ``assured_date``; a Schulnummer is an
organization identifier. Ids are UUIDs derived from the registry id, so a
new export keeps them stable.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pandas as pd

from partnernetz.dataset import Dataset
from partnernetz.exchange.export import neutralise_value
from partnernetz.exchange.selection import Selection, select_partners
from partnernetz.filters import FilterSpec
from partnernetz.registry.vocabulary import ACCESSIBILITY, STAGES, TARGET_GROUPS, language_name

HSDS_VERSION = "3.0"
NAMESPACE = uuid.UUID("5b0f6a62-5a8e-4c7e-9a59-7f1f3b0c8e21")
_NAMESPACE_BYTES = NAMESPACE.bytes
STATUS = {"active": "active", "inactive": "inactive", "planned": "inactive"}
TAXONOMIES: dict[str, str] = {
    "partnernetz-kategorie": "Kategorien des Partnernetzes (Art des Partners)",
    "partnernetz-bildungskette": "Stufen der Bildungskette",
    "partnernetz-zielgruppe": "Zielgruppen",
    "partnernetz-barrierefreiheit": "Barrierefreiheit",
}
# Tables of the datapackage: table -> (file, columns), in HSDS's order.
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "organization": ("organizations.csv", ("id", "name", "description", "email", "website")),
    "service": ("services.csv", ("id", "organization_id", "name", "description", "url", "email",
                                 "status", "assured_date")),
    "location": ("locations.csv", ("id", "location_type", "organization_id", "name", "latitude",
                                   "longitude", "external_identifier",
                                   "external_identifier_type")),
    "service_at_location": ("service_at_locations.csv", ("id", "service_id", "location_id")),
    "address": ("addresses.csv", ("id", "location_id", "address_1", "city", "region",
                                  "state_province", "postal_code", "country", "address_type")),
    "phone": ("phones.csv", ("id", "organization_id", "service_id", "contact_id", "number",
                             "type")),
    "contact": ("contacts.csv", ("id", "service_id", "name", "title", "email")),
    "language": ("languages.csv", ("id", "service_id", "name", "code")),
    "service_area": ("service_areas.csv", ("id", "service_id", "name", "description", "extent",
                                           "extent_type")),
    "schedule": ("schedules.csv", ("id", "service_id", "description")),
    "organization_identifier": ("organization_identifiers.csv",
                                ("id", "organization_id", "identifier_scheme", "identifier_type",
                                 "identifier")),
    "taxonomy": ("taxonomies.csv", ("id", "name", "description", "version")),
    "taxonomy_term": ("taxonomy_terms.csv", ("id", "code", "name", "description", "taxonomy",
                                             "language", "taxonomy_id")),
    "attribute": ("attributes.csv", ("id", "link_id", "taxonomy_term_id", "link_type",
                                     "link_entity", "value")),
}


def _uid(*parts: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, "/".join(parts)))``, computed without the UUID object
    (about three times faster; a published guide of 20,000 partners asks for 300,000)."""
    name = _NAMESPACE_BYTES + "/".join(parts).encode("utf-8")
    digest = bytearray(hashlib.sha1(name, usedforsecurity=False).digest()[:16])  # as uuid5 does
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _clean(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in (None, "", [])}


# --------------------------------------------------------------------------- vocabulary


def taxonomy_terms(dataset: Dataset) -> list[dict[str, Any]]:
    """Every taxonomy term of the profile, with its taxonomy."""
    terms = []
    groups: list[tuple[str, Mapping[str, tuple[str, str]]]] = [
        ("partnernetz-kategorie",
         {k: (c.label_de, c.label_en) for k, c in dataset.categories.items()}),
        ("partnernetz-bildungskette", STAGES),
        ("partnernetz-zielgruppe", TARGET_GROUPS),
        ("partnernetz-barrierefreiheit", ACCESSIBILITY),
    ]
    for taxonomy, labels in groups:
        for code, (de, en) in labels.items():
            terms.append({
                "id": _uid("term", taxonomy, code), "code": code, "name": de,
                "description": f"{de} ({en})", "taxonomy": taxonomy, "language": "de",
                "taxonomy_id": _uid("taxonomy", taxonomy),
            })
    return terms


def taxonomies() -> list[dict[str, Any]]:
    """The profile's taxonomies."""
    return [{"id": _uid("taxonomy", key), "name": key, "description": text, "version": "1"}
            for key, text in TAXONOMIES.items()]


# --------------------------------------------------------------------------- services


def hsds_services(selection: Selection) -> list[dict[str, Any]]:
    """One HSDS service per partner, with organization, location and all details nested."""
    dataset = selection.dataset
    town_names = dict(zip(dataset.towns["ags"], dataset.towns["name"], strict=True))
    terms = {(t["taxonomy"], t["code"]): t for t in taxonomy_terms(dataset)}
    out = []
    for row in selection.partners.to_dict("records"):
        out.append(_service(row, dataset, town_names, terms))
    return out


def _service(row: Mapping[str, Any], dataset: Dataset, town_names: Mapping[str, str],
             terms: Mapping[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    pid = str(row["id"])
    org_id, service_id, location_id = (_uid(kind, pid) for kind in
                                       ("organization", "service", "location"))
    info = dataset.categories.get(row["category"])
    category_label = info.label_de if info else row["category"]
    description = row.get("description") or f"{category_label} in {row['town']}"
    identifiers = row.get("identifiers") or {}
    organization = _clean({
        "id": org_id, "name": row["name"], "description": description,
        "email": row.get("email"), "website": row.get("website"),
        "organization_identifiers": [
            {"id": _uid("identifier", pid, key), "organization_id": org_id,
             "identifier_scheme": "DE-NW" if key == "schulnummer" else "partnernetz",
             "identifier_type": "Schulnummer" if key == "schulnummer" else key,
             "identifier": str(value)}
            for key, value in identifiers.items()],
    })
    address = None
    if row.get("street") and row.get("postcode"):
        address = {"id": _uid("address", pid), "location_id": location_id,
                   "address_1": row["street"], "city": row["town"],
                   "region": row.get("district") or "", "state_province": "Nordrhein-Westfalen",
                   "postal_code": row["postcode"], "country": "DE", "address_type": "physical"}
    school = identifiers.get("schulnummer")
    location = _clean({
        "id": location_id, "location_type": "physical", "organization_id": org_id,
        "name": row["name"], "latitude": round(float(row["lat"]), 6),
        "longitude": round(float(row["lon"]), 6),
        "external_identifier": school, "external_identifier_type": "Schulnummer" if school else None,
        "addresses": [_clean(address)] if address else [],
    })
    phones = []
    if row.get("phone"):
        phones.append({"id": _uid("phone", pid), "service_id": service_id,
                       "organization_id": org_id, "number": row["phone"], "type": "voice"})
    contacts = []
    for i, contact in enumerate(row.get("contacts") or ()):
        contact_id = _uid("contact", pid, str(i))
        entry = _clean({"id": contact_id, "service_id": service_id, "name": contact.get("name"),
                        "title": contact.get("role"), "email": contact.get("email")})
        if contact.get("phone"):
            entry["phones"] = [{"id": _uid("contact-phone", pid, str(i)), "contact_id": contact_id,
                                "number": contact["phone"], "type": "voice"}]
        contacts.append(entry)
    attributes = []
    links = [("partnernetz-kategorie", row["category"])]
    links += [("partnernetz-bildungskette", s) for s in row.get("stages") or ()]
    links += [("partnernetz-zielgruppe", g) for g in row.get("target_groups") or ()]
    links.append(("partnernetz-barrierefreiheit", row.get("accessible") or "unknown"))
    for taxonomy, code in links:
        term = terms.get((taxonomy, code))
        if term is None:
            continue
        attributes.append({"id": _uid("attribute", pid, taxonomy, code), "link_id": service_id,
                           "taxonomy_term_id": term["id"], "link_type": taxonomy,
                           "link_entity": "service", "value": code, "taxonomy_term": term})
    verified = row.get("verified")
    service = _clean({
        "id": service_id, "organization_id": org_id, "name": row["name"],
        "description": description, "url": row.get("website"), "email": row.get("email"),
        "status": STATUS.get(row.get("status"), "active"),
        "assured_date": verified.isoformat() if isinstance(verified, dt.date) else None,
        "phones": phones, "contacts": contacts,
        "languages": [{"id": _uid("language", pid, code), "service_id": service_id,
                       "name": language_name(code, "de"), "code": code}
                      for code in row.get("languages") or ()],
        "service_areas": [{"id": _uid("area", pid, ags), "service_id": service_id,
                           "name": town_names.get(ags, ags),
                           "description": f"Gemeindeschlüssel {ags}", "extent": ags,
                           "extent_type": "ags"} for ags in row.get("serves") or ()],
        "schedules": ([{"id": _uid("schedule", pid), "service_id": service_id,
                        "description": row["opening_hours"]}] if row.get("opening_hours") else []),
        "attributes": attributes,
        "organization": organization,
        "service_at_locations": [{"id": _uid("sal", pid), "service_id": service_id,
                                  "location_id": location_id, "location": location}],
    })
    return service


# --------------------------------------------------------------------------- JSON form


def hsds_document(dataset: Dataset, *, spec: FilterSpec | None = None,
                  role: object = "public") -> dict[str, Any]:
    """The HSDS JSON export: services (with everything nested), taxonomies, terms."""
    selection = select_partners(dataset, spec=spec, role=role)
    return {
        "hsds_version": HSDS_VERSION,
        "profile": "Partnernetz, deutsches Profil (docs/hsds.md)",
        "region": {"name": dataset.region.name, "kreis": dataset.region.kreis},
        "content": selection.note,
        "attribution": dataset.attribution,
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "taxonomies": taxonomies(),
        "taxonomy_terms": taxonomy_terms(dataset),
        "services": hsds_services(selection),
    }


def hsds_json_bytes(dataset: Dataset, *, spec: FilterSpec | None = None,
                    role: object = "public") -> bytes:
    """:func:`hsds_document` as UTF-8 JSON."""
    document = hsds_document(dataset, spec=spec, role=role)
    # no indent: the C encoder is several times faster on large exports
    return (json.dumps(document, ensure_ascii=False, allow_nan=False) + "\n").encode()


# --------------------------------------------------------------------------- tabular form


def hsds_tables(dataset: Dataset, *, spec: FilterSpec | None = None,
                role: object = "public") -> dict[str, list[dict[str, Any]]]:
    """The JSON form flattened into HSDS's tables (one list of rows per table)."""
    document = hsds_document(dataset, spec=spec, role=role)
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    tables["taxonomy"] = document["taxonomies"]
    tables["taxonomy_term"] = document["taxonomy_terms"]
    for service in document["services"]:
        organization = service["organization"]
        tables["organization"].append(organization)
        tables["organization_identifier"].extend(organization.get("organization_identifiers", []))
        tables["service"].append(service)
        for sal in service["service_at_locations"]:
            tables["service_at_location"].append(sal)
            tables["location"].append(sal["location"])
            tables["address"].extend(sal["location"].get("addresses", []))
        tables["phone"].extend(service.get("phones", []))
        for contact in service.get("contacts", []):
            tables["contact"].append(contact)
            tables["phone"].extend(contact.get("phones", []))
        for key in ("language", "service_area", "schedule", "attribute"):
            tables[key].extend(service.get(key + "s", []))
    return {name: [{c: row[c] for c in TABLES[name][1] if c in row} for row in tables[name]]
            for name in TABLES}


def hsds_datapackage_zip(dataset: Dataset, *, spec: FilterSpec | None = None,
                         role: object = "public") -> bytes:
    """The tabular form: a ZIP with ``datapackage.json`` and one CSV per table."""
    tables = hsds_tables(dataset, spec=spec, role=role)
    selection_note = select_partners(dataset, spec=spec, role=role).note
    resources = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (path, columns) in TABLES.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=list(columns), lineterminator="\r\n")
            writer.writeheader()
            for row in tables[name]:
                writer.writerow({c: _csv_value(row.get(c)) for c in columns})
            archive.writestr(path, text.getvalue().encode("utf-8"))
            resources.append({
                "name": name, "path": path, "profile": "tabular-data-resource", "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8",
                "schema": {"fields": [{"name": c, "type": _field_type(c)} for c in columns],
                           "primaryKey": "id"},
            })
        package = {
            "name": f"partnernetz-{dataset.region.kreis}-hsds",
            "title": f"Partnernetz {dataset.region.name} (HSDS {HSDS_VERSION})",
            "profile": "tabular-data-package",
            "description": f"{selection_note}. Deutsches Profil: docs/hsds.md",
            "sources": [{"title": dataset.attribution}],
            "resources": resources,
        }
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=1))
    return buffer.getvalue()


def _field_type(column: str) -> str:
    return "number" if column in ("latitude", "longitude") else "string"


def _csv_value(value: Any) -> Any:
    """A CSV cell: empty for missing values, text formula-safe as in every CSV export."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return neutralise_value(value)
