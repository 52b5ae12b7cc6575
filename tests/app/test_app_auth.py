"""AppTest with ``at.user``: each role against a test access file.

The marker registry (tests/access/markers.py) has internal contacts and notes
whose texts are markers; a role that may not see them must not get them in any
element of the run.
"""

from __future__ import annotations

import os
import re
import secrets
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.access.markers import ACCESS, INTERNAL_CONTACT_MARKERS, NOTE_MARKERS, PUBLIC_MARKERS
from tests.app import helpers
from tests.app.helpers import everything, sidebar_texts, signed_in

DIRECTORY = "app_pages/directory.py"
ACCESS_PAGE = "app_pages/access.py"


def make_app(user: dict | None = None, *, auth: bool = True) -> AppTest:
    return helpers.make_app(user, secrets=None if auth else {"partnernetz": {"test": True}})


def open_page(at: AppTest, page: str = DIRECTORY) -> AppTest:
    return helpers.open_page(at, page)


def directory_text(at: AppTest) -> str:
    return at.dataframe[0].value.to_csv()


def assert_none_of(text: str, markers: tuple[str, ...]) -> None:
    found = [m for m in markers if m in text]
    assert not found, f"markers leaked: {found}"


# --------------------------------------------------------------------------- each role


def test_public_sees_no_internal_data_and_a_sign_in_button(files) -> None:
    at = open_page(make_app())
    text = everything(at)
    assert all(m in text for m in PUBLIC_MARKERS)
    assert_none_of(text, INTERNAL_CONTACT_MARKERS + NOTE_MARKERS)
    assert [b.label for b in at.sidebar.button if b.key == "sign_in_default"] == ["Anmelden"]
    assert "Abmelden" not in sidebar_texts(at)


def test_without_auth_secrets_the_app_is_public_and_silent_about_sign_in(files) -> None:
    # even a user dict that claims a sign-in gives nothing without [auth]
    at = open_page(make_app(signed_in("admin@example.org"), auth=False))
    text = everything(at)
    assert_none_of(text, INTERNAL_CONTACT_MARKERS + NOTE_MARKERS)
    assert not any("Anmelden" in b.label or "Abmelden" in b.label for b in at.sidebar.button)
    assert "Angemeldet" not in sidebar_texts(at)


def test_mitglied_sees_internal_contacts_marked_but_no_notes(files) -> None:
    at = open_page(make_app(signed_in("mitglied@example.org")))
    table = directory_text(at)
    assert "Ilse Internmarker / Sozialarbeit / 05272 999111 / ilse.internmarker@example.org (intern)" in table
    assert "Kurt Verdecktmarker / Fallmanagement (intern)" in table
    assert "Paula Publikmarker / Leitung;" in table  # public contact not marked
    assert_none_of(everything(at), NOTE_MARKERS)
    side = sidebar_texts(at)
    assert "Angemeldet: Test mitglied" in side and "Rolle: Mitglied" in side
    assert "Abmelden" in side and "Anmelden" not in side


def test_domain_entry_gives_mitglied(files) -> None:
    at = open_page(make_app(signed_in("Jemand@Kreis-Hoexter.example")))
    assert INTERNAL_CONTACT_MARKERS[0] in directory_text(at)


@pytest.mark.parametrize("user", [
    signed_in("redaktion@example.org"),
    signed_in("extern@partner.example", groups=["partnernetz-redaktion"]),
], ids=["email", "group"])
def test_redaktion_also_sees_notes(files, user) -> None:
    at = open_page(make_app(user))
    table = directory_text(at)
    assert "Notizen (intern)" in table
    assert all(m in table for m in NOTE_MARKERS)
    assert INTERNAL_CONTACT_MARKERS[0] in table
    assert "Rolle: Redaktion" in sidebar_texts(at)
    assert ACCESS_PAGE not in str(at._tree)  # no Zugang page below admin


def test_admin_sees_everything_and_the_access_page(files) -> None:
    at = open_page(make_app(signed_in("admin@example.org")))
    text = everything(at)
    assert all(m in text for m in INTERNAL_CONTACT_MARKERS + NOTE_MARKERS)
    at.switch_page(ACCESS_PAGE).run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Zugang"
    entries = at.dataframe[0].value
    assert set(entries["Eintrag"]) == {"admin@example.org", "redaktion@example.org",
                                       "group:partnernetz-redaktion", "mitglied@example.org",
                                       "domain:kreis-hoexter.example"}
    roles = dict(zip(entries["Eintrag"], entries["Rolle"], strict=True))
    assert roles["domain:kreis-hoexter.example"] == "Mitglied"
    assert roles["group:partnernetz-redaktion"] == "Redaktion"
    recent = at.dataframe[1].value
    assert "admin@example.org" in set(recent["E-Mail"])
    assert "Anmeldung" in set(recent["Ereignis"])


@pytest.mark.parametrize("email", ["mitglied@example.org", "redaktion@example.org"])
def test_access_page_is_not_reachable_below_admin(files, email) -> None:
    at = make_app(signed_in(email))
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(ACCESS_PAGE).run()


def test_signed_in_without_role_sees_public_view_and_whom_to_ask(files) -> None:
    at = open_page(make_app(signed_in("fremd@else.example")))
    assert_none_of(everything(at), INTERNAL_CONTACT_MARKERS + NOTE_MARKERS)
    warnings = [w.value.replace("\\", "") for w in at.sidebar.warning]
    assert any("Kein Zugang für fremd@else" in w and "integration@kreis" in w for w in warnings), warnings
    assert "Rolle: öffentlich" in sidebar_texts(at)


