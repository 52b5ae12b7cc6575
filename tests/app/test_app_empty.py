"""AppTest on a registry with no partners, and on a path where no registry exists yet."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

EMPTY = 'region:\n  name: Kreis Paderborn\n  kreis: "05774"\npartners: []\n'
ACCESS = ("contact: ki@example.org\nroles:\n  admin: [admin@example.org]\n"
          "  redaktion: [redaktion@example.org]\n  mitglied: [mitglied@example.org]\n")
SECRETS = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback",
                    "cookie_secret": secrets.token_urlsafe(48), "client_id": "partnernetz",
                    "client_secret": "test",
                    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}
PAGES = ["app_pages/overview.py", "app_pages/map.py", "app_pages/directory.py",
         "app_pages/coverage.py", "app_pages/imports.py", "app_pages/statement.py",
         "app_pages/easy_language.py"]
ROLES = {"public": None, "mitglied": "mitglied@example.org", "redaktion": "redaktion@example.org",
         "admin": "admin@example.org"}


def make_app(monkeypatch: pytest.MonkeyPatch, registry: Path, email: str | None,
             lang: str = "de") -> AppTest:
    monkeypatch.setenv("PARTNERNETZ_REGISTRY", str(registry))
    monkeypatch.setenv("PARTNERNETZ_ACCESS", str(registry.parent / "access.yaml"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.secrets = SECRETS
    at.user = ({"is_logged_in": True, "email": email, "name": "Test", "iat": time.time() - 60,
                "exp": time.time() + 3600} if email else {"is_logged_in": False})
    if lang != "de":
        at.query_params["lang"] = lang
    return at


def texts(at: AppTest) -> str:
    parts = [*(i.value for i in at.info), *(m.value for m in at.markdown), *(c.value for c in at.code),
             *(e.value for e in at.error), *(t.value for t in at.title)]
    return "\n".join(str(p) for p in parts)


def page_links(at: AppTest) -> list[str]:
    return [str(node.proto) for node in at.get("page_link")]


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    registry = tmp_path / "partners.yaml"
    registry.write_text(EMPTY, encoding="utf-8")
    (tmp_path / "access.yaml").write_text(ACCESS, encoding="utf-8")
    return registry


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_on_empty_registry_says_no_partners_yet(monkeypatch, empty, page, role) -> None:
    at = make_app(monkeypatch, empty, ROLES[role])
    at.run()
    if page == "app_pages/imports.py" and role in ("public", "mitglied"):
        # Import is hidden from those who cannot use it (issue 18 §9): no page to open
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
        assert "Noch keine Partner" in texts(at)  # the start page says it instead
        return
    at.switch_page(page).run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Noch keine Partner" in shown
    assert not at.error, [e.value for e in at.error]
    links = page_links(at)
    if role in ("redaktion", "admin") and page != "app_pages/imports.py":
        assert any("Partner importieren" in link and "import" in link for link in links), links
    else:
        assert not any("Partner importieren" in link for link in links)


def test_coverage_page_on_empty_registry_invents_no_white_spots(monkeypatch, empty) -> None:
    at = make_app(monkeypatch, empty, None)
    at.run()
    at.switch_page("app_pages/coverage.py").run()
    shown = texts(at).lower()
    assert "weiße flecken" not in shown and "weißer fleck" not in shown
    assert len(at.dataframe) == 0


def test_empty_registry_in_english_says_no_partners_yet(monkeypatch, empty) -> None:
    at = make_app(monkeypatch, empty, "admin@example.org", lang="en")
    at.run()
    assert not at.exception, at.exception
    assert "No partners yet" in texts(at)
    assert any("Import partners" in link for link in page_links(at))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_missing_registry_shows_the_setup_steps_not_an_error(monkeypatch, tmp_path, lang) -> None:
    registry = tmp_path / "neu" / "partners.yaml"
    at = make_app(monkeypatch, registry, None, lang=lang)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    shown = texts(at)
    assert f"python -m partnernetz init {registry}" in shown
    assert f"import liste.xlsx --into {registry}" in shown
    assert ("noch nicht eingerichtet" if lang == "de" else "not set up yet") in shown


def test_first_import_into_empty_registry_in_the_app(monkeypatch, empty, tmp_path) -> None:
    import io

    import yaml
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Einrichtung", "Kategorie", "Straße", "PLZ", "Ort"])
    sheet.append(["Kita Regenbogen", "Kita", "Am Markt 1", "33098", "Paderborn"])
    sheet.append(["Beratung Mitte", "Beratung", "Westernstr. 2", "33098", "Paderborn"])
    sheet.append(["Jugendtreff Süd", "Jugendhilfe", "Lange Str. 3", "33129", "Delbrück"])
    buffer = io.BytesIO()
    book.save(buffer)
    at = make_app(monkeypatch, empty, "redaktion@example.org")
    at.run()
    at.switch_page("app_pages/imports.py").run()
    at.file_uploader(key="import_file").set_value(
        ("liste.xlsx", buffer.getvalue(),
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    at.run()
    assert not at.exception, at.exception
    assert any("3 Zeilen: 3 importiert" in m.value.replace("\\", "") for m in at.markdown)
    at.button(key="import_run").click()
    at.run()
    assert not at.exception, at.exception
    assert any("Gespeichert" in s.value for s in at.success)
    text = empty.read_text(encoding="utf-8")
    assert "partners: []" not in text
    names = [p["name"] for p in yaml.safe_load(text)["partners"]]
    assert names == ["Kita Regenbogen", "Beratung Mitte", "Jugendtreff Süd"]
    at.switch_page("app_pages/directory.py").run()  # the partners are there, the notice is gone
    assert "Noch keine Partner" not in texts(at)
    assert len(at.dataframe[0].value) == 3
