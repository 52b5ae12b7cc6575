"""The registry writer: only the edited entry's text changes; validated, atomic, recorded."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import ryaml
import yaml

from partnernetz.dataset import validate_registry
from partnernetz.errors import EditConflictError, RegistryValidationError, RegistryWriteError
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.registry import emit, writer
from partnernetz.registry.history import History, history_dir
from partnernetz.registry.layout import scan_layout
from partnernetz.registry.models import Partner
from tests.conftest import DEMO_HX

ODD = Path(__file__).parent / "data" / "odd_registry.yaml"
TOWNS = GazetteerTowns()
ODD_IDS = ["kita-sonne-brakel", "beratung-eck-hoexter", "sport-flow-nieheim", "ehrenamt-leer-warburg",
           "schule-letzte-steinheim"]

# A new value for every field of a partner; strings YAML readers like to misread on purpose.
NEW_VALUES: dict[str, Any] = {
    "id": "neue-id-x",
    "name": "on",
    "category": "sport",
    "subtype": "12:30",
    "operator": "no",
    "description": "Zeile 1\nZeile 2: mit Doppelpunkt # und Raute",
    "town": "Nieheim",
    "address": {"street": "Neue Straße 5", "postcode": "33039", "district": "yes"},
    "location": {"lat": 51.8046, "lon": 9.1096},
    "serves": ["Brakel", "Nieheim"],
    "stages": ["elementar", "schule"],
    "target_groups": ["eltern"],
    "languages": ["uk", "de"],
    "offers": ["on", "12:30", "#hashtag", "- Strich", "'Zitat'"],
    "phone": "05271 123456",
    "email": "neu@example.org",
    "website": "https://example.org/neu",
    "contacts": [{"name": "Frau C.", "phone": "05271 99999", "visibility": "public"},
                 {"name": "Herr D.", "role": "null"}],
    "opening_hours": "Mo 8:00–12:00",
    "accessible": "yes",
    "status": "inactive",
    "verified": "2026-02-01",
    "notes": "intern: ~",
    "owners": ["owner@example.org"],
    "identifiers": {"schulnummer": "123456"},
}


def copy_registry(tmp_path: Path, source: Path = ODD) -> Path:
    path = tmp_path / "partners.yaml"
    shutil.copyfile(source, path)
    return path


def entry_of(path: Path, partner_id: str) -> dict[str, Any]:
    return writer.read_entries(path)[partner_id]


def save(path: Path, *changes: writer.Change, base: str | None = None, author: str = "r@example.org"):
    return writer.apply_changes(path, list(changes), base_hash=base or writer.registry_hash(path),
                                author=author, towns_source=TOWNS)


def assert_only_entry_changed(old: str, new: str, partner_id: str) -> None:
    """Everything outside the entry's span is byte for byte the same."""
    span = scan_layout(old).by_id()[partner_id]
    tail = len(old) - span.end
    assert new[:span.start] == old[:span.start]
    assert new[len(new) - tail:] == old[span.end:]


def test_every_field_editable_and_rest_byte_exact(tmp_path: Path) -> None:
    assert set(NEW_VALUES) == set(Partner.model_fields), "a new model field needs a test value"
    for partner_id in ODD_IDS:
        for field, value in NEW_VALUES.items():
            path = copy_registry(tmp_path)
            old = path.read_text(encoding="utf-8")
            entry = dict(entry_of(path, partner_id))
            entry[field] = value
            save(path, writer.UpdatePartner(partner_id, entry))
            new = path.read_text(encoding="utf-8")
            assert_only_entry_changed(old, new, partner_id)
            report = validate_registry(path)
            assert report.ok, (partner_id, field, report.format())
            stored = writer.read_entries(path)[entry["id"]]
            assert Partner.model_validate(stored) == Partner.model_validate(entry), (partner_id, field)
            shutil.rmtree(history_dir(path))


