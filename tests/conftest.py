"""Shared test fixtures."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator
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
AUDIT_KEYS = ["time", "event", "user", "role", "target", "outcome"]


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


class AuditLines(logging.Handler):
    """The audit log's messages, each parsed as JSON with the fixed keys."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def events(self, *names: str) -> list[dict]:
        """The events logged so far (only those named ``names``, if given)."""
        parsed = [json.loads(line) for line in self.messages]
        assert all(list(e) == AUDIT_KEYS for e in parsed), parsed
        return [e for e in parsed if not names or e["event"] in names]

    def assert_none_of(self, texts: Iterable[str]) -> None:
        """No line of the log contains any of ``texts``."""
        log = "\n".join(self.messages)
        leaked = [t for t in texts if t in log]
        assert not leaked, f"partner data in the audit log: {leaked}"


@pytest.fixture
def audit() -> Iterator[AuditLines]:
    """Capture the audit log (``partnernetz.audit``) for the test."""
    from partnernetz.audit import AUDIT_LOGGER

    handler = AuditLines()
    AUDIT_LOGGER.addHandler(handler)
    try:
        yield handler
    finally:
        AUDIT_LOGGER.removeHandler(handler)
