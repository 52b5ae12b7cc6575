"""The access file and the sign-in journal, cached (split from cached.py, which re-exports them).

The access file is read again when its stamp (size, mtime, ctime, inode, content hash) changes:
removing a person takes effect on their next interaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from partnernetz.access import (
    AccessPolicy,
    SignInJournal,
    access_path,
    admins_of_broken_file,
    check_access_text,
    ensure_log_handler,
)
from partnernetz.errors import RegistryFileError
from partnernetz.files import FileStamp, stamp_file
from partnernetz.registry.parse import read_registry_text
from partnernetz.registry.report import ValidationReport

ROOT = Path(__file__).resolve().parents[1]


def file_stamp(path: Path) -> FileStamp:
    """The file's :func:`~partnernetz.files.stamp_file` (size, mtime, ctime, inode, content hash)."""
    return stamp_file(path)


@dataclass(frozen=True)
class AccessState:
    """The access file as the app uses it.

    ``policy`` is None when the file is missing or invalid: then nobody gets
    more than public rights; ``problem`` says why (German) and ``report`` lists
    the findings, which only ``admins`` (read from the broken file) are shown.
    """

    path: str
    policy: AccessPolicy | None
    problem: str | None = None
    report: ValidationReport | None = None
    admins: tuple[str, ...] = ()


def access_file() -> Path:
    """The access file: ``$PARTNERNETZ_ACCESS`` or ``data/access.yaml`` of the app."""
    return access_path(root=ROOT)


@st.cache_data(max_entries=4, show_spinner=False)
def _access_state(path: str, stamp: FileStamp) -> AccessState:
    # keyed on the file's stamp: a changed file is read again on the next interaction
    try:
        text = read_registry_text(path)
    except RegistryFileError as exc:
        return AccessState(path, None, problem=str(exc))
    policy, report = check_access_text(text, file=path)
    if policy is None:
        return AccessState(path, None, problem=f"{path}: {report.summary()}", report=report,
                           admins=admins_of_broken_file(text))
    return AccessState(path, policy, report=report)


def access_state() -> AccessState:
    """The current access file, read again whenever its stamp changes."""
    path = access_file()
    return _access_state(str(path), file_stamp(path))


@st.cache_resource
def sign_in_journal() -> SignInJournal:
    """The latest sign-ins of this server process (one journal for all sessions)."""
    return SignInJournal()


@st.cache_resource(show_spinner=False)
def log_once(_logger: logging.Logger, message: str) -> bool:
    """Write ``message`` to ``_logger`` as a warning, once per server process (per message)."""
    ensure_log_handler(_logger)
    _logger.warning(message)
    return True
