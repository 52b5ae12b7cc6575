"""``init``: a new registry by region name or key, never overwriting anything."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest
import yaml

from partnernetz.access.secret import weak_secret_reason
from partnernetz.dataset import validate_registry
from partnernetz.errors import OperationsError
from partnernetz.operations.region import find_region, list_regions
from partnernetz.operations.setup import init_registry
from tests.conftest import run_cli


@pytest.mark.parametrize(("query", "kreis", "name"), [
    ("Kreis Paderborn", "05774", "Kreis Paderborn"),
    ("Paderborn", "05774", "Kreis Paderborn"),
    ("paderborn", "05774", "Kreis Paderborn"),
    ("Bielefeld", "05711", "Stadt Bielefeld"),
    ("Stadt Bielefeld", "05711", "Stadt Bielefeld"),
    ("05774", "05774", "Kreis Paderborn"),
    ("Hoexter", "05762", "Kreis Höxter"),
    ("Hochsauerlandkreis", "05958", "Hochsauerlandkreis"),
    ("Mülheim an der Ruhr", "05117", "Stadt Mülheim an der Ruhr"),
])
def test_region_found_by_name_or_key(query: str, kreis: str, name: str) -> None:
    region = find_region(query)
    assert (region.kreis, region.name) == (kreis, name)


def test_every_nrw_region_is_found_by_its_own_name_and_key() -> None:
    regions = list_regions()
    assert len(regions) == 53
    for region in regions:
        assert find_region(region.name) == region
        assert find_region(region.kreis) == region


@pytest.mark.parametrize(("query", "expected"), [
    ("Rhein", "nicht eindeutig – meinten Sie Rhein-Kreis Neuss (05162)"),
    ("Paderbron", "meinten Sie Kreis Paderborn (05774)?"),
    ("Atlantis", "ist kein Kreis und keine kreisfreie Stadt in NRW"),
    ("09162", "kein Kreisschlüssel in NRW"),
    ("Stadt", "meinten Sie Städteregion Aachen (05334)?"),  # asked back, never taken silently
    ("Mark", "meinten Sie Märkischer Kreis (05962)?"),
])
def test_unknown_or_ambiguous_region_names_candidates(query: str, expected: str) -> None:
    with pytest.raises(OperationsError) as caught:
        find_region(query)
    assert expected in str(caught.value)


def test_init_writes_valid_empty_registry_access_and_secrets_template(tmp_path: Path) -> None:
    path = tmp_path / "ki" / "partners.yaml"
    result = init_registry(path, region="Kreis Paderborn", admin="leitung@example.org")
    assert result.written == (path, path.parent / "access.yaml", path.parent / "secrets.toml")
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["region"] == {"name": "Kreis Paderborn", "kreis": "05774"}
    assert data["partners"] == []
    assert data["targets"]["kita"] == {"min_reachable": 1, "per_10k": 3.0}
    assert "# Versorgungsziele" in text and "#   sport:" in text  # commented for the coordinator
    assert validate_registry(path).ok
    access = path.parent / "access.yaml"
    assert yaml.safe_load(access.read_text(encoding="utf-8"))["roles"]["admin"] == ["leitung@example.org"]
    assert run_cli("validate", str(access)).returncode == 0
    template = (path.parent / "secrets.toml").read_text(encoding="utf-8")
    assert "auth" not in tomllib.loads(template)  # every line commented: sign-in off until filled in
    assert ".streamlit/secrets.toml" in template and "--secrets.files" in template
    uncommented = tomllib.loads("\n".join(line[2:] for line in template.splitlines()
                                          if (line.startswith("# ") and "=" in line) or line == "# [auth]"))
    assert weak_secret_reason(uncommented["auth"]["cookie_secret"]) is None
    assert stat.S_IMODE((path.parent / "secrets.toml").stat().st_mode) == 0o600


def test_init_twice_overwrites_nothing(tmp_path: Path) -> None:
    path = tmp_path / "partners.yaml"
    init_registry(path, region="05774", admin="a@example.org")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(OperationsError, match="gibt es schon"):
        init_registry(path, region="05774", admin="b@example.org")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_init_keeps_existing_access_and_secrets_files(tmp_path: Path) -> None:
    (tmp_path / "access.yaml").write_text("roles:\n  admin: [alt@example.org]\n", encoding="utf-8")
    (tmp_path / "secrets.toml").write_text("# meins\n", encoding="utf-8")
    result = init_registry(tmp_path / "neu.yaml", region="Bielefeld", admin="neu@example.org")
    assert result.written == (tmp_path / "neu.yaml",)
    assert set(result.kept) == {tmp_path / "access.yaml", tmp_path / "secrets.toml"}
    assert (tmp_path / "access.yaml").read_text(encoding="utf-8").endswith("[alt@example.org]\n")
    assert (tmp_path / "secrets.toml").read_text(encoding="utf-8") == "# meins\n"


def test_init_cli_prints_next_steps_and_refuses_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "partners.yaml"
    result = run_cli("init", str(path), "--region", "Kreis Paderborn", "--admin", "leitung@example.org")
    assert result.returncode == 0, result.stderr
    assert "Nächste Schritte" in result.stdout
    assert f"import LISTE.xlsx --into {path}" in result.stdout and "make run" in result.stdout
    again = run_cli("init", str(path), "--region", "Kreis Paderborn", "--admin", "leitung@example.org")
    assert again.returncode == 2 and "überschreibt nichts" in again.stderr
    bad = run_cli("init", str(tmp_path / "x.yaml"), "--region", "Paderbron", "--admin", "a@example.org")
    assert bad.returncode == 2 and "meinten Sie Kreis Paderborn" in bad.stderr
    assert "Traceback" not in bad.stderr and not (tmp_path / "x.yaml").exists()
    mail = run_cli("init", str(tmp_path / "y.yaml"), "--region", "05774", "--admin", "keine-adresse")
    assert mail.returncode == 2 and "keine E-Mail-Adresse" in mail.stderr
