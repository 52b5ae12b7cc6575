"""CLI outputs: special targets refused, ``-o -`` to stdout, failed writes keep the old file,
formula-safe CSV, a validated ``--delay`` and German argparse messages."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_files import OLD, tiny_tmpfs

GOOD = """\
- id: kita-a
  name: "=HYPERLINK(\\"http://example.org\\")"
  category: kita
  town: Brakel
  location: {lat: 51.7170, lon: 9.1850}
"""


@pytest.mark.parametrize("target", ["/dev/null", "fifo", "symlink", "folder"])
def test_output_refuses_special_files(tmp_path, write_registry, target):
    registry = write_registry(GOOD)
    if target == "fifo":
        target = tmp_path / "pipe"
        os.mkfifo(target)
    elif target == "symlink":
        (tmp_path / "real.csv").write_bytes(OLD)
        target = tmp_path / "link.csv"
        target.symlink_to(tmp_path / "real.csv")
    elif target == "folder":
        target = tmp_path / "folder"
        target.mkdir()
    result = run_cli("coverage", str(registry), "-o", str(target))
    assert result.returncode == 2
    assert "keine normale Datei: wird nicht überschrieben" in result.stderr
    assert Path("/dev/null").is_char_device()
    if str(target).endswith("link.csv"):
        assert target.is_symlink() and (tmp_path / "real.csv").read_bytes() == OLD


def test_report_refuses_device_before_any_work(write_registry):
    result = run_cli("report", str(write_registry(GOOD)), "-o", "/dev/null")
    assert result.returncode == 2
    assert "/dev/null ist eine Gerätedatei" in result.stderr
    assert Path("/dev/null").is_char_device()


def test_empty_output_name_is_a_clear_error(write_registry):
    result = run_cli("coverage", str(write_registry(GOOD)), "-o", "")
    assert result.returncode == 2
    assert "leerer Dateiname (für die Standardausgabe: -o -)" in result.stderr
    assert "busy" not in result.stderr.lower()


def test_dash_writes_to_stdout(write_registry):
    csv_result = run_cli("coverage", str(write_registry(GOOD)), "-o", "-")
    assert csv_result.returncode == 0, csv_result.stderr
    assert csv_result.stdout.startswith("ags,town,category")
    pdf = run_cli("report", str(write_registry(GOOD)), "-o", "-", text=False)
    assert pdf.returncode == 0, pdf.stderr
    assert pdf.stdout.startswith(b"%PDF")
    assert not Path("-").exists()


def test_export_onto_full_disk_keeps_old_file(tmp_path, write_registry):
    registry = write_registry(GOOD)
    with tiny_tmpfs(tmp_path / "mnt", size="8k") as mnt:
        if mnt is None:
            pytest.skip("cannot mount a tmpfs here (not root); tests/test_files.py covers the writer")
        target = mnt / "report.pdf"
        result = run_cli("report", str(registry), "-o", str(target))
        assert result.returncode == 2
        assert "kein Speicherplatz mehr frei" in result.stderr
        assert "bleibt unverändert" in result.stderr
        assert target.read_bytes() == OLD


def test_export_onto_read_only_folder_keeps_old_file(tmp_path, write_registry):
    registry = write_registry(GOOD)
    with tiny_tmpfs(tmp_path / "mnt", read_only=True) as mnt:
        if mnt is None:
            pytest.skip("cannot mount a tmpfs here (not root); tests/test_files.py covers the writer")
        target = mnt / "report.pdf"
        result = run_cli("coverage", str(registry), "--format", "xlsx", "-o", str(target))
        assert result.returncode == 2
        assert "schreibgeschützt" in result.stderr
        assert target.read_bytes() == OLD


def test_locate_csv_is_formula_safe_unless_raw(write_registry):
    registry = write_registry(GOOD)
    safe = list(csv.DictReader(io.StringIO(run_cli("locate", str(registry)).stdout)))
    assert safe[0]["name"] == "'=HYPERLINK(\"http://example.org\")"
    raw = list(csv.DictReader(io.StringIO(run_cli("locate", str(registry), "--raw").stdout)))
    assert raw[0]["name"] == "=HYPERLINK(\"http://example.org\")"
    assert safe[0]["lat"] == raw[0]["lat"] == "51.717"


@pytest.mark.parametrize("delay", ["nan", "inf", "-inf", "0.5", "abc"])
def test_geocode_delay_must_be_finite_and_at_least_one_second(write_registry, delay):
    result = run_cli("geocode", str(write_registry(GOOD)), f"--delay={delay}", "--url",
                     "http://127.0.0.1:9")
    assert result.returncode == 2
    assert "ist keine gültige Wartezeit" in result.stderr
    assert "OverflowError" not in result.stderr and "Traceback" not in result.stderr


def test_argparse_messages_are_german():
    missing = run_cli("validate")
    assert "diese Argumente fehlen: path" in missing.stderr
    assert missing.stderr.startswith("Aufruf:")
    choice = run_cli("locate", "x.yaml", "--format", "xml")
    assert "ungültige Wahl: 'xml'" in choice.stderr
    unknown = run_cli("validate", "x.yaml", "--bogus")
    assert "unbekannte Argumente: --bogus" in unknown.stderr
    assert "the following" not in missing.stderr + choice.stderr + unknown.stderr
