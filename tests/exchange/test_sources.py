"""Reading the tables people really have: encodings, separators, headers, XLSX."""

from __future__ import annotations

import io

import pytest

from partnernetz.errors import ImportFileError
from partnernetz.exchange.importer import read_table
from partnernetz.exchange.sources import SourceLimits, cell_text

ROWS = [["Einrichtung", "Straße", "PLZ", "Ort"], ["Kita Sonnenschein", "Marktstraße 1", "37671", "Höxter"],
        ["Café Zündstoff", "Am Bahnhof 2", "33034", "Brakel"]]


def _csv(sep: str, *, rows: list[list[str]] = ROWS) -> str:
    return "\r\n".join(sep.join(r) for r in rows) + "\r\n"


@pytest.mark.parametrize(("encoding", "prefix", "expected"), [
    ("utf-8", b"", "UTF-8"),
    ("utf-8", b"\xef\xbb\xbf", "UTF-8 mit BOM"),
    ("cp1252", b"", "Windows-1252"),
])
@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_read_table_detects_encoding_and_separator(encoding: str, prefix: bytes, expected: str,
                                                   sep: str) -> None:
    table = read_table(prefix + _csv(sep).encode(encoding), name="liste.csv")
    assert table.encoding == expected
    assert table.separator == sep
    assert table.headers == tuple(ROWS[0])
    assert table.rows[1] == tuple(ROWS[2])  # umlauts and é intact in every encoding
    assert any(expected in note for note in table.notes)


def test_read_table_finds_header_below_title_and_skips_empty_rows_and_columns() -> None:
    text = ("Partnerliste KI Höxter;;;;\r\n;;;;\r\nStand: 2025;;;;\r\n"
            "Einrichtung;;PLZ;Ort;\r\n;;;;\r\nKita A;;37671;Höxter;\r\nKita B;;33034;Brakel;\r\n")
    table = read_table(text.encode(), name="liste.csv")
    assert table.header_row == 4
    assert table.headers == ("Einrichtung", "PLZ", "Ort")  # the empty column is gone
    assert table.row_numbers == (6, 7)  # file rows, empty row 5 skipped
    assert "Kopfzeile in Zeile 4 erkannt" in table.notes


def test_read_table_msb_sep_line_and_trailing_separator() -> None:
    text = 'sep=;\n"Schulnummer";"Ort";\n"100026";"Bad Driburg";\n'
    table = read_table(text.encode(), name="schuldaten.csv")
    assert table.separator == ";"
    assert table.headers == ("Schulnummer", "Ort")
    assert table.rows == (("100026", "Bad Driburg"),)
    assert table.row_numbers == (3,)


def test_read_table_xlsx_merged_title_formulas_and_floats() -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Partner"
    sheet["A1"] = "Partnerliste des KI"
    sheet.merge_cells("A1:D1")
    sheet.append([])
    sheet.append(["Einrichtung", "Telefon", "PLZ", "Plätze"])
    sheet.append(["Kita A", 5253.0, 3034, 10])
    sheet.append(["=HYPERLINK(\"http://evil\")", "+49 5271 1", "37671", "=D4*2"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # openpyxl writes no cached values for formulas: the cells read as empty, never evaluated
    table = read_table(buffer.getvalue(), name="liste.xlsx")
    assert table.sheet == "Partner"
    assert table.header_row == 3
    assert table.rows[0] == ("Kita A", "5253", "3034", "10")
    assert table.rows[1][1] == "+49 5271 1"


def test_read_table_xlsx_uses_cached_formula_values(tmp_path) -> None:
    # A workbook saved by a spreadsheet program stores formula and result; fake one by hand.
    from openpyxl import Workbook, load_workbook

    workbook = Workbook()
    workbook.active.append(["Einrichtung", "Ort"])
    workbook.active.append(["Kita A", "Höxter"])
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    cell = '<c r="B2" t="inlineStr"><is><t>Höxter</t></is></c>'
    assert cell in sheet
    sheet = sheet.replace(cell, '<c r="B2" t="str"><f>UPPER("brakel")</f><v>Brakel</v></c>')
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert load_workbook(path, data_only=False).active["B2"].value.startswith("=")
    table = read_table(path.read_bytes(), name="a.xlsx")
    assert table.rows[0] == ("Kita A", "Brakel")


def test_read_table_refuses_oversized_input() -> None:
    limits = SourceLimits(max_bytes=100)
    with pytest.raises(ImportFileError, match="zu groß"):
        read_table(b"a;b\n" * 100, name="gross.csv", limits=limits)
    with pytest.raises(ImportFileError, match="zu viele Zellen"):
        read_table(b"a;b\n" * 100, name="viele.csv", limits=SourceLimits(max_cells=50))


def test_read_table_rejects_binary_and_unknown_formats() -> None:
    with pytest.raises(ImportFileError, match="keine Text- oder Excel-Datei"):
        read_table(b"\x00\x01\x02" * 10, name="x.csv")
    with pytest.raises(ImportFileError, match="nicht unterstützt"):
        read_table(b"a", name="x.pdf")


def test_cell_text_restores_digits_of_floats() -> None:
    assert cell_text(5253.0) == "5253"
    assert cell_text(2.5) == "2.5"
    assert cell_text(None) == ""


def test_source_limits_from_environment() -> None:
    limits = SourceLimits.from_environment({"PARTNERNETZ_MAX_UPLOAD_BYTES": "1000",
                                            "PARTNERNETZ_MAX_UPLOAD_CELLS": "x"})
    assert limits.max_bytes == 1000 and limits.max_cells == SourceLimits().max_cells
