"""AppTest: what the app writes to the audit log (issue 19 §7).

Sign-ins and denials, edits, restores, imports and downloads of internal data,
one JSON object per line with e-mail, role and partner ids or file names only.
"""

from __future__ import annotations

import time

import pytest

from app_pages.shared import audited_download
from partnernetz.access import Identity, Role
from partnernetz.registry.history import History
from tests.access.markers import INTERNAL_CONTACT_MARKERS, NOTE_MARKERS
from tests.app.helpers import make_app, open_page, signed_in

FORM = "edit.form.kita-marker-brakel."
PARTNER_TEXT = (*INTERNAL_CONTACT_MARKERS, *NOTE_MARKERS, "Paula Publikmarker", "05272 1000",
                "05272 424242", "Kita Markerhaus", "Kita Sonnenschein", "Marktstr")


def test_sign_ins_and_denials_are_audited_once_per_session(registry, audit) -> None:
    at = make_app(signed_in("redaktion@example.org"))
    at.run()
    at.run()  # a rerun of the same session logs nothing new
    make_app(signed_in("fremd@else.example")).run()
    make_app(signed_in("admin@example.org", email_verified=False)).run()
    make_app(signed_in("mitglied@example.org", iat=time.time() - 13 * 3600)).run()
    make_app({"is_logged_in": False}).run()  # not signed in: nothing to log
    got = [(e["event"], e["user"], e["role"], e["outcome"]) for e in audit.events()]
    assert got == [
        ("sign_in", "redaktion@example.org", "redaktion", "ok"),
        ("sign_in_denied", "fremd@else.example", "public", "no_role"),
        ("sign_in_denied", "admin@example.org", "public", "unverified"),
        ("sign_in_denied", "mitglied@example.org", "public", "expired"),
    ]
    audit.assert_none_of(PARTNER_TEXT)


def test_edit_and_restore_in_the_app_are_audited(registry, audit) -> None:
    at = open_page(make_app(signed_in("redaktion@example.org")), "app_pages/edit.py")
    at.selectbox(key="edit_choice").set_value("kita-marker-brakel").run()
    at.text_input(key=FORM + "phone").input("05272 424242")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert not at.exception, at.exception
    (edit,) = audit.events("edit")
    assert (edit["user"], edit["role"], edit["target"], edit["outcome"]) == (
        "redaktion@example.org", "redaktion", "kita-marker-brakel", "ok")

    change = History(registry).entries()[0]
    at = open_page(make_app(signed_in("admin@example.org")), "app_pages/history.py")
    at.button(key=f"restore_{change.revision}_kita-marker-brakel").click().run()
    assert not audit.events("restore")  # the click opens the preview only
    at.checkbox(key="history_confirm").check().run()
    at.button(key="history_do_restore").click().run()
    assert not at.exception, at.exception
    (restore,) = audit.events("restore")
    assert (restore["user"], restore["role"], restore["target"], restore["outcome"]) == (
        "admin@example.org", "admin", f"kita-marker-brakel@{change.parent[:10]}", "ok")
    audit.assert_none_of(PARTNER_TEXT)


def test_edit_without_the_right_is_audited_as_denied(registry, audit) -> None:
    from app_pages.edit_actions import save
    from partnernetz.registry import writer

    before = registry.read_bytes()
    entry = dict(writer.read_entries(registry)["kita-marker-brakel"], phone="05272 424242")
    viewer = Identity(email="mitglied@example.org", role=Role.MITGLIED)  # may not edit others' entries
    assert save([writer.UpdatePartner("kita-marker-brakel", entry)], identity=viewer, lang="de",
                base_hash=None) is None
    assert registry.read_bytes() == before
    (event,) = audit.events()
    assert (event["event"], event["user"], event["role"], event["target"], event["outcome"]) == (
        "edit", "mitglied@example.org", "mitglied", "kita-marker-brakel", "denied")
    audit.assert_none_of(PARTNER_TEXT)


LIST = ("Einrichtung;Kategorie;Straße;PLZ;Ort\n"
        "Kita Sonnenschein;Kita;Marktstr. 1;37671;Höxter\n")


def test_import_in_the_app_is_audited_with_the_file_name(registry, audit) -> None:
    at = open_page(make_app(signed_in("redaktion@example.org")), "app_pages/imports.py")
    at.file_uploader(key="import_file").set_value(("liste.csv", LIST.encode("utf-8"), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    at.button(key="import_run").click()
    at.run()
    assert not at.exception, at.exception
    (event,) = audit.events("import")
    assert (event["user"], event["role"], event["target"], event["outcome"]) == (
        "redaktion@example.org", "redaktion", "liste.csv", "ok")
    audit.assert_none_of(PARTNER_TEXT)


@pytest.mark.parametrize(("role", "audited"), [
    (Role.PUBLIC, False), (Role.MITGLIED, True), (Role.REDAKTION, True), (Role.ADMIN, True)])
def test_download_of_internal_data_is_audited_when_it_is_made(audit, role, audited) -> None:
    viewer = Identity(email="x@example.org" if role else None, role=role)
    calls: list[int] = []

    def build() -> bytes:
        calls.append(1)
        return b"Ilse Internmarker"

    data = audited_download(build, viewer=viewer, file_name="partner_intern.csv")
    assert audit.events() == [] and calls == []  # nothing until the click
    assert data() == b"Ilse Internmarker" and calls == [1]
    expected = [("export_internal", "x@example.org", role.key, "partner_intern.csv")] if audited else []
    assert [(e["event"], e["user"], e["role"], e["target"]) for e in audit.events()] == expected
    audit.assert_none_of(PARTNER_TEXT)
