"""The import from start to end: read the file, map, plan, write once.

Used by the ``import`` command and the app's import page alike, so the
preview shows exactly what the write will do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from partnernetz.dataset import Dataset, load_dataset
from partnernetz.errors import ImportFileError, ImportRejectedError
from partnernetz.exchange import msb
from partnernetz.exchange.entries import EntryBuilder
from partnernetz.exchange.fixes import count_phrase
from partnernetz.exchange.imports import (
    Candidate,
    Decision,
    ImportPlan,
    Policy,
    RegistrySnapshot,
    plan_import,
    read_snapshot,
)
from partnernetz.exchange.mapping import (
    ColumnMapping,
    guess_mapping,
    is_known_header,
    unmapped_headers,
)
from partnernetz.exchange.sandbox import read_source_isolated
from partnernetz.exchange.sources import DEFAULT_LIMITS, SourceLimits, SourceTable, read_file_bytes

SourceFormat = Literal["table", "msb"]
REQUIRED_FIELDS: dict[str, str] = {"name": "Name der Einrichtung", "town": "Ort"}


@dataclass(frozen=True)
class PreparedImport:
    """Everything the preview shows and the write needs."""

    table: SourceTable
    mapping: ColumnMapping | None
    snapshot: RegistrySnapshot
    plan: ImportPlan
    source_format: SourceFormat
    ignored: tuple[str, ...]


def read_table(data: bytes, *, name: str, sheet: str | None = None,
               limits: SourceLimits = DEFAULT_LIMITS) -> SourceTable:
    """Read an upload or file, finding the header row by the known synonyms.

    Bounded twice: by ``limits`` (size, cells, columns), and by memory and CPU
    time, as the file is parsed in a child process (:mod:`partnernetz.exchange.sandbox`).
    """
    return read_source_isolated(data, name=name, sheet=sheet, limits=limits,
                                is_header=is_known_header)


def read_table_file(path: str | Path, *, sheet: str | None = None,
                    limits: SourceLimits = DEFAULT_LIMITS) -> SourceTable:
    """:func:`read_table` for a file: only a regular file, its size checked before reading."""
    data = read_file_bytes(path, max_bytes=limits.max_bytes, limit_text=limits.describe())
    return read_table(data, name=str(path), sheet=sheet, limits=limits)


def missing_fields(mapping: ColumnMapping) -> list[str]:
    """Required fields the mapping does not fill (German labels)."""
    targets = {t for t in mapping.columns.values()} | set(mapping.defaults)
    missing = []
    if "name" not in targets:
        missing.append(REQUIRED_FIELDS["name"])
    if not targets & {"town", "town_ags"}:
        missing.append(REQUIRED_FIELDS["town"])
    if "category" not in targets:
        missing.append("Kategorie")
    return missing


def prepare_import(
    table: SourceTable,
    registry: str | Path,
    *,
    source_format: SourceFormat = "table",
    mapping: ColumnMapping | None = None,
    policy: Policy = "skip",
    decisions: Mapping[int, Decision] | None = None,
    dataset: Dataset | None = None,
) -> PreparedImport:
    """Plan the import of ``table`` into ``registry`` (nothing is written).

    Raises
    ------
    ImportFileError
        The table cannot be used: required columns not mapped, not an MSB file.
    RegistryValidationError
        The registry itself has errors.
    """
    dataset = dataset or load_dataset(registry)
    snapshot = read_snapshot(registry, partners=dataset.partners, kreis=dataset.region.kreis)
    notes = list(table.notes)
    if source_format == "msb":
        rows = msb.school_candidates(table, kreis=snapshot.kreis, towns=dataset.towns)
        plan = plan_import(rows.candidates, snapshot, policy=policy, update_by_schulnummer=True,
                           decisions=decisions,
                           notes=[*notes, f"Quelle: {msb.ATTRIBUTION}"])
        retire = msb.retirement_list(rows, msb.schools_of(snapshot.records))
        plan = ImportPlan(plan.outcomes, plan.changes, plan.matches, tuple(retire), plan.notes)
        return PreparedImport(table, None, snapshot, plan, "msb", ())
    used = guess_mapping(table.headers, mapping)
    missing = missing_fields(used)
    if missing:
        raise ImportFileError(
            f"{table.file}: keine Spalte für {', '.join(missing)} erkannt "
            f"(Spalten: {', '.join(table.headers)}). Zuordnung mit --mapping DATEI angeben, "
            "z. B. columns: {Einrichtung: name}; eine feste Kategorie mit defaults: {category: kita}"
        )
    ignored = tuple(unmapped_headers(table.headers, used))
    if ignored:
        notes.append("Nicht zugeordnete Spalten werden ignoriert: " + ", ".join(ignored))
    builder = EntryBuilder(used, towns=dataset.towns, categories=dataset.categories)
    candidates = []
    for number, record in zip(table.row_numbers, table.records(), strict=True):
        result = builder.build(record)
        label = next((record[h] for h, t in used.columns.items() if t == "name" and h in record), "")
        candidates.append(Candidate(number, result.entry, result.reasons, label=label))
    plan = plan_import(candidates, snapshot, policy=policy, decisions=decisions, notes=notes)
    return PreparedImport(table, used, snapshot, plan, "table", ignored)


def commit_import(prepared: PreparedImport, *, author: str, strict: bool = False,
                  comment: str | None = None) -> object | None:
    """Write the plan's changes in one atomic write with one history entry.

    Returns the writer's result, or None when there was nothing to write.

    Raises
    ------
    ImportRejectedError
        ``strict`` and some rows were rejected: nothing is written.
    """
    plan = prepared.plan
    if strict and plan.rejected:
        rows = ", ".join(str(o.row) for o in plan.rejected[:20])
        raise ImportRejectedError(
            f"Import abgebrochen (--strict): {len(plan.rejected)} Zeilen abgelehnt "
            f"(Zeile {rows}); nichts geschrieben"
        )
    if not plan.changes:
        return None
    from partnernetz.geo.towns import GazetteerTowns
    from partnernetz.registry import writer

    return writer.apply_changes(prepared.snapshot.path, list(plan.changes),
                                base_hash=prepared.snapshot.base_hash, author=author,
                                comment=comment or default_comment(prepared),
                                towns_source=GazetteerTowns())


def default_comment(prepared: PreparedImport) -> str:
    """The history comment: source file and counts ("Import liste.xlsx: 22 neu, 3 Duplikate
    übersprungen"), the attribution of official data."""
    name = Path(prepared.table.file).name
    text = f"Import {name}: {count_phrase(prepared.plan)}"
    if prepared.source_format == "msb":
        text += f". Quelle: {msb.ATTRIBUTION}"
    return text

