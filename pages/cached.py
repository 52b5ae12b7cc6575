"""Every Streamlit cache wrapper of the app, in one place.

Caches are keyed on simple values only: the registry path plus the stamps
(mtime, size) of every file the dataset is built from, and today's date.
Never on a GeoDataFrame or a folium map.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from partnernetz import gazetteer
from partnernetz.dataset import Dataset, load_dataset
from partnernetz.filters import build_search_text
from partnernetz.geocoding import default_cache_path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REGISTRY = ROOT / "data" / "partners.yaml"

Stamp = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class AppData:
    """A loaded dataset plus what every rerun needs precomputed. Read-only."""

    dataset: Dataset
    search_text: pd.Series
    key: tuple[str, Stamp, str]


def registry_path() -> Path:
    """The registry to show: ``-- --registry PATH``, ``$PARTNERNETZ_REGISTRY``, or the demo."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--registry")
    args, _ = parser.parse_known_args(sys.argv[1:])
    chosen = args.registry or os.environ.get("PARTNERNETZ_REGISTRY") or DEFAULT_REGISTRY
    return Path(chosen).expanduser()


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def data_key(path: Path) -> tuple[str, Stamp, str]:
    """The cache key of a registry: its path, the stamps of its inputs, today."""
    files = (path, default_cache_path(path), gazetteer.DEFAULT_GAZETTEER_PATH,
             gazetteer.DEFAULT_POPULATION_PATH)
    return (str(path), tuple(_stamp(p) for p in files), dt.date.today().isoformat())


@st.cache_resource(max_entries=4, show_spinner="Registry wird geladen …")
def _app_data(path: str, stamp: Stamp, today: str) -> AppData:
    dataset = load_dataset(path, today=dt.date.fromisoformat(today))
    return AppData(dataset, build_search_text(dataset.partners), (path, stamp, today))


def load_app_data(path: Path) -> AppData:
    """The dataset of ``path``, loaded once per change of its input files.

    Raises the package's errors (``RegistryValidationError`` …) uncached.
    """
    return _app_data(*data_key(path))
