"""Every Streamlit cache wrapper of the app, in one place.

Caches are keyed on simple values only: the registry path plus the stamps
(:func:`partnernetz.files.stamp_file`: size, mtime, ctime, inode and a
content hash for small files) of every file the dataset is built from, taken
on every rerun, today's date and the viewer's role. Never on a GeoDataFrame
or a folium map. A file replaced by one of the same size and mtime (``cp -p``,
``rsync -t``, a restored backup) therefore shows on the next interaction.

A registry version not seen before is parsed in a child process with limits
(``load_dataset(isolated=True)``): no file can crash the server. When the new
version is invalid, :func:`load_app_data_or_last` still returns the last
valid data, so the page can show the report above the outdated data.

Roles: ``_full_dataset`` holds the full dataset (internal contacts and notes
included) and is never handed to a page. Pages get :func:`load_app_data`
for their role, which returns the copy with what that role may not see
removed (``dataset_for_role``); every wrapper below takes that role-keyed
data key, so no cache entry of one role is ever served to another.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

# re-exported: pages and tests use them as cached.NAME
from app_pages.access_cache import (  # noqa: F401
    AccessState,
    _access_state,
    access_file,
    access_state,
    file_stamp,
    log_once,
    sign_in_journal,
)
from app_pages.upload_cache import import_table, reference_table  # noqa: F401
from partnernetz.access import Role
from partnernetz.analysis.changes import VersionChanges
from partnernetz.analysis.headline import Headline, compute_headline
from partnernetz.analysis.selection import analyse_selection, data_stand
from partnernetz.analysis.summary import CoverageAnalysis
from partnernetz.dataset import Dataset, dataset_for_role, load_dataset
from partnernetz.errors import PartnernetzError
from partnernetz.files import FileStamp, stamp_file, write_bytes_atomically
from partnernetz.filters import FilterSpec, Selection, select_partners
from partnernetz.geo import gazetteer
from partnernetz.geo.geocoding import default_cache_path
from partnernetz.i18n import t
from partnernetz.registry.vocabulary import search_labels
from partnernetz.search import SearchIndex

ROOT = Path(__file__).resolve().parents[1]
LOG = logging.getLogger("partnernetz.app")
DEMO_REGISTRY = ROOT / "data" / "partners.yaml"  # tracked in git: never edited by the app
# The demo's working copy (git-ignored): made from the demo on first use; edits go here.
DEFAULT_REGISTRY = ROOT / "data" / "local" / "partners.yaml"
# Override of the reference data (benchmarks and tests on a synthetic region):
# ``$PARTNERNETZ_GAZETTEER`` (GeoJSON) and ``$PARTNERNETZ_POPULATION`` (CSV).
GAZETTEER_ENV = "PARTNERNETZ_GAZETTEER"
POPULATION_ENV = "PARTNERNETZ_POPULATION"

Stamp = tuple[FileStamp, ...]
DataKey = tuple[str, Stamp, str, int]  # path, stamps of the inputs, today, role


@dataclass(frozen=True)
class AppData:
    """A loaded dataset (already redacted for ``key``'s role) plus what every rerun needs."""

    dataset: Dataset
    search: SearchIndex  # the search index of the partners (redacted, like them)
    key: DataKey

    @property
    def role(self) -> Role:
        """The role this data was redacted for."""
        return Role(self.key[3])

    @property
    def today(self) -> dt.date:
        """The date the data was loaded for (part of the cache key)."""
        return dt.date.fromisoformat(self.key[2])

    @property
    def stand(self) -> dt.date:
        """The date of the data ("Stand"): newest ``verified``, else the file's date."""
        return data_stand(self.dataset.partners, source=self.dataset.source) or self.today


def registry_path() -> Path:
    """The registry to show: ``-- --registry PATH``, ``$PARTNERNETZ_REGISTRY``, or the demo."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--registry")
    args, _ = parser.parse_known_args(sys.argv[1:])
    chosen = args.registry or os.environ.get("PARTNERNETZ_REGISTRY")
    if chosen:
        return Path(chosen).expanduser()
    return demo_working_copy()


def demo_working_copy(*, demo: Path = DEMO_REGISTRY, copy: Path = DEFAULT_REGISTRY) -> Path:
    """The demo's working copy, copied from the tracked demo registry on first use.

    Edits in the app (and their history) go to the copy, so the tracked
    ``data/partners.yaml`` never changes; deleting ``data/local/`` starts over.
    Where the copy cannot be written (a read-only install), the demo is shown as it is.
    """
    if copy.exists():
        return copy
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(copy, demo.read_bytes())
    except (OSError, PartnernetzError) as exc:
        LOG.warning("Arbeitskopie %s nicht angelegt (%s); die Demo wird nur gelesen", copy, exc)
        return demo
    return copy


def geo_paths() -> tuple[Path, Path]:
    """Gazetteer and population files: ``$PARTNERNETZ_GAZETTEER`` / ``$PARTNERNETZ_POPULATION``
    or the NRW reference data in ``data/geo``."""
    gaz = os.environ.get(GAZETTEER_ENV) or gazetteer.DEFAULT_GAZETTEER_PATH
    pop = os.environ.get(POPULATION_ENV) or gazetteer.DEFAULT_POPULATION_PATH
    return Path(gaz), Path(pop)


def data_key(path: Path, *, role: Role = Role.PUBLIC) -> DataKey:
    """The cache key of a registry as ``role`` sees it: its path, the stamps of its
    inputs, today, the role."""
    files = (path, default_cache_path(path), *geo_paths())
    return (str(path), tuple(stamp_file(p) for p in files), dt.date.today().isoformat(), int(role))


@st.cache_resource(max_entries=4, show_spinner="Registry wird geladen …")
def _full_dataset(path: str, stamp: Stamp, today: str) -> Dataset:
    # The unredacted dataset: only _app_data below reads it.
    # the stamp names the gazetteer and population files (see data_key)
    gaz, pop = (Path(entry[0]) for entry in stamp[2:4])
    return load_dataset(path, today=dt.date.fromisoformat(today), gazetteer_path=gaz,
                        population_path=pop, isolated=True)


@st.cache_resource(max_entries=16, show_spinner=False)
def _app_data(path: str, stamp: Stamp, today: str, role: int) -> AppData:
    # Redacted for ``role`` before anything else sees it (search index included): the
    # index is built once per dataset and role, a search takes milliseconds.
    dataset = dataset_for_role(_full_dataset(path, stamp, today), Role(role))
    towns = dict(zip(dataset.towns["ags"], dataset.towns["name"], strict=True))
    index = SearchIndex.build(dataset.partners, town_names=towns,
                              labels=search_labels(dataset.categories),
                              synonyms=dataset.search_synonyms)
    return AppData(dataset, index, (path, stamp, today, int(role)))


def load_app_data(path: Path, role: Role = Role.PUBLIC) -> AppData:
    """The dataset of ``path`` as ``role`` may see it, loaded once per change of its files.

    Raises the package's errors (``RegistryValidationError`` …) uncached.
    """
    return _app_data(*data_key(path, role=Role(role)))


@st.cache_resource(show_spinner=False)
def _last_valid() -> dict[tuple[str, int], AppData]:
    # The newest valid data per (registry path, role), shared by all sessions.
    return {}


def load_app_data_or_last(
    path: Path, role: Role = Role.PUBLIC
) -> tuple[AppData | None, PartnernetzError | None]:
    """The current data of ``path``, or the last valid data and why the current version fails.

    Returns ``(data, None)`` when the registry loads; ``(last, error)`` when
    it does not (``last`` is None when it never loaded since the server started).
    """
    slot = (str(path), int(role))
    try:
        app = load_app_data(path, role)
    except PartnernetzError as exc:
        return _last_valid().get(slot), exc
    _last_valid()[slot] = app
    return app, None


# --------------------------------------------------------------------------- coverage


@st.cache_resource(max_entries=16, show_spinner=False)
def _shared_selection(key: DataKey, spec: FilterSpec, _app: AppData) -> Selection:
    # keyed on the app's data key (``_app`` is not hashed): also for the last valid data
    return select_partners(_app.dataset.partners, spec, search=_app.search, today=_app.today)


def partner_selection(app: AppData, spec: FilterSpec) -> Selection:
    """The filtered partners with the search's outcome ("Meinten Sie …?", relevance), shared."""
    if spec.is_empty:
        return Selection(app.dataset.partners)
    return _shared_selection(app.key, spec, app)


def filtered_partners(app: AppData, spec: FilterSpec) -> pd.DataFrame:
    """The partners of ``app`` after the filters ``spec``: one frame per filter, shared.

    Every session with the same data key and filters gets the same object (no
    copy per session or rerun), so callers must not change it in place; the
    package's functions return new frames.
    """
    if spec.is_empty:  # no filter: the dataset's own frame, no copy
        return app.dataset.partners
    return _shared_selection(app.key, spec, app).partners


@st.cache_data(max_entries=32, show_spinner=False)
def coverage_analysis(key: DataKey, spec: FilterSpec) -> CoverageAnalysis:
    """Every coverage figure of the region for the filters ``spec``, the town filter left out.

    Coverage compares towns, so the analysis always covers every town of the
    region; pages narrow the rows to the selected towns themselves. Pass
    ``spec.without_towns()`` so that every town selection shares one entry.
    Small frames only (towns × categories …): cheap to copy out of the cache.
    """
    app = _app_data(*key)
    dataset = app.dataset
    spec = spec.without_towns()
    return analyse_selection(
        filtered_partners(app, spec), dataset.towns, spec=spec, today=app.today,
        categories=dataset.categories, targets=dataset.targets,
    )


@st.cache_data(max_entries=32, show_spinner=False)
def selection_headline(key: DataKey, spec: FilterSpec) -> Headline:
    """The headline figures of the selection: with a town filter, of those towns only."""
    analysis = coverage_analysis(key, spec.without_towns())
    if not spec.towns:
        return analysis.headline
    app = _app_data(*key)
    towns = app.dataset.towns
    chosen = towns[towns["ags"].isin(spec.towns)]
    matrix = analysis.matrix[analysis.matrix["ags"].isin(spec.towns)]
    return compute_headline(filtered_partners(app, spec), chosen, matrix,
                            today=dt.date.fromisoformat(key[2]))


def filter_note(app: AppData, spec: FilterSpec, lang: str) -> str | None:
    """The active filters as one line (report subtitle); None without filters."""
    from partnernetz.registry.vocabulary import STAGES, STATUSES, TARGET_GROUPS, language_name

    dataset = app.dataset
    en = lang == "en"
    names = dict(zip(dataset.towns["ags"], dataset.towns["name"], strict=True))

    def term(vocab: dict, key: str) -> str:
        return (vocab[key].en if en else vocab[key].de) if key in vocab else key

    parts = []
    for label, values in (
        (("Orte", "Towns"), [names.get(a, a) for a in spec.towns]),
        (("Kategorien", "Categories"),
         [dataset.categories[k].label(lang) if k in dataset.categories else k
          for k in spec.categories]),
        (("Bildungskette", "Education chain"), [term(STAGES, k) for k in spec.stages]),
        (("Zielgruppen", "Target groups"), [term(TARGET_GROUPS, k) for k in spec.target_groups]),
        (("Sprachen", "Languages"), [language_name(c, lang) for c in spec.languages]),
        (("Status", "Status"), [term(STATUSES, k) for k in spec.statuses]),
        (("Suche", "Search"), [f"„{spec.query}“"] if spec.query.strip() else []),
        (("Zuletzt geprüft", "Last verified"),
         [t(f"filter.verified.{spec.verified}", lang)] if spec.verified else []),
    ):
        if values:
            parts.append(f"{label[1] if en else label[0]}: {', '.join(values)}")
    return "; ".join(parts) or None


@st.cache_data(max_entries=16, show_spinner=False)
def report_pdf(key: DataKey, spec: FilterSpec, town: str | None, lang: str) -> bytes:
    """The printable PDF: the region's report, or the Steckbrief of ``town`` (AGS).

    Keyed on the data key (path, file stamps, today, role), the filters, the town
    and the language. A signed-in role's PDF says "Intern – nicht zur Weitergabe"
    in its footer. The report covers every town (the town filter is left out,
    as for :func:`coverage_analysis`); the filters are named under the title.
    """
    from partnernetz.views.report import report_pdf_bytes  # matplotlib: only when a PDF is asked for

    app = _app_data(*key)
    analysis = coverage_analysis(key, spec.without_towns())
    return report_pdf_bytes(
        app.dataset, today=dt.date.fromisoformat(key[2]), town=town,
        partners=filtered_partners(app, spec.without_towns()), analysis=analysis,
        note=filter_note(app, spec.without_towns(), lang), lang=lang,
        internal=app.role.sees_internal_contacts, trend=trend_line(key, spec, lang),
        stand=app.stand,
        changes=report_changes(key, spec, lang) if town is None else None,
    )


# --------------------------------------------------------------------------- editing


def registry_stamp(path: Path) -> FileStamp:
    """The stamp of the registry file alone (the editing caches' key)."""
    return stamp_file(path)


@st.cache_data(max_entries=8, show_spinner=False)
def editable_entries(path: str, stamp: tuple[str, int, int], role: int, email: str) -> dict[str, dict]:
    """The raw entries (as in the file) the viewer may edit, keyed on role and e-mail.

    ``redaktion`` and ``admin`` get every entry with everything; an owner
    only their own entries, without ``notes``.
    """
    from partnernetz.access import Role
    from partnernetz.registry.writer import read_entries
    from partnernetz.views.editing import may_edit

    entries = read_entries(path)
    if role >= Role.REDAKTION:
        return entries
    return {
        pid: {k: v for k, v in entry.items() if k != "notes"}
        for pid, entry in entries.items()
        if may_edit(Role(role), email or None, entry)
    }


@st.cache_data(max_entries=8, show_spinner=False)
def history_entries(path: str, stamp: tuple[str, int, int]) -> list:
    """The registry's history, newest first (for ``redaktion`` and ``admin`` pages only)."""
    from partnernetz.registry.history import History

    history = History(path)
    try:
        return history.entries()
    finally:
        history.close()


@st.cache_data(max_entries=256, show_spinner=False)
def history_diff(path: str, revision: str, partner_id: str) -> str:
    """The diff of one partner in one history entry (revisions never change)."""
    from partnernetz.registry.history import History, entry_diff

    history = History(path)
    try:
        return entry_diff(history, revision, partner_id)
    finally:
        history.close()


@st.cache_data(max_entries=8, show_spinner=False)
def white_spots_then(key: DataKey, spec: FilterSpec, months: int = 12) -> tuple[int, str, bool] | None:
    """White spots of the registry as it was ``months`` months ago (or at the oldest history).

    Returns (white spots, date of that version, True when it is the oldest
    version rather than the one of ``months`` ago), or None without history.
    Uses the filters ``spec`` without towns, as the region's headline does.
    """
    from partnernetz.analysis.upkeep import months_before
    from partnernetz.analysis.versions import analyse_version, load_version

    today = dt.date.fromisoformat(key[2])
    gaz, pop = geo_paths()
    version = load_version(key[0], months_before(today, months), today=today,
                           gazetteer_path=gaz, population_path=pop)
    if version is None:  # no history, or an old version that no longer validates
        return None
    analysis = analyse_version(version, spec, today=today)
    return analysis.headline.white_spots, version.date.isoformat(), version.oldest


REPORT_CHANGES_MONTHS = 3  # "what changed since the last report": a quarterly report


@st.cache_data(max_entries=8, show_spinner=False)
def report_changes(key: DataKey, spec: FilterSpec, lang: str,
                   months: int = REPORT_CHANGES_MONTHS) -> VersionChanges | None:
    """What changed since the registry version of ``months`` months ago (the last report),
    for the report's first page; None without history."""
    from partnernetz.analysis.upkeep import months_before
    from partnernetz.analysis.versions import changes_since, load_version

    app = _app_data(*key)
    today = dt.date.fromisoformat(key[2])
    gaz, pop = geo_paths()
    version = load_version(key[0], months_before(today, months), today=today,
                           gazetteer_path=gaz, population_path=pop)
    spec = spec.without_towns()
    return changes_since(version, filtered_partners(app, spec), coverage_analysis(key, spec),
                         spec, today=today, lang=lang)


def trend_line(key: DataKey, spec: FilterSpec, lang: str) -> str | None:
    """"Weiße Flecken: 4 (vor 12 Monaten: 7)" for the region, or None without history.

    For the Übersicht and the PDF report (its optional trend line).
    """
    from partnernetz.views.tables import format_date

    trend = white_spots_then(key, spec)
    if trend is None:
        return None
    then, then_date, oldest = trend
    now = coverage_analysis(key, spec.without_towns()).headline.white_spots
    return t("overview.trend_oldest" if oldest else "overview.trend", lang, now=now, then=then,
             date=format_date(dt.date.fromisoformat(then_date), lang=lang))


@st.cache_data(max_entries=8, show_spinner=False)
def white_spots_at(path: str, stamp: FileStamp, day: str, lang: str) -> tuple[str, ...] | None:
    """White spots ("Ort: Kategorie") of the registry as it was at the end of ``day`` (its
    history), None without a version then. For the digest "Was hat sich geändert"."""
    from partnernetz.recheck.digest import coverage_of, dataset_at, white_spot_pairs

    gaz, pop = geo_paths()
    when = dt.date.fromisoformat(day)
    old = dataset_at(path, when, geocode_cache_path=default_cache_path(Path(path)),
                     gazetteer_path=gaz, population_path=pop)
    if old is None:
        return None
    labels = {k: c.label(lang) for k, c in old.categories.items()}
    return tuple(sorted(white_spot_pairs(coverage_of(old, today=when), labels)))


# --------------------------------------------------------------------------- exchange

EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    # format -> (file ending, MIME type)
    "geojson": ("geojson", "application/geo+json"),
    "gpkg": ("gpkg", "application/geopackage+sqlite3"),
    "hsds-json": ("hsds.json", "application/json"),
    "hsds-csv": ("hsds.zip", "application/zip"),
}


@st.cache_data(max_entries=16, show_spinner=False)
def exchange_export(key: DataKey, spec: FilterSpec, fmt: str) -> bytes:
    """An export of the filtered partners (GeoJSON, GeoPackage, HSDS) as the key's role sees them.

    Keyed on the role-keyed data key, the filters and the format: the bytes
    are built from the role's redacted dataset only.
    """
    from partnernetz.exchange import gis, hsds

    dataset = _app_data(*key).dataset
    build = {"geojson": gis.partners_geojson, "gpkg": gis.geopackage_bytes,
             "hsds-json": hsds.hsds_json_bytes, "hsds-csv": hsds.hsds_datapackage_zip}[fmt]
    return build(dataset, spec=spec, role=Role(key[3]))
