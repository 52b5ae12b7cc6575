"""The app behind Debian's nginx under /partnernetz/ with TLS, and the new KI's afternoon.

The test makes a self-signed certificate (openssl), starts ``/usr/sbin/nginx`` on loopback
with ``deploy/nginx-partnernetz.conf`` (only ports, certificate paths and the upstream port
changed), the test sign-in provider and the app with ``deploy/streamlit-config.toml`` as the
service user's ``~/.streamlit/config.toml``. The registry is the one a new KI makes:
``init`` for Kreis Paderborn, then ``import`` of an Excel list with 30 partners.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tests.browser.conftest import (
    LOOPBACK_HOSTS,
    demo_login,
    free_port,
    running,
    wait_for_provider_and_app,
)
from tests.browser.test_app_map import MAP_FRAME, wait_for_map
from tests.conftest import run_cli

pytestmark = pytest.mark.browser
demo = demo_login()

REPO = Path(__file__).resolve().parents[2]
NGINX = Path("/usr/sbin/nginx")
TIMEOUT = 60_000
TOWNS = {"Paderborn": "33098", "Bad Lippspringe": "33175", "Büren": "33142", "Delbrück": "33129",
         "Hövelhof": "33161", "Lichtenau": "33165", "Salzkotten": "33154",
         "Bad Wünnenberg": "33181", "Altenbeken": "33184", "Borchen": "33178"}
CATEGORIES = ["Kita", "Schule", "Beratung"]
PAGES = {"": "Übersicht", "uebersicht": "Übersicht", "karte": "Karte", "verzeichnis": "Verzeichnis",
         "abdeckung": "Abdeckung", "barrierefreiheit": "Erklärung zur Barrierefreiheit",
         "leichte-sprache": "Leichte Sprache"}


def write_partner_list(path: Path, n: int = 30) -> None:
    """An Excel list as a KI keeps it: 30 fictional partners in the towns of Kreis Paderborn."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Partner"
    sheet.append(["Name der Einrichtung", "Kategorie", "Ort", "Straße", "PLZ", "Telefon", "E-Mail"])
    towns = list(TOWNS)
    for i in range(n):
        town = towns[i % len(towns)]
        category = CATEGORIES[i % len(CATEGORIES)]
        sheet.append([f"{category} Testhaus {i + 1:02d}", category.lower(), town, f"Musterweg {i + 1}",
                      TOWNS[town], f"05251 9999-{i:03d}", f"partner{i + 1:02d}@example.org"])
    book.save(path)


def make_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    return cert, key


def site_for_test(*, tls_port: int, http_port: int, app_port: int, cert: Path, key: Path) -> str:
    """deploy/nginx-partnernetz.conf with loopback ports and the test certificate."""
    site = (REPO / "deploy" / "nginx-partnernetz.conf").read_text(encoding="utf-8")
    replacements = {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{tls_port} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "server 127.0.0.1:8501;": f"server 127.0.0.1:{app_port};",
        "/etc/ssl/certs/kreis.example.org.pem": str(cert),
        "/etc/ssl/private/kreis.example.org.key": str(key),
    }
    for old, new in replacements.items():
        assert site.count(old) == 1, old
        site = site.replace(old, new)
    return "\n".join(line for line in site.splitlines() if "listen [::]" not in line) + "\n"


def nginx_conf(work: Path, site: Path) -> str:
    temp = work / "nginx-tmp"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / sub).mkdir(parents=True, exist_ok=True)
    return (f"master_process off;\ndaemon off;\npid {work}/nginx.pid;\n"
            f"error_log {work}/nginx-error.log info;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n  access_log {work}/nginx-access.log;\n"
            f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
            f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n"
            f"  scgi_temp_path {temp}/scgi;\n  include {site};\n}}\n")


