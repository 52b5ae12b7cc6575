"""One PDF renderer (views/pdf.py) for the report, the print view and the digest: what it makes,
and its German message when WeasyPrint or Pango is missing."""

from __future__ import annotations

import datetime as dt
import io
import sys

import pytest
from pypdf import PdfReader

from partnernetz.errors import ExportError
from partnernetz.recheck.digest import Digest, digest_pdf
from partnernetz.views.handout import card_print_pdf
from partnernetz.views.pdf import PANGO_HINT, render_pdf

PAGE = ('<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>T</title></head>'
        "<body>Brakel</body></html>")
DIGEST = Digest(region="Kreis Höxter", start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))


def test_render_pdf_makes_a_pdf_and_a_pdf_ua_when_asked():
    assert render_pdf(PAGE, what="Test").startswith(b"%PDF")
    tagged = render_pdf(PAGE, what="Test", pdf_variant="pdf/ua-1")
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(tagged)).trailer["/Root"]
    assert "/StructTreeRoot" not in PdfReader(io.BytesIO(render_pdf(PAGE, what="T"))).trailer["/Root"]


@pytest.mark.parametrize(("make", "what"), [
    (lambda: render_pdf(PAGE, what="PDF-Bericht"), "PDF-Bericht"),
    (lambda: card_print_pdf(PAGE), "Druckansicht als PDF"),
    (lambda: digest_pdf(DIGEST), "PDF der Änderungen"),
])
def test_missing_weasyprint_is_a_german_error_with_the_packages(monkeypatch, make, what):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as without Pango
    with pytest.raises(ExportError) as info:
        make()
    message = str(info.value)
    assert message.startswith(f"{what} nicht möglich: WeasyPrint oder Pango fehlt")
    assert PANGO_HINT in message


def test_render_failure_is_a_german_error(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr("weasyprint.HTML.write_pdf", broken)
    with pytest.raises(ExportError, match=r"^Druckansicht als PDF konnte nicht erzeugt werden: kaputt"):
        card_print_pdf(PAGE)
