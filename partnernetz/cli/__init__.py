"""Command line: ``python -m partnernetz <command> …``.

Exit codes: 0 ok (warnings allowed), 1 invalid input, 2 unusable (missing
file, unknown key, bad arguments). Never a traceback: expected problems are
:class:`PartnernetzError` with a complete message; anything unexpected is
reported in one line as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from partnernetz.errors import (
    PartnernetzError,
    RegistryFileError,
    RegistryValidationError,
)

EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2
STDOUT = "-"  # ``-o -``: write to standard output

# argparse's own texts in German (argparse looks them up through ``_`` at run time).
_ARGPARSE_DE = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Argumente",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "the following arguments are required: %s": "diese Argumente fehlen: %s",
    "unrecognized arguments: %s": "unbekannte Argumente: %s",
    "argument %(argument_name)s: %(message)s": "Argument %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "ungültige Wahl: %(value)r (möglich: %(choices)s)",
    "invalid %(type)s value: %(value)r": "ungültiger Wert: %(value)r",
    "expected one argument": "erwartet einen Wert",
    "expected at most one argument": "erwartet höchstens einen Wert",
    "expected at least one argument": "erwartet mindestens einen Wert",
    "ambiguous option: %(option)s could match %(matches)s":
        "mehrdeutige Option: %(option)s passt zu %(matches)s",
    "not allowed with argument %s": "nicht zusammen mit Argument %s erlaubt",
    "one of the arguments %s is required": "eines dieser Argumente ist nötig: %s",
    "ignored explicit argument %r": "überzähliger Wert %r",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
}


def _german(message: str) -> str:
    return _ARGPARSE_DE.get(message, message)


def _german_plural(singular: str, plural: str, n: int) -> str:
    text = {"expected %s argument": "erwartet %s Wert",
            "expected %s arguments": "erwartet %s Werte"}
    return text.get(singular if n == 1 else plural, singular if n == 1 else plural)


def _use_german_argparse() -> None:
    argparse._ = _german  # type: ignore[attr-defined]
    argparse.ngettext = _german_plural  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors with exit code 2 and no traceback."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        _use_german_argparse()
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNUSABLE, f"{self.prog}: Fehler: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per task."""
    parser = _Parser(prog="python -m partnernetz", description="Partnernetz: Registry prüfen, "
                     "geokodieren und auswerten")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("validate", help="Registry oder Zugangsdatei prüfen (Fehler und Warnungen)")
    p.add_argument("path", type=input_path)
    p.add_argument("--today", type=_date, help=argparse.SUPPRESS)
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("locate", help="geokodierte Partner ausgeben")
    p.add_argument("path", type=input_path)
    p.add_argument("--format", choices=("csv", "geojson"), default="csv")
    p.add_argument("--raw", action="store_true",
                   help="CSV unverändert (ohne Schutz vor Formeln in Excel; für Programme)")
    p.set_defaults(run=cmd_locate)

    p = sub.add_parser("towns", help="Orte des Gazetteers ausgeben")
    p.add_argument("key", help="Kreisschlüssel (z. B. 05762) oder nrw")
    p.add_argument("--format", choices=("csv",), default="csv")
    p.set_defaults(run=cmd_towns)

    p = sub.add_parser("geocode", help="Adressen online geokodieren (Nominatim) und cachen")
    p.add_argument("path", type=input_path)
    p.add_argument("--url", default="https://nominatim.openstreetmap.org",
                   help="Nominatim-Server (Standard: %(default)s)")
    p.add_argument("--user-agent", default=None, help="eigener User-Agent (Kontakt angeben)")
    p.add_argument("--cache", type=Path, default=None, help="Cache-Datei (Standard: neben der Registry)")
    p.add_argument("--delay", type=_delay, default=1.0, help="Sekunden zwischen Anfragen (mind. 1)")
    p.add_argument("--refresh", action="store_true", help="auch bereits gecachte Adressen neu abfragen")
    p.set_defaults(run=cmd_geocode)

    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


# Other modules add their sub-commands here: functions taking the subparsers object.
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' ist kein Datum (JJJJ-MM-TT)") from None


