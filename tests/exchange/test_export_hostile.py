"""Exports survive hostile partner text: control characters in XLSX, line breaks in vCards."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from partnernetz.exchange.export import partner_vcard, to_xlsx_bytes
from partnernetz.registry.vocabulary import default_categories


def test_xlsx_strips_control_characters():
    frame = pd.DataFrame({"Name": ["Kita\x01 A\x1b[31m", "Tab\tund\nZeile"], "n": [1, 2]})
    book = load_workbook(io.BytesIO(to_xlsx_bytes({"Partner": frame})))
    values = [cell.value for cell in book["Partner"]["A"]][1:]
    assert values == ["Kita A[31m", "Tab\tund\nZeile"]


def _row(**values: object) -> dict:
    row = {"id": "kita-a", "name": "Kita A", "category": "kita", "operator": None,
           "phone": None, "email": None, "website": None, "street": None, "postcode": None,
           "town": "Brakel", "offers": (), "languages": (), "opening_hours": None,
           "contacts": (), "verified": None}
    row.update(values)
    return row


def _unfolded_lines(card: str) -> list[str]:
    return card.replace("\r\n ", "").split("\r\n")


def test_vcard_escapes_carriage_returns_and_line_feeds():
    card = partner_vcard(_row(name="Kita A\rTEL:0190 666\r\nEMAIL:x@example.org\nNOTE:y",
                              opening_hours="Mo\r\nTEL:1", street="Weg 1\u2028TEL:2"),
                         default_categories())
    lines = _unfolded_lines(card)
    assert "\r" not in card.replace("\r\n", "")
    assert "\n" not in card.replace("\r\n", "")
    assert [line for line in lines if line.startswith("TEL")] == []
    assert lines[2] == r"FN:Kita A\nTEL:0190 666\nEMAIL:x@example.org\nNOTE:y"


def test_vcard_escapes_rfc6350_specials():
    card = partner_vcard(_row(name="A; B, C \\ D", operator="Träger; e. V."), default_categories())
    lines = _unfolded_lines(card)
    assert r"FN:A\; B\, C \\ D" in lines
    assert r"ORG:Träger\; e. V.;A\; B\, C \\ D" in lines
