"""A registry for the guide whose every non-public value carries a marker.

Internal contacts (every field), notes, owners, an inactive and a planned partner
(every field, translations included): none of it may reach any file of the site.
Partner text with HTML in it checks the escaping.
"""

from __future__ import annotations

from pathlib import Path

from tests.access.markers import INTERNAL_CONTACT_MARKERS, NOTE_MARKERS, PUBLIC_MARKERS

EXTRA_MARKERS = (
    "Rollenmarker-Intern", "ownermarker@example.org", "Inaktivmarker Verein", "INAKTIVBESCHREIBUNG",
    "inaktiv-marker-nieheim", "INAKTIVUEBERSETZUNG", "Geplantmarker Treff", "05272 999222",
    "inaktiv.marker@example.org", "Inaktivstrasse 9", "INAKTIVANGEBOT",
)
HIDDEN_MARKERS = (*INTERNAL_CONTACT_MARKERS, *NOTE_MARKERS, *EXTRA_MARKERS)
SHOWN_MARKERS = (*PUBLIC_MARKERS, "Kita Markerhaus Brakel", "ÖFFENTLICHÜBERSETZUNG")
HOSTILE_NAME = "Treff <script>alert('xss')</script> & Co"
HOSTILE_DESCRIPTION = '<img src=x onerror="alert(1)"> Beratung'

REGISTRY = f"""\
region:
  name: Kreis Höxter
  kreis: "05762"
  accessibility:
    name: KI Kreis Höxter
    email: barrierefreiheit@example.org
partners:
  - id: kita-marker-brakel
    name: Kita Markerhaus Brakel
    category: kita
    town: Brakel
    phone: "05272 1000"
    target_groups: [kinder, eltern]
    languages: [de, ar]
    offers: [Elterncafé]
    description: Kita mit Elterncafé
    contacts:
      - name: Paula Publikmarker
        role: Leitung
        visibility: public
      - name: Ilse Internmarker
        role: Rollenmarker-Intern
        phone: "05272 999111"
        email: ilse.internmarker@example.org
    notes: NOTIZMARKER-Elternabend verschoben
    owners: [ownermarker@example.org]
    translations:
      ar:
        description: ÖFFENTLICHÜBERSETZUNG
        offers: [مقهى الآباء]
  - id: beratung-marker-hoexter
    name: Beratung Markerstelle Höxter
    category: beratung
    town: Höxter
    serves: all
    languages: [tr, uk]
    target_groups: [jugendliche, erwachsene]
    contacts:
      - name: Kurt Verdecktmarker
        role: Fallmanagement
        visibility: internal
    notes: NOTIZMARKER-Zweite Notiz
  - id: treff-hostile-warburg
    name: "{HOSTILE_NAME}"
    category: ehrenamt
    town: Warburg
    description: '{HOSTILE_DESCRIPTION}'
  - id: inaktiv-marker-nieheim
    name: Inaktivmarker Verein
    category: ehrenamt
    town: Nieheim
    status: inactive
    description: INAKTIVBESCHREIBUNG
    offers: [INAKTIVANGEBOT]
    phone: "05272 999222"
    email: inaktiv.marker@example.org
    address:
      street: Inaktivstrasse 9
    translations:
      en:
        description: INAKTIVUEBERSETZUNG
  - id: geplant-marker-steinheim
    name: Geplantmarker Treff
    category: ehrenamt
    town: Steinheim
    status: planned
"""


def write_marker_registry(folder: Path) -> Path:
    """Write the marker registry into ``folder``."""
    path = folder / "partners.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path
