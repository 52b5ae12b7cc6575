"""A small registry whose internal data carries marker strings, and an access file for it.

Tests look for the markers wherever a role may not see them: page elements,
HTML of every frame, websocket frames, exports, PDFs.
"""

from __future__ import annotations

import secrets
from pathlib import Path

INTERNAL_CONTACT_MARKERS = ("Ilse Internmarker", "ilse.internmarker@example.org", "05272 999111",
                            "Kurt Verdecktmarker")
NOTE_MARKERS = ("NOTIZMARKER-Elternabend", "NOTIZMARKER-Zweite")
PUBLIC_MARKERS = ("Paula Publikmarker",)

REGISTRY = """\
region:
  name: Kreis Höxter
  kreis: "05762"
partners:
  - id: kita-marker-brakel
    name: Kita Markerhaus Brakel
    category: kita
    town: Brakel
    phone: "05272 1000"
    contacts:
      - name: Paula Publikmarker
        role: Leitung
        visibility: public
      - name: Ilse Internmarker
        role: Sozialarbeit
        phone: "05272 999111"
        email: ilse.internmarker@example.org
    notes: NOTIZMARKER-Elternabend verschoben
  - id: beratung-marker-hoexter
    name: Beratung Markerstelle Höxter
    category: beratung
    town: Höxter
    contacts:
      - name: Kurt Verdecktmarker
        role: Fallmanagement
        visibility: internal
    notes: NOTIZMARKER-Zweite Notiz
  - id: schule-ohne-intern-warburg
    name: Schule Ohneintern Warburg
    category: schule
    town: Warburg
"""

ACCESS = """\
contact: integration@kreis-hoexter.example
roles:
  admin: [admin@example.org]
  redaktion: [redaktion@example.org, "group:partnernetz-redaktion"]
  mitglied: [mitglied@example.org, "domain:kreis-hoexter.example"]
"""

AUTH_SECRETS = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": secrets.token_urlsafe(48),  # a weak one turns sign-in off
        "client_id": "partnernetz",
        "client_secret": "test",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}


def write_marker_files(folder: Path) -> tuple[Path, Path]:
    """Write the marker registry and the access file into ``folder``."""
    registry = folder / "partners.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    access = folder / "access.yaml"
    access.write_text(ACCESS, encoding="utf-8")
    return registry, access
