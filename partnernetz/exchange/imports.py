"""Planning an import: every input row accounted for, one list of changes.

The plan is pure: rows (already converted to registry entries, or rejected
with a reason) and a snapshot of the registry go in; the outcome of every
row and the changes for the writer come out. Nothing is written here:
:func:`partnernetz.exchange.importer.commit_import` hands ``plan.changes`` to
the registry's writer (``apply_changes``), one atomic write and one history
entry.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from partnernetz.exchange.duplicates import Match, MatchRecord, find_matches, match_record
from partnernetz.registry.parse import parse_yaml, read_registry_text
from partnernetz.registry.writer import AddPartner, UpdatePartner  # the plan's changes

Policy = Literal["skip", "merge", "new"]
Status = Literal["imported", "merged", "updated", "unchanged", "duplicate", "rejected", "filtered"]
POLICIES: tuple[str, ...] = ("skip", "merge", "new")

STATUS_LABELS: dict[str, str] = {
    "imported": "importiert",
    "merged": "zusammengeführt",
    "updated": "aktualisiert",
    "unchanged": "unverändert",
    "duplicate": "Duplikat übersprungen",
    "rejected": "abgelehnt",
    "filtered": "nicht übernommen",
}
LIST_FIELDS = ("stages", "target_groups", "languages", "offers")
# Fields a coordinator adds by hand; an update from official data never touches them.
COORDINATOR_FIELDS = ("languages", "contacts", "offers", "stages", "target_groups", "notes",
                      "serves", "opening_hours", "accessible", "description", "verified",
                      "status", "operator")


@dataclass(frozen=True)
class Decision:
    """What to do with one duplicate row; ``take``: fields whose imported value wins."""

    action: Policy = "skip"
    take: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """One input row: its number in the file, the entry or the reasons it was rejected."""

    row: int
    entry: dict[str, Any] | None
    reasons: tuple[str, ...] = ()
    label: str = ""
    filtered: str | None = None  # why the row is not for this registry (not an error)


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one input row."""

    row: int
    status: Status
    name: str
    partner_id: str | None = None
    reason: str = ""
    score: float | None = None
    other: str | None = None


@dataclass(frozen=True)
class RegistrySnapshot:
    """What an import needs to know about the registry it goes into."""

    path: Path
    base_hash: str
    kreis: str
    entries: dict[str, dict[str, Any]]
    records: tuple[MatchRecord, ...]


@dataclass(frozen=True)
class ImportPlan:
    """The outcome of every row and the changes that would be written."""

    outcomes: tuple[RowOutcome, ...]
    changes: tuple[AddPartner | UpdatePartner, ...]
    matches: tuple[tuple[int, Match], ...] = ()
    retire: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = field(default=())

    def count(self, status: str) -> int:
        """How many rows ended with ``status``."""
        return sum(o.status == status for o in self.outcomes)

    @property
    def rejected(self) -> tuple[RowOutcome, ...]:
        """The rejected rows."""
        return tuple(o for o in self.outcomes if o.status == "rejected")

    def summary(self) -> str:
        """One German sentence: how many rows ended how; the rejected rows by number."""
        parts = [f"{self.count(s)} {label}" for s, label in STATUS_LABELS.items() if self.count(s)]
        text = f"{len(self.outcomes)} Zeilen: " + ", ".join(parts or ["keine Daten"])
        if self.rejected:
            rows = ", ".join(str(o.row) for o in self.rejected[:20])
            more = " …" if len(self.rejected) > 20 else ""
            text += f" (abgelehnt: Zeile {rows}{more})"
        return text


# --------------------------------------------------------------------------- registry


