"""``import`` with sources that cost minutes or never end, and with mixed encodings
(issue 17 §5 d/e, §7a): each one ends quickly within memory with a German message,
and what is written is the text that was meant."""

from __future__ import annotations

import os

import pytest

from tests.cli.test_cli_hostile import run_bounded
from tests.conftest import HEADER

PARTNER = "  - id: kita-a\n    name: Kita A\n    category: kita\n    town: Brakel\n"


@pytest.fixture
def registry(tmp_path):
    path = tmp_path / "partners.yaml"
    path.write_text(HEADER + PARTNER, encoding="utf-8")
    return path


def test_import_dev_zero_is_refused_without_reading(registry):
    before = registry.read_bytes()
    result = run_bounded("import", "/dev/zero", "--into", str(registry))
    assert result.returncode == 2
    assert "/dev/zero: ist keine normale Datei" in result.stderr
    assert registry.read_bytes() == before


def test_import_named_pipe_is_refused_without_blocking(registry, tmp_path):
    fifo = tmp_path / "liste.csv"
    os.mkfifo(fifo)
    result = run_bounded("import", str(fifo), "--into", str(registry), "--dry-run")
    assert result.returncode == 2
    assert "ist keine normale Datei" in result.stderr


def test_import_mapping_from_dev_zero_is_refused(registry, tmp_path):
    source = tmp_path / "liste.csv"
    source.write_text("Name;Ort\nKita B;Brakel\n", encoding="utf-8")
    result = run_bounded("import", str(source), "--into", str(registry), "--mapping", "/dev/zero",
                         "--dry-run")
    assert result.returncode == 2
    assert "/dev/zero: ist keine normale Datei" in result.stderr


def test_import_200_mb_csv_is_refused_by_its_size(registry, tmp_path):
    big = tmp_path / "gross.csv"
    with open(big, "wb") as handle:
        handle.write(b"Name;Ort;Kategorie\n")
        handle.truncate(200 * 1024 * 1024)
    result = run_bounded("import", str(big), "--into", str(registry), "--dry-run")
    assert result.returncode == 2
    assert "gross.csv: Datei ist zu groß (200.0 MB; erlaubt sind höchstens 20 MB" in result.stderr


def test_import_of_mixed_encodings_writes_no_mojibake(registry, tmp_path):
    source = tmp_path / "liste.csv"
    source.write_bytes(b"Name;Ort;Kategorie\n" + "Verein Grüße;Höxter;ehrenamt\n".encode()
                       + "Café Zündstoff;Brakel;einrichtung\n".encode("cp1252"))
    result = run_bounded("import", str(source), "--into", str(registry), "--by", "a@example.org")
    assert result.returncode == 0, result.stderr[-500:]
    assert "gemischt: UTF-8, Zeile 3 Windows-1252" in result.stderr
    text = registry.read_text(encoding="utf-8")
    assert "Verein Grüße" in text and "Café Zündstoff" in text
    assert "Ã" not in text
