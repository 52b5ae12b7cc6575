"""Fixing rows in the import preview: accept the suggested town, correct an e-mail or phone.

A rejected row whose reasons name a field people can correct (an unknown town
with "meinten Sie …?", an invalid e-mail address, phone number, website or
postcode) becomes a :class:`Fixable`. The corrections are applied to the
source table (:func:`apply_fixes`) before it is planned again, so the
preview, the report and the write all see the corrected value; the file
itself is never changed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from partnernetz.exchange.imports import ImportPlan
from partnernetz.exchange.mapping import ColumnMapping
from partnernetz.exchange.sources import SourceTable

# registry field -> the field as people know it
FIXABLE_FIELDS: dict[str, str] = {
    "town": "Ort",
    "email": "E-Mail",
    "phone": "Telefon",
    "website": "Website",
    "address.postcode": "Postleitzahl",
}
_SUGGESTION = re.compile(r"meinten Sie (.+?)\?$")
_REASON_FIELD = re.compile(r"^([a-z_.]+(?:\[\d+\])?(?:\.[a-z_]+)?):\s")


@dataclass(frozen=True)
class Fixable:
    """One value of one row that can be corrected in the preview."""

    row: int  # row number in the file
    field: str  # registry field (``town``, ``email`` …)
    label: str  # the field as people know it
    header: str  # the source column holding the value
    value: str  # the value in the file
    reason: str  # why it was rejected (German)
    suggestion: str | None = None  # "meinten Sie …?"


def _header_for(mapping: ColumnMapping, field: str) -> str | None:
    return next((h for h, target in mapping.columns.items() if target == field), None)


def fixable_rows(plan: ImportPlan, table: SourceTable, mapping: ColumnMapping | None) -> list[Fixable]:
    """The correctable values of the rejected rows, in file order."""
    if mapping is None:
        return []
    index = {number: i for i, number in enumerate(table.row_numbers)}
    found: list[Fixable] = []
    for outcome in plan.rejected:
        position = index.get(outcome.row)
        if position is None:
            continue
        for reason in (r.strip() for r in outcome.reason.split(";")):
            match = _REASON_FIELD.match(reason)
            field = match[1] if match else None
            if field not in FIXABLE_FIELDS:
                continue
            header = _header_for(mapping, field)
            if header is None or header not in table.headers:
                continue
            value = table.rows[position][table.headers.index(header)]
            hint = _SUGGESTION.search(reason)
            found.append(Fixable(outcome.row, field, FIXABLE_FIELDS[field], header, value, reason,
                                 hint[1] if hint else None))
    return found


def apply_fixes(table: SourceTable, fixes: Mapping[tuple[int, str], str]) -> SourceTable:
    """``table`` with corrected cells: ``fixes`` maps (file row, column header) to the new text."""
    if not fixes:
        return table
    rows = [list(r) for r in table.rows]
    index = {number: i for i, number in enumerate(table.row_numbers)}
    for (row, header), value in fixes.items():
        if row in index and header in table.headers:
            rows[index[row]][table.headers.index(header)] = value.strip()
    return dataclasses.replace(table, rows=tuple(tuple(r) for r in rows))


def count_phrase(plan: ImportPlan) -> str:
    """The counts of an import for its history entry: "22 neu, 3 Duplikate übersprungen"."""
    words: Sequence[tuple[str, str, str]] = (
        ("imported", "neu", "neu"),
        ("merged", "zusammengeführt", "zusammengeführt"),
        ("updated", "aktualisiert", "aktualisiert"),
        ("duplicate", "Duplikat übersprungen", "Duplikate übersprungen"),
        ("unchanged", "unverändert", "unverändert"),
        ("rejected", "abgelehnt", "abgelehnt"),
        ("filtered", "nicht übernommen", "nicht übernommen"),
    )
    parts = [f"{n} {one if n == 1 else many}" for status, one, many in words if (n := plan.count(status))]
    return ", ".join(parts) or "keine Zeilen"
