"""Reading and checking the registry file.

The happy path is fast: libyaml parses, pydantic validates the whole file in
one call, and semantic checks resolve each distinct town name once. Only when
something is wrong is the YAML composed a second time to find line numbers.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import geopandas as gpd
from pydantic import ValidationError

from partnernetz.errors import GazetteerError
from partnernetz.registry.models import CategoryDef, Partner, Region, Registry, Target
from partnernetz.registry.parse import Loc, YamlLocator
from partnernetz.registry.report import Issue, ValidationReport, describe_pydantic_error, format_field_path
from partnernetz.registry.vocabulary import CategoryInfo, default_categories


class TownLookup(Protocol):
    """Resolves the town names of one region (see :class:`TownSource`)."""

    def resolve(self, name: str) -> str | None:
        """The AGS of the town ``name`` means, or None."""

    def explain(self, name: str) -> str:
        """Why ``name`` is not a town of the region (German message)."""

    def variant(self, name: str, ags: str) -> str | None:
        """A warning when ``name`` is a variant spelling of the town ``ags``, else None."""


class TownSource(Protocol):
    """What the check needs from the gazetteer."""

    def load(self, kreis: str) -> gpd.GeoDataFrame:
        """The towns of ``kreis``; raises GazetteerError for an unknown Kreis."""

    def resolver(self, towns: gpd.GeoDataFrame, region: Region) -> TownLookup:
        """A resolver of town names against ``towns``."""


@dataclass(frozen=True)
class CheckedRegistry:
    """The registry after all checks that need no coordinates.

    ``partners`` holds only the partners without errors; ``positions`` gives
    each one's index in the file, ``town_ags`` its declared town and
    ``serves`` the AGS of the towns it serves.
    """

    file: str
    region: Region | None
    categories: dict[str, CategoryInfo]
    targets: dict[str, Target]
    towns: gpd.GeoDataFrame | None
    partners: tuple[Partner, ...]
    positions: tuple[int, ...]
    town_ags: tuple[str, ...]
    serves: tuple[tuple[str, ...], ...]
    serves_all: tuple[bool, ...]
    issues: tuple[Issue, ...]
    locator: YamlLocator = field(repr=False, compare=False)
    # the registry's ``search_synonyms`` (term → words), added to the package's vocabulary
    search_synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def report(self) -> ValidationReport:
        """The findings so far."""
        return ValidationReport(self.file).with_issues(self.issues)


class _Collector:
    """Collects issues and gives them their line numbers."""

    def __init__(self, file: str, locator: YamlLocator) -> None:
        self.file = file
        self.locator = locator
        self.issues: list[Issue] = []
        self.errors = 0  # how many of the issues are errors (warnings keep a partner)

    def add(self, loc: Loc, message: str, *, severity: str = "error") -> None:
        self.errors += severity == "error"
        self.issues.append(
            Issue(self.locator.line(loc), format_field_path(loc), message,
                  severity=severity, file=self.file)  # type: ignore[arg-type]
        )

    def add_pydantic(self, exc: ValidationError, prefix: Loc = ()) -> None:
        for error in exc.errors(include_url=False):
            loc = (*prefix, *error["loc"])
            self.add(loc, describe_pydantic_error(error))


def merge_categories(custom: dict[str, CategoryDef]) -> dict[str, CategoryInfo]:
    """Default categories plus (or overridden by) the registry's own."""
    merged = default_categories()
    for key, spec in custom.items():
        merged[key] = CategoryInfo(key, spec.label, spec.label_en or spec.label, spec.colour, spec.icon)
    return merged


def top_level_message(data: object) -> str:
    """What is wrong with a file whose top level is not a section (German)."""
    if data is None:
        return ("Die Datei ist leer oder enthält nur Kommentare; eine Registry braucht mindestens "
                "'region:' (mit name und kreis) und 'partners:'")
    return "Die Datei muss ein Abschnitt mit 'region:' und 'partners:' sein"


