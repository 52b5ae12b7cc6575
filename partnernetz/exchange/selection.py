"""Which partners an export holds: the filters of the app, and what the role may see.

Personal data is removed before anything is written: the dataset is first
reduced to what the role may see (``dataset_for_role``), then filtered.
Notes are never exported. Every export says whether it holds internal
contacts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from partnernetz.access import Role
from partnernetz.dataset import Dataset, dataset_for_role
from partnernetz.filters import FilterSpec, apply_filters

PUBLIC_NOTE = "Öffentliche Daten: keine internen Kontakte, keine Notizen"
INTERNAL_NOTE = "Intern – enthält interne Kontaktdaten; nicht zur Weitergabe"


@dataclass(frozen=True)
class Selection:
    """The partners of an export and whether they include internal data."""

    dataset: Dataset
    partners: pd.DataFrame
    internal: bool

    @property
    def note(self) -> str:
        """The German sentence every export carries about its content."""
        return INTERNAL_NOTE if self.internal else PUBLIC_NOTE


def select_partners(dataset: Dataset, *, spec: FilterSpec | None = None,
                    role: Role | str | int = "public") -> Selection:
    """The dataset as ``role`` may see it, filtered by ``spec``.

    Parameters
    ----------
    dataset
        The loaded dataset.
    spec
        The app's filters; None: every partner.
    role
        The viewer's role (``Role`` or its key ``public``, ``mitglied``, …).
    """
    visible = _for_role(dataset, role)
    partners = visible.partners
    if spec is not None and not spec.is_empty:
        partners = apply_filters(partners, spec)
    return Selection(visible, partners.reset_index(drop=True), holds_internal(partners))


def holds_internal(partners: pd.DataFrame) -> bool:
    """Whether a partners frame holds internal contacts (notes are never exported)."""
    if "contacts" not in partners:
        return False
    return any(c.get("visibility") == "internal"
               for contacts in partners["contacts"] for c in (contacts or ()))


def _for_role(dataset: Dataset, role: Role | str | int) -> Dataset:
    if isinstance(role, str):
        role = Role.from_key(role)
    return dataset_for_role(dataset, Role(role))
