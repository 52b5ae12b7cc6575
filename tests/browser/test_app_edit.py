"""Chromium: sign in (local OIDC mock on loopback), edit in the form, see map, coverage and
history change, restore it."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from secrets import token_urlsafe

import pytest

from partnernetz.registry import writer
from partnernetz.registry.history import History
from tests.access.markers import write_marker_files
from tests.browser.conftest import REPO, SCREENSHOTS, free_port, wait_for_health

pytestmark = pytest.mark.browser

ADMIN = "admin@example.org"


@pytest.fixture(scope="module")
def edit_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app with sign-in against oidc-provider-mock, on a registry of its own."""
    from oidc_provider_mock import User, run_server_in_thread

    workdir = tmp_path_factory.mktemp("edit_app")
    registry, access = write_marker_files(workdir)
    port = free_port()
    users = [User(sub="anna", claims={"email": ADMIN, "name": "Anna Admin", "email_verified": True})]
    with run_server_in_thread(port=0, user_claims=users) as oidc:
        secrets = workdir / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
            f'cookie_secret = "{token_urlsafe(48)}"\n'
            'client_id = "partnernetz"\n'
            'client_secret = "test"\n'
            f'server_metadata_url = "http://localhost:{oidc.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        env = {**os.environ, "PARTNERNETZ_REGISTRY": str(registry), "PARTNERNETZ_ACCESS": str(access),
               "PARTNERNETZ_CACHE_DIR": "off", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        log = workdir / "streamlit.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard.py"),
                 "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                 "--server.fileWatcherType", "none", "--secrets.files", str(secrets)],
                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
            )
        try:
            try:
                wait_for_health(f"http://127.0.0.1:{port}/_stcore/health", process=process)
            except (RuntimeError, TimeoutError) as err:
                pytest.fail(f"{err}\n{log.read_text()[-3000:]}")
            yield f"http://localhost:{port}", registry
        finally:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            if process.poll() is None:
                process.kill()


def settle(pg, text: str | None = None) -> None:
    """Wait until Streamlit has finished the current run (and shows ``text``)."""
    pg.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    if text:
        pg.wait_for_selector(f"text={text}", timeout=90_000)
    with contextlib.suppress(Exception):
        pg.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    pg.wait_for_timeout(800)
    # Streamlit 1.67 shows "Page not found" on the first visit of a page link (README, upstream #9992)
    with contextlib.suppress(Exception):
        pg.get_by_role("dialog").get_by_role("button").first.click(timeout=1000)


def shot(pg, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"edit-{name}.png"), full_page=True)


def test_edit_form_map_coverage_history_restore(edit_app, page) -> None:
    base, registry = edit_app
    pg = page.page
    pg.goto(base + "/")
    settle(pg, "Weiße Flecken insgesamt")
    before = int(re.search(r"Weiße Flecken insgesamt \(Ort × Kategorie\): (\d+)",
                           pg.inner_text("body"))[1])
    pg.get_by_role("button", name="Anmelden").click()
    pg.wait_for_url(re.compile(r".*/oauth2/authorize.*"), timeout=60_000)
    pg.get_by_role("button", name="anna").click()
    pg.wait_for_url(re.compile(base + r"/.*"), timeout=60_000)
    settle(pg, "Anna Admin")

    # the form: a new partner in Warburg, placed by typing coordinates
    pg.goto(base + "/bearbeiten")
    settle(pg, "Partner bearbeiten")
    pg.get_by_role("combobox", name=re.compile("^Partner")).click()
    pg.get_by_role("option", name=re.compile("Neuen Partner anlegen")).click()
    settle(pg)
    pg.get_by_role("textbox", name="id (Kennung)").fill("ehrenamt-browser-warburg")
    pg.get_by_role("textbox", name="Name der Einrichtung").fill("Ehrenamt Browsertest")
    form = pg.get_by_test_id("stForm")
    form.get_by_role("combobox", name="Kategorie", exact=True).click()
    pg.get_by_role("option", name=re.compile("Ehrenamt")).first.click()
    form.get_by_role("combobox", name="Ort", exact=True).click()
    pg.get_by_role("option", name="Warburg", exact=True).click()
    pg.get_by_role("textbox", name="Breite (lat, WGS84)").fill("51.4920")
    pg.get_by_role("textbox", name="Länge (lon, WGS84)").fill("9.1430")
    shot(pg, "form")
    pg.get_by_role("button", name="Speichern").click()
    settle(pg)
    pg.wait_for_selector("text=Gespeichert", timeout=60_000)
    assert "ehrenamt-browser-warburg" in writer.read_entries(registry)

    # the location of an existing partner set by a click on the map
    pg.goto(base + "/bearbeiten?partner=kita-marker-brakel")
    settle(pg, "Partner bearbeiten")
    pg.get_by_text("Standort auf der Karte setzen").click()
    settle(pg)
    frame = pg.locator('iframe[title*="st_folium"], iframe[title*="streamlit_folium"]').first
    frame.wait_for(timeout=60_000)
    pg.wait_for_timeout(2000)
    frame.click(position={"x": 200, "y": 160})
    pg.wait_for_function(
        "() => [...document.querySelectorAll('input')].some(i => i.getAttribute('aria-label') === "
        "'Breite (lat, WGS84)' && i.value.length > 3)", timeout=60_000)
    settle(pg)
    lat = float(pg.get_by_role("textbox", name="Breite (lat, WGS84)").input_value())
    lon = float(pg.get_by_role("textbox", name="Länge (lon, WGS84)").input_value())
    assert 51.0 < lat < 52.2 and 8.5 < lon < 9.8, (lat, lon)
    shot(pg, "map-click")

    # coverage: one white spot fewer, with the trend against the oldest version
    pg.goto(base + "/uebersicht")
    settle(pg, "Weiße Flecken insgesamt")
    text = pg.inner_text("body")
    assert f"Weiße Flecken insgesamt (Ort × Kategorie): {before - 1}" in text
    assert f"Weiße Flecken: {before - 1} (ältester Stand" in text
    shot(pg, "overview")

    # the map has the new partner
    pg.goto(base + "/karte?partner=ehrenamt-browser-warburg")
    settle(pg, "Karte")
    pg.wait_for_timeout(2000)
    frames_text = " ".join(f.content() for f in pg.frames if f != pg.main_frame)
    assert "Ehrenamt Browsertest" in frames_text

    # the history shows the change; the admin undoes it
    pg.goto(base + "/historie")
    settle(pg, "Historie der Änderungen")
    pg.get_by_text(re.compile("Ehrenamt Browsertest: neu")).first.click()
    settle(pg)
    shot(pg, "history")
    pg.get_by_role("button", name=re.compile("Änderung an ehrenamt-browser-warburg rückgängig")).click()
    settle(pg, "Vorschau: ehrenamt-browser-warburg")
    assert "ehrenamt-browser-warburg" in writer.read_entries(registry)  # the click only previews
    pg.get_by_text("Ich habe die Liste geprüft").click()
    settle(pg)
    pg.get_by_role("button", name=re.compile("Jetzt zurücksetzen")).click()
    settle(pg)
    pg.wait_for_selector("text=Gespeichert", timeout=60_000)
    assert "ehrenamt-browser-warburg" not in writer.read_entries(registry)
    assert History(registry).entries()[0].kind == "restore"
    pg.goto(base + "/uebersicht")
    settle(pg, "Weiße Flecken insgesamt")
    assert f"Weiße Flecken insgesamt (Ort × Kategorie): {before}" in pg.inner_text("body")