def check_registry(
    data: Any,
    *,
    file: str,
    locator: YamlLocator,
    today: dt.date,
    parse_issues: Sequence[Issue] = (),
    towns_source: TownSource,
) -> CheckedRegistry:
    """Check parsed registry data against the models and the gazetteer.

    ``towns_source`` gives the region's towns and resolves town names (the
    gazetteer, :class:`partnernetz.geo.towns.GazetteerTowns`; passed in so that
    the registry layer does not import the geo layer).

    Every problem is reported in one pass; partners with errors are left out
    of the result, the others are kept so later stages can check them too.
    """
    out = _Collector(file, locator)
    out.issues.extend(parse_issues)
    empty = CheckedRegistry(file, None, default_categories(), {}, None, (), (), (), (), (), (), locator)
    if data is None and parse_issues:
        return _replace_issues(empty, out.issues)
    if not isinstance(data, dict):
        out.add((), top_level_message(data))
        return _replace_issues(empty, out.issues)

    try:
        registry = Registry.model_validate(data)
        region, custom, targets = registry.region, registry.categories, registry.targets
        partners = [(i, p, _refs_of(p)) for i, p in enumerate(registry.partners)]
        synonyms = {key: tuple(words) for key, words in registry.search_synonyms.items()}
    except ValidationError as exc:
        synonyms = {}
        out.add_pydantic(exc)
        region, custom, targets, partners = _validate_parts(data)

    categories = merge_categories(custom)
    for key in targets:
        if key not in categories:
            out.add(("targets", key), _unknown_category_message(key, categories))
    targets = {key: targets.get(key, Target()) for key in categories}

    if region is not None and region.logo:
        logo = Path(file).parent / region.logo
        if not logo.is_file():
            out.add(("region", "logo"), f"Logo-Datei „{region.logo}“ neben der Registry nicht "
                    "gefunden; der Bericht erscheint ohne Logo", severity="warning")
    towns = None
    if region is not None:
        try:
            towns = towns_source.load(region.kreis)
        except GazetteerError as exc:
            out.add(("region", "kreis"), str(exc))
    if towns is None or region is None:
        return CheckedRegistry(
            file, region, categories, targets, towns, (), (), (), (), (), tuple(out.issues), locator
        )

    kept: list[Partner] = []
    positions: list[int] = []
    town_ags: list[str] = []
    serves: list[tuple[str, ...]] = []
    serves_all: list[bool] = []
    resolver = towns_source.resolver(towns, region)
    first_seen: dict[str, int] = {}
    all_ags = tuple(towns["ags"])
    for index, partner, refs in partners:
        loc: Loc = ("partners", index)
        errors_before = out.errors
        if refs.id is not None:
            if refs.id in first_seen:
                other = locator.line(("partners", first_seen[refs.id]))
                out.add((*loc, "id"), f"doppelte id '{refs.id}' (schon in Zeile {other} vergeben)")
            else:
                first_seen[refs.id] = index
        if refs.category is not None and refs.category not in categories:
            out.add((*loc, "category"), _unknown_category_message(refs.category, categories))
        ags = resolver.resolve(refs.town) if refs.town is not None else None
        if ags is None and refs.town is not None:
            out.add((*loc, "town"), resolver.explain(refs.town))
        elif ags is not None and (variant := resolver.variant(refs.town, ags)):
            out.add((*loc, "town"), variant, severity="warning")
        served: tuple[str, ...] = (ags,) if ags else ()
        if refs.serves == "all":
            served = all_ags
        elif refs.serves:
            resolved = []
            for j, name in enumerate(refs.serves):
                s_ags = resolver.resolve(name)
                if s_ags is None:
                    out.add((*loc, "serves", j), resolver.explain(name))
                else:
                    if variant := resolver.variant(name, s_ags):
                        out.add((*loc, "serves", j), variant, severity="warning")
                    resolved.append(s_ags)
            served = tuple(dict.fromkeys(resolved))
        if refs.verified is not None and refs.verified > today:
            out.add(
                (*loc, "verified"),
                f"Prüfdatum {refs.verified:%d.%m.%Y} liegt in der Zukunft "
                f"(heute ist der {today:%d.%m.%Y})",
            )
        if partner is not None and out.errors == errors_before:
            kept.append(partner)
            positions.append(index)
            town_ags.append(ags)  # type: ignore[arg-type]
            serves.append(served)
            serves_all.append(refs.serves == "all")
    return CheckedRegistry(
        file, region, categories, targets, towns, tuple(kept), tuple(positions), tuple(town_ags),
        tuple(serves), tuple(serves_all), tuple(out.issues), locator, search_synonyms=synonyms,
    )


