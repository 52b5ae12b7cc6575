"""What a save can do to the registry, and the plain data around it.

The change types (:class:`AddPartner`, :class:`UpdatePartner`,
:class:`RetirePartner`, :class:`RemovePartner`), the :class:`WriteResult` of a
save, content hashes, the lock file's place, and entries as plain data with
their field-by-field differences.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnernetz.errors import RegistryFileError, RegistryValidationError
from partnernetz.files import describe_os_error
from partnernetz.registry.check import top_level_message
from partnernetz.registry.models import Partner
from partnernetz.registry.parse import parse_yaml, read_registry_text
from partnernetz.registry.report import Issue, ValidationReport

LOCK_TIMEOUT_S = 120.0
RETIRE_STATUSES = ("planned", "inactive")


@dataclass(frozen=True)
class AddPartner:
    """A new partner; ``entry`` is its data as in the registry file."""

    entry: Mapping[str, Any]


@dataclass(frozen=True)
class UpdatePartner:
    """The new state of an existing partner (the whole entry, every field)."""

    partner_id: str
    entry: Mapping[str, Any]


@dataclass(frozen=True)
class RetirePartner:
    """Set a partner to ``planned`` or ``inactive``; it stays in the file."""

    partner_id: str
    status: str = "inactive"


@dataclass(frozen=True)
class RemovePartner:
    """Delete a partner from the file (admins only, with a reason; it stays in the history)."""

    partner_id: str
    reason: str


Change = AddPartner | UpdatePartner | RetirePartner | RemovePartner


@dataclass(frozen=True)
class WriteResult:
    """What a save did."""

    content_hash: str  # of the file as written: the base of the next save
    revision: str  # history commit
    partner_ids: tuple[str, ...]
    merged: bool  # the file had changed since base_hash; the changes were merged
    summary: str
    warnings: tuple[str, ...] = ()  # German notes for the user (e.g. the history was rebuilt)
    changed: bool = True  # False: the changes were already so in the file; nothing written


# --------------------------------------------------------------------------- helpers


def content_hash(data: bytes | str) -> str:
    """sha256 of the file's bytes: the version a form was opened on."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def registry_hash(path: str | Path) -> str:
    """:func:`content_hash` of the registry file on disk."""
    try:
        return content_hash(Path(path).read_bytes())
    except OSError as exc:
        reason = describe_os_error(exc)
        raise RegistryFileError(f"{path}: Datei kann nicht gelesen werden ({reason})") from None


def lock_path(path: str | Path) -> Path:
    """The lock file of ``path``: ``.<name>.lock`` beside it."""
    path = Path(path)
    return path.parent / f".{path.name}.lock"


def entry_dict(partner: Partner) -> dict[str, Any]:
    """A validated partner as plain registry data: no empty values, no defaults.

    The order is the model's field order, the order new entries are written in.
    """
    data = partner.model_dump(mode="json", exclude_none=True)
    out: dict[str, Any] = {}
    for name, info in Partner.model_fields.items():
        if name not in data:
            continue
        value = data[name]
        if value == [] or value == {}:
            continue
        if not info.is_required() and info.default is not None and value == info.default:
            continue
        out[name] = value
    return out


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, sub in value.items():
            out.update(_flatten(sub, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        out = {}
        for i, sub in enumerate(value):
            out.update(_flatten(sub, f"{prefix}.{i}"))
        return out
    return {prefix: value}


def field_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Dotted fields whose value differs between two entries, with old and new value."""
    flat_old = _flatten(dict(old or {}))
    flat_new = _flatten(dict(new or {}))
    keys = list(dict.fromkeys([*flat_old, *flat_new]))
    return [
        {"field": key, "old": flat_old.get(key), "new": flat_new.get(key)}
        for key in keys
        if flat_old.get(key) != flat_new.get(key)
    ]


def read_entries(path: str | Path) -> dict[str, dict[str, Any]]:
    """Every partner's entry as parsed from the file, by id (for forms and the CLI)."""
    text = read_registry_text(path)
    data, issues = parse_yaml(text, file=str(path))
    if data is None or not isinstance(data, dict):
        issues = issues or [Issue(1, "", top_level_message(data), file=str(path))]
        raise RegistryValidationError(ValidationReport(str(path)).with_issues(issues))
    out = {}
    for item in data.get("partners") or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            out.setdefault(item["id"], item)
    return out
