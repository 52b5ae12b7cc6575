"""The "Noch aktuell?" e-mails: German and English, ZIP of .eml, mail-merge CSV, loopback SMTP."""

from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import io
import zipfile
from pathlib import Path

import pytest

from partnernetz.errors import RecheckError
from partnernetz.recheck.mails import (
    compose_request,
    eml_zip,
    mail_merge_csv,
    prepare_requests,
    send_mails,
    smtp_settings,
    to_message,
)
from partnernetz.recheck.tokens import read_token
from partnernetz.registry import writer
from tests.recheck.smtp_server import smtp_inbox

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
IDS = ["kita-marker-brakel", "beratung-marker-hoexter", "schule-ohne-intern-warburg"]


def prepared(registry: Path, key: bytes, channel: str = "eml"):
    return prepare_requests(
        writer.read_entries(registry), IDS, key=key, base_url="https://partnernetz.example.org/",
        region="Kreis Höxter", sender="integration@example.org", sender_name="KI Kreis Höxter",
        by="redaktion@example.org", channel=channel, now=NOW,
    )


def test_mail_german_names_the_entry_and_carries_its_own_link(recheck_registry: Path, key: bytes) -> None:
    mails, skipped = prepared(recheck_registry, key)
    assert skipped == ["schule-ohne-intern-warburg"]  # no address at all
    kita = next(m for m in mails if m.partner_id == "kita-marker-brakel")
    body = kita.text.body
    assert kita.text.subject == "Ist Ihr Eintrag im Partnernetz noch aktuell? (Kita Markerhaus Brakel)"
    assert "Guten Tag," in body and "Telefon: 05272 1000" in body and "Kreis Höxter" in body
    assert "gilt bis zum 05.02.2027" in body
    assert kita.link.startswith("https://partnernetz.example.org/bestaetigen?token=")
    assert kita.link in body
    token = kita.link.split("token=")[1]
    assert read_token(token, key=key, now=NOW).partner_id == "kita-marker-brakel"
    assert "kita-markerhaus@example.org" in kita.message["To"]
    for marker in ("NOTIZMARKER", "Ilse Internmarker", "05272 999111", "Beratung Markerstelle"):
        assert marker not in body


def test_mail_english_where_the_entry_says_so(recheck_registry: Path, key: bytes) -> None:
    mails, _ = prepared(recheck_registry, key)
    beratung = next(m for m in mails if m.partner_id == "beratung-marker-hoexter")
    body = beratung.text.body
    assert beratung.text.subject.startswith("Is your entry in the Partnernetz directory still correct?")
    assert body.startswith("Hello,") and "Guten Tag" not in body
    assert "until 2027-02-05" in body and beratung.request.lang == "en"
    assert "Kurt Verdecktmarker" not in body and "NOTIZMARKER" not in body


def test_each_partner_gets_a_link_of_its_own(recheck_registry: Path, key: bytes) -> None:
    mails, _ = prepared(recheck_registry, key)
    assert len({m.link for m in mails}) == len(mails) == 2
    assert len({m.request.token_id for m in mails}) == 2


def test_eml_zip_holds_one_readable_message_per_partner(recheck_registry: Path, key: bytes) -> None:
    mails, _ = prepared(recheck_registry, key)
    with zipfile.ZipFile(io.BytesIO(eml_zip(mails))) as archive:
        names = sorted(archive.namelist())
        assert names == ["beratung-marker-hoexter.eml", "kita-marker-brakel.eml"]
        raw = archive.read("kita-marker-brakel.eml")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"].startswith("Ist Ihr Eintrag")
    assert "bestaetigen?token=" in message.get_content()


def test_mail_merge_csv_has_address_name_link_and_text(recheck_registry: Path, key: bytes) -> None:
    mails, _ = prepared(recheck_registry, key, "csv")
    data = mail_merge_csv(mails)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [r["EMail"] for r in rows] == ["kita-markerhaus@example.org", "beratung@example.org"]
    assert rows[0]["Name"] == "Kita Markerhaus Brakel" and rows[0]["Link"] in rows[0]["Text"]
    assert rows[1]["Sprache"] == "en"


def test_send_through_loopback_smtp_delivers_every_mail(recheck_registry: Path, key: bytes) -> None:
    mails, _ = prepared(recheck_registry, key, "smtp")
    with smtp_inbox() as inbox:
        settings = smtp_settings({"host": inbox.host, "port": inbox.port, "from": "integration@example.org",
                                  "starttls": False})
        sent = send_mails(mails, settings)
    assert [r.partner_id for r in sent] == ["kita-marker-brakel", "beratung-marker-hoexter"]
    assert inbox.recipients == [["kita-markerhaus@example.org"], ["beratung@example.org"]]
    received = inbox.messages[0].get_content()
    assert mails[0].link in received


def test_send_to_a_closed_port_says_so_in_german(recheck_registry: Path, key: bytes) -> None:
    mails, _ = prepared(recheck_registry, key, "smtp")
    with smtp_inbox() as inbox:
        port = inbox.port
    settings = smtp_settings({"host": "127.0.0.1", "port": port, "from": "integration@example.org",
                              "starttls": False, "timeout": 5})
    with pytest.raises(RecheckError, match=r"hat nicht angenommen.*0 E-Mails"):
        send_mails(mails, settings)


def test_smtp_settings_incomplete_names_the_key() -> None:
    assert smtp_settings(None) is None
    with pytest.raises(RecheckError, match=r"\[smtp\] host"):
        smtp_settings({"port": 25, "from": "a@example.org"})


def test_mail_headers_with_umlauts_read_back_exactly() -> None:
    name = "Kita Sonnenschein Höxter – ein sehr langer Name mit Umlauten äöü und noch mehr Wörtern"
    text = compose_request({"id": "kita-x", "name": name, "email": "kita@example.org"},
                           link="https://partnernetz.example.org/bestaetigen?token=abc.def",
                           region="Kreis Höxter", sender_name="KI Kreis Höxter",
                           valid_until=dt.date(2027, 2, 5))
    message = to_message(text, sender="integration@example.org", sender_name="KI Kreis Höxter",
                         partner_id="kita-x", now=NOW)
    back = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert str(back["Subject"]) == f"Ist Ihr Eintrag im Partnernetz noch aktuell? ({name})"
    assert back["To"].addresses[0].display_name == name
    assert back["From"].addresses[0].display_name == "KI Kreis Höxter"
    assert "https://partnernetz.example.org/bestaetigen?token=abc.def" in back.get_content()
