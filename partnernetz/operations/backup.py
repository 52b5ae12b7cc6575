"""``backup``: one archive of a registry and everything beside it; ``backup --restore``.

The archive (tar + gzip) holds ``manifest.json`` first, then the registry, its
history folder ``.NAME.history/``, the access file, the geocode cache and the
reference populations where they exist. The manifest lists every file with
its size, mode and sha256. The backup is taken under the writer's lock, so an
edit in the app waits for it and the registry and its history match.

A restore reads and checks the whole archive before it writes anything: a
damaged or foreign archive, a member outside the target folder (``../``, an
absolute path), a link or device, or a file the manifest does not name is
refused with a German message and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import stat
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from partnernetz.errors import ExportError, OperationsError
from partnernetz.files import write_bytes_atomically
from partnernetz.geo.geocoding import CACHE_FILENAME
from partnernetz.registry.history import history_dir
from partnernetz.registry.writer import lock_path

MANIFEST = "manifest.json"
FORMAT = "partnernetz-backup"
VERSION = 1
LOCK_TIMEOUT_S = 120.0
MAX_RESTORE_BYTES = 4_000_000_000  # what a restore unpacks at most (all files together)
MAX_MEMBERS = 200_000
REFERENCE_FILENAME = "bezugsgroessen.csv"


@dataclass(frozen=True)
class BackupResult:
    """What a backup holds: files (archive paths) and their total size."""

    archive: Path
    files: tuple[str, ...]
    total_bytes: int


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _collect(registry: Path, access: Path | None) -> list[tuple[str, Path]]:
    """(archive path, file) of everything a backup holds, registry first."""
    items = [(registry.name, registry)]
    history = history_dir(registry)
    if history.is_dir():
        for root, dirs, files in os.walk(history):
            dirs.sort()
            for name in sorted(files):
                path = Path(root) / name
                if name.endswith(".lock") or not stat.S_ISREG(os.lstat(path).st_mode):
                    continue  # a writer's lock or a link: not part of the history's data
                items.append((path.relative_to(registry.parent).as_posix(), path))
    for name in (CACHE_FILENAME, REFERENCE_FILENAME):
        path = registry.parent / name
        if path.is_file() and not path.is_symlink():
            items.append((name, path))
    if access is not None and access.is_file():
        names = {name for name, _ in items}
        arcname = access.name if access.name not in names else f"zugang-{access.name}"
        items.append((arcname, access))
    return items


def create_backup(registry: str | Path, output: str | Path, *, access: str | Path | None = None,
                  now: dt.datetime | None = None) -> BackupResult:
    """Write the backup archive of ``registry`` to ``output`` (under the writer's lock).

    Raises
    ------
    OperationsError
        The registry is missing, locked for too long, ``output`` would replace one of the
        files it backs up, or cannot be written.
    """
    from filelock import FileLock, Timeout

    registry, output = Path(registry), Path(output)
    if not registry.is_file():
        raise OperationsError(f"{registry}: Datei nicht gefunden")
    access_path = Path(access) if access else None
    out_resolved = output.resolve()
    lock = FileLock(str(lock_path(registry)), timeout=LOCK_TIMEOUT_S)
    try:
        lock.acquire()
    except Timeout:
        raise OperationsError(f"{registry}: seit {LOCK_TIMEOUT_S:.0f} s von einer Änderung gesperrt; "
                              "Sicherung bitte später wiederholen") from None
    try:
        items = _collect(registry, access_path)
        protected = {p.resolve() for _, p in items} | {history_dir(registry).resolve()}
        if out_resolved in protected or history_dir(registry).resolve() in out_resolved.parents:
            raise OperationsError(f"{output}: die Sicherung darf keine der gesicherten Dateien "
                                  "ersetzen; bitte einen anderen Namen wählen")
        contents = [(name, path.read_bytes(), os.stat(path).st_mode & 0o777) for name, path in items]
    except OSError as exc:
        raise OperationsError(f"{registry}: Sicherung nicht lesbar ({exc.strerror}: {exc.filename})") \
            from None
    finally:
        lock.release()
    manifest = {
        "format": FORMAT, "version": VERSION,
        "created": (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "registry": registry.name,
        "access": next((n for n, p in items if access_path is not None and p == access_path), None),
        "files": [{"path": n, "size": len(d), "mode": m, "sha256": _sha256(d)} for n, d, m in contents],
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as tar:
        _add(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"), 0o600)
        for name, data, mode in contents:
            _add(tar, name, data, mode)
    try:
        write_bytes_atomically(output, buffer.getvalue(), mode=0o600)
    except ExportError as exc:
        raise OperationsError(str(exc)) from None
    return BackupResult(output, tuple(n for n, _, _ in contents), sum(len(d) for _, d, _ in contents))


def _add(tar: tarfile.TarFile, name: str, data: bytes, mode: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), mode, 0
    info.uname = info.gname = ""
    tar.addfile(info, io.BytesIO(data))


# --------------------------------------------------------------------------- restore


def _safe_name(name: str, archive: Path) -> PurePosixPath:
    """``name`` as a relative path inside the target folder, or a refusal."""
    path = PurePosixPath(name)
    if (not name or name.startswith("/") or "\\" in name or path.is_absolute()
            or any(part in ("..", "") for part in name.split("/")) or ":" in path.parts[0]):
        raise OperationsError(f"{archive}: der Eintrag '{name}' zeigt aus dem Zielordner heraus; "
                              "die Sicherung wird nicht wiederhergestellt")
    return path


def read_backup(archive: str | Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest and the checked files of a backup archive (nothing is written).

    Raises
    ------
    OperationsError
        Not a Partnernetz backup, damaged (a checksum, size or file differs from the
        manifest), or a member that is a link, a device or points outside the folder.
    """
    archive = Path(archive)
    refuse = f"{archive}: keine gültige Partnernetz-Sicherung"
    if not archive.is_file():
        raise OperationsError(f"{archive}: Datei nicht gefunden")
    files: dict[str, bytes] = {}
    manifest = None
    total = 0
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for count, member in enumerate(tar):
                if count > MAX_MEMBERS:
                    raise OperationsError(f"{refuse} (zu viele Einträge)")
                _safe_name(member.name, archive)
                if not member.isreg():
                    kind = "eine Verknüpfung" if member.issym() or member.islnk() else "keine Datei"
                    raise OperationsError(f"{archive}: der Eintrag '{member.name}' ist {kind}; "
                                          "die Sicherung wird nicht wiederhergestellt")
                total += member.size
                if total > MAX_RESTORE_BYTES:
                    raise OperationsError(f"{refuse} (größer als {MAX_RESTORE_BYTES} Bytes entpackt)")
                handle = tar.extractfile(member)
                data = handle.read() if handle is not None else b""
                if count == 0:
                    if member.name != MANIFEST:
                        raise OperationsError(f"{refuse} (keine manifest.json am Anfang)")
                    manifest = _parse_manifest(data, refuse)
                    continue
                if member.name in files:
                    raise OperationsError(f"{refuse} (der Eintrag '{member.name}' steht doppelt darin)")
                files[member.name] = data
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, OperationsError):
            raise
        raise OperationsError(f"{refuse} oder beschädigt ({type(exc).__name__})") from None
    if manifest is None:
        raise OperationsError(f"{refuse} (leer)")
    _check_against_manifest(manifest, files, archive)
    return manifest, files


