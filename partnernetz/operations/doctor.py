"""``doctor``: can the app run here as configured? German findings, each with what to do."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from partnernetz.access.secret import SECRET_COMMAND, weak_secret_reason
from partnernetz.errors import PartnernetzError
from partnernetz.operations.lockfile import RUN_LOCK, lock_differences, read_lock
from partnernetz.registry.history import history_dir

Level = Literal["ok", "hinweis", "warnung", "fehler"]
PROVIDER_KEYS = frozenset({"client_id", "server_metadata_url"})


@dataclass(frozen=True)
class Finding:
    """One check: its level, what was found, and what to do (empty when nothing)."""

    level: Level
    topic: str
    text: str
    todo: str = ""

    def format(self) -> str:
        """One or two lines for the terminal."""
        mark = {"ok": "ok", "hinweis": "Hinweis", "warnung": "Warnung", "fehler": "FEHLER"}[self.level]
        line = f"[{mark}] {self.topic}: {self.text}"
        return f"{line}\n        → {self.todo}" if self.todo else line


def default_secrets_paths(cwd: Path | None = None) -> list[Path]:
    """Where Streamlit looks for secrets: ``~/.streamlit`` and ``.streamlit`` of the start folder."""
    cwd = cwd or Path.cwd()
    return [Path.home() / ".streamlit" / "secrets.toml", cwd / ".streamlit" / "secrets.toml"]


def check_registry(path: Path) -> list[Finding]:
    """The registry is there and valid; zero partners is fine."""
    from partnernetz.dataset import validate_registry

    topic = "Registry"
    if not path.exists():
        return [Finding("fehler", topic, f"{path} gibt es nicht",
                        f"anlegen: python -m partnernetz init {path} --region KREIS --admin E-MAIL")]
    try:
        report = validate_registry(path)
    except PartnernetzError as exc:
        return [Finding("fehler", topic, str(exc), "Datei prüfen oder aus der Sicherung zurückholen")]
    if not report.ok:
        first = next(i for i in report.issues if i.severity == "error")
        return [Finding("fehler", topic, f"{path} ist ungültig ({report.summary()}); zuerst: "
                        f"{first.format()}", f"python -m partnernetz validate {path}")]
    from partnernetz.registry.layout import scan_layout

    try:  # a line scan: counting must not parse a 20,000-partner file a second time
        partners = scan_layout(path.read_text(encoding="utf-8")).entries
    except PartnernetzError as exc:  # valid YAML the writer cannot edit (flow style)
        return [Finding("warnung", topic, f"{path} ist gültig, aber nicht bearbeitbar: {exc}",
                        "partners als Liste mit '- ' je Eintrag schreiben")]
    if not partners:
        return [Finding("hinweis", topic, f"{path} ist gültig, noch keine Partner",
                        f"Liste importieren: python -m partnernetz import LISTE.xlsx --into {path}")]
    return [Finding("ok", topic, f"{path} ist gültig ({len(partners)} Partner, {report.summary()})")]


def check_access(path: Path | None) -> list[Finding]:
    """The access file is valid (without one, nobody gets more than the public view)."""
    from partnernetz.access import validate_access

    topic = "Zugangsdatei"
    if path is None or not path.exists():
        return [Finding("hinweis", topic, "keine Zugangsdatei: alle sehen nur die öffentliche Ansicht",
                        "access.yaml neben die Registry legen oder PARTNERNETZ_ACCESS setzen")]
    try:
        report = validate_access(path)
    except PartnernetzError as exc:
        return [Finding("fehler", topic, str(exc), "Datei lesbar machen oder neu anlegen")]
    if not report.ok:
        return [Finding("fehler", topic, f"{path} ist ungültig ({report.summary()})",
                        f"python -m partnernetz validate {path}")]
    return [Finding("ok", topic, f"{path} ist gültig")]


def check_sign_in(paths: list[Path]) -> list[Finding]:
    """``[auth]`` is either off (no section) or complete with a strong cookie secret."""
    topic = "Anmeldung"
    auth: dict[str, Any] = {}
    sources = []
    for path in paths:
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            return [Finding("fehler", topic, f"{path} ist nicht lesbar ({exc})",
                            "TOML-Syntax prüfen (Anführungszeichen, [auth])")]
        if isinstance(data.get("auth"), Mapping):
            auth.update(data["auth"])
            sources.append(str(path))
        if path.stat().st_mode & 0o077:
            return [Finding("fehler", topic, f"{path} ist für andere Benutzer lesbar",
                            f"chmod 600 {path}")]
    if not auth:
        return [Finding("ok", topic, "aus (kein [auth] in secrets.toml): nur die öffentliche Ansicht")]
    where = ", ".join(sources)
    reason = weak_secret_reason(auth.get("cookie_secret"))
    if reason:
        return [Finding("fehler", topic, f"{reason} ({where}); die Anmeldung bleibt aus",
                        f"neues Geheimnis erzeugen: {SECRET_COMMAND}")]
    providers = ([None] if PROVIDER_KEYS & set(auth) else []) + [
        k for k, v in auth.items() if isinstance(v, Mapping) and PROVIDER_KEYS & set(v)]
    if not providers:
        return [Finding("fehler", topic, f"[auth] ohne Anbieter (client_id, server_metadata_url) in {where}",
                        "Anbieter eintragen (docs/operations.md: Keycloak, Entra ID)")]
    if not str(auth.get("redirect_uri", "")).endswith("/oauth2callback"):
        return [Finding("fehler", topic, "redirect_uri fehlt oder endet nicht auf /oauth2callback",
                        "redirect_uri = \"https://SERVER/partnernetz/oauth2callback\" eintragen")]
    return [Finding("ok", topic, f"an ({len(providers)} Anbieter, starkes cookie_secret; {where})")]


def _folder_finding(topic: str, folder: Path, *, private: bool) -> Finding:
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        return Finding("fehler", topic, f"{probe} ist nicht beschreibbar",
                       f"dem Dienst-Benutzer Schreibrechte geben (chown) für {probe}")
    if folder.exists():
        info = os.lstat(folder)
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            return Finding("fehler", topic, f"{folder} ist kein Ordner", f"{folder} entfernen")
        if private and info.st_mode & 0o007:
            return Finding("warnung", topic, f"{folder} ist für alle Benutzer lesbar "
                           f"(Rechte {stat.S_IMODE(info.st_mode):o}): interne Kontakte und Notizen",
                           f"chmod -R o-rwx {folder}")
        return Finding("ok", topic, f"{folder} beschreibbar (Rechte {stat.S_IMODE(info.st_mode):o})")
    return Finding("ok", topic, f"{folder} wird beim ersten Schreiben angelegt ({probe} beschreibbar)")


def check_folders(registry: Path, cache_setting: str | None) -> list[Finding]:
    """Registry folder, history and dataset cache are writable and not open to everyone."""
    findings = [_folder_finding("Registry-Ordner", registry.resolve().parent, private=False)]
    findings.append(_folder_finding("Historie", history_dir(registry.resolve()), private=True))
    if cache_setting == "off":
        findings.append(Finding("ok", "Dataset-Cache", "aus (PARTNERNETZ_CACHE_DIR=off)"))
    else:
        folder = Path(cache_setting) if cache_setting else Path.home() / ".cache" / "partnernetz"
        finding = _folder_finding("Dataset-Cache", folder, private=True)
        if finding.level == "ok" and folder.exists() and stat.S_IMODE(os.stat(folder).st_mode) & 0o077:
            finding = Finding("warnung", "Dataset-Cache", f"{folder} sollte 0700 sein",
                              f"chmod 700 {folder}")
        findings.append(finding)
    return findings


def check_pdf() -> list[Finding]:
    """WeasyPrint finds Pango, and the report's font (DejaVu Sans) is installed."""
    findings = []
    try:
        import weasyprint  # noqa: F401 - loads Pango through cffi
    except (OSError, ImportError) as exc:
        findings.append(Finding("fehler", "PDF-Bericht", f"WeasyPrint/Pango fehlt ({exc})",
                                "apt-get install libpango-1.0-0 libpangoft2-1.0-0"))
    else:
        findings.append(Finding("ok", "PDF-Bericht", "WeasyPrint und Pango vorhanden"))
    font = None
    fc_match = shutil.which("fc-match")
    if fc_match:
        result = subprocess.run([fc_match, "-f", "%{family}", "DejaVu Sans"], capture_output=True,  # noqa: S603
                                text=True, timeout=20, check=False)
        font = result.stdout if "DejaVu Sans" in result.stdout else None
    if font is None and Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file():
        font = "DejaVu Sans"
    if font is None:
        findings.append(Finding("fehler", "Schrift", "DejaVu Sans fehlt (Umlaute und Zeichen im PDF)",
                                "apt-get install fonts-dejavu-core"))
    else:
        findings.append(Finding("ok", "Schrift", "DejaVu Sans vorhanden"))
    return findings


