"""Uploaded import tables and the registry's reference table, cached (split from cached.py,
which re-exports them)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from partnernetz.errors import ImportFileError, PartnernetzError
from partnernetz.exchange.sources import SourceTable
from partnernetz.files import FileStamp, stamp_file


@st.cache_data(max_entries=4, show_spinner=False)
def _import_table(digest: str, name: str, sheet: str | None, _data: bytes) -> tuple[object, str]:
    # keyed on the upload's content hash (``_data`` itself is not hashed again); a refused
    # file is cached too, so no rerun reads it a second time
    from partnernetz.exchange.importer import read_table

    try:
        return read_table(_data, name=name, sheet=sheet), ""
    except PartnernetzError as exc:
        return None, str(exc)


def import_table(data: bytes, *, name: str, sheet: str | None = None) -> SourceTable:
    """An uploaded table, read once per upload (its content hash), not once per rerun.

    The file is parsed in a child process with memory and time limits
    (``importer.read_table``).

    Raises
    ------
    ImportFileError
        The file cannot be read (the same message on every rerun).
    """
    table, problem = _import_table(hashlib.sha256(data).hexdigest(), name, sheet, data)
    if table is None:
        raise ImportFileError(problem)
    return table  # type: ignore[return-value]


@st.cache_data(max_entries=4, show_spinner=False)
def _reference_table(path: str, stamp: FileStamp) -> pd.DataFrame:
    from partnernetz.exchange.reference import read_reference_table

    return read_reference_table(path)


def reference_table(path: Path) -> pd.DataFrame:
    """The registry's reference populations (``bezugsgroessen.csv`` beside it; may be empty)."""
    from partnernetz.exchange.reference import reference_path

    return _reference_table(str(path), stamp_file(reference_path(path)))