def input_path(text: str) -> Path:
    """An input file argument; an empty name is an error (``Path("")`` would be ``.``)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("leerer Dateiname")
    return Path(text)


def output_path(text: str) -> Path | str:
    """An ``-o`` argument: a file name, or ``-`` for standard output."""
    if text == STDOUT:
        return STDOUT
    if not text.strip():
        raise argparse.ArgumentTypeError("leerer Dateiname (für die Standardausgabe: -o -)")
    return Path(text)


def _delay(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 1.0:
        raise argparse.ArgumentTypeError(
            f"'{text}' ist keine gültige Wartezeit: eine Zahl von mindestens 1 Sekunde angeben "
            "(Nominatim-Nutzungsregeln)")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    import logging

    from partnernetz.cli.outputs import safe_output

    # Warnings meant for the app's server log reach the terminal as "Warnung: …" already;
    # without a handler Python's last resort would print them a second time.
    package_logger = logging.getLogger("partnernetz")
    if not package_logger.handlers:
        package_logger.addHandler(logging.NullHandler())
    with safe_output():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    _register_extra_commands()
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except RegistryValidationError as exc:
        print(exc.report.format(), file=sys.stderr)
        return EXIT_INVALID
    except RegistryFileError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except PartnernetzError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", EXIT_UNUSABLE)
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        print(f"Unerwarteter Fehler ({type(exc).__name__}): {exc}", file=sys.stderr)
        return EXIT_UNUSABLE


def _register_extra_commands() -> None:
    """Import the modules that contribute sub-commands (coverage, report)."""
    import importlib

    for name in ("partnernetz.cli.coverage", "partnernetz.cli.edit", "partnernetz.cli.exchange",
                 "partnernetz.cli.operations", "partnernetz.cli.guide"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


# --------------------------------------------------------------------------- commands


def cmd_validate(args: argparse.Namespace) -> int:
    """``validate PATH``: print every finding; exit 0 valid, 1 invalid, 2 unusable.

    PATH is a registry or an access file (``roles:`` at the top, no ``partners:``).
    """
    from partnernetz.access import is_access_text, validate_access
    from partnernetz.dataset import validate_registry
    from partnernetz.registry.parse import read_registry_text

    if is_access_text(read_registry_text(args.path)):
        report = validate_access(args.path)
    else:
        report = validate_registry(args.path, today=args.today)
    for issue in report.issues:
        print(issue.format(), file=sys.stderr if issue.severity == "error" else sys.stdout)
    status = "gültig" if report.ok else "ungültig"
    print(f"{report.file}: {status} ({report.summary()})")
    return EXIT_OK if report.ok else EXIT_INVALID


LOCATE_COLUMNS = [
    "id", "name", "category", "town", "ags", "lat", "lon", "precision", "town_ags", "status",
    "street", "postcode", "schulnummer",
]


def cmd_locate(args: argparse.Namespace) -> int:
    """``locate PATH``: the geocoded partners as CSV or GeoJSON on stdout."""
    from partnernetz.dataset import load_dataset

    dataset = load_dataset(args.path)
    for issue in dataset.report.warnings:
        print(issue.format(), file=sys.stderr)
    frame = dataset.partners
    if args.format == "geojson":
        out = frame[[*LOCATE_COLUMNS, "geometry"]].copy()
        sys.stdout.write(out.to_json(drop_id=True, ensure_ascii=False, na="null"))
        sys.stdout.write("\n")
    else:
        table = frame[LOCATE_COLUMNS]
        if not args.raw:  # people open it in Excel: no cell may start a formula
            from partnernetz.exchange.export import neutralise_frame

            table = neutralise_frame(table)
        _write_csv(table)
    return EXIT_OK


def cmd_towns(args: argparse.Namespace) -> int:
    """``towns KEY``: the gazetteer's towns of one Kreis, or all of NRW."""
    from partnernetz.geo import gazetteer

    key = args.key.strip()
    towns = gazetteer.load_towns("nrw" if key.lower() == "nrw" else key)
    columns = ["ags", "name", "type", "kreis", "kreis_name", "population", "area_km2", "lat", "lon"]
    _write_csv(towns[columns])
    return EXIT_OK


def cmd_geocode(args: argparse.Namespace) -> int:
    """``geocode PATH``: look up street addresses online and write the cache file."""
    from partnernetz.dataset import load_dataset
    from partnernetz.geo import geocoding

    if not math.isfinite(args.delay) or args.delay < 1.0:  # also when called without the parser
        print("Fehler: --delay muss eine Zahl von mindestens 1 Sekunde sein "
              "(Nominatim-Nutzungsregeln)", file=sys.stderr)
        return EXIT_UNUSABLE
    from partnernetz.cli.outputs import check_output_target

    cache_path = args.cache or geocoding.default_cache_path(args.path)
    check_output_target(cache_path, registry=args.path, allow=("geocode",))
    dataset = load_dataset(args.path, cache_dir="off")
    entries = geocoding.read_geocode_cache(cache_path)
    frame = dataset.partners
    queries = []
    for street, postcode, town, precision in zip(
        frame["street"], frame["postcode"], frame["town"], frame["precision"], strict=True
    ):
        query = geocoding.address_query(street, postcode, town)
        if query and precision != "exact" and (args.refresh or query not in entries):
            queries.append(query)
    queries = list(dict.fromkeys(queries))
    if not queries:
        print(f"Nichts zu tun: alle Adressen sind schon in {cache_path}")
        return EXIT_OK
    print(f"Geokodiere {len(queries)} Adressen über {args.url} (1 Anfrage je Sekunde) …",
          file=sys.stderr)
    geocode = geocoding.nominatim_geocoder(
        url=args.url, user_agent=args.user_agent or geocoding.USER_AGENT
    )
    found: dict[str, geocoding.GeocodeHit | None] = {}

    def progress(n: int, query: str, hit: geocoding.GeocodeHit | None) -> None:
        found[query] = hit
        mark = "ok" if hit else "nicht gefunden"
        print(f"[{n}/{len(queries)}] {query}: {mark}", file=sys.stderr)

    try:
        geocoding.fetch_geocodes(queries, geocode, min_delay_s=args.delay, on_progress=progress)
    finally:
        # Whatever was found is saved, even if a request failed or the user stopped.
        entries.update(geocoding.build_cache_entries(found, fetched=dt.date.today()))
        geocoding.write_geocode_cache(cache_path, entries)
    hits = sum(hit is not None for hit in found.values())
    print(f"{hits} von {len(queries)} Adressen gefunden; Cache: {cache_path}")
    return EXIT_OK


def _write_csv(frame: object) -> None:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")  # type: ignore[attr-defined]
    sys.stdout.write(buffer.getvalue())
