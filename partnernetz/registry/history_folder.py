"""The history's folder: made atomically, set aside when half made, as private as the registry.

The repository is built in a temporary folder beside the registry
(``.<name>.history.neu-XXXX``) and renamed into place, so a kill or a full
disk never leaves a half-made history under the real name. A half-made one
left by an older version is renamed to ``.<name>.history.beiseite-<time>``
(never deleted) and rebuilt. Files and folders get the registry's
permissions (``core.sharedRepository``): a registry 0600 gives folders 0700
and files only the owner can read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import stat
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from partnernetz.errors import HistoryError
from partnernetz.files import describe_os_error

BRANCH = b"refs/heads/main"
BUILD_MARK = ".neu-"
ASIDE_MARK = ".beiseite-"

LOGGER = logging.getLogger("partnernetz.registry")


def history_dir(registry: str | Path) -> Path:
    """Where the history of ``registry`` is kept: ``.<name>.history`` beside it."""
    registry = Path(registry)
    return registry.parent / f".{registry.name}.history"


@contextlib.contextmanager
def german_errors(path: Path, action: str) -> Iterator[None]:
    """Turn file-system and dulwich errors into a :class:`HistoryError` in German (no traceback)."""
    from dulwich import errors

    broken = (errors.ChecksumMismatch, errors.WrongObjectException, errors.MissingCommitError,
              errors.ObjectMissing, errors.ApplyDeltaError, errors.NotGitRepository,
              errors.FileFormatException, errors.RefFormatError, KeyError, ValueError, zlib.error)
    try:
        yield
    except HistoryError:
        raise
    except OSError as exc:
        raise HistoryError(
            f"Historie {path} kann nicht {action} werden: {describe_os_error(exc)}") from None
    except broken as exc:
        raise HistoryError(
            f"Historie {path} kann nicht {action} werden: sie ist beschädigt oder unvollständig "
            f"({type(exc).__name__})") from None


def history_modes(registry: str | Path) -> tuple[int, int]:
    """(file mode, folder mode) of a history: the registry's permissions, the owner always rw.

    A registry 0600 gives 0600 and 0700; 0644 gives 0644 and 0755.
    """
    try:
        mode = stat.S_IMODE(os.stat(registry).st_mode)
    except OSError:
        mode = 0o600
    file_mode = (mode & 0o666) | 0o600
    return file_mode, file_mode | ((file_mode & 0o444) >> 2)


def build_history(registry: Path) -> None:
    """Create the (empty) history of ``registry``: built beside it, then renamed into place.

    The history's name must be free (see :func:`set_aside`). A failure at any
    step leaves no folder under that name.
    """
    from dulwich.repo import Repo

    path = history_dir(registry)
    file_mode, dir_mode = history_modes(registry)
    with german_errors(path, "angelegt"):
        build: Path | None = Path(tempfile.mkdtemp(dir=path.parent, prefix=path.name + BUILD_MARK))
        try:
            os.chmod(build, dir_mode)
            repo = Repo.init_bare(str(build), shared_repository=f"0{file_mode:o}")
            try:
                config = repo.get_config()
                config.set((b"core",), b"fsyncObjectFiles", b"true")
                config.set((b"core",), b"looseCompression", b"1")
                config.write_to_path()
                repo.refs.set_symbolic_ref(b"HEAD", BRANCH)
            finally:
                repo.close()
            protect_folder(build, file_mode, dir_mode)
            os.rename(build, path)
            build = None
            _fsync_folder(path.parent)
        finally:
            if build is not None:  # ours alone and never in place: nothing in it to keep
                shutil.rmtree(build, ignore_errors=True)


def is_half_made(path: Path) -> bool:
    """True when a history folder is at ``path`` but is no usable repository."""
    from dulwich.repo import Repo

    if not os.path.lexists(path):
        return False
    if path.is_symlink() or not path.is_dir() or not (path / "HEAD").is_file():
        return True
    try:
        Repo(str(path)).close()
    except Exception:  # any failure to open means: not usable
        return True
    return not (path / "objects").is_dir() or not (path / "refs").is_dir()


def set_aside(path: Path, *, registry: Path) -> str:
    """Rename the half-made history at ``path`` aside (never deleted); the warning to show.

    The folder set aside gets the registry's permissions too: it may hold notes
    and internal contacts written by an older version with looser ones.
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}{ASIDE_MARK}{stamp}")
    n = 1
    while os.path.lexists(target):
        n += 1
        target = path.with_name(f"{path.name}{ASIDE_MARK}{stamp}-{n}")
    with german_errors(path, "beiseitegelegt"):
        os.rename(path, target)
    if stat.S_ISDIR(os.lstat(target).st_mode):  # a link set aside is left as it is
        with contextlib.suppress(OSError):
            protect_folder(target, *history_modes(registry))
    message = (f"Die Historie {path} war unvollständig (z. B. nach einem Abbruch beim ersten "
               f"Speichern). Sie wurde nach {target.name} verschoben (nicht gelöscht) und neu "
               "angelegt; die neue Historie beginnt mit dem jetzigen Stand der Datei.")
    LOGGER.warning(message)
    return message


def clear_builds(path: Path) -> None:
    """Remove folders a killed creation left beside ``path`` (call only under the registry's lock)."""
    for build in path.parent.glob(f"{path.name}{BUILD_MARK}*"):
        shutil.rmtree(build, ignore_errors=True)


def protect_history(registry: Path) -> None:
    """Give an existing history the registry's permissions (once; cheap when they already match)."""
    from dulwich.repo import Repo

    path = history_dir(registry)
    file_mode, dir_mode = history_modes(registry)
    with german_errors(path, "geschützt"):
        if stat.S_IMODE(path.stat().st_mode) == dir_mode:
            return
        repo = Repo(str(path))
        try:
            config = repo.get_config()
            config.set((b"core",), b"sharedRepository", f"0{file_mode:o}".encode())
            config.write_to_path()
        finally:
            repo.close()
        protect_folder(path, file_mode, dir_mode)


def protect_folder(root: Path, file_mode: int, dir_mode: int) -> None:
    """Give every folder ``dir_mode`` and every file ``file_mode`` (read-only files stay read-only).

    The root folder last, so a walk cut short is done again on the next write.
    Symbolic links are skipped: a chmod would change the file they point to.
    """
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                continue
            if stat.S_ISDIR(mode):
                os.chmod(path, dir_mode)
            else:
                os.chmod(path, file_mode if mode & stat.S_IWUSR else file_mode & ~0o222)
    os.chmod(root, dir_mode)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