@dataclass
class Proxied:
    base_url: str  # https://127.0.0.1:PORT/partnernetz
    http_url: str
    provider_url: str
    registry: Path
    work: Path


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    if not NGINX.exists():
        pytest.fail("Debian nginx is not installed: run `make test` (it installs it) or `make nginx`")
    work = tmp_path_factory.mktemp("nginx")
    # --- the new KI's afternoon, on the command line: init, then the Excel list
    registry = work / "ki" / "partners.yaml"
    result = run_cli("init", str(registry), "--region", "Kreis Paderborn", "--admin", "admin@example.org")
    assert result.returncode == 0, result.stderr
    listing = work / "partnerliste.xlsx"
    write_partner_list(listing)
    result = run_cli("import", str(listing), "--into", str(registry))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "30 importiert" in result.stdout, result.stdout
    assert len(yaml.safe_load(registry.read_text(encoding="utf-8"))["partners"]) == 30

    tls_port, http_port, app_port, idp_port = free_port(), free_port(), free_port(), free_port()
    base = f"https://127.0.0.1:{tls_port}/partnernetz"
    provider_url = f"http://127.0.0.1:{idp_port}"
    # --- the secrets template init wrote, filled in as the docs say
    template = (registry.parent / "secrets.toml").read_text(encoding="utf-8")
    lines = [line[2:] for line in template.splitlines()
             if line == "# [auth]" or re.match(r"# [a-z_]+ = ", line)]
    values = {"redirect_uri": f"{base}/oauth2callback", "client_id": "partnernetz-demo",
              "client_secret": "demo-secret",
              "server_metadata_url": f"{provider_url}/.well-known/openid-configuration"}
    filled = [line if line.split(" = ")[0] not in values else f'{line.split(" = ")[0]} = "'
              f'{values[line.split(" = ")[0]]}"' for line in lines]
    secrets = work / "secrets.toml"
    secrets.write_text("\n".join([*filled, 'label = "Demo-Anbieter"']) + "\n", encoding="utf-8")
    # --- the service user's HOME with deploy/streamlit-config.toml
    home = work / "home"
    (home / ".streamlit").mkdir(parents=True)
    shutil.copy(REPO / "deploy" / "streamlit-config.toml", home / ".streamlit" / "config.toml")
    (work / "cache").mkdir()
    env = {**os.environ, "HOME": str(home), "PARTNERNETZ_REGISTRY": str(registry),
           "PARTNERNETZ_ACCESS": str(registry.parent / "access.yaml"),
           "PARTNERNETZ_CACHE_DIR": str(work / "cache")}
    app_cmd = [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard.py"),
               "--server.port", str(app_port), "--secrets.files", str(secrets)]
    # --- nginx with the deploy site
    cert, key = make_certificate(work)
    site = work / "site.conf"
    site.write_text(site_for_test(tls_port=tls_port, http_port=http_port, app_port=app_port,
                                  cert=cert, key=key), encoding="utf-8")
    conf = work / "nginx.conf"
    conf.write_text(nginx_conf(work, site), encoding="utf-8")
    check = subprocess.run([str(NGINX), "-t", "-p", str(work), "-c", str(conf), "-e",
                            str(work / "nginx-error.log")], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    nginx_cmd = [str(NGINX), "-p", str(work), "-c", str(conf), "-e", str(work / "nginx-error.log")]
    with running(demo.provider_command(idp_port), env=env, log=work / "provider.log") as idp, \
            running(app_cmd, env=env, log=work / "streamlit.log") as app, \
            running(nginx_cmd, env=env, log=work / "nginx.log"):
        wait_for_provider_and_app(
            provider=(provider_url, idp),
            app=(f"http://127.0.0.1:{app_port}/partnernetz/_stcore/health", app), work=work)
        yield Proxied(base, f"http://127.0.0.1:{http_port}/partnernetz/", provider_url, registry, work)


@pytest.fixture
def tls_page(browser, proxied: Proxied):
    """A page that accepts the test certificate; every non-loopback request is aborted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE",
                                  ignore_https_errors=True, accept_downloads=True)
    context.route("**/*", lambda route: route.continue_()
                  if (urlsplit(route.request.url).hostname or "") in LOOPBACK_HOSTS else route.abort())
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.sockets = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(f"{exc.name}: {exc.message} {exc.stack or ''}"[:300]))
    page.on("websocket", lambda ws: page.sockets.append(ws.url))
    try:
        yield page
    finally:
        context.close()


def wait_for_app(page) -> None:
    page.get_by_role("heading", name=re.compile("Partnernetz")).first.wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=TIMEOUT)


def _get(url: str) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    context = ssl._create_unverified_context()  # the test's own self-signed certificate
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, context=context, timeout=30)
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", parts.path or "/")
    response = conn.getresponse()
    response.read()
    return response


def test_proxy_sends_security_headers_and_redirects_to_https(proxied: Proxied) -> None:
    response = _get(f"{proxied.base_url}/")
    assert response.status == 200
    headers = {k.lower(): v for k, v in response.getheaders()}
    assert headers["strict-transport-security"].startswith("max-age=")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert _get(f"{proxied.base_url}/_stcore/health").status == 200
    plain = _get(proxied.http_url)
    assert plain.status == 301 and plain.getheader("Location").startswith("https://")
    bare = _get(proxied.base_url)
    assert bare.status == 301 and bare.getheader("Location").endswith("/partnernetz/")


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_works_through_the_proxy(tls_page, proxied: Proxied, path: str) -> None:
    tls_page.goto(f"{proxied.base_url}/{path}", timeout=TIMEOUT)
    wait_for_app(tls_page)
    tls_page.get_by_role("heading", name=PAGES[path], exact=True).first.wait_for(timeout=TIMEOUT)
    assert any(url.startswith(f"wss://{urlsplit(proxied.base_url).netloc}/partnernetz/_stcore/stream")
               for url in tls_page.sockets), tls_page.sockets
    assert tls_page.errors == []
    assert "30 von 30 Partnern" in tls_page.locator('[data-testid="stSidebar"]').inner_text()


def test_page_links_stay_under_the_sub_path(tls_page, proxied: Proxied) -> None:
    tls_page.goto(f"{proxied.base_url}/", timeout=TIMEOUT)
    wait_for_app(tls_page)
    for name, path in (("Verzeichnis", "verzeichnis"), ("Abdeckung", "abdeckung"), ("Karte", "karte")):
        tls_page.locator(".st-key-pn-nav").get_by_role("link", name=name).click()
        tls_page.wait_for_url(f"{proxied.base_url}/{path}**", timeout=TIMEOUT)
        tls_page.get_by_role("heading", name=name, exact=True).first.wait_for(timeout=TIMEOUT)
        assert urlsplit(tls_page.url).path == f"/partnernetz/{path}", tls_page.url


def test_map_draws_all_partners_through_the_proxy(tls_page, proxied: Proxied) -> None:
    tls_page.goto(f"{proxied.base_url}/karte?hintergrund=none", timeout=TIMEOUT)
    tls_page.get_by_role("heading", name="Karte", exact=True).wait_for(timeout=TIMEOUT)
    tls_page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT)

    class Rec:  # what wait_for_map expects
        page = tls_page

    frame = wait_for_map(Rec)
    assert frame.evaluate("() => Partnernetz.maps[0].count") == 30
    assert "/partnernetz/" in tls_page.locator(MAP_FRAME).get_attribute("src")
    assert tls_page.errors == []


def test_downloads_work_through_the_proxy(tls_page, proxied: Proxied) -> None:
    tls_page.goto(f"{proxied.base_url}/verzeichnis", timeout=TIMEOUT)
    wait_for_app(tls_page)
    tls_page.locator(".st-key-download_csv button").wait_for(timeout=TIMEOUT)
    with tls_page.expect_download(timeout=TIMEOUT) as info:
        tls_page.locator(".st-key-download_csv button").click()
    data = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    assert "Testhaus 01" in data and "Testhaus 30" in data
    assert info.value.url.startswith(f"{proxied.base_url}/")


def test_new_ki_signs_in_as_admin_through_the_proxy_and_sees_partners_on_map(
        tls_page, proxied: Proxied) -> None:
    tls_page.goto(f"{proxied.base_url}/", timeout=TIMEOUT)
    wait_for_app(tls_page)
    tls_page.get_by_role("button", name="Anmelden: Demo-Anbieter").click()
    tls_page.wait_for_url(f"{proxied.provider_url}/oauth2/authorize**", timeout=TIMEOUT)
    tls_page.get_by_role("button", name="admin@example.org", exact=True).click()
    tls_page.wait_for_url(f"{proxied.base_url}/**", timeout=TIMEOUT)  # the callback, via nginx
    tls_page.get_by_text("Angemeldet:").wait_for(timeout=TIMEOUT)
    wait_for_app(tls_page)
    side = tls_page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Rolle: Admin" in side
    tls_page.locator(".st-key-pn-nav a").first.wait_for(timeout=TIMEOUT)
    tls_page.locator(".st-key-pn-nav").get_by_role("link", name="Zugang").wait_for(timeout=TIMEOUT)
    tls_page.locator(".st-key-pn-nav").get_by_role("link", name="Karte").click()
    tls_page.get_by_role("heading", name="Karte", exact=True).wait_for(timeout=TIMEOUT)
    tls_page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT)

    class Rec:
        page = tls_page

    frame = wait_for_map(Rec)
    assert frame.evaluate("() => Partnernetz.maps[0].count") == 30
    assert tls_page.errors == []
