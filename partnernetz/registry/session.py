"""One locked read–check–write–record cycle on a registry file.

:class:`WriteSession` takes the lock, completes what a killed writer left,
records a hand edit made since the last save as its own history entry, and
writes the new text atomically with its history entry.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from partnernetz.errors import (
    EditConflictError,
    RegistryFileError,
    RegistryValidationError,
    RegistryWriteError,
)
from partnernetz.files import describe_os_error, stamp_file, write_bytes_atomically
from partnernetz.registry.changes import LOCK_TIMEOUT_S, content_hash, entry_dict, field_changes, lock_path
from partnernetz.registry.check import TownSource
from partnernetz.registry.history import SYSTEM_AUTHOR, UNKNOWN_AUTHOR, History, history_modes
from partnernetz.registry.layout import header_text, scan_layout
from partnernetz.registry.models import Partner
from partnernetz.registry.parse import parse_yaml, read_registry_text
from partnernetz.registry.splicing import parse_entry_text
from partnernetz.registry.validation import full_check

__all__ = ["WriteSession", "entry_differences", "safe_field_changes"]

class _WarmTowns:
    """The towns source with each Kreis loaded once, so the work under the lock stays short."""

    def __init__(self, source: TownSource) -> None:
        self.source = source
        self._loaded: dict[str, Any] = {}

    def load(self, kreis: str) -> Any:
        if kreis not in self._loaded:
            self._loaded[kreis] = self.source.load(kreis)
        return self._loaded[kreis]

    def resolver(self, towns: Any, region: Any) -> Any:
        return self.source.resolver(towns, region)

    def warm(self, path: Path) -> None:
        """Load the Kreis of the registry at ``path`` before taking the lock."""
        try:
            data, _ = parse_yaml(header_text(read_registry_text(path)), file=str(path))
            kreis = data["region"]["kreis"]
            self.load(str(kreis) if not isinstance(kreis, int) else f"{kreis:05d}")
        except Exception:  # noqa: S110 - only a head start; the checks under the lock report problems
            pass


class WriteSession:
    """One locked read–check–write–record cycle on a registry."""

    def __init__(
        self, path: Path, *, towns_source: TownSource, today: dt.date | None, allow_damaged: bool = False,
    ) -> None:
        self.path = path
        self.allow_damaged = allow_damaged  # a whole-registry restore may replace a damaged file
        self.file = str(path)
        warm = _WarmTowns(towns_source)
        warm.warm(path)
        self.towns_source: TownSource = warm
        self.today = today or dt.date.today()
        self.history = History(path)

    def __enter__(self) -> WriteSession:
        from filelock import FileLock, Timeout

        if not (self.allow_damaged and not os.path.lexists(self.path)):
            check_writable(self.path)
        self._lock = FileLock(str(lock_path(self.path)), timeout=LOCK_TIMEOUT_S,
                              mode=history_modes(self.path)[0])
        try:
            self._lock.acquire()
        except Timeout:
            raise RegistryWriteError(
                f"{self.file}: ist seit {LOCK_TIMEOUT_S:.0f} s von einer anderen Änderung gesperrt; "
                "bitte später erneut speichern"
            ) from None
        except OSError as exc:
            reason = describe_os_error(exc)
            raise RegistryWriteError(f"{self.file}: Sperrdatei nicht anlegbar ({reason})") from None
        try:
            self.history.clear_stale_locks()
            for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):  # left by a killed writer
                stale.unlink(missing_ok=True)
            self.history.repair()
        except BaseException:
            self._lock.release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.history.close()
        self._lock.release()

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the user should know about this save (e.g. a history set aside and rebuilt)."""
        return tuple(self.history.warnings)

    def read(self) -> tuple[str, bytes, str]:
        """Current text, bytes and hash; the file is known to be valid afterwards."""
        before = stamp_file(self.path)
        text = read_registry_text(self.path)
        raw = self.path.read_bytes()
        self._stamp = stamp_file(self.path)
        if self._stamp != before:
            raise self._changed_meanwhile()
        self.bom = raw.startswith(codecs.BOM_UTF8)
        current = content_hash(raw)
        if self.history.exists:
            self.history.recover(current)
        recorded = self.history.recorded_hash() if self.history.exists else None
        if recorded != current:
            report = full_check(text, file=self.file, towns_source=self.towns_source, today=self.today)
            if not report.ok:
                raise RegistryValidationError(report)
            self._record_unseen(raw, text, initial=recorded is None)
        return text, raw, current

    def read_or_damaged(self) -> tuple[str | None, str | None]:
        """(text, reason): the current text when the file is valid, else None and what is wrong.

        Only for replacing the whole file from the history: a missing, binary,
        empty or invalid file is not an obstacle there.
        """
        try:
            return self.read()[0], None
        except (RegistryFileError, RegistryValidationError) as exc:
            reason = exc.report.errors[0].format() if isinstance(exc, RegistryValidationError) \
                and exc.report.errors else str(exc)
        self._stamp = stamp_file(self.path)
        self.bom = False
        return None, reason

    def keep_damaged(self) -> Path | None:
        """Keep the damaged file beside the registry (``<name>.beschaedigt-<time>``) before it is replaced.

        A hard link costs nothing and cannot fail half way; where the file
        system has none, the bytes are copied with the atomic writer.
        """
        if not self.path.is_file():
            return None
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.beschaedigt-{stamp}")
        n = 1
        while os.path.lexists(target):
            n += 1
            target = self.path.with_name(f"{self.path.name}.beschaedigt-{stamp}-{n}")
        self._check_unchanged()
        try:
            os.link(self.path, target)
        except OSError:
            write_bytes_atomically(target, self.path.read_bytes(), mode=0o600)
        self._stamp = stamp_file(self.path)  # the link changed the file's ctime, nothing else
        return target

    def _record_unseen(self, raw: bytes, text: str, *, initial: bool) -> None:
        """Commit the file as it is: the first version, or a hand edit made since the last save."""
        if initial:
            meta = {"v": 1, "kind": "initial", "hash": content_hash(raw), "changes": []}
            sha = self.history.prepare(raw, author=SYSTEM_AUTHOR, summary="Ausgangsstand",
                                       comment=None, meta=meta)
        else:
            previous = self.history.text_at(self.history.head())
            changes = entry_differences(previous, text, file=self.file)
            meta = {"v": 1, "kind": "external", "hash": content_hash(raw), "changes": changes}
            sha = self.history.prepare(
                raw, author=UNKNOWN_AUTHOR, summary="Änderung außerhalb von Partnernetz",
                comment=None, meta=meta,
            )
        self.history.finish(sha)

    def write(
        self, new_text: str, *, author: str, summary: str, comment: str | None, meta: dict[str, Any],
        when: float | None = None,
    ) -> tuple[str, str]:
        data = (codecs.BOM_UTF8 if self.bom else b"") + new_text.encode("utf-8")  # keep a BOM
        new_hash = content_hash(data)
        meta = {"v": 1, **meta, "hash": new_hash}
        sha = self.history.prepare(data, author=author, summary=summary, comment=comment, meta=meta,
                                   when=when)
        try:
            write_bytes_atomically(self.path, data, mode=history_modes(self.path)[0],
                                   before_replace=self._check_unchanged)
        except BaseException:
            self.history.drop_pending()
            raise
        self.history.finish(sha)
        return new_hash, sha.decode()

    def _check_unchanged(self) -> None:
        """Just before the replace: the file is still the one read (no hand edit meanwhile)."""
        if stamp_file(self.path) != self._stamp:
            raise self._changed_meanwhile()

    def _changed_meanwhile(self) -> EditConflictError:
        return EditConflictError(
            f"{self.file}: wurde während des Speicherns geändert (z. B. von Hand); Ihre Änderung "
            "wurde nicht gespeichert, die Datei bleibt wie sie jetzt ist. Bitte neu laden und "
            "erneut ändern", partner_id=None, theirs="", yours="",
        )


