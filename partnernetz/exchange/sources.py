"""Reading the tables people really have: CSV/TXT and XLSX, bounded.

A source file becomes a :class:`SourceTable`: the header row (found, not
assumed to be the first), the data rows as text cells, and each row's number
in the file as a spreadsheet shows it. What was assumed (encoding,
separator, header row) is stated in ``notes``.

Every cell stays text: nothing is evaluated, a value starting with ``=`` is
just text. Numbers that spreadsheets turned into floats (``5253.0``) come
back as their digits.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from partnernetz.errors import ImportFileError
from partnernetz.exchange.encodings import decode_text
from partnernetz.files import read_regular_file
from partnernetz.registry.limits import read_positive_settings

SEPARATORS: dict[str, str] = {";": "Semikolon", ",": "Komma", "\t": "Tabulator"}
HEADER_SCAN_ROWS = 30


# Environment variable of each setting (as robust's ParseLimits of the registry).
ENVIRONMENT = {
    "max_bytes": "PARTNERNETZ_MAX_UPLOAD_BYTES",
    "max_cells": "PARTNERNETZ_MAX_UPLOAD_CELLS",
    "max_rows": "PARTNERNETZ_MAX_UPLOAD_ROWS",
    "max_columns": "PARTNERNETZ_MAX_UPLOAD_COLUMNS",
    "max_cell_chars": "PARTNERNETZ_MAX_UPLOAD_CELL_CHARS",
    "max_unzipped_bytes": "PARTNERNETZ_MAX_UPLOAD_UNZIPPED_BYTES",
}


@dataclass(frozen=True)
class SourceLimits:
    """Bounds for reading an untrusted upload (each overridable by :data:`ENVIRONMENT`)."""

    max_bytes: int = 20 * 1024 * 1024
    max_cells: int = 500_000
    # rows below the header: duplicate detection compares the rows of one town with each
    # other, so its cost grows with the square of this (20,000 rows: seconds, not minutes)
    max_rows: int = 20_000
    max_columns: int = 200
    max_cell_chars: int = 10_000
    max_unzipped_bytes: int = 200 * 1024 * 1024

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> SourceLimits:
        """The defaults, with every setting given in the environment (positive integers)."""
        return cls(**read_positive_settings(cls, ENVIRONMENT, environ))

    def describe(self) -> str:
        """The limits in one German sentence (the app states them)."""
        def number(n: int) -> str:  # German thousands separator
            return f"{n:,}".replace(",", ".")

        return (f"höchstens {self.max_bytes // (1024 * 1024)} MB, {number(self.max_cells)} "
                f"Zellen, {number(self.max_rows)} Zeilen, {self.max_columns} Spalten, XLSX "
                f"entpackt höchstens {self.max_unzipped_bytes // (1024 * 1024)} MB")


DEFAULT_LIMITS = SourceLimits.from_environment()


@dataclass(frozen=True)
class SourceTable:
    """A table read from a file: header, rows of text, file row numbers."""

    file: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_numbers: tuple[int, ...]
    header_row: int
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    notes: tuple[str, ...] = field(default=())

    def records(self) -> list[dict[str, str]]:
        """Rows as dicts keyed by header (empty headers are left out)."""
        keys = list(enumerate(self.headers))
        return [{h: row[i] for i, h in keys if h} for row in self.rows]


# --------------------------------------------------------------------------- decoding


def detect_separator(text: str) -> str:
    """The separator (``;``, ``,`` or tab) that splits the lines most consistently."""
    sample_lines = [line for line in text.splitlines()[:60] if line.strip()]
    sample = "\n".join(sample_lines)
    best, best_score = ";", (-1.0, 0)
    for sep in SEPARATORS:
        rows = list(csv.reader(io.StringIO(sample), delimiter=sep))
        widths = [len([c for c in r]) for r in rows if any(c.strip() for c in r)]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        if common < 2:
            continue
        share = widths.count(common) / len(widths)
        score = (share, common)
        if score > best_score:
            best, best_score = sep, score
    return best


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class SourceGrid:
    """The cells of a file as read, before the header row is found (what the sandbox returns)."""

    grid: list[list[str]]
    numbers: list[int]
    encoding: str | None
    separator: str | None
    sheet: str | None
    notes: list[str]


def read_source(
    data: bytes,
    *,
    name: str,
    sheet: str | None = None,
    limits: SourceLimits = DEFAULT_LIMITS,
    is_header: Callable[[str], bool] | None = None,
) -> SourceTable:
    """Read a CSV/TXT or XLSX file given as bytes (in this process).

    Parameters
    ----------
    data
        The file's content.
    name
        File name (its ending decides the format; used in messages).
    sheet
        XLSX sheet name; default: the first sheet.
    limits
        Size and cell bounds.
    is_header
        Whether a cell text is a known column name; helps find the header row.

    Raises
    ------
    ImportFileError
        The file is too big, not a table, or empty.
    """
    return build_table(read_grid(data, name=name, sheet=sheet, limits=limits), name=name,
                       is_header=is_header)


def read_grid(data: bytes, *, name: str, sheet: str | None = None,
              limits: SourceLimits = DEFAULT_LIMITS) -> SourceGrid:
    """The cells of a CSV/TXT or XLSX file, bounded by ``limits`` (see :func:`read_source`)."""
    if len(data) > limits.max_bytes:
        raise ImportFileError(
            f"{name}: Datei ist zu groß ({len(data) / 1024 / 1024:.1f} MB; "
            f"erlaubt sind {limits.describe()})"
        )
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        grid, numbers, sheet_name = _read_xlsx(data, name=name, sheet=sheet, limits=limits)
        return SourceGrid(grid, numbers, None, None, sheet_name,
                          [f"Excel-Tabellenblatt '{sheet_name}' gelesen (Formeln: gespeicherte Werte)"])
    if suffix in (".csv", ".txt", ".tsv", ""):
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportFileError(f"{name}: ist keine Text- oder Excel-Datei")
        text, encoding = decode_text(data, name=name)
        grid, numbers, separator = _read_csv(text, name=name, limits=limits)
        notes = [f"Zeichenkodierung {encoding} angenommen",
                 f"Trennzeichen {SEPARATORS[separator]} ('{separator}') erkannt".replace("\t", "\\t")]
        return SourceGrid(grid, numbers, encoding, separator, None, notes)
    raise ImportFileError(f"{name}: Format '{suffix}' wird nicht unterstützt (CSV, TXT oder XLSX)")


def build_table(cells: SourceGrid, *, name: str,
                is_header: Callable[[str], bool] | None = None) -> SourceTable:
    """The :class:`SourceTable` of a grid: header row found, empty rows and columns left out."""
    return _build_table(cells.grid, cells.numbers, name=name, encoding=cells.encoding,
                        separator=cells.separator, sheet=cells.sheet, notes=list(cells.notes),
                        is_header=is_header)


def read_source_file(path: str | Path, **options: object) -> SourceTable:
    """:func:`read_source` for a file on disk: read with :func:`read_file_bytes`, parsed in
    a child process with memory and time limits (:mod:`partnernetz.exchange.sandbox`)."""
    from partnernetz.exchange.sandbox import read_source_isolated

    limits = options.get("limits", DEFAULT_LIMITS)
    data = read_file_bytes(path, max_bytes=limits.max_bytes,  # type: ignore[union-attr]
                           limit_text=limits.describe())  # type: ignore[union-attr]
    return read_source_isolated(data, name=str(path), **options)  # type: ignore[arg-type]


def read_file_bytes(path: str | Path, *, max_bytes: int, limit_text: str | None = None,
                    what: str = "Datei") -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, never more.

    The file is opened without blocking (a named pipe never hangs) and
    checked before anything is read: a device (``/dev/zero``), pipe, socket or
    folder is refused, and so is a file larger than ``max_bytes``; reading
    stops at ``max_bytes`` even when the file grows meanwhile.

    Raises
    ------
    ImportFileError
        Missing, not a regular file, too large or unreadable (German, with
        the path).
    """
    path = Path(path)
    limit_text = limit_text or f"höchstens {max_bytes / 1024 / 1024:.0f} MB"

    def too_large(size: int) -> str:
        return f"{path}: {what} ist zu groß ({size / 1024 / 1024:.1f} MB; erlaubt sind {limit_text})"

    return read_regular_file(path, max_bytes=max_bytes, error=ImportFileError, what=what, kind=what,
                             too_large=too_large)


