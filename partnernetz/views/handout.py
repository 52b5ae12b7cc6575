"""One partner to hand on: the card's link, a QR code of it, and a print view (HTML and PDF).

The link opens the directory with that partner's card (``/verzeichnis?partner=ID``).
The print view is the same escaped contact card as on screen, with the QR code
and the link under it; it holds exactly what the viewer's role may see (the
row is redacted before it gets here), and says "intern" when it holds more
than the public data.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from partnernetz.errors import ExportError
from partnernetz.i18n import t
from partnernetz.views.cards import CARD_CSS, render_contact_card
from partnernetz.views.pdf import render_pdf

DIRECTORY_PATH = "verzeichnis"

PRINT_CSS = """
@page { size: A5; margin: 14mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; color: #1a1a1a; }
h1 { font-size: 13pt; margin: 0 0 4mm; }
.pn-handout__qr { margin-top: 6mm; display: flex; gap: 5mm; align-items: center; }
.pn-handout__qr svg { width: 32mm; height: 32mm; }
.pn-handout__link { font-size: 9pt; word-break: break-all; }
.pn-handout__scope { font-size: 8.5pt; color: #444; margin-top: 5mm; }
@media print { .pn-card { box-shadow: none; border: 1px solid #999; } }
"""


def card_url(base_url: str, partner_id: str, *, lang: str = "de") -> str:
    """The link to a partner's card: ``<base>/verzeichnis?partner=ID`` (``&lang=en`` in English)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ExportError(f"'{base_url}' ist keine gültige Adresse der App (http:// oder https://)")
    url = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/{DIRECTORY_PATH}?partner={quote(partner_id)}"
    return url + ("&lang=en" if lang == "en" else "")


def qr_svg(url: str, *, title: str | None = None) -> str:
    """The QR code of ``url`` as inline SVG (segno; error correction M), with a title for screen readers."""
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=4, border=2)
    label = html.escape(title or url, quote=True)
    return re.sub(r"^<svg ", f'<svg role="img" aria-label="{label}" ', svg, count=1)


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """The QR code of ``url`` as PNG bytes."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def card_print_html(
    row: Mapping[str, Any], categories: Mapping[str, Any], *, url: str, lang: str = "de",
    internal: bool = False,
) -> str:
    """A printable page with the partner's card, the QR code of its link and the link."""
    card = render_contact_card(row, categories, lang=lang)
    name = html.escape(str(row.get("name") or ""))
    qr = qr_svg(url, title=t("handout.qr_alt", lang, name=str(row.get("name") or "")))
    scope = t("handout.internal" if internal else "handout.public", lang)
    return (
        f'<!DOCTYPE html><html lang="{"en" if lang == "en" else "de"}"><head><meta charset="utf-8">'
        f"<title>{name}</title><style>{CARD_CSS}{PRINT_CSS}</style></head><body>"
        f"<h1>{name}</h1>{card}"
        f'<div class="pn-handout__qr">{qr}<p class="pn-handout__link">{html.escape(t("handout.link", lang))}:'
        f"<br>{html.escape(url)}</p></div>"
        f'<p class="pn-handout__scope">{html.escape(scope)}</p>'
        "</body></html>"
    )


def card_print_pdf(page_html: str) -> bytes:
    """The print view as PDF (WeasyPrint).

    Raises
    ------
    ExportError
        WeasyPrint or Pango is missing, or the PDF could not be made.
    """
    return render_pdf(page_html, what="Druckansicht als PDF")
