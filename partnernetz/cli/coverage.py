"""Sub-commands ``coverage`` and ``report`` of ``python -m partnernetz``.

Registered into :mod:`partnernetz.cli` through ``EXTRA_COMMANDS`` (the CLI
imports this module before it builds its parser).

``coverage PATH --format csv|json|xlsx [-o FILE]``
    The coverage matrix in long form, one row per town × category. CSV is
    plain and machine-readable (RFC 4180): comma-separated, UTF-8 without
    BOM, ``.`` as decimal point, LF line ends, values exactly as computed,
    columns :data:`CSV_COLUMNS` (``ags,town,category,located,reachable,
    per_10k,status,nearest_km,…``); an empty ``nearest_km`` means there is no
    active partner of the category, an empty ``per_10k`` an unknown
    population. The Excel-flavoured CSV (BOM, ``;``, decimal comma,
    formula-injection safe) is the app's download only; for spreadsheets use
    ``--format xlsx`` (text cells neutralised). Output goes to stdout unless
    ``-o`` is given; XLSX needs ``-o``.
``report PATH -o FILE.pdf [--town NAME] [--seit DATE]``
    The printable report of the Kreis, or the one-page Steckbrief of a town.

Exit codes as for every command: 0 ok, 1 invalid registry, 2 unusable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from partnernetz import cli

if TYPE_CHECKING:
    import pandas as pd

    from partnernetz.analysis.changes import VersionChanges
    from partnernetz.dataset import Dataset

# Column order of the plain CSV: the figures first, then the details.
CSV_COLUMNS: tuple[str, ...] = (
    "ags", "town", "category", "located", "reachable", "per_10k", "status", "nearest_km",
    "nearest_town", "category_label", "population", "planned", "inactive", "required",
)


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``coverage`` and ``report`` to the CLI's sub-parsers."""
    p = sub.add_parser("coverage", help="Abdeckung je Ort und Kategorie ausgeben (CSV, JSON, XLSX)")
    p.add_argument("path", type=cli.input_path, help="Registry-Datei (YAML)")
    p.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv",
                   help="csv (maschinenlesbar: Komma, UTF-8 ohne BOM, Dezimalpunkt), json "
                        "oder xlsx (für Excel)")
    p.add_argument("-o", "--output", type=cli.output_path, default=None,
                   help="Ausgabedatei (Standard: Standardausgabe; bei xlsx Pflicht)")
    p.add_argument("--lang", choices=("de", "en"), default="de", help="Sprache der Bezeichnungen")
    p.set_defaults(run=cmd_coverage)

    p = sub.add_parser("report", help="PDF-Bericht des Kreises oder Steckbrief eines Ortes")
    p.add_argument("path", type=cli.input_path, help="Registry-Datei (YAML)")
    p.add_argument("-o", "--output", type=cli.output_path, required=True,
                   help="PDF-Datei (- für die Standardausgabe)")
    p.add_argument("--town", default=None, help="Ort (Name oder Gemeindeschlüssel): Steckbrief")
    p.add_argument("--lang", choices=("de", "en"), default="de", help="Sprache des Berichts")
    p.add_argument("--intern", action="store_true",
                   help="jede Seite als „Intern – nicht zur Weitergabe“ kennzeichnen")
    p.add_argument("--seit", type=cli._date, default=None, metavar="JJJJ-MM-TT",
                   help="Datum des letzten Berichts: Seite 1 nennt, was sich seitdem geändert "
                        "hat (aus der Historie; Standard: vor 3 Monaten)")
    p.add_argument("--today", type=cli._date, default=None, help=argparse.SUPPRESS)
    p.set_defaults(run=cmd_report)


def _changes(dataset: Dataset, path: Path, *, today: dt.date, since: dt.date | None,
             lang: str) -> VersionChanges | None:
    """What changed since ``since`` (default 3 months ago), from the registry's history."""
    from partnernetz.analysis.summary import analyse_coverage
    from partnernetz.analysis.upkeep import months_before
    from partnernetz.analysis.versions import changes_since, load_version
    from partnernetz.filters import FilterSpec

    version = load_version(path, since or months_before(today, 3), today=today)
    analysis = analyse_coverage(dataset.partners, dataset.towns, today=today,
                                categories=dataset.categories, targets=dataset.targets)
    return changes_since(version, dataset.partners, analysis, FilterSpec(), today=today, lang=lang)


