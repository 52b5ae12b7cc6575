"""Reference populations (Bezugsgrößen): a per-town table beside the registry.

``import --format bezugsgroessen FILE.csv --into REGISTRY`` reads a table
with the columns AGS, indicator, value, year, source (German headers
Gemeindeschlüssel, Indikator, Wert, Jahr, Quelle work too), checks every
row, and stores it as ``bezugsgroessen.csv`` beside the registry. A newer
year replaces an older value of the same town and indicator. The coverage
page then offers each indicator as the reference population of a category
("Kitas je 10.000 Kinder unter 6").
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from partnernetz.errors import ImportFileError
from partnernetz.exchange.entries import fix_key_digits
from partnernetz.exchange.sources import SourceTable, read_source_file
from partnernetz.files import write_text_atomically
from partnernetz.geo import gazetteer
from partnernetz.text import fold_text

FILENAME = "bezugsgroessen.csv"
COLUMNS = ("ags", "indicator", "value", "year", "source")
HEADERS: dict[str, str] = {
    "ags": "ags", "gemeindeschlussel": "ags", "amtlichergemeindeschlussel": "ags",
    "indicator": "indicator", "indikator": "indicator", "bezugsgrosse": "indicator",
    "value": "value", "wert": "value", "anzahl": "value",
    "year": "year", "jahr": "year", "stand": "year",
    "source": "source", "quelle": "source",
}


def _header_key(cell: str) -> str:
    return re.sub(r"[^a-z]", "", fold_text(cell))


_HEADER_INDEX = {_header_key(name): key for name, key in HEADERS.items()}


def reference_path(registry: str | Path) -> Path:
    """Where the reference table of a registry lives: beside it."""
    return Path(registry).resolve().parent / FILENAME


def _is_header(cell: str) -> bool:
    return _header_key(cell) in _HEADER_INDEX


def parse_reference_table(table: SourceTable, *, kreis: str) -> pd.DataFrame:
    """Check a reference table; every problem is named with its row.

    Returns
    -------
    pandas.DataFrame
        Columns ``ags`` (8 digits), ``indicator``, ``value`` (float),
        ``year`` (int), ``source``.

    Raises
    ------
    ImportFileError
        A column is missing, or rows are invalid (all are listed).
    """
    columns = {}
    for header in table.headers:
        key = _HEADER_INDEX.get(_header_key(header))
        if key is not None and key not in columns:
            columns[key] = header
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        raise ImportFileError(f"{table.file}: Spalten fehlen: {', '.join(missing)} "
                              "(erwartet: AGS, indicator, value, year, source)")
    towns = set(gazetteer.load_towns(kreis)["ags"])
    problems, rows = [], []
    for number, record in zip(table.row_numbers, table.records(), strict=True):
        ags = fix_key_digits(record[columns["ags"]], 8)
        indicator = record[columns["indicator"]].strip()
        source = record[columns["source"]].strip()
        where = f"{table.file}: Zeile {number}"
        try:
            value = float(record[columns["value"]].replace(",", "."))
        except ValueError:
            problems.append(f"{where}: value: '{record[columns['value']]}' ist keine Zahl")
            continue
        year_text = fix_key_digits(record[columns["year"]], 4)
        if ags not in towns:
            problems.append(f"{where}: AGS {ags} ist kein Ort der Region")
        elif not indicator:
            problems.append(f"{where}: indicator fehlt")
        elif not (value > 0):
            problems.append(f"{where}: value muss größer als 0 sein")
        elif not (year_text.isdigit() and 1900 <= int(year_text) <= 2100):
            problems.append(f"{where}: year: '{record[columns['year']]}' ist kein Jahr")
        elif not source:
            problems.append(f"{where}: source fehlt (Quelle der Zahl angeben)")
        else:
            rows.append((ags, indicator, value, int(year_text), source))
    if problems:
        raise ImportFileError("\n".join(problems))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def read_reference_table(registry: str | Path) -> pd.DataFrame:
    """The stored reference table of a registry; empty when there is none."""
    path = reference_path(registry)
    if not path.exists():
        return pd.DataFrame(columns=list(COLUMNS))
    frame = pd.read_csv(path, dtype={"ags": str, "indicator": str, "source": str})
    frame["ags"] = frame["ags"].str.zfill(8)
    return frame.loc[:, list(COLUMNS)]


def merge_reference(current: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Both tables; for each town and indicator the value of the latest year wins."""
    both = pd.concat([current, new], ignore_index=True)
    both = both.sort_values(["ags", "indicator", "year"], kind="stable")
    return both.drop_duplicates(["ags", "indicator"], keep="last").reset_index(drop=True)


def import_reference_table(source: str | Path, *, registry: str | Path,
                           dry_run: bool = False) -> str:
    """Read, check and store a reference table; returns a German summary."""
    from partnernetz.registry.parse import parse_yaml, read_registry_text

    data, _ = parse_yaml(read_registry_text(registry), file=str(registry))
    kreis = str(((data or {}).get("region") or {}).get("kreis") or "")
    table = read_source_file(source, is_header=_is_header)
    new = parse_reference_table(table, kreis=kreis)
    merged = merge_reference(read_reference_table(registry), new)
    indicators = ", ".join(sorted(set(new["indicator"])))
    if dry_run:
        return f"Probelauf: {len(new)} Werte ({indicators}) geprüft, nichts geschrieben"
    buffer = io.StringIO()
    merged.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    write_text_atomically(reference_path(registry), buffer.getvalue())
    return (f"{len(new)} Werte ({indicators}) übernommen; gespeichert in "
            f"{reference_path(registry)}")


def indicators_of(reference: pd.DataFrame) -> list[str]:
    """The indicators of a reference table, in first-seen order."""
    return list(dict.fromkeys(reference["indicator"]))
