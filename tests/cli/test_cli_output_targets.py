"""No command writes its output onto the registry, its history or lock, the access file,
the geocode cache or its own input: each is refused with a German message and exit 2,
and the file stays exactly as it was (issue 17 §3)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from partnernetz.cli import main
from partnernetz.cli.outputs import check_output_target
from partnernetz.errors import ExportError

PARTNER = """\
- id: kita-a
  name: Kita A
  category: kita
  town: Brakel
"""
SOURCE = "Name;Ort;Kategorie\nKita B;Brakel;kita\n"


@pytest.fixture
def registry(write_registry, tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)  # the app's default files (data/…) are looked up from here
    monkeypatch.delenv("PARTNERNETZ_ACCESS", raising=False)
    monkeypatch.delenv("PARTNERNETZ_REGISTRY", raising=False)
    path = write_registry(PARTNER)
    (tmp_path / "liste.csv").write_text(SOURCE, encoding="utf-8")
    return path


def run(*args: object) -> int:
    return main([str(a) for a in args])


COMMANDS = {
    "export": lambda r, out: ("export", r, "--format", "geojson", "-o", out),
    "report": lambda r, out: ("report", r, "-o", out),
    "coverage": lambda r, out: ("coverage", r, "-o", out),
    "import --dry-run --report": lambda r, out: ("import", r.parent / "liste.csv", "--into", r,
                                                 "--dry-run", "--report", out),
    "import --save-mapping": lambda r, out: ("import", r.parent / "liste.csv", "--into", r,
                                             "--save-mapping", out),
    "geocode --cache": lambda r, out: ("geocode", r, "--cache", out, "--url", "http://127.0.0.1:9"),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_output_onto_the_registry_is_refused_with_exit_2(registry, command, capsys):
    before = registry.read_bytes()
    assert run(*COMMANDS[command](registry, registry)) == 2
    err = capsys.readouterr().err
    assert "ist die Registry" in err and "eine Ausgabe überschreibt sie nie" in err
    assert registry.read_bytes() == before


@pytest.mark.parametrize("command", ["export", "report", "coverage", "import --dry-run --report"])
@pytest.mark.parametrize(("name", "kind"), [
    (".partners.yaml.history/objects/x", "ist die Historie der Registry"),
    (".partners.yaml.lock", "ist die Sperrdatei der Registry"),
    ("access.yaml", "ist die Zugangsdatei"),
    ("data/access.yaml", "ist die Zugangsdatei"),
    ("geocode_cache.json", "ist der Geocode-Cache"),
    ("data/geocode_cache.json", "ist der Geocode-Cache"),
    ("bezugsgroessen.csv", "ist die Bezugsgrößen der Registry"),
])
def test_output_onto_a_file_partnernetz_keeps_is_refused(registry, command, name, kind, capsys):
    target = registry.parent / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("{}\n", encoding="utf-8")
    assert run(*COMMANDS[command](registry, target)) == 2
    assert kind in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "{}\n"


def test_access_file_from_the_environment_is_protected(registry, tmp_path, monkeypatch, capsys):
    access = tmp_path / "elsewhere" / "roles.yaml"
    access.parent.mkdir()
    access.write_text("roles: {}\n", encoding="utf-8")
    monkeypatch.setenv("PARTNERNETZ_ACCESS", str(access))
    assert run("coverage", registry, "-o", access) == 2
    assert "ist die Zugangsdatei" in capsys.readouterr().err
    assert access.read_text(encoding="utf-8") == "roles: {}\n"


def test_a_hard_link_to_the_registry_is_refused(registry, tmp_path, capsys):
    before = registry.read_bytes()
    link = tmp_path / "export.geojson"
    os.link(registry, link)
    assert run("export", registry, "--format", "geojson", "-o", link) == 2
    assert "ist die Registry" in capsys.readouterr().err
    assert registry.read_bytes() == before


def test_the_registry_through_a_linked_folder_is_refused(registry, tmp_path, capsys):
    before = registry.read_bytes()
    (tmp_path / "via").symlink_to(tmp_path, target_is_directory=True)
    assert run("report", registry, "-o", tmp_path / "via" / "sub" / ".." / "partners.yaml") == 2
    assert "ist die Registry" in capsys.readouterr().err
    assert registry.read_bytes() == before


def test_the_registry_through_another_spelling_is_refused(registry, tmp_path, capsys):
    before = registry.read_bytes()
    assert run("coverage", "partners.yaml", "-o", f"../{tmp_path.name}/./partners.yaml"
               ) == 2
    assert "ist die Registry" in capsys.readouterr().err
    assert registry.read_bytes() == before


def test_import_report_onto_its_own_source_is_refused(registry, capsys):
    source = registry.parent / "liste.csv"
    assert run("import", source, "--into", registry, "--dry-run", "--report", source) == 2
    assert "ist eine Eingabedatei dieses Befehls" in capsys.readouterr().err
    assert source.read_text(encoding="utf-8") == SOURCE


def test_the_app_registry_is_protected_from_outputs_of_another(registry, tmp_path, monkeypatch):
    app_registry = tmp_path / "app.yaml"
    app_registry.write_text("x\n", encoding="utf-8")
    monkeypatch.setenv("PARTNERNETZ_REGISTRY", str(app_registry))
    with pytest.raises(ExportError, match="ist die Registry"):
        check_output_target(app_registry, registry=registry)


def test_geocode_may_write_its_own_cache_but_nothing_else(registry):
    cache = registry.parent / "geocode_cache.json"
    assert check_output_target(cache, registry=registry, allow=("geocode",)) == cache
    with pytest.raises(ExportError, match="ist die Registry"):
        check_output_target(registry, registry=registry, allow=("geocode",))


def test_an_ordinary_output_beside_the_registry_is_written(registry, capsys):
    out = registry.parent / "abdeckung.csv"
    assert run("coverage", registry, "-o", out) == 0
    assert out.read_text(encoding="utf-8").startswith("ags,town,category")


def test_the_apps_own_data_files_are_protected_from_any_folder(registry):
    from partnernetz.cli.outputs import APP_ROOT

    for name in ("partners.yaml", "access.yaml", "geocode_cache.json"):
        with pytest.raises(ExportError, match="eine Ausgabe überschreibt sie nie"):
            check_output_target(APP_ROOT / "data" / name, registry=registry)
