"""What a restore would discard, before it is confirmed (issue 18 §5)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from partnernetz.errors import EditConflictError
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.registry import writer
from partnernetz.registry.history import History
from partnernetz.registry.restore import preview_restore

ODD = Path(__file__).parent / "data" / "odd_registry.yaml"
TOWNS = GazetteerTowns()
KITA = "kita-sonne-brakel"
SCHULE = "schule-letzte-steinheim"


def set_phone(path: Path, partner: str, phone: str, author: str) -> None:
    entry = dict(writer.read_entries(path)[partner], phone=phone)
    writer.apply_changes(path, [writer.UpdatePartner(partner, entry)], base_hash=None, author=author,
                         towns_source=TOWNS)


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    path = tmp_path / "partners.yaml"
    shutil.copyfile(ODD, path)
    set_phone(path, KITA, "05272 1111", "a@example.org")  # initial + change 1
    set_phone(path, SCHULE, "05233 2222", "b@example.org")  # change 2 (other partner)
    set_phone(path, KITA, "05272 3333", "c@example.org")  # change 3
    return path


def test_whole_preview_lists_every_later_change_newest_first(registry: Path) -> None:
    first = History(registry).entries()[-2].revision  # after change 1
    preview = preview_restore(registry, first)
    assert [e.author_email for e in preview.discarded] == ["c@example.org", "b@example.org"]
    assert [c.partner_id for e in preview.discarded for c in e.changes] == [KITA, SCHULE]
    assert preview.fields == ()
    assert preview.last == History(registry).entries()[0].revision
    assert isinstance(preview.time, dt.datetime)


def test_partner_preview_lists_only_that_partners_changes(registry: Path) -> None:
    first = History(registry).entries()[-2].revision
    preview = preview_restore(registry, first, partner_id=KITA)
    assert [e.author_email for e in preview.discarded] == ["c@example.org"]
    assert [(f.field, f.old, f.new) for f in preview.fields] == [("phone", "05272 3333", "05272 1111")]


def test_partner_restore_keeps_other_partners_later_changes(registry: Path) -> None:
    first = History(registry).entries()[-2].revision
    preview = preview_restore(registry, first, partner_id=KITA)
    writer.restore_revision(registry, revision=first, partner_id=KITA, author="r@example.org",
                            towns_source=TOWNS, expected_last=preview.last)
    entries = writer.read_entries(registry)
    assert entries[KITA]["phone"] == "05272 1111"
    assert entries[SCHULE]["phone"] == "05233 2222"  # made after the chosen version, kept


def test_restore_refused_when_a_change_came_after_the_preview(registry: Path) -> None:
    first = History(registry).entries()[-2].revision
    preview = preview_restore(registry, first)
    set_phone(registry, SCHULE, "05233 9999", "late@example.org")
    before = registry.read_bytes()
    with pytest.raises(EditConflictError, match="seit der Vorschau"):
        writer.restore_revision(registry, revision=first, author="admin@example.org", towns_source=TOWNS,
                                expected_last=preview.last)
    assert registry.read_bytes() == before


def test_partner_restore_ignores_later_changes_of_other_partners(registry: Path) -> None:
    first = History(registry).entries()[-2].revision
    preview = preview_restore(registry, first, partner_id=KITA)
    set_phone(registry, SCHULE, "05233 9999", "late@example.org")  # another partner: not discarded
    writer.restore_revision(registry, revision=first, partner_id=KITA, author="r@example.org",
                            towns_source=TOWNS, expected_last=preview.last)
    assert writer.read_entries(registry)[SCHULE]["phone"] == "05233 9999"


def test_whole_restore_is_itself_undoable(registry: Path) -> None:
    entries = History(registry).entries()
    first, newest = entries[-2].revision, entries[0].revision
    before = registry.read_bytes()
    writer.restore_revision(registry, revision=first, author="admin@example.org", towns_source=TOWNS,
                            expected_last=preview_restore(registry, first).last)
    assert writer.read_entries(registry)[SCHULE].get("phone") is None
    writer.restore_revision(registry, revision=newest, author="admin@example.org", towns_source=TOWNS)
    assert registry.read_bytes() == before
