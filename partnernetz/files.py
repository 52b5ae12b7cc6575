"""Files: the one atomic writer, and the stamps that tell a changed file from an unchanged one.

Every write goes through :func:`write_bytes_atomically`: a temporary file in
the target's folder, fsync, :func:`os.replace`, fsync of the folder. When
anything fails, the old file is left exactly as it was and the error says why,
in German. Only regular files are replaced: a device, a named pipe, a folder
or a symbolic link at the target is refused.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from partnernetz.errors import ExportError, PartnernetzError

# Files up to this size are stamped with a hash of their content too.
STAMP_HASH_MAX_BYTES = 4_000_000

FileStamp = tuple[str, int, int, int, int, int, str]

_REASONS = {
    errno.EACCES: "keine Schreibrechte",
    errno.EPERM: "keine Schreibrechte",
    errno.EROFS: "der Ordner ist schreibgeschützt (nur lesbar eingebunden)",
    errno.ENOSPC: "kein Speicherplatz mehr frei",
    errno.EDQUOT: "das Speicherkontingent ist erschöpft",
    errno.EFBIG: "die Datei wäre größer als erlaubt",
    errno.ENAMETOOLONG: "der Dateiname ist zu lang",
    errno.EISDIR: "das Ziel ist ein Ordner",
    errno.ENOTDIR: "ein Teil des Pfades ist kein Ordner",
    errno.ENOENT: "der Ordner existiert nicht",
    errno.EIO: "Ein-/Ausgabefehler des Datenträgers",
    errno.EBUSY: "das Ziel ist belegt",
    errno.EXDEV: "Ziel und temporäre Datei liegen auf verschiedenen Dateisystemen",
    errno.ELOOP: "zu viele symbolische Verknüpfungen",
}


def describe_os_error(exc: OSError) -> str:
    """A German reason for ``exc`` (its English strerror only as a last resort)."""
    reason = _REASONS.get(exc.errno or -1)
    if reason is None:
        reason = f"Systemfehler {errno.errorcode.get(exc.errno or -1, exc.errno)}"
    return reason


def read_regular_file(path: Path, *, max_bytes: int, error: type[PartnernetzError], what: str,
                      kind: str, too_large: Callable[[int], str]) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes``: the one way a registry or
    an import file is read.

    The file is opened without blocking (a named pipe never hangs) and checked before anything
    is read: a device (``/dev/zero``), pipe, socket or folder is refused, and so is a file larger
    than ``max_bytes``; reading stops past ``max_bytes`` even when the file grows meanwhile.

    Parameters
    ----------
    error
        The error type raised (``RegistryFileError``, ``ImportFileError``).
    what, kind
        The file in messages: "{what} nicht gefunden", "ist ein Ordner, keine {kind}".
    too_large
        The message for a size in bytes over ``max_bytes``.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error(f"{path}: {what} nicht gefunden") from None
    except IsADirectoryError:
        raise error(f"{path}: ist ein Ordner, keine {kind}") from None
    except OSError as exc:
        raise error(f"{path}: {what} kann nicht gelesen werden ({describe_os_error(exc)})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error(f"{path}: ist ein Ordner, keine {kind}")
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{path}: ist keine normale Datei (Gerät, Pipe oder Socket); "
                        "nur normale Dateien werden gelesen")
        if info.st_size > max_bytes:
            raise error(too_large(info.st_size))
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # the file grew while being read
                raise error(too_large(total))
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"{path}: {what} kann nicht gelesen werden ({describe_os_error(exc)})") from None
    finally:
        os.close(fd)


def check_output_path(path: str | Path) -> Path:
    """``path`` as a writable target: not empty, and absent or a regular file.

    Raises
    ------
    ExportError
        The name is empty, or the target is a folder, device, named pipe,
        socket or symbolic link.
    """
    if str(path).strip() == "":
        raise ExportError("Keine Ausgabedatei angegeben (leerer Dateiname)")
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise ExportError(f"{path} kann nicht geschrieben werden: {describe_os_error(exc)}") from None
    if stat.S_ISLNK(info.st_mode):
        kind = "eine symbolische Verknüpfung"
    elif stat.S_ISDIR(info.st_mode):
        kind = "ein Ordner"
    elif stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        kind = "eine Gerätedatei"
    elif stat.S_ISFIFO(info.st_mode):
        kind = "eine benannte Pipe"
    elif stat.S_ISSOCK(info.st_mode):
        kind = "ein Socket"
    else:
        return path
    raise ExportError(
        f"{path} ist {kind}, keine normale Datei: wird nicht überschrieben "
        "(bitte einen anderen Dateinamen angeben)"
    )


def write_bytes_atomically(
    path: str | Path, data: bytes, *, mode: int | None = None,
    before_replace: Callable[[], None] | None = None, exclusive: bool = False,
) -> None:
    """Write ``data`` to ``path`` via a temporary file and :func:`os.replace`.

    With ``exclusive`` the file must not exist yet: the temporary file is
    hard-linked to ``path`` (which fails when anything is there, even when it
    appeared a moment ago), so an existing file is never overwritten.

    Durable as well as atomic: the temporary file (in the same folder) is
    fsynced before it replaces ``path``, and the folder is fsynced after, so a
    crash or ``kill -9`` at any moment leaves the old file or the new one.
    An existing file keeps its permissions; a new one gets ``mode`` (default
    0644). On any failure the old file is unchanged and no temporary file is
    left behind. ``before_replace`` is called just before the replace (the
    registry writer checks there that nobody changed the file meanwhile); what
    it raises cancels the write.

    Raises
    ------
    ExportError
        The target is not a regular file, the folder does not exist, is not
        writable, is read-only, or the disk is full.
    """
    path = check_output_path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ExportError(f"Ordner {directory} gibt es nicht: {path} kann nicht geschrieben werden")
    tmp_name = None
    try:
        default_mode = 0o644 if mode is None else mode
        new_mode = path.stat().st_mode & 0o777 if path.exists() else default_mode
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, new_mode)  # mkstemp creates 0600
        if before_replace is not None:
            before_replace()
        if exclusive:
            os.link(tmp_name, path)
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, path)
        tmp_name = None
        _fsync_directory(directory)
    except FileExistsError:
        raise ExportError(f"{path} gibt es schon: wird nicht überschrieben") from None
    except OSError as exc:
        raise ExportError(f"{path} kann nicht geschrieben werden: {describe_os_error(exc)}; "
                          "eine vorhandene Datei bleibt unverändert") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable (best effort: some file systems refuse fsync on folders)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def staging_folder(target: str | Path) -> Path:
    """A new empty folder beside ``target`` (same file system) to build a folder in.

    Hand it to :func:`replace_folder` when it is complete; readable by a web
    server (0755).
    """
    target = Path(target)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"Ordner {parent} gibt es nicht: {target} kann nicht geschrieben werden")
    try:
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.new-"))
        os.chmod(staging, 0o755)  # noqa: S103 - a web server must read the site
    except OSError as exc:
        raise ExportError(f"{target} kann nicht geschrieben werden: {describe_os_error(exc)}") from None
    return staging


def replace_folder(staging: Path, target: str | Path, *, marker: str) -> None:
    """Put the complete folder ``staging`` in the place of ``target``.

    ``target`` may be absent, empty, or a folder written by the same tool
    before (it holds the file ``marker``); anything else is refused, so no
    foreign folder is ever deleted. The old folder is renamed away, the new one
    renamed in and the parent fsynced: a reader sees the old or the new site,
    never a half-written one (between the two renames the folder is missing
    for a moment). On failure ``staging`` is removed and the old folder stays.

    Raises
    ------
    ExportError
        ``target`` is a file, a symbolic link or a foreign folder; or a rename failed.
    """
    target = Path(target)
    try:
        try:
            info = os.lstat(target)
        except FileNotFoundError:
            info = None
        if info is not None:
            if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
                raise ExportError(f"{target} ist kein Ordner: wird nicht ersetzt")
            if not (target / marker).is_file() and any(target.iterdir()):
                raise ExportError(
                    f"{target} ist nicht leer und wurde nicht von Partnernetz geschrieben (es fehlt "
                    f"{marker}): bitte einen leeren oder neuen Ordner angeben")
        old = None
        try:
            if info is not None:
                old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
                os.rename(target, old / "site")
            os.rename(staging, target)
        except OSError as exc:
            if old is not None and (old / "site").exists() and not target.exists():
                os.rename(old / "site", target)
            raise ExportError(f"{target} kann nicht ersetzt werden: {describe_os_error(exc)}; "
                              "der bisherige Ordner bleibt unverändert") from None
        _fsync_directory(target.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def write_text_atomically(path: str | Path, text: str) -> None:
    """:func:`write_bytes_atomically` for UTF-8 text."""
    write_bytes_atomically(path, text.encode("utf-8"))


def stamp_file(path: str | Path) -> FileStamp:
    """What identifies the current version of a file, cheaply.

    ``(path, size, mtime_ns, ctime_ns, inode, device, content_hash)``. The
    ctime and the inode change even when a copy keeps size and mtime
    (``cp -p``, ``rsync -t``, a restored backup, an editor's safe-save);
    files up to :data:`STAMP_HASH_MAX_BYTES` are hashed as well. A missing or
    unreadable file has the stamp ``(path, -1, -1, -1, -1, -1, "")``.
    """
    name = str(path)
    try:
        info = os.stat(path)
    except OSError:
        return (name, -1, -1, -1, -1, -1, "")
    digest = ""
    if stat.S_ISREG(info.st_mode) and info.st_size <= STAMP_HASH_MAX_BYTES:
        try:
            with open(path, "rb") as handle:
                digest = hashlib.blake2b(handle.read(STAMP_HASH_MAX_BYTES + 1),
                                         digest_size=16).hexdigest()
        except OSError:
            digest = "unreadable"
    return (name, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev, digest)
