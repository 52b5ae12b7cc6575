"""AppTest of editing: the form, its checks, roles, owners, history, restore, Prüfliste."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from partnernetz.access import Identity, Role
from partnernetz.registry import writer
from partnernetz.registry.history import History
from tests.app.helpers import make_app, open_page, signed_in

FORM = "edit.form.kita-marker-brakel."


@pytest.fixture
def registry(registry: Path) -> Path:
    """The marker registry with eigen@partner.example as owner of the Schule."""
    text = registry.read_text(encoding="utf-8").replace(
        "    category: schule\n    town: Warburg\n",
        "    category: schule\n    town: Warburg\n    owners: [eigen@partner.example]\n")
    registry.write_text(text, encoding="utf-8")
    return registry


def submit(at: AppTest) -> AppTest:
    button = next(b for b in at.button if b.label == "Speichern")
    button.click().run()
    assert not at.exception, at.exception
    return at


def spots_now(at: AppTest) -> int:
    """White spots from the Übersicht's figure note."""
    line = next(c.value for c in at.caption if c.value.startswith("Weiße Flecken insgesamt"))
    return int(re.search(r": (\d+)", line)[1])


def white_spots(at: AppTest) -> tuple[int, int]:
    """(now, then) from the Übersicht's trend line "Weiße Flecken: 4 (… : 7)"."""
    line = next(m.value for m in at.markdown if m.value.startswith("Weiße Flecken:"))
    match = re.match(r"Weiße Flecken: (\d+) \(.*: (\d+)\)", line)
    assert match, line
    return int(match[1]), int(match[2])


