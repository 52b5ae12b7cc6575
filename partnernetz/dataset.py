"""The one entry point: a registry path becomes a :class:`Dataset`.

``load_dataset`` reads, validates, geocodes and joins. Its result is cached
on disk keyed by a hash of everything it was built from, so a warm start
takes a fraction of a second even at 20,000 partners.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from partnernetz import cache
from partnernetz.access.roles import Role
from partnernetz.errors import PartnernetzError, RegistryValidationError
from partnernetz.files import stamp_file
from partnernetz.geo import gazetteer
from partnernetz.geo.geocoding import default_cache_path, geocode_offline, read_geocode_cache
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.registry.check import CheckedRegistry, check_registry
from partnernetz.registry.models import Partner, Region, Target
from partnernetz.registry.parse import ParseLimits, YamlLocator, parse_yaml, read_registry_text
from partnernetz.registry.report import INTERNAL_VALUE_MESSAGE, Issue, ValidationReport
from partnernetz.registry.report import redact_report as redact_report_for
from partnernetz.registry.sandbox import parse_yaml_isolated
from partnernetz.registry.vocabulary import CategoryInfo

__all__ = [
    "CategoryInfo", "Dataset", "dataset_for_role", "load_dataset", "load_partners",
    "redact_partners", "redact_report", "validate_registry",
]

# 2: internal contacts and notes kept (redacted per role); 3: served, placement; 4: identifiers;
# 5: Arrow IPC + JSON cache (no pickle); 6: search_synonyms; 7: translations
PIPELINE_VERSION = "7"
CRS = "EPSG:4326"


@dataclass(frozen=True)
class Dataset:
    """Everything the app, the CLI and the reports need about one registry."""

    source: Path
    content_hash: str
    region: Region
    categories: dict[str, CategoryInfo]
    targets: dict[str, Target]
    partners: gpd.GeoDataFrame
    towns: gpd.GeoDataFrame
    report: ValidationReport
    attribution: str
    search_synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # registry's terms


# --------------------------------------------------------------------------- public API


def load_dataset(
    path: str | Path,
    *,
    today: dt.date | None = None,
    geocode_cache_path: str | Path | None = None,
    gazetteer_path: Path | None = None,
    population_path: Path | None = None,
    cache_dir: str | Path | None = None,
    isolated: bool = False,
    limits: ParseLimits | None = None,
) -> Dataset:
    """Read, validate, geocode and join a registry.

    Parameters
    ----------
    path
        The registry file.
    today
        Reference date for "verified in the future"; default: today.
    geocode_cache_path
        Geocode cache file; default ``geocode_cache.json`` beside the registry.
    cache_dir
        Where built datasets are cached; default ``$PARTNERNETZ_CACHE_DIR``
        or ``~/.cache/partnernetz``. The string ``"off"`` disables caching.
    isolated
        Parse the YAML in a child process with memory and time limits
        (:mod:`partnernetz.registry.sandbox`): the app does this for every
        registry version it has not built yet, so no file can crash it.
    limits
        File size, nesting and alias limits; default
        :meth:`ParseLimits.from_environment`.

    Raises
    ------
    RegistryFileError
        The file cannot be used at all.
    RegistryValidationError
        The registry has errors; the exception's ``report`` lists all of them.
    """
    dataset, report = _build(path, today=today, geocode_cache_path=geocode_cache_path,
                             gazetteer_path=gazetteer_path, population_path=population_path,
                             cache_dir=cache_dir, isolated=isolated, limits=limits)
    if dataset is None:
        raise RegistryValidationError(report)
    return dataset


def validate_registry(
    path: str | Path,
    *,
    today: dt.date | None = None,
    geocode_cache_path: str | Path | None = None,
    gazetteer_path: Path | None = None,
    population_path: Path | None = None,
    isolated: bool = False,
    limits: ParseLimits | None = None,
) -> ValidationReport:
    """Every error and warning of a registry, in one pass (never raises for them)."""
    _, report = _build(path, today=today, geocode_cache_path=geocode_cache_path,
                       gazetteer_path=gazetteer_path, population_path=population_path,
                       cache_dir="off", isolated=isolated, limits=limits)
    return report


def load_partners(path: str | Path, **kwargs: object) -> gpd.GeoDataFrame:
    """The geocoded partners of a registry as a GeoDataFrame in EPSG:4326."""
    return load_dataset(path, **kwargs).partners  # type: ignore[arg-type]


# --------------------------------------------------------------------------- pipeline


def _build(
    path: str | Path,
    *,
    today: dt.date | None,
    geocode_cache_path: str | Path | None,
    gazetteer_path: Path | None,
    population_path: Path | None,
    cache_dir: str | Path | None,
    isolated: bool,
    limits: ParseLimits | None,
) -> tuple[Dataset | None, ValidationReport]:
    path = Path(path)
    file = _display_path(path)
    today = today or dt.date.today()
    limits = limits or ParseLimits.from_environment()
    text = read_registry_text(path, limits=limits)
    cache_file = Path(geocode_cache_path) if geocode_cache_path else default_cache_path(path)
    gaz_path = gazetteer_path or gazetteer.DEFAULT_GAZETTEER_PATH
    pop_path = population_path or gazetteer.DEFAULT_POPULATION_PATH
    key = _content_hash(text, cache_file, gaz_path, pop_path, today, file)

    store = cache.open_store(cache_dir)
    if store is not None:
        cached = _read_cached(store, key, gazetteer_path=gazetteer_path,
                              population_path=population_path)
        if cached is not None:
            return cached, cached.report

    parse = parse_yaml_isolated if isolated else parse_yaml
    data, parse_issues = parse(text, file=file, limits=limits)
    locator = YamlLocator(text)
    checked = check_registry(
        data, file=file, locator=locator, today=today, parse_issues=parse_issues,
        towns_source=GazetteerTowns(gazetteer_path, population_path),
    )
    report = checked.report()
    if checked.region is None or checked.towns is None:
        return None, report
    geocache = read_geocode_cache(cache_file)
    partners, location_issues = locate_partners(checked, geocache)
    report = report.with_issues(location_issues)
    if not report.ok:
        return None, report

    dataset = Dataset(
        source=path,
        content_hash=key,
        region=checked.region,
        categories=checked.categories,
        targets=checked.targets,
        partners=partners,
        towns=checked.towns,
        report=report,
        attribution=data_attribution(partners),
        search_synonyms=checked.search_synonyms,
    )
    if store is not None:
        _write_cached(store, key, dataset)
    return dataset, report


# Official school data carries its licence wherever it goes (dl-de/by-2-0).
SCHOOL_DATA_ATTRIBUTION = "Schuldaten NRW © Ministerium für Schule und Bildung NRW, dl-de/by-2-0"


def data_attribution(partners: pd.DataFrame) -> str:
    """The attribution to show with maps, reports and exports of these partners.

    Partners carrying a Schulnummer come from (or were matched with) the
    Ministry's open school data, whose licence asks for its attribution.
    """
    parts = [gazetteer.ATTRIBUTION, gazetteer.POPULATION_ATTRIBUTION, gazetteer.CENTRE_ATTRIBUTION]
    if "identifiers" in partners and partners["identifiers"].map(
            lambda ids: bool(ids and ids.get("schulnummer"))).any():
        parts.append(SCHOOL_DATA_ATTRIBUTION)
    return "; ".join(parts)


def locate_partners(
    checked: CheckedRegistry, geocache: dict
) -> tuple[gpd.GeoDataFrame, list[Issue]]:
    """Geocode the checked partners and join each point to its town polygon.

    Returns the partners frame (rows with location errors dropped) and the
    location issues: coordinates outside the region are errors, a point in a
    different town than the declared one is a warning.
    """
    towns = checked.towns
    frame = partners_frame(checked)
    placed = geocode_offline(frame, towns, cache=geocache)
    frame = frame.drop(columns=["loc_lat", "loc_lon"])
    frame["lat"], frame["lon"], frame["precision"] = placed["lat"], placed["lon"], placed["precision"]
    frame["ags"] = gazetteer.locate_points(frame["lat"].to_numpy(), frame["lon"].to_numpy(), towns)

    issues: list[Issue] = []
    names = dict(zip(towns["ags"], towns["name"], strict=True))
    region = checked.region.name if checked.region else ""
    outside = frame["ags"].isna().to_numpy()
    differs = ~outside & (frame["ags"] != frame["town_ags"]).to_numpy()
    drop = np.zeros(len(frame), dtype=bool)
    for i in np.flatnonzero(outside | differs):
        row = frame.iloc[i]
        position = checked.positions[i]
        field = "location" if row["precision"] == "exact" else "address"
        where = ("partners", position, field)
        line = checked.locator.line(where)
        coords = f"({row['lat']:.5f}, {row['lon']:.5f})"
        if outside[i]:
            message = f"Koordinaten {coords} liegen außerhalb der Region {region}"
            swapped = gazetteer.locate_points(np.array([row["lon"]]), np.array([row["lat"]]), towns)
            if swapped[0] is not None:
                message += " – sind Breite (lat) und Länge (lon) vertauscht?"
            severity = "error" if row["precision"] == "exact" else "warning"
            if severity == "warning":
                message = f"Geokodierte Adresse {coords} liegt außerhalb der Region {region}"
            drop[i] = True
        else:
            message = (
                f"Koordinaten {coords} liegen in {names[row['ags']]}, "
                f"nicht im angegebenen Ort {row['town']}"
            )
            severity = "warning"
        issues.append(Issue(line, f"partners[{position}].{field}", message,
                            severity=severity, file=checked.file))  # type: ignore[arg-type]
    frame = frame.loc[~drop].reset_index(drop=True)
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs=CRS)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS), issues


def partners_frame(checked: CheckedRegistry) -> pd.DataFrame:
    """The checked partners as a DataFrame, internal contacts and notes included (no geometry yet).

    Nothing of it may reach a viewer before :func:`dataset_for_role`.
    """
    names = dict(zip(checked.towns["ags"], checked.towns["name"], strict=True))
    rows = [
        _partner_row(p, ags, serves, serves_all, names[ags])
        for p, ags, serves, serves_all in zip(
            checked.partners, checked.town_ags, checked.serves, checked.serves_all, strict=True
        )
    ]
    # object dtype keeps None as None (pandas 3 would turn text columns into
    # its string dtype, where a missing value is NaN and NaN is truthy).
    frame = pd.DataFrame(rows, columns=PARTNER_COLUMNS, dtype=object)
    frame["serves_all"] = frame["serves_all"].astype(bool)
    frame["served"] = pd.Series([
        served_text(serves, serves_all, ags, names)
        for serves, serves_all, ags in zip(frame["serves"], frame["serves_all"], frame["town_ags"],
                                           strict=True)
    ], index=frame.index, dtype=object)  # object: None stays None (see above)
    for column in ("loc_lat", "loc_lon"):
        frame[column] = frame[column].astype(float)
    return frame


SERVES_ALL = "*"  # ``served`` of a partner for the whole region


def served_text(serves: tuple[str, ...], serves_all: bool, town_ags: str,
                names: dict[str, str]) -> str | None:
    """Which towns a partner is responsible for, as the card and exports say it.

    ``"*"`` (:data:`SERVES_ALL`) for ``serves: all``; the official names joined
    with ", " where the registry names towns; None for the default (only its
    own town).
    """
    if serves_all:
        return SERVES_ALL
    if tuple(serves) == (town_ags,):
        return None
    return ", ".join(names.get(a, a) for a in serves)


PARTNER_COLUMNS = [
    "id", "name", "category", "subtype", "operator", "description", "town", "town_ags",
    "street", "postcode", "district", "serves", "serves_all", "stages", "target_groups",
    "languages", "offers", "phone", "email", "website", "contacts", "opening_hours",
    "accessible", "status", "verified", "notes", "identifiers", "schulnummer", "translations",
    "loc_lat", "loc_lon",
]


def _partner_row(
    p: Partner, ags: str, serves: tuple[str, ...], serves_all: bool, town: str
) -> tuple:
    address = p.address
    location = p.location
    contacts = tuple(
        {"name": c.name, "role": c.role, "phone": c.phone, "email": c.email,
         "visibility": c.visibility}
        for c in p.contacts
    )
    return (
        p.id, p.name, p.category, p.subtype, p.operator, p.description, town, ags,
        address.street if address else None,
        address.postcode if address else None,
        address.district if address else None,
        serves, serves_all, tuple(p.stages), tuple(p.target_groups), tuple(p.languages),
        tuple(p.offers), p.phone, p.email, p.website, contacts, p.opening_hours,
        p.accessible, p.status, p.verified, p.notes, dict(p.identifiers),
        p.identifiers.get("schulnummer"),
        {lang: {"description": t.description, "offers": tuple(t.offers or ()),
                "opening_hours": t.opening_hours} for lang, t in p.translations.items()},
        location.lat if location else np.nan,
        location.lon if location else np.nan,
    )


# --------------------------------------------------------------------------- roles


def redact_partners(partners: pd.DataFrame, role: Role) -> pd.DataFrame:
    """A copy of ``partners`` without what ``role`` may not see.

    Below ``mitglied`` every contact with ``visibility: internal`` is removed;
    below ``redaktion`` every ``notes`` value is (the column stays, all None).
    """
    out = partners.copy()
    if "contacts" in out.columns and not role.sees_internal_contacts:
        out["contacts"] = [
            tuple(c for c in contacts or () if c.get("visibility") == "public")
            for contacts in out["contacts"]
        ]
    if "notes" in out.columns and not role.sees_notes:
        out["notes"] = pd.Series([None] * len(out), index=out.index, dtype=object)
    return out


def dataset_for_role(dataset: Dataset, role: Role) -> Dataset:
    """A copy of ``dataset`` with what ``role`` may not see REMOVED (not hidden).

    ``mitglied`` keeps internal contacts, ``redaktion`` and ``admin`` also the
    notes; ``public`` keeps neither. The report's messages on contacts and notes
    are withheld below ``redaktion`` (see :func:`redact_report`). The towns and
    everything else are shared.
    """
    role = Role(role)
    return replace(dataset, partners=redact_partners(dataset.partners, role),
                   report=redact_report(dataset.report, role))


WITHHELD = INTERNAL_VALUE_MESSAGE


def redact_report(report: ValidationReport, role: Role) -> ValidationReport:
    """``report`` as ``role`` may see it: below ``redaktion`` the messages of findings on
    ``contacts`` or ``notes`` (which may quote an internal value) are withheld and the
    file is named without its folder (:func:`partnernetz.registry.report.redact_report`)."""
    return redact_report_for(report, full=Role(role) >= Role.REDAKTION)


# --------------------------------------------------------------------------- caching


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _content_hash(text: str, *paths_and_more: object) -> str:
    digest = hashlib.sha256()
    digest.update(PIPELINE_VERSION.encode())
    digest.update(text.encode("utf-8"))
    for item in paths_and_more:
        digest.update(b"\x00")
        if isinstance(item, Path):
            digest.update(repr(stamp_file(item)).encode())
        else:
            digest.update(str(item).encode())
    return digest.hexdigest()


def _read_cached(
    store: Path, key: str, *, gazetteer_path: Path | None, population_path: Path | None
) -> Dataset | None:
    """The dataset stored under ``key`` (see :mod:`partnernetz.cache`), or None."""
    entry = cache.read_entry(store, key)
    if entry is None:
        return None
    frame, meta = entry
    try:
        region = Region.model_validate(meta["region"])
        towns = GazetteerTowns(gazetteer_path, population_path).load(region.kreis)
        report = ValidationReport(meta["report"]["file"], tuple(
            Issue(**issue) for issue in meta["report"]["issues"]))
        geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs=CRS)
        return Dataset(
            source=Path(meta["source"]),
            content_hash=key,
            region=region,
            categories={info[0]: CategoryInfo(*info) for info in meta["categories"]},
            targets={k: Target.model_validate(v) for k, v in meta["targets"].items()},
            partners=gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS),
            towns=towns,
            report=report,
            attribution=str(meta["attribution"]),
            search_synonyms={str(k): tuple(str(w) for w in v)
                             for k, v in meta.get("search_synonyms", {}).items()},
        )
    except (KeyError, TypeError, ValueError, PartnernetzError) as exc:
        cache.log.warning("Dataset-Cache-Eintrag %s wird ignoriert und neu gebaut: %s", key[:12], exc)
        return None


def _write_cached(store: Path, key: str, dataset: Dataset) -> None:
    """Store ``dataset`` under ``key``; a cache that cannot be written only costs time."""
    meta = {
        "source": str(dataset.source),
        "region": dataset.region.model_dump(mode="json"),
        "categories": [list(info) for info in dataset.categories.values()],
        "targets": {k: v.model_dump(mode="json") for k, v in dataset.targets.items()},
        "report": {"file": dataset.report.file,
                   "issues": [dataclasses.asdict(i) for i in dataset.report.issues]},
        "attribution": dataset.attribution,
        "search_synonyms": {k: list(v) for k, v in dataset.search_synonyms.items()},
    }
    frame = pd.DataFrame(dataset.partners.drop(columns=dataset.partners.geometry.name))
    cache.write_entry(store, key, frame=frame, meta=meta, group=str(dataset.source.resolve()))
