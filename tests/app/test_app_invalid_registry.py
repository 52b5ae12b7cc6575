"""AppTest: an invalid registry's report is for the Redaktion only (issue 17 §8).

The validation report quotes text from the file. Anonymous visitors,
Mitglieder and owners see only that the data is being repaired and whom to
ask (the access file's ``contact``); the Redaktion and admins see the report.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.access.markers import AUTH_SECRETS, write_marker_files
from tests.conftest import ROOT

QUOTED = "Hoxtr-Zitatmarker"  # a value the report quotes from the file
CONTACT = "integration@kreis-hoexter.example"


def signed_in(email: str) -> dict:
    return {"is_logged_in": True, "email": email, "name": "Test", "email_verified": True,
            "iat": time.time() - 60, "exp": time.time() + 3600}


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    registry, access = write_marker_files(tmp_path)
    monkeypatch.setenv("PARTNERNETZ_REGISTRY", str(registry))
    monkeypatch.setenv("PARTNERNETZ_ACCESS", str(access))
    return registry


def break_registry(registry: Path) -> None:
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("town: Warburg", f"town: {QUOTED}", 1), encoding="utf-8")


def make_app(user: dict | None = None, *, lang: str = "de") -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.secrets = dict(AUTH_SECRETS)
    at.user = user if user is not None else {"is_logged_in": False}
    if lang != "de":
        at.query_params["lang"] = lang
    return at


def shown_text(at: AppTest) -> str:
    parts = [e.value for e in at.error] + [c.value for c in at.code] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [c.value for c in at.caption]
    parts += [m.value for m in at.markdown] + [str(f.value) for f in at.dataframe]
    return "\n".join(parts)


@pytest.mark.parametrize("user", [None, signed_in("mitglied@example.org")],
                         ids=["anonymous", "mitglied"])
def test_invalid_registry_shows_only_repair_notice_below_redaktion(registry, user) -> None:
    break_registry(registry)
    at = make_app(user)
    at.run()
    assert not at.exception, at.exception
    text = shown_text(at)
    assert QUOTED not in text and "enthält Fehler" not in text and not at.code
    assert not at.dataframe
    assert any("Die Daten werden gerade überarbeitet" in i.value and CONTACT in i.value
               for i in at.info), [i.value for i in at.info]


def test_invalid_registry_repair_notice_in_english(registry) -> None:
    break_registry(registry)
    at = make_app(lang="en")
    at.run()
    assert not at.exception, at.exception
    assert QUOTED not in shown_text(at)
    assert any("The data is being repaired" in i.value and CONTACT in i.value for i in at.info)


def test_invalid_registry_without_access_contact_names_the_ki(registry, tmp_path,
                                                              monkeypatch) -> None:
    break_registry(registry)
    monkeypatch.setenv("PARTNERNETZ_ACCESS", str(tmp_path / "missing.yaml"))
    at = make_app()
    at.run()
    assert not at.exception, at.exception
    assert QUOTED not in shown_text(at)
    assert any("Kommunale Integrationszentrum" in i.value for i in at.info)


def test_redaktion_sees_the_report_of_an_invalid_registry(registry) -> None:
    break_registry(registry)
    at = make_app(signed_in("redaktion@example.org"))
    at.run()
    assert not at.exception, at.exception
    assert "enthält Fehler" in at.error[0].value
    assert QUOTED in at.code[0].value


def test_anonymous_keeps_last_valid_data_with_repair_notice(registry) -> None:
    at = make_app()
    at.run()
    title = at.title[0].value
    break_registry(registry)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == title  # the last valid data stays visible
    text = shown_text(at)
    assert QUOTED not in text and "enthält Fehler" not in text
    assert "Bis dahin sehen Sie den letzten gültigen Stand." in text
    assert any("überarbeitet" in i.value for i in at.info)
