"""Checking entries before they are written: as a form would save them, and the whole file.

An entry is checked with the registry's own models and checks against the
file's region, categories and towns (:class:`EntryContext`), and exact
coordinates must lie inside the region.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from partnernetz.errors import RegistryValidationError
from partnernetz.registry.check import TownSource, check_registry
from partnernetz.registry.layout import RegistryLayout, scan_layout
from partnernetz.registry.parse import YamlLocator, parse_yaml, read_registry_text
from partnernetz.registry.report import Issue, ValidationReport

__all__ = ["EntryContext", "full_check", "location_issues", "strip_index", "validate_entry"]

class EntryContext:
    """The parts of the registry that entry checks need: region, categories, towns."""

    def __init__(self, text: str, layout: RegistryLayout, *, file: str, towns_source: TownSource) -> None:
        outside = text[:layout.partners_key_line[0]] + text[layout.section_end:]
        data, issues = parse_yaml(outside, file=file)
        if not isinstance(data, dict):
            raise RegistryValidationError(ValidationReport(file).with_issues(issues))
        self.header = {key: data[key] for key in ("region", "categories", "targets") if key in data}
        self.file = file
        self.towns_source = towns_source

    def check(self, entries: Sequence[Mapping[str, Any]], *, today: dt.date) -> list[Issue]:
        """Errors of ``entries`` as if they were the registry's only partners."""
        data = {**self.header, "partners": [dict(e) for e in entries]}
        checked = check_registry(
            data, file=self.file, locator=NoLines(), today=today, towns_source=self.towns_source,
        )
        issues = [i for i in checked.issues if i.severity == "error"]
        if checked.towns is not None:
            issues.extend(location_issues(checked, file=self.file))
        return issues


class NoLines(YamlLocator):
    """Entry checks run on data that is not in the file yet: no line numbers."""

    def __init__(self) -> None:
        super().__init__("")

    def line(self, loc: Any) -> int | None:
        return None


def location_issues(checked: Any, *, file: str) -> list[Issue]:
    """Exact coordinates outside the region are errors (as in the dataset build)."""
    import shapely

    region = checked.towns.geometry.union_all()
    issues = []
    for partner, position in zip(checked.partners, checked.positions, strict=True):
        if partner.location is None:
            continue
        lat, lon = partner.location.lat, partner.location.lon
        if not shapely.contains_xy(region, lon, lat):
            message = (
                f"Koordinaten ({lat:.5f}, {lon:.5f}) liegen außerhalb der Region "
                f"{checked.region.name}"
            )
            if shapely.contains_xy(region, lat, lon):
                message += " – sind Breite (lat) und Länge (lon) vertauscht?"
            issues.append(Issue(None, f"partners[{position}].location", message, file=file))
    return issues


def validate_entry(
    path: str | Path,
    entry: Mapping[str, Any],
    *,
    towns_source: TownSource,
    partner_id: str | None = None,
    today: dt.date | None = None,
) -> list[Issue]:
    """Errors of one entry as a form would save it (nothing is written).

    ``partner_id`` is the id the entry had (None for a new partner); another
    partner with the entry's id is an error.
    """
    text = read_registry_text(path)
    layout = scan_layout(text, file=str(path))
    context = EntryContext(text, layout, file=str(path), towns_source=towns_source)
    issues = strip_index(context.check([entry], today=today or dt.date.today()))
    new_id = entry.get("id")
    if isinstance(new_id, str) and new_id != partner_id and new_id in layout.by_id():
        issues.append(Issue(None, "id", f"die id '{new_id}' ist schon vergeben", file=str(path)))
    return issues


def strip_index(issues: Iterable[Issue]) -> list[Issue]:
    """``partners[0].email`` → ``email``: the field of the entry itself."""
    out = []
    for issue in issues:
        name = issue.field
        if name.startswith("partners[0]"):
            name = name[len("partners[0]"):].lstrip(".")
        out.append(Issue(issue.line, name, issue.message, severity=issue.severity, file=issue.file))
    return out


def full_check(text: str, *, file: str, towns_source: TownSource, today: dt.date) -> ValidationReport:
    data, parse_issues = parse_yaml(text, file=file)
    checked = check_registry(
        data, file=file, locator=YamlLocator(text), today=today, parse_issues=parse_issues,
        towns_source=towns_source,
    )
    report = checked.report()
    if checked.towns is not None and checked.region is not None:
        report = report.with_issues(location_issues(checked, file=file))
    return report
