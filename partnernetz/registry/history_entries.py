"""What the history holds: one :class:`HistoryEntry` per commit, read from its message.

Each commit message ends with one line ``Partnernetz-Data: {json}`` holding
the content hash of the file and, per partner, the operation and the fields
with old and new values.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from partnernetz.registry.history import History

DATA_PREFIX = "Partnernetz-Data: "


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


def data_of(message: str) -> dict[str, Any]:
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


def entry_of(commit: Any) -> HistoryEntry:
    message = commit.message.decode("utf-8", "replace")
    data = data_of(message)
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
