"""The shared filters of every page.

An empty selection means "no restriction". The free-text search splits the
query into words and keeps the partners that match every word (AND). A word
may match the name, operator, subtype, offers and description; the town,
district (Ortsteil), street and the towns served; the category label, the
language names and the stage and target-group labels, in both UI languages
("Arabisch" and "Arabic"). Case and umlauts are ignored ("hoexter", "Hoxter"
and "höxter" all find Höxter) and parts of words match ("beratung" finds
"Beratungsstelle").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from partnernetz.text import fold_text

SEARCH_FIELDS = ("name", "operator", "offers", "description", "subtype", "town", "district",
                 "street")

# The freshness filter ``geprueft``: verified within the last 12 months, earlier, never.
FRESHNESS = ("letzte-12-monate", "aelter-als-12-monate", "nie")
FRESH_DAYS = 365


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
    verified: str = ""  # one of FRESHNESS, or "" for any

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return self == FilterSpec()

    def without_towns(self) -> FilterSpec:
        """The same filters for every town (coverage compares towns)."""
        return FilterSpec(**{**self.__dict__, "towns": (), "include_serving": False})


def build_search_text(
    partners: pd.DataFrame,
    *,
    town_names: Mapping[str, str] | None = None,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> pd.Series:
    """Folded search text per partner (see the module docstring for what it holds).

    Parameters
    ----------
    partners
        The partners frame of a dataset.
    town_names
        AGS → official name, for the towns a partner serves.
    labels
        Per column (``category``, ``stages``, ``target_groups``, ``languages``) the
        text a key stands for, e.g. ``{"languages": {"ar": "Arabisch Arabic"}}``
        (:func:`partnernetz.registry.vocabulary.search_labels`).
    """
    parts = []
    for column in SEARCH_FIELDS:
        values = partners[column] if column in partners else pd.Series("", index=partners.index)
        parts.append(values.map(_join_text))
    if town_names and "serves" in partners:
        parts.append(partners["serves"].map(
            lambda served: " ".join(town_names.get(a, "") for a in served or ())))
    for column, texts in (labels or {}).items():
        if column not in partners:
            continue
        parts.append(partners[column].map(
            lambda keys, texts=texts: " ".join(
                texts.get(k, "") for k in ((keys,) if isinstance(keys, str) else keys or ()))))
    joined = parts[0].str.cat(parts[1:], sep=" | ")
    return joined.map(fold_text)


def search_words(query: str) -> list[str]:
    """The folded words of a query ("Jugendmigrationsdienst  Brakel" → two words)."""
    return fold_text(query or "").split()


def _join_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def freshness_mask(verified: pd.Series, key: str, *, today: dt.date) -> np.ndarray:
    """Which partners match the freshness filter ``key`` (one of :data:`FRESHNESS`)."""
    cutoff = today - dt.timedelta(days=FRESH_DAYS)
    dates = verified.to_numpy(dtype=object)
    never = np.array([d is None or (isinstance(d, float) and np.isnan(d)) for d in dates],
                     dtype=bool)
    recent = np.array([not n and d >= cutoff for d, n in zip(dates, never, strict=True)],
                      dtype=bool)
    if key == "nie":
        return never
    if key == "letzte-12-monate":
        return recent
    if key == "aelter-als-12-monate":
        return ~never & ~recent
    return np.ones(len(dates), dtype=bool)


def apply_filters(
    partners: pd.DataFrame, spec: FilterSpec, *, search_text: pd.Series | None = None,
    today: dt.date | None = None,
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
    today
        Reference date of the freshness filter; default: today.
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
    if spec.verified:
        mask &= freshness_mask(partners["verified"], spec.verified, today=today or dt.date.today())
    words = search_words(spec.query)
    if words:
        text = search_text if search_text is not None else build_search_text(partners)
        for word in words:
            mask &= text.str.contains(word, regex=False).to_numpy(dtype=bool)
    return partners.loc[mask]


def serving_only(partners: pd.DataFrame, spec: FilterSpec) -> pd.Series:
    """Per partner: shown only because it serves a selected town (not located there)."""
    if not (spec.towns and spec.include_serving):
        return pd.Series(False, index=partners.index)
    return ~partners["ags"].isin(set(spec.towns))


# ``relation`` of a partner shown for a selected town it serves but is not located in:
# its card says "zuständig, nicht im Ort" (partnernetz.views.cards).
RELATION_ELSEWHERE = "elsewhere"


def mark_relation(partners: pd.DataFrame, spec: FilterSpec) -> pd.DataFrame:
    """The partners with a ``relation`` column for their cards (map popup, directory).

    ``"elsewhere"`` where a partner is shown only because it serves a selected
    town (:func:`serving_only`), else None. Without a town filter with
    "mitversorgen" the frame is returned unchanged (no copy).
    """
    flags = serving_only(partners, spec)
    if not flags.any():
        return partners
    relation = [RELATION_ELSEWHERE if flag else None for flag in flags.tolist()]
    return partners.assign(relation=pd.Series(relation, index=partners.index, dtype=object))