def test_every_optional_field_removable(tmp_path: Path) -> None:
    required = {name for name, info in Partner.model_fields.items() if info.is_required()}
    partner_id = "beratung-eck-hoexter"
    for field in entry_of(copy_registry(tmp_path), partner_id):
        if field in required:
            continue
        path = copy_registry(tmp_path)
        old = path.read_text(encoding="utf-8")
        entry = dict(entry_of(path, partner_id))
        del entry[field]
        save(path, writer.UpdatePartner(partner_id, entry))
        new = path.read_text(encoding="utf-8")
        assert_only_entry_changed(old, new, partner_id)
        assert field not in entry_of(path, partner_id)
        assert validate_registry(path).ok
        shutil.rmtree(history_dir(path))


def test_edit_touches_only_changed_lines_keeping_comments(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    old_lines = path.read_text(encoding="utf-8").splitlines()
    entry = dict(entry_of(path, "kita-sonne-brakel"))
    entry["opening_hours"] = "8:00–15:00"
    save(path, writer.UpdatePartner("kita-sonne-brakel", entry))
    new_lines = path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed == [("    opening_hours: '7:30–16:00'", '    opening_hours: "8:00–15:00"')]


def test_strings_are_quoted_so_no_reader_changes_their_type() -> None:
    tricky = ["on", "no", "yes", "off", "12:30", "05762", "1e3", "~", "null", "true", "#x", "a: b",
              "- x", "'", '"', "\\", "tab\there", "zwei\nZeilen", "\u2028", "\u0085", "\ufeff", "é ß ü",
              "", " lead", "trail ", "😀", "\x07"]
    for value in tricky:
        line = "key: " + emit.scalar(value)
        assert yaml.safe_load(line) == {"key": value}, value
        assert ryaml.loads(line) == {"key": value}, value


def test_add_partner_appended_and_file_otherwise_unchanged(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    old = path.read_text(encoding="utf-8")
    new_entry = {"id": "kita-neu-brakel", "name": "Kita Neu", "category": "kita", "town": "Brakel",
                 "languages": ["de", "tr"], "opening_hours": "12:30"}
    result = save(path, writer.AddPartner(new_entry))
    new = path.read_text(encoding="utf-8")
    last = scan_layout(old).entries[-1]
    assert new.startswith(old[:last.end])
    assert new.endswith(old[last.end:])
    assert entry_of(path, "kita-neu-brakel")["opening_hours"] == "12:30"
    assert validate_registry(path).ok
    assert result.partner_ids == ("kita-neu-brakel",)


def test_add_partner_with_existing_id_refused(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    before = path.read_bytes()
    with pytest.raises(RegistryValidationError, match="schon vergeben"):
        save(path, writer.AddPartner({"id": "kita-sonne-brakel", "name": "X", "category": "kita",
                                      "town": "Brakel"}))
    assert path.read_bytes() == before


def test_retire_sets_status_and_keeps_entry(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    save(path, writer.RetirePartner("kita-sonne-brakel", "planned"))
    assert entry_of(path, "kita-sonne-brakel")["status"] == "planned"
    with pytest.raises(RegistryWriteError, match="planned, inactive"):
        save(path, writer.RetirePartner("kita-sonne-brakel", "active"))


def test_remove_needs_reason_and_stays_in_history(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    with pytest.raises(RegistryWriteError, match="Begründung"):
        save(path, writer.RemovePartner("sport-flow-nieheim", " "))
    old = path.read_text(encoding="utf-8")
    save(path, writer.RemovePartner("sport-flow-nieheim", "Verein aufgelöst"), author="admin@example.org")
    new = path.read_text(encoding="utf-8")
    assert "sport-flow-nieheim" not in new
    span = scan_layout(old).by_id()["sport-flow-nieheim"]
    assert new == old[:span.start] + old[span.end + 1:] or new == old[:span.start] + old[span.end:]
    entry = History(path).entries(partner_id="sport-flow-nieheim")[0]
    assert entry.changes[0].op == "remove"
    assert entry.changes[0].reason == "Verein aufgelöst"
    assert entry.author_email == "admin@example.org"
    assert "sport-flow-nieheim" in History(path).text_at(entry.parent)


def test_invalid_entry_refused_with_german_field_message(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    before = path.read_bytes()
    entry = dict(entry_of(path, "kita-sonne-brakel"))
    entry["email"] = "info@"
    entry["town"] = "Paderborn"
    with pytest.raises(RegistryValidationError) as info:
        save(path, writer.UpdatePartner("kita-sonne-brakel", entry))
    text = info.value.report.format()
    assert "'info@' ist keine gültige E-Mail-Adresse" in text
    assert path.read_bytes() == before
    assert not history_dir(path).exists() or len(History(path).entries()) <= 1


def test_unknown_town_and_coordinates_outside_region_refused(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    entry = dict(entry_of(path, "kita-sonne-brakel"))
    entry["town"] = "Brakl"
    with pytest.raises(RegistryValidationError, match="meinten Sie Brakel"):
        save(path, writer.UpdatePartner("kita-sonne-brakel", entry))
    entry["town"] = "Brakel"
    entry["location"] = {"lat": 9.18, "lon": 51.72}
    with pytest.raises(RegistryValidationError, match="vertauscht"):
        save(path, writer.UpdatePartner("kita-sonne-brakel", entry))


def test_registry_with_errors_never_written_over(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    broken = path.read_text(encoding="utf-8").replace("town: Warburg", "town: Nirgendwo")
    path.write_text(broken, encoding="utf-8")
    entry = dict(entry_of(path, "kita-sonne-brakel"))
    entry["name"] = "Kita Sonne neu"
    with pytest.raises(RegistryValidationError, match="Nirgendwo"):
        save(path, writer.UpdatePartner("kita-sonne-brakel", entry))
    assert path.read_text(encoding="utf-8") == broken


def test_other_partner_changed_meanwhile_is_merged(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    base = writer.registry_hash(path)
    first = dict(entry_of(path, "kita-sonne-brakel"), phone="05272 11111")
    second = dict(entry_of(path, "schule-letzte-steinheim"), phone="05233 22222")
    save(path, writer.UpdatePartner("kita-sonne-brakel", first), base=base, author="a@example.org")
    result = save(path, writer.UpdatePartner("schule-letzte-steinheim", second), base=base,
                  author="b@example.org")
    assert result.merged
    assert entry_of(path, "kita-sonne-brakel")["phone"] == "05272 11111"
    assert entry_of(path, "schule-letzte-steinheim")["phone"] == "05233 22222"


def test_same_partner_changed_meanwhile_is_refused_with_both_versions(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    base = writer.registry_hash(path)
    save(path, writer.UpdatePartner("kita-sonne-brakel",
                                    dict(entry_of(path, "kita-sonne-brakel"), phone="05272 11111")),
         base=base, author="a@example.org")
    after_first = path.read_bytes()
    mine = dict(entry_of(path, "kita-sonne-brakel"), phone="05272 33333")
    with pytest.raises(EditConflictError) as info:
        save(path, writer.UpdatePartner("kita-sonne-brakel", mine), base=base, author="b@example.org")
    assert info.value.exit_code == 3
    assert "05272 11111" in info.value.theirs
    assert "05272 33333" in info.value.yours
    assert path.read_bytes() == after_first


def test_hand_edit_is_recorded_before_the_next_change(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    save(path, writer.RetirePartner("kita-sonne-brakel", "planned"))
    path.write_text(path.read_text(encoding="utf-8").replace("Letzte Schule", "Letzte Schule am Ort"),
                    encoding="utf-8")
    save(path, writer.RetirePartner("ehrenamt-leer-warburg", "inactive"))
    kinds = [e.kind for e in History(path).entries()]
    assert kinds == ["change", "external", "change", "initial"]
    external = History(path).entries()[1]
    assert external.partner_ids() == ("schule-letzte-steinheim",)
    assert {"field": "name", "old": "Letzte Schule", "new": "Letzte Schule am Ort"} in [
        {"field": f.field, "old": f.old, "new": f.new} for f in external.changes[0].fields]


def test_restore_partner_and_whole_registry(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    original = path.read_text(encoding="utf-8")
    save(path, writer.UpdatePartner("kita-sonne-brakel",
                                    dict(entry_of(path, "kita-sonne-brakel"), name="Umbenannt")))
    save(path, writer.RemovePartner("sport-flow-nieheim", "Test"))
    history = History(path)
    initial = history.entries()[-1].revision
    writer.restore_revision(path, revision=initial[:8], partner_id="sport-flow-nieheim",
                            author="admin@example.org", towns_source=TOWNS)
    assert "sport-flow-nieheim" in writer.read_entries(path)
    assert entry_of(path, "kita-sonne-brakel")["name"] == "Umbenannt"
    writer.restore_revision(path, revision=initial, author="admin@example.org", towns_source=TOWNS)
    assert path.read_text(encoding="utf-8") == original
    entries = History(path).entries()
    assert [e.kind for e in entries[:2]] == ["restore", "restore"]
    assert entries[0].restore_of == initial
    assert entries[0].author_email == "admin@example.org"


def test_demo_registry_edit_diff_is_within_the_entry(tmp_path: Path) -> None:
    path = copy_registry(tmp_path, DEMO_HX)
    old = path.read_text(encoding="utf-8")
    layout = scan_layout(old)
    assert len(layout.entries) == len(yaml.safe_load(old)["partners"])
    target = layout.entries[40].partner_id
    entry = dict(entry_of(path, target), languages=["de", "uk"], verified="2026-11-30")
    save(path, writer.UpdatePartner(target, entry))
    assert_only_entry_changed(old, path.read_text(encoding="utf-8"), target)
    assert validate_registry(path).ok


@pytest.mark.parametrize("style", ["crlf", "column0", "indent4"])
def test_other_file_styles_edited_in_place(tmp_path: Path, style: str) -> None:
    text = ODD.read_text(encoding="utf-8")
    head, _, body = text.partition("partners:\n")
    if style == "column0":
        body = "".join(line[2:] if line.startswith("  ") else line for line in body.splitlines(True))
    elif style == "indent4":
        body = "".join("  " + line if line.strip() and not line.startswith("#") else line
                       for line in body.splitlines(True))
    text = head + "partners:\n" + body
    if style == "crlf":
        text = text.replace("\n", "\r\n")
    path = tmp_path / "partners.yaml"
    path.write_bytes(text.encode("utf-8"))
    assert validate_registry(path).ok
    old = path.read_bytes().decode("utf-8")
    for partner_id in ODD_IDS:
        entry = dict(entry_of(path, partner_id), phone="05271 424242", languages=["de", "pl"])
        save(path, writer.UpdatePartner(partner_id, entry))
        new = path.read_bytes().decode("utf-8")
        assert_only_entry_changed(old, new, partner_id)
        assert validate_registry(path).ok
        assert entry_of(path, partner_id)["phone"] == "05271 424242"
        if style == "crlf":
            assert "\n" not in new.replace("\r\n", "")
        old = new
    save(path, writer.AddPartner({"id": "neu-am-ende", "name": "Neu", "category": "kita", "town": "Brakel"}))
    assert "neu-am-ende" in writer.read_entries(path)
    assert validate_registry(path).ok


def test_flow_style_partners_list_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text('region: {name: Kreis Höxter, kreis: "05762"}\n'
                    "partners: [{id: a-b, name: A, category: kita, town: Brakel}]\n", encoding="utf-8")
    with pytest.raises(RegistryWriteError, match="Kurzschreibweise"):
        save(path, writer.RetirePartner("a-b", "planned"))


@pytest.mark.parametrize("source", [ODD, DEMO_HX], ids=["odd", "demo"])
def test_quick_entry_lookup_agrees_with_the_full_scan(source: Path) -> None:
    from partnernetz.registry.layout import find_entry_text

    text = source.read_text(encoding="utf-8")
    layout = scan_layout(text)
    found = {pid: find_entry_text(text, pid) for pid in layout.by_id()}
    for pid, span in layout.by_id().items():
        assert found[pid] in (None, layout.entry_text(span)), pid
    assert sum(v is None for v in found.values()) <= 1  # only the flow-style entry needs the scan
    assert find_entry_text(text, "gibt-es-nicht") is None


def test_odd_mapping_keys_are_quoted() -> None:
    text = emit.emit_field("identifiers", {"on": "1", "a: b": "2", "schulnummer": "05762"}, indent=4)
    assert yaml.safe_load(text) == {"identifiers": {"on": "1", "a: b": "2", "schulnummer": "05762"}}
    assert ryaml.loads(text) == {"identifiers": {"on": "1", "a: b": "2", "schulnummer": "05762"}}
