"""The exports for each role: what the role sees, and saying so (öffentlich / intern)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from partnernetz.access import Role
from partnernetz.dataset import dataset_for_role, load_dataset
from partnernetz.exchange.export import directory_csv, directory_vcf, directory_xlsx, scope_word
from tests.access.markers import (
    INTERNAL_CONTACT_MARKERS,
    NOTE_MARKERS,
    PUBLIC_MARKERS,
    write_marker_files,
)

# role -> (internal contacts exported, notes exported)
EXPECTED = {
    Role.PUBLIC: (False, False),
    Role.MITGLIED: (True, False),
    Role.REDAKTION: (True, True),
    Role.ADMIN: (True, True),
}


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory):
    registry, _ = write_marker_files(tmp_path_factory.mktemp("markers"))
    return load_dataset(registry, cache_dir="off")


def exports(full, role: Role) -> dict[str, bytes]:
    dataset = dataset_for_role(full, role)
    internal = role.sees_internal_contacts
    args = (dataset.partners, dataset.categories)
    return {"csv": directory_csv(*args, internal=internal),
            "xlsx": directory_xlsx(*args, internal=internal),
            "vcf": directory_vcf(*args, internal=internal)}


def xlsx_text(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data))
    return "\n".join(str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.key)
def test_exports_hold_what_the_role_sees(full, role) -> None:
    contacts, notes = EXPECTED[role]
    for kind, data in exports(full, role).items():
        text = xlsx_text(data) if kind == "xlsx" else data.decode("utf-8-sig")
        if kind == "vcf":
            text = text.replace("\r\n ", "")  # unfold
        assert all(m in text for m in PUBLIC_MARKERS), kind
        for marker in INTERNAL_CONTACT_MARKERS:
            assert (marker in text) is contacts, (kind, marker)
        for marker in NOTE_MARKERS:
            assert (marker in text) is notes, (kind, marker)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.key)
def test_exports_say_oeffentlich_or_intern(full, role) -> None:
    internal = role.sees_internal_contacts
    data = exports(full, role)
    first = data["csv"].decode("utf-8-sig").split("\r\n", 1)[0]
    assert first == ("# Partnernetz – intern: enthält interne Kontaktdaten – nicht zur Weitergabe"
                     if internal else "# Partnernetz – öffentlich: nur öffentliche Kontaktdaten")
    rows = list(csv.reader(io.StringIO(data["csv"].decode("utf-8-sig").split("\r\n", 1)[1]),
                           delimiter=";"))
    assert rows[0][0] == "Name" and len(rows) == 4
    workbook = load_workbook(io.BytesIO(data["xlsx"]))
    assert workbook.sheetnames == ["Hinweis", "Partner"]
    assert workbook["Hinweis"]["A2"].value == first[2:]
    vcf = data["vcf"].decode()
    assert vcf.count("CLASS:CONFIDENTIAL" if internal else "CLASS:PUBLIC") == 3
    assert scope_word(internal=internal) == ("intern" if internal else "öffentlich")


def test_internal_contacts_are_marked_in_every_export(full) -> None:
    data = exports(full, Role.MITGLIED)
    assert "Ilse Internmarker / Sozialarbeit / 05272 999111 / ilse.internmarker@example.org (intern)" \
        in data["csv"].decode("utf-8-sig")
    assert "Ansprechperson (intern): Ilse Internmarker" in data["vcf"].decode().replace("\r\n ", "")
    assert "Paula Publikmarker / Leitung;" in data["csv"].decode("utf-8-sig")