def _parse_manifest(data: bytes, refuse: str) -> dict:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise OperationsError(f"{refuse} (manifest.json ist nicht lesbar)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise OperationsError(f"{refuse} (fremdes Archiv)")
    if manifest.get("version") != VERSION:
        raise OperationsError(f"{refuse} (Version {manifest.get('version')!r} unbekannt)")
    entries = manifest.get("files")
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("sha256"), str)
            and isinstance(e.get("size"), int) for e in entries):
        raise OperationsError(f"{refuse} (manifest.json unvollständig)")
    if manifest.get("registry") not in {e["path"] for e in entries}:
        raise OperationsError(f"{refuse} (die Registry fehlt im Manifest)")
    return manifest


def _check_against_manifest(manifest: dict, files: dict[str, bytes], archive: Path) -> None:
    listed = {e["path"]: e for e in manifest["files"]}
    for name in listed:
        _safe_name(name, archive)
    extra, missing = sorted(set(files) - set(listed)), sorted(set(listed) - set(files))
    if extra or missing:
        what = f"nicht im Manifest: {extra[0]}" if extra else f"fehlt: {missing[0]}"
        raise OperationsError(f"{archive}: Sicherung beschädigt ({what}); nichts wiederhergestellt")
    for name, entry in listed.items():
        data = files[name]
        if len(data) != entry["size"] or _sha256(data) != entry["sha256"]:
            raise OperationsError(f"{archive}: Sicherung beschädigt (Prüfsumme von {name} stimmt nicht); "
                                  "nichts wiederhergestellt")


def restore_backup(archive: str | Path, into: str | Path) -> list[Path]:
    """Unpack a checked backup into the folder ``into`` (new or without any of its files).

    Raises
    ------
    OperationsError
        The archive is refused (see :func:`read_backup`), or ``into`` holds a file of the backup
        already (a restore never overwrites).
    """
    manifest, files = read_backup(archive)
    target = Path(into)
    if target.exists() and not target.is_dir():
        raise OperationsError(f"{target} ist kein Ordner")
    if target.is_symlink():
        raise OperationsError(f"{target} ist eine symbolische Verknüpfung; bitte einen echten Ordner angeben")
    present = [name for name in files if os.path.lexists(target / name)]
    top = {PurePosixPath(n).parts[0] for n in files}
    present += [t for t in top if os.path.lexists(target / t) and t not in present]
    if present:
        raise OperationsError(f"{target}: '{sorted(present)[0]}' gibt es dort schon; eine "
                              "Wiederherstellung überschreibt nichts (bitte in einen leeren Ordner)")
    modes = {e["path"]: int(e.get("mode", 0o600)) & 0o755 | 0o600 for e in manifest["files"]}
    written = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        root = target.resolve()
        for name in sorted(files, key=lambda n: (n != manifest["registry"], n)):
            path = root.joinpath(*PurePosixPath(name).parts)
            if root not in path.parents:
                raise OperationsError(f"{archive}: '{name}' zeigt aus dem Zielordner heraus")
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.parent.resolve() != path.parent:
                raise OperationsError(f"{target}: '{name}' läge hinter einer Verknüpfung; abgebrochen")
            write_bytes_atomically(path, files[name], mode=modes[name], exclusive=True)
            written.append(path)
    except ExportError as exc:
        raise OperationsError(f"Wiederherstellung abgebrochen: {exc}") from None
    except OSError as exc:
        raise OperationsError(f"Wiederherstellung abgebrochen: {target} ({exc.strerror})") from None
    return written
