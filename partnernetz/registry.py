"""Reading and checking the registry file.

The happy path is fast: libyaml parses, pydantic validates the whole file in
one call, and semantic checks resolve each distinct town name once. Only when
something is wrong is the YAML composed a second time to find line numbers.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import ryaml
import yaml
from pydantic import ValidationError

from partnernetz import gazetteer
from partnernetz.errors import GazetteerError, RegistryFileError
from partnernetz.models import CategoryDef, Partner, Region, Registry, Target
from partnernetz.validation import (
    Issue,
    ValidationReport,
    describe_pydantic_error,
    format_field_path,
)
from partnernetz.vocabulary import CategoryInfo, default_categories

Loc = tuple[str | int, ...]


# --------------------------------------------------------------------------- reading


def read_registry_text(path: str | Path) -> str:
    """Read the registry file as UTF-8 text.

    Raises
    ------
    RegistryFileError
        When the file is missing, unreadable, binary or not UTF-8.
    """
    path = Path(path)
    if not path.exists():
        message = f"{path}: Datei nicht gefunden"
        raise RegistryFileError(message)
    if path.is_dir():
        message = f"{path}: ist ein Ordner, keine Registry-Datei"
        raise RegistryFileError(message)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        message = f"{path}: Datei kann nicht gelesen werden ({exc.strerror})"
        raise RegistryFileError(message) from None
    if b"\x00" in raw[:4096]:
        message = f"{path}: ist keine Textdatei (YAML erwartet)"
        raise RegistryFileError(message)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"{path}:{line}: Datei ist nicht UTF-8-kodiert (bitte als UTF-8 speichern)"
        raise RegistryFileError(message) from None


# Tags (reported as errors) and merge keys (applied) are left to libyaml.
_NEEDS_LIBYAML = re.compile(r"(?:^|[\s\[{,])!|<<", re.MULTILINE)
_LEADING_ZERO = re.compile(r"^0[0-9]+$")
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Loader(yaml.CSafeLoader):
    """libyaml's safe loader, made fast for large registries.

    libyaml composes the node tree in C. Two things of the stock loader are
    slow in Python and replaced here: tag resolution of plain scalars (most
    can only be strings, judged by their first character) and the
    generator-based construction. Duplicate keys are reported on the way.
    """

    _IMPLICIT_FIRST = frozenset(yaml.CSafeLoader.yaml_implicit_resolvers)

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, int, str]] = []
        self._built: dict[int, Any] = {}
        self._building: set[int] = set()
        self._plain_tags: dict[str, str] = {}

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            if (value and value[0] not in self._IMPLICIT_FIRST) or _LEADING_ZERO.match(value):
                return _STR_TAG  # keys like 05762 stay text, never YAML 1.1 octal numbers
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = self._plain_tags[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)

    def build(self, node: yaml.Node) -> Any:
        """Plain Python data for ``node``; shared (anchored) nodes are built once."""
        key = id(node)
        if key in self._built:
            return self._built[key]
        if isinstance(node, yaml.ScalarNode):
            return node.value if node.tag == _STR_TAG else self.construct_object(node)
        if node.tag not in (_MAP_TAG, _SEQ_TAG) or key in self._building:
            return self.construct_object(node, deep=True)  # custom tags, recursion: stock path
        self._building.add(key)
        if isinstance(node, yaml.SequenceNode):
            value: Any = [self.build(child) for child in node.value]
        else:
            value = self._build_mapping(node)
        self._building.discard(key)
        self._built[key] = value
        return value

    def _build_mapping(self, node: yaml.MappingNode) -> Any:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                return self.construct_object(node, deep=True)
            key = self.build(key_node)
            if key in out:
                mark = key_node.start_mark
                self.duplicates.append((mark.line + 1, mark.column + 1, str(key)))
            try:
                out[key] = self.build(value_node)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "found unhashable key", key_node.start_mark
                ) from None
        return out


def parse_yaml(text: str, *, file: str) -> tuple[Any, list[Issue]]:
    """Parse YAML safely; syntax errors and duplicate keys become issues.

    The registry is read as YAML 1.2, as editors with yaml-language-server
    read it (``yes`` is text; ``05762`` keeps its leading zero), by the Rust
    parser ``ryaml`` (serde_yaml), several times faster than libyaml's Python
    binding. Files with tags or merge keys, and files it rejects, are read by
    libyaml instead, which reports each problem with its line and column.
    Only plain data is built: a tag such as ``!!python/object`` is an error,
    never executed.

    Returns
    -------
    data, issues
        ``data`` is None when the text could not be parsed.
    """
    if not _NEEDS_LIBYAML.search(text):
        try:
            return ryaml.loads(text), []
        except ryaml.InvalidYamlError:
            pass  # report it precisely below
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.build(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_error_issue(exc, file=file)]
    except yaml.YAMLError as exc:
        return None, [Issue(None, "", f"YAML-Fehler: {exc}", file=file)]
    except RecursionError:
        return None, [Issue(None, "", "YAML ist zu tief verschachtelt", file=file)]
    finally:
        loader.dispose()
    issues = [
        Issue(line, key, f"Schlüssel '{key}' kommt doppelt vor; der letzte Wert gilt",
              column=col, file=file)
        for line, col, key in loader.duplicates
    ]
    return data, issues


def _yaml_error_issue(exc: yaml.MarkedYAMLError, *, file: str) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or ""
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in problem:
        tag = problem.rsplit("tag", 1)[-1].strip(" '")
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        message = f"YAML-Tag '{tag}' ist nicht erlaubt; die Datei darf nur einfache Daten enthalten"
    else:
        detail = f"{problem} ({exc.context})" if exc.context else problem
        message = f"YAML-Syntaxfehler: {detail}"
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return Issue(line, "", message, column=column, file=file)


class YamlLocator:
    """Finds the line of a field path in YAML text; composes the text lazily."""

    def __init__(self, text: str) -> None:
        self._text = text

    @cached_property
    def _root(self) -> yaml.Node | None:
        try:
            return yaml.compose(self._text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            return None

    def line(self, loc: Loc) -> int | None:
        """1-based line of the deepest node on ``loc`` that exists."""
        node = self._root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in loc:
            child = None
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for key_node, value_node in node.value:
                    if key_node.value == part:
                        child, line = value_node, key_node.start_mark.line + 1
                        break
            elif (isinstance(node, yaml.SequenceNode) and isinstance(part, int)
                  and 0 <= part < len(node.value)):
                child = node.value[part]
                line = child.start_mark.line + 1
            if child is None:
                return line
            node = child
        return line


# --------------------------------------------------------------------------- checking


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


def check_registry(
    data: Any,
    *,
    file: str,
    locator: YamlLocator,
    today: dt.date,
    parse_issues: Sequence[Issue] = (),
    gazetteer_path: Path | None = None,
    population_path: Path | None = None,
) -> CheckedRegistry:
    """Check parsed registry data against the models and the gazetteer.

    Every problem is reported in one pass; partners with errors are left out
    of the result, the others are kept so later stages can check them too.
    """
    out = _Collector(file, locator)
    out.issues.extend(parse_issues)
    empty = CheckedRegistry(file, None, default_categories(), {}, None, (), (), (), (), (), (), locator)
    if data is None and parse_issues:
        return _replace_issues(empty, out.issues)
    if not isinstance(data, dict):
        out.add((), "Die Datei muss ein Abschnitt mit 'region:' und 'partners:' sein")
        return _replace_issues(empty, out.issues)

    try:
        registry = Registry.model_validate(data)
        region, custom, targets = registry.region, registry.categories, registry.targets
        partners = [(i, p, _refs_of(p)) for i, p in enumerate(registry.partners)]
    except ValidationError as exc:
        out.add_pydantic(exc)
        region, custom, targets, partners = _validate_parts(data)

    categories = merge_categories(custom)
    for key in targets:
        if key not in categories:
            out.add(("targets", key), _unknown_category_message(key, categories))
    targets = {key: targets.get(key, Target()) for key in categories}

    towns = None
    if region is not None:
        try:
            towns = _load_region_towns(region.kreis, gazetteer_path, population_path)
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
    resolver = _TownResolver(towns, region, gazetteer_path)
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
        tuple(serves), tuple(serves_all), tuple(out.issues), locator,
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


def _load_region_towns(
    kreis: str, gazetteer_path: Path | None, population_path: Path | None
) -> gpd.GeoDataFrame:
    kwargs: dict[str, Path] = {}
    if gazetteer_path is not None:
        kwargs["gazetteer_path"] = gazetteer_path
    if population_path is not None:
        kwargs["population_path"] = population_path
    return gazetteer.load_towns(kreis, **kwargs)


class _TownResolver:
    """Resolves town references once per distinct spelling."""

    def __init__(self, towns: gpd.GeoDataFrame, region: Region, gazetteer_path: Path | None) -> None:
        self.towns = towns
        self.region = region
        self.gazetteer_path = gazetteer_path
        self._cache: dict[str, str | None] = {}

    def resolve(self, name: str) -> str | None:
        if name not in self._cache:
            self._cache[name] = gazetteer.resolve_town(name, self.towns)
        return self._cache[name]

    def variant(self, name: str, ags: str) -> str | None:
        """The warning for a variant spelling of a town ("Hoxter" for Höxter), else None."""
        official = self._names[ags]
        if gazetteer.official_spelling(name, official):
            return None
        return f"Ort '{name}' als '{official}' erkannt – bitte amtliche Schreibweise verwenden"

    @cached_property
    def _names(self) -> dict[str, str]:
        return dict(zip(self.towns["ags"], self.towns["name"], strict=True))

    @cached_property
    def _all_nrw(self) -> gpd.GeoDataFrame:
        return _load_region_towns("nrw", self.gazetteer_path, None)

    def explain(self, name: str) -> str:
        """Why ``name`` is not a town of the region, with a suggestion."""
        all_nrw = self._all_nrw
        elsewhere = gazetteer.resolve_town(name, all_nrw)
        if elsewhere is not None:
            row = all_nrw.loc[all_nrw["ags"] == elsewhere].iloc[0]
            return (
                f"'{name}' ({row['name']}) liegt nicht in der Region {self.region.name}, "
                f"sondern im Kreis {row['kreis_name']}"
            )
        message = f"unbekannter Ort '{name}'"
        hint = gazetteer.suggest_town(name, self.towns)
        if hint:
            message += f" – meinten Sie {hint}?"
        return message
