"""Fixtures of the AppTests (helpers without fixtures: tests/app/helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.access.markers import write_marker_files
from tests.app.helpers import use_files


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The marker registry and its access file (tests/access/markers.py), the app pointed at them."""
    return use_files(monkeypatch, *write_marker_files(tmp_path))


@pytest.fixture
def registry(files: tuple[Path, Path]) -> Path:
    """The marker registry of ``files`` (the app pointed at it)."""
    return files[0]
