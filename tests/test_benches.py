"""Every bench/ script runs on a tiny size without crashing (figures printed, never asserted)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

BENCHES = sorted(p.name for p in (ROOT / "bench").glob("bench_*.py"))


def test_every_bench_script_is_listed():
    assert "bench_pages.py" in BENCHES and "bench_load.py" in BENCHES


@pytest.mark.parametrize("script", BENCHES)
def test_bench_runs_on_tiny_size(script, tmp_path):
    env = {**os.environ, "PARTNERNETZ_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT),
           "HOME": str(tmp_path), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    env.pop("PARTNERNETZ_REGISTRY", None)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--tiny"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    print(done.stdout)  # the figures, for whoever runs pytest -s
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-4000:])
    assert done.stdout.strip(), "a bench prints its figures"
    assert "Traceback" not in done.stderr, done.stderr[-4000:]