def _read_csv(text: str, *, name: str, limits: SourceLimits
              ) -> tuple[list[list[str]], list[int], str]:
    lines_skipped = 0
    first, _, rest = text.partition("\n")
    separator = None
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        separator = first.strip()[4]
        text, lines_skipped = rest, 1
    if separator not in SEPARATORS:
        separator = detect_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    grid: list[list[str]] = []
    numbers: list[int] = []
    cells = 0
    try:
        for row in reader:
            numbers.append(len(numbers) + 1 + lines_skipped)
            cells += len(row)
            _check_bounds(row, cells, len(grid), name=name, limits=limits,
                          row_number=numbers[-1])
            grid.append([c.strip() for c in row])
    except csv.Error as exc:
        raise ImportFileError(f"{name}: Zeile {reader.line_num}: CSV nicht lesbar ({exc})") from None
    return grid, numbers, separator


def _check_bounds(row: Sequence[object], cells: int, rows_before: int, *, name: str,
                  limits: SourceLimits, row_number: int) -> None:
    if cells > limits.max_cells:
        raise ImportFileError(f"{name}: zu viele Zellen (erlaubt sind {limits.describe()})")
    if rows_before > limits.max_rows:  # the header and max_rows rows below it are read
        raise ImportFileError(f"{name}: zu viele Zeilen (erlaubt sind {limits.describe()})")
    if len(row) > limits.max_columns:
        raise ImportFileError(
            f"{name}: Zeile {row_number}: {len(row)} Spalten (erlaubt sind {limits.max_columns})"
        )
    for cell in row:
        if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
            raise ImportFileError(
                f"{name}: Zeile {row_number}: Zelle mit mehr als {limits.max_cell_chars} Zeichen"
            )