def _replace_issues(checked: CheckedRegistry, issues: list[Issue]) -> CheckedRegistry:
    return CheckedRegistry(
        checked.file, checked.region, checked.categories, checked.targets, checked.towns,
        checked.partners, checked.positions, checked.town_ags, checked.serves, checked.serves_all,
        tuple(issues), checked.locator,
    )


def _validate_parts(
    data: dict,
) -> tuple[Region | None, dict[str, CategoryDef], dict[str, Target], list[_Entry]]:
    """Validate the sections one by one after the whole file failed.

    The errors themselves were reported already; this only recovers the parts
    that are fine.
    """
    region = _try(Region, data.get("region"))
    custom: dict[str, CategoryDef] = _valid_entries(data.get("categories"), CategoryDef)
    targets: dict[str, Target] = _valid_entries(data.get("targets"), Target)
    partners: list[_Entry] = []
    raw = data.get("partners")
    if isinstance(raw, list):
        for index, item in enumerate(raw):
            parsed = _try(Partner, item)
            if parsed is not None:
                partners.append((index, parsed, _refs_of(parsed)))
            elif isinstance(item, dict):
                partners.append((index, None, _raw_refs(item)))
    return region, custom, targets, partners


class _Refs(NamedTuple):
    """The fields of a partner that the semantic checks look at."""

    id: str | None
    category: str | None
    town: str | None
    serves: list[str] | str | None
    verified: dt.date | None


_Entry = tuple[int, Partner | None, _Refs]


def _refs_of(partner: Partner) -> _Refs:
    return _Refs(partner.id, partner.category, partner.town, partner.serves, partner.verified)


def _raw_refs(item: dict) -> _Refs:
    """References of a partner that failed validation, where they are usable.

    Its other problems are still worth reporting in the same pass (an
    unknown town next to a bad e-mail address).
    """
    def text(key: str) -> str | None:
        value = item.get(key)
        return value.strip() if isinstance(value, str) and value.strip() else None

    serves = item.get("serves")
    if not (serves == "all" or (isinstance(serves, list) and all(isinstance(s, str) for s in serves))):
        serves = None
    verified = item.get("verified")
    if not isinstance(verified, dt.date) or isinstance(verified, dt.datetime):
        verified = None
    return _Refs(text("id"), text("category"), text("town"), serves, verified)


def _valid_entries(section: Any, model: type) -> dict[str, Any]:
    """The entries of a ``key: {…}`` section that validate as ``model``."""
    if not isinstance(section, dict):
        return {}
    parsed = {key: _try(model, spec) for key, spec in section.items() if isinstance(key, str)}
    return {key: value for key, value in parsed.items() if value is not None}


def _try(model: type, value: Any) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError:
        return None


def _unknown_category_message(key: str, categories: dict[str, CategoryInfo]) -> str:
    hint = difflib.get_close_matches(key, list(categories), n=1, cutoff=0.6)
    known = ", ".join(categories)
    message = f"unbekannte Kategorie '{key}'"
    if hint:
        message += f" – meinten Sie {hint[0]}?"
    return f"{message} (bekannt: {known}; eigene Kategorien im Abschnitt categories: anlegen)"
