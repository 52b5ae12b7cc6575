"""The shared filters of every page.

An empty selection means "no restriction". The free-text search ignores case
and umlauts ("hoexter", "Hoxter" and "höxter" all find Höxter) and matches
parts of words ("beratung" finds "Beratungsstelle").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from partnernetz.text import fold_text

SEARCH_FIELDS = ("name", "operator", "offers", "description", "subtype")


@dataclass(frozen=True)
class FilterSpec:
    """What the sidebar selected. Towns are AGS; the rest are registry keys."""

    towns: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    query: str = ""
    include_serving: bool = False

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return self == FilterSpec()

    def without_towns(self) -> FilterSpec:
        """The same filters for every town (coverage compares towns)."""
        return FilterSpec(**{**self.__dict__, "towns": (), "include_serving": False})


def build_search_text(partners: pd.DataFrame) -> pd.Series:
    """Folded search text per partner: name, operator, offers, description, subtype."""
    parts = []
    for column in SEARCH_FIELDS:
        values = partners[column] if column in partners else pd.Series("", index=partners.index)
        parts.append(values.map(_join_text))
    joined = parts[0].str.cat(parts[1:], sep=" | ")
    return joined.map(fold_text)


def _join_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def apply_filters(
    partners: pd.DataFrame, spec: FilterSpec, *, search_text: pd.Series | None = None
) -> pd.DataFrame:
    """The partners that match every filter of ``spec`` (a new frame).

    Parameters
    ----------
    partners
        The partners frame of a dataset.
    spec
        The filters.
    search_text
        :func:`build_search_text` of ``partners``, if already computed.
    """
    mask = np.ones(len(partners), dtype=bool)
    if spec.towns:
        wanted = set(spec.towns)
        located = partners["ags"].isin(wanted).to_numpy()
        if spec.include_serving:
            serving = partners["serves"].map(lambda s: not wanted.isdisjoint(s)).to_numpy(dtype=bool)
            located = located | serving
        mask &= located
    if spec.categories:
        mask &= partners["category"].isin(spec.categories).to_numpy()
    if spec.statuses:
        mask &= partners["status"].isin(spec.statuses).to_numpy()
    for column, selected in (
        ("stages", spec.stages),
        ("target_groups", spec.target_groups),
        ("languages", spec.languages),
    ):
        if selected:
            wanted_set = frozenset(selected)
            mask &= ~partners[column].map(wanted_set.isdisjoint).to_numpy(dtype=bool)
    if spec.query.strip():
        needle = fold_text(spec.query)
        text = search_text if search_text is not None else build_search_text(partners)
        mask &= text.str.contains(needle, regex=False).to_numpy(dtype=bool)
    return partners.loc[mask]