def _load(path: Path) -> Dataset:
    from partnernetz.dataset import load_dataset

    dataset = load_dataset(path)
    for issue in dataset.report.warnings:
        print(issue.format(), file=sys.stderr)
    return dataset


def cmd_coverage(args: argparse.Namespace) -> int:
    """``coverage PATH``: the long coverage matrix as CSV, JSON or XLSX."""
    from partnernetz.analysis.matrix import compute_coverage, coverage_json, coverage_table
    from partnernetz.cli.outputs import check_output_target
    from partnernetz.exchange import export
    from partnernetz.files import write_bytes_atomically

    if args.format == "xlsx" and args.output is None:
        print("Fehler: --format xlsx braucht eine Ausgabedatei (-o DATEI.xlsx)", file=sys.stderr)
        return cli.EXIT_UNUSABLE
    if args.output not in (None, cli.STDOUT):
        check_output_target(args.output, registry=args.path)  # before the work
    dataset = _load(args.path)
    matrix = compute_coverage(dataset.partners, dataset.towns,
                                  categories=dataset.categories, targets=dataset.targets)
    table = coverage_table(matrix, lang=args.lang)
    if dataset.partners.empty:  # zero partners: no town is a white spot yet, there is just no data
        table = table.iloc[0:0]
        print(f"{args.path}: Noch keine Partner – keine Abdeckung berechnet (erst Partner importieren: "
              f"python -m partnernetz import LISTE.xlsx --into {args.path})", file=sys.stderr)
    if args.format == "csv":
        data = plain_csv_bytes(table)
    elif args.format == "json":
        data = (coverage_json(table) + "\n").encode("utf-8")
    else:
        data = export.to_xlsx_bytes({"Abdeckung" if args.lang == "de" else "Coverage": table})
    if args.output in (None, cli.STDOUT):
        if args.format == "xlsx":  # binary: only with -o -
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:  # text goes through the CLI's output edge (control characters escaped)
            sys.stdout.write(data.decode("utf-8"))
    else:
        write_bytes_atomically(args.output, data)
        print(f"{len(table)} Zeilen geschrieben: {args.output}", file=sys.stderr)
    return cli.EXIT_OK


def plain_csv_bytes(table: pd.DataFrame) -> bytes:
    """The coverage table as plain CSV: ``,``, UTF-8 without BOM, ``.`` decimals, LF.

    Columns :data:`CSV_COLUMNS`; missing values (no nearest partner, unknown
    population) are empty fields. Values are written unchanged.
    """
    return table.loc[:, list(CSV_COLUMNS)].to_csv(index=False, lineterminator="\n").encode("utf-8")


def cmd_report(args: argparse.Namespace) -> int:
    """``report PATH -o FILE.pdf [--town NAME]``: the printable PDF."""
    from partnernetz.cli.outputs import check_output_target
    from partnernetz.views.report import report_pdf_bytes, write_report_pdf

    if args.output != cli.STDOUT:
        check_output_target(args.output, registry=args.path)  # before the work
    dataset = _load(args.path)
    today = args.today or dt.date.today()
    changes = None if args.town else _changes(dataset, args.path, today=today,
                                               since=args.seit, lang=args.lang)
    if args.output == cli.STDOUT:
        data = report_pdf_bytes(dataset, today=today, town=args.town, lang=args.lang,
                                internal=args.intern, changes=changes)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return cli.EXIT_OK
    path = write_report_pdf(dataset, path=args.output, today=today, town=args.town, lang=args.lang,
                            internal=args.intern, changes=changes)
    print(f"Bericht geschrieben: {path}", file=sys.stderr)
    return cli.EXIT_OK


if add_commands not in cli.EXTRA_COMMANDS:
    cli.EXTRA_COMMANDS.append(add_commands)
