"""bench/bench_operations.py runs on a tiny size (its figures are printed, never asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_bench_operations_runs_on_tiny_size() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_operations.py"), "--tiny"],
                            capture_output=True, text=True, timeout=600, cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "PARTNERNETZ_CACHE_DIR": "off"}, check=False)
    assert result.returncode == 0, result.stderr
    assert "init + first import of 20 rows" in result.stdout
    assert "backup of 200 partners, 4 history entries" in result.stdout
