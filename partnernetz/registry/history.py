"""The registry's history: a git repository beside the file, one commit per change.

Why git (through ``dulwich``, pure Python, no git binary) and not a change
log of our own: every commit holds the whole file as it was, so restoring a
partner or the whole registry to any revision gives back the exact text,
comments included; the author of each commit is the editor; and anyone can
read the history with ordinary tools
(``git --git-dir data/.partners.yaml.history log -p``). A change log would
have to replay deltas to reach an old version and could not record a hand
edit it did not see; here a hand edit is committed as such before the next
change.

Each commit message ends with one line ``Partnernetz-Data: {json}`` holding
the content hash of the file and, per partner, the operation and the fields
with old and new values. The history page and the CLI read that line; the
diffs are computed from the stored versions.

Durability: objects are written with fsync (``core.fsyncObjectFiles``); the
new commit is noted in ``PARTNERNETZ_PENDING`` before the registry is
replaced, and the branch moves after. A crash in between is completed on
the next write (the file's hash equals the pending commit's).

Creation is atomic: the repository is built in a temporary folder beside the
registry and renamed into place, so a kill or a full disk never leaves a
half-made history. A half-made one left by an older version is renamed aside
(never deleted) and rebuilt, with a warning. Permissions follow the
registry's: a registry 0600 gets a history folder 0700 whose files only the
owner can read (``core.sharedRepository``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from partnernetz.errors import HistoryError
from partnernetz.files import write_bytes_atomically
from partnernetz.registry.history_entries import (
    DATA_PREFIX,
    FieldChange,
    HistoryEntry,
    PartnerChange,
    data_of,
    entry_diff,
    entry_of,
    format_author,
)
from partnernetz.registry.history_folder import (
    BRANCH,
    build_history,
    clear_builds,
    german_errors,
    history_dir,
    history_modes,
    is_half_made,
    protect_history,
    set_aside,
)

__all__ = [
    "DATA_PREFIX",
    "SYSTEM_AUTHOR",
    "UNKNOWN_AUTHOR",
    "FieldChange",
    "History",
    "HistoryEntry",
    "PartnerChange",
    "entry_diff",
    "format_author",
    "german_errors",
    "history_dir",
    "history_modes",
]

PENDING_FILE = "PARTNERNETZ_PENDING"
SYSTEM_AUTHOR = "Partnernetz <partnernetz@localhost>"
UNKNOWN_AUTHOR = "Unbekannt (außerhalb von Partnernetz) <unbekannt@localhost>"


class History:
    """The git repository of one registry file."""

    def __init__(self, registry: str | Path) -> None:
        self.registry = Path(registry)
        self.path = history_dir(self.registry)
        self.filename = self.registry.name.encode("utf-8")
        self._repo: Any = None
        self.warnings: list[str] = []

    # ------------------------------------------------------------------ opening

    @property
    def exists(self) -> bool:
        """True when the repository has been created."""
        return (self.path / "HEAD").is_file()

    def _open(self, *, create: bool = False) -> Any:
        from dulwich.repo import Repo

        if self._repo is not None:
            return self._repo
        with german_errors(self.path, "geöffnet"):
            if not self.exists:
                if not create:
                    return None
                self._create()
            self._repo = Repo(str(self.path))
        return self._repo

    def _create(self) -> None:
        """Build the history atomically; a half-made one under its name is set aside first."""
        if os.path.lexists(self.path):
            self.warnings.append(set_aside(self.path, registry=self.registry))
        build_history(self.registry)

    def repair(self) -> None:
        """Make the history usable before a write (call only under the registry's lock).

        Removes folders a killed creation left, sets a half-made history aside
        (it is rebuilt on the first commit), and gives an existing history the
        registry's permissions.
        """
        clear_builds(self.path)
        if is_half_made(self.path):
            self.close()
            self.warnings.append(set_aside(self.path, registry=self.registry))
        elif self.exists:
            protect_history(self.registry)

    def close(self) -> None:
        """Release the repository's files."""
        if self._repo is not None:
            self._repo.close()
            self._repo = None

    # ------------------------------------------------------------------ reading

    def head(self) -> bytes | None:
        """The newest commit's id, or None for an empty history."""
        repo = self._open()
        if repo is None:
            return None
        try:
            return repo.refs[BRANCH]
        except KeyError:
            return None

    def recorded_hash(self) -> str | None:
        """Content hash of the file as of the newest commit."""
        head = self.head()
        if head is None:
            return None
        with german_errors(self.path, "gelesen"):
            return data_of(self._open()[head].message.decode("utf-8", "replace")).get("hash")

    def iter_commits(self, *, limit: int | None = None) -> Iterator[Any]:
        """Commits from the newest back (first parents only)."""
        repo = self._open()
        if repo is None:
            return
        sha = self.head()
        count = 0
        while sha is not None and (limit is None or count < limit):
            with german_errors(self.path, "gelesen"):
                commit = repo[sha]
            yield commit
            count += 1
            sha = commit.parents[0] if commit.parents else None

    def entries(
        self,
        *,
        partner_id: str | None = None,
        author: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[HistoryEntry]:
        """The history, newest first, optionally filtered."""
        out = []
        needle = author.casefold() if author else None
        for commit in self.iter_commits():
            entry = entry_of(commit)
            day = entry.time.date()
            if since is not None and day < since:
                break
            if until is not None and day > until:
                continue
            if partner_id is not None and partner_id not in entry.partner_ids():
                continue
            if needle and needle not in f"{entry.author_name} {entry.author_email}".casefold():
                continue
            out.append(entry)
        return out

    def resolve(self, revision: str) -> bytes:
        """The full commit id of ``revision`` (full id or a unique prefix of at least 4)."""
        text = revision.strip().lower()
        if len(text) < 4 or any(ch not in "0123456789abcdef" for ch in text):
            raise HistoryError(f"'{revision}' ist keine Revision (mindestens 4 Hex-Zeichen)")
        matches = [c.id for c in self.iter_commits() if c.id.decode().startswith(text)]
        if not matches:
            raise HistoryError(f"Revision '{revision}' gibt es in der Historie von {self.registry} nicht")
        if len(matches) > 1:
            raise HistoryError(f"Revision '{revision}' ist nicht eindeutig; bitte mehr Zeichen angeben")
        return matches[0]

    def text_at(self, revision: bytes | str) -> str:
        """The registry text as of ``revision``."""
        repo = self._open()
        if repo is None:
            raise HistoryError(f"Für {self.registry} gibt es noch keine Historie")
        sha = revision if isinstance(revision, bytes) else self.resolve(revision)
        with german_errors(self.path, "gelesen"):
            tree = repo[repo[sha].tree]
            _mode, blob_id = tree[self.filename]
            return repo[blob_id].data.decode("utf-8-sig")

    def entry_at(self, revision: bytes | str) -> HistoryEntry:
        """The history entry of ``revision``."""
        repo = self._open()
        sha = revision if isinstance(revision, bytes) else self.resolve(revision)
        with german_errors(self.path, "gelesen"):
            return entry_of(repo[sha])

    def text_by_hash(self, content_hash: str, *, limit: int = 500) -> str | None:
        """The registry text whose content hash is ``content_hash`` (searching back ``limit`` commits)."""
        for commit in self.iter_commits(limit=limit):
            if data_of(commit.message.decode("utf-8", "replace")).get("hash") == content_hash:
                return self.text_at(commit.id)
        return None

    def at_date(self, day: dt.date) -> bytes | None:
        """The newest commit made on or before ``day``, or None."""
        for commit in self.iter_commits():
            when = dt.datetime.fromtimestamp(commit.author_time, dt.UTC).date()
            if when <= day:
                return commit.id
        return None

    def oldest(self) -> bytes | None:
        """The first commit."""
        last = None
        for commit in self.iter_commits():
            last = commit.id
        return last

    # ------------------------------------------------------------------ writing

    def prepare(
        self,
        data: bytes,
        *,
        author: str,
        summary: str,
        comment: str | None,
        meta: dict[str, Any],
        when: float | None = None,
    ) -> bytes:
        """Write the objects of a new commit holding ``data``; note it as pending.

        The branch does not move yet: call :meth:`finish` once the registry
        file has been replaced.
        """
        from dulwich.objects import Blob, Commit, Tree

        repo = self._open(create=True)
        blob = Blob.from_string(data)
        tree = Tree()
        tree.add(self.filename, 0o100644, blob.id)
        commit = Commit()
        commit.tree = tree.id
        head = self.head()
        commit.parents = [head] if head is not None else []
        commit.author = format_author(author).encode("utf-8")
        commit.committer = SYSTEM_AUTHOR.encode("utf-8")
        stamp = int(when if when is not None else time.time())
        offset = _utc_offset(stamp)
        commit.author_time = commit.commit_time = stamp
        commit.author_timezone = commit.commit_timezone = offset
        commit.encoding = b"UTF-8"
        message = summary.strip() or "Änderung"
        if comment and comment.strip():
            message += "\n\n" + comment.strip()
        message += "\n\n" + DATA_PREFIX + json.dumps(meta, ensure_ascii=False, default=str) + "\n"
        commit.message = message.encode("utf-8")
        with german_errors(self.path, "geschrieben"):
            store = repo.object_store
            for obj in (blob, tree, commit):
                if not store.contains_loose(obj.id):
                    store.add_object(obj)
            write_bytes_atomically(self.path / PENDING_FILE, commit.id + b"\n",
                                   mode=history_modes(self.registry)[0])
        return commit.id

    def drop_pending(self) -> None:
        """Forget the pending commit (the registry was not replaced)."""
        with contextlib.suppress(FileNotFoundError):
            (self.path / PENDING_FILE).unlink()

    def finish(self, commit_id: bytes) -> None:
        """Move the branch to ``commit_id`` and clear the pending note."""
        repo = self._open()
        old = self.head()
        with german_errors(self.path, "geschrieben"):
            ok = repo.refs.set_if_equals(BRANCH, old, commit_id) if old is not None else \
                repo.refs.add_if_new(BRANCH, commit_id)
        if not ok:
            raise HistoryError(f"Historie {self.path}: der Zweig wurde gleichzeitig verändert")
        with contextlib.suppress(OSError):  # dulwich writes refs with the umask's mode
            os.chmod(self.path / BRANCH.decode(), history_modes(self.registry)[0])
        with contextlib.suppress(FileNotFoundError):
            (self.path / PENDING_FILE).unlink()

    def clear_stale_locks(self) -> None:
        """Remove lock files a killed writer left behind (call only under the registry's lock)."""
        if not self.path.is_dir():
            return
        for stale in self.path.rglob("*.lock"):
            with contextlib.suppress(OSError):
                stale.unlink()

    def recover(self, current_hash: str) -> None:
        """Complete or drop a commit left pending by a crash."""
        pending = self.path / PENDING_FILE
        if not pending.is_file():
            return
        repo = self._open()
        sha = pending.read_text().strip().encode()
        try:
            commit = repo[sha]
        except (KeyError, ValueError):
            pending.unlink(missing_ok=True)
            return
        if data_of(commit.message.decode("utf-8", "replace")).get("hash") == current_hash \
                and commit.parents[:1] == ([self.head()] if self.head() else []):
            self.finish(sha)
        else:
            pending.unlink(missing_ok=True)


def _utc_offset(stamp: int) -> int:
    local = dt.datetime.fromtimestamp(stamp).astimezone()
    offset = local.utcoffset()
    return int(offset.total_seconds()) if offset else 0
