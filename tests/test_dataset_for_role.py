"""dataset_for_role: what a role may not see is removed from the partners frame."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from partnernetz.access import Role
from partnernetz.dataset import dataset_for_role, load_dataset

PARTNERS = """\
- id: kita-a
  name: Kita A
  category: kita
  town: Brakel
  contacts:
    - name: Pia Öffentlich
      role: Leitung
      visibility: public
    - name: Ida Intern-Marker
      phone: "05272 1234"
      email: ida.intern@example.org
    - name: Karl Auch-Intern
      visibility: internal
  notes: NOTIZ-MARKER Elternabend verschoben
- id: beratung-b
  name: Beratung B
  category: beratung
  town: Höxter
"""


@pytest.fixture
def dataset(write_registry: Callable[..., Path]):
    return load_dataset(write_registry(PARTNERS))


def names(frame, row: int) -> list[str]:
    return [c["name"] for c in frame["contacts"].iloc[row]]


def test_loader_keeps_internal_contacts_and_notes(dataset) -> None:
    assert names(dataset.partners, 0) == ["Pia Öffentlich", "Ida Intern-Marker", "Karl Auch-Intern"]
    assert [c["visibility"] for c in dataset.partners["contacts"].iloc[0]] == [
        "public", "internal", "internal"]  # internal is the default
    assert dataset.partners["notes"].iloc[0].startswith("NOTIZ-MARKER")


@pytest.mark.parametrize(("role", "contacts", "notes"), [
    (Role.PUBLIC, ["Pia Öffentlich"], None),
    (Role.MITGLIED, ["Pia Öffentlich", "Ida Intern-Marker", "Karl Auch-Intern"], None),
    (Role.REDAKTION, ["Pia Öffentlich", "Ida Intern-Marker", "Karl Auch-Intern"],
     "NOTIZ-MARKER Elternabend verschoben"),
    (Role.ADMIN, ["Pia Öffentlich", "Ida Intern-Marker", "Karl Auch-Intern"],
     "NOTIZ-MARKER Elternabend verschoben"),
])
def test_dataset_for_role_removes_what_role_may_not_see(dataset, role, contacts, notes) -> None:
    redacted = dataset_for_role(dataset, role)
    assert names(redacted.partners, 0) == contacts
    assert redacted.partners["notes"].iloc[0] == notes
    assert redacted.partners["notes"].iloc[1] is None
    assert len(redacted.partners) == len(dataset.partners)


def test_dataset_for_role_public_leaves_no_marker_anywhere_in_the_frame(dataset) -> None:
    redacted = dataset_for_role(dataset, Role.PUBLIC)
    dump = redacted.partners.drop(columns="geometry").to_json(force_ascii=False)
    for marker in ("Intern-Marker", "ida.intern@example.org", "05272 1234", "Auch-Intern",
                   "NOTIZ-MARKER"):
        assert marker not in dump


def test_dataset_for_role_returns_a_copy(dataset) -> None:
    dataset_for_role(dataset, Role.PUBLIC)
    assert len(dataset.partners["contacts"].iloc[0]) == 3
    assert dataset.partners["notes"].iloc[0] is not None


def test_report_messages_on_contacts_are_withheld_below_redaktion(write_registry) -> None:
    from partnernetz.dataset import redact_report, validate_registry

    path = write_registry(PARTNERS.replace("email: ida.intern@example.org",
                                           "email: geheim-ungueltig@"))
    report = validate_registry(path)
    field = "partners[0].contacts[1].email"
    assert any(i.field == field and "geheim-ungueltig@" in i.message for i in report.errors)
    for role in (Role.PUBLIC, Role.MITGLIED):
        shown = redact_report(report, role)
        assert "geheim-ungueltig" not in shown.format()
        assert [i.field for i in shown.issues] == [i.field for i in report.issues]  # lines stay
    assert redact_report(report, Role.REDAKTION) == report
