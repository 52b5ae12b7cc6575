"""The CLI's output edge: where a command may write, and what reaches the terminal.

Two guards, each the only one of its kind:

- :func:`check_output_target` is called for every file a command writes
  (``-o``, ``--report``, ``--save-mapping``, ``--cache``). Besides refusing
  devices, pipes, folders and symbolic links (:func:`partnernetz.files.check_output_path`),
  it refuses the files Partnernetz keeps: the registry, its history folder
  (``.NAME.history/``) and lock (``.NAME.lock``), the access file, the geocode
  cache, the reference table, and the command's own input files. Paths are
  compared resolved (symbolic links followed), and as the same file on disk
  (a hard link, another spelling).
- :func:`escape_controls` makes text safe for a terminal; :func:`safe_output`
  puts it in front of ``sys.stdout`` and ``sys.stderr`` for a whole command,
  so no partner name can send ESC or BEL sequences to the terminal.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from partnernetz.errors import ExportError
from partnernetz.files import check_output_path

APP_ROOT = Path(__file__).resolve().parents[2]  # the folder of dashboard.py and data/

# Control characters (C0 without tab and newline, DEL, C1) and the bidi/format controls
# that reorder or hide text on a terminal ("Trojan source").
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def escape_controls(text: str) -> str:
    """``text`` with every control character written as ``\\u001b`` (tab and newline kept).

    The ``\\uXXXX`` form is readable, and inside a JSON string it means the
    same character again.
    """
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _EscapingStream:
    """A text stream that escapes control characters on the way out; binary output
    through ``.buffer`` (PDF, XLSX) is passed unchanged."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(escape_controls(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def safe_output() -> Iterator[None]:
    """Within the block, text on stdout and stderr has its control characters escaped."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _EscapingStream(out), _EscapingStream(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


# --------------------------------------------------------------------------- output targets


# What each protected file is, in German.
KINDS = {
    "registry": "die Registry",
    "history": "die Historie der Registry",
    "lock": "die Sperrdatei der Registry",
    "geocode": "der Geocode-Cache",
    "reference": "die Bezugsgrößen der Registry",
    "access": "die Zugangsdatei",
    "input": "eine Eingabedatei dieses Befehls",
}


def protected_paths(registry: str | Path | None) -> list[tuple[Path, str]]:
    """The files an output must never replace: ``(path, kind)`` (kinds: :data:`KINDS`).

    Parameters
    ----------
    registry
        The registry the command works on; the app's registry
        (``PARTNERNETZ_REGISTRY`` or ``data/partners.yaml``), access file and
        geocode cache are protected too (``data/`` under the working folder
        and under the app's folder).
    """
    from partnernetz.access.policy import access_path
    from partnernetz.exchange.reference import reference_path
    from partnernetz.geo.geocoding import CACHE_FILENAME, default_cache_path
    from partnernetz.registry.history import history_dir
    from partnernetz.registry.writer import lock_path

    out: list[tuple[Path, str]] = []
    registries = [Path(registry)] if registry is not None else []
    app_registry = os.environ.get("PARTNERNETZ_REGISTRY")
    # the app's files, under the working folder and under the app's own folder
    bases = [Path.cwd(), APP_ROOT]
    registries += [Path(app_registry)] if app_registry else [b / "data" / "partners.yaml"
                                                             for b in bases]
    for path in registries:
        out += [(path, "registry"), (history_dir(path), "history"), (lock_path(path), "lock"),
                (default_cache_path(path), "geocode"), (reference_path(path), "reference"),
                (path.resolve().parent / "access.yaml", "access")]
    out += [(access_path(root=b), "access") for b in bases]
    out += [(b / "data" / CACHE_FILENAME, "geocode") for b in bases]
    return out


def check_output_target(path: str | Path, *, registry: str | Path | None,
                        inputs: Iterable[str | Path | None] = (),
                        allow: Iterable[str] = ()) -> Path:
    """``path`` as a file a command may write, or :class:`ExportError` (exit code 2).

    Parameters
    ----------
    path
        The output file given on the command line.
    registry
        The registry the command reads or changes.
    inputs
        The command's other input files (an import's source, a mapping).
    allow
        Kinds of protected file (:data:`KINDS`) this output is meant to
        replace: ``geocode --cache`` writes the geocode cache.

    Raises
    ------
    ExportError
        The target is not a regular file (device, pipe, folder, link), or it
        is the registry, its history, its lock, the access file, the geocode
        cache, the reference table or an input of the same command.
    """
    target = check_output_path(path)
    allowed = set(allow)
    candidates = [(Path(p), "input") for p in inputs if p]
    candidates += protected_paths(registry)
    for protected, kind in candidates:
        if kind in allowed:
            continue
        if _same(target, protected, folder=kind == "history"):
            raise ExportError(
                f"{target}: ist {KINDS[kind]} ({protected}); eine Ausgabe überschreibt sie nie. "
                "Bitte einen anderen Dateinamen angeben"
            )
    return target


def _same(target: Path, protected: Path, *, folder: bool) -> bool:
    """Whether ``target`` is ``protected`` (or lies inside it when it is a folder)."""
    try:
        resolved, other = target.resolve(), protected.resolve()
    except (OSError, RuntimeError):  # a loop of links: check_output_path refused the target
        return False
    if resolved == other or (folder and resolved.is_relative_to(other)):
        return True
    try:
        return os.path.samefile(target, protected)
    except (OSError, ValueError):  # one of them does not exist
        return False
