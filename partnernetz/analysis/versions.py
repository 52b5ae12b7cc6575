"""Earlier versions of a registry, read from its history: for trends and "what changed".

The one place that turns a history revision back into a :class:`~partnernetz.dataset.Dataset`
(the app's trend line and the report's changes use it). Reads the history
(:mod:`partnernetz.registry.history`) and a temporary copy of the old text.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from partnernetz.analysis.changes import VersionChanges, compare_versions
from partnernetz.analysis.selection import analyse_selection
from partnernetz.analysis.summary import CoverageAnalysis
from partnernetz.dataset import Dataset, load_dataset
from partnernetz.errors import PartnernetzError
from partnernetz.files import write_text_atomically
from partnernetz.filters import FilterSpec, apply_filters
from partnernetz.geo.geocoding import default_cache_path
from partnernetz.registry.history import History


@dataclass(frozen=True)
class Version:
    """An earlier version: its dataset, the date of its history entry, and whether it is the
    oldest version rather than the one asked for (the history starts later)."""

    dataset: Dataset
    date: dt.date
    oldest: bool


def load_version(
    path: str | Path, day: dt.date, *, today: dt.date, gazetteer_path: Path | None = None,
    population_path: Path | None = None,
) -> Version | None:
    """The registry as it was on ``day`` (or its oldest version); None without history or
    when that version no longer validates."""
    path = Path(path)
    history = History(path)
    try:
        if not history.exists:
            return None
        revision = history.at_date(day)
        oldest = revision is None
        revision = revision or history.oldest()
        if revision is None:
            return None
        entry = history.entry_at(revision)
        text = history.text_at(revision)
    finally:
        history.close()
    with tempfile.TemporaryDirectory() as tmp:
        old_path = Path(tmp) / path.name
        write_text_atomically(old_path, text)
        try:
            old = load_dataset(old_path, today=today, geocode_cache_path=default_cache_path(path),
                               gazetteer_path=gazetteer_path, population_path=population_path,
                               cache_dir="off")
        except PartnernetzError:
            return None
    return Version(old, entry.time.date(), oldest)


def analyse_version(version: Version, spec: FilterSpec, *, today: dt.date) -> CoverageAnalysis:
    """The coverage of an earlier version with the filters ``spec`` (towns left out)."""
    spec = spec.without_towns()
    old = version.dataset
    partners = apply_filters(old.partners, spec, today=today)
    return analyse_selection(partners, old.towns, spec=spec, today=today,
                             categories=old.categories, targets=old.targets)


def changes_since(
    version: Version | None, partners, analysis: CoverageAnalysis, spec: FilterSpec, *,
    today: dt.date, lang: str = "de",
) -> VersionChanges | None:
    """What changed from ``version`` to the current ``partners`` / ``analysis`` (filtered
    with ``spec``); None without an earlier version."""
    if version is None:
        return None
    old_partners = apply_filters(version.dataset.partners, spec.without_towns(), today=today)
    old_analysis = analyse_version(version, spec, today=today)
    return compare_versions(old_partners, partners, old_matrix=old_analysis.matrix,
                            new_matrix=analysis.matrix, since=version.date, lang=lang)
