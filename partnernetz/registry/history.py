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
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnernetz.errors import HistoryError
from partnernetz.files import write_text_atomically

BRANCH = b"refs/heads/main"
PENDING_FILE = "PARTNERNETZ_PENDING"
DATA_PREFIX = "Partnernetz-Data: "
SYSTEM_AUTHOR = "Partnernetz <partnernetz@localhost>"
UNKNOWN_AUTHOR = "Unbekannt (außerhalb von Partnernetz) <unbekannt@localhost>"


def history_dir(registry: str | Path) -> Path:
    """Where the history of ``registry`` is kept: ``.<name>.history`` beside it."""
    registry = Path(registry)
    return registry.parent / f".{registry.name}.history"


@dataclass(frozen=True)
class FieldChange:
    """One field of one partner: dotted path, old and new value (None: absent)."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class PartnerChange:
    """What one change did to one partner."""

    op: str  # add, update, retire, remove, restore, external
    partner_id: str
    name: str | None = None
    fields: tuple[FieldChange, ...] = ()
    reason: str | None = None


@dataclass(frozen=True)
class HistoryEntry:
    """One commit of the history."""

    revision: str
    parent: str | None
    time: dt.datetime
    author_name: str
    author_email: str
    summary: str
    comment: str | None
    content_hash: str | None
    kind: str  # change, restore, external, initial
    changes: tuple[PartnerChange, ...] = field(default_factory=tuple)
    restore_of: str | None = None

    @property
    def short(self) -> str:
        """The revision's first 10 characters, as shown to people."""
        return self.revision[:10]

    def partner_ids(self) -> tuple[str, ...]:
        """The partners this change touched."""
        return tuple(c.partner_id for c in self.changes)

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``--format json``."""
        return {
            "revision": self.revision,
            "parent": self.parent,
            "time": self.time.isoformat(),
            "author": {"name": self.author_name, "email": self.author_email},
            "summary": self.summary,
            "comment": self.comment,
            "content_hash": self.content_hash,
            "kind": self.kind,
            "restore_of": self.restore_of,
            "changes": [
                {
                    "op": c.op, "id": c.partner_id, "name": c.name, "reason": c.reason,
                    "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in c.fields],
                }
                for c in self.changes
            ],
        }


def format_author(author: str) -> str:
    """``Name <email>`` for git; a bare e-mail address becomes ``email <email>``."""
    author = " ".join(author.split())
    if "<" in author and author.endswith(">"):
        return author
    return f"{author} <{author}>"


class History:
    """The git repository of one registry file."""

    def __init__(self, registry: str | Path) -> None:
        self.registry = Path(registry)
        self.path = history_dir(self.registry)
        self.filename = self.registry.name.encode("utf-8")
        self._repo: Any = None

    # ------------------------------------------------------------------ opening

    @property
    def exists(self) -> bool:
        """True when the repository has been created."""
        return (self.path / "HEAD").is_file()

    def _open(self, *, create: bool = False) -> Any:
        from dulwich.repo import Repo

        if self._repo is not None:
            return self._repo
        try:
            if self.exists:
                self._repo = Repo(str(self.path))
            elif create:
                self.path.mkdir(parents=True, exist_ok=True)
                self._repo = Repo.init_bare(str(self.path))
                config = self._repo.get_config()
                config.set((b"core",), b"fsyncObjectFiles", b"true")
                config.set((b"core",), b"looseCompression", b"1")
                config.write_to_path()
                self._repo = Repo(str(self.path))
                self._repo.refs.set_symbolic_ref(b"HEAD", BRANCH)
            else:
                return None
        except OSError as exc:
            raise HistoryError(f"Historie {self.path} kann nicht geöffnet werden: {exc}") from None
        return self._repo

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
        return _data_of(self._open()[head].message.decode("utf-8", "replace")).get("hash")

    def iter_commits(self, *, limit: int | None = None) -> Iterator[Any]:
        """Commits from the newest back (first parents only)."""
        repo = self._open()
        if repo is None:
            return
        sha = self.head()
        count = 0
        while sha is not None and (limit is None or count < limit):
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
            entry = _entry_of(commit)
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
        tree = repo[repo[sha].tree]
        _mode, blob_id = tree[self.filename]
        return repo[blob_id].data.decode("utf-8")

    def entry_at(self, revision: bytes | str) -> HistoryEntry:
        """The history entry of ``revision``."""
        repo = self._open()
        sha = revision if isinstance(revision, bytes) else self.resolve(revision)
        return _entry_of(repo[sha])

    def text_by_hash(self, content_hash: str, *, limit: int = 500) -> str | None:
        """The registry text whose content hash is ``content_hash`` (searching back ``limit`` commits)."""
        for commit in self.iter_commits(limit=limit):
            if _data_of(commit.message.decode("utf-8", "replace")).get("hash") == content_hash:
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
        try:
            store = repo.object_store
            for obj in (blob, tree, commit):
                if not store.contains_loose(obj.id):
                    store.add_object(obj)
            write_text_atomically(self.path / PENDING_FILE, commit.id.decode() + "\n")
        except OSError as exc:
            raise HistoryError(f"Historie {self.path} kann nicht geschrieben werden: {exc}") from None
        return commit.id

    def finish(self, commit_id: bytes) -> None:
        """Move the branch to ``commit_id`` and clear the pending note."""
        repo = self._open()
        old = self.head()
        ok = repo.refs.set_if_equals(BRANCH, old, commit_id) if old is not None else \
            repo.refs.add_if_new(BRANCH, commit_id)
        if not ok:
            raise HistoryError(f"Historie {self.path}: der Zweig wurde gleichzeitig verändert")
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
        if _data_of(commit.message.decode("utf-8", "replace")).get("hash") == current_hash \
                and commit.parents[:1] == ([self.head()] if self.head() else []):
            self.finish(sha)
        else:
            pending.unlink(missing_ok=True)


def _utc_offset(stamp: int) -> int:
    local = dt.datetime.fromtimestamp(stamp).astimezone()
    offset = local.utcoffset()
    return int(offset.total_seconds()) if offset else 0


def _data_of(message: str) -> dict[str, Any]:
    for line in reversed(message.splitlines()):
        if line.startswith(DATA_PREFIX):
            try:
                value = json.loads(line[len(DATA_PREFIX):])
            except json.JSONDecodeError:
                return {}
            return value if isinstance(value, dict) else {}
    return {}


def _split_author(raw: str) -> tuple[str, str]:
    if "<" in raw and raw.endswith(">"):
        name, email = raw[:-1].split("<", 1)
        return name.strip(), email.strip()
    return raw, ""


def _entry_of(commit: Any) -> HistoryEntry:
    message = commit.message.decode("utf-8", "replace")
    data = _data_of(message)
    body = [line for line in message.splitlines() if not line.startswith(DATA_PREFIX)]
    summary = body[0] if body else ""
    comment = "\n".join(body[1:]).strip() or None
    name, email = _split_author(commit.author.decode("utf-8", "replace"))
    tz = dt.timezone(dt.timedelta(seconds=commit.author_timezone))
    changes = tuple(
        PartnerChange(
            op=str(c.get("op", "")),
            partner_id=str(c.get("id", "")),
            name=c.get("name"),
            fields=tuple(FieldChange(str(f.get("field")), f.get("old"), f.get("new"))
                         for f in c.get("fields", [])),
            reason=c.get("reason"),
        )
        for c in data.get("changes", [])
        if isinstance(c, dict)
    )
    return HistoryEntry(
        revision=commit.id.decode(),
        parent=commit.parents[0].decode() if commit.parents else None,
        time=dt.datetime.fromtimestamp(commit.author_time, tz),
        author_name=name,
        author_email=email,
        summary=summary,
        comment=comment,
        content_hash=data.get("hash"),
        kind=str(data.get("kind", "change")),
        changes=changes,
        restore_of=data.get("restore_of"),
    )


def entry_diff(history: History, revision: str | bytes, partner_id: str) -> str:
    """Unified diff of one partner's text between ``revision``'s parent and ``revision``."""
    import difflib

    from partnernetz.errors import RegistryWriteError
    from partnernetz.registry.layout import scan_layout

    sha = revision if isinstance(revision, bytes) else history.resolve(revision)
    entry = history.entry_at(sha)
    new_text = history.text_at(sha)
    old_text = history.text_at(entry.parent.encode()) if entry.parent else ""

    def span_text(text: str) -> list[str]:
        if not text:
            return []
        try:
            layout = scan_layout(text)
        except RegistryWriteError:
            return []
        span = layout.by_id().get(partner_id)
        return layout.entry_text(span).splitlines(keepends=True) if span else []

    before, after = span_text(old_text), span_text(new_text)
    label = f"{history.registry.name} ({partner_id})"
    return "".join(difflib.unified_diff(before, after, fromfile=f"{label} vorher",
                                        tofile=f"{label} nachher", n=2))
