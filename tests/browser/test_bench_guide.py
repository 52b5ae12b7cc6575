"""bench/bench_guide.py runs on a tiny size (its figures are printed, never asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


def test_bench_guide_runs_in_tiny_mode() -> None:
    result = subprocess.run([sys.executable, str(REPO / "bench" / "bench_guide.py"), "--tiny"],
                            capture_output=True, text=True, cwd=REPO, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "Höxter demo: publish" in out and "50 partners: publish" in out
    assert "s user +" in out
    assert out.count("FCP") == 4 and "KB compressed (before map tiles)" in out
    assert "search index" in out
