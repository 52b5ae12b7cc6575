"""AppTest: "Stand der Daten" is the date of the data everywhere; the PDF adds "erstellt am" (§4)."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from partnernetz.access import Role
from tests.app.test_app import make_app, open_page
from tests.conftest import DEMO_HX

DATA_DATE = "15.11.2026"  # the newest "verified" of the Höxter demo registry


def test_overview_says_stand_der_daten(monkeypatch):
    at = open_page(make_app(monkeypatch), "app_pages/overview.py")
    assert at.caption[0].value.startswith(f"Stand der Daten: {DATA_DATE}.")


def test_exports_and_report_files_are_named_with_the_data_date():
    from app_pages import cached
    from partnernetz.views.downloads import name_download, name_report_file

    app = cached.load_app_data(DEMO_HX, Role.PUBLIC)
    assert app.stand == dt.date(2026, 11, 15)
    assert name_download("Kreis Höxter", stand=app.stand).endswith("-2026-11-15")
    assert name_report_file("Kreis Höxter", stand=app.stand) == (
        "partnernetz-bericht-kreis-hoexter-2026-11-15.pdf")
    assert name_report_file("Brakel", profile=True, lang="en", stand=app.stand) == (
        "profile-brakel-2026-11-15.pdf")


def test_pdf_says_stand_der_daten_and_erstellt_am(monkeypatch):
    from app_pages import cached
    from partnernetz.filters import FilterSpec

    key = cached.data_key(DEMO_HX)
    made = dt.date.fromisoformat(key[2]).strftime("%d.%m.%Y")
    text = " ".join(PdfReader(io.BytesIO(cached.report_pdf(key, FilterSpec(), None, "de")))
                    .pages[0].extract_text().split())
    assert f"Stand der Daten: {DATA_DATE}" in text
    assert f"erstellt am {made}" in text
    if made != DATA_DATE:
        assert f"Stand der Daten: {made}" not in text
    english = " ".join(PdfReader(io.BytesIO(cached.report_pdf(key, FilterSpec(), "05762016", "en")))
                       .pages[0].extract_text().split())
    assert "Data as of: 2026-11-15" in english or "Data as of: 15.11.2026" in english or (
        "Data as of: 15 Nov 2026" in english), english[:400]
    assert "created on" in english