def read_snapshot(path: str | Path, *, partners: pd.DataFrame | None = None,
                  kreis: str | None = None) -> RegistrySnapshot:
    """Read the registry's raw entries and their match records.

    Parameters
    ----------
    path
        The registry file.
    partners
        The located partners frame of the same file (``load_dataset``); its
        points are used for the 50 m check where they are exact or geocoded.
    kreis
        The region's Kreis key (read from the file when not given).
    """
    path = Path(path)
    text = read_registry_text(path)
    data, _ = parse_yaml(text, file=str(path))
    data = data if isinstance(data, dict) else {}
    raw = data.get("partners") or []
    entries = {str(e["id"]): e for e in raw if isinstance(e, dict) and e.get("id")}
    located: dict[str, tuple[str, float, float]] = {}
    if partners is not None and len(partners):
        real = partners["precision"].isin(["exact", "cache"]).to_numpy()
        for pid, town, lat, lon, ok in zip(partners["id"], partners["town"], partners["lat"],
                                           partners["lon"], real, strict=True):
            located[pid] = (town, float(lat) if ok else float("nan"),
                            float(lon) if ok else float("nan"))
    records = []
    for pid, entry in entries.items():
        town, lat, lon = located.get(pid, (None, None, None))
        records.append(match_record(pid, entry, town=town, lat=lat, lon=lon))
    region = data.get("region") or {}
    return RegistrySnapshot(
        path=path,
        base_hash=hashlib.sha256(path.read_bytes()).hexdigest(),
        kreis=str(kreis or region.get("kreis") or ""),
        entries=entries,
        records=tuple(records),
    )


# --------------------------------------------------------------------------- planning


def plan_import(
    candidates: Sequence[Candidate],
    snapshot: RegistrySnapshot,
    *,
    policy: Policy = "skip",
    update_by_schulnummer: bool = False,
    decisions: Mapping[int, Decision] | None = None,
    notes: Iterable[str] = (),
) -> ImportPlan:
    """Decide, for every row, whether it is imported, merged, skipped or rejected.

    Parameters
    ----------
    candidates
        The converted input rows, in file order.
    snapshot
        The registry (:func:`read_snapshot`).
    policy
        What to do with a duplicate: ``skip`` it, ``merge`` it into the
        partner it matches (only empty fields are filled, lists are joined),
        or import it as ``new``.
    update_by_schulnummer
        Official school data: a row whose Schulnummer is in the registry
        updates that partner's official fields (:func:`update_official`).
    decisions
        The app's choice per duplicate row (file row number → decision):
        skip, merge (with the fields whose imported value wins) or new.
    """
    decisions = decisions or {}
    valid = [c for c in candidates if c.entry is not None and c.filtered is None]
    rows = [match_record(i, c.entry) for i, c in enumerate(valid)]  # type: ignore[arg-type]
    against = {m.row: m for m in find_matches(rows, snapshot.records)}
    within = {m.row: m for m in find_matches(rows, rows, within=True)}
    by_school = {rec.schulnummer: rec.key for rec in snapshot.records if rec.schulnummer}

    taken = set(snapshot.entries)
    planned: dict[str, dict[str, Any]] = {}  # partner id -> entry after this import
    adds: dict[str, dict[str, Any]] = {}
    row_ids: dict[int, str] = {}  # valid position -> id the row became (or merged into)
    outcomes: dict[int, RowOutcome] = {}
    pairs: list[tuple[int, Match]] = []
    position = {id(c): i for i, c in enumerate(valid)}

    for candidate in candidates:
        label = candidate.label or (candidate.entry or {}).get("name", "")
        if candidate.filtered is not None:
            outcomes[candidate.row] = RowOutcome(candidate.row, "filtered", label,
                                                 reason=candidate.filtered)
            continue
        if candidate.entry is None:
            outcomes[candidate.row] = RowOutcome(candidate.row, "rejected", label,
                                                 reason="; ".join(candidate.reasons))
            continue
        i = position[id(candidate)]
        entry = candidate.entry
        school = (entry.get("identifiers") or {}).get("schulnummer")
        if update_by_schulnummer and school in by_school:
            pid = str(by_school[school])
            current = planned.get(pid, snapshot.entries[pid])
            updated = update_official(current, entry)
            row_ids[i] = pid
            if updated == current:
                outcomes[candidate.row] = RowOutcome(candidate.row, "unchanged", label, pid,
                                                     reason=f"Schulnummer {school}: keine Änderung")
            else:
                planned[pid] = updated
                outcomes[candidate.row] = RowOutcome(
                    candidate.row, "updated", label, pid,
                    reason=f"Schulnummer {school}: " + ", ".join(changed_fields(current, updated)))
            continue
        match = against.get(i)
        own_id = entry.get("id")
        if own_id in snapshot.entries:  # the file names the partner (e.g. our own export)
            match = Match(i, own_id, 100.0, (f"gleiche ID {own_id}",))
        inner = within.get(i)
        if inner is not None and (match is None or inner.score > match.score):
            earlier = valid[int(inner.other)]
            match = Match(inner.row, f"Zeile {earlier.row}", inner.score, inner.reasons)
            target_id = row_ids.get(int(inner.other))
        else:
            target_id = str(match.other) if match is not None else None
        if match is not None:
            pairs.append((candidate.row, match))
        decision = decisions.get(candidate.row, Decision(policy))
        if match is None or decision.action == "new":
            pid = own_id if own_id and own_id not in taken else make_partner_id(entry, taken)
            taken.add(pid)
            new_entry = {"id": pid, **{k: v for k, v in entry.items() if k != "id"}}
            adds[pid] = new_entry
            row_ids[i] = pid
            reason = f"trotz möglichem Duplikat ({match.describe()})" if match else ""
            outcomes[candidate.row] = RowOutcome(candidate.row, "imported", label, pid, reason,
                                                 match.score if match else None,
                                                 str(match.other) if match else None)
            continue
        if decision.action == "merge" and target_id is not None:
            current = adds.get(target_id) or planned.get(target_id) or snapshot.entries[target_id]
            merged = merge_entries(current, entry, take=decision.take)
            row_ids[i] = target_id
            if target_id in adds:
                adds[target_id] = merged
            elif merged != current:
                planned[target_id] = merged
            fields = changed_fields(current, merged)
            outcomes[candidate.row] = RowOutcome(
                candidate.row, "merged" if fields else "unchanged", label, target_id,
                f"{match.describe()}; ergänzt: {', '.join(fields) or 'nichts'}",
                match.score, str(match.other))
            continue
        row_ids[i] = target_id or ""
        outcomes[candidate.row] = RowOutcome(candidate.row, "duplicate", label, target_id,
                                             match.describe(), match.score, str(match.other))

    changes: list[AddPartner | UpdatePartner] = [
        UpdatePartner(pid, entry) for pid, entry in planned.items()
    ]
    changes.extend(AddPartner(entry) for entry in adds.values())
    ordered = tuple(outcomes[c.row] for c in candidates)
    return ImportPlan(ordered, tuple(changes), tuple(pairs), (), tuple(notes))


