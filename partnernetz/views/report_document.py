"""Report document: the HTML primitives and print style sheet of the PDF report.

The report is one HTML document, rendered to a tagged PDF (PDF/UA-1) by WeasyPrint.

Every text from the registry is escaped with :func:`html.escape` and printed
as it is: no Markdown, no mathtext ("Kosten $5 und $10" stays that). The
document carries its language (``<html lang>``), a title, headings (the PDF's
bookmarks), real tables with ``<th scope>`` headers, and alternative texts
for its images.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np
import pandas as pd

PLACEHOLDER = "–"


def esc(value: Any) -> str:
    """``value`` as escaped HTML text (quotes too)."""
    return escape(str(value), quote=True)


@dataclass(frozen=True)
class Page:
    """What every page of the document shows around its content."""

    lang: str
    title: str
    region: str
    as_of: str
    footer: str
    internal_label: str | None = None
    sender: str | None = None  # the KI's sender line, top left of every page
    logo: str | None = None  # data: URI of the KI's logo, beside the sender line


def running_header(page: Page) -> str:
    """Logo and sender line (or the region) at the top of every page (a running element)."""
    logo = (f'<img class="pn-logo" src="{esc(page.logo)}" alt="{esc(page.sender or page.region)}">'
            if page.logo else "")
    line = page.sender or page.region
    return f'<div class="pn-running">{logo}<span>{esc(line)}</span></div>'


def css(page: Page, *, scale: Sequence[str]) -> str:
    """The print style sheet: A4, running header and footer, tables that break cleanly."""
    footer_internal = (
        f' " · {_css_string(page.internal_label)}"' if page.internal_label else ""
    )
    gradient = ", ".join(scale)
    return f"""