def entry_differences(old_text: str, new_text: str, *, file: str) -> list[dict[str, Any]]:
    """Which partners differ between two versions of the file (for hand edits and restores)."""
    try:
        old_layout, new_layout = scan_layout(old_text, file=file), scan_layout(new_text, file=file)
    except RegistryWriteError:
        return []
    old_by_id, new_by_id = old_layout.by_id(), new_layout.by_id()
    out = []
    for pid in dict.fromkeys([*old_by_id, *new_by_id]):
        old_span, new_span = old_by_id.get(pid), new_by_id.get(pid)
        old_t = old_layout.entry_text(old_span) if old_span else None
        new_t = new_layout.entry_text(new_span) if new_span else None
        if old_t == new_t:
            continue
        old_e = parse_entry_text(old_t, file=file) if old_t else None
        new_e = parse_entry_text(new_t, file=file) if new_t else None
        op = "add" if old_t is None else "remove" if new_t is None else "update"
        name = (new_e or old_e or {}).get("name")
        out.append({"op": op, "id": pid, "name": name, "fields": safe_field_changes(old_e, new_e)})
    return out


def safe_field_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[dict]:
    def norm(entry: Mapping[str, Any] | None) -> dict[str, Any] | None:
        if entry is None:
            return None
        try:
            return entry_dict(Partner.model_validate(dict(entry)))
        except ValidationError:
            return dict(entry)
    return field_changes(norm(old), norm(new))


def check_writable(path: Path) -> None:
    """Refuse a registry its user may not write (mode bits too: root may write anything).

    Raises
    ------
    RegistryWriteError
        The file is write-protected (``chmod 444``) or not writable for this user.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise RegistryFileError(f"{path}: Datei nicht gefunden") from None
    except OSError as exc:
        reason = describe_os_error(exc)
        raise RegistryFileError(f"{path}: Datei kann nicht gelesen werden ({reason})") from None
    if not info.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise RegistryWriteError(
            f"{path}: ist schreibgeschützt (Rechte {stat.filemode(info.st_mode)}); Partnernetz "
            "ändert die Datei nicht. Wer sie ändern darf, gibt zuerst Schreibrechte "
            "(z. B. chmod u+w)"
        )
