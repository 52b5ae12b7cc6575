"""Directory downloads: CSV for Excel, XLSX, vCard; formula-injection safe."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from partnernetz.access import Role
from partnernetz.dataset import dataset_for_role, load_dataset
from partnernetz.exchange.export import (
    directory_csv,
    directory_table,
    directory_vcf,
    directory_xlsx,
    neutralise_cell,
    to_csv_bytes,
)
from tests.conftest import DEMO_HX

EVIL = """\
- id: evil
  name: "=HYPERLINK(\\"http://evil.example\\", \\"klick\\")"
  category: beratung
  operator: "@SUM(A1:A9)"
  description: "+1 Angebot; mit Semikolon, Komma und \\"Anführung\\""
  town: Höxter
  offers: ["-2+3", Sprachförderung]
  phone: "05271 12345"
  email: evil@example.org
- id: normal
  name: Beratungsstelle Höxter – Äöü ß
  category: beratung
  town: Höxter
  languages: [de, ar, uk]
  contacts:
    - {name: Mara Beispiel, role: Leitung, visibility: public, phone: "05271 1"}
    - {name: Geheim, role: intern}
"""


@pytest.fixture
def partners_and_categories(write_registry):
    dataset = dataset_for_role(load_dataset(write_registry(EVIL)), Role.PUBLIC)
    return dataset.partners, dataset.categories


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_neutralise_cell_prefixes_formula_starts(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Kita", "05271 1", 12, 3.5, None])
def test_neutralise_cell_keeps_harmless_values(value):
    assert neutralise_cell(value) == value


def test_csv_is_excel_friendly_and_safe(partners_and_categories):
    partners, categories = partners_and_categories
    data = directory_csv(partners, categories)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    first, _, body = text.partition("\r\n")
    assert first == "# Partnernetz – öffentlich: nur öffentliche Kontaktdaten"
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    by_id = {row["ID"]: row for row in rows}
    assert by_id["evil"]["Name"].startswith("'=HYPERLINK")
    assert by_id["evil"]["Träger"] == "'@SUM(A1:A9)"
    assert by_id["evil"]["Angebote"] == "'-2+3, Sprachförderung"
    assert by_id["normal"]["Name"] == "Beratungsstelle Höxter – Äöü ß"
    assert by_id["normal"]["Sprachen"] == "Deutsch, Arabisch, Ukrainisch"
    assert "Geheim" not in text
    assert "\r\n" in text


def test_csv_keeps_numbers_numeric():
    data = to_csv_bytes(pd.DataFrame({"Ort": ["Brakel"], "je 10.000": [1.25], "Anzahl": [-3]}))
    assert data.decode("utf-8-sig").splitlines()[1] == "Brakel;1,25;-3"


def test_xlsx_has_no_formula_cells(partners_and_categories):
    partners, categories = partners_and_categories
    workbook = load_workbook(io.BytesIO(directory_xlsx(partners, categories)))
    sheet = workbook["Partner"]
    values = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in values)
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("ID")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["evil"][header.index("Name")].startswith("'=HYPERLINK")
    assert rows["normal"][header.index("Name")] == "Beratungsstelle Höxter – Äöü ß"


def test_vcard_one_card_per_partner_escaped(partners_and_categories):
    partners, categories = partners_and_categories
    text = directory_vcf(partners, categories).decode("utf-8")
    assert text.count("BEGIN:VCARD") == 2 == text.count("END:VCARD")
    assert "FN:Beratungsstelle Höxter – Äöü ß" in text
    unfolded = text.replace("\r\n ", "")
    assert "mit Semikolon\\, Komma" not in unfolded  # description is not exported
    assert "TEL;TYPE=WORK,VOICE:05271 12345" in unfolded
    assert "Ansprechperson: Mara Beispiel\\, Leitung\\, 05271 1" in unfolded
    assert "Geheim" not in unfolded
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_directory_table_on_demo_has_readable_columns():
    dataset = load_dataset(DEMO_HX)
    table = directory_table(dataset.partners, dataset.categories)
    assert {"Name", "Kategorie", "Ort", "Telefon", "E-Mail", "Website", "Sprachen"} <= set(table.columns)
    assert len(table) == len(dataset.partners)
    english = directory_table(dataset.partners, dataset.categories, lang="en")
    assert {"Category", "Town", "Languages"} <= set(english.columns)


SERVES = """\
- id: jmd
  name: Jugendmigrationsdienst Höxter
  category: beratung
  town: Höxter
  serves: [Höxter, Brakel, Nieheim]
- id: amt
  name: Ausländerbehörde
  category: verwaltung
  town: Höxter
  serves: all
- id: kita
  name: Kita Brakel
  category: kita
  town: Brakel
"""


@pytest.fixture
def serving(write_registry):
    dataset = load_dataset(write_registry(SERVES))
    return dataset.partners, dataset.categories


def test_directory_says_who_serves_which_town(serving):
    partners, categories = serving
    table = directory_table(partners, categories).set_index("Name")
    assert table.loc["Jugendmigrationsdienst Höxter", "Zuständig für"] == "Höxter, Brakel, Nieheim"
    assert table.loc["Ausländerbehörde", "Zuständig für"] == "ganzer Kreis"
    assert table.loc["Kita Brakel", "Zuständig für"] == "Brakel"
    english = directory_table(partners, categories, lang="en").set_index("Name")
    assert english.loc["Ausländerbehörde", "Responsible for"] == "whole Kreis"


def test_csv_xlsx_and_vcard_carry_serves(serving):
    partners, categories = serving
    lines = directory_csv(partners, categories).decode("utf-8-sig").splitlines()[1:]  # after the scope line
    rows = list(csv.DictReader(lines, delimiter=";"))
    assert rows[0]["Zuständig für"] == "Höxter, Brakel, Nieheim"
    sheet = load_workbook(io.BytesIO(directory_xlsx(partners, categories)))["Partner"]
    header = [c.value for c in sheet[1]]
    column = header.index("Zuständig für")
    assert [r[column].value for r in sheet.iter_rows(min_row=2)] == [
        "Höxter, Brakel, Nieheim", "ganzer Kreis", "Brakel"]
    vcf = directory_vcf(partners, categories).decode("utf-8").replace("\r\n ", "")
    assert "Zuständig für: Höxter\\, Brakel\\, Nieheim" in vcf


def test_directory_has_no_none_and_keeps_dates(serving):
    partners, categories = serving
    table = directory_table(partners, categories)
    text_columns = [c for c in table.columns if c != "Zuletzt geprüft"]
    assert not table[text_columns].isna().any().any()
    assert "None" not in table[text_columns].astype(str).to_numpy()


def test_directory_marks_partners_listed_because_they_serve_the_town(serving):
    from partnernetz.filters import FilterSpec, apply_filters, serving_only

    partners, categories = serving
    spec = FilterSpec(towns=("05762016",), include_serving=True)
    shown = apply_filters(partners, spec)
    table = directory_table(shown, categories, serving_only=serving_only(shown, spec))
    assert dict(zip(table["Name"], table["Bezug zum Ort"], strict=True)) == {
        "Jugendmigrationsdienst Höxter": "zuständig, nicht im Ort",
        "Ausländerbehörde": "zuständig, nicht im Ort",
        "Kita Brakel": "im Ort",
    }
