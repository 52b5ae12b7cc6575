"""Official school data: the open data file of the Ministry for Schools (Schuldaten NRW).

Format: ``;``-separated, every field quoted, a trailing ``;``, sometimes a
first line ``sep=;``; coordinates ``UTMRechtswert``/``UTMHochwert`` in
EPSG:25832. Only schools with ``Schulbetriebsschluessel`` 1 are in operation.
Licence: Datenlizenz Deutschland – Namensnennung – 2.0; the attribution
:data:`ATTRIBUTION` goes with the data (dataset attribution, exports, the
history entry of the import).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import geopandas as gpd
from pyproj import Transformer

from partnernetz.dataset import SCHOOL_DATA_ATTRIBUTION
from partnernetz.errors import ImportFileError
from partnernetz.exchange.entries import fix_key_digits, join_phone
from partnernetz.exchange.imports import Candidate
from partnernetz.exchange.sources import SourceTable
from partnernetz.i18n import t

ATTRIBUTION = SCHOOL_DATA_ATTRIBUTION
REQUIRED_COLUMNS = ("Schulnummer", "Schulform", "Schulbezeichnung_1", "Gemeindeschluessel",
                    "Schulbetriebsschluessel", "UTMRechtswert", "UTMHochwert")
IN_OPERATION = "1"

SCHULFORM_CODES = ("02", "04", "08", "10", "14", "15", "20", "25", "30")
# Schulform code → the German name written as the entry's subtype (names in the i18n catalog).
SCHULFORMEN: dict[str, str] = {code: t(f"msb.schulform.{code}", "de") for code in SCHULFORM_CODES}
TRANSITION_FORMS = frozenset({"30"})


@cache
def _to_wgs84(epsg: str) -> Transformer:
    return Transformer.from_crs(epsg, "EPSG:4326", always_xy=True)


def is_msb_table(table: SourceTable) -> bool:
    """Whether a table has the columns of the MSB file."""
    return all(column in table.headers for column in REQUIRED_COLUMNS)


@dataclass(frozen=True)
class SchoolRows:
    """The MSB file read for one region."""

    candidates: tuple[Candidate, ...]
    closed: tuple[str, ...]  # Schulnummern in the file that are not in operation
    in_file: tuple[str, ...]  # every Schulnummer of the region in the file


def school_candidates(table: SourceTable, *, kreis: str, towns: gpd.GeoDataFrame) -> SchoolRows:
    """Every row of the MSB file as a candidate for a registry of ``kreis``.

    Rows of other Kreise and schools not in operation are accounted for as
    ``filtered`` (with the reason), never silently dropped.

    Raises
    ------
    ImportFileError
        The table lacks the MSB columns.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in table.headers]
    if missing:
        raise ImportFileError(
            f"{table.file}: keine Schuldaten-NRW-Datei (es fehlen die Spalten {', '.join(missing)})"
        )
    names = dict(zip(towns["ags"], towns["name"], strict=True))
    out: list[Candidate] = []
    closed: list[str] = []
    in_file: list[str] = []
    for number, record in zip(table.row_numbers, table.records(), strict=True):
        ags = fix_key_digits(record.get("Gemeindeschluessel", ""), 8)
        label = record.get("Schulbezeichnung_1", "")
        school = fix_key_digits(record.get("Schulnummer", ""), 6)
        if not ags.startswith(kreis):
            out.append(Candidate(number, None, label=label,
                                 filtered=f"Gemeindeschlüssel {ags} liegt nicht im Kreis {kreis}"))
            continue
        in_file.append(school)
        status = record.get("Schulbetriebsschluessel", "").strip()
        if status != IN_OPERATION:
            closed.append(school)
            out.append(Candidate(number, None, label=label,
                                 filtered=f"nicht in Betrieb (Schulbetriebsschlüssel {status})"))
            continue
        entry, reasons = school_entry(record, town=names.get(ags))
        out.append(Candidate(number, entry, tuple(reasons), label=label))
    return SchoolRows(tuple(out), tuple(closed), tuple(in_file))


def school_entry(record: Mapping[str, str], *, town: str | None) -> tuple[dict[str, Any] | None,
                                                                            list[str]]:
    """The registry entry of one school, or the reasons it cannot be one."""
    reasons: list[str] = []
    school = fix_key_digits(record.get("Schulnummer", ""), 6)
    if not school.isdigit():
        reasons.append(f"Schulnummer '{school}' ist keine Zahl")
    if town is None:
        reasons.append(f"Gemeindeschlüssel {record.get('Gemeindeschluessel')} ist kein Ort der Region")
    name = record.get("Schulbezeichnung_1", "").strip()
    if not name:
        reasons.append("Schulbezeichnung_1 fehlt")
    location = official_location(record)
    if location is None:
        reasons.append("Koordinaten UTMRechtswert/UTMHochwert fehlen oder sind keine Zahlen")
    if reasons:
        return None, reasons
    code = record.get("Schulform", "").strip()
    code = code.zfill(2) if code.isdigit() else code
    entry: dict[str, Any] = {
        "name": name,
        "category": "schule",
        "subtype": SCHULFORMEN.get(code, code) or None,
        "town": town,
        "address": _drop_empty({
            "street": record.get("Strasse", "").strip() or None,
            "postcode": fix_key_digits(record.get("PLZ", ""), 5) or None,
        }),
        "location": location,
        "stages": ["uebergang" if code in TRANSITION_FORMS else "schule"],
        "phone": join_phone(record.get("Telefonvorwahl"), record.get("Telefon")),
        "email": record.get("E-Mail", "").strip() or None,
        "website": record.get("Homepage", "").strip() or None,
        "identifiers": {"schulnummer": school},
    }
    description = " ".join(
        part.strip() for part in (record.get("Schulbezeichnung_2", ""),
                                  record.get("Schulbezeichnung_3", "")) if part.strip()
    )
    if description:
        entry["description"] = description
    return _drop_empty(entry), []


def official_location(record: Mapping[str, str]) -> dict[str, float] | None:
    """The school's official point, converted from EPSG:25832 (or the file's EPSG)."""
    try:
        east = float(record.get("UTMRechtswert", "").replace(",", "."))
        north = float(record.get("UTMHochwert", "").replace(",", "."))
    except ValueError:
        return None
    epsg = (record.get("EPSG") or "EPSG:25832").strip() or "EPSG:25832"
    lon, lat = _to_wgs84(epsg).transform(east, north)
    return {"lat": round(lat, 6), "lon": round(lon, 6)}


def retirement_list(rows: SchoolRows, registry_schools: Mapping[str, str]) -> list[tuple[str, str]]:
    """Partners to retire: their school is closed, or gone from the file.

    Parameters
    ----------
    rows
        The file read for the registry's region.
    registry_schools
        Schulnummer → partner id, for the registry's partners.

    Returns
    -------
    list of (partner id, German reason); nothing is deleted or changed.
    """
    present = set(rows.in_file)
    closed = set(rows.closed)
    out = []
    for school, pid in sorted(registry_schools.items()):
        if school in closed:
            out.append((pid, f"Schulnummer {school}: laut Schuldaten nicht mehr in Betrieb"))
        elif school not in present:
            out.append((pid, f"Schulnummer {school}: nicht mehr in den Schuldaten"))
    return out


def _drop_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {})}


def schools_of(records: Sequence[Any]) -> dict[str, str]:
    """Schulnummer → partner id of match records that carry one."""
    return {r.schulnummer: str(r.key) for r in records if r.schulnummer}
