"""Fixing import rows in the preview (partnernetz.exchange.fixes) and the import's history phrase."""

from __future__ import annotations

from partnernetz.exchange.fixes import apply_fixes, count_phrase, fixable_rows
from partnernetz.exchange.imports import ImportPlan, RowOutcome
from partnernetz.exchange.mapping import ColumnMapping
from partnernetz.exchange.sources import SourceTable

TABLE = SourceTable(file="liste.csv", headers=("Einrichtung", "Ort", "Mail"),
                    rows=(("Lotse", "Brakl", "lotse@example.org"), ("Treff", "Warburg", "treff(at)x")),
                    row_numbers=(2, 3), header_row=1)
MAPPING = ColumnMapping({"Einrichtung": "name", "Ort": "town", "Mail": "email"}, {}, {"category": "kita"})


def plan(*outcomes: RowOutcome) -> ImportPlan:
    return ImportPlan(tuple(outcomes), ())


def test_fixable_rows_name_field_column_value_and_suggestion() -> None:
    rejected = plan(
        RowOutcome(2, "rejected", "Lotse", reason="town: unbekannter Ort 'Brakl' – meinten Sie Brakel?"),
        RowOutcome(3, "rejected", "Treff", reason="email: 'treff(at)x' ist keine gültige E-Mail-Adresse; "
                                                  "Kategorie fehlt"),
    )
    found = fixable_rows(rejected, TABLE, MAPPING)
    assert [(f.row, f.field, f.label, f.header, f.value, f.suggestion) for f in found] == [
        (2, "town", "Ort", "Ort", "Brakl", "Brakel"),
        (3, "email", "E-Mail", "Mail", "treff(at)x", None),
    ]


def test_fixable_rows_none_for_rows_not_rejected_or_without_mapping() -> None:
    ok = plan(RowOutcome(2, "imported", "Lotse"), RowOutcome(3, "rejected", "Treff", reason="Name fehlt"))
    assert fixable_rows(ok, TABLE, MAPPING) == []
    assert fixable_rows(ok, TABLE, None) == []


def test_apply_fixes_changes_only_the_named_cells() -> None:
    fixed = apply_fixes(TABLE, {(2, "Ort"): " Brakel ", (3, "Mail"): "treff@example.org", (9, "Ort"): "x"})
    assert fixed.rows == (("Lotse", "Brakel", "lotse@example.org"), ("Treff", "Warburg", "treff@example.org"))
    assert TABLE.rows[0][1] == "Brakl"  # the table read from the file stays as it was
    assert apply_fixes(TABLE, {}) is TABLE


def test_count_phrase_singular_and_plural() -> None:
    many = plan(*[RowOutcome(i, "imported", "x") for i in range(22)],
                *[RowOutcome(100 + i, "duplicate", "x") for i in range(3)])
    assert count_phrase(many) == "22 neu, 3 Duplikate übersprungen"
    one = plan(RowOutcome(1, "imported", "x"), RowOutcome(2, "duplicate", "x"),
               RowOutcome(3, "rejected", "x"))
    assert count_phrase(one) == "1 neu, 1 Duplikat übersprungen, 1 abgelehnt"
    assert count_phrase(plan()) == "keine Zeilen"
