"""``restore`` brings back the last good version even when the working file is damaged (issue 17 §3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from partnernetz.cli import main
from partnernetz.errors import HistoryError, RegistryFileError
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.registry import writer
from partnernetz.registry.history import History

ODD = Path(__file__).parent / "data" / "odd_registry.yaml"
TOWNS = GazetteerTowns()
PARTNER = "kita-sonne-brakel"

DAMAGE = {
    "binary": b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary output of 'report -o'\n",
    "empty": b"",
    "invalid-yaml": b"region: [unclosed\npartners:\n  - id: x\n   name: broken indent\n",
    "geojson": b'{"type": "FeatureCollection", "features": []}\n',
}


def registry_with_history(tmp_path: Path) -> tuple[Path, bytes]:
    path = tmp_path / "partners.yaml"
    shutil.copyfile(ODD, path)
    entry = dict(writer.read_entries(path)[PARTNER], phone="05272 1111")
    writer.apply_changes(path, [writer.UpdatePartner(PARTNER, entry)], base_hash=None,
                         author="editor@example.org", towns_source=TOWNS)
    return path, path.read_bytes()


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_cli_restore_brings_back_last_good_version_of_damaged_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path, good = registry_with_history(tmp_path)
    path.write_bytes(DAMAGE[kind])
    assert main(["edit", str(path), PARTNER, "--set", "phone=1", "--by", "a@example.org"]) != 0
    capsys.readouterr()

    code = main(["restore", str(path), "--by", "admin@example.org"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert path.read_bytes() == good
    assert "Beschädigte Datei" in captured.out
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("partners.yaml.beschaedigt-")]
    assert len(kept) == 1 and kept[0].read_bytes() == DAMAGE[kind]  # nothing lost
    assert kept[0].name in captured.err
    entries = History(path).entries()
    assert entries[0].kind == "restore" and entries[0].restore_of == entries[1].revision
    # the registry is usable again
    assert main(["edit", str(path), PARTNER, "--set", "phone=05272 2222", "--by", "a@example.org"]) == 0


def test_restore_of_damaged_file_to_named_revision(tmp_path: Path) -> None:
    path, _good = registry_with_history(tmp_path)
    oldest = History(path).oldest().decode()
    path.write_bytes(DAMAGE["binary"])
    result = writer.restore_revision(path, revision=oldest[:8], author="admin@example.org",
                                     towns_source=TOWNS)
    assert path.read_bytes() == ODD.read_bytes()
    assert any("beschaedigt" in w for w in result.warnings)


def test_restore_recreates_deleted_registry(tmp_path: Path) -> None:
    path, good = registry_with_history(tmp_path)
    path.unlink()
    result = writer.restore_revision(path, author="admin@example.org", towns_source=TOWNS)
    assert path.read_bytes() == good
    assert result.warnings == ()


def test_partner_restore_on_damaged_file_is_refused(tmp_path: Path) -> None:
    path, _good = registry_with_history(tmp_path)
    path.write_bytes(DAMAGE["binary"])
    oldest = History(path).oldest().decode()
    with pytest.raises(RegistryFileError, match="keine Textdatei"):
        writer.restore_revision(path, revision=oldest, partner_id=PARTNER, author="admin@example.org",
                                towns_source=TOWNS)
    assert path.read_bytes() == DAMAGE["binary"]


def test_restore_without_history_says_so(tmp_path: Path) -> None:
    path = tmp_path / "partners.yaml"
    path.write_bytes(DAMAGE["binary"])
    with pytest.raises(HistoryError, match="keine Historie"):
        writer.restore_revision(path, author="admin@example.org", towns_source=TOWNS)
    assert path.read_bytes() == DAMAGE["binary"]
