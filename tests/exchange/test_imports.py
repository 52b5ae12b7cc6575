"""The import command: row report, all-or-nothing, dry run, strict, duplicates policy."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli

PARTNERS = """\
- id: kita-sonnenschein-hoexter
  name: Kita Sonnenschein
  category: kita
  town: Höxter
  address: {street: Marktstraße 1, postcode: "37671"}
  languages: [de, ar]
  email: sonnenschein@example.org
"""

LIST = (
    "Partnerliste KI Kreis Höxter;;;;;;\n"
    ";;;;;;\n"
    "Einrichtung;Kategorie;Straße;PLZ;Ort;Sprachen;Tel.\n"
    "Kita Sonnenschein;Kita;Marktstr. 1;37671;Höxter;Arabisch, Türkisch;05271 99990\n"
    "Beratungsstelle Lotse;Beratung;Bahnhofstr. 3;33034;Brakel;Ukrainisch;527299990.0\n"
    "=SUMME(A1:A9);Verein;Am Turm 2;3034;Brakel;;\n"
    "Treffpunkt Irgendwo;Verein;Weg 1;12345;Paderborn;;\n"
    "Beratungsstelle Lotse;Beratung;Bahnhofstraße 3;33034;Brakel;;\n"
)


def _report(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))


def _partners(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["partners"]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "liste.csv"
    path.write_bytes(LIST.encode("cp1252"))
    return path


def test_import_accounts_for_every_row(write_registry, source: Path, tmp_path: Path) -> None:
    registry = write_registry(PARTNERS)
    report = tmp_path / "bericht.csv"
    result = run_cli("import", str(source), "--into", str(registry), "--report", str(report),
                     "--by", "redaktion@example.org")
    assert result.returncode == 0, result.stderr
    assert "Windows-1252" in result.stderr and "Kopfzeile in Zeile 3" in result.stderr
    rows = _report(report)
    assert [r["Zeile"] for r in rows] == ["4", "5", "6", "7", "8"]
    assert [r["Ergebnis"] for r in rows] == [
        "Duplikat übersprungen", "importiert", "importiert", "abgelehnt", "Duplikat übersprungen"]
    assert rows[0]["ID"] == "kita-sonnenschein-hoexter"
    assert "Paderborn" in rows[3]["Grund"]
    assert rows[4]["Vergleich mit"] == "Zeile 5"
    assert "abgelehnt: Zeile 7" in result.stdout
    partners = {p["name"]: p for p in _partners(registry)}
    assert len(partners) == 3
    lotse = partners["Beratungsstelle Lotse"]
    assert lotse["languages"] == ["uk"] and lotse["phone"] == "0527299990"
    formula = partners["=SUMME(A1:A9)"]  # imported as text, never evaluated
    assert formula["category"] == "ehrenamt" and formula["address"]["postcode"] == "03034"
    assert rows[2]["Name"] == "'=SUMME(A1:A9)"  # the report neutralises it for Excel


def test_import_dry_run_writes_nothing_and_shows_changes(write_registry, source: Path) -> None:
    registry = write_registry(PARTNERS)
    before = registry.read_bytes()
    result = run_cli("import", str(source), "--into", str(registry), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "+ neu: beratungsstelle-lotse-brakel – Beratungsstelle Lotse (Brakel)" in result.stdout
    assert "Probelauf: 2 Änderungen, nichts geschrieben" in result.stdout
    assert registry.read_bytes() == before


def test_import_strict_refuses_everything(write_registry, source: Path) -> None:
    registry = write_registry(PARTNERS)
    before = registry.read_bytes()
    result = run_cli("import", str(source), "--into", str(registry), "--strict")
    assert result.returncode == 1
    assert "nichts geschrieben" in result.stderr
    assert registry.read_bytes() == before


def test_import_merge_policy_fills_empty_fields(write_registry, source: Path) -> None:
    registry = write_registry(PARTNERS)
    result = run_cli("import", str(source), "--into", str(registry), "--duplicates", "merge")
    assert result.returncode == 0, result.stderr
    kita = next(p for p in _partners(registry) if p["id"] == "kita-sonnenschein-hoexter")
    assert kita["languages"] == ["de", "ar", "tr"]  # joined, nothing lost
    assert kita["phone"] == "05271 99990"  # was empty
    assert kita["address"]["street"] == "Marktstraße 1"  # kept, not overwritten
    assert "Duplikat? Zeile 4" in result.stdout and "Ähnlichkeit" in result.stdout


def test_import_new_policy_imports_duplicates(write_registry, source: Path) -> None:
    registry = write_registry(PARTNERS)
    result = run_cli("import", str(source), "--into", str(registry), "--duplicates", "new")
    assert result.returncode == 0, result.stderr
    ids = [p["id"] for p in _partners(registry)]
    assert "kita-sonnenschein-hoexter-2" in ids and "beratungsstelle-lotse-brakel-2" in ids


def test_import_unusable_input_exit_2(write_registry, tmp_path: Path) -> None:
    registry = write_registry(PARTNERS)
    missing = run_cli("import", str(tmp_path / "fehlt.csv"), "--into", str(registry))
    assert missing.returncode == 2 and "nicht gefunden" in missing.stderr
    odd = tmp_path / "odd.csv"
    odd.write_text("Spalte1;Spalte2\nx;y\n", encoding="utf-8")
    result = run_cli("import", str(odd), "--into", str(registry))
    assert result.returncode == 2
    assert "keine Spalte für Name der Einrichtung, Ort, Kategorie erkannt" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_mapping_file_maps_unknown_columns(write_registry, tmp_path: Path) -> None:
    registry = write_registry(PARTNERS)
    source = tmp_path / "liste.csv"
    source.write_text("Wer;Wo;Was\nTreff Mitte;Brakel;Verein\n", encoding="utf-8")
    mapping = tmp_path / "zuordnung.yaml"
    mapping.write_text("columns: {Wer: name, Wo: town, Was: category}\n"
                       "values:\n  category: {Verein: ehrenamt}\ndefaults: {status: planned}\n",
                       encoding="utf-8")
    saved = tmp_path / "gespeichert.yaml"
    result = run_cli("import", str(source), "--into", str(registry), "--mapping", str(mapping),
                     "--save-mapping", str(saved))
    assert result.returncode == 0, result.stderr
    treff = next(p for p in _partners(registry) if p["name"] == "Treff Mitte")
    assert treff["category"] == "ehrenamt" and treff["status"] == "planned"
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["columns"]["Wer"] == "name"


def test_import_all_or_nothing_when_the_write_fails(write_registry, source: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from partnernetz.errors import PartnernetzError
    from partnernetz.exchange import importer

    registry = write_registry(PARTNERS)
    before = registry.read_bytes()
    prepared = importer.prepare_import(importer.read_table(source.read_bytes(), name="liste.csv"),
                                       registry)
    assert len(prepared.plan.changes) == 2

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(PartnernetzError):
        importer.commit_import(prepared, author="redaktion@example.org")
    assert registry.read_bytes() == before
    assert [p.name for p in registry.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_import_of_own_export_matches_by_id(write_registry, tmp_path: Path) -> None:
    registry = write_registry(PARTNERS)
    source = tmp_path / "export.csv"
    source.write_text("ID;Name;Kategorie;Ort\nkita-sonnenschein-hoexter;Kita Sonnenhaus;Kita;Höxter\n"
                      "treff-neu;Treff Neu;Verein;Brakel\n", encoding="utf-8")
    result = run_cli("import", str(source), "--into", str(registry))
    assert result.returncode == 0, result.stderr
    assert "gleiche ID kita-sonnenschein-hoexter" in result.stdout
    assert [p["id"] for p in _partners(registry)] == ["kita-sonnenschein-hoexter", "treff-neu"]
