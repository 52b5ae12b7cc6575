"""What an import would do, readable: the row report and the list of changes.

Shown by the dry run and the app's preview before anything is written, and
saved as the ``;``-separated report (``--report``, the app's download).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from partnernetz.exchange.export import to_csv_bytes
from partnernetz.exchange.imports import (
    STATUS_LABELS,
    AddPartner,
    ImportPlan,
    RegistrySnapshot,
    changed_fields,
)

REPORT_COLUMNS = ("Zeile", "Ergebnis", "ID", "Name", "Grund", "Ähnlichkeit", "Vergleich mit")


def report_frame(plan: ImportPlan) -> pd.DataFrame:
    """One line per input row: row number, result, id, name, reason, score, match."""
    rows = [
        (o.row, STATUS_LABELS[o.status], o.partner_id or "", o.name, o.reason,
         "" if o.score is None else f"{o.score:.0f}", o.other or "")
        for o in plan.outcomes
    ]
    return pd.DataFrame(rows, columns=list(REPORT_COLUMNS))


def report_csv(plan: ImportPlan) -> bytes:
    """The row report as ``;``-separated UTF-8 CSV (Excel opens it; formulas neutralised)."""
    return to_csv_bytes(report_frame(plan))


def describe_changes(plan: ImportPlan, snapshot: RegistrySnapshot) -> list[str]:
    """Exactly what would change, one German line per change (dry run, preview)."""
    lines = []
    for change in plan.changes:
        if isinstance(change, AddPartner):
            entry = change.entry
            lines.append(f"+ neu: {entry['id']} – {entry.get('name')} ({entry.get('town')})")
        else:
            before = snapshot.entries.get(change.partner_id, {})
            for key in changed_fields(before, change.entry):
                lines.append(f"~ {change.partner_id}: {key}: {_short(before.get(key))} → "
                             f"{_short(change.entry.get(key))}")
    return lines


def flatten_entry(entry: Mapping[str, Any]) -> dict[str, str]:
    """An entry as ``field: text`` rows, nested sections dotted (``address.street``)."""
    out: dict[str, str] = {}
    for key, value in entry.items():
        if isinstance(value, Mapping):
            for sub, inner in value.items():
                out[f"{key}.{sub}"] = str(inner)
        elif isinstance(value, list):
            out[key] = ", ".join(str(v) if not isinstance(v, Mapping) else
                                 " / ".join(str(x) for x in v.values()) for v in value)
        else:
            out[key] = str(value)
    return out


def _short(value: Any) -> str:
    text = "–" if value in (None, "", [], {}) else str(value)
    return text if len(text) <= 80 else text[:77] + "…"