@pytest.mark.parametrize("user", [None, signed_in("mitglied@example.org"), signed_in("nobody@else.example")])
def test_public_and_mitglied_see_no_edit_controls(registry: Path, user: dict | None) -> None:
    before = registry.read_bytes()
    at = make_app(user)
    at.run()
    assert not at.exception, at.exception
    for script in ("app_pages/edit.py", "app_pages/history.py", "app_pages/checklist.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(script)
    assert not any(b.label == "Speichern" for b in at.button)
    assert not any(str(ti.key).startswith("edit.form.") for ti in at.text_input)
    assert registry.read_bytes() == before


def test_crafted_save_without_role_writes_nothing(registry: Path) -> None:
    from app_pages.edit_actions import allowed

    entry = dict(writer.read_entries(registry)["kita-marker-brakel"], name="Gekapert")
    change = writer.UpdatePartner("kita-marker-brakel", entry)
    for role in (Role.PUBLIC, Role.MITGLIED):
        viewer = Identity(email="mitglied@example.org", role=role)
        assert not allowed(viewer, [change])
    assert allowed(Identity(email="r@example.org", role=Role.REDAKTION), [change])
    owner = Identity(email="EIGEN@partner.example", role=Role.PUBLIC)
    own_entry = dict(writer.read_entries(registry)["schule-ohne-intern-warburg"], phone="05641 1")
    own = writer.UpdatePartner("schule-ohne-intern-warburg", own_entry)
    assert allowed(owner, [own])
    assert not allowed(owner, [change])
    assert not allowed(owner, [writer.RemovePartner("schule-ohne-intern-warburg", "x")])


def test_redaktion_edits_in_the_form_and_the_history_records_it(registry: Path) -> None:
    at = open_page(make_app(signed_in("redaktion@example.org")), "app_pages/edit.py")
    at.selectbox(key="edit_choice").set_value("kita-marker-brakel").run()
    at.text_input(key=FORM + "phone").input("05272 123456")
    at.text_input(key=FORM + "opening_hours").input("12:30")
    submit(at)
    assert any("Gespeichert" in s.value for s in at.success), [e.value for e in at.error]
    entry = writer.read_entries(registry)["kita-marker-brakel"]
    assert entry["phone"] == "05272 123456"
    assert entry["opening_hours"] == "12:30"
    assert entry["notes"] == "NOTIZMARKER-Elternabend verschoben"  # hidden fields kept
    last = History(registry).entries()[0]
    assert last.author_email == "redaktion@example.org"
    assert "phone" in [f.field for f in last.changes[0].fields]


def test_redaktion_adds_a_translation_in_the_language_expander(registry: Path) -> None:
    at = open_page(make_app(signed_in("redaktion@example.org")), "app_pages/edit.py")
    at.selectbox(key="edit_choice").set_value("kita-marker-brakel").run()
    assert [e.label for e in at.expander if e.label.endswith("(ar)")] == ["Arabisch (ar)"]
    at.text_area(key=FORM + "tr_ar_description").input("روضة مع مقهى للآباء")
    at.text_input(key=FORM + "tr_tr_opening_hours").input("Pzt 8–12")
    submit(at)
    assert any("Gespeichert" in s.value for s in at.success), [e.value for e in at.error]
    entry = writer.read_entries(registry)["kita-marker-brakel"]
    assert entry["translations"] == {"ar": {"description": "روضة مع مقهى للآباء"},
                                     "tr": {"opening_hours": "Pzt 8–12"}}
    at.text_area(key=FORM + "tr_en_offers").input("Parents' café\nSecond")
    submit(at)
    assert any("Angebote übersetzt" in e.value for e in at.error)  # the entry has no offers
    assert "en" not in writer.read_entries(registry)["kita-marker-brakel"]["translations"]


def test_invalid_field_shows_german_error_at_field_and_writes_nothing(registry: Path) -> None:
    before = registry.read_bytes()
    at = open_page(make_app(signed_in("redaktion@example.org")), "app_pages/edit.py")
    at.selectbox(key="edit_choice").set_value("kita-marker-brakel").run()
    at.text_input(key=FORM + "email").input("info@")
    submit(at)
    assert any("'info@' ist keine gültige E-Mail-Adresse" in e.value for e in at.error)
    assert registry.read_bytes() == before


def test_add_partner_changes_coverage_and_admin_restores_it(registry: Path) -> None:
    at = open_page(make_app(signed_in("admin@example.org")), "app_pages/overview.py")
    spots_before = spots_now(at)
    assert not any(m.value.startswith("Weiße Flecken:") for m in at.markdown)  # no history yet
    at.switch_page("app_pages/edit.py").run()
    at.selectbox(key="edit_choice").set_value("__neu__").run()
    new = "edit.form.__neu__."
    at.text_input(key=new + "id").input("ehrenamt-neu-warburg")
    at.text_input(key=new + "name").input("Ehrenamt Neu")
    at.selectbox(key=new + "category").set_value("ehrenamt")
    at.selectbox(key=new + "town").set_value("Warburg")
    at.text_input(key=new + "lat").input("51.4920")
    at.text_input(key=new + "lon").input("9.1430")
    submit(at)
    assert "ehrenamt-neu-warburg" in writer.read_entries(registry), [e.value for e in at.error]
    at.switch_page("app_pages/overview.py").run()
    assert white_spots(at) == (spots_before - 1, spots_before)
    at.switch_page("app_pages/history.py").run()
    assert not at.exception, at.exception
    assert any("Ehrenamt Neu" in e.label for e in at.expander)
    undo = next(b for b in at.button if b.key == f"restore_{History(registry).entries()[0].revision}"
                                                  "_ehrenamt-neu-warburg")
    undo.click().run()
    assert not at.exception, at.exception
    assert "ehrenamt-neu-warburg" in writer.read_entries(registry)  # a preview first, no change yet
    at.checkbox(key="history_confirm").check().run()
    at.button(key="history_do_restore").click().run()
    assert not at.exception, at.exception
    assert "ehrenamt-neu-warburg" not in writer.read_entries(registry)
    assert History(registry).entries()[0].kind == "restore"
    at.switch_page("app_pages/overview.py").run()
    assert white_spots(at) == (spots_before, spots_before)


def test_owner_edits_only_their_entry(registry: Path) -> None:
    at = open_page(make_app(signed_in("eigen@partner.example")), "app_pages/edit.py")
    choice = at.selectbox(key="edit_choice")
    assert choice.options == ["Schule Ohneintern Warburg (Warburg)"]
    form = "edit.form.schule-ohne-intern-warburg."
    assert not any(str(ti.key) == form + "notes" for ti in at.text_area)
    at.text_input(key=form + "phone").input("05641 4711")
    submit(at)
    assert writer.read_entries(registry)["schule-ohne-intern-warburg"]["phone"] == "05641 4711"
    assert writer.read_entries(registry)["schule-ohne-intern-warburg"]["owners"] == ["eigen@partner.example"]


def test_checklist_lists_overdue_oldest_first_and_verifies(registry: Path) -> None:
    at = open_page(make_app(signed_in("redaktion@example.org")), "app_pages/checklist.py")
    assert any("3 aktive Partner" in c.value for c in at.caption)
    at.button(key="check_verify_kita-marker-brakel").click().run()
    assert not at.exception, at.exception
    assert writer.read_entries(registry)["kita-marker-brakel"]["verified"] == time.strftime("%Y-%m-%d")
    assert any("2 aktive Partner" in c.value for c in at.caption)


def test_save_over_a_change_of_the_same_partner_shows_both_versions(registry: Path) -> None:
    from partnernetz.geo.towns import GazetteerTowns

    at = open_page(make_app(signed_in("redaktion@example.org")), "app_pages/edit.py")
    at.selectbox(key="edit_choice").set_value("kita-marker-brakel").run()
    # meanwhile someone else saves the same partner
    other = dict(writer.read_entries(registry)["kita-marker-brakel"], phone="05272 777777")
    writer.apply_changes(registry, [writer.UpdatePartner("kita-marker-brakel", other)], base_hash=None,
                         author="kollegin@example.org", towns_source=GazetteerTowns())
    after_other = registry.read_bytes()
    at.text_input(key=FORM + "phone").input("05272 888888")
    submit(at)
    assert any("inzwischen von jemand anderem geändert" in e.value for e in at.error)
    shown = " ".join(c.value for c in at.code)
    assert "05272 777777" in shown and "05272 888888" in shown
    assert registry.read_bytes() == after_other


def test_link_with_partner_opens_that_partner(registry: Path) -> None:
    at = open_page(make_app(signed_in("redaktion@example.org")), "app_pages/edit.py")
    assert at.selectbox(key="edit_choice").value != "schule-ohne-intern-warburg"
    at.query_params["partner"] = "schule-ohne-intern-warburg"
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="edit_choice").value == "schule-ohne-intern-warburg"


def test_verified_today_twice_writes_one_history_entry(registry: Path) -> None:
    at = open_page(make_app(signed_in("redaktion@example.org")), "app_pages/edit.py")
    at.selectbox(key="edit_choice").set_value("kita-marker-brakel").run()
    at.button(key="edit_verify").click().run()
    assert not at.exception, at.exception
    assert writer.read_entries(registry)["kita-marker-brakel"]["verified"] == time.strftime("%Y-%m-%d")
    before, count = registry.read_bytes(), len(History(registry).entries())
    at.button(key="edit_verify").click().run()
    assert not at.exception, at.exception
    assert any("Nichts gespeichert" in s.value for s in at.success), [s.value for s in at.success]
    assert registry.read_bytes() == before
    assert len(History(registry).entries()) == count  # no empty entry
