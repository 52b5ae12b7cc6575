"""``init``: a new registry for one Kreis, its access file and a sign-in template.

Nothing existing is ever overwritten: the registry must be new (otherwise
nothing is written at all); an access file or secrets template that is
already there is kept and named in the result.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from partnernetz.access.secret import SECRET_COMMAND
from partnernetz.errors import ExportError, OperationsError
from partnernetz.files import write_bytes_atomically
from partnernetz.operations.region import RegionChoice, find_region
from partnernetz.registry.models import EMAIL_RE
from partnernetz.registry.vocabulary import DEFAULT_CATEGORIES

ACCESS_FILENAME = "access.yaml"
SECRETS_FILENAME = "secrets.toml"
# Coverage targets a new registry starts with (the coordinator adapts them).
DEFAULT_TARGETS: dict[str, tuple[int, float | None]] = {
    "schule": (1, None), "kita": (1, 3.0), "jugendhilfe": (1, None), "verwaltung": (1, None),
    "beratung": (1, 1.0), "einrichtung": (1, None), "ehrenamt": (1, 0.5),
}


@dataclass(frozen=True)
class InitResult:
    """What ``init`` wrote and what it left alone."""

    region: RegionChoice
    registry: Path
    access: Path
    secrets: Path
    written: tuple[Path, ...]
    kept: tuple[Path, ...] = field(default=())


def registry_text(region: RegionChoice) -> str:
    """The text of a new registry: region, commented categories and targets, no partners."""
    lines = [
        f"# Partnernetz – Partnerregister {region.name}",
        "# Format der Datei: docs/registry.md · Prüfen: python -m partnernetz validate DATEI",
        "# Partner kommen per Import (python -m partnernetz import LISTE.xlsx --into DATEI)",
        "# oder über die Seite \"Bearbeiten\" der App dazu.",
        "",
        "region:",
        f"  name: {region.name}",
        f"  kreis: \"{region.kreis}\"",
        "  # Kontakt für Rückmeldungen zur Barrierefreiheit (Erklärung zur Barrierefreiheit):",
        "  # accessibility:",
        f"  #   name: Kommunales Integrationszentrum {region.name}",
        "  #   email: barrierefreiheit@kreis.example.org",
        "  #   phone: \"05251 0000-000\"",
        "",
        "# Kategorien: diese sieben gelten immer (Farbe und Symbol auf der Karte). Hier lassen",
        "# sich Beschriftungen, Farben und Symbole ändern oder eigene Kategorien ergänzen, z. B.:",
        "# categories:",
        "#   sport:",
        "#     label: Sportvereine",
        "#     label_en: Sports clubs",
        "#     colour: \"#117733\"",
        "#     icon: sport",
    ]
    for key, style in DEFAULT_CATEGORIES.items():
        lines.append(f"#   {key}: {style.de} ({style.colour}, Symbol {style.icon})")
    lines += [
        "",
        "# Versorgungsziele je Kategorie: so viele Partner muss jeder Ort erreichen",
        "# (min_reachable), mit per_10k wächst das Ziel mit der Einwohnerzahl (je 10.000).",
        "# Bitte an die eigene Planung anpassen; eine fehlende Kategorie heißt: mindestens 1.",
        "targets:",
    ]
    for key, (minimum, per_10k) in DEFAULT_TARGETS.items():
        lines.append(f"  {key}:  # {DEFAULT_CATEGORIES[key].de}")
        lines.append(f"    min_reachable: {minimum}")
        if per_10k is not None:
            lines.append(f"    per_10k: {per_10k}")
    lines += [
        "",
        "# Noch keine Partner. Der erste Import oder die erste Änderung in der App schreibt sie hier",
        "# als Liste mit '- ' je Eintrag.",
        "partners: []",
        "",
    ]
    return "\n".join(lines)


def access_text(region: RegionChoice, admin: str) -> str:
    """The access file of a new registry: one admin, the other roles commented."""
    return (
        f"# Zugang zur Partnernetz-App {region.name}: wer nach der Anmeldung welche Rolle hat.\n"
        "# Format: README.md (\"Sign-in and roles\"). Prüfen: python -m partnernetz validate DATEI\n"
        "# Einträge: E-Mail-Adresse, \"domain:NAME\" (alle Adressen der Domain) oder \"group:NAME\"\n"
        "# (ein Wert des Gruppen-Claims im ID-Token).\n"
        f"contact: {admin}   # wird Personen ohne Zugang als Ansprechstelle gezeigt\n"
        "group_claim: groups\n"
        "session_hours: 12\n"
        "roles:\n"
        f"  admin: [{admin}]\n"
        "  # redaktion: [\"group:partnernetz-redaktion\"]\n"
        "  # mitglied: [\"domain:kreis.example.org\"]\n"
    )


def secrets_text(*, cookie_secret: str) -> str:
    """The sign-in template: every line commented, with a freshly generated cookie secret."""
    return (
        "# Anmeldung (OpenID Connect) für Partnernetz – VORLAGE, alle Zeilen auskommentiert:\n"
        "# solange sie auskommentiert sind, ist die Anmeldung aus (nur die öffentliche Ansicht).\n"
        "#\n"
        "# WO DIESE DATEI LIEGEN MUSS: Streamlit liest sie nur als .streamlit/secrets.toml im\n"
        "# Ordner, in dem die App gestartet wird, oder über die Option\n"
        "#   streamlit run dashboard.py --secrets.files /etc/partnernetz/secrets.toml\n"
        "# (so im systemd-Dienst, deploy/partnernetz.service). Rechte: nur der Dienst-Benutzer\n"
        "# darf sie lesen (chmod 600). Nie in git einchecken.\n"
        "#\n"
        "# Das cookie_secret unten wurde eben zufällig erzeugt (secrets.token_urlsafe(48)); ein\n"
        f"# neues erzeugt: {SECRET_COMMAND}\n"
        "# redirect_uri: die öffentliche Adresse der App + /oauth2callback (hinter nginx mit\n"
        "# Unterpfad: https://kreis.example.org/partnernetz/oauth2callback).\n"
        "# Keycloak und Entra ID: docs/operations.md.\n"
        "#\n"
        "# [auth]\n"
        "# redirect_uri = \"https://kreis.example.org/partnernetz/oauth2callback\"\n"
        f"# cookie_secret = \"{cookie_secret}\"\n"
        "# client_id = \"partnernetz\"\n"
        "# client_secret = \"vom Identitätsanbieter\"\n"
        "# server_metadata_url = \"https://login.kreis.example.org/realms/kreis/.well-known/"
        "openid-configuration\"\n"
    )


def init_registry(path: str | Path, *, region: str, admin: str) -> InitResult:
    """Write a new registry at ``path`` with ``access.yaml`` and ``secrets.toml`` beside it.

    Raises
    ------
    OperationsError
        The registry exists already, the region is unknown or ambiguous, the
        admin is no e-mail address, or the folder is not writable.
    """
    path = Path(path)
    admin = admin.strip()
    if not EMAIL_RE.match(admin):
        raise OperationsError(f"--admin: '{admin}' ist keine E-Mail-Adresse")
    choice = find_region(region)
    if path.exists() or path.is_symlink():
        raise OperationsError(f"{path} gibt es schon: init überschreibt nichts (anderen Namen wählen "
                              "oder die vorhandene Registry weiter benutzen)")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OperationsError(f"Ordner {folder} kann nicht angelegt werden ({exc.strerror})") from None
    access, secrets_file = folder / ACCESS_FILENAME, folder / SECRETS_FILENAME
    written, kept = [], []
    plan = [
        (path, registry_text(choice), 0o640),
        (access, access_text(choice, admin), 0o640),
        (secrets_file, secrets_text(cookie_secret=secrets.token_urlsafe(48)), 0o600),
    ]
    for target, text, mode in plan:
        if target != path and (target.exists() or target.is_symlink()):
            kept.append(target)
            continue
        try:
            write_bytes_atomically(target, text.encode("utf-8"), mode=mode, exclusive=True)
        except ExportError as exc:
            if target == path:
                raise OperationsError(str(exc)) from None
            kept.append(target)
            continue
        written.append(target)
    return InitResult(choice, path, access, secrets_file, tuple(written), tuple(kept))


def next_steps(result: InitResult) -> list[str]:
    """What to do after ``init`` (German): import, start the app, sign in."""
    reg, access = result.registry, result.access
    return [
        f"1. Partnerliste importieren (Excel/CSV): python -m partnernetz import LISTE.xlsx --into {reg}",
        f"   Schulen aus den Schuldaten NRW: python -m partnernetz import schuldaten.csv --into {reg} "
        "--format msb",
        f"2. App starten: PARTNERNETZ_REGISTRY={reg} PARTNERNETZ_ACCESS={access} make run",
        f"3. Anmelden: {result.secrets} ausfüllen und als .streamlit/secrets.toml ablegen "
        "(oder --secrets.files), dann als Admin anmelden (docs/operations.md).",
        f"Prüfen: python -m partnernetz doctor {reg}",
    ]
