"""The contact card of a partner, as escaped HTML.

The same card appears twice: in the directory (rendered here, in Python) and
as the map popup (rendered in the browser by ``partnernetz/views/assets/partner_map.js``
from the same record and context). Both renderers produce the identical string
for the same input; ``tests/test_maps.py`` checks that with node.

Every piece of partner text is escaped; links are only made from ``http(s)``
web addresses, digits of phone numbers and e-mail addresses, and every
attribute value is escaped too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from partnernetz.filters import RELATION_ELSEWHERE
from partnernetz.registry import vocabulary
from partnernetz.views.records import APPROXIMATE_PRECISIONS, card_record

SERVES_ALL = "*"  # record["served"] of a partner for the whole region (dataset.SERVES_ALL)

# The parts of the card (CSS class suffixes), in display order. Both renderers
# emit exactly these, each only when it has content.
CARD_FIELDS: tuple[str, ...] = (
    "name", "category", "status", "operator", "address", "served", "relation", "precision",
    "phone", "email", "website", "schulnummer", "languages", "offers", "opening-hours",
    "accessible", "verified", "contacts", "notes",
)

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "operator": "Träger",
        "district": "Ortsteil",
        "served": "zuständig für",
        "served_all": "den ganzen Kreis",
        "relation": "zuständig, nicht im Ort",
        "precision": "Lage",
        "phone": "Telefon",
        "email": "E-Mail",
        "website": "Website",
        "schulnummer": "Schulnummer",
        "languages": "Sprachen",
        "offers": "Angebote",
        "opening_hours": "Öffnungszeiten",
        "verified": "zuletzt geprüft",
        "contacts": "Ansprechpersonen",
        "status": "Status",
        "internal": "intern",
        "notes": "Notizen (intern)",
    },
    "en": {
        "operator": "Operator",
        "district": "District",
        "served": "responsible for",
        "served_all": "the whole district (Kreis)",
        "relation": "serves the town, located elsewhere",
        "precision": "Location",
        "phone": "Phone",
        "email": "E-mail",
        "website": "Website",
        "schulnummer": "School number (NRW)",
        "languages": "Languages",
        "offers": "Offers",
        "opening_hours": "Opening hours",
        "verified": "last checked",
        "contacts": "Contacts",
        "status": "Status",
        "internal": "internal",
        "notes": "Notes (internal)",
    },
}


FALLBACK_COLOUR = "#777777"
_COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
_URL_RE = re.compile(r"^https?://", re.IGNORECASE)
_TEL_STRIP_RE = re.compile(r"[^0-9+]")

CARD_CSS = """
.pn-card{font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;
  max-width:320px}
