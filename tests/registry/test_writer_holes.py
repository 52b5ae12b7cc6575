"""Smaller holes of the writer (issue 17 §8): read-only files, hand edits while saving, empty
registries, byte-order marks, German-only errors and "geprüft heute" that changes nothing."""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

import pytest

from partnernetz.cli import main
from partnernetz.errors import EditConflictError, HistoryError, ImportFileError, RegistryWriteError
from partnernetz.exchange.sources import SourceLimits, read_source
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.registry import writer
from partnernetz.registry.history import History
from tests.registry.test_history_folder import copy_registry, save_phone

ODD = Path(__file__).parent / "data" / "odd_registry.yaml"
TOWNS = GazetteerTowns()
PARTNER = "kita-sonne-brakel"
HEADER = 'region:\n  name: "Kreis Höxter"\n  kreis: "05762"\n'
NEW = {"id": "kita-neu-brakel", "name": "Kita Neu", "category": "kita", "town": "Brakel"}


def add_partner(path: Path, entry: dict) -> writer.WriteResult:
    return writer.apply_changes(path, [writer.AddPartner(entry)], base_hash=None,
                                author="editor@example.org", towns_source=TOWNS)


# --------------------------------------------------------------------------- read-only


def test_edit_refuses_read_only_registry_even_as_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_registry(tmp_path)
    before = path.read_bytes()
    os.chmod(path, 0o444)
    code = main(["edit", str(path), PARTNER, "--set", "phone=05272 1111", "--by", "a@example.org"])
    err = capsys.readouterr().err
    assert code == 1
    assert "schreibgeschützt" in err and "-r--r--r--" in err
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert not History(path).exists  # nothing recorded either


def test_restore_refuses_read_only_registry(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    save_phone(path, "05272 1111")
    oldest = History(path).oldest().decode()
    os.chmod(path, 0o400)
    with pytest.raises(RegistryWriteError, match="schreibgeschützt"):
        writer.restore_revision(path, revision=oldest, author="admin@example.org", towns_source=TOWNS)


# --------------------------------------------------------------------------- hand edit while saving


def test_hand_edit_while_saving_is_kept_and_save_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy_registry(tmp_path)
    save_phone(path, "05272 1111")
    hand = path.read_text(encoding="utf-8").replace("Kita Sonne", "Kita Sonnenschein (von Hand)")
    real_prepare = History.prepare

    def prepare_then_hand_edit(self: History, *args: object, **kwargs: object) -> bytes:
        sha = real_prepare(self, *args, **kwargs)
        path.write_text(hand, encoding="utf-8")  # someone saves in an editor right now
        return sha

    monkeypatch.setattr(History, "prepare", prepare_then_hand_edit)
    with pytest.raises(EditConflictError, match="während des Speicherns geändert"):
        save_phone(path, "05272 2222")
    assert path.read_text(encoding="utf-8") == hand  # the hand edit survives
    monkeypatch.setattr(History, "prepare", real_prepare)

    save_phone(path, "05272 3333")
    entries = History(path).entries()
    assert [e.kind for e in entries] == ["change", "external", "change", "initial"]
    assert writer.read_entries(path)[PARTNER]["name"] == "Kita Sonnenschein (von Hand)"
    assert not (History(path).path / "PARTNERNETZ_PENDING").exists()


# --------------------------------------------------------------------------- empty registries


@pytest.mark.parametrize("text", ["", "# nur Kommentare\n# noch nichts\n", "\n\n"])
def test_edit_on_empty_registry_says_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text(text, encoding="utf-8")
    code = main(["edit", str(path), PARTNER, "--set", "phone=05272 1111", "--by", "a@example.org"])
    err = capsys.readouterr().err
    assert code == 1
    assert "leer oder enthält nur Kommentare" in err
    assert "region:" in err and "partners:" in err
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("partners", "key_line"),
    [("partners: []\n", "partners:\n"),
     ("partners: []   # noch keine\n", "partners:  # noch keine\n"),
     ("partners: []", "partners:\n"),
     ("", "partners:\n")],
    ids=["flow", "flow-comment", "flow-no-newline", "no-key"],
)
def test_first_partner_turns_empty_registry_into_block_form(
    tmp_path: Path, partners: str, key_line: str
) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text(HEADER + partners, encoding="utf-8")
    add_partner(path, NEW)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEADER + key_line + '  - id: "kita-neu-brakel"\n')
    add_partner(path, dict(NEW, id="kita-zwei-brakel", name="Kita Zwei"))
    assert sorted(writer.read_entries(path)) == ["kita-neu-brakel", "kita-zwei-brakel"]


