"""PDF from HTML with WeasyPrint: one place for the report, the print view and the digest.

WeasyPrint is imported only when a PDF is made (it loads Pango through cffi); a missing
WeasyPrint or Pango, and any failure while rendering, become an :class:`ExportError` in German.
"""

from __future__ import annotations

import logging
from typing import Any

from partnernetz.errors import ExportError

PANGO_HINT = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"


def render_pdf(page_html: str, *, what: str, url_fetcher: Any = None,
               pdf_variant: str | None = None) -> bytes:
    """``page_html`` as PDF bytes.

    Parameters
    ----------
    page_html
        A whole HTML document.
    what
        What is made, for the messages ("PDF-Bericht", "Druckansicht als PDF").
    url_fetcher, pdf_variant
        Passed to WeasyPrint (None: its defaults).

    Raises
    ------
    ExportError
        WeasyPrint or Pango is missing (with the Debian packages to install), or the PDF
        could not be made.
    """
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango's shared libraries are missing
        raise ExportError(f"{what} nicht möglich: WeasyPrint oder Pango fehlt ({PANGO_HINT}): {exc}") from exc
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    fetch = {"url_fetcher": url_fetcher} if url_fetcher is not None else {}
    try:
        return HTML(string=page_html, base_url=None, **fetch).write_pdf(**options)
    except Exception as exc:
        raise ExportError(f"{what} konnte nicht erzeugt werden: {exc}") from exc