@page {{
  size: A4; margin: 16mm 16mm 17mm 16mm;
  @top-left {{ content: element(pnhead); vertical-align: bottom; width: 74%; }}
  @top-right {{ content: "{_css_string(page.as_of)}"; font-size: 8pt; color: #444;
    vertical-align: bottom; width: 26%; text-align: right; }}
  @bottom-left {{ content: "{_css_string(page.footer)}"{footer_internal}; font-size: 7.5pt;
    color: #444; }}
  @bottom-right {{ content: counter(page) " / " counter(pages); font-size: 7.5pt; color: #444; }}
}}
.pn-running {{ position: running(pnhead); font-size: 7.5pt; color: #444; white-space: nowrap; }}
.pn-running .pn-logo {{ height: 7mm; width: auto; vertical-align: middle; margin-right: 2mm; }}
.pn-running span {{ vertical-align: middle; }}
html {{ font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 9pt;
  color: #1a1a1a; line-height: 1.35; }}
h1 {{ font-size: 17pt; margin: 0 0 2mm; }}
h2 {{ font-size: 12.5pt; margin: 6mm 0 2mm; break-after: avoid; }}
h3 {{ font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }}
p {{ margin: 0 0 1.5mm; }}
.pn-meta {{ color: #333; }}
.pn-filters {{ border-left: 3px solid #1a1a1a; padding: 1mm 3mm; margin: 2mm 0 3mm;
  background: #f3f3f3; }}
.pn-internal {{ color: #8a1020; font-weight: 700; }}
.pn-figures {{ margin: 2mm 0 1mm; padding: 0; list-style: none; }}
.pn-figures li {{ display: inline-block; vertical-align: top; margin: 0 1.6mm 1.6mm 0;
  border: 0.6pt solid #b8b8b8; background: #f6f6f6; padding: 2mm 3mm;
  width: 31mm; box-sizing: border-box; }}
.pn-profile .pn-figures li {{ width: 24mm; padding: 1.2mm 1.8mm; margin: 0 1.2mm 1.2mm 0; }}
.pn-profile .pn-figures .pn-value {{ font-size: 12.5pt; }}
h2 {{ clear: both; }}
.pn-profile h2 {{ margin: 3.5mm 0 1.2mm; }}
.pn-profile h3 {{ margin: 2.5mm 0 1mm; }}
.pn-profile table {{ margin-bottom: 2mm; }}
.pn-figures .pn-value {{ display: block; font-size: 15pt; font-weight: 700; }}
.pn-figures .pn-sub {{ display: block; font-size: 7pt; color: #333; }}
ul.pn-spots {{ margin: 0 0 2mm 4mm; padding: 0 0 0 3mm; }}
ul.pn-spots li {{ margin: 0 0 0.8mm; }}
figure {{ margin: 2mm 0; break-inside: avoid; }}
figure img {{ width: 100%; }}
figcaption {{ font-size: 8pt; color: #333; }}
.pn-scale {{ display: flex; align-items: center; gap: 2mm; font-size: 7.5pt; margin-top: 1mm; }}
.pn-scale__bar {{ width: 70mm; height: 3mm; border: 0.5pt solid #555;
  background: linear-gradient(to right, {gradient}); }}
table {{ border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; font-size: 7.5pt; }}
caption {{ text-align: left; font-weight: 700; font-size: 8.5pt; padding-bottom: 1mm; }}
th, td {{ border: 0.5pt solid #9a9a9a; padding: 0.6mm 1.2mm; vertical-align: top;
  text-align: left; }}
thead th {{ background: #e8e8e8; }}
tbody th {{ font-weight: 600; }}
tr {{ break-inside: avoid; }}
td.pn-num, th.pn-num {{ text-align: right; }}
td.pn-green {{ background: #CDEBC5; color: #0f5a25; }}
td.pn-yellow {{ background: #FFEDA0; color: #5c3d00; }}
td.pn-red {{ background: #F9C0B0; color: #7d1812; }}
.pn-legend {{ font-size: 7.5pt; color: #222; }}
.pn-sources {{ font-size: 7pt; color: #333; margin-top: 5mm; }}
ul.pn-dots {{ list-style: none; margin: 0; padding: 0; font-size: 7.5pt;
  columns: 3; }}
.pn-dot {{ display: inline-block; width: 2.4mm; height: 2.4mm; border-radius: 50%;
  margin-right: 1.2mm; border: 0.4pt solid #fff; }}
@page wide {{ size: A4 landscape; }}
.pn-wide {{ page: wide; }}
.pn-wide table {{ font-size: 7pt; }}
.pn-wide th, .pn-wide td {{ padding: 0.5mm 1mm; }}
figure.pn-map img {{ max-width: 100%; }}
.pn-map-page {{ break-before: page; }}
.pn-map-page figure {{ margin: 0; }}
ul.pn-keys {{ list-style: none; margin: 0; padding: 0; font-size: 7.5pt; columns: 3; }}
.pn-dot--planned {{ background: #fff; border: 0.45mm solid #555 !important; box-sizing: border-box; }}
.pn-summary h2:first-child {{ margin-top: 3mm; }}
.pn-sources--compact {{ margin-top: 3mm; break-inside: avoid; }}
.pn-side {{ float: right; width: 62mm; margin: 0 0 3mm 4mm; }}
.pn-side .pn-sources {{ margin-top: 2mm; }}
.pn-side .pn-sources h2 {{ font-size: 9pt; margin: 1mm 0; clear: none; }}
figure.pn-map-small {{ margin: 0 0 2mm; }}
figure.pn-map-small img {{ max-width: 100%; }}
"""


def _css_string(text: str | None) -> str:
    """``text`` inside a CSS string literal (quotes, backslashes and newlines escaped)."""
    out = (text or "").replace("\\", "\\\\").replace('"', '\\"')
    return out.replace("\n", " ").replace("\r", " ")


def svg_data_uri(svg: str) -> str:
    """SVG text as a ``data:`` URI for an ``<img>``."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def png_data_uri(data: bytes) -> str:
    """``data`` (PNG bytes) as a ``data:`` URI for an ``<img>``."""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def figures_list(items: Sequence[tuple[str, str, str]]) -> str:
    """Key figures as a list: ``(value, label, sub)`` each."""
    parts = ['<ul class="pn-figures">']
    for value, label, sub in items:
        parts.append(
            f'<li><span class="pn-value">{esc(value)}</span>{esc(label)}'
            + (f'<span class="pn-sub">{esc(sub)}</span>' if sub else "")
            + "</li>"
        )
    parts.append("</ul>")
    return "".join(parts)


def bullet_list(lines: Sequence[str], *, empty: str) -> str:
    """Sentences as a list, or ``empty`` as a paragraph when there are none."""
    if not lines:
        return f"<p>{esc(empty)}</p>"
    return '<ul class="pn-spots">' + "".join(f"<li>{esc(s)}</li>" for s in lines) + "</ul>"


def figure(src: str, *, alt: str, caption: str | None = None, extra: str = "",
           css_class: str = "pn-map", width_mm: float | None = None) -> str:
    """An image with its alternative text (and a visible caption); ``width_mm`` prints it
    at that width (an SVG map at its own size: its 8 pt labels stay 8 pt)."""
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    size = f' style="width:{width_mm:.2f}mm"' if width_mm else ""
    return (f'<figure class="{esc(css_class)}"><img src="{esc(src)}" alt="{esc(alt)}"{size}>'
            f"{cap}{extra}</figure>")


def scale_legend(label: str, low: str, high: str) -> str:
    """The colour scale under a map (the app's scale; the bar itself is decorative)."""
    return (f'<div class="pn-scale"><span>{esc(label)}:</span><span>{esc(low)}</span>'
            f'<span class="pn-scale__bar" aria-hidden="true"></span><span>{esc(high)}</span></div>')


@dataclass(frozen=True)
class Column:
    """One column of an HTML table: header text, CSS class of its cells, numeric or not."""

    header: str
    numeric: bool = False


def table(
    *,
    caption: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str | tuple[str, str]]],
    row_header: bool = True,
) -> str:
    """A data table: ``<caption>``, ``<th scope="col">`` headers, the first cell of each row
    a ``<th scope="row">`` (``row_header``).

    Cells are plain text, or ``(text, css_class)`` for a coloured cell.
    """
    num = ' class="pn-num"'
    head = "".join(
        f'<th scope="col"{num if c.numeric else ""}>{esc(c.header)}</th>' for c in columns
    )
    body = []
    for row in rows:
        cells = []
        for i, (col, cell) in enumerate(zip(columns, row, strict=True)):
            text, cls = cell if isinstance(cell, tuple) else (cell, "")
            classes = " ".join(x for x in (cls, "pn-num" if col.numeric else "") if x)
            attr = f' class="{classes}"' if classes else ""
            if i == 0 and row_header:
                cells.append(f'<th scope="row"{attr}>{esc(text)}</th>')
            else:
                cells.append(f"<td{attr}>{esc(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def document(page: Page, body: str, *, scale: Sequence[str], description: str = "") -> str:
    """The whole HTML document."""
    meta = f'<meta name="description" content="{esc(description)}">' if description else ""
    return (
        f'<!DOCTYPE html><html lang="{esc(page.lang)}"><head><meta charset="utf-8">'
        f"<title>{esc(page.title)}</title>{meta}"
        f'<meta name="generator" content="Partnernetz">'
        f"<style>{css(page, scale=scale)}</style></head><body>{running_header(page)}{body}"
        "</body></html>"
    )


def number_text(value: float | int | None, lang: str) -> str:
    """A whole number with thousands separators (``.`` in German)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value):
        return PLACEHOLDER
    text = f"{round(float(value)):,}"
    return text.replace(",", ".") if lang == "de" else text


def percent_text(share: float | None, lang: str) -> str:
    """A share 0..1 as a whole per cent."""
    if share is None or pd.isna(share):
        return PLACEHOLDER
    return f"{share * 100:.0f} %" if lang == "de" else f"{share * 100:.0f}%"


