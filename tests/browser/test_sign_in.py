"""Sign-in in real Chromium: ``streamlit run`` against oidc-provider-mock on loopback.

The test starts the test provider (``scripts/demo_login.py``'s users) and the
app on the marker registry (tests/access/markers.py) with an access file for
the demo users and a secrets file of its own (``--secrets.files``). Each test
gets a fresh browser context (no cookies).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from secrets import token_urlsafe

import pytest

from tests.access.markers import INTERNAL_CONTACT_MARKERS, NOTE_MARKERS, write_marker_files
from tests.browser.conftest import demo_login, free_port, running, wait_for_provider_and_app
from tests.browser.test_app_map import click_marker, open_map

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60_000
ALL_MARKERS = INTERNAL_CONTACT_MARKERS + NOTE_MARKERS
ACCESS = """\
contact: integration@example.org
roles:
  admin: [admin@example.org]
  redaktion: ["group:partnernetz-redaktion"]
  mitglied: [mitglied@example.org]
"""


demo = demo_login()


# Owners of the Kita (which has internal contacts), without a role: one the provider
# has verified, one it has not (the mock passes ``email_verified`` on in the ID token).
OWNER = "eigen@example.org"
UNVERIFIED_OWNER = "unbestaetigt@example.org"
OWNER_USERS: tuple[dict, ...] = (
    {"sub": OWNER, "email": OWNER, "name": "Eike Eigen", "email_verified": True},
    {"sub": UNVERIFIED_OWNER, "email": UNVERIFIED_OWNER, "name": "Uwe Unbestätigt",
     "email_verified": False},
)


@dataclass
class SignInApp:
    base_url: str
    provider_url: str
    log: Path
    access: Path


@pytest.fixture(scope="module")
def sign_in_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignInApp]:
    work = tmp_path_factory.mktemp("sign-in")
    registry, access = write_marker_files(work)
    access.write_text(ACCESS, encoding="utf-8")
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "    category: kita\n    town: Brakel\n",
        f"    category: kita\n    town: Brakel\n    owners: [{OWNER}, {UNVERIFIED_OWNER}]\n"),
        encoding="utf-8")
    app_port, idp_port = free_port(), free_port()
    secrets = work / "secrets.toml"
    secrets.write_text(demo.secrets_toml(app_port=app_port, provider_port=idp_port,
                                         cookie_secret=token_urlsafe(48)),
                       encoding="utf-8")
    (work / "cache").mkdir()
    env = {**os.environ, "PARTNERNETZ_REGISTRY": str(registry), "PARTNERNETZ_ACCESS": str(access),
           "PARTNERNETZ_CACHE_DIR": str(work / "cache"), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    app_cmd = [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard.py"),
               "--server.headless", "true", "--server.port", str(app_port),
               "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
               "--secrets.files", str(secrets)]
    users = demo.DEMO_USERS + OWNER_USERS
    with running(demo.provider_command(idp_port, users), env=env, log=work / "provider.log") as idp, \
            running(app_cmd, env=env, log=work / "streamlit.log") as app:
        provider_url = f"http://127.0.0.1:{idp_port}"
        base = f"http://127.0.0.1:{app_port}"
        wait_for_provider_and_app(provider=(provider_url, idp), app=(f"{base}/_stcore/health", app),
                                  work=work)
        yield SignInApp(base, provider_url, work / "streamlit.log", access)


def record_ws_received(rec) -> list[bytes]:
    """Every websocket frame the page receives from now on (as bytes)."""
    frames: list[bytes] = []

    def on_websocket(ws) -> None:
        ws.on("framereceived", lambda payload: frames.append(
            payload if isinstance(payload, bytes) else str(payload).encode()))

    rec.page.on("websocket", on_websocket)
    return frames


def wait_for_app(rec) -> None:
    rec.page.get_by_role("heading", name=re.compile("Partnernetz")).wait_for(timeout=TIMEOUT)
    rec.page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)


def sidebar(rec) -> str:
    return rec.page.locator('[data-testid="stSidebar"]').inner_text()


def sign_in(rec, app: SignInApp, email: str) -> None:
    """Sign in through the provider's form, as a person would."""
    rec.page.goto(app.base_url, timeout=TIMEOUT)
    wait_for_app(rec)
    rec.page.get_by_role("button", name="Anmelden: Demo-Anbieter").click()
    rec.page.wait_for_url(f"{app.provider_url}/oauth2/authorize**", timeout=TIMEOUT)
    rec.page.get_by_role("button", name=email, exact=True).click()
    rec.page.wait_for_url(f"{app.base_url}/**", timeout=TIMEOUT)
    rec.page.get_by_text("Angemeldet:").wait_for(timeout=TIMEOUT)
    wait_for_app(rec)


