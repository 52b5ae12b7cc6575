"""``backup`` and ``backup --restore``: byte-identical registry, full history, hostile archives refused."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import tarfile
import threading
import time
from pathlib import Path

import pytest
from filelock import FileLock

from partnernetz.errors import OperationsError
from partnernetz.geo import geocoding
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.operations import backup
from partnernetz.registry import writer
from partnernetz.registry.history import History, history_dir
from tests.conftest import run_cli

HEAD = 'region:\n  name: Kreis Höxter\n  kreis: "05762"\npartners: []\n'


def make_registry(folder: Path, versions: int = 3) -> Path:
    path = folder / "partners.yaml"
    path.write_text(HEAD, encoding="utf-8")
    (folder / "access.yaml").write_text("roles:\n  admin: [a@example.org]\n", encoding="utf-8")
    geocoding.write_geocode_cache(folder / "geocode_cache.json", {})
    towns = GazetteerTowns()
    for n in range(versions):
        writer.apply_changes(path, [writer.AddPartner({"id": f"kita-{n}", "name": f"Kita {n}",
                                                       "category": "kita", "town": "Brakel"})],
                             base_hash=writer.registry_hash(path), author="r@example.org",
                             towns_source=towns)
    return path


def test_backup_delete_restore_gives_identical_registry_and_full_history(tmp_path: Path) -> None:
    live = tmp_path / "live"
    live.mkdir()
    path = make_registry(live)
    original = path.read_bytes()
    before = run_cli("history", str(path)).stdout
    archive = tmp_path / "sicherung.tar.gz"
    result = run_cli("backup", str(path), "-o", str(archive))
    assert result.returncode == 0, result.stderr
    assert '"event":"backup"' in result.stderr and '"target":"sicherung.tar.gz"' in result.stderr
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json" and "partners.yaml" in names
    assert {"access.yaml", "geocode_cache.json"} <= set(names)
    assert any(n.startswith(".partners.yaml.history/") for n in names)
    shutil.rmtree(live)
    restored = run_cli("backup", "--restore", str(archive), "--into", str(live))
    assert restored.returncode == 0, restored.stderr
    assert '"event":"restore"' in restored.stderr  # the audit log (one JSON line)
    assert path.read_bytes() == original
    after = run_cli("history", str(path))
    assert after.returncode == 0 and after.stdout == before
    assert len(History(path).entries()) == 4  # the first state and three imports
    for n in range(3):
        assert f"kita-{n}" in after.stdout
    assert run_cli("validate", str(path)).returncode == 0


def test_backup_waits_for_the_writers_lock(tmp_path: Path) -> None:
    path = make_registry(tmp_path, versions=1)
    lock = FileLock(str(writer.lock_path(path)))
    lock.acquire()
    done = threading.Event()

    def run() -> None:
        backup.create_backup(path, tmp_path / "b.tar.gz")
        done.set()

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.5)
    assert not done.is_set() and not (tmp_path / "b.tar.gz").exists()
    lock.release()
    thread.join(timeout=60)
    assert done.is_set() and (tmp_path / "b.tar.gz").is_file()


@pytest.mark.parametrize("target", ["partners.yaml", "access.yaml", ".partners.yaml.history/HEAD"])
def test_backup_never_writes_onto_what_it_backs_up(tmp_path: Path, target: str) -> None:
    path = make_registry(tmp_path, versions=1)
    before = (tmp_path / target).read_bytes()
    with pytest.raises(OperationsError, match="keine der gesicherten Dateien"):
        backup.create_backup(path, tmp_path / target, access=tmp_path / "access.yaml")
    assert (tmp_path / target).read_bytes() == before


def _archive(tmp_path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    out = tmp_path / "fremd.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        for info, data in members:
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def _manifest(files: dict[str, bytes], registry: str = "partners.yaml") -> bytes:
    import hashlib

    return json.dumps({"format": backup.FORMAT, "version": 1, "registry": registry,
                       "files": [{"path": n, "size": len(d), "mode": 0o644,
                                  "sha256": hashlib.sha256(d).hexdigest()} for n, d in files.items()]
                       }).encode()


def _member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info


HOSTILE = {
    "dotdot": {"../ausserhalb.yaml": b"x"},
    "absolute": {"/tmp/ausserhalb.yaml": b"x"},
    "nested-dotdot": {"a/../../ausserhalb.yaml": b"x"},
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_restore_refuses_paths_outside_the_folder(tmp_path: Path, case: str) -> None:
    files = {"partners.yaml": HEAD.encode(), **HOSTILE[case]}
    archive = _archive(tmp_path, [(_member("manifest.json"), _manifest(files)),
                                  *((_member(n), d) for n, d in files.items())])
    target = tmp_path / "ziel"
    with pytest.raises(OperationsError, match="aus dem Zielordner heraus"):
        backup.restore_backup(archive, target)
    assert not target.exists() and not (tmp_path / "ausserhalb.yaml").exists()


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_restore_refuses_links(tmp_path: Path, kind: bytes) -> None:
    files = {"partners.yaml": HEAD.encode()}
    archive = _archive(tmp_path, [(_member("manifest.json"), _manifest(files)),
                                  (_member("partners.yaml"), HEAD.encode()),
                                  (_member("link.yaml", kind, "/etc/passwd"), b"")])
    with pytest.raises(OperationsError, match="Verknüpfung"):
        backup.restore_backup(archive, tmp_path / "ziel")
    assert not (tmp_path / "ziel").exists()


def test_restore_refuses_damaged_archive_and_writes_nothing(tmp_path: Path) -> None:
    path = make_registry(tmp_path)
    archive = tmp_path / "b.tar.gz"
    backup.create_backup(path, archive)
    raw = gzip.decompress(archive.read_bytes())
    offset = raw.index(b"kita-1")  # change one byte of the registry inside the archive
    changed = tmp_path / "kaputt.tar.gz"
    changed.write_bytes(gzip.compress(raw[:offset] + b"K" + raw[offset + 1:]))
    result = run_cli("backup", "--restore", str(changed), "--into", str(tmp_path / "ziel"))
    assert result.returncode == 2 and "Prüfsumme von partners.yaml stimmt nicht" in result.stderr
    assert not (tmp_path / "ziel").exists()
    truncated = tmp_path / "abgeschnitten.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    result = run_cli("backup", "--restore", str(truncated), "--into", str(tmp_path / "ziel"))
    assert result.returncode == 2 and "keine gültige Partnernetz-Sicherung" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "ziel").exists()


def test_restore_refuses_foreign_archives(tmp_path: Path) -> None:
    plain = _archive(tmp_path, [(_member("partners.yaml"), HEAD.encode())])
    with pytest.raises(OperationsError, match=r"keine manifest\.json"):
        backup.restore_backup(plain, tmp_path / "ziel")
    other = tmp_path / "andere.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        data = json.dumps({"format": "etwas-anderes"}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(OperationsError, match="fremdes Archiv"):
        backup.restore_backup(other, tmp_path / "ziel")
    text = tmp_path / "text.tar.gz"
    text.write_text("kein Archiv", encoding="utf-8")
    with pytest.raises(OperationsError, match="keine gültige Partnernetz-Sicherung"):
        backup.restore_backup(text, tmp_path / "ziel")
    unlisted = _archive(tmp_path, [(_member("manifest.json"), _manifest({"partners.yaml": b"a"})),
                                   (_member("partners.yaml"), b"a"), (_member("extra.txt"), b"b")])
    with pytest.raises(OperationsError, match=r"nicht im Manifest: extra\.txt"):
        backup.restore_backup(unlisted, tmp_path / "ziel")
    assert not (tmp_path / "ziel").exists()


def test_restore_never_overwrites(tmp_path: Path) -> None:
    path = make_registry(tmp_path, versions=1)
    archive = tmp_path / "b.tar.gz"
    backup.create_backup(path, archive)
    before = path.read_bytes()
    with pytest.raises(OperationsError, match="überschreibt nichts"):
        backup.restore_backup(archive, tmp_path)
    assert path.read_bytes() == before and history_dir(path).is_dir()
