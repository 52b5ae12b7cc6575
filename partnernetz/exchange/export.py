"""Downloads: CSV that Excel opens, XLSX, and vCard.

Every export is safe against formula injection: a text cell that starts with
``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) gets a leading
apostrophe, so a spreadsheet shows it as text and never runs it. Numbers stay
numbers.

What is exported is what the viewer's role may see: the pages hand over the
partners of ``dataset_for_role`` (for the public: no notes, no internal
contacts). Each export says what it holds: with ``internal=True`` the CSV's
first line, the XLSX's first sheet and each vCard's ``CLASS`` say "intern",
otherwise "öffentlich"; internal contacts are marked "(intern)".
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from partnernetz.i18n import DIRECTORY_COLUMNS, t
from partnernetz.registry.vocabulary import (
    ACCESSIBILITY,
    STAGES,
    STATUSES,
    TARGET_GROUPS,
    CategoryInfo,
    language_name,
)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SERVES_ALL = "*"  # the partners frame's ``served`` for ``serves: all`` (dataset.SERVES_ALL)
WHOLE_REGION = ("ganzer Kreis", "whole Kreis")
# With a town filter and "mitversorgen": why a partner is listed.
RELATION_COLUMN = ("Bezug zum Ort", "Relation to town")
RELATION_VALUES = (("im Ort", "located there"), ("zuständig, nicht im Ort", "serves it, located elsewhere"))



def neutralise_cell(value: Any) -> Any:
    """Make one cell safe for spreadsheets; non-text values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


_PHONE_NUMBER = re.compile(r"^\+[0-9][0-9 ()/.\-]*$")


def neutralise_value(value: Any) -> Any:
    """:func:`neutralise_cell` for exchange formats (HSDS CSV, vCard): a phone number in
    international form (``+49 5271 1234``, digits only) keeps its ``+``."""
    if isinstance(value, str) and _PHONE_NUMBER.match(value):
        return value
    return neutralise_cell(value)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and header) neutralised."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame, *, comment: str | None = None) -> bytes:
    """CSV for Excel: UTF-8 with BOM, ``;``-separated, decimal comma, CRLF.

    ``comment`` becomes a first line ``# comment`` above the header.
    """
    safe = neutralise_frame(frame)
    text = safe.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    if comment:
        text = f"# {' '.join(comment.split())}\r\n{text}"
    return ("\ufeff" + text).encode("utf-8")


def scope_text(*, internal: bool, lang: str = "de") -> str:
    """What an export holds, in one line: "öffentlich" or "intern … nicht zur Weitergabe"."""
    return t("export.scope.internal" if internal else "export.scope.public", lang)


