"""``python -m partnernetz coverage|report``: formats, exit codes, never a traceback."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import run_cli as run_cli_text

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "partners.yaml"
COLUMNS = ["ags", "town", "category", "located", "reachable", "per_10k", "status", "nearest_km"]



def run_cli(*args: str) -> subprocess.CompletedProcess:
    """The CLI with its output as bytes (CSV, XLSX, JSON are checked byte by byte)."""
    return run_cli_text(*args, text=False)


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


def read_plain_csv(data: bytes) -> pd.DataFrame:
    """The CLI's CSV as any CSV reader sees it: pandas defaults, no options but types."""
    return pd.read_csv(io.BytesIO(data), dtype={"ags": str}, keep_default_na=False,
                       na_values=[""])


@pytest.fixture(scope="module")
def demo_stdout() -> bytes:
    result = run_cli("coverage", str(DEMO), "--format", "csv")
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


@pytest.fixture(scope="module")
def demo_csv(demo_stdout) -> pd.DataFrame:
    return read_plain_csv(demo_stdout)


def test_coverage_csv_is_plain_machine_readable_csv_on_stdout(demo_stdout):
    assert not demo_stdout.startswith(b"\xef\xbb\xbf")  # no BOM
    text = demo_stdout.decode("utf-8")  # strict UTF-8
    assert "\r" not in text
    lines = text.splitlines()
    assert lines[0].startswith(",".join(COLUMNS) + ",")
    assert ";" not in lines[0]
    rows = list(csv.reader(lines))
    assert {len(row) for row in rows} == {len(rows[0])}
    per_10k = rows[0].index("per_10k")
    assert any(re.fullmatch(r"\d+\.\d+", row[per_10k]) for row in rows[1:])  # decimal point
    assert not any("," in row[per_10k] for row in rows[1:])


def test_coverage_csv_has_one_row_per_town_and_category_on_demo(demo_csv):
    assert list(demo_csv.columns[: len(COLUMNS)]) == COLUMNS
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
    text = result.stdout.decode("utf-8")
    table = read_plain_csv(result.stdout)
    schule = table[table["category"] == "schule"]
    assert schule["nearest_km"].isna().all()
    assert (schule["status"] == "red").all()
    line = next(row for row in text.splitlines() if row.startswith("05762016,Brakel,schule,"))
    assert line.startswith("05762016,Brakel,schule,0,0,0.0,red,,,")  # empty nearest_km and town
    kita = table[(table["category"] == "kita") & (table["town"] == "Brakel")]
    assert kita["located"].item() == 1


def test_coverage_csv_keeps_values_unchanged_and_quoted(write_registry):
    registry = write_registry(ONE_KITA, header=FORMULA_HEADER)
    result = run_cli("coverage", str(registry), "--format", "csv")
    assert result.returncode == 0, result.stderr.decode()
    table = read_plain_csv(result.stdout)
    labels = set(table.loc[table["category"] == "dolmetsch", "category_label"])
    assert labels == {'=HYPERLINK("https://example.org")'}  # machine CSV: the value as it is
    assert '"=HYPERLINK(""https://example.org"")"' in result.stdout.decode("utf-8")


def test_coverage_xlsx_neutralises_formula_cells(write_registry, tmp_path):
    registry = write_registry(ONE_KITA, header=FORMULA_HEADER)
    out = tmp_path / "abdeckung.xlsx"
    result = run_cli("coverage", str(registry), "--format", "xlsx", "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    column = header.index("category_label")
    labels = {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)
              if row[header.index("category")] == "dolmetsch"}
    assert labels == {"'=HYPERLINK(\"https://example.org\")"}


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
    assert 2 <= len(reader.pages) <= 4
    assert reader.trailer["/Root"]["/Lang"] == "de"  # a tagged PDF/UA report
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


def test_report_names_what_changed_since_the_last_report(tmp_path):
    import shutil

    from partnernetz.geo.towns import GazetteerTowns
    from partnernetz.registry import writer

    path = tmp_path / "partners.yaml"
    shutil.copyfile(DEMO, path)
    shutil.copytree(DEMO.parent / "logos", tmp_path / "logos")
    writer.apply_changes(path, [writer.RetirePartner("familienzentrum-maeuseburg-bad-driburg")],
                         base_hash=None, author="r@example.org", towns_source=GazetteerTowns())
    out = tmp_path / "bericht.pdf"
    before = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    result = run_cli("report", str(path), "-o", str(out), "--seit", before)
    assert result.returncode == 0, result.stderr.decode()
    first = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "Was sich seit" in first
    assert "1 Partner nicht mehr aktiv: Familienzentrum Mäuseburg" in first
    assert "Keine frühere Fassung" not in first
