"""``python -m partnernetz coverage|report``: formats, exit codes, never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "partners.yaml"
COLUMNS = ["ags", "town", "category", "located", "reachable", "per_10k", "status", "nearest_km"]

ONE_KITA = """\
- id: kita-a
  name: Kita A
  category: kita
  town: Brakel
  location: {lat: 51.7170, lon: 9.1850}
- id: kita-b-geplant
  name: Kita B
  category: kita
  town: Brakel
  status: planned
"""

FORMULA_HEADER = """\
region:
  name: Kreis Höxter
  kreis: "05762"
categories:
  dolmetsch:
    label: "=HYPERLINK(\\"https://example.org\\")"
    label_en: "+cmd"
    colour: "#123456"
partners:
"""


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "PARTNERNETZ_CACHE_DIR": "off", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "partnernetz", *args], capture_output=True,
                          cwd=ROOT, env=env, timeout=180, check=False)


def read_excel_csv(data: bytes) -> pd.DataFrame:
    assert data.startswith("\ufeff".encode())  # BOM, so that Excel reads UTF-8
    return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig",
                       dtype={"ags": str}, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def demo_csv() -> pd.DataFrame:
    result = run_cli("coverage", str(DEMO), "--format", "csv")
    assert result.returncode == 0, result.stderr.decode()
    return read_excel_csv(result.stdout)


def test_coverage_csv_has_one_row_per_town_and_category_on_demo(demo_csv):
    assert list(demo_csv.columns[:3]) == ["ags", "town", "category"]
    assert set(COLUMNS) <= set(demo_csv.columns)
    assert len(demo_csv) == 10 * 7
    assert demo_csv["ags"].str.fullmatch(r"\d{8}").all()
    assert set(demo_csv["status"]) <= {"green", "yellow", "red"}


def test_coverage_csv_marks_the_demo_white_spots_red(demo_csv):
    red = demo_csv[demo_csv["status"] == "red"]
    assert sorted(zip(red["town"], red["category"], strict=True)) == [
        ("Borgentreich", "einrichtung"),
        ("Marienmünster", "beratung"),
        ("Nieheim", "einrichtung"),
        ("Willebadessen", "ehrenamt"),
    ]
    mm = demo_csv[(demo_csv["town"] == "Marienmünster") & (demo_csv["category"] == "beratung")]
    assert mm["planned"].item() == 1
    assert mm["reachable"].item() == 0
    assert mm["nearest_km"].item() > 0
    assert pd.api.types.is_float_dtype(demo_csv["nearest_km"])  # numbers stay numbers


def test_coverage_csv_leaves_nearest_km_empty_when_category_has_no_partner(write_registry):
    result = run_cli("coverage", str(write_registry(ONE_KITA)), "--format", "csv")
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode("utf-8-sig")
    table = read_excel_csv(result.stdout)
    schule = table[table["category"] == "schule"]
    assert schule["nearest_km"].isna().all()
    assert (schule["status"] == "red").all()
    line = next(row for row in text.splitlines() if row.startswith("05762016;Brakel;schule;"))
    assert ";red;;" in line  # empty nearest_km and nearest_town
    kita = table[(table["category"] == "kita") & (table["town"] == "Brakel")]
    assert kita["located"].item() == 1


def test_coverage_csv_neutralises_formula_cells(write_registry):
    registry = write_registry(ONE_KITA, header=FORMULA_HEADER)
    result = run_cli("coverage", str(registry), "--format", "csv")
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode("utf-8-sig").splitlines()
    labels = [line.split(";")[3] for line in lines if ";dolmetsch;" in line]
    assert labels
    assert all(label.startswith("\"'=HYPERLINK(") for label in labels)  # quoted by csv
    for line in lines:
        for cell in line.split(";"):
            assert not cell.lstrip('"').startswith(("=", "+", "@")), line


def test_coverage_json_is_a_list_of_rows_with_null_for_none(write_registry):
    result = run_cli("coverage", str(write_registry(ONE_KITA)), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    rows = json.loads(result.stdout.decode("utf-8"))
    assert len(rows) == 10 * 7
    assert set(COLUMNS) <= set(rows[0])
    schule = next(r for r in rows if r["town"] == "Brakel" and r["category"] == "schule")
    assert schule["nearest_km"] is None
    assert schule["status"] == "red"
    kita = next(r for r in rows if r["town"] == "Brakel" and r["category"] == "kita")
    assert kita["reachable"] == 1
    assert isinstance(kita["per_10k"], float)


def test_coverage_xlsx_writes_workbook_to_output_file(tmp_path):
    out = tmp_path / "abdeckung.xlsx"
    result = run_cli("coverage", str(DEMO), "--format", "xlsx", "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert set(COLUMNS) <= set(header)
    assert sheet.max_row == 1 + 70
    row = [c.value for c in sheet[2]]
    assert row[header.index("ags")] == "05762004"  # text keeps its leading zero
    assert isinstance(row[header.index("reachable")], int)


def test_coverage_xlsx_without_output_exits_2():
    result = run_cli("coverage", str(DEMO), "--format", "xlsx")
    assert result.returncode == 2
    assert b"-o" in result.stderr
    assert b"Traceback" not in result.stderr


def test_coverage_exits_1_when_registry_is_invalid(write_registry):
    result = run_cli("coverage", str(write_registry(ONE_KITA.replace("Brakel", "Brakl", 1))))
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr


def test_coverage_exits_2_when_file_is_missing(tmp_path):
    result = run_cli("coverage", str(tmp_path / "fehlt.yaml"))
    assert result.returncode == 2
    assert "nicht gefunden" in result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_coverage_exits_2_on_unknown_format():
    result = run_cli("coverage", str(DEMO), "--format", "pdf")
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr


def test_report_writes_kreis_pdf_naming_every_town(tmp_path):
    out = tmp_path / "bericht.pdf"
    result = run_cli("report", str(DEMO), "-o", str(out), "--today", "2026-11-21")
    assert result.returncode == 0, result.stderr.decode()
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 4
    for town in ("Bad Driburg", "Beverungen", "Borgentreich", "Brakel", "Höxter",
                 "Marienmünster", "Nieheim", "Steinheim", "Warburg", "Willebadessen"):
        assert town in text
    assert "21.11.2026" in text


def test_report_with_town_writes_one_page_steckbrief(tmp_path):
    out = tmp_path / "brakel.pdf"
    result = run_cli("report", str(DEMO), "-o", str(out), "--town", "Brakel")
    assert result.returncode == 0, result.stderr.decode()
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    assert "Steckbrief: Brakel" in reader.pages[0].extract_text()


def test_report_unknown_town_exits_2_and_writes_nothing(tmp_path):
    out = tmp_path / "x.pdf"
    result = run_cli("report", str(DEMO), "-o", str(out), "--town", "Paderborn")
    assert result.returncode == 2
    assert "Ort „Paderborn“ gibt es in dieser Region nicht" in result.stderr.decode()
    assert b"Traceback" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_report_without_output_exits_2():
    result = run_cli("report", str(DEMO))
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr


def test_report_into_missing_directory_exits_2(tmp_path):
    result = run_cli("report", str(DEMO), "-o", str(tmp_path / "nope" / "b.pdf"))
    assert result.returncode == 2
    assert "gibt es nicht" in result.stderr.decode()
    assert b"Traceback" not in result.stderr