def _read_xlsx(data: bytes, *, name: str, sheet: str | None, limits: SourceLimits
               ) -> tuple[list[list[str]], list[int], str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFileError(f"{name}: ist keine gültige XLSX-Datei") from None
    if unzipped > limits.max_unzipped_bytes:
        raise ImportFileError(f"{name}: entpackt zu groß (erlaubt sind {limits.describe()})")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise ImportFileError(f"{name}: XLSX nicht lesbar ({type(exc).__name__})") from None
    try:
        names = workbook.sheetnames
        if sheet is not None and sheet not in names:
            raise ImportFileError(
                f"{name}: kein Tabellenblatt '{sheet}' (vorhanden: {', '.join(names)})"
            )
        worksheet = workbook[sheet or names[0]]
        # The declared range (``<dimension ref="A1:XFD1048576"/>``) is not trusted: without
        # it openpyxl yields each row as wide as its last cell, not 16,384 columns, and a
        # missing row as an empty tuple, which is skipped here without any work.
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()
        grid: list[list[str]] = []
        numbers: list[int] = []
        cells = 0
        for index, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if not row:
                continue
            values = list(row)
            while values and values[-1] in (None, ""):
                values.pop()
            cells += len(values)
            _check_bounds(values, cells, len(grid), name=name, limits=limits, row_number=index)
            grid.append([cell_text(v) for v in values])
            numbers.append(index)
        return grid, numbers, worksheet.title
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """A spreadsheet value as text: ``5253.0`` → ``"5253"``, dates as ISO, None → ``""``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _build_table(grid: list[list[str]], numbers: list[int], *, name: str, encoding: str | None,
                 separator: str | None, sheet: str | None, notes: list[str],
                 is_header: Callable[[str], bool] | None) -> SourceTable:
    keep = [i for i, row in enumerate(grid) if any(c for c in row)]
    if not keep:
        raise ImportFileError(f"{name}: enthält keine Daten")
    header_index = _find_header(grid, keep, is_header)
    width = max(len(grid[i]) for i in keep)
    header = [*grid[header_index], *[""] * (width - len(grid[header_index]))]
    body = [i for i in keep if i > header_index]
    used = [c for c in range(width)
            if header[c] or any(c < len(grid[i]) and grid[i][c] for i in body)]
    headers = tuple(header[c] or f"Spalte {_column_letter(c)}" for c in used)
    rows = tuple(tuple(grid[i][c] if c < len(grid[i]) else "" for c in used) for i in body)
    header_number = numbers[header_index]
    if header_number != numbers[keep[0]]:
        notes.append(f"Kopfzeile in Zeile {header_number} erkannt")
    _check_unique(headers, name=name, row=header_number)
    return SourceTable(file=name, headers=headers, rows=rows,
                       row_numbers=tuple(numbers[i] for i in body), header_row=header_number,
                       encoding=encoding, separator=separator, sheet=sheet, notes=tuple(notes))


def _find_header(grid: list[list[str]], keep: list[int],
                 is_header: Callable[[str], bool] | None) -> int:
    """The header row: most known column names, else the first row as wide as the data."""
    candidates = keep[:HEADER_SCAN_ROWS]
    if is_header is not None:
        scored = [(sum(bool(c) and is_header(c) for c in grid[i]), -n, i)
                  for n, i in enumerate(candidates)]
        known, _, index = max(scored)
        if known >= 2:
            return index
    widths = [sum(bool(c) for c in grid[i]) for i in keep[: HEADER_SCAN_ROWS * 2]]
    common = max(widths)
    for i, w in zip(candidates, widths, strict=False):
        if w >= max(2, int(common * 0.6)):
            return i
    return candidates[0]


def _check_unique(headers: Sequence[str], *, name: str, row: int) -> None:
    seen: set[str] = set()
    for header in headers:
        if header in seen:
            raise ImportFileError(f"{name}: Zeile {row}: Spaltenüberschrift '{header}' kommt doppelt vor")
        seen.add(header)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
