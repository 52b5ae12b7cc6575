"""AppTest of the re-check loop: the answer page (good and bad links), bulk "geprüft", asking, proposals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from partnernetz.recheck.state import Request, read_state, update_state, with_requests
from partnernetz.recheck.tokens import link_key, make_token
from partnernetz.registry import writer
from partnernetz.registry.history import History
from tests.access.markers import AUTH_SECRETS, INTERNAL_CONTACT_MARKERS, NOTE_MARKERS
from tests.app.helpers import make_app, signed_in, use_files
from tests.recheck.conftest import SECRET, write_recheck_registry
from tests.recheck.smtp_server import smtp_inbox

KITA = "kita-marker-brakel"
SECRETS = {**AUTH_SECRETS, "recheck": {"secret": SECRET, "base_url": "https://partnernetz.example.org"}}


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    registry, _ = use_files(monkeypatch, *write_recheck_registry(tmp_path))
    return registry


def asked(registry: Path, partner_id: str = KITA, token_id: str = "apptesttok01",
          sent: dt.datetime | None = None) -> str:
    sent = sent or dt.datetime.now(dt.UTC)
    request = Request(partner_id=partner_id, token_id=token_id, sent=sent, channel="eml", by="r@example.org")
    update_state(registry, lambda s: with_requests(s, [request]))
    return make_token(partner_id, key=link_key(SECRET), issued=sent, token_id=token_id)


def answer_page(token: str, *, user: dict | None = None, secrets: dict | None = None) -> AppTest:
    at = make_app(user, secrets=SECRETS if secrets is None else secrets)
    at.run()
    assert not at.exception, at.exception
    at.query_params["token"] = token
    at.switch_page("app_pages/confirm.py").run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "error", "success", "warning", "info", "header")
             for e in getattr(at, kind)]
    parts += [str(getattr(e, "proto", "")) for e in at.get("html")]
    parts += [str(w.value) for w in at.text_input]
    return "\n".join(str(p) for p in parts)


def checklist(user_email: str = "redaktion@example.org", secrets: dict | None = None) -> AppTest:
    at = make_app(signed_in(user_email), secrets=SECRETS if secrets is None else secrets)
    at.run()
    at.switch_page("app_pages/checklist.py").run()
    assert not at.exception, at.exception
    return at


def test_answer_page_shows_one_partner_public_fields_only(registry: Path) -> None:
    at = answer_page(asked(registry))
    text = page_text(at)
    assert "Ist Ihr Eintrag noch aktuell?" in text and "Kita Markerhaus Brakel" in text
    assert "Paula Publikmarker" in text
    for marker in (*INTERNAL_CONTACT_MARKERS, *NOTE_MARKERS, "Beratung Markerstelle", "Schule Ohneintern"):
        assert marker not in text
    assert not at.sidebar.multiselect  # no filters, no directory


def test_answer_alles_aktuell_sets_verified_with_history(registry: Path) -> None:
    at = answer_page(asked(registry))
    at.button(key="confirm_yes").click().run()
    assert not at.exception, at.exception
    assert any("Vielen Dank" in s.value for s in at.success)
    assert str(writer.read_entries(registry)[KITA]["verified"]) == dt.date.today().isoformat()
    assert History(registry).entries()[0].comment == "bestätigt über Bestätigungslink"


def test_answer_page_english_where_the_entry_says_so(registry: Path) -> None:
    at = answer_page(asked(registry, "beratung-marker-hoexter", "apptesttok02"))
    assert any(h.value == "Is your entry still correct?" for h in at.header)
    assert "Kurt Verdecktmarker" not in page_text(at)
    at.segmented_control(key="confirm_lang").set_value("de").run()
    assert any(h.value == "Ist Ihr Eintrag noch aktuell?" for h in at.header)
    assert at.button(key="confirm_yes").label == "Alles noch aktuell"


def test_answer_geaendert_waits_as_proposal_and_redaktion_accepts(registry: Path) -> None:
    at = answer_page(asked(registry))
    before = registry.read_bytes()
    at.button(key="confirm_changed").click().run()
    at.text_input(key="cf_phone").set_value("05272 4242")
    at.text_input(key="cf_sender").set_value("Paula Publikmarker")
    at.button[-1].click().run()  # the form's submit button
    assert not at.exception, at.exception
    assert any("Ihre Änderungen (1)" in s.value for s in at.success), [e.value for e in at.error]
    assert registry.read_bytes() == before
    proposal = read_state(registry).open_proposals()[0]
    red = checklist()
    assert any("Vorschläge (1)" in tab.label for tab in red.tabs)
    red.radio(key=f"recheck_decision_{proposal.id}_phone").set_value("accepted").run()
    red.button(key=f"recheck_decide_{proposal.id}").click().run()
    assert not red.exception, red.exception
    assert writer.read_entries(registry)[KITA]["phone"] == "05272 4242"
    last = History(registry).entries()[0]
    assert last.author_email == "redaktion@example.org"
    assert "Kita Markerhaus Brakel (Paula Publikmarker)" in last.comment and "Telefon" in last.comment


def test_answer_with_invalid_email_says_which_field(registry: Path) -> None:
    at = answer_page(asked(registry))
    at.button(key="confirm_changed").click().run()
    at.text_input(key="cf_email").set_value("keine-adresse")
    at.button[-1].click().run()
    assert any("E-Mail" in e.value for e in at.error)
    assert read_state(registry).proposals == ()


@pytest.mark.parametrize(("case", "words"), [
    ("tampered", "ungültig"), ("expired", "abgelaufen"), ("revoked", "gilt nicht mehr"),
    ("garbage", "ungültig"), ("empty", "ungültig"), ("unknown", "keinen Eintrag"),
])
def test_bad_link_gets_a_short_german_message_and_nothing_else(registry: Path, case: str, words: str) -> None:
    token = asked(registry)
    if case == "tampered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif case == "expired":
        token = asked(registry, token_id="apptesttok09", sent=dt.datetime.now(dt.UTC) - dt.timedelta(days=61))
    elif case == "revoked":
        asked(registry, token_id="apptesttok03")  # a newer request revokes the first link
    elif case == "garbage":
        token = "<script>alert(1)</script>"
    elif case == "empty":
        token = ""
    elif case == "unknown":
        token = make_token("gibt-es-nicht", key=link_key(SECRET), issued=dt.datetime.now(dt.UTC))
    at = answer_page(token)
    assert len(at.error) == 1
    assert words in at.error[0].value
    assert "confirm_yes" not in [b.key for b in at.button]
    assert "Kita Markerhaus" not in page_text(at)


def test_answer_page_without_a_secret_says_links_are_not_set_up(registry: Path) -> None:
    at = answer_page(asked(registry), secrets={"recheck": {"base_url": "https://x.example.org"}})
    assert "nicht eingerichtet" in at.error[0].value


def test_bulk_mark_verified_writes_one_history_entry(registry: Path) -> None:
    at = checklist()
    at.button(key="recheck_select_all").click().run()
    assert len(at.multiselect(key="recheck.selected").value) == 3
    at.button(key="recheck_mark").click().run()
    assert any("3 Einträge als heute geprüft" in w.value for w in at.warning)
    at.button(key="recheck_mark_yes").click().run()
    assert not at.exception, at.exception
    today = dt.date.today().isoformat()
    assert all(str(e.get("verified")) == today for e in writer.read_entries(registry).values())
    entries = History(registry).entries()
    assert [e.kind for e in entries[:2]] == ["change", "initial"]  # one change for all three
    assert entries[0].comment == "geprüft (Sammelprüfung, 3 Einträge)"
    assert sorted(entries[0].partner_ids()) == sorted(writer.read_entries(registry))


def test_ask_without_smtp_offers_zip_and_csv_and_records_nothing_before_download(registry: Path) -> None:
    at = checklist()
    at.multiselect(key="recheck.selected").set_value([KITA, "schule-ohne-intern-warburg"]).run()
    at.button(key="recheck_ask").click().run()
    assert not at.exception, at.exception
    assert any("Ohne E-Mail-Adresse (bitte anrufen): Schule Ohneintern Warburg" in w.value.replace("\\", "")
               for w in at.warning)
    downloads = {d.key for d in at.get("download_button")}
    assert downloads == {"recheck_eml_ask", "recheck_csv_ask"}
    assert read_state(registry).requests == ()


def test_digest_tab_shows_what_changed_with_pdf_and_mail_text(registry: Path) -> None:
    at = answer_page(asked(registry))
    at.button(key="confirm_yes").click().run()
    red = checklist()
    assert not [d for d in red.get("download_button") if "digest" in d.proto.id]  # not before asked
    red.toggle(key="digest_show").set_value(True).run()
    assert not red.exception, red.exception
    html = " ".join(h.proto.body for h in red.get("html"))
    assert "Was hat sich geändert – Kreis Höxter" in html
    assert "Kita Markerhaus Brakel (bestätigt am" in html
    keys = {d.proto.id for d in red.get("download_button")}
    assert any("digest_pdf" in k for k in keys) and any("digest_txt" in k for k in keys)
    assert any("Antworten auf Nachfragen (1)" in c.value for c in red.code)


def test_mitglied_has_no_checklist_page(registry: Path) -> None:
    at = make_app(signed_in("mitglied@example.org"), secrets=SECRETS)
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/checklist.py")


def test_ask_through_smtp_sends_records_and_the_link_works(registry: Path) -> None:
    with smtp_inbox() as inbox:
        smtp = {"host": inbox.host, "port": inbox.port, "from": "integration@example.org", "starttls": False}
        secrets = {**SECRETS, "smtp": smtp}
        at = checklist(secrets=secrets)
        at.multiselect(key="recheck.selected").set_value([KITA, "beratung-marker-hoexter"]).run()
        at.button(key="recheck_ask").click().run()
        at.button(key="recheck_send_ask").click().run()
        assert not at.exception, at.exception
    assert sorted(r[0] for r in inbox.recipients) == ["beratung@example.org", "kita-markerhaus@example.org"]
    assert any("2 E-Mails verschickt" in s.value for s in at.success)
    state = read_state(registry)
    assert sorted(r.partner_id for r in state.requests) == ["beratung-marker-hoexter", KITA]
    assert {r.channel for r in state.requests} == {"smtp"}
    body = next(m for m in inbox.messages if "kita-markerhaus" in m["To"]).get_content()
    link = next(line for line in body.splitlines() if "bestaetigen?token=" in line)
    assert link.startswith("https://partnernetz.example.org/bestaetigen?token=")
    page = answer_page(link.split("token=")[1])
    assert "Kita Markerhaus Brakel" in page_text(page)


def test_editing_in_the_form_keeps_the_mail_language(registry: Path) -> None:
    at = make_app(signed_in("redaktion@example.org"), secrets=SECRETS)
    at.run()
    at.switch_page("app_pages/edit.py").run()
    at.selectbox(key="edit_choice").set_value("beratung-marker-hoexter").run()
    at.text_input(key="edit.form.beratung-marker-hoexter.phone").input("05271 123456")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert not at.exception, at.exception
    entry = writer.read_entries(registry)["beratung-marker-hoexter"]
    assert entry["phone"] == "05271 123456" and entry["mail_language"] == "en"


def test_reminder_due_after_three_weeks_is_sent_and_the_old_link_stops(registry: Path) -> None:
    old = asked(registry, sent=dt.datetime.now(dt.UTC) - dt.timedelta(days=22))
    with smtp_inbox() as inbox:
        smtp = {"host": inbox.host, "port": inbox.port, "from": "integration@example.org", "starttls": False}
        at = checklist(secrets={**SECRETS, "smtp": smtp})
        assert any("Erinnerung 1 fällig" in m.value for m in at.markdown)
        at.button(key="recheck_remind").click().run()
        at.button(key="recheck_send_remind").click().run()
        assert not at.exception, at.exception
    assert len(inbox.messages) == 1
    assert str(inbox.messages[0]["Subject"]).startswith("Erinnerung: Ist Ihr Eintrag")
    assert len(read_state(registry).requests_of(KITA)) == 2
    assert "gilt nicht mehr" in answer_page(old).error[0].value


def test_revoking_a_link_from_the_list_of_asked_partners(registry: Path) -> None:
    token = asked(registry)
    at = checklist()
    assert any("wartet auf Antwort" in m.value for m in at.markdown)
    at.button(key=f"recheck_revoke_{KITA}").click().run()
    assert not at.exception, at.exception
    assert read_state(registry).revoked == ()  # a confirmation first
    assert any("Link von Kita Markerhaus Brakel widerrufen?" in w.value for w in at.warning)
    assert not answer_page(token).error  # the link still works until confirmed
    at.button(key=f"recheck_revoke_yes_{KITA}").click().run()
    assert not at.exception, at.exception
    assert "apptesttok01" in read_state(registry).revoked
    assert "gilt nicht mehr" in answer_page(token).error[0].value


def test_smtp_relay_unreachable_says_so_and_records_nothing(registry: Path) -> None:
    with smtp_inbox() as inbox:
        port = inbox.port  # closed again below
    smtp = {"host": "127.0.0.1", "port": port, "from": "integration@example.org", "starttls": False,
            "timeout": 5}
    at = checklist(secrets={**SECRETS, "smtp": smtp})
    at.multiselect(key="recheck.selected").set_value([KITA]).run()
    at.button(key="recheck_ask").click().run()
    at.button(key="recheck_send_ask").click().run()
    assert not at.exception, at.exception
    assert any("hat nicht angenommen" in e.value for e in at.error)
    assert read_state(registry).requests == ()


def test_downloading_the_mails_records_who_was_asked_when_once_per_batch(registry: Path) -> None:
    at = checklist()
    at.multiselect(key="recheck.selected").set_value([KITA, "beratung-marker-hoexter"]).run()
    at.button(key="recheck_ask").click().run()
    assert read_state(registry).requests == ()
    before = dt.datetime.now(dt.UTC)
    at.download_button(key="recheck_eml_ask").click().run()
    assert not at.exception, at.exception
    requests = read_state(registry).requests
    assert sorted(r.partner_id for r in requests) == ["beratung-marker-hoexter", KITA]
    assert {r.channel for r in requests} == {"eml"}
    assert {r.by for r in requests} == {"Test redaktion <redaktion@example.org>"}  # the name signed_in gives
    assert all(before - dt.timedelta(seconds=5) <= r.sent <= dt.datetime.now(dt.UTC) for r in requests)
    at.download_button(key="recheck_csv_ask").click().run()  # the same links as CSV: not asked twice
    assert not at.exception, at.exception
    assert len(read_state(registry).requests) == 2
    assert any("wartet auf Antwort" in m.value and before.strftime("%d.%m.%Y") in m.value
               for m in at.markdown)
