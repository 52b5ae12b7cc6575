"""Shared test fixtures."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO_HX = ROOT / "data" / "partners.yaml"
DEMO_HSK = ROOT / "data" / "examples" / "hochsauerlandkreis.yaml"
REFERENCE = ROOT.parent / "shared" / "reference"

HEADER = """\
region:
  name: Kreis Höxter
  kreis: "05762"
partners:
"""


def run_cli(*args: str, text: bool = True) -> subprocess.CompletedProcess:
    """``python -m partnernetz ARGS`` in a subprocess without network settings or dataset cache."""
    env = {"PATH": "/usr/bin:/bin", "PARTNERNETZ_CACHE_DIR": "off", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "partnernetz", *args], capture_output=True,
                          text=text, cwd=ROOT, env=env, timeout=180, check=False)


@pytest.fixture(autouse=True)
def _no_dataset_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests build datasets fresh unless they ask for a cache directory."""
    monkeypatch.setenv("PARTNERNETZ_CACHE_DIR", "off")


@pytest.fixture
def write_registry(tmp_path: Path) -> Callable[..., Path]:
    """Write a registry file; ``partners`` is YAML text placed under ``partners:``."""

    def write(partners: str = "", *, header: str = HEADER, name: str = "partners.yaml") -> Path:
        path = tmp_path / name
        body = textwrap.indent(textwrap.dedent(partners).strip("\n"), "  ") + "\n" if partners else ""
        path.write_text(header + body, encoding="utf-8")
        return path

    return write