def open_page(rec, name: str) -> None:
    rec.page.locator('.st-key-pn-nav').get_by_role("link", name=name).click()
    rec.page.get_by_role("heading", name=name, exact=True).wait_for(timeout=TIMEOUT)
    wait_for_app(rec)
    if name == "Verzeichnis":  # the table and the downloads are the last elements
        rec.page.locator(".st-key-download_vcf button").wait_for(timeout=TIMEOUT)
        rec.page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=TIMEOUT)


def download(rec, ext: str) -> tuple[str, bytes]:
    """Click the directory's download button for ``ext`` (csv, xlsx, vcf)."""
    with rec.page.expect_download(timeout=TIMEOUT) as info:
        rec.page.locator(f".st-key-download_{ext} button").click()
    dl = info.value
    return dl.suggested_filename, Path(dl.path()).read_bytes()


def audit_events(app: SignInApp) -> list[dict]:
    """The audit log lines of the app's server log (one JSON object per line)."""
    return [json.loads(line) for line in app.log.read_text(encoding="utf-8").splitlines()
            if line.startswith('{"time":')]


def _without_time(event: dict) -> dict:
    return {k: v for k, v in event.items() if k != "time"}


def all_frames_html(rec) -> str:
    return "\n".join(frame.content() for frame in rec.page.frames)


def found(markers: tuple[str, ...], *texts: str | bytes) -> list[str]:
    out = []
    for marker in markers:
        for text in texts:
            haystack = text if isinstance(text, bytes) else text.encode()
            if marker.encode() in haystack:
                out.append(marker)
                break
    return out


# role -> (role label in the sidebar, internal contacts seen, notes seen, Zugang page)
ROLES = {
    "mitglied@example.org": ("Mitglied", True, False, False),
    "redaktion@example.org": ("Redaktion", True, True, False),
    "admin@example.org": ("Admin", True, True, True),
}


