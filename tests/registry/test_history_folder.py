"""The history folder: made atomically, a half-made one set aside and rebuilt, as private as the registry."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from partnernetz.errors import HistoryError
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.registry import history_folder, writer
from partnernetz.registry.history import History, history_dir

ODD = Path(__file__).parent / "data" / "odd_registry.yaml"
TOWNS = GazetteerTowns()
PARTNER = "kita-sonne-brakel"


def copy_registry(tmp_path: Path, *, mode: int = 0o644) -> Path:
    path = tmp_path / "partners.yaml"
    shutil.copyfile(ODD, path)
    os.chmod(path, mode)
    return path


def save_phone(path: Path, phone: str) -> writer.WriteResult:
    entry = dict(writer.read_entries(path)[PARTNER], phone=phone)
    return writer.apply_changes(path, [writer.UpdatePartner(PARTNER, entry)], base_hash=None,
                                author="editor@example.org", towns_source=TOWNS)


def modes_below(folder: Path) -> dict[str, int]:
    out = {".": stat.S_IMODE(folder.stat().st_mode)}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            full = Path(root, name)
            out[str(full.relative_to(folder))] = stat.S_IMODE(full.lstat().st_mode)
    return out


def test_half_made_history_is_set_aside_and_rebuilt_with_warning(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    half = history_dir(path)
    (half / "branches").mkdir(parents=True)  # what a kill during an older version's first edit left
    (half / "objects").mkdir()
    (half / "description").write_text("Unnamed repository\n")

    result = save_phone(path, "05272 1111")

    assert writer.read_entries(path)[PARTNER]["phone"] == "05272 1111"
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(".partners.yaml.history.beiseite-")]
    assert len(aside) == 1
    assert (aside[0] / "branches").is_dir() and (aside[0] / "description").is_file()  # kept, not deleted
    assert len(result.warnings) == 1
    assert "unvollständig" in result.warnings[0] and aside[0].name in result.warnings[0]
    kinds = [e.kind for e in History(path).entries()]
    assert kinds == ["change", "initial"]
    # the next edit works without any further warning
    assert save_phone(path, "05272 2222").warnings == ()


def test_half_made_history_warning_is_printed_by_cli_once(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = copy_registry(tmp_path)
    (history_dir(path) / "branches").mkdir(parents=True)
    # a process of its own: pytest's log capture would hide Python's last-resort handler
    done = subprocess.run(
        [sys.executable, "-m", "partnernetz", "edit", str(path), PARTNER,
         "--set", "phone=05272 3333", "--by", "a@example.org"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], check=False)
    assert done.returncode == 0, done.stderr
    assert writer.read_entries(path)[PARTNER]["phone"] == "05272 3333"
    err = done.stderr
    assert "Warnung: Die Historie" in err and "beiseite-" in err
    assert err.count("war unvollständig") == 1, err


def test_half_made_history_set_aside_gets_registry_permissions(tmp_path: Path) -> None:
    path = copy_registry(tmp_path, mode=0o600)
    half = history_dir(path)
    (half / "objects" / "ab").mkdir(parents=True)  # an older version's folder: 0755, objects 0444
    (half / "objects" / "ab" / "cdef").write_text("notes and internal contacts")
    outside = tmp_path / "outside.txt"
    outside.write_text("not the history's")
    os.chmod(outside, 0o640)
    (half / "objects" / "link").symlink_to(outside)
    os.chmod(half / "objects" / "ab" / "cdef", 0o444)
    for folder in (half, half / "objects", half / "objects" / "ab"):
        os.chmod(folder, 0o755)

    save_phone(path, "05272 1111")

    aside = next(p for p in tmp_path.iterdir() if ".history.beiseite-" in p.name)
    modes = modes_below(aside)
    assert all(mode & 0o077 == 0 for name, mode in modes.items() if name != "objects/link"), {
        k: oct(v) for k, v in modes.items()}
    assert modes["objects/ab/cdef"] == 0o400  # read-only stays read-only
    assert stat.S_IMODE(outside.stat().st_mode) == 0o640  # a link's target is left alone


def test_failure_while_creating_history_leaves_no_half_made_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy_registry(tmp_path)
    before = path.read_bytes()
    real_protect = history_folder.protect_folder

    def fail_midway(root: Path, file_mode: int, dir_mode: int) -> None:
        raise OSError(28, "No space left on device")  # after init_bare, before the rename

    monkeypatch.setattr(history_folder, "protect_folder", fail_midway)
    with pytest.raises(HistoryError) as caught:
        save_phone(path, "05272 1111")
    message = str(caught.value)
    assert "kein Speicherplatz mehr frei" in message
    assert "No space" not in message and "Errno" not in message
    assert path.read_bytes() == before
    assert not history_dir(path).exists()
    assert [p.name for p in tmp_path.iterdir() if ".history" in p.name] == []

    monkeypatch.setattr(history_folder, "protect_folder", real_protect)
    result = save_phone(path, "05272 1111")
    assert result.warnings == ()
    assert [e.kind for e in History(path).entries()] == ["change", "initial"]


def test_build_folder_left_by_a_kill_is_removed_on_next_write(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    leftover = tmp_path / ".partners.yaml.history.neu-abc123"
    (leftover / "objects").mkdir(parents=True)
    save_phone(path, "05272 1111")
    assert not leftover.exists()
    assert History(path).exists


def test_history_files_get_registry_permissions_0600(tmp_path: Path) -> None:
    path = copy_registry(tmp_path, mode=0o600)
    save_phone(path, "05272 1111")
    save_phone(path, "05272 2222")
    modes = modes_below(history_dir(path))
    assert modes["."] == 0o700
    assert modes["objects"] == 0o700
    assert all(mode & 0o077 == 0 for mode in modes.values()), {k: oct(v) for k, v in modes.items()}
    assert modes["refs/heads/main"] == 0o600
    objects = [mode for name, mode in modes.items() if name.startswith("objects/") and name.count("/") == 2]
    assert objects and all(mode in (0o400, 0o600) for mode in objects)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / ".partners.yaml.lock").stat().st_mode) & 0o077 == 0


def test_history_of_readable_registry_stays_readable(tmp_path: Path) -> None:
    path = copy_registry(tmp_path, mode=0o644)
    save_phone(path, "05272 1111")
    modes = modes_below(history_dir(path))
    assert modes["."] == 0o755
    assert modes["config"] == 0o644


def test_existing_world_readable_history_is_tightened(tmp_path: Path) -> None:
    path = copy_registry(tmp_path, mode=0o644)
    save_phone(path, "05272 1111")  # made while the registry was 0644: folder 0755
    os.chmod(path, 0o600)
    save_phone(path, "05272 2222")
    modes = modes_below(history_dir(path))
    assert all(mode & 0o077 == 0 for mode in modes.values()), {k: oct(v) for k, v in modes.items()}
    assert len(History(path).entries()) == 3


def test_damaged_history_object_gives_german_error_without_traceback(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    save_phone(path, "05272 1111")
    history = History(path)
    head = history.head().decode()
    history.close()
    obj = history_dir(path) / "objects" / head[:2] / head[2:]
    os.chmod(obj, 0o600)
    obj.write_bytes(b"not zlib at all")
    with pytest.raises(HistoryError) as caught:
        History(path).entries()
    assert "beschädigt" in str(caught.value)