def test_insertion_after_partners_key_without_line_break() -> None:
    from partnernetz.registry.layout import scan_layout
    from partnernetz.registry.splicing import insertion, splice_text

    text = HEADER + "partners:"
    layout = scan_layout(text)
    new = splice_text(text, [insertion(layout, [NEW])])
    assert new.startswith(HEADER + 'partners:\n  - id: "kita-neu-brakel"\n')


# --------------------------------------------------------------------------- limits, German only


def test_limits_message_names_unpacked_limit() -> None:
    assert "entpackt höchstens 200 MB" in SourceLimits().describe()


def test_xlsx_over_unpacked_limit_names_the_limit(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Name", "Ort"])
    book.active.append(["x" * 5000, "Brakel"])
    target = tmp_path / "gross.xlsx"
    book.save(target)
    limits = SourceLimits(max_unzipped_bytes=3 * 1024 * 1024)
    with pytest.raises(ImportFileError, match="entpackt zu groß") as caught:
        read_source(target.read_bytes(), name="gross.xlsx", limits=SourceLimits(max_unzipped_bytes=1))
    assert "entpackt höchstens 0 MB" in str(caught.value)
    assert "entpackt höchstens 3 MB" in limits.describe()


def test_disk_full_in_history_is_german_without_errno_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dulwich.object_store import DiskObjectStore

    path = copy_registry(tmp_path)
    save_phone(path, "05272 1111")
    before = path.read_bytes()

    def full(self: object, obj: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(DiskObjectStore, "add_object", full)
    code = main(["edit", str(path), PARTNER, "--set", "phone=05272 2222", "--by", "a@example.org"])
    err = capsys.readouterr().err
    assert code != 0
    assert "kein Speicherplatz mehr frei" in err
    for english in ("No space", "Errno", "Traceback", "OSError"):
        assert english not in err
    assert path.read_bytes() == before


def test_unreadable_history_gives_german_error(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    save_phone(path, "05272 1111")
    history = History(path)
    (history.path / "refs" / "heads" / "main").write_text("kaputt\n")
    with pytest.raises(HistoryError) as caught:
        save_phone(path, "05272 2222")
    assert "Historie" in str(caught.value)
    assert "Traceback" not in str(caught.value)


# --------------------------------------------------------------------------- byte-order mark


def test_edit_keeps_byte_order_mark(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    path.write_bytes(codecs.BOM_UTF8 + ODD.read_bytes())
    save_phone(path, "05272 1111")
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8) and not raw.startswith(codecs.BOM_UTF8 * 2)
    assert writer.read_entries(path)[PARTNER]["phone"] == "05272 1111"
    save_phone(path, "05272 2222")
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    # the writer recognised its own files: no "changed outside" entries in between
    assert [e.kind for e in History(path).entries()] == ["change", "change", "initial"]


def test_restore_keeps_byte_order_mark(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    original = codecs.BOM_UTF8 + ODD.read_bytes()
    path.write_bytes(original)
    save_phone(path, "05272 1111")
    oldest = History(path).oldest().decode()
    writer.restore_revision(path, revision=oldest, author="admin@example.org", towns_source=TOWNS)
    assert path.read_bytes() == original


# --------------------------------------------------------------------------- nothing to change


def test_verify_twice_same_day_writes_no_empty_history_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_registry(tmp_path)
    args = ["verify", str(path), PARTNER, "--date", "2026-11-30", "--by", "v@example.org"]
    assert main(args) == 0
    capsys.readouterr()
    before = path.read_bytes()
    count = len(History(path).entries())
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "nicht gespeichert" in out and "schon so gespeichert" in out
    assert path.read_bytes() == before
    assert len(History(path).entries()) == count


def test_unchanged_update_returns_unchanged_result(tmp_path: Path) -> None:
    path = copy_registry(tmp_path)
    save_phone(path, "05272 1111")
    head = History(path).head().decode()
    result = save_phone(path, "05272 1111")
    assert result.changed is False
    assert result.revision == head
    assert result.partner_ids == ()
