"""The lock file (``requirements.lock``, made by pip-compile with hashes) against what is installed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s;\\]+)")


def normalise_name(name: str) -> str:
    """PEP 503 name: lower case, runs of ``-_.`` as one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: str | Path) -> dict[str, str]:
    """Package → pinned version of a pip-compile lock file (``name==version \\`` lines)."""
    pins = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[normalise_name(match.group("name"))] = match.group("version")
    return pins


def unhashed_pins(path: str | Path) -> list[str]:
    """Pinned packages of a lock file that carry no ``--hash`` (a lock must hash every one)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    missing = []
    for i, line in enumerate(lines):
        match = _PIN.match(line)
        if match and not (line.rstrip().endswith("\\") and i + 1 < len(lines)
                          and "--hash=" in lines[i + 1]):
            missing.append(match.group("name"))
    return missing


@dataclass(frozen=True)
class LockDifference:
    """A package whose installed version is not the locked one (None: not installed)."""

    name: str
    locked: str
    installed: str | None


def lock_differences(pins: dict[str, str]) -> list[LockDifference]:
    """Every locked package that is missing or installed in another version."""
    out = []
    for name, version in sorted(pins.items()):
        try:
            installed: str | None = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            out.append(LockDifference(name, version, installed))
    return out
