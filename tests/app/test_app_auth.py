"""AppTest with ``at.user``: each role against a test access file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.access.markers import (
    AUTH_SECRETS,
    INTERNAL_CONTACT_MARKERS,
    NOTE_MARKERS,
    PUBLIC_MARKERS,
    write_marker_files,
)
from tests.conftest import ROOT


def signed_in(email: str, **claims: object) -> dict:
    """``st.user`` of a fresh sign-in with ``email``."""
    return {"is_logged_in": True, "email": email, "name": email.split("@")[0].title(),
            "iat": time.time() - 60, "exp": time.time() + 3600, **claims}


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    registry, access = write_marker_files(tmp_path)
    monkeypatch.setenv("PARTNERNETZ_REGISTRY", str(registry))
    monkeypatch.setenv("PARTNERNETZ_ACCESS", str(access))
    return registry, access


def make_app(user: dict | None = None, *, auth: bool = True) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    # a secrets dict of the test's own, never a developer's .streamlit/secrets.toml
    at.secrets = dict(AUTH_SECRETS) if auth else {"partnernetz": {"test": True}}
    at.user = user if user is not None else {"is_logged_in": False}
    return at


def open_directory(at: AppTest) -> AppTest:
    at.run()
    return at.switch_page("pages/directory.py").run()


def directory_text(at: AppTest) -> str:
    assert not at.exception, at.exception
    return at.dataframe[0].value.to_csv()


@pytest.mark.parametrize(("user", "contacts"), [
    (None, False),
    (signed_in("mitglied@example.org"), True),
    (signed_in("someone@kreis-hoexter.example"), True),
    (signed_in("nobody@else.example"), False),
])
def test_directory_shows_internal_contacts_only_from_mitglied(files, user, contacts) -> None:
    text = directory_text(open_directory(make_app(user)))
    assert all(m in text for m in PUBLIC_MARKERS)
    assert all((m in text) is contacts for m in INTERNAL_CONTACT_MARKERS[:1])
    assert not any(m in text for m in NOTE_MARKERS)
