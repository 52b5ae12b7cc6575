"""The atomic writer keeps the old file on every failure; file stamps see every change."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from partnernetz.errors import ExportError
from partnernetz.files import check_output_path, stamp_file, write_bytes_atomically

OLD = b"old content\n"


@contextlib.contextmanager
def tiny_tmpfs(base: Path, *, size: str = "64k", read_only: bool = False):
    """A tmpfs of ``size`` at ``base`` (as root); ``None`` when mounting is not possible."""
    base.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        yield None
        return
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(base)],
                        capture_output=True, check=False).returncode == 0
    if not ok:
        yield None
        return
    try:
        (base / "report.pdf").write_bytes(OLD)
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(base)], check=True)
        yield base
    finally:
        subprocess.run(["umount", "-l", str(base)], check=False)


def _write_in_child(target: Path, size: int, *, fsize_limit: int | None = None,
                    uid: int | None = None) -> subprocess.CompletedProcess:
    """Run the writer in a child process (with a file-size limit or as another user)."""
    code = (
        "import resource, signal, sys, os\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})\n"
        "from partnernetz.files import write_bytes_atomically\n"
        "from partnernetz.errors import ExportError\n"
        f"limit, uid = {fsize_limit!r}, {uid!r}\n"
        "if limit is not None:\n"
        "    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
        "if uid is not None:\n"
        "    os.setgid(uid); os.setuid(uid)\n"
        "try:\n"
        f"    write_bytes_atomically({str(target)!r}, b'x' * {size})\n"
        "except ExportError as exc:\n"
        "    print(exc); sys.exit(3)\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)


def test_write_replaces_file_and_keeps_mode(tmp_path):
    target = tmp_path / "out.csv"
    target.write_bytes(OLD)
    target.chmod(0o600)
    write_bytes_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_write_full_disk_keeps_old_file(tmp_path):
    with tiny_tmpfs(tmp_path / "mnt") as mnt:
        if mnt is not None:
            target = mnt / "report.pdf"
            with pytest.raises(ExportError, match="kein Speicherplatz mehr frei") as info:
                write_bytes_atomically(target, b"x" * 1_000_000)
        else:  # no tmpfs: the same failure through a file-size limit in a child process
            target = tmp_path / "report.pdf"
            target.write_bytes(OLD)
            result = _write_in_child(target, 1_000_000, fsize_limit=100_000)
            assert result.returncode == 3, result.stderr
            info = None
            assert "größer als erlaubt" in result.stdout
        assert target.read_bytes() == OLD
        assert [p.name for p in target.parent.iterdir()] == ["report.pdf"]
        if info is not None:
            assert "bleibt unverändert" in str(info.value)


def test_write_read_only_folder_keeps_old_file(tmp_path):
    with tiny_tmpfs(tmp_path / "mnt", read_only=True) as mnt:
        if mnt is not None:
            target = mnt / "report.pdf"
            with pytest.raises(ExportError, match="schreibgeschützt"):
                write_bytes_atomically(target, b"new")
        else:  # not root: a folder without write permission
            folder = tmp_path / "mnt"
            target = folder / "report.pdf"
            target.write_bytes(OLD)
            folder.chmod(0o555)
            try:
                with pytest.raises(ExportError, match="keine Schreibrechte"):
                    write_bytes_atomically(target, b"new")
            finally:
                folder.chmod(0o755)
        assert target.read_bytes() == OLD


def test_write_no_permission_keeps_old_file(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to an unprivileged user for the child")
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "report.pdf"
    target.write_bytes(OLD)
    folder.chmod(0o555)
    tmp_path.chmod(0o755)
    result = _write_in_child(target, 10, uid=65534)
    assert result.returncode == 3, result.stderr
    assert "keine Schreibrechte" in result.stdout
    assert target.read_bytes() == OLD


@pytest.mark.parametrize("kind", ["fifo", "symlink", "folder", "device"])
def test_write_refuses_special_targets(tmp_path, kind):
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        (tmp_path / "real").write_bytes(OLD)
        target.symlink_to(tmp_path / "real")
    elif kind == "folder":
        target.mkdir()
    else:
        target = Path("/dev/null")
    with pytest.raises(ExportError, match="keine normale Datei"):
        write_bytes_atomically(target, b"new")
    if kind == "symlink":
        assert target.is_symlink() and (tmp_path / "real").read_bytes() == OLD
    if kind == "device":
        assert Path("/dev/null").is_char_device()


def test_check_output_path_refuses_empty_name():
    with pytest.raises(ExportError, match="Keine Ausgabedatei"):
        check_output_path("")


def test_stamp_changes_when_replaced_with_same_size_and_mtime(tmp_path):
    target = tmp_path / "partners.yaml"
    target.write_text("name: A\n")
    before = stamp_file(target)
    other = tmp_path / "other.yaml"
    other.write_text("name: B\n")
    info = target.stat()
    os.utime(other, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(other, target)
    assert target.stat().st_size == info.st_size
    assert target.stat().st_mtime_ns == info.st_mtime_ns
    assert stamp_file(target) != before


def test_stamp_changes_when_rewritten_in_place_with_same_mtime(tmp_path):
    target = tmp_path / "partners.yaml"
    target.write_text("name: A\n")
    before = stamp_file(target)
    info = target.stat()
    with target.open("r+") as handle:  # same inode, same size
        handle.write("name: B\n")
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert stamp_file(target) != before


def test_stamp_of_missing_file_is_stable(tmp_path):
    assert stamp_file(tmp_path / "x") == stamp_file(tmp_path / "x")
    assert stamp_file(tmp_path / "x")[1] == -1


def test_stamp_is_equal_for_unchanged_file(tmp_path):
    target = tmp_path / "partners.yaml"
    target.write_text("name: A\n")
    assert stamp_file(target) == stamp_file(target)


def test_read_regular_file_is_the_one_bounded_reader_of_registry_and_import(tmp_path):
    """Registry and import files are read by files.read_regular_file, with their own messages."""
    from partnernetz.errors import ImportFileError, RegistryFileError
    from partnernetz.exchange.sources import read_file_bytes
    from partnernetz.files import read_regular_file
    from partnernetz.registry.limits import ParseLimits
    from partnernetz.registry.parse import read_registry_text

    big = tmp_path / "liste.csv"
    big.write_bytes(b"x" * 11)
    assert read_regular_file(big, max_bytes=11, error=ImportFileError, what="Datei", kind="Datei",
                             too_large=str) == b"x" * 11
    with pytest.raises(ImportFileError, match=r"^12$"):
        big.write_bytes(b"x" * 12)
        read_regular_file(big, max_bytes=11, error=ImportFileError, what="Datei", kind="Datei",
                          too_large=str)
    with pytest.raises(ImportFileError, match="Importdatei ist zu groß"):
        read_file_bytes(big, max_bytes=11, what="Importdatei")
    with pytest.raises(RegistryFileError, match=r"Datei ist zu groß .*PARTNERNETZ_MAX_FILE_BYTES"):
        read_registry_text(big, limits=ParseLimits(max_bytes=11))
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for read in (lambda: read_file_bytes(fifo, max_bytes=11), lambda: read_registry_text(fifo)):
        with pytest.raises((ImportFileError, RegistryFileError), match="keine normale Datei"):
            read()
    with pytest.raises(RegistryFileError, match="ist ein Ordner, keine Registry-Datei"):
        read_registry_text(tmp_path)
