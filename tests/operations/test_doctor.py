"""``doctor``: German findings with what to do; exit 0 only when the app can run as configured."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

from partnernetz.operations import doctor
from partnernetz.operations.lockfile import DEV_LOCK, RUN_LOCK, read_lock, unhashed_pins
from partnernetz.operations.setup import init_registry
from tests.conftest import ROOT

STRONG = secrets.token_urlsafe(48)


def auth(secret: str, **extra: str) -> str:
    values = {"redirect_uri": "https://kreis.example.org/partnernetz/oauth2callback",
              "cookie_secret": secret, "client_id": "partnernetz", "client_secret": "x",
              "server_metadata_url": "https://id.example.org/.well-known/openid-configuration", **extra}
    return "[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in values.items())


@pytest.fixture
def installed(tmp_path: Path) -> tuple[Path, Path]:
    registry = tmp_path / "data" / "partners.yaml"
    init_registry(registry, region="Kreis Paderborn", admin="leitung@example.org")
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(auth(STRONG), encoding="utf-8")
    secrets_file.chmod(0o600)
    return registry, secrets_file


def doctor_cli(registry: Path, secrets_file: Path, tmp_path: Path, **env: str):
    import subprocess
    import sys

    environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path),
               "PARTNERNETZ_CACHE_DIR": str(tmp_path / "cache"), **env}
    return subprocess.run([sys.executable, "-m", "partnernetz", "doctor", str(registry),
                           "--secrets", str(secrets_file)], capture_output=True, text=True,
                          cwd=tmp_path, env=environ, timeout=300, check=False)


def test_doctor_passes_a_fresh_installation(installed, tmp_path: Path) -> None:
    registry, secrets_file = installed
    result = doctor_cli(registry, secrets_file, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "noch keine Partner" in result.stdout
    assert "Anmeldung: an (1 Anbieter, starkes cookie_secret" in result.stdout
    assert "Pakete: alle Pakete wie in requirements.lock" in result.stdout
    assert "die App kann so laufen" in result.stdout


@pytest.mark.parametrize(("secret", "reason"), [
    ("a long random string", "Beispiel aus der Dokumentation"),
    ("kurz", "zu kurz"),
    ("a" * 40, "zu gleichförmig"),
])
def test_doctor_refuses_a_weak_cookie_secret(installed, tmp_path: Path, secret: str, reason: str) -> None:
    registry, secrets_file = installed
    secrets_file.write_text(auth(secret), encoding="utf-8")
    result = doctor_cli(registry, secrets_file, tmp_path)
    assert result.returncode == 1
    assert reason in result.stdout and "secrets.token_urlsafe(48)" in result.stdout
    assert "die App kann so nicht laufen" in result.stderr


def test_doctor_says_sign_in_is_off_without_auth(installed, tmp_path: Path) -> None:
    registry, secrets_file = installed
    secrets_file.write_text("# nichts\n", encoding="utf-8")
    result = doctor_cli(registry, secrets_file, tmp_path)
    assert result.returncode == 0, result.stdout
    assert "Anmeldung: aus (kein [auth]" in result.stdout


def test_sign_in_findings_name_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[auth]\n" + f'cookie_secret = "{STRONG}"\n', encoding="utf-8")
    path.chmod(0o600)
    assert "ohne Anbieter" in doctor.check_sign_in([path])[0].text
    path.write_text(auth(STRONG, redirect_uri="https://x.example.org/"), encoding="utf-8")
    assert "redirect_uri" in doctor.check_sign_in([path])[0].text
    path.chmod(0o644)
    finding = doctor.check_sign_in([path])[0]
    assert finding.level == "fehler" and "chmod 600" in finding.todo
    path.write_text("[auth\n", encoding="utf-8")
    path.chmod(0o600)
    assert doctor.check_sign_in([path])[0].level == "fehler"


def test_doctor_reports_invalid_registry_and_access_file(installed, tmp_path: Path) -> None:
    registry, secrets_file = installed
    (registry.parent / "access.yaml").write_text("roles:\n  chef: [x@example.org]\n", encoding="utf-8")
    registry.write_text(registry.read_text(encoding="utf-8").replace('"05774"', '"99999"'),
                        encoding="utf-8")
    result = doctor_cli(registry, secrets_file, tmp_path)
    assert result.returncode == 1
    assert "[FEHLER] Registry:" in result.stdout and "[FEHLER] Zugangsdatei:" in result.stdout
    assert "python -m partnernetz validate" in result.stdout
    missing = doctor_cli(tmp_path / "fehlt.yaml", secrets_file, tmp_path)
    assert missing.returncode == 1 and "python -m partnernetz init" in missing.stdout


def test_world_readable_history_and_cache_are_warned(installed, tmp_path: Path) -> None:
    registry, _ = installed
    history = registry.parent / f".{registry.name}.history"
    history.mkdir()
    os.chmod(history, 0o755)
    cache = tmp_path / "cache"
    cache.mkdir()
    os.chmod(cache, 0o755)
    findings = doctor.check_folders(registry, str(cache))
    levels = {f.topic: f.level for f in findings}
    assert levels["Historie"] == "warnung" and levels["Dataset-Cache"] == "warnung"
    assert any("chmod" in f.todo for f in findings)
    os.chmod(history, 0o750)
    os.chmod(cache, 0o700)
    assert all(f.level == "ok" for f in doctor.check_folders(registry, str(cache)))


def test_lock_mismatch_is_an_error_with_the_fix(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("pyyaml==0.0.1 \\\n    --hash=sha256:00\nnot-installed-package==1.0 \\\n"
                    "    --hash=sha256:00\n", encoding="utf-8")
    finding = doctor.check_lock(lock)[0]
    assert finding.level == "fehler"
    assert "pyyaml" in finding.text and "(gesperrt 0.0.1)" in finding.text
    assert "not-installed-package fehlt" in finding.text
    assert "--require-hashes" in finding.todo
    assert doctor.check_lock(tmp_path / "fehlt.lock")[0].level == "fehler"


@pytest.mark.parametrize("lock", [RUN_LOCK, DEV_LOCK], ids=["run", "dev"])
def test_lock_files_pin_every_package_with_hashes_and_no_local_paths(lock: Path) -> None:
    text = lock.read_text(encoding="utf-8")
    pins = read_lock(lock)
    assert len(pins) > 50 and pins["streamlit"] == "1.67.0"
    assert unhashed_pins(lock) == []
    assert "file:" not in text.replace("requirements file:", "") and "/opt/" not in text
    assert "--index-url" not in text and "--find-links" not in text
    top = (ROOT / ("requirements.txt" if lock == RUN_LOCK else "requirements-dev.txt")).read_text()
    for raw in top.splitlines():
        line = raw.split(" #", 1)[0].strip()  # pip allows a comment after a requirement
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            assert pins[name.lower().replace("_", "-")] == version.strip(), name


def test_run_and_dev_locks_agree() -> None:
    run, dev = read_lock(RUN_LOCK), read_lock(DEV_LOCK)
    assert {k: dev[k] for k in run} == run


def test_doctor_without_registry_argument_uses_partnernetz_registry(installed, tmp_path: Path) -> None:
    import subprocess
    import sys

    registry, secrets_file = installed
    environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path),
               "PARTNERNETZ_CACHE_DIR": str(tmp_path / "cache"), "PARTNERNETZ_REGISTRY": str(registry)}
    result = subprocess.run([sys.executable, "-m", "partnernetz", "doctor", "--secrets", str(secrets_file)],
                            capture_output=True, text=True, cwd=tmp_path, env=environ, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{registry} ist gültig" in result.stdout
    assert f"{registry.parent / 'access.yaml'} ist gültig" in result.stdout  # found beside it