@pytest.mark.parametrize("email", list(ROLES))
def test_sign_in_as_demo_user_shows_that_role_then_sign_out(page, sign_in_app, email) -> None:
    label, contacts, notes, access_page = ROLES[email]
    frames = record_ws_received(page)
    sign_in(page, sign_in_app, email)
    page.page.get_by_role("button", name="Abmelden").wait_for(timeout=TIMEOUT)
    side = sidebar(page)
    assert f"Rolle: {label}" in side and "Abmelden" in side and "Interne Ansicht" in side
    page.page.locator('.st-key-pn-nav a').first.wait_for(timeout=TIMEOUT)
    nav = page.page.locator('.st-key-pn-nav').inner_text()
    assert ("Zugang" in nav) is access_page

    open_page(page, "Verzeichnis")
    received = b"".join(frames)
    assert found(INTERNAL_CONTACT_MARKERS, received) == (list(INTERNAL_CONTACT_MARKERS) if contacts else [])
    assert found(NOTE_MARKERS, received) == (list(NOTE_MARKERS) if notes else [])
    name, data = download(page, "csv")
    assert "intern" in name and "oeffentlich" not in name, name
    role_key = label.lower()
    assert {"event": "export_internal", "user": email, "role": role_key, "target": name,
            "outcome": "ok"} in [_without_time(e) for e in audit_events(sign_in_app)]
    assert data.decode("utf-8-sig").startswith("# Partnernetz – intern:")
    assert "Ilse Internmarker" in data.decode("utf-8-sig")
    assert ("NOTIZMARKER-Elternabend" in data.decode("utf-8-sig")) is notes

    frame = open_map(page, f"{sign_in_app.base_url}/karte")
    click_marker(page, frame, "kita-marker-brakel")
    card = frame.locator(".leaflet-popup-content .pn-card")
    assert card.locator(".pn-card__internal").first.inner_text() == "intern"
    assert ("NOTIZMARKER-Elternabend" in card.inner_text()) is notes
    page.page.screenshot(path=str(REPO / "test-artifacts" / "screenshots" /
                                  f"sign_in_card_{label.lower()}.png"))

    if access_page:
        open_page(page, "Zugang")
        page.page.get_by_role("heading", name=re.compile("Letzte Anmeldungen")).wait_for(
            timeout=TIMEOUT)
        tables = page.page.locator('[data-testid="stDataFrame"]')
        tables.nth(1).wait_for(timeout=TIMEOUT)  # the roles, then the recent sign-ins
        assert tables.count() == 2

    page.page.get_by_role("button", name="Abmelden").click()
    # the provider's end-session page, then back to the app
    page.page.wait_for_url(re.compile(r"end_session|127\.0\.0\.1:\d+/$"), timeout=TIMEOUT)
    if "end_session" in page.page.url:
        page.page.get_by_role("button", name="End session").click()
    page.page.get_by_role("button", name="Anmelden: Demo-Anbieter").wait_for(timeout=TIMEOUT)
    assert "Angemeldet" not in sidebar(page)
    assert not [c for c in page.page.context.cookies() if c["name"].startswith("_streamlit_user")]


def test_anonymous_browser_gets_no_internal_marker_in_html_or_websocket(page, sign_in_app) -> None:
    frames = record_ws_received(page)
    page.page.goto(sign_in_app.base_url, timeout=TIMEOUT)
    wait_for_app(page)
    html = [all_frames_html(page)]
    for name in ("Karte", "Verzeichnis", "Abdeckung", "Übersicht"):
        open_page(page, name)
        if name == "Karte":
            frame = open_map(page, f"{sign_in_app.base_url}/karte")
            click_marker(page, frame, "kita-marker-brakel")
        html.append(all_frames_html(page))
    open_page(page, "Verzeichnis")
    downloads = [download(page, ext) for ext in ("csv", "xlsx", "vcf")]
    assert frames, "no websocket frames recorded"
    assert found(ALL_MARKERS, *html, *frames) == []
    assert b"Paula Publikmarker" in b"".join(frames)  # the public contact does arrive
    for file_name, data in downloads:
        assert "oeffentlich" in file_name, file_name
        assert found(ALL_MARKERS, data) == []
    # public downloads are not internal data: the audit log has no download of these files
    names = {file_name for file_name, _ in downloads}
    assert not [e for e in audit_events(sign_in_app) if e["target"] in names]


def _tamper(value: str, old: str, new: str) -> str:
    """Swap ``old`` for ``new`` inside a signed (compressed) cookie payload, keeping its signature."""
    payload, sep, signature = value.lstrip(".").partition(".")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    text = zlib.decompress(raw) if value.startswith(".") else raw
    changed = text.replace(old.encode(), new.encode())
    assert changed != text
    body = zlib.compress(changed) if value.startswith(".") else changed
    encoded = base64.urlsafe_b64encode(body).decode().rstrip("=")
    return ("." if value.startswith(".") else "") + encoded + sep + signature


def test_tampered_identity_cookie_gives_public_view(page, sign_in_app, browser) -> None:
    sign_in(page, sign_in_app, "mitglied@example.org")
    context = page.page.context
    cookies = context.cookies()
    user = next(c for c in cookies if c["name"] == "_streamlit_user")
    tampered = dict(user, value=_tamper(user["value"], "mitglied@example.org", "admin@example.org"))
    context.add_cookies([tampered])
    frames = record_ws_received(page)
    page.page.goto(sign_in_app.base_url, timeout=TIMEOUT)
    wait_for_app(page)
    page.page.get_by_role("button", name="Anmelden: Demo-Anbieter").wait_for(timeout=TIMEOUT)
    assert "Angemeldet" not in sidebar(page)
    open_page(page, "Verzeichnis")
    assert found(ALL_MARKERS, all_frames_html(page), *frames) == []


