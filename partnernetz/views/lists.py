"""Accessible HTML alternatives: the partner list under the map, the directory table.

Pure functions returning escaped HTML strings (every partner text goes
through :func:`html.escape`); the pages show them with ``st.html``. Nothing
here needs JavaScript: the list opens each card with ``<details>``, the table
is a real ``<table>`` with ``<caption>`` and ``<th scope>``; sorting and paging
are done by the page (server side) with :func:`sort_and_page`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd

from partnernetz.views import cards, records

LIST_ID = "pn-partnerliste"
"""Anchor of the partner list (the skip link's target)."""

LIST_CSS = """
.pn-skip { display: inline-block; padding: .35rem .6rem; border: 2px solid currentColor;
  border-radius: .3rem; text-decoration: underline; }
.pn-skip:not(:focus) { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.stElementContainer:has(.pn-skip:not(:focus)) { margin: 0; height: 0; }
.pn-skip:focus-visible, .pn-list summary:focus-visible, .pn-dir a:focus-visible {
  outline: 3px solid #111; outline-offset: 2px; }
.pn-list { list-style: none; margin: 0; padding: 0; }
.pn-list > li { border-bottom: 1px solid #d5d5d5; padding: .2rem 0; }
.pn-list summary { cursor: pointer; padding: .2rem 0; }
.pn-list summary .pn-list__meta { color: #444; }
.pn-list details[open] > summary { font-weight: 600; }
.pn-list .pn-card { margin: .3rem 0 .6rem 1.2rem; }
.pn-dir { overflow-x: auto; max-width: 100%; }
.pn-dir table { border-collapse: collapse; width: max-content; min-width: 100%;
  font-size: .92rem; }
.pn-dir caption { text-align: left; font-weight: 600; padding: .3rem 0; }
.pn-dir th, .pn-dir td { border: 1px solid #c8c8c8; padding: .3rem .45rem; text-align: left;
  vertical-align: top; word-break: normal; overflow-wrap: normal; max-width: 20em; }
.pn-dir td a { overflow-wrap: anywhere; }
.pn-dir thead th { background: #eeeeee; }
.pn-dir tbody th { font-weight: 600; }
"""


@dataclass(frozen=True)
class PageSlice:
    """One page of a sorted table."""

    frame: pd.DataFrame
    page: int
    pages: int
    total: int
    first: int  # 1-based number of the first row shown (0 when empty)
    last: int


def page_count(total: int, page_size: int) -> int:
    """Number of pages for ``total`` rows (at least 1)."""
    return max(1, math.ceil(total / max(page_size, 1)))


def sort_and_page(
    frame: pd.DataFrame, *, column: str | None, descending: bool = False, page: int = 1,
    page_size: int = 25,
) -> PageSlice:
    """Sort ``frame`` by ``column`` (case-insensitive, empty last) and cut out ``page``.

    ``page`` is clamped to the pages there are.
    """
    total = len(frame)
    pages = page_count(total, page_size)
    page = min(max(int(page), 1), pages)
    if column is not None and column in frame.columns and total:
        keys = frame[column].map(_sort_key)
        order = sorted(range(total), key=lambda i: keys.iloc[i], reverse=descending)
        empty = [i for i in order if keys.iloc[i][0]]
        filled = [i for i in order if not keys.iloc[i][0]]
        frame = frame.iloc[(filled + empty) if descending else order]
    start = (page - 1) * page_size
    chunk = frame.iloc[start:start + page_size]
    return PageSlice(chunk, page, pages, total, start + 1 if total else 0, start + len(chunk))


def _sort_key(value: Any) -> tuple[int, Any]:
    if records.is_missing(value) or value == "":
        return (1, "")
    if isinstance(value, (int, float)):
        return (0, value)
    return (0, str(value).casefold())


def _cell_text(value: Any) -> str:
    if records.is_missing(value):
        return ""
    return str(value)


def directory_table_html(
    frame: pd.DataFrame,
    *,
    caption: str,
    row_header: str | None = "Name",
    sort_column: str | None = None,
    descending: bool = False,
    links: Mapping[str, str] | None = None,
) -> str:
    """A real HTML table of ``frame``: caption, ``<th scope="col">``, ``aria-sort``.

    Parameters
    ----------
    frame
        The rows to show (already sorted and paged), columns as headers.
    caption
        Visible caption: what the table holds, the page and the sort order.
    row_header
        Column whose cells are row headers (``<th scope="row">``).
    sort_column, descending
        The column the rows are sorted by: its header gets ``aria-sort``.
    links
        Column to link kind: ``"mailto"`` (e-mail), ``"tel"``, ``"url"`` (http(s) only).
    """
    links = links or {}
    head = []
    for col in frame.columns:
        sort = ""
        if col == sort_column:
            sort = f' aria-sort="{"descending" if descending else "ascending"}"'
        head.append(f'<th scope="col"{sort}>{escape(str(col))}</th>')
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for col, value in zip(frame.columns, values, strict=True):
            text = _cell_text(value)
            body = _link(text, links.get(col)) if text else ""
            if col == row_header:
                cells.append(f'<th scope="row">{body}</th>')
            else:
                cells.append(f"<td>{body}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="pn-dir" role="region" aria-label="{escape(caption)}" tabindex="0">'
        f"<table><caption>{escape(caption)}</caption>"
        f"<thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _link(text: str, kind: str | None) -> str:
    safe = escape(text)
    if kind == "mailto" and "@" in text:
        return f'<a href="mailto:{escape(text, quote=True)}">{safe}</a>'
    if kind == "tel":
        digits = "".join(ch for ch in text if ch.isdigit() or ch == "+")
        return f'<a href="tel:{escape(digits, quote=True)}">{safe}</a>' if digits else safe
    if kind == "url" and cards.safe_url(text):
        return f'<a href="{escape(text, quote=True)}" rel="noopener">{safe}</a>'
    return safe


def partner_list_html(
    partners: pd.DataFrame,
    categories: Mapping[str, Any],
    *,
    lang: str,
    heading: str,
    note: str = "",
    order: Sequence[int] | None = None,
) -> str:
    """The partners on the map as a list; each entry opens its contact card.

    One ``<details>`` per partner: its ``<summary>`` ("Name – Kategorie, Ort")
    is reached with Tab and opened with Enter or Space. The heading is the
    skip link's target (``id`` :data:`LIST_ID`, ``tabindex="-1"``).
    """
    rows = partners if order is None else partners.iloc[list(order)]
    items = []
    for row in rows.to_dict("records"):
        label, _colour, _icon = cards.category_view(
            row.get("category") or "", categories.get(row.get("category")), lang
        )
        meta = ", ".join(x for x in (label, records.clean_text(row.get("town"))) if x)
        name = records.clean_text(row.get("name")) or str(row.get("id"))
        card = cards.render_contact_card(row, categories, lang=lang)
        items.append(
            f"<li><details><summary>{escape(name)} <span class=\"pn-list__meta\">– "
            f"{escape(meta)}</span></summary>{card}</details></li>"
        )
    note_html = f"<p>{escape(note)}</p>" if note else ""
    return (
        f'<section aria-labelledby="{LIST_ID}"><h2 id="{LIST_ID}" tabindex="-1">'
        f"{escape(heading)}</h2>{note_html}"
        f'<ul class="pn-list">{"".join(items)}</ul></section>'
    )


def skip_link_html(text: str, *, target: str = LIST_ID) -> str:
    """A link past the map to ``target``."""
    return f'<a class="pn-skip" href="#{escape(target, quote=True)}">{escape(text)}</a>'


def status_html(text: str, *, css_class: str = "pn-status") -> str:
    """A status line that screen readers announce when it changes (``role="status"``)."""
    return f'<p class="{escape(css_class)}" role="status" aria-live="polite">{escape(text)}</p>'


def bullet_list_html(items: list[str]) -> str:
    """Plain sentences as a list (escaped)."""
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def paragraphs_html(text: str, *, css_class: str = "pn-easy") -> str:
    """Lines as paragraphs: a blank line starts a new paragraph, each line a line of its own."""
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    body = "".join(
        "<p>" + "<br>".join(escape(line) for line in block.splitlines()) + "</p>" for block in blocks
    )
    return f'<div class="{escape(css_class)}">{body}</div>'


def contact_html(
    *, name: str | None, email: str | None, phone: str | None, labels: tuple[str, str],
    url: str | None = None, url_text: str | None = None,
) -> str:
    """A contact as a short list of links (e-mail, phone, web page)."""
    items = []
    if name:
        items.append(f"<li>{escape(name)}</li>")
    if url and cards.safe_url(url):
        items.append(f'<li><a href="{escape(url, quote=True)}" rel="noopener">'
                     f"{escape(url_text or url)}</a></li>")
    if email:
        items.append(f"<li>{escape(labels[0])}: {_link(email, 'mailto')}</li>")
    if phone:
        items.append(f"<li>{escape(labels[1])}: {_link(phone, 'tel')}</li>")
    return '<ul class="pn-contact">' + "".join(items) + "</ul>"


def map_values_frame(
    towns: pd.DataFrame, values: Mapping[str, float] | pd.Series, *, fmt: Any,
    town_header: str, value_header: str, missing: str = "–",
) -> pd.DataFrame:
    """A choropleth's (or chart's) values as a two-column table, town by town."""
    get = values.get if hasattr(values, "get") else dict(values).get
    out = []
    for ags, name in zip(towns["ags"], towns["name"], strict=True):
        value = get(ags)
        text = missing if value is None or pd.isna(value) else fmt(value)
        out.append((name, text))
    return pd.DataFrame(out, columns=[town_header, value_header])
