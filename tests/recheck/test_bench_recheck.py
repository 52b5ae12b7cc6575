"""bench/bench_recheck.py runs on a tiny size (figures printed, never asserted)."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import ROOT


def test_bench_recheck_runs_on_a_tiny_size(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_recheck", ROOT / "bench" / "bench_recheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--sizes", "5", "--repeat", "1"])
    assert "5 e-mails" in capsys.readouterr().out
