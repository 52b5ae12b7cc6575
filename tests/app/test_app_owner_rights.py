"""AppTest: ownership (``owners``) needs a valid sign-in, like every role (issue 17 §1).

An owner without a role edits their own entry and sees its internal contacts
in the form. With an unverified e-mail address, an expired sign-in or an
invalid access file that person has no rights at all: no Bearbeiten page, no
internal contact, no write, and the sidebar says why.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.access.markers import ACCESS, INTERNAL_CONTACT_MARKERS, NOTE_MARKERS
from tests.app import helpers
from tests.app.helpers import everything, make_app, open_page, sidebar_texts

OWNER = "eigen@partner.example"
EDIT = "app_pages/edit.py"
FORM = "edit.form.kita-marker-brakel."
BROKEN = ACCESS.replace("mitglied: [mitglied@example.org", "mitglied: [mitglied@")


def signed_in(email: str = OWNER, **claims: object) -> dict:
    """``st.user`` of a fresh sign-in with a verified ``email`` (issued a minute ago)."""
    return helpers.signed_in(email, **{"name": "Eigen Tümer", "email_verified": True, **claims})


@pytest.fixture
def files(files: tuple[Path, Path]) -> tuple[Path, Path]:
    """The marker registry with ``OWNER`` as owner of the Kita (which has internal contacts)."""
    registry, access = files
    text = registry.read_text(encoding="utf-8").replace(
        "    category: kita\n    town: Brakel\n",
        f"    category: kita\n    town: Brakel\n    owners: [{OWNER}]\n")
    registry.write_text(text, encoding="utf-8")
    return registry, access


def open_edit(at: AppTest) -> AppTest:
    return open_page(at, EDIT)


def assert_no_rights(at: AppTest) -> None:
    """No Bearbeiten page and no internal data of the owned entry anywhere in the run."""
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(EDIT).run()
    text = everything(at)
    leaked = [m for m in INTERNAL_CONTACT_MARKERS + NOTE_MARKERS if m in text]
    assert not leaked, f"markers leaked: {leaked}"


def test_owner_with_valid_sign_in_edits_own_entry_with_internal_contacts(files) -> None:
    at = open_edit(make_app(signed_in()))
    assert at.selectbox(key="edit_choice").options == ["Kita Markerhaus Brakel (Brakel)"]
    assert "Ilse Internmarker" in everything(at)  # the form shows the entry as in the file
    side = sidebar_texts(at)
    assert "Rolle: öffentlich" in side
    # the sidebar agrees with the rights: their own entry, no "Kein Zugang"
    assert "Eigene Einträge (Selbstpflege): 1" in side and "Kein Zugang" not in side


def test_owner_with_unverified_email_has_no_rights_and_is_told_why(files) -> None:
    at = make_app(signed_in(email_verified=False))
    at.run()
    assert not at.exception, at.exception
    side = sidebar_texts(at)
    assert f"Die E-Mail-Adresse {OWNER} ist beim Anbieter nicht bestätigt" in side
    assert "auch nicht zu eigenen Einträgen" in side
    assert_no_rights(at)


def test_owner_with_expired_sign_in_has_no_rights_and_is_told_why(files) -> None:
    at = make_app(signed_in(iat=time.time() - 12 * 3600 - 5))
    at.run()
    assert not at.exception, at.exception
    assert any("abgelaufen" in i.value and "auch nicht für eigene Einträge" in i.value
               for i in at.sidebar.info)
    assert any(b.label == "Anmelden" for b in at.sidebar.button)
    assert_no_rights(at)


def test_owner_with_invalid_access_file_has_no_rights_and_is_told_why(files) -> None:
    _, access = files
    access.write_text(BROKEN, encoding="utf-8")
    at = make_app(signed_in())
    at.run()
    assert not at.exception, at.exception
    assert any("Zugangsdatei ist fehlerhaft" in w.value and "eigene Einträge" in w.value
               for w in at.sidebar.warning)
    assert_no_rights(at)


@pytest.mark.parametrize("ending", ["expired", "invalid_access", "unverified"])
def test_owner_cannot_save_once_the_sign_in_stops_counting(files, ending) -> None:
    registry, access = files
    before = registry.read_bytes()
    at = open_edit(make_app(signed_in()))
    at.text_input(key=FORM + "phone").input("05272 4711")
    if ending == "expired":
        at.user = signed_in(iat=time.time() - 13 * 3600)
    elif ending == "unverified":
        at.user = signed_in(email_verified="false")
    else:
        access.write_text(BROKEN, encoding="utf-8")
    save = [b for b in at.button if b.label == "Speichern"]
    assert save, "the form has a save button"
    save[0].click().run()
    assert not at.exception, at.exception
    assert registry.read_bytes() == before
    assert "Ilse Internmarker" not in everything(at)
