"""What the answer page shows and how corrections become a proposal."""

from __future__ import annotations

from partnernetz.recheck.answers import apply_fields, changed_fields, proposal_problems, public_view

ENTRY = {
    "id": "kita-a", "name": "Kita A", "category": "kita", "town": "Brakel",
    "address": {"street": "Markt 1", "postcode": "33034"}, "phone": "05272 1000",
    "notes": "NOTIZ", "owners": ["eigen@example.org"], "accessible": "yes",
    "contacts": [{"name": "Paula", "role": "Leitung", "visibility": "public"},
                 {"name": "Ilse", "phone": "05272 9", "visibility": "internal"},
                 {"name": "Ohne Angabe"}],  # no visibility: internal
}


def test_public_view_has_public_fields_and_public_contacts_only() -> None:
    view = public_view(ENTRY)
    text = repr(view)
    assert view["name"] == "Kita A" and view["street"] == "Markt 1" and view["accessible"] == "yes"
    assert [c["name"] for c in view["contacts"]] == ["Paula"]
    for hidden in ("NOTIZ", "eigen@example.org", "Ilse", "Ohne Angabe", "05272 9"):
        assert hidden not in text


def test_unchanged_form_gives_no_proposal_and_changes_are_per_field() -> None:
    view = public_view(ENTRY)
    same = {**view, "offers": "", "contacts": [*view["contacts"], {"name": ""}]}
    assert changed_fields(ENTRY, same) == ()
    fields = changed_fields(ENTRY, {**same, "postcode": "33034 ", "street": "Markt 2", "accessible": "no"})
    assert [(f.field, f.old, f.new) for f in fields] == [("street", "Markt 1", "Markt 2"),
                                                         ("accessible", "yes", "no")]


def test_accepting_contacts_keeps_internal_ones_and_emptying_a_field_removes_it() -> None:
    fields = changed_fields(ENTRY, {"contacts": [{"name": "Neu", "email": "neu@example.org"}], "phone": ""})
    new = apply_fields(ENTRY, fields)
    assert "phone" not in new and new["notes"] == "NOTIZ"
    assert [(c["name"], c.get("visibility")) for c in new["contacts"]] == [
        ("Ilse", "internal"), ("Ohne Angabe", None), ("Neu", "public")]


def test_invalid_correction_is_named_by_its_field_in_german() -> None:
    fields = changed_fields(ENTRY, {"email": "keine-adresse", "postcode": "123"})
    problems = proposal_problems(ENTRY, fields, lang="de")
    assert any(p.startswith("E-Mail: ") for p in problems)
    assert any(p.startswith("Postleitzahl: ") for p in problems)
