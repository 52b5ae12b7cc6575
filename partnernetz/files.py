"""Writing files so that nothing is ever half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from partnernetz.errors import ExportError


def write_bytes_atomically(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and :func:`os.replace`.

    Durable as well as atomic: the temporary file (in the same folder) is
    fsynced before it replaces ``path``, and the folder is fsynced after, so a
    crash or ``kill -9`` at any moment leaves the old file or the new one.
    An existing file keeps its permissions; a new one is an ordinary 0644 file.

    Raises
    ------
    ExportError
        The directory does not exist or is not writable.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ExportError(f"Ordner {directory} gibt es nicht: {path} kann nicht geschrieben werden")
    tmp_name = None
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)  # mkstemp creates 0600
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_directory(directory)
    except OSError as exc:
        raise ExportError(f"{path} kann nicht geschrieben werden: {exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)


def _fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems do not support fsync on folders
    finally:
        os.close(fd)


def write_text_atomically(path: str | Path, text: str) -> None:
    """:func:`write_bytes_atomically` for UTF-8 text."""
    write_bytes_atomically(path, text.encode("utf-8"))
