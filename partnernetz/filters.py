"""The shared filters of every page.

An empty selection means "no restriction". The free-text search is
:mod:`partnernetz.search`: every word of the query must match (AND), a word
may match the name, operator, subtype, offers and description; the town,
district (Ortsteil), street and the towns served; the category label, the
language names and the stage and target-group labels, in both UI languages
("Arabisch" and "Arabic"). Case and umlauts are ignored ("hoexter", "Hoxter"
and "höxter" all find Höxter), parts of words match ("beratung" finds
"Beratungsstelle"), abbreviations ("JMD"), phone numbers and postcodes too;
with no exact hits the close ones ("Beverungn") are the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from partnernetz.search import SearchIndex, SearchResult

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


@dataclass(frozen=True)
class Selection:
    """The partners after the filters, and what the search made of the query.

    ``search`` is None without a query; ``relevance`` holds the search's score
    per selected partner (index of ``partners``), empty without a query.
    """

    partners: pd.DataFrame
    search: SearchResult | None = None
    relevance: pd.Series | None = None

    def by_relevance(self) -> pd.DataFrame:
        """The partners, best search matches first (ties keep their order); unchanged without
        a query."""
        if self.relevance is None or self.partners.empty:
            return self.partners
        order = np.argsort(-self.relevance.to_numpy(), kind="stable")
        return self.partners.iloc[order]

    @property
    def close_only(self) -> bool:
        """No exact hits: the partners shown are close ones ("Meinten Sie …?")."""
        return self.search is not None and self.search.mode == "close"


def apply_filters(
    partners: pd.DataFrame, spec: FilterSpec, *, search: SearchIndex | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """The partners that match every filter of ``spec`` (a new frame).

    Parameters
    ----------
    partners
        The partners frame of a dataset.
    spec
        The filters.
    search
        The :class:`~partnernetz.search.SearchIndex` of ``partners`` (with labels,
        served towns and the registry's vocabulary), if already built; else one
        is built from ``partners`` alone.
    today
        Reference date of the freshness filter; default: today.
    """
    return select_partners(partners, spec, search=search, today=today).partners


def select_partners(
    partners: pd.DataFrame, spec: FilterSpec, *, search: SearchIndex | None = None,
    today: dt.date | None = None,
) -> Selection:
    """:func:`apply_filters` with the search's outcome (mode, suggestion, relevance)."""
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
    if not spec.query.strip():
        return Selection(partners.loc[mask])
    index = search if search is not None and search.fits(partners) else SearchIndex.build(partners)
    result = index.search(spec.query, within=mask)
    relevance = pd.Series(result.scores[result.mask], index=partners.index[result.mask])
    return Selection(partners.loc[result.mask], result, relevance)


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