# --------------------------------------------------------------------------- entries


def merge_entries(current: Mapping[str, Any], incoming: Mapping[str, Any], *,
                  take: Iterable[str] = ()) -> dict[str, Any]:
    """``current`` with the empty fields filled from ``incoming``.

    Lists are joined (no doubles); ``take`` names fields whose incoming value
    wins (the app's field-by-field choice). ``id`` never changes.
    """
    take = set(take)
    out = dict(current)
    for key, value in incoming.items():
        if key == "id" or value in (None, "", [], {}):
            continue
        if key in take:
            out[key] = value
        elif key in LIST_FIELDS and isinstance(value, list):
            out[key] = list(dict.fromkeys([*(out.get(key) or []), *value]))
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**value, **out[key]}
        elif out.get(key) in (None, "", [], {}):
            out[key] = value
    return out


def update_official(current: Mapping[str, Any], official: Mapping[str, Any]) -> dict[str, Any]:
    """A re-import of official data: official fields updated, the coordinator's kept."""
    out = dict(current)
    for key, value in official.items():
        if key == "id" or key in COORDINATOR_FIELDS:
            if key not in out and value not in (None, "", [], {}):
                out[key] = value
            continue
        if key == "identifiers":
            out[key] = {**(out.get(key) or {}), **value}
        elif value not in (None, "", [], {}):
            out[key] = value
    return out


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Names of the top-level fields that differ."""
    keys = dict.fromkeys([*before, *after])
    return [k for k in keys if before.get(k) != after.get(k)]


def make_partner_id(entry: Mapping[str, Any], taken: set[str]) -> str:
    """A readable, unique id from name and town: ``schule-unter-der-iburg-bad-driburg``."""
    name = slugify(str(entry.get("name") or "partner"))
    town = slugify(str(entry.get("town") or ""))
    base = name if not town or name.endswith(town) else f"{name}-{town}"
    base = base[:70].rstrip("-") or "partner"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (umlauts as ae/oe/ue, ß as ss)."""
    text = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
