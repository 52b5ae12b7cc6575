"""The HSDS tabular package and the vCard export are formula-safe like CSV and XLSX
(issue 17 §7b): no cell or value starts a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest

from partnernetz.dataset import load_dataset
from partnernetz.exchange import hsds
from partnernetz.exchange.export import FORMULA_PREFIXES, directory_vcf

EVIL = """\
- id: evil
  name: "=HYPERLINK(\\"http://evil.example\\", \\"klick\\")"
  category: beratung
  operator: "@SUM(A1:A9)"
  description: "+1 Angebot"
  town: Höxter
  address: {street: "-2+3 Weg 1", postcode: "37671"}
  offers: ["=cmd|' /C calc'!A0", Sprachförderung]
  phone: "05271 12345"
  website: "https://example.org/=x"
  opening_hours: "@Mo 8-12"
  contacts:
    - {name: "=1+1", role: "-Leitung", visibility: public, phone: "+49 5271 1"}
- id: normal
  name: Beratungsstelle Höxter
  category: beratung
  town: Höxter
  phone: "+49 5271 12345"
"""


@pytest.fixture
def dataset(write_registry):
    return load_dataset(write_registry(EVIL))


def test_hsds_csv_package_has_no_formula_cells(dataset):
    data = hsds.hsds_datapackage_zip(dataset)
    cells = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))
                cells += [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\", \"klick\")" in cells
    assert "'=1+1" in cells and "'-Leitung" in cells  # a contact's name and title
    assert "'-2+3 Weg 1" in cells and "'@Mo 8-12" in cells
    assert "+49 5271 12345" in cells  # a phone number in international form keeps its +
    offenders = [c for c in cells if c.startswith(FORMULA_PREFIXES)
                 and not re.fullmatch(r"-?\d+(\.\d+)?|\+[\d ]+", c)]  # numbers, phone numbers
    assert offenders == []


def _values(vcf: str) -> list[tuple[str, str]]:
    """(property, component) of every unfolded content line, split at unescaped ; and ,."""
    out = []
    for line in vcf.replace("\r\n ", "").split("\r\n"):
        if ":" not in line:
            continue
        prop, value = line.split(":", 1)
        out += [(prop, part) for part in re.split(r"(?<!\\)[;,]", value)]
    return out


def test_vcard_values_never_start_a_formula(dataset):
    vcf = directory_vcf(dataset.partners, dataset.categories).decode("utf-8")
    values = _values(vcf)
    assert ("FN", "'=HYPERLINK(\"http://evil.example\"\\, \"klick\")") in values
    assert ("ORG", "'@SUM(A1:A9)") in values
    assert ("NOTE", "'=1+1") not in values and any("=cmd|" in v for _, v in values)
    assert ("TEL;TYPE=WORK,VOICE", "+49 5271 12345") in values  # a phone number keeps its +
    offenders = [(p, v) for p, v in values if v.startswith(FORMULA_PREFIXES)
                 and not (p.startswith("TEL") and re.fullmatch(r"\+[\d ]+", v))]
    assert offenders == []
