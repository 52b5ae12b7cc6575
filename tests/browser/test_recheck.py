"""The confirmation link end to end in Chromium.

The e-mails go to a local SMTP server on loopback (aiosmtpd); the link is
taken from the received message and opened in Chromium, where the partner
answers "Etwas hat sich geändert". Redaktion accepts the proposal (signed in
through ``at.user`` in AppTest, on the same registry), and the history names
both. Bad links (tampered, expired, revoked, garbage) show one German
message and nothing of the entry.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from partnernetz.recheck.mails import prepare_requests, send_mails, smtp_settings
from partnernetz.recheck.state import Request, read_state, update_state, with_requests
from partnernetz.recheck.tokens import link_key, make_token
from partnernetz.registry import writer
from partnernetz.registry.history import History
from tests.access.markers import INTERNAL_CONTACT_MARKERS, NOTE_MARKERS
from tests.browser.conftest import free_port, stop_process, wait_for_health
from tests.recheck.conftest import SECRET, write_recheck_registry
from tests.recheck.smtp_server import smtp_inbox

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60_000
KITA = "kita-marker-brakel"


@dataclass
class RecheckApp:
    base_url: str
    registry: Path
    access: Path
    log: Path


@pytest.fixture(scope="module")
def recheck_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RecheckApp]:
    work = tmp_path_factory.mktemp("recheck")
    registry, access = write_recheck_registry(work)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    secrets = work / "secrets.toml"
    secrets.write_text(f'[recheck]\nsecret = "{SECRET}"\nbase_url = "{base}"\n', encoding="utf-8")
    (work / "cache").mkdir()
    env = {**os.environ, "PARTNERNETZ_REGISTRY": str(registry), "PARTNERNETZ_ACCESS": str(access),
           "PARTNERNETZ_CACHE_DIR": str(work / "cache"), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard.py"),
           "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.fileWatcherType", "none", "--secrets.files", str(secrets)]
    log = work / "streamlit.log"
    with log.open("w") as out:
        process = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        try:
            wait_for_health(f"{base}/_stcore/health", process=process)
        except (RuntimeError, TimeoutError) as err:
            pytest.fail(f"{err}\n--- streamlit ---\n{log.read_text()[-3000:]}")
        yield RecheckApp(base, registry, access, log)
    finally:
        stop_process(process)


def send_request(app: RecheckApp, partner_id: str = KITA) -> str:
    """Send the e-mail to the loopback SMTP server; the link from the received message."""
    mails, _ = prepare_requests(
        writer.read_entries(app.registry), [partner_id], key=link_key(SECRET), base_url=app.base_url,
        region="Kreis Höxter", sender="integration@example.org", sender_name="KI Kreis Höxter",
        by="redaktion@example.org", channel="smtp", now=dt.datetime.now(dt.UTC))
    with smtp_inbox() as inbox:
        settings = smtp_settings({"host": inbox.host, "port": inbox.port, "from": "integration@example.org",
                                  "starttls": False})
        sent = send_mails(mails, settings)
    update_state(app.registry, lambda s: with_requests(s, sent))
    body = inbox.messages[0].get_content()
    return next(line.strip() for line in body.splitlines() if "/bestaetigen?token=" in line)


def wait_until_idle(rec) -> None:
    rec.page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)


def main_text(rec) -> str:
    return rec.page.locator('[data-testid="stMain"]').inner_text()


def test_link_from_the_mail_answer_geaendert_accept_as_redaktion_in_history(page, recheck_app, monkeypatch):
    link = send_request(recheck_app)
    assert link.startswith(recheck_app.base_url + "/bestaetigen?token=")
    page.page.goto(link, timeout=TIMEOUT)
    page.page.get_by_role("heading", name="Ist Ihr Eintrag noch aktuell?").wait_for(timeout=TIMEOUT)
    page.page.get_by_role("button", name="Etwas hat sich geändert").wait_for(timeout=TIMEOUT)
    wait_until_idle(page)
    shown = main_text(page)
    assert "Kita Markerhaus Brakel" in shown and "Paula Publikmarker" in shown
    for marker in (*INTERNAL_CONTACT_MARKERS, *NOTE_MARKERS, "Beratung Markerstelle"):
        assert marker not in page.page.content()
    page.page.get_by_role("button", name="Etwas hat sich geändert").click()
    phone = page.page.get_by_label("Telefon", exact=True)
    phone.wait_for(timeout=TIMEOUT)
    phone.fill("05272 5555")
    page.page.get_by_label("Ihr Name (für Rückfragen, freiwillig)").fill("Paula Publikmarker")
    page.page.get_by_role("button", name="Änderungen senden").click()
    page.page.get_by_text("Vielen Dank! Ihre Änderungen (1)").wait_for(timeout=TIMEOUT)
    assert writer.read_entries(recheck_app.registry)[KITA]["phone"] == "05272 1000"  # not live yet
    proposal = read_state(recheck_app.registry).open_proposals()[0]
    assert [f.field for f in proposal.fields] == ["phone"]

    # redaktion accepts (signed in through at.user, same registry)
    monkeypatch.setenv("PARTNERNETZ_REGISTRY", str(recheck_app.registry))
    monkeypatch.setenv("PARTNERNETZ_ACCESS", str(recheck_app.access))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.secrets = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback",
                           "cookie_secret": "browser-test-cookie-secret-0123456789",
                           "client_id": "partnernetz", "client_secret": "test",
                           "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"},
                  "recheck": {"secret": SECRET, "base_url": recheck_app.base_url}}
    at.user = {"is_logged_in": True, "email": "redaktion@example.org", "name": "Erika Redaktion",
               "iat": time.time() - 60, "exp": time.time() + 3600}
    at.run()
    at.switch_page("app_pages/checklist.py").run()
    at.radio(key=f"recheck_decision_{proposal.id}_phone").set_value("accepted").run()
    at.button(key=f"recheck_decide_{proposal.id}").click().run()
    assert not at.exception, at.exception
    assert writer.read_entries(recheck_app.registry)[KITA]["phone"] == "05272 5555"
    at.switch_page("app_pages/history.py").run()
    assert not at.exception, at.exception
    newest = History(recheck_app.registry).entries()[0]
    assert newest.author_email == "redaktion@example.org"
    assert "Kita Markerhaus Brakel (Paula Publikmarker)" in newest.comment
    titles = [e.label for e in at.expander]
    assert "redaktion@example.org" in titles[0]
    comments = [e.value for e in at.text if "Vorschlag von" in e.value]
    assert comments and "Kita Markerhaus Brakel (Paula Publikmarker)" in comments[0]


def _bad_links(app: RecheckApp) -> dict[str, str]:
    key = link_key(SECRET)
    now = dt.datetime.now(dt.UTC)
    good = make_token(KITA, key=key, issued=now, token_id="browserbad01")
    revoked = make_token(KITA, key=key, issued=now, token_id="browserbad02")
    request = Request(partner_id=KITA, token_id="browserbad02", sent=now, channel="eml", by="r@example.org")
    newer = Request(partner_id=KITA, token_id="browserbad03", sent=now, channel="eml", by="r@example.org")
    update_state(app.registry, lambda s: with_requests(with_requests(s, [request]), [newer]))
    return {
        "ungültig": good[:-3] + ("xyz" if not good.endswith("xyz") else "abc"),
        "abgelaufen": make_token(KITA, key=key, issued=now - dt.timedelta(days=70)),
        "gilt nicht mehr": revoked,
        "ungültig ": "kaputt",
    }


def test_bad_links_show_one_german_message_and_nothing_of_the_entry(page, recheck_app):
    for words, token in _bad_links(recheck_app).items():
        page.page.goto(f"{recheck_app.base_url}/bestaetigen?token={token}", timeout=TIMEOUT)
        alert = page.page.locator('[data-testid="stAlertContentError"]')
        alert.wait_for(timeout=TIMEOUT)
        wait_until_idle(page)
        assert words.strip() in alert.inner_text()
        html = page.page.content()
        assert "Kita Markerhaus" not in html and "Paula Publikmarker" not in html
        assert page.page.get_by_role("button", name="Alles noch aktuell").count() == 0
        assert re.search(r"/bestaetigen\?token=", page.page.url)


def test_answer_page_at_phone_width_in_english(browser, recheck_app):
    link = send_request(recheck_app, "beratung-marker-hoexter")  # mail_language: en
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url
                  else route.abort())
    try:
        pg = context.new_page()
        pg.goto(link, timeout=TIMEOUT)
        pg.get_by_role("heading", name="Is your entry still correct?").wait_for(timeout=TIMEOUT)
        yes = pg.get_by_role("button", name="Everything is still correct")
        changed = pg.get_by_role("button", name="Something has changed")
        yes.wait_for(timeout=TIMEOUT)
        assert changed.is_visible()
        width = pg.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
        assert width <= 390
        pg.wait_for_function("() => document.documentElement.lang === 'en'", timeout=TIMEOUT)
        assert not pg.locator('[data-testid="stSidebar"]').is_visible()
        assert "Kurt Verdecktmarker" not in pg.content() and "NOTIZMARKER" not in pg.content()
        yes.click()
        pg.get_by_text("Thank you! Your entry is marked as checked.").wait_for(timeout=TIMEOUT)
    finally:
        context.close()
    assert str(writer.read_entries(recheck_app.registry)["beratung-marker-hoexter"]["verified"]) == \
        dt.date.today().isoformat()


@pytest.mark.parametrize("state", ["answer", "form", "bad"])
def test_axe_finds_no_violation_on_the_answer_page(page, recheck_app, state):
    from tests.browser.test_accessibility import AXE_JS, assert_no_violations, run_axe

    url = f"{recheck_app.base_url}/bestaetigen?token=kaputt" if state == "bad" else send_request(recheck_app)
    page.page.goto(url, timeout=TIMEOUT)
    if state == "bad":
        page.page.locator('[data-testid="stAlertContentError"]').wait_for(timeout=TIMEOUT)
    else:
        page.page.get_by_role("button", name="Etwas hat sich geändert").wait_for(timeout=TIMEOUT)
    if state == "form":
        page.page.get_by_role("button", name="Etwas hat sich geändert").click()
        page.page.get_by_role("button", name="Änderungen senden").wait_for(timeout=TIMEOUT)
    wait_until_idle(page)
    assert_no_violations(run_axe(page.page, AXE_JS.read_text(encoding="utf-8")), f"bestaetigen ({state})")
