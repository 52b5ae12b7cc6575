"""What changed between two versions of the registry: partners and white spots.

For the report's first page ("Was sich seit … geändert hat"). Both versions
are given as partners frames and coverage matrices (the caller loads the older
one from the history, :mod:`partnernetz.registry.history`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from partnernetz.analysis.matrix import RED

# the fields of an entry whose change counts as "Eintrag geändert"
COMPARED = ("name", "category", "subtype", "operator", "description", "town", "street",
            "postcode", "district", "serves", "stages", "target_groups", "languages", "offers",
            "phone", "email", "website", "opening_hours", "accessible", "status")


@dataclass(frozen=True)
class VersionChanges:
    """Partners new, no longer active and changed; white spots opened and closed.

    Names are partner names; spots are ``(town, category label)``.
    """

    since: dt.date
    new: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    spots_opened: tuple[tuple[str, str], ...] = ()
    spots_closed: tuple[tuple[str, str], ...] = ()

    @property
    def any(self) -> bool:
        """True when something changed."""
        return bool(self.new or self.retired or self.changed or self.spots_opened
                    or self.spots_closed)


def compare_versions(
    old_partners: pd.DataFrame, new_partners: pd.DataFrame, *, old_matrix: pd.DataFrame,
    new_matrix: pd.DataFrame, since: dt.date, lang: str = "de",
) -> VersionChanges:
    """The changes from the old version to the new one.

    New: ids active now that were not active then (new or re-activated);
    no longer active: ids active then that are gone or not active now;
    changed: ids active in both whose compared fields differ (:data:`COMPARED`).
    White spots: red cells (town × category) of one version but not the other.
    """
    old = _by_id(old_partners)
    new = _by_id(new_partners)
    active_old = {i for i, row in old.items() if row.get("status") == "active"}
    active_new = {i for i, row in new.items() if row.get("status") == "active"}
    changed = sorted(new[i]["name"] for i in active_old & active_new
                     if _fields(old[i]) != _fields(new[i]))
    label = "label_en" if lang == "en" else "label_de"
    red_old = _red(old_matrix, label)
    red_new = _red(new_matrix, label)
    return VersionChanges(
        since=since,
        new=tuple(sorted(new[i]["name"] for i in active_new - active_old)),
        retired=tuple(sorted(old[i]["name"] for i in active_old - active_new)),
        changed=tuple(changed),
        spots_opened=tuple(sorted(red_new - red_old)),
        spots_closed=tuple(sorted(red_old - red_new)),
    )


def _by_id(partners: pd.DataFrame) -> dict[str, dict]:
    if not len(partners):
        return {}
    columns = [c for c in ("id", *COMPARED) if c in partners]
    return {str(row["id"]): row for row in partners[columns].to_dict("records")}


def _fields(row: dict) -> tuple:
    return tuple(_plain(row.get(c)) for c in COMPARED)


def _plain(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, list | tuple | np.ndarray):
        return tuple(str(v) for v in value)
    return str(value)


def _red(matrix: pd.DataFrame, label: str) -> set[tuple[str, str]]:
    if not len(matrix):
        return set()
    red = matrix[matrix["status"] == RED]
    return set(zip(red["town"].astype(str), red[label].astype(str), strict=True))
