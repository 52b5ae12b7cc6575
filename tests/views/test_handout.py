"""One partner to hand on: card link, QR code, print view (HTML, PDF)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from partnernetz.errors import ExportError
from partnernetz.registry.vocabulary import DEFAULT_CATEGORIES
from partnernetz.views.handout import card_print_html, card_print_pdf, card_url, qr_png, qr_svg

ROW = {"id": "kita-a", "name": "Kita <b>Sonne</b> & Mond", "category": "kita", "town": "Brakel",
       "phone": "05272 1000", "email": "kita@example.org",
       "contacts": ({"name": "Ilse Intern", "visibility": "internal"},), "notes": None}


def test_card_url_opens_the_directory_with_that_partner() -> None:
    assert card_url("https://partnernetz.example.org/", "kita-a") == \
        "https://partnernetz.example.org/verzeichnis?partner=kita-a"
    assert card_url("http://127.0.0.1:8501", "kita-a", lang="en").endswith("?partner=kita-a&lang=en")
    with pytest.raises(ExportError, match="keine gültige Adresse"):
        card_url("javascript:alert(1)", "kita-a")


def test_qr_svg_is_labelled_and_encodes_the_link_like_segno() -> None:
    import segno

    url = "https://partnernetz.example.org/verzeichnis?partner=kita-a"
    svg = qr_svg(url, title='Karte "A" <b>')
    assert svg.startswith('<svg role="img" aria-label="Karte &quot;A&quot; &lt;b&gt;"')
    body = segno.make(url, error="m").svg_inline(scale=4, border=2).split(">", 1)[1]
    other = segno.make(url + "x", error="m").svg_inline(scale=4, border=2).split(">", 1)[1]
    assert body in svg and other not in svg  # the code of exactly this link
    png = qr_png(url)
    assert png.startswith(b"\x89PNG")


def test_print_view_escapes_partner_text_and_says_its_scope() -> None:
    url = "https://partnernetz.example.org/verzeichnis?partner=kita-a"
    public = card_print_html(ROW, DEFAULT_CATEGORIES, url=url)
    assert "<b>Sonne</b>" not in public and "Kita &lt;b&gt;Sonne&lt;/b&gt; &amp; Mond" in public
    assert url.replace("&", "&amp;") in public or url in public
    assert "Öffentliche Angaben" in public and '<html lang="de">' in public
    internal = card_print_html(ROW, DEFAULT_CATEGORIES, url=url, internal=True, lang="en")
    assert "Internal – not for passing on." in internal and '<html lang="en">' in internal


def test_print_pdf_holds_the_card_and_the_link() -> None:
    url = "https://partnernetz.example.org/verzeichnis?partner=kita-a"
    pdf = card_print_pdf(card_print_html(ROW, DEFAULT_CATEGORIES, url=url))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Kita <b>Sonne</b> & Mond" in text and "05272 1000" in text
    assert "partner=kita-a" in text.replace("\n", "")
