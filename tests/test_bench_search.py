"""bench/bench_search.py runs on a tiny size (its figures are printed, never asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_bench_search_runs_on_a_tiny_size():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_search.py"), "--tiny"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "partners: 200" in done.stdout
    assert "3 words, typos" in done.stdout and "Meinten Sie" in done.stdout
