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


MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
OPERATIONS = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")


def make_rule(target: str) -> tuple[str, list[str]]:
    """A Makefile rule: its prerequisites and its recipe lines."""
    match = re.search(rf"^{re.escape(target)}:([^\n]*)\n((?:\t[^\n]*\n)*)", MAKEFILE, re.M)
    assert match, f"no rule {target}"
    return match.group(1), [line.strip() for line in match.group(2).splitlines()]


def test_make_run_and_make_test_install_only_from_the_lock_files() -> None:
    assert "$(STAMP_RUN)" in make_rule("run")[0] and "$(STAMP_DEV)" in make_rule("test")[0]
    run_pre, run_recipe = make_rule("$(STAMP_RUN)")
    dev_pre, dev_recipe = make_rule("$(STAMP_DEV)")
    assert "requirements.lock" in run_pre and "requirements-dev.lock" in dev_pre  # a new lock reinstalls
    assert any("pip install" in line and "--require-hashes -r requirements.lock" in line
               for line in run_recipe)
    assert any("pip install" in line and "--require-hashes -r requirements-dev.lock" in line
               for line in dev_recipe)
    installs = [line for line in MAKEFILE.splitlines() if "pip install" in line]
    assert not [line for line in installs if re.search(r"-r requirements(-dev)?\.txt", line)], installs


def test_operations_guide_covers_every_topic_in_german_and_english() -> None:
    german, _, english = OPERATIONS.partition("# Operations in English")
    assert english, "docs/operations.md has no English half"
    topics = {  # issue 19 §3, §4, §5, §7: the same facts in both halves
        "install": ["partnernetz.service", "nginx-partnernetz.conf", "streamlit-config.toml"],
        "update with the lock": ["requirements.lock", "make lock", "--require-hashes"],
        "sign-in": ["Keycloak", "Entra"],
        "backups": ["partnernetz backup", "--restore"],
        "logs": ["journald", "logrotate", "partnernetz.audit"],
        "monitoring": ["_stcore/health", "doctor"],
        "several instances": ["PARTNERNETZ_REGISTRY", "--server.port 8502", "baseUrlPath",
                              "StateDirectory=partnernetz-hx"],
        "past one machine": ["sticky"],
    }
    for half, text in (("Deutsch", german), ("English", english)):
        text = text.lower()
        missing = {topic: [w for w in words if w.lower() not in text] for topic, words in topics.items()}
        assert not {k: v for k, v in missing.items() if v}, (half, missing)