.pn-card p{margin:.15em 0}
.pn-card__name{font-size:15px;margin:0 0 .25em;line-height:1.25}
.pn-card__category{color:#333}
.pn-card__swatch{display:inline-block;width:.8em;height:.8em;border-radius:50%;
  margin-right:.35em;vertical-align:-.05em;border:1px solid #333}
.pn-card__status{font-weight:600;color:#8a1c00}
.pn-card__label{font-weight:600}
.pn-card__precision,.pn-card__verified{color:#555;font-size:12px}
.pn-card__relation{font-weight:600}
.pn-card a{color:#0b57a4;text-decoration:underline;word-break:break-word}
.pn-card__contacts ul{margin:.15em 0 0;padding-left:1.1em}
.pn-card__contact-name{font-weight:600}
.pn-card__internal{display:inline-block;margin-left:.35em;padding:0 .35em;border-radius:3px;
  font-size:11px;font-weight:600;color:#fff;background:#8a1c00}
.pn-card__notes{border-left:3px solid #8a1c00;padding-left:.4em}
"""


def category_view(key: str, info: Any, lang: str = "de") -> tuple[str, str, str]:
    """Label, colour and icon name of one category, whatever shape ``info`` has.

    Accepts ``dataset.CategoryInfo`` (``label(lang)``, ``colour``, ``icon``),
    ``vocabulary.CategoryStyle`` (``de``, ``en``, ``colour``, ``icon``) and
    plain mappings with the same keys. Unknown shapes fall back to the key.
    """
    if info is None:
        return key, FALLBACK_COLOUR, "info"
    if isinstance(info, Mapping):
        label = info.get(f"label_{lang}") or info.get("label") or info.get(lang) or key
        colour, icon = info.get("colour"), info.get("icon")
    else:
        label_attr = getattr(info, "label", None)
        if callable(label_attr):
            label = label_attr(lang)
        else:
            label = getattr(info, f"label_{lang}", None) or getattr(info, lang, None) or label_attr
        colour, icon = getattr(info, "colour", None), getattr(info, "icon", None)
    colour = colour if isinstance(colour, str) and _COLOUR_RE.match(colour) else FALLBACK_COLOUR
    icon = icon if icon in vocabulary.ICONS else "info"
    return str(label or key), colour.upper(), icon


def card_context(
    categories: Mapping[str, Any],
    *,
    lang: str = "de",
    language_codes: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Everything the card renderers need besides the record.

    Parameters
    ----------
    categories
        Category key to category info (see :func:`category_view`).
    lang
        UI language, ``"de"`` or ``"en"``.
    language_codes
        Only these language names are included (keeps the map payload small);
        ``None`` includes every ISO 639-1 language.

    Returns
    -------
    dict
        JSON-serialisable: ``lang``, ``labels``, ``categories`` (key to
        ``{label, colour}``), ``languages`` (code to name), ``accessible``,
        ``precision``, ``status`` (code to label).
    """
    lang = lang if lang in LABELS else "de"
    names = vocabulary.language_names(lang)
    if language_codes is not None:
        names = {code: names.get(code, code) for code in sorted(set(language_codes))}
    cats = {}
    for key, info in categories.items():
        label, colour, _icon = category_view(key, info, lang)
        cats[key] = {"label": label, "colour": colour}
    return {
        "lang": lang,
        "labels": LABELS[lang],
        "categories": cats,
        "languages": dict(names),
        "accessible": {key: getattr(term, lang) for key, term in vocabulary.ACCESSIBILITY.items()},
        "precision": {key: getattr(term, lang) for key, term in vocabulary.PRECISIONS.items()},
        "status": {key: getattr(term, lang) for key, term in vocabulary.STATUSES.items()},
    }


# ---------------------------------------------------------------------------
# Rendering (mirrored by renderCard in partnernetz/views/assets/partner_map.js)


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def format_date(iso: str | None, lang: str = "de") -> str | None:
    """``2025-03-01`` as ``01.03.2025`` (German) or unchanged (English)."""
    if not iso:
        return None
    if lang == "de" and re.match(r"^\d{4}-\d{2}-\d{2}$", iso):
        return f"{iso[8:10]}.{iso[5:7]}.{iso[0:4]}"
    return iso


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address, else ``None``."""
    return url if url and _URL_RE.match(url) else None


def _tel(phone: str) -> str:
    digits = _TEL_STRIP_RE.sub("", phone)
    if not digits:
        return _e(phone)
    return f'<a href="tel:{_e(digits)}">{_e(phone)}</a>'


def _mail(email: str) -> str:
    return f'<a href="mailto:{_e(email)}">{_e(email)}</a>'


def _labelled(css: str, label: str, body: str) -> str:
    return f'<p class="pn-card__{css}"><span class="pn-card__label">{_e(label)}:</span> {body}</p>'


def render_card(record: Mapping[str, Any], context: Mapping[str, Any]) -> str:
    """The card HTML of a record (see :func:`card_record`) in a context (see :func:`card_context`).

    Parameters
    ----------
    record
        Card record.
    context
        Card context.

    Returns
    -------
    str
        One ``<article class="pn-card">``, every text escaped.
    """
    labels = context["labels"]
    lang = context.get("lang", "de")
    parts: list[str] = []
    pid = record.get("id") or ""
    parts.append(f'<article class="pn-card" data-partner-id="{_e(pid)}">')
    parts.append(f'<h3 class="pn-card__name">{_e(record.get("name") or pid)}</h3>')

    cat_key = record.get("category") or ""
    cat = context["categories"].get(cat_key) or {"label": cat_key, "colour": FALLBACK_COLOUR}
    colour = cat["colour"] if _COLOUR_RE.match(cat["colour"] or "") else FALLBACK_COLOUR
    category = _e(cat["label"])
    if record.get("subtype"):
        category += " · " + _e(record["subtype"])
    parts.append(
        f'<p class="pn-card__category"><span class="pn-card__swatch" '
        f'style="background-color:{_e(colour)}"></span>{category}</p>'
    )

    status = record.get("status")
    if status and status != "active":
        parts.append(
            f'<p class="pn-card__status">{_e(labels["status"])}: '
            f"{_e(context['status'].get(status, status))}</p>"
        )
    if record.get("operator"):
        parts.append(_labelled("operator", labels["operator"], _e(record["operator"])))

    lines = []
    if record.get("street"):
        lines.append(_e(record["street"]))
    place = " ".join(p for p in (record.get("postcode"), record.get("town")) if p)
    if place:
        lines.append(_e(place))
    if record.get("district"):
        lines.append(f'{_e(labels["district"])}: {_e(record["district"])}')
    if lines:
        parts.append('<p class="pn-card__address">' + "<br>".join(lines) + "</p>")

    served = record.get("served")
    if served:
        text = labels["served_all"] if served == SERVES_ALL else served
        parts.append(_labelled("served", labels["served"], _e(text)))
    if record.get("relation") == RELATION_ELSEWHERE:
        parts.append(f'<p class="pn-card__relation">{_e(labels["relation"])}</p>')

    precision = record.get("precision")
    if precision in APPROXIMATE_PRECISIONS:
        parts.append(
            f'<p class="pn-card__precision">{_e(labels["precision"])}: '
            f"{_e(context['precision'].get(precision, precision))}</p>"
        )

    if record.get("phone"):
        parts.append(_labelled("phone", labels["phone"], _tel(record["phone"])))
    if record.get("email"):
        parts.append(_labelled("email", labels["email"], _mail(record["email"])))
    website = record.get("website")
    if website:
        url = safe_url(website)
        body = (
            f'<a href="{_e(url)}" target="_blank" rel="noopener">{_e(website)}</a>'
            if url else _e(website)
        )
        parts.append(_labelled("website", labels["website"], body))

    if record.get("schulnummer"):
        parts.append(_labelled("schulnummer", labels["schulnummer"], _e(record["schulnummer"])))
    languages = record.get("languages") or ()
    if languages:
        names = ", ".join(context["languages"].get(code, code) for code in languages)
        parts.append(_labelled("languages", labels["languages"], _e(names)))
    offers = record.get("offers") or ()
    if offers:
        parts.append(_labelled("offers", labels["offers"], _e(", ".join(offers))))
    if record.get("opening_hours"):
        parts.append(
            _labelled("opening-hours", labels["opening_hours"], _e(record["opening_hours"]))
        )

    accessible = record.get("accessible") or "unknown"
    parts.append(
        f'<p class="pn-card__accessible">{_e(context["accessible"].get(accessible, accessible))}</p>'
    )
    verified = format_date(record.get("verified"), lang)
    if verified:
        parts.append(f'<p class="pn-card__verified">{_e(labels["verified"])}: {_e(verified)}</p>')

    contacts = record.get("contacts") or ()
    if contacts:
        items = []
        for contact in contacts:
            item = f'<span class="pn-card__contact-name">{_e(contact["name"])}</span>'
            if contact.get("role"):
                item += f" ({_e(contact['role'])})"
            if contact.get("internal"):
                item += f' <span class="pn-card__internal">{_e(labels["internal"])}</span>'
            if contact.get("phone"):
                item += "<br>" + _tel(contact["phone"])
            if contact.get("email"):
                item += "<br>" + _mail(contact["email"])
            items.append(f"<li>{item}</li>")
        parts.append(
            f'<div class="pn-card__contacts"><span class="pn-card__label">'
            f'{_e(labels["contacts"])}:</span><ul>{"".join(items)}</ul></div>'
        )
    if record.get("notes"):
        parts.append(_labelled("notes", labels["notes"], _e(record["notes"])))
    parts.append("</article>")
    return "".join(parts)


def render_contact_card(
    row: Mapping[str, Any], categories: Mapping[str, Any], *, lang: str = "de"
) -> str:
    """The contact card of one partner as escaped HTML, as in the map popup.

    Parameters
    ----------
    row
        One row of the partners GeoDataFrame (or a mapping with its columns).
    categories
        ``Dataset.categories`` (key to ``CategoryInfo``) or
        ``vocabulary.DEFAULT_CATEGORIES``.
    lang
        UI language, ``"de"`` (default) or ``"en"``.

    Returns
    -------
    str
        HTML of one ``<article class="pn-card">``; style it with :data:`CARD_CSS`.

    Examples
    --------
    >>> from partnernetz.registry.vocabulary import DEFAULT_CATEGORIES
    >>> html = render_contact_card({"id": "a", "name": "<b>A</b>", "category": "kita"},
    ...                            DEFAULT_CATEGORIES)
    >>> "&lt;b&gt;A&lt;/b&gt;" in html
    True
    """
    record = card_record(row)
    context = card_context(categories, lang=lang, language_codes=record["languages"])
    return render_card(record, context)


def card_field_order(html: str) -> list[str]:
    """The card parts present in ``html``, in order (``pn-card__<part>`` classes of CARD_FIELDS)."""
    found = re.findall(r'class="pn-card__([a-z-]+)"', html)
    return [name for name in found if name in CARD_FIELDS]
