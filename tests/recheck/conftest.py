"""Fixtures of the re-check tests: the marker registry with e-mail addresses, a link key."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnernetz.recheck.tokens import link_key
from tests.access.markers import write_marker_files

SECRET = "recheck-test-secret-0123456789-abcdefghijkl"


def write_recheck_registry(folder: Path) -> tuple[Path, Path]:
    """The marker registry; the Kita and the Beratung get e-mail addresses, the Beratung English mail."""
    registry, access = write_marker_files(folder)
    text = registry.read_text(encoding="utf-8")
    text = text.replace('    phone: "05272 1000"\n',
                        '    phone: "05272 1000"\n    email: kita-markerhaus@example.org\n', 1)
    text = text.replace("    town: Höxter\n",
                        "    town: Höxter\n    email: beratung@example.org\n    mail_language: en\n", 1)
    registry.write_text(text, encoding="utf-8")
    return registry, access


@pytest.fixture
def recheck_registry(tmp_path: Path) -> Path:
    return write_recheck_registry(tmp_path)[0]


@pytest.fixture
def key() -> bytes:
    return link_key(SECRET)
