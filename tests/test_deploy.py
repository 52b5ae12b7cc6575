"""deploy/: the systemd unit is valid for systemd and read-only, and the three files agree on the
sub-path and the port (the nginx site itself runs in tests/browser/test_nginx.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
UNIT = (DEPLOY / "partnernetz.service").read_text(encoding="utf-8")
SITE = (DEPLOY / "nginx-partnernetz.conf").read_text(encoding="utf-8")
SETTINGS = tomllib.loads((DEPLOY / "streamlit-config.toml").read_text(encoding="utf-8"))


def directives(text: str) -> dict[str, list[str]]:
    joined = re.sub(r"\\\n\s*", " ", text)
    out: dict[str, list[str]] = {}
    for line in joined.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            out.setdefault(key.strip(), []).append(value.strip())
    return out


def test_unit_runs_as_own_user_read_only_with_restart() -> None:
    unit = directives(UNIT)
    assert unit["User"] == ["partnernetz"] and unit["Restart"] == ["on-failure"]
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["ReadWritePaths"] == ["/var/lib/partnernetz /var/cache/partnernetz"]
    env = dict(e.split("=", 1) for e in unit["Environment"])
    assert env["PARTNERNETZ_REGISTRY"].startswith("/var/lib/partnernetz/")
    assert env["PARTNERNETZ_CACHE_DIR"].startswith("/var/cache/partnernetz")
    assert "partnernetz doctor" in unit["ExecStartPre"][0]
    assert "--secrets.files /etc/partnernetz/secrets.toml" in unit["ExecStart"][0]
    assert "--require-hashes -r requirements.lock" in UNIT  # installed from the lock
    assert all(line.startswith("#") or not line.strip() or "=" in line or line.startswith("[")
               or line.startswith(" ") for line in UNIT.splitlines())


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not on this machine")
def test_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    unit = UNIT.replace("/opt/partnernetz/.venv/bin/python", sys.executable).replace(
        "WorkingDirectory=/opt/partnernetz", f"WorkingDirectory={ROOT}")
    path = tmp_path / "partnernetz.service"
    path.write_text(unit, encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(path)], capture_output=True, text=True,
                            timeout=60, check=False)
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if "partnernetz.service" in line]
    assert problems == []


def test_sub_path_and_port_agree_between_nginx_streamlit_and_unit() -> None:
    base = SETTINGS["server"]["baseUrlPath"]
    assert base == "partnernetz" and SETTINGS["server"]["address"] == "127.0.0.1"
    assert f"location /{base}/ {{" in SITE and f"location = /{base} {{" in SITE
    port = SETTINGS["server"]["port"]
    assert f"server 127.0.0.1:{port};" in SITE and f"--server.port {port}" in UNIT
    assert "proxy_pass http://partnernetz_app;" in SITE  # no URI: the sub-path is passed on
    for header in ("Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy",
                   "X-Frame-Options", "Content-Security-Policy"):
        assert f"add_header {header} " in SITE
    assert "proxy_set_header Upgrade $http_upgrade;" in SITE and "proxy_read_timeout" in SITE
