"""AppTest: the edit form answers where the user is (issue 18 §6)."""

from __future__ import annotations

from pathlib import Path

from partnernetz.registry.history import History
from partnernetz.views.editing import changed_fields_text, field_label, readable_summary
from tests.app.helpers import make_app as app
from tests.app.helpers import open_page as page
from tests.app.helpers import signed_in
from tests.app.test_app_edit import FORM, submit
from tests.app.test_app_edit import registry as edit_registry

registry = edit_registry  # the fixture of test_app_edit: the marker registry, signed-in roles

REDAKTION = "redaktion@example.org"


def test_errors_sit_at_their_fields_and_are_named_beside_the_button(registry: Path) -> None:
    before = registry.read_bytes()
    at = page(app(signed_in(REDAKTION)), "app_pages/edit.py")
    at.selectbox(key="edit_choice").set_value("kita-marker-brakel").run()
    at.text_input(key=FORM + "email").input("info@")
    at.text_input(key=FORM + "phone").input("abc")
    submit(at)
    assert registry.read_bytes() == before
    errors = [e.value for e in at.error]
    assert any("'info@' ist keine gültige E-Mail-Adresse" in e for e in errors)
    summary = next(e for e in errors if e.startswith("Nicht gespeichert"))
    assert "Telefon" in summary and "E-Mail" in summary and "phone" not in summary
    # the field's message comes right after its input; the summary right before the button
    tree = [n for n in at.main.children.values()]
    flat = []

    def walk(node):
        flat.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    for node in tree:
        walk(node)
    keys = [getattr(n, "key", None) for n in flat]
    values = [getattr(n, "value", None) if getattr(n, "type", "") == "alert" or
              n.__class__.__name__ == "Error" else None for n in flat]
    email_at = keys.index(FORM + "email")
    after_email = next(v for v in values[email_at + 1:] if isinstance(v, str))
    assert "E-Mail-Adresse" in after_email
    button_at = next(i for i, n in enumerate(flat) if getattr(n, "label", None) == "Speichern")
    assert isinstance(values[button_at - 1], str) and values[button_at - 1].startswith("Nicht gespeichert")
    scripts = [h.proto.body for h in at.get("html") if "stAlertContentError" in h.proto.body]
    assert scripts and ".focus()" in scripts[0]  # the first field with an error gets focus


def test_success_is_announced_beside_the_button_and_comment_is_emptied(registry: Path) -> None:
    at = page(app(signed_in(REDAKTION)), "app_pages/edit.py")
    at.selectbox(key="edit_choice").set_value("kita-marker-brakel").run()
    at.text_input(key=FORM + "phone").input("05272 123456")
    at.text_input(key=FORM + "comment").input("Telefon laut Anruf")
    submit(at)
    success = [s.value for s in at.success]
    assert success and success[0].startswith("Gespeichert") and "Telefon" in success[0]
    assert "(phone" not in success[0]
    status = [h.proto.body for h in at.get("html") if 'role="status"' in h.proto.body]
    assert any("Gespeichert" in body for body in status), "announced to screen readers"
    flat_labels = []

    def walk(node):
        flat_labels.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    for node in at.main.children.values():
        walk(node)
    button_at = next(i for i, n in enumerate(flat_labels) if getattr(n, "label", None) == "Speichern")
    after = [getattr(n, "value", "") for n in flat_labels[button_at + 1:button_at + 3]]
    assert any(str(v).startswith("Gespeichert") for v in after), after
    assert at.text_input(key=FORM + "comment").value == ""
    assert History(registry).entries()[0].comment == "Telefon laut Anruf"


def test_field_labels_replace_keys_in_history_texts() -> None:
    assert field_label("phone") == "Telefon"
    assert field_label("email") == "E-Mail"
    assert field_label("town") == "Ort"
    assert field_label("address.street") == "Straße und Hausnummer"
    assert field_label("phone", lang="en") == "Phone"
    assert changed_fields_text(["phone", "email", "phone"]) == "Telefon, E-Mail"
    assert readable_summary("Kita Brakel: geändert (phone, email)") == (
        "Kita Brakel: geändert (Telefon, E-Mail)")
    assert readable_summary("Kita Brakel (Warburg): neu") == "Kita Brakel (Warburg): neu"
