"""Cards and the map payload mark internal contacts "intern" and show notes, when present."""

from __future__ import annotations

import json

import pytest

from partnernetz.access import Role
from partnernetz.dataset import dataset_for_role, load_dataset
from partnernetz.views.cards import render_contact_card
from partnernetz.views.map_payload import partner_payload
from tests.access.markers import INTERNAL_CONTACT_MARKERS, NOTE_MARKERS, write_marker_files


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory):
    registry, _ = write_marker_files(tmp_path_factory.mktemp("markers"))
    return load_dataset(registry, cache_dir="off")


def test_card_marks_internal_contacts_and_shows_notes(full) -> None:
    row = dataset_for_role(full, Role.REDAKTION).partners.iloc[0].to_dict()
    html = render_contact_card(row, full.categories)
    assert ('<span class="pn-card__contact-name">Ilse Internmarker</span> (Sozialarbeit) '
            '<span class="pn-card__internal">intern</span>') in html
    assert '<span class="pn-card__contact-name">Paula Publikmarker</span> (Leitung)<' in html
    assert ('<p class="pn-card__notes"><span class="pn-card__label">Notizen (intern):</span> '
            'NOTIZMARKER-Elternabend verschoben</p>') in html


def test_card_escapes_notes(full) -> None:
    row = dict(dataset_for_role(full, Role.ADMIN).partners.iloc[0].to_dict(),
               notes="<script>alert(1)</script>")
    html = render_contact_card(row, full.categories, lang="en")
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "Notes (internal)" in html


@pytest.mark.parametrize(("role", "contacts", "notes"), [
    (Role.PUBLIC, False, False), (Role.MITGLIED, True, False), (Role.REDAKTION, True, True),
], ids=["public", "mitglied", "redaktion"])
def test_map_payload_holds_only_what_the_role_sees(full, role, contacts, notes) -> None:
    partners = dataset_for_role(full, role).partners
    payload = json.dumps(partner_payload(partners, full.categories), ensure_ascii=False)
    assert all((m in payload) is contacts for m in INTERNAL_CONTACT_MARKERS)
    assert all((m in payload) is notes for m in NOTE_MARKERS)
    flags = partner_payload(partners, full.categories)["columns"]["contacts"]["internal"]
    assert flags == ([0, 1, 1] if contacts else [0])
