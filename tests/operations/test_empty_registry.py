"""A registry with no partners is a normal registry: every command works on it, the first
partner turns ``partners: []`` into the block form."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml
from pyproj import Transformer

from partnernetz.dataset import load_dataset, validate_registry
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.registry import writer
from partnernetz.registry.history import History
from tests.conftest import REFERENCE, run_cli

HEAD = 'region:\n  name: Kreis Höxter\n  kreis: "05762"\n'
FORMS = {
    "flow": HEAD + "partners: []\n",
    "flow-comment": HEAD + "partners: [ ]   # noch leer\ntargets:\n  kita:\n    min_reachable: 2\n",
    "null": HEAD + "partners:\n",
    "tilde": HEAD + "partners: ~\n",
    "no-key": HEAD,
    "no-key-no-newline": HEAD.rstrip("\n"),
    "null-then-targets": HEAD + "partners:\n# später\ntargets:\n  kita:\n    min_reachable: 2\n",
}
MSB = REFERENCE / "schuldaten_hx_hsk_msb_2022.csv"
NEW = {"id": "kita-a", "name": "Kita A", "category": "kita", "town": "Brakel"}


@pytest.fixture(params=sorted(FORMS))
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "partners.yaml"
    path.write_text(FORMS[request.param], encoding="utf-8")
    return path


def test_empty_registry_is_valid_with_zero_partners(empty: Path) -> None:
    report = validate_registry(empty)
    assert report.ok, report.format()
    assert len(load_dataset(empty).partners) == 0
    result = run_cli("validate", str(empty))
    assert result.returncode == 0 and "gültig (0 Fehler, 0 Warnungen)" in result.stdout


def test_first_partner_turns_empty_registry_into_block_list(empty: Path) -> None:
    before = empty.read_text(encoding="utf-8")
    writer.apply_changes(empty, [writer.AddPartner(NEW)], base_hash=writer.registry_hash(empty),
                         author="r@example.org", towns_source=GazetteerTowns())
    text = empty.read_text(encoding="utf-8")
    assert "[]" not in text and "[ ]" not in text
    assert "\npartners:" in text and "\n  - id: \"kita-a\"\n" in text
    assert validate_registry(empty).ok
    data = yaml.safe_load(text)
    assert [p["id"] for p in data["partners"]] == ["kita-a"]
    assert data["region"]["kreis"] == "05762"
    if "targets:" in before:  # what followed the empty list is kept
        assert data["targets"] == {"kita": {"min_reachable": 2}}
    if "# noch leer" in before:
        # the comment stays on the key's line (two spaces before it, as yamllint wants)
        assert "\npartners:  # noch leer\n" in text
    # a second partner goes after the first, as in any block list
    writer.apply_changes(empty, [writer.AddPartner({**NEW, "id": "kita-b", "name": "Kita B"})],
                         base_hash=writer.registry_hash(empty), author="r@example.org",
                         towns_source=GazetteerTowns())
    assert [p["id"] for p in yaml.safe_load(empty.read_text(encoding="utf-8"))["partners"]] == [
        "kita-a", "kita-b"]
    assert len(History(empty).entries()) == 3  # the file as it was, then one entry per change


@pytest.mark.parametrize("form", ["flow", "null", "no-key"])
def test_cli_commands_work_on_empty_registry(tmp_path: Path, form: str) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text(FORMS[form], encoding="utf-8")
    located = run_cli("locate", str(path))
    assert located.returncode == 0, located.stderr
    assert located.stdout.splitlines()[0].startswith("id,name,category")
    assert len(located.stdout.splitlines()) == 1
    geojson = run_cli("locate", str(path), "--format", "geojson")
    assert geojson.returncode == 0 and '"features": []' in geojson.stdout.replace('"features":[]',
                                                                                   '"features": []')
    coverage = run_cli("coverage", str(path))
    assert coverage.returncode == 0, coverage.stderr
    assert "Noch keine Partner" in coverage.stderr
    assert len(coverage.stdout.splitlines()) <= 1  # no white spots invented for zero partners
    pdf = tmp_path / "bericht.pdf"
    report = run_cli("report", str(path), "-o", str(pdf))
    assert report.returncode == 0, report.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    pdf_text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Noch keine Partner" in " ".join(pdf_text.split())
    assert "Weiße Flecken" not in pdf_text and "keine Kita im Ort" not in pdf_text
    for fmt, name in (("geojson", "p.geojson"), ("hsds-json", "p.json"), ("gpkg", "p.gpkg")):
        out = run_cli("export", str(path), "--format", fmt, "-o", str(tmp_path / name))
        assert out.returncode == 0, (fmt, out.stderr)
    history = run_cli("history", str(path))
    assert history.returncode == 0, history.stderr


@pytest.mark.parametrize("form", ["flow", "null", "no-key"])
def test_cli_import_of_a_list_into_empty_registry(tmp_path: Path, form: str) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text(FORMS[form], encoding="utf-8")
    source = tmp_path / "liste.csv"
    buffer = io.StringIO()
    out = csv.writer(buffer, delimiter=";")
    out.writerow(["Name", "Kategorie", "Ort", "Straße", "PLZ"])
    out.writerow(["Kita Regenbogen", "kita", "Brakel", "Am Markt 1", "33034"])
    out.writerow(["Beratung Mitte", "beratung", "Höxter", "Westerbachstr. 2", "37671"])
    source.write_text(buffer.getvalue(), encoding="utf-8")
    result = run_cli("import", str(source), "--into", str(path))
    assert result.returncode == 0, result.stderr
    assert "2 importiert" in result.stdout
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert {p["name"] for p in data["partners"]} == {"Kita Regenbogen", "Beratung Mitte"}
    assert run_cli("validate", str(path)).returncode == 0


@pytest.mark.skipif(not MSB.exists(), reason="../shared/reference not present")
@pytest.mark.parametrize("form", ["flow", "null", "no-key"])
def test_msb_import_into_empty_registry_brings_every_school_with_official_place(
        tmp_path: Path, form: str) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text(FORMS[form], encoding="utf-8")
    result = run_cli("import", str(MSB), "--into", str(path), "--format", "msb")
    assert result.returncode == 0, result.stderr
    rows = [r for r in csv.DictReader(MSB.open(encoding="utf-8"), delimiter=";")
            if r["Gemeindeschluessel"].startswith("05762")]
    to_wgs = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)
    official = {r["Schulnummer"]: to_wgs.transform(float(r["UTMRechtswert"]), float(r["UTMHochwert"]))
                for r in rows}
    partners = yaml.safe_load(path.read_text(encoding="utf-8"))["partners"]
    by_number = {p["identifiers"]["schulnummer"]: p for p in partners}
    assert set(by_number) == set(official) and len(official) > 40
    for number, (lon, lat) in official.items():
        location = by_number[number]["location"]
        assert location["lat"] == pytest.approx(lat, abs=1e-5)
        assert location["lon"] == pytest.approx(lon, abs=1e-5)
    assert validate_registry(path).ok


def test_cli_edit_new_partner_into_empty_registry(tmp_path: Path) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text(FORMS["flow"], encoding="utf-8")
    result = run_cli("edit", str(path), "kita-a", "--new", "--set", "name=Kita A", "--set", "category=kita",
                     "--set", "town=Brakel", "--by", "r@example.org")
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [p["id"] for p in data["partners"]] == ["kita-a"]
    assert "partners: []" not in path.read_text(encoding="utf-8")


def test_import_into_missing_registry_says_how_to_start(tmp_path: Path) -> None:
    source = tmp_path / "liste.csv"
    source.write_text("Name;Kategorie;Ort\nKita A;kita;Brakel\n", encoding="utf-8")
    result = run_cli("import", str(source), "--into", str(tmp_path / "neu.yaml"))
    assert result.returncode == 2
    assert "gibt es noch nicht" in result.stderr and "python -m partnernetz init" in result.stderr
    assert not (tmp_path / "neu.yaml").exists()


def test_dataset_cache_serves_a_new_registry_without_logo_or_sender(tmp_path: Path, caplog) -> None:
    """A registry as ``init`` writes it (no logo, no sender) is read from the dataset cache the
    second time (its region did not validate back, so every run rebuilt it with a warning)."""
    path = tmp_path / "partners.yaml"
    path.write_text(FORMS["flow"], encoding="utf-8")
    store = tmp_path / "cache"
    first = load_dataset(path, cache_dir=store)
    with caplog.at_level("WARNING"):
        second = load_dataset(path, cache_dir=store)
    assert not [r for r in caplog.records if "Cache" in r.getMessage()], caplog.text
    assert second.region == first.region and second.region.sender is None
    assert len(second.partners) == 0