# --------------------------------------------------------------------------- owners (issue 17 §1)


def nav_text(rec) -> str:
    rec.page.locator('.st-key-pn-nav a').first.wait_for(timeout=TIMEOUT)
    return rec.page.locator('.st-key-pn-nav').inner_text()


@contextlib.contextmanager
def access_file(app: SignInApp, text: str) -> Iterator[None]:
    """The access file replaced by ``text`` for the block (the app reads it on its next run)."""
    try:
        app.access.write_text(text, encoding="utf-8")
        yield
    finally:
        app.access.write_text(ACCESS, encoding="utf-8")


def reload_app(rec, app: SignInApp) -> list[bytes]:
    frames = record_ws_received(rec)
    rec.page.goto(app.base_url, timeout=TIMEOUT)
    wait_for_app(rec)
    return frames


def assert_owner_has_no_rights(rec, app: SignInApp, frames: list[bytes]) -> None:
    assert "Bearbeiten" not in nav_text(rec)
    rec.page.goto(f"{app.base_url}/bearbeiten", timeout=TIMEOUT)  # typed in by hand
    wait_for_app(rec)
    assert "Bearbeiten" not in nav_text(rec)
    assert found(ALL_MARKERS, all_frames_html(rec), *frames) == []


def test_owner_with_verified_email_edits_own_entry(page, sign_in_app) -> None:
    frames = record_ws_received(page)
    sign_in(page, sign_in_app, OWNER)
    assert "Rolle: öffentlich" in sidebar(page)
    page.page.locator('.st-key-pn-nav').get_by_role("link", name="Bearbeiten").click()
    page.page.get_by_role("heading", name="Partner bearbeiten").wait_for(timeout=TIMEOUT)
    wait_for_app(page)
    page.page.get_by_role("button", name="Speichern").wait_for(timeout=TIMEOUT)
    page.page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=TIMEOUT)  # contacts
    assert "Ilse Internmarker" in b"".join(frames).decode("utf-8", "replace")


def test_owner_with_unverified_email_gets_no_rights(page, sign_in_app) -> None:
    frames = record_ws_received(page)
    sign_in(page, sign_in_app, UNVERIFIED_OWNER)
    side = sidebar(page)
    assert f"{UNVERIFIED_OWNER} ist beim Anbieter nicht bestätigt" in side, side
    assert "Rolle: öffentlich" in side
    assert_owner_has_no_rights(page, sign_in_app, frames)
    assert {"event": "sign_in_denied", "user": UNVERIFIED_OWNER, "role": "public", "target": None,
            "outcome": "unverified"} in [_without_time(e) for e in audit_events(sign_in_app)]


def test_owner_whose_sign_in_expired_gets_no_rights(page, sign_in_app) -> None:
    sign_in(page, sign_in_app, OWNER)
    assert "Bearbeiten" in nav_text(page)
    with access_file(sign_in_app, ACCESS + "session_hours: 0.0001\n"):  # 0.36 s: already over
        frames = reload_app(page, sign_in_app)
        page.page.get_by_text("Die Anmeldung ist abgelaufen").wait_for(timeout=TIMEOUT)
        page.page.get_by_role("button", name="Anmelden: Demo-Anbieter").wait_for(timeout=TIMEOUT)
        assert_owner_has_no_rights(page, sign_in_app, frames)


def test_owner_with_invalid_access_file_gets_no_rights(page, sign_in_app) -> None:
    sign_in(page, sign_in_app, OWNER)
    assert "Bearbeiten" in nav_text(page)
    broken = ACCESS.replace("mitglied: [mitglied@example.org]", "mitglied: [mitglied@]")
    with access_file(sign_in_app, broken):
        frames = reload_app(page, sign_in_app)
        page.page.get_by_text("Die Zugangsdatei ist fehlerhaft").wait_for(timeout=TIMEOUT)
        assert_owner_has_no_rights(page, sign_in_app, frames)
