"""Form values, rights and the check-up e-mail of the editing pages."""

from __future__ import annotations

import datetime as dt
import urllib.parse

from partnernetz.access import Role
from partnernetz.registry.models import Partner
from partnernetz.views.editing import (
    correction_mailto,
    entry_from_form,
    form_field,
    form_values,
    may_add,
    may_delete,
    may_edit,
    may_restore,
)

ENTRY = {
    "id": "kita-a-brakel", "name": "Kita A", "category": "kita", "town": "Brakel",
    "address": {"street": "Am Markt 1", "postcode": "33034"},
    "location": {"lat": 51.717, "lon": 9.185}, "serves": ["Brakel", "Nieheim"],
    "languages": ["de", "ar"], "offers": ["Elterncafé", "12:30 Sprechstunde"],
    "contacts": [{"name": "Frau A", "phone": "05272 1", "visibility": "public"}],
    "verified": "2026-01-15", "notes": "intern", "owners": ["Leitung@Kita-A.example"],
    "accessible": "yes", "status": "planned",
    "translations": {"ar": {"description": "روضة", "offers": ["مقهى", "12:30 موعد"]},
                     "uk": {"opening_hours": "Пн 8–12"}},
}


def test_form_round_trip_gives_the_same_partner() -> None:
    values = form_values(ENTRY)
    assert values["verified"] == dt.date(2026, 1, 15)
    assert values["offers"] == "Elterncafé\n12:30 Sprechstunde"
    back = entry_from_form(values)
    assert Partner.model_validate(back) == Partner.model_validate(ENTRY)


def test_empty_form_fields_are_left_out_and_hidden_fields_kept() -> None:
    values = form_values(ENTRY) | {"subtype": "  ", "offers": "\n\n", "lat": None, "lon": None,
                                   "serves": [], "notes": "", "owners": ""}
    entry = entry_from_form(values, keep={"notes": "intern", "owners": ["x@example.org"]})
    assert "subtype" not in entry and "offers" not in entry and "location" not in entry
    assert "serves" not in entry
    assert entry["notes"] == "intern" and entry["owners"] == ["x@example.org"]
    assert entry_from_form(form_values(ENTRY) | {"serves_all": True})["serves"] == "all"


def test_rights_by_role_and_owner() -> None:
    assert may_edit(Role.REDAKTION, None, ENTRY)
    assert may_edit(Role.PUBLIC, "leitung@kita-a.EXAMPLE", ENTRY)
    assert not may_edit(Role.MITGLIED, "other@example.org", ENTRY)
    assert not may_edit(Role.MITGLIED, None, ENTRY)
    assert may_add(Role.REDAKTION) and not may_add(Role.MITGLIED)
    assert may_delete(Role.ADMIN) and not may_delete(Role.REDAKTION)
    assert may_restore(Role.ADMIN) and not may_restore(Role.REDAKTION)


def test_issue_fields_map_to_form_fields() -> None:
    assert form_field("partners[kita-a].email") == "email"
    assert form_field("address.postcode") == "postcode"
    assert form_field("contacts[1].email") == "contacts"
    assert form_field("location.lat") == "location"


def test_mailto_has_german_subject_and_the_entry_in_the_body() -> None:
    record = {"name": "Kita A & B", "email": "info@kita-a.example", "street": "Am Markt 1",
              "postcode": "33034", "phone": "05272 1", "languages": ("de", "ar"),
              "offers": ("Elterncafé",), "stages": ("elementar",), "target_groups": ("eltern",)}
    link = correction_mailto(record, region="Kreis Höxter", category_label="Kitas", town="Brakel",
                             sender="Rita Redaktion")
    assert link.startswith("mailto:info@kita-a.example?")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    assert query["subject"] == ["Ist Ihr Eintrag im Partnernetz noch aktuell? (Kita A & B)"]
    body = query["body"][0]
    assert "Adresse: Am Markt 1, 33034 Brakel" in body
    assert "Sprachen: Deutsch, Arabisch" in body
    assert "Ist der Eintrag noch aktuell?" in body and body.endswith("Rita Redaktion")
    assert correction_mailto({"name": "X", "email": None}, region="R", category_label="K", town="T") is None


def test_translations_round_trip_through_the_form() -> None:
    values = form_values(ENTRY)
    assert set(values["translations"]) == {"en", "ar", "tr", "uk", "ru", "fa"}
    assert values["translations"]["ar"]["offers"] == "مقهى\n12:30 موعد"
    assert values["translations"]["tr"] == {"description": "", "offers": "", "opening_hours": ""}
    values["translations"]["tr"]["description"] = "  Kreş  "
    values["translations"]["uk"]["opening_hours"] = " "
    entry = entry_from_form(values)
    assert entry["translations"] == {"ar": {"description": "روضة", "offers": ["مقهى", "12:30 موعد"]},
                                     "tr": {"description": "Kreş"}}
    assert "translations" not in entry_from_form(form_values({**ENTRY, "translations": {}}))
