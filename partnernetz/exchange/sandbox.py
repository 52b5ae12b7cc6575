"""Reading an untrusted upload in a child process with memory and CPU limits.

The same protection the registry parse has (:mod:`partnernetz.registry.sandbox`):
the child sets ``RLIMIT_AS`` and ``RLIMIT_CPU`` on itself before it reads
anything, the parent waits with a wall-clock timeout, and an abnormal end
becomes a German :class:`ImportFileError`. A spreadsheet that would cost
minutes (a declared range of a million rows, a decompression trick openpyxl
falls for) ends the child, never the app or the command.

The child decodes and parses the file (:func:`~partnernetz.exchange.sources.read_grid`)
and answers with the cells as JSON; the parent finds the header row
(:func:`~partnernetz.exchange.sources.build_table`), which is linear in the
cells the child was allowed to return.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from partnernetz.errors import ImportFileError
from partnernetz.exchange.sources import (
    DEFAULT_LIMITS,
    SourceGrid,
    SourceLimits,
    SourceTable,
    build_table,
)
from partnernetz.registry.limits import ParseLimits
from partnernetz.registry.sandbox import EXIT_MEMORY, EXIT_UNEXPECTED, describe_exit, lower_limit

ROOT = Path(__file__).resolve().parents[2]
_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from partnernetz.exchange.sandbox import child_main; child_main()"
)


def read_source_isolated(
    data: bytes,
    *,
    name: str,
    sheet: str | None = None,
    limits: SourceLimits = DEFAULT_LIMITS,
    is_header: Callable[[str], bool] | None = None,
    parse_limits: ParseLimits | None = None,
) -> SourceTable:
    """:func:`~partnernetz.exchange.sources.read_source`, with the file parsed in a child.

    Parameters
    ----------
    data, name, sheet, limits, is_header
        As for ``read_source``.
    parse_limits
        Memory and CPU time of the child (``PARTNERNETZ_PARSE_MEMORY_BYTES``,
        ``PARTNERNETZ_PARSE_SECONDS``).

    Raises
    ------
    ImportFileError
        What ``read_source`` raises, or that the child hit its memory or
        time limit, or crashed.
    """
    if len(data) > limits.max_bytes:  # refused before a child is started
        raise ImportFileError(f"{name}: Datei ist zu groß ({len(data) / 1024 / 1024:.1f} MB; "
                              f"erlaubt sind {limits.describe()})")
    bounds = parse_limits or ParseLimits.from_environment()
    request = {"name": name, "sheet": sheet, "limits": asdict(limits),
               "memory": bounds.child_memory_bytes, "seconds": bounds.child_seconds}
    wall = bounds.child_seconds + 15
    try:
        proc = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            [sys.executable, "-I", "-c", _CHILD, str(ROOT)],
            input=json.dumps(request).encode() + b"\n" + data, capture_output=True,
            timeout=wall, check=False, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
        )
    except subprocess.TimeoutExpired:
        raise ImportFileError(f"{name}: Lesen dauerte länger als {wall} s (Zeitlimit) und wurde "
                              "abgebrochen") from None
    except OSError as exc:
        raise ImportFileError(f"{name}: der Leseprozess konnte nicht starten ({exc.errno})") from None
    if proc.returncode != 0:
        raise ImportFileError(f"{name}: Datei konnte nicht gelesen werden: "
                              f"{describe_exit(proc.returncode, bounds, reader='der Leseprozess')}")
    try:
        answer = json.loads(proc.stdout)
    except ValueError:
        raise ImportFileError(f"{name}: der Leseprozess lieferte keine lesbare Antwort") from None
    if "error" in answer:
        raise ImportFileError(answer["error"])
    cells = SourceGrid(**answer["grid"])
    return build_table(cells, name=name, is_header=is_header)


# --------------------------------------------------------------------------- child side


def child_main() -> None:
    """Entry point of the child: limits first, then read stdin, answer JSON on stdout."""
    import resource

    try:
        request = json.loads(sys.stdin.buffer.readline())
        memory, seconds = int(request["memory"]), int(request["seconds"])
        lower_limit(resource.RLIMIT_AS, memory, memory)
        lower_limit(resource.RLIMIT_CPU, seconds, seconds + 2)
        from partnernetz.exchange.sources import read_grid

        data = sys.stdin.buffer.read()
        try:
            cells = read_grid(data, name=request["name"], sheet=request["sheet"],
                              limits=SourceLimits(**request["limits"]))
        except ImportFileError as exc:
            answer: dict = {"error": str(exc)}
        else:
            answer = {"grid": asdict(cells)}
        sys.stdout.buffer.write(json.dumps(answer).encode("ascii"))
        sys.stdout.buffer.flush()
    except MemoryError:
        os._exit(EXIT_MEMORY)
    except BaseException:  # the parent reports the exit code
        os._exit(EXIT_UNEXPECTED)
