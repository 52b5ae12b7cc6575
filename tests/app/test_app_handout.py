"""AppTest: one partner to hand on from the directory (link, QR code, vCard, print view)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.access.markers import INTERNAL_CONTACT_MARKERS, NOTE_MARKERS, write_marker_files
from tests.conftest import ROOT


@pytest.fixture
def registry(tmp_path, monkeypatch):
    path, access = write_marker_files(tmp_path)
    monkeypatch.setenv("PARTNERNETZ_REGISTRY", str(path))
    monkeypatch.setenv("PARTNERNETZ_ACCESS", str(access))
    return path


def directory_with_link(partner: str, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.secrets = {"recheck": {"base_url": "https://partnernetz.example.org"}}
    at.run()
    at.query_params["partner"] = partner  # a link handed on, opened
    if lang:
        at.query_params["lang"] = lang
    at.switch_page("app_pages/directory.py").run()
    assert not at.exception, at.exception
    return at


def html_of(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def test_link_to_a_card_shows_it_with_link_qr_and_downloads(registry) -> None:
    at = directory_with_link("kita-marker-brakel")
    assert any(s.value == "Karte aus dem Link" for s in at.subheader)
    html = html_of(at)
    assert "Kita Markerhaus Brakel" in html and 'role="img"' in html
    assert "QR-Code: Link zur Karte von Kita Markerhaus Brakel" in html
    codes = [c.value for c in at.code]
    assert "https://partnernetz.example.org/verzeichnis?partner=kita-marker-brakel" in codes
    keys = {d.proto.id for d in at.get("download_button")}
    assert sum("linked_handout" in k for k in keys) == 4
    for marker in (*INTERNAL_CONTACT_MARKERS, *NOTE_MARKERS):
        assert marker not in html


def test_link_to_a_card_in_english(registry) -> None:
    at = directory_with_link("kita-marker-brakel", "en")
    assert any(s.value == "Card from the link" for s in at.subheader)
    codes = [c.value for c in at.code]
    assert "https://partnernetz.example.org/verzeichnis?partner=kita-marker-brakel&lang=en" in codes


def test_link_to_an_unknown_partner_says_so(registry) -> None:
    at = directory_with_link("gibt-es-nicht")
    assert any("gibt-es-nicht" in w.value for w in at.warning)
    assert not at.code
