"""bench/bench_exchange.py runs on a tiny size (its figures are printed, never asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_bench_exchange_runs_on_a_tiny_size():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_exchange.py"), "60", "20",
                             "400"], capture_output=True, text=True, cwd=ROOT, timeout=600,
                            check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    for case in ("XLSX declaring A1:XFD1048576", "/dev/zero", "CSV of 200 MB",
                 "400 near-duplicate rows of 350 partners", "export HSDS tabular datapackage"):
        assert case in result.stdout
    assert "Traceback" not in result.stderr