def test_expired_sign_in_gives_public_view_and_asks_to_sign_in_again(files) -> None:
    user = signed_in("admin@example.org", iat=time.time() - 12 * 3600 - 5)
    at = open_page(make_app(user))
    assert_none_of(everything(at), INTERNAL_CONTACT_MARKERS + NOTE_MARKERS)
    assert any("abgelaufen" in i.value and "12 Stunden" in i.value for i in at.sidebar.info)
    assert any(b.label == "Anmelden" for b in at.sidebar.button)


def test_session_hours_from_the_access_file(files) -> None:
    _, access = files
    access.write_text(ACCESS + "session_hours: 1\n", encoding="utf-8")
    at = open_page(make_app(signed_in("admin@example.org", iat=time.time() - 3700)))
    assert_none_of(everything(at), NOTE_MARKERS)
    assert any("nach 1 Stunden" in i.value for i in at.sidebar.info)


# --------------------------------------------------------------------------- access file problems


BROKEN = ACCESS.replace("mitglied: [mitglied@example.org", "mitglied: [mitglied@")


@pytest.mark.parametrize("email", ["admin@example.org", "mitglied@example.org"])
def test_invalid_access_file_gives_nobody_more_than_public(files, email) -> None:
    _, access = files
    access.write_text(BROKEN, encoding="utf-8")
    at = open_page(make_app(signed_in(email)))
    assert_none_of(everything(at), INTERNAL_CONTACT_MARKERS + NOTE_MARKERS)
    assert any("Zugangsdatei ist fehlerhaft" in w.value for w in at.sidebar.warning)


def test_invalid_access_file_admin_sees_why_with_line(files) -> None:
    _, access = files
    access.write_text(BROKEN, encoding="utf-8")
    at = open_page(make_app(signed_in("admin@example.org")))
    assert any("Zugangsdatei" in e.value and "fehlerhaft" in e.value for e in at.error)
    report = "\n".join(c.value for c in at.code)
    assert f"{access}:5: roles.mitglied[0]: 'mitglied@' ist weder eine E-Mail-Adresse" in report


def test_invalid_access_file_others_are_not_shown_its_content(files) -> None:
    _, access = files
    access.write_text(BROKEN, encoding="utf-8")
    at = open_page(make_app(signed_in("mitglied@example.org")))
    assert not at.error
    assert "roles.mitglied" not in everything(at)


def test_missing_access_file_gives_public(files) -> None:
    _, access = files
    access.unlink()
    at = open_page(make_app(signed_in("admin@example.org")))
    assert_none_of(everything(at), INTERNAL_CONTACT_MARKERS + NOTE_MARKERS)


def test_role_removed_while_session_runs_takes_effect_on_next_interaction(files) -> None:
    _, access = files
    at = open_page(make_app(signed_in("redaktion@example.org")))
    assert NOTE_MARKERS[0] in directory_text(at)
    stat = access.stat()
    access.write_text(ACCESS.replace("redaktion: [redaktion@example.org, ", "redaktion: ["),
                      encoding="utf-8")
    os.utime(access, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime: size/ctime/inode tell
    at.run()  # the next interaction of the same session
    assert not at.exception, at.exception
    assert_none_of(everything(at), INTERNAL_CONTACT_MARKERS + NOTE_MARKERS)
    assert "Kein Zugang für redaktion@example.org" in sidebar_texts(at)


def test_sign_out_button_logs_out(files) -> None:
    at = open_page(make_app(signed_in("mitglied@example.org")))
    at.sidebar.button(key="sign_out").click().run()
    assert at.user == {"is_logged_in": False}
    at.run()
    assert_none_of(everything(at), INTERNAL_CONTACT_MARKERS)


def test_named_providers_get_one_button_each(files) -> None:
    at = make_app()
    at.secrets = {"auth": {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": secrets.token_urlsafe(48),
        "entra": {"label": "Kreisverwaltung", "client_id": "a", "client_secret": "b",
                  "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"},
        "partner": {"client_id": "c", "client_secret": "d",
                    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"},
    }}
    at.run()
    labels = {b.key: b.label for b in at.sidebar.button if (b.key or "").startswith("sign_in_")}
    assert labels == {"sign_in_entra": "Anmelden: Kreisverwaltung", "sign_in_partner": "Anmelden: partner"}


def test_sign_ins_and_denials_are_logged_without_partner_data(files, caplog) -> None:
    caplog.set_level("INFO", logger="partnernetz.access")
    open_page(make_app(signed_in("redaktion@example.org")))
    open_page(make_app(signed_in("fremd@else.example")))
    lines = [r.getMessage() for r in caplog.records if r.name == "partnernetz.access"]
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ Anmeldung email=redaktion@example.org "
                            r"role=redaktion", line) for line in lines), lines
    assert any("Abgelehnt (keine Rolle) email=fremd@else.example role=public" in line for line in lines)
    assert_none_of("\n".join(lines), INTERNAL_CONTACT_MARKERS + NOTE_MARKERS + PUBLIC_MARKERS)


def test_english_ui_names_the_role(files) -> None:
    at = make_app(signed_in("mitglied@example.org"))
    at.query_params["lang"] = "EN"  # as the segmented control writes it
    at.run()
    side = sidebar_texts(at)
    assert "Signed in: Test mitglied" in side and "Role: Member" in side and "Sign out" in side


@pytest.mark.parametrize(("email", "notes"), [("mitglied@example.org", False),
                                              ("redaktion@example.org", True)])
def test_directory_card_marks_internal_contacts(files, email, notes) -> None:
    at = open_page(make_app(signed_in(email)))
    at.session_state["directory_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    html = " ".join(str(h.proto) for h in at.get("html"))
    assert "Ilse Internmarker" in html
    assert 'class=\\"pn-card__internal\\">intern</span>' in html
    assert ("NOTIZMARKER-Elternabend" in html) is notes
