"""The demo edits a git-ignored working copy, never the tracked data/partners.yaml (issue 18 §9)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import DEMO_HX, ROOT


def test_working_copy_is_made_once_and_edits_stay_in_it(tmp_path: Path) -> None:
    from app_pages.cached import demo_working_copy

    demo = tmp_path / "partners.yaml"
    demo.write_bytes(DEMO_HX.read_bytes())
    copy = tmp_path / "local" / "partners.yaml"
    assert demo_working_copy(demo=demo, copy=copy) == copy
    assert copy.read_bytes() == demo.read_bytes()
    copy.write_text(copy.read_text(encoding="utf-8") + "# bearbeitet\n", encoding="utf-8")
    assert demo_working_copy(demo=demo, copy=copy) == copy
    assert copy.read_text(encoding="utf-8").endswith("# bearbeitet\n")  # never copied over again
    assert demo.read_bytes() == DEMO_HX.read_bytes()


def test_app_without_a_registry_setting_uses_the_ignored_working_copy(monkeypatch) -> None:
    from app_pages import cached

    monkeypatch.delenv("PARTNERNETZ_REGISTRY", raising=False)
    monkeypatch.setattr(sys, "argv", ["dashboard.py"])
    chosen = cached.registry_path()
    assert chosen == ROOT / "data" / "local" / "partners.yaml"
    ignored = subprocess.run(["git", "check-ignore", "-q", str(chosen)], cwd=ROOT, check=False)
    assert ignored.returncode == 0, "data/local/ must be git-ignored"