def check_lock(lock: Path = RUN_LOCK) -> list[Finding]:
    """Every package of the lock file is installed in exactly the locked version."""
    topic = "Pakete"
    if not lock.is_file():
        return [Finding("fehler", topic, f"{lock} fehlt", "Installation aus dem Repository wiederholen")]
    differences = lock_differences(read_lock(lock))
    if differences:
        shown = ", ".join(f"{d.name} {d.installed or 'fehlt'} (gesperrt {d.locked})"
                          for d in differences[:6])
        more = f" und {len(differences) - 6} weitere" if len(differences) > 6 else ""
        return [Finding("fehler", topic, f"{len(differences)} Pakete weichen von {lock.name} ab: "
                        f"{shown}{more}", f"pip install --require-hashes -r {lock}")]
    return [Finding("ok", topic, f"alle Pakete wie in {lock.name}")]


def run_checks(registry: Path, *, access: Path | None, secrets: list[Path],
               cache_setting: str | None, lock: Path = RUN_LOCK) -> list[Finding]:
    """Every check of ``doctor``, in the order an admin fixes them."""
    return [*check_registry(registry), *check_access(access), *check_sign_in(secrets),
            *check_folders(registry, cache_setting), *check_pdf(), *check_lock(lock)]


def can_run(findings: list[Finding]) -> bool:
    """True when no finding is an error."""
    return not any(f.level == "fehler" for f in findings)
