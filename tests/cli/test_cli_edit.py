"""``edit``, ``verify``, ``history``, ``restore`` on the command line, and many writers at once."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from partnernetz.dataset import validate_registry
from partnernetz.registry import writer
from partnernetz.registry.history import History
from tests.conftest import DEMO_HX, ROOT, run_cli

ODD = Path(__file__).parents[1] / "registry" / "data" / "odd_registry.yaml"


def copy(tmp_path: Path, source: Path = ODD) -> Path:
    path = tmp_path / "partners.yaml"
    shutil.copyfile(source, path)
    return path


def test_edit_sets_dotted_and_list_fields(tmp_path: Path) -> None:
    path = copy(tmp_path)
    result = run_cli("edit", str(path), "kita-sonne-brakel", "--set", "address.street=Neuer Weg 2",
                     "--set", "languages=de,ar,uk", "--set", "contacts.0.name=Frau Z.",
                     "--set", "contacts.0.phone=05272 4711", "--set", "subtype=on",
                     "--by", "redaktion@example.org", "--comment", "Anruf vom 1.12.")
    assert result.returncode == 0, result.stderr
    entry = writer.read_entries(path)["kita-sonne-brakel"]
    assert entry["address"] == {"street": "Neuer Weg 2", "postcode": "33034"}
    assert entry["languages"] == ["de", "ar", "uk"]
    assert entry["contacts"] == [{"name": "Frau Z.", "phone": "05272 4711", "visibility": "internal"}]
    assert entry["subtype"] == "on"
    last = History(path).entries()[0]
    assert last.author_email == "redaktion@example.org"
    assert last.comment == "Anruf vom 1.12."


def test_edit_invalid_value_exit_1_nothing_written(tmp_path: Path) -> None:
    path = copy(tmp_path)
    before = path.read_bytes()
    result = run_cli("edit", str(path), "kita-sonne-brakel", "--set", "email=info@", "--by", "r@example.org")
    assert result.returncode == 1
    assert "'info@' ist keine gültige E-Mail-Adresse" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_edit_unknown_partner_exit_1(tmp_path: Path) -> None:
    path = copy(tmp_path)
    result = run_cli("edit", str(path), "gibt-es-nicht", "--set", "name=X", "--by", "r@example.org")
    assert result.returncode == 1
    assert "gibt-es-nicht" in result.stderr


def test_edit_new_and_delete_with_reason(tmp_path: Path) -> None:
    path = copy(tmp_path)
    result = run_cli("edit", str(path), "kita-neu-brakel", "--new", "--set", "name=Kita Neu",
                     "--set", "category=kita", "--set", "town=Brakel", "--by", "r@example.org")
    assert result.returncode == 0, result.stderr
    assert "kita-neu-brakel" in writer.read_entries(path)
    result = run_cli("edit", str(path), "kita-neu-brakel", "--delete", "--by", "admin@example.org")
    assert result.returncode == 1
    result = run_cli("edit", str(path), "kita-neu-brakel", "--delete", "--reason", "doppelt angelegt",
                     "--by", "admin@example.org")
    assert result.returncode == 0, result.stderr
    assert "kita-neu-brakel" not in writer.read_entries(path)


def test_verify_sets_date(tmp_path: Path) -> None:
    path = copy(tmp_path)
    result = run_cli("verify", str(path), "kita-sonne-brakel", "--date", "2026-11-30",
                     "--by", "v@example.org")
    assert result.returncode == 0, result.stderr
    assert writer.read_entries(path)["kita-sonne-brakel"]["verified"] == "2026-11-30"
    result = run_cli("verify", str(path), "kita-sonne-brakel", "--date", "2999-01-01")
    assert result.returncode == 1
    assert "Zukunft" in result.stderr


def test_history_text_and_json_then_restore(tmp_path: Path) -> None:
    path = copy(tmp_path)
    original = path.read_text(encoding="utf-8")
    run_cli("edit", str(path), "kita-sonne-brakel", "--set", "phone=05272 1000", "--by", "a@example.org")
    run_cli("edit", str(path), "schule-letzte-steinheim", "--set", "phone=05233 2000",
            "--by", "b@example.org")
    text = run_cli("history", str(path), "kita-sonne-brakel")
    assert text.returncode == 0
    assert "a@example.org" in text.stdout
    assert "phone: – → 05272 1000" in text.stdout
    assert "b@example.org" not in text.stdout
    data = json.loads(run_cli("history", str(path), "--format", "json").stdout)
    assert [d["kind"] for d in data] == ["change", "change", "initial"]
    assert data[0]["changes"][0]["fields"] == [{"field": "phone", "old": None, "new": "05233 2000"}]
    initial = data[-1]["revision"]
    result = run_cli("restore", str(path), "--to", initial[:10], "--id", "kita-sonne-brakel",
                     "--by", "admin@example.org")
    assert result.returncode == 0, result.stderr
    assert "phone" not in writer.read_entries(path)["kita-sonne-brakel"]
    assert writer.read_entries(path)["schule-letzte-steinheim"]["phone"] == "05233 2000"
    result = run_cli("restore", str(path), "--to", initial, "--by", "admin@example.org")
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8") == original
    result = run_cli("restore", str(path), "--to", "zzzz", "--by", "admin@example.org")
    assert result.returncode != 0
    assert "keine Revision" in result.stderr


def _edit_process(path: Path, partner_id: str, phone: str, author: str, base: str) -> subprocess.Popen:
    env = {"PATH": "/usr/bin:/bin", "PARTNERNETZ_CACHE_DIR": "off", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "partnernetz", "edit", str(path), partner_id, "--set", f"phone={phone}",
         "--by", author, "--base", base],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_twenty_processes_on_different_partners_all_kept(tmp_path: Path) -> None:
    path = copy(tmp_path, DEMO_HX)
    base = writer.registry_hash(path)
    ids = list(writer.read_entries(path))[:20]
    procs = [_edit_process(path, pid, f"05271 77{i:04d}", f"editor{i}@example.org", base)
             for i, pid in enumerate(ids)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _ in results] == [0] * 20, results
    entries = writer.read_entries(path)
    for i, pid in enumerate(ids):
        assert entries[pid]["phone"] == f"05271 77{i:04d}"
    assert validate_registry(path).ok
    changes = [e for e in History(path).entries() if e.kind == "change"]
    assert len(changes) == 20
    authors = {e.partner_ids()[0]: e.author_email for e in changes}
    assert authors == {pid: f"editor{i}@example.org" for i, pid in enumerate(ids)}


def test_two_processes_on_the_same_partner_one_wins_other_exit_3(tmp_path: Path) -> None:
    path = copy(tmp_path)
    base = writer.registry_hash(path)
    procs = [_edit_process(path, "kita-sonne-brakel", phone, f"p{i}@example.org", base)
             for i, phone in enumerate(("05272 1111", "05272 2222"))]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    codes = sorted(code for code, _ in results)
    assert codes == [0, 3], results
    loser = next(err for code, err in results if code == 3)
    assert "Konflikt" in loser
    assert "jetzt in der Datei" in loser
    winner = next(i for i, (code, _) in enumerate(results) if code == 0)
    assert writer.read_entries(path)["kita-sonne-brakel"]["phone"] == ("05272 1111", "05272 2222")[winner]
    assert len([e for e in History(path).entries() if e.kind == "change"]) == 1