def scope_word(*, internal: bool) -> str:
    """The word for file names: ``intern`` or ``öffentlich``."""
    return t("export.internal" if internal else "export.public", "de")


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per frame; text cells neutralised.

    Parameters
    ----------
    sheets
        Sheet name (at most 31 characters) to frame.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, frame in sheets.items():
        sheet = workbook.create_sheet(title=_sheet_title(title))
        safe = neutralise_frame(frame)
        sheet.append([str(c) for c in safe.columns])
        for row in safe.itertuples(index=False):
            sheet.append([_xlsx_value(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for i, column in enumerate(safe.columns, start=1):
            width = max([len(str(column)), *(len(str(v)) for v in safe[column].head(200))])
            sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
        if len(safe):
            sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Tabelle"


# Characters XML 1.0 (and so XLSX) cannot hold: C0 controls other than tab, LF, CR.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def strip_control_characters(text: str) -> str:
    """``text`` without the control characters a spreadsheet cannot store (``\\x01``, ``\\x1b`` …)."""
    return _XML_ILLEGAL.sub("", text)


def plain_cell(value: Any) -> Any:
    """A frame cell as a plain Python value: None for empty cells (None, NA, NaN),
    Python scalars for numpy ones; anything else unchanged."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _xlsx_value(value: Any) -> Any:
    value = plain_cell(value)
    return strip_control_characters(value) if isinstance(value, str) else value


# --------------------------------------------------------------------------- directory


def _has_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def served_label(served: Any, town: Any, *, lang: str = "de") -> str:
    """Which towns a partner is responsible for: names, "ganzer Kreis", or its own town."""
    if served == SERVES_ALL:
        return WHOLE_REGION[1 if lang == "en" else 0]
    if isinstance(served, str) and served:
        return served
    return town if isinstance(town, str) else ""


def directory_table(
    partners: pd.DataFrame, categories: Mapping[str, CategoryInfo], *, lang: str = "de",
    serving_only: pd.Series | None = None,
) -> pd.DataFrame:
    """The partners as a readable table: labels instead of keys, lists joined.

    Empty text cells are empty strings (never "None"); "Zuletzt geprüft" stays a
    date (sortable). ``serving_only`` (per partner, see
    :func:`partnernetz.filters.serving_only`) adds the column "Bezug zum Ort".
    """
    en = lang == "en"

    def join(values: Any, labels: Mapping[str, Any] | None = None) -> str:
        items = list(values or ())
        if labels is not None:
            items = [labels[v][1 if en else 0] if v in labels else v for v in items]
        return ", ".join(items)

    internal_mark = f" ({t('card.internal', lang)})"

    def contact_text(contacts: Any) -> str:
        out = []
        for c in contacts or ():
            bits = [c.get("name"), c.get("role"), c.get("phone"), c.get("email")]
            text = " / ".join(b for b in bits if b)
            out.append(text + internal_mark if c.get("visibility") == "internal" else text)
        return "; ".join(out)

    table = pd.DataFrame(index=partners.index)
    for key, (de, en_label) in DIRECTORY_COLUMNS.items():
        if key not in partners:
            continue
        if key == "notes" and not partners[key].map(_has_text).any():
            continue  # redacted (or none in the selection): no empty column
        column = partners[key]
        if key == "category":
            values = column.map(lambda k: categories[k].label(lang) if k in categories else k)
        elif key == "languages":
            values = column.map(lambda v: ", ".join(language_name(c, lang) for c in v or ()))
        elif key == "stages":
            values = column.map(lambda v: join(v, STAGES))
        elif key == "target_groups":
            values = column.map(lambda v: join(v, TARGET_GROUPS))
        elif key == "offers":
            values = column.map(join)
        elif key == "accessible":
            values = column.map(lambda v: ACCESSIBILITY[v][1 if en else 0] if v in ACCESSIBILITY else v)
        elif key == "status":
            values = column.map(lambda v: STATUSES[v][1 if en else 0] if v in STATUSES else v)
        elif key == "contacts":
            values = column.map(contact_text)
        elif key == "served":
            values = pd.Series([served_label(v, town, lang=lang) for v, town in
                                zip(column, partners.get("town", column), strict=True)],
                               index=column.index, dtype=object)
        elif key == "verified":
            values = column.map(lambda v: v if isinstance(v, dt.date) else None)
        else:
            values = column.map(lambda v: "" if _is_empty(v) else v)
        table[en_label if en else de] = values.to_numpy()
    if serving_only is not None:
        labels = [RELATION_VALUES[1 if flag else 0][1 if en else 0]
                  for flag in serving_only.reindex(partners.index, fill_value=False)]
        table.insert(min(2, len(table.columns)), RELATION_COLUMN[1 if en else 0], labels)
    return table.reset_index(drop=True)


def _is_empty(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def directory_csv(partners: pd.DataFrame, categories: Mapping[str, CategoryInfo], *,
                  lang: str = "de", internal: bool = False) -> bytes:
    """The directory as CSV for Excel; the first line says "öffentlich" or "intern"."""
    return to_csv_bytes(directory_table(partners, categories, lang=lang),
                        comment=scope_text(internal=internal, lang=lang))


def directory_xlsx(partners: pd.DataFrame, categories: Mapping[str, CategoryInfo], *,
                   lang: str = "de", internal: bool = False) -> bytes:
    """The directory as an XLSX workbook; its first sheet says "öffentlich" or "intern"."""
    title = "Partners" if lang == "en" else "Partner"
    note = pd.DataFrame({t("export.scope.sheet", lang): [scope_text(internal=internal, lang=lang)]})
    return to_xlsx_bytes({t("export.scope.sheet", lang): note,
                          title: directory_table(partners, categories, lang=lang)})


# --------------------------------------------------------------------------- vCard


_VCARD_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85|\x0b|\x0c")


def _vcard_escape(text: str) -> str:
    """A value for a vCard content line (RFC 6350 3.4): ``\\``, ``,``, ``;`` escaped, every
    line break (CR, LF, CRLF, Unicode separators) as ``\\n``, other controls removed."""
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    text = _VCARD_LINE_BREAK.sub("\\\\n", text)
    return _XML_ILLEGAL.sub("", text.replace("\t", " "))


def _vcard_text(value: Any) -> str:
    """A vCard value: formula-safe (:func:`neutralise_value`), then escaped."""
    return _vcard_escape(neutralise_value(str(value)))


def _fold_line(line: str) -> str:
    """Fold a content line at 75 octets (RFC 6350), never inside a UTF-8 character."""
    out, current = [], ""
    limit = 75
    for ch in line:
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current, limit = " " + ch, 75
        else:
            current += ch
    out.append(current)
    return "\r\n".join(out)


def partner_vcard(row: Mapping[str, Any], categories: Mapping[str, CategoryInfo], *,
                  lang: str = "de", internal: bool = False) -> str:
    """One vCard 3.0 for one partner (an organisation card).

    ``CLASS`` is ``CONFIDENTIAL`` for an internal export, else ``PUBLIC``;
    internal contacts are marked "(intern)". Every value is formula-safe
    (:func:`neutralise_cell`, as in CSV and XLSX): address books export to
    spreadsheets. Only a phone number in international form keeps its ``+``.
    """
    name = str(row["name"])
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_vcard_text(name)}", f"N:{_vcard_text(name)};;;;"]
    org = _vcard_text(name)
    if row.get("operator"):
        org = f"{_vcard_text(str(row['operator']))};{org}"
    lines.append(f"ORG:{org}")
    lines.append("X-ABShowAs:COMPANY")
    category = categories.get(row["category"])
    if category is not None:
        lines.append(f"CATEGORIES:{_vcard_text(category.label(lang))}")
    if row.get("phone"):
        lines.append(f"TEL;TYPE=WORK,VOICE:{_vcard_text(str(row['phone']))}")
    if row.get("email"):
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{_vcard_text(str(row['email']))}")
    if row.get("website"):
        lines.append(f"URL:{_vcard_text(str(row['website']))}")
    street = _vcard_text(str(row.get("street") or ""))
    postcode = _vcard_text(str(row.get("postcode") or ""))
    town = _vcard_text(str(row.get("town") or ""))
    lines.append(f"ADR;TYPE=WORK:;;{street};{town};;{postcode};Deutschland")
    note = []
    if row.get("offers"):
        note.append(("Offers: " if lang == "en" else "Angebote: ") + ", ".join(row["offers"]))
    if row.get("languages"):
        label = "Languages: " if lang == "en" else "Sprachen: "
        note.append(label + ", ".join(language_name(c, lang) for c in row["languages"]))
    if row.get("opening_hours"):
        note.append(("Opening hours: " if lang == "en" else "Öffnungszeiten: ") + row["opening_hours"])
    served = served_label(row.get("served"), row.get("town"), lang=lang)
    if served:
        note.append(("Responsible for: " if lang == "en" else "Zuständig für: ") + served)
    for contact in row.get("contacts") or ():
        bits = [contact.get("name"), contact.get("role"), contact.get("phone"), contact.get("email")]
        mark = f" ({t('card.internal', lang)})" if contact.get("visibility") == "internal" else ""
        note.append(("Contact" if lang == "en" else "Ansprechperson") + mark + ": "
                    + ", ".join(b for b in bits if b))
    if _has_text(row.get("notes")):
        note.append(f"{t('card.notes', lang)}: {row['notes']}")
    if note:
        lines.append("NOTE:" + _vcard_text("\n".join(note)))
    verified = row.get("verified")
    if isinstance(verified, dt.date):
        lines.append(f"REV:{verified:%Y%m%d}")
    lines.append("CLASS:CONFIDENTIAL" if internal else "CLASS:PUBLIC")
    lines.append(f"UID:urn:partnernetz:{_vcard_text(str(row['id']))}")
    lines.append("END:VCARD")
    return "\r\n".join(_fold_line(line) for line in lines) + "\r\n"


def directory_vcf(partners: pd.DataFrame, categories: Mapping[str, CategoryInfo], *,
                  lang: str = "de", internal: bool = False) -> bytes:
    """All partners as one ``.vcf`` file, one card per partner."""
    cards = [partner_vcard(row, categories, lang=lang, internal=internal)
             for row in partners.to_dict("records")]
    return "".join(cards).encode("utf-8")
