"""Uploads that cost minutes or never end, and text that must be read as it was meant
(issue 17 §5 and §7a): a declared range of a million rows, devices, pipes, huge files,
the child's limits, and CSV files that mix UTF-8 and Windows-1252."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from partnernetz.errors import ImportFileError
from partnernetz.exchange import sources
from partnernetz.exchange.importer import read_table, read_table_file
from partnernetz.exchange.mapping import is_known_header, read_mapping
from partnernetz.exchange.sandbox import read_source_isolated
from partnernetz.exchange.sources import decode_text
from partnernetz.registry.limits import ParseLimits

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def dimension_bomb() -> bytes:
    """A 1.6 KB workbook whose sheet declares ``A1:XFD1048576`` and has a cell in its last row."""
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}>'
             '<dimension ref="A1:XFD1048576"/><sheetData>'
             f'<row r="1">{_cell("A1", "Name")}{_cell("B1", "Ort")}</row>'
             f'<row r="2">{_cell("A2", "Kita A")}{_cell("B2", "Brakel")}</row>'
             f'<row r="1048576">{_cell("A1048576", "Kita Z")}{_cell("B1048576", "Nieheim")}</row>'
             "</sheetData></worksheet>")
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship '
            f'Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} xmlns:r="{_REL}"><sheets>'
            '<sheet name="Liste" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship '
            f'Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


# --------------------------------------------------------------------------- §5 (a) (b)


def test_dimension_bomb_reads_only_the_cells_that_exist():
    data = dimension_bomb()
    assert len(data) < 2000
    # a 20 s CPU bound: reading the declared range (16,384 columns × 10⁶ rows) cannot finish
    table = read_source_isolated(data, name="bombe.xlsx",
                                 parse_limits=ParseLimits(child_seconds=20))
    assert table.headers == ("Name", "Ort")
    assert table.rows == (("Kita A", "Brakel"), ("Kita Z", "Nieheim"))
    assert table.row_numbers == (2, 1_048_576)


def test_upload_parse_ends_at_the_memory_limit_with_a_german_message():
    # 15 MB and 490,000 cells: within the upload limits, but its cells need more than 150 MB
    row = ";".join(f"Zelle{c:02d}-" + "x" * 22 for c in range(10)) + "\n"
    data = ("Name;Ort;" + ";".join(f"S{i}" for i in range(8)) + "\n" + row * 49_000).encode()
    with pytest.raises(ImportFileError, match=r"gross\.csv: .*mehr als 100 MB Arbeitsspeicher "
                                              r"\(Speicherlimit\)"):
        read_source_isolated(data, name="gross.csv",
                             parse_limits=ParseLimits(child_memory_bytes=100_000_000))


def test_isolated_read_gives_the_same_table_as_in_process():
    data = "Träger;Name;Ort\r\nStadt;Kita Ä;Höxter\r\n;Kita B;Brakel\r\n".encode("cp1252")
    assert read_table(data, name="liste.csv") == sources.read_source(
        data, name="liste.csv", is_header=is_known_header)


def test_errors_of_the_child_keep_their_message():
    with pytest.raises(ImportFileError, match=r"liste\.csv: enthält keine Daten"):
        read_table(b";;\r\n", name="liste.csv")


# --------------------------------------------------------------------------- §5 (d) (e)


def test_dev_zero_is_refused_without_reading():
    with pytest.raises(ImportFileError, match="/dev/zero: ist keine normale Datei"):
        read_table_file("/dev/zero")
    with pytest.raises(ImportFileError, match="/dev/zero: ist keine normale Datei"):
        read_mapping("/dev/zero")


def test_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "liste.csv"
    os.mkfifo(fifo)
    with pytest.raises(ImportFileError, match="ist keine normale Datei"):
        read_table_file(fifo)
    with pytest.raises(ImportFileError, match="ist keine normale Datei"):
        read_mapping(fifo)


def test_200_mb_file_is_refused_before_a_byte_is_read(tmp_path, monkeypatch):
    big = tmp_path / "gross.csv"
    with open(big, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(ImportFileError, match=r"gross\.csv: Datei ist zu groß \(200\.0 MB; "
                                              r"erlaubt sind höchstens 20 MB"):
        read_table_file(big)
    assert reads == []


def test_file_growing_while_read_is_cut_at_the_limit(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(b"x" * 5000)
    assert sources.read_file_bytes(path, max_bytes=5000) == b"x" * 5000
    with pytest.raises(ImportFileError, match="zu groß"):
        sources.read_file_bytes(path, max_bytes=4999)


def test_missing_file_and_folder_have_german_messages(tmp_path):
    with pytest.raises(ImportFileError, match=r"fehlt\.csv: Datei nicht gefunden"):
        read_table_file(tmp_path / "fehlt.csv")
    with pytest.raises(ImportFileError, match="ist ein Ordner"):
        read_table_file(tmp_path)


# --------------------------------------------------------------------------- §7 (a)


MIXED = (b"Name;Ort\r\n" + "Verein Grüße;Höxter\r\n".encode()
         + "Café Zündstoff;Brakel\r\n".encode("cp1252") + "Kita Straße;Nieheim\r\n".encode())


def test_mixed_utf8_and_windows_1252_lines_are_each_decoded_correctly():
    table = read_table(MIXED, name="gemischt.csv")
    assert table.rows == (("Verein Grüße", "Höxter"), ("Café Zündstoff", "Brakel"),
                          ("Kita Straße", "Nieheim"))
    assert table.encoding == "gemischt: UTF-8, Zeile 3 Windows-1252"
    assert not any("Ã" in cell for row in table.rows for cell in row)


def test_mixed_file_with_bom_keeps_the_bom_out_of_the_header():
    text, encoding = decode_text(b"\xef\xbb\xbf" + MIXED, name="x.csv")
    assert text.startswith("Name;Ort") and "Café Zündstoff" in text and "Grüße" in text
    assert encoding == "gemischt: UTF-8 mit BOM, Zeile 3 Windows-1252"


def test_line_in_neither_encoding_is_refused_with_its_number():
    data = MIXED + b"Kita \x81\x8d;Brakel\r\n"
    with pytest.raises(ImportFileError, match=r"x\.csv: Zeile 5: Zeichenkodierung nicht erkannt"):
        decode_text(data, name="x.csv")


def test_windows_1252_only_file_is_named_as_such():
    text, encoding = decode_text("Name;Ort\nGrüße;Höxter\n".encode("cp1252"))
    assert (text, encoding) == ("Name;Ort\nGrüße;Höxter\n", "Windows-1252")


def test_text_garbled_before_upload_is_refused_with_its_line():
    garbled = "Name;Ort\nKita A;Brakel\nVerein Grüße;Höxter\n".encode().decode("cp1252")
    data = garbled.encode("utf-8")  # "Verein GrÃ¼ÃŸe", saved as UTF-8
    with pytest.raises(ImportFileError, match=r"x\.csv: Zeile 3: Text ist doppelt kodiert "
                                              r"\('Ã¼ÃŸ' statt 'üß'\)"):
        read_table(data, name="x.csv")


@pytest.mark.parametrize("text", ["Ärztehaus Ölde;Übach", "Café Â la carte;Brakel",
                                  "SOS-Kinderdorf – Beratung;Höxter", "Straße;€ 5"])
def test_ordinary_umlauts_and_signs_are_not_taken_for_garbled_text(text):
    assert decode_text(f"Name;Ort\n{text}\n".encode())[0].endswith(f"{text}\n")
    assert decode_text(f"Name;Ort\n{text}\n".encode("cp1252"))[0].endswith(f"{text}\n")


def test_rows_beyond_the_row_limit_are_refused_before_the_duplicate_search():
    # 100,000 distinct partners in one town (5.5 MB, under the cell limit) cost the duplicate
    # search about 8 minutes and 800 MB: each town's rows are compared with each other
    limits = sources.SourceLimits(max_rows=3)
    header = "Name;Ort\n"
    ok = header + "".join(f"Kita {i};Brakel\n" for i in range(3))
    assert len(read_table(ok.encode(), name="liste.csv", limits=limits).rows) == 3
    with pytest.raises(ImportFileError, match=r"liste\.csv: zu viele Zeilen \(erlaubt sind "
                                              r"höchstens .*, 3 Zeilen,"):
        read_table((ok + "Kita 3;Brakel\n").encode(), name="liste.csv", limits=limits)


def test_xlsx_rows_beyond_the_row_limit_are_refused():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Ort"])
    for i in range(4):
        sheet.append([f"Kita {i}", "Brakel"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportFileError, match="zu viele Zeilen"):
        read_table(buffer.getvalue(), name="liste.xlsx", limits=sources.SourceLimits(max_rows=3))
    assert len(read_table(buffer.getvalue(), name="liste.xlsx",
                          limits=sources.SourceLimits(max_rows=4)).rows) == 4


def test_default_row_limit_is_stated_and_set_by_the_environment():
    assert sources.SourceLimits().describe() == (
        "höchstens 20 MB, 500.000 Zellen, 20.000 Zeilen, 200 Spalten, XLSX entpackt höchstens "
        "200 MB")
    limits = sources.SourceLimits.from_environment({"PARTNERNETZ_MAX_UPLOAD_ROWS": "50"})
    assert limits.max_rows == 50


def test_child_ends_are_described_alike_for_registry_and_upload():
    import signal

    from partnernetz.registry.sandbox import EXIT_MEMORY, EXIT_UNEXPECTED, describe_exit

    bounds = ParseLimits()
    for reader in ("der Leseprozess", "der YAML-Leser"):
        assert describe_exit(EXIT_MEMORY, bounds, reader=reader).endswith("(Speicherlimit)")
        assert describe_exit(-signal.SIGXCPU, bounds, reader=reader).endswith("(Zeitlimit)")
        assert describe_exit(-signal.SIGSEGV, bounds, reader=reader) == (
            f"{reader} ist abgestürzt (SIGSEGV); die Datei ist vermutlich beschädigt")
        assert describe_exit(EXIT_UNEXPECTED, bounds, reader=reader) == (
            f"{reader} ist mit einem unerwarteten Fehler abgebrochen")
