"""``make demo-login``: the app with a local test identity provider, on loopback only.

Starts ``oidc-provider-mock`` (a test OpenID Connect provider) on
127.0.0.1:9400 with one demo user per role, writes a secrets file with a
fresh cookie secret to a temporary folder, and runs the app on
127.0.0.1:8501 with that secrets file (``--secrets.files``) and the demo
access file ``data/demo-access.yaml``. Ctrl+C stops both.

Never used unless asked for: the app itself knows nothing of this provider.
Ports: ``PARTNERNETZ_DEMO_APP_PORT``, ``PARTNERNETZ_DEMO_IDP_PORT``.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_ACCESS = ROOT / "data" / "demo-access.yaml"

DEMO_USERS: tuple[dict, ...] = (
    {"sub": "mitglied@example.org", "email": "mitglied@example.org", "name": "Mia Mitglied",
     "groups": ["partnernetz-netzwerk"]},
    {"sub": "redaktion@example.org", "email": "redaktion@example.org", "name": "Rudi Redaktion",
     "groups": ["partnernetz-redaktion"]},
    {"sub": "admin@example.org", "email": "admin@example.org", "name": "Ada Admin",
     "groups": ["partnernetz-leitung"]},
    {"sub": "gast@example.net", "email": "gast@example.net", "name": "Gabi Gast", "groups": []},
)


def provider_command(port: int, users: tuple[dict, ...] = DEMO_USERS) -> list[str]:
    """The command line of the test provider on 127.0.0.1:``port`` with ``users``."""
    cmd = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    for user in users:
        cmd += ["--user-claims", json.dumps(user)]
    return cmd


def secrets_toml(*, app_port: int, provider_port: int, cookie_secret: str) -> str:
    """A minimal ``secrets.toml`` for the test provider (default provider form)."""
    return (
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{cookie_secret}"\n'
        'client_id = "partnernetz-demo"\n'
        'client_secret = "demo-secret"\n'
        f'server_metadata_url = "http://127.0.0.1:{provider_port}/.well-known/openid-configuration"\n'
        'label = "Demo-Anbieter"\n'
    )


def wait_for(url: str, *, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Poll ``url`` until it answers; raise when ``process`` ends or time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[2] if len(process.args) > 2 else process.args} "
                               f"exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"no answer from {url} within {timeout:.0f} s")


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _stop)
    app_port = int(os.environ.get("PARTNERNETZ_DEMO_APP_PORT", "8501"))
    idp_port = int(os.environ.get("PARTNERNETZ_DEMO_IDP_PORT", "9400"))
    folder = Path(tempfile.mkdtemp(prefix="partnernetz-demo-login-"))
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(secrets_toml(app_port=app_port, provider_port=idp_port,
                                         cookie_secret=secrets.token_urlsafe(32)), encoding="utf-8")
    secrets_file.chmod(0o600)
    env = {**os.environ, "PARTNERNETZ_ACCESS": str(DEMO_ACCESS)}
    provider = subprocess.Popen(provider_command(idp_port), cwd=ROOT, env=env)
    app = None
    try:
        wait_for(f"http://127.0.0.1:{idp_port}/.well-known/openid-configuration", process=provider)
        app = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py",
             "--server.address", "127.0.0.1", "--server.port", str(app_port),
             "--server.headless", "true", "--secrets.files", str(secrets_file)],
            cwd=ROOT, env=env,
        )
        wait_for(f"http://127.0.0.1:{app_port}/_stcore/health", process=app)
        print(
            "\nPartnernetz mit Demo-Anmeldung (nur auf diesem Rechner):\n"
            f"  App:       http://127.0.0.1:{app_port}   (bitte genau diese Adresse öffnen)\n"
            f"  Anbieter:  http://127.0.0.1:{idp_port}   (Test-Identitätsanbieter)\n"
            "  In der Seitenleiste »Anmelden« wählen, dann beim Anbieter einen Demo-Benutzer:\n"
            "    mitglied@example.org   – sieht interne Ansprechpersonen\n"
            "    redaktion@example.org  – zusätzlich Notizen (über die Gruppe partnernetz-redaktion)\n"
            "    admin@example.org      – zusätzlich die Seite »Zugang«\n"
            "    gast@example.net       – angemeldet, aber ohne Rolle\n"
            f"  Zugangsdatei: {DEMO_ACCESS.relative_to(ROOT)} · Beenden mit Strg+C\n",
            flush=True,
        )
        app.wait()
    except KeyboardInterrupt:
        pass
    except (RuntimeError, TimeoutError) as exc:
        print(f"demo-login: {exc}", file=sys.stderr)
        return 1
    finally:
        for process in (app, provider):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        secrets_file.unlink(missing_ok=True)
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
