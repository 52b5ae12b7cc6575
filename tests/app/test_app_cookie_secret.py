"""AppTest: a weak ``[auth] cookie_secret`` keeps sign-in off (issue 17 §2).

Whoever knows the secret forges any identity cookie. With a short, uniform or
documented secret the app shows no sign-in button, ignores ``st.user`` (so
even a cookie that claims an admin gives the public view), says why in the
sidebar (the reason and the command, never the secret) and logs it once.
"""

from __future__ import annotations

import secrets

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import cached
from partnernetz.access.secret import SECRET_COMMAND
from tests.access.markers import AUTH_SECRETS, INTERNAL_CONTACT_MARKERS, NOTE_MARKERS
from tests.app import helpers
from tests.app.helpers import everything, open_page, signed_in

ADMIN = signed_in("admin@example.org", name="Ada Admin", email_verified=True)
WEAK = {
    "example": "a long random string",
    "short": secrets.token_urlsafe(16),
    "uniform": "0123456789" * 4,
}


def make_app(cookie_secret: str, *, lang: str = "de") -> AppTest:
    at = helpers.make_app(dict(ADMIN),
                          secrets={"auth": {**AUTH_SECRETS["auth"], "cookie_secret": cookie_secret}})
    if lang != "de":
        at.query_params["lang"] = lang
    return at


@pytest.mark.parametrize("kind", list(WEAK))
def test_weak_cookie_secret_keeps_sign_in_off_and_says_why(files, kind) -> None:
    at = open_page(make_app(WEAK[kind]), "app_pages/directory.py")
    labels = [b.label for b in at.sidebar.button]
    assert not any("Anmelden" in label or "Abmelden" in label for label in labels), labels
    text = everything(at)
    assert "Angemeldet" not in text and "Rolle: Admin" not in text
    leaked = [m for m in INTERNAL_CONTACT_MARKERS + NOTE_MARKERS if m in text]
    assert not leaked, f"a forged admin cookie got {leaked}"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/access.py").run()
    warning = " ".join(w.value for w in at.sidebar.warning)
    assert "Anmeldung ausgeschaltet" in warning and SECRET_COMMAND in warning
    assert WEAK[kind] not in warning and WEAK[kind] not in text


def test_weak_cookie_secret_notice_in_english(files) -> None:
    at = make_app(WEAK["short"], lang="en")
    at.run()
    assert not at.exception, at.exception
    warning = " ".join(w.value for w in at.sidebar.warning)
    assert "Sign-in is off: The cookie_secret is too short" in warning
    assert SECRET_COMMAND in warning


def test_strong_cookie_secret_offers_sign_in(files) -> None:
    at = make_app(secrets.token_urlsafe(48))
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception, at.exception
    assert [b.label for b in at.sidebar.button if b.key == "sign_in_default"] == ["Anmelden"]
    assert not any("ausgeschaltet" in w.value for w in at.sidebar.warning)


def test_weak_cookie_secret_is_logged_once_without_the_secret(files, caplog) -> None:
    caplog.set_level("INFO", logger="partnernetz.access")
    cached.log_once.clear()
    for _ in range(2):
        at = make_app(WEAK["example"])
        at.run()
        assert not at.exception, at.exception
        at.run()
    lines = [r.getMessage() for r in caplog.records if r.name == "partnernetz.access"]
    off = [line for line in lines if "Anmeldung ausgeschaltet" in line]
    assert len(off) == 1, lines
    assert "Beispiel aus der Dokumentation" in off[0] and SECRET_COMMAND in off[0]
    assert WEAK["example"] not in off[0]
