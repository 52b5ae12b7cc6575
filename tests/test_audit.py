"""The audit log: one JSON object per line; what the app and the CLI write to it (issue 19 §7).

Every line holds time, event, user, role, target (partner ids or file names)
and outcome, and never partner contact data.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import shutil
from pathlib import Path

import pytest

from partnernetz import cli
from partnernetz.audit import EVENTS, format_audit_line, log_audit, shell_user
from partnernetz.registry.history import History
from tests.conftest import AUDIT_KEYS, DEMO_HX, AuditLines, run_cli

ODD = Path(__file__).parent / "registry" / "data" / "odd_registry.yaml"
# contact data of the registries used below: none of it may reach the log
CONTACT_TEXT = re.compile(r"05272 4711|Frau Z\.|Sonnenschein|Marktstr|05271 99990")


def parse_stderr(text: str) -> list[dict]:
    """The JSON lines a command wrote to stderr (the audit log's default handler)."""
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


# --------------------------------------------------------------------------- the format


def test_audit_line_is_one_json_object_with_fixed_keys() -> None:
    now = dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.UTC)
    line = format_audit_line("edit", user="a@example.org", role="redaktion", target="kita-x",
                             outcome="ok", now=now)
    assert "\n" not in line
    record = json.loads(line)
    assert list(record) == AUDIT_KEYS
    assert record == {"time": "2026-12-01T20:00:00Z", "event": "edit", "user": "a@example.org",
                      "role": "redaktion", "target": "kita-x", "outcome": "ok"}


def test_audit_line_keeps_umlauts_and_escapes_line_breaks() -> None:
    record = format_audit_line("import", user="jörg@example.org", role=None,
                               target="liste\nfalsch.csv")
    assert "jörg" in record and "\n" not in record
    assert json.loads(record)["target"] == "liste\nfalsch.csv"
    assert json.loads(record)["role"] is None


def test_unknown_audit_event_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown audit event"):
        format_audit_line("login", user=None, role=None)
    assert {"sign_in", "sign_in_denied", "edit", "restore", "import", "export_internal"} <= EVENTS


def test_log_audit_warns_for_other_outcomes(audit: AuditLines) -> None:
    records: list[logging.LogRecord] = []
    audit.emit = records.append  # type: ignore[method-assign]
    log_audit("edit", user="a@example.org", role="redaktion", target="x")
    log_audit("edit", user="a@example.org", role="redaktion", target="x", outcome="denied")
    assert [r.levelno for r in records] == [logging.INFO, logging.WARNING]


def test_shell_user_prefers_the_editor_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNERNETZ_EDITOR", "redaktion@example.org")
    assert shell_user() == "redaktion@example.org"
    monkeypatch.delenv("PARTNERNETZ_EDITOR")
    assert shell_user()  # the login name


# --------------------------------------------------------------------------- the command line


def copy(tmp_path: Path) -> Path:
    path = tmp_path / "partners.yaml"
    shutil.copyfile(ODD, path)
    return path


def test_cli_edit_and_restore_are_audited(tmp_path: Path, audit: AuditLines) -> None:
    path = copy(tmp_path)
    assert cli.main(["edit", str(path), "kita-sonne-brakel", "--set", "contacts.0.name=Frau Z.",
                     "--set", "contacts.0.phone=05272 4711", "--by", "redaktion@example.org"]) == 0
    assert cli.main(["edit", str(path), "gibt-es-nicht", "--set", "phone=1",
                     "--by", "redaktion@example.org"]) != 0  # refused before any write: no event
    initial = History(path).entries()[-1].revision
    assert cli.main(["restore", str(path), "--to", initial[:10], "--id", "kita-sonne-brakel",
                     "--by", "admin@example.org"]) == 0
    assert cli.main(["restore", str(path), "--to", "0" * 10, "--by", "admin@example.org"]) != 0
    events = audit.events()
    assert [(e["event"], e["user"], e["role"], e["outcome"]) for e in events] == [
        ("edit", "redaktion@example.org", "cli", "ok"),
        ("restore", "admin@example.org", "cli", "ok"),
        ("restore", "admin@example.org", "cli", "refused"),
    ]
    assert events[0]["target"] == "kita-sonne-brakel"
    assert events[1]["target"] == f"kita-sonne-brakel@{initial[:10]}"
    assert events[2]["target"] == f"partners.yaml@{'0' * 10}"
    assert not CONTACT_TEXT.search("\n".join(audit.messages))


def test_cli_edit_conflict_is_audited(tmp_path: Path, audit: AuditLines) -> None:
    path = copy(tmp_path)
    assert cli.main(["edit", str(path), "kita-sonne-brakel", "--set", "phone=05272 1",
                     "--by", "a@example.org", "--base", "0" * 64]) != 0
    (event,) = audit.events()
    assert event["event"] == "edit" and event["outcome"] in ("conflict", "refused")


LIST = ("Einrichtung;Kategorie;Straße;PLZ;Ort;Tel.\n"
        "Kita Sonnenschein;Kita;Marktstr. 1;37671;Höxter;05271 99990\n")


def test_cli_import_is_audited_with_file_names_only(tmp_path: Path, write_registry,
                                                   audit: AuditLines) -> None:
    registry = write_registry("- id: ehrenamt-brakel\n  name: Ehrenamt Brakel\n  category: ehrenamt\n"
                              "  town: Brakel\n")
    source = tmp_path / "liste.csv"
    source.write_text(LIST, encoding="utf-8")
    assert cli.main(["import", str(source), "--into", str(registry), "--dry-run"]) == 0
    assert audit.events() == []  # a dry run writes nothing
    assert cli.main(["import", str(source), "--into", str(registry),
                     "--by", "redaktion@example.org"]) == 0
    (event,) = audit.events()
    assert (event["event"], event["user"], event["role"], event["outcome"]) == (
        "import", "redaktion@example.org", "cli", "ok")
    assert event["target"] == f"liste.csv -> {registry.name}"
    assert not CONTACT_TEXT.search("\n".join(audit.messages))


@pytest.mark.parametrize(("role", "audited"), [("public", False), ("mitglied", True), ("admin", True)])
def test_cli_export_of_internal_data_is_audited(tmp_path: Path, audit: AuditLines, role, audited,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNERNETZ_EDITOR", "gis@example.org")
    out = tmp_path / "partner.geojson"
    assert cli.main(["export", str(DEMO_HX), "--format", "geojson", "-o", str(out),
                     "--role", role]) == 0
    expected = [("export_internal", "gis@example.org", role, "partner.geojson", "ok")] if audited else []
    assert [(e["event"], e["user"], e["role"], e["target"], e["outcome"])
            for e in audit.events()] == expected


def test_cli_audit_lines_reach_stderr_as_json(tmp_path: Path) -> None:
    path = copy(tmp_path)
    result = run_cli("edit", str(path), "kita-sonne-brakel", "--set", "phone=05272 4711",
                     "--by", "redaktion@example.org")
    assert result.returncode == 0, result.stderr
    (event,) = parse_stderr(result.stderr)
    assert list(event) == AUDIT_KEYS
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", event["time"])
    assert (event["event"], event["user"], event["target"]) == (
        "edit", "redaktion@example.org", "kita-sonne-brakel")
    assert "05272 4711" not in result.stderr.split("gespeichert")[0]


def test_cli_reference_import_is_audited_unless_dry_run(tmp_path: Path, write_registry,
                                                       audit: AuditLines) -> None:
    registry = write_registry("- {id: kita-a, name: Kita A, category: kita, town: Brakel}\n")
    source = tmp_path / "kinder.csv"
    source.write_text("AGS;indicator;value;year;source\n05762008;Kinder unter 6;800;2023;Test\n",
                      encoding="utf-8")
    args = ["import", str(source), "--into", str(registry), "--format", "bezugsgroessen",
            "--by", "redaktion@example.org"]
    assert cli.main([*args, "--dry-run"]) == 0
    assert audit.events() == []
    assert cli.main(args) == 0
    (event,) = audit.events()
    assert (event["event"], event["user"], event["target"]) == (
        "import", "redaktion@example.org", f"kinder.csv -> Bezugsgrößen {registry.name}")


def test_audit_line_goes_to_the_current_stderr_after_the_first_one_closed(monkeypatch):
    import io
    import logging
    import sys

    from partnernetz.audit import log_audit

    logger = logging.getLogger("partnernetz.audit.test-streams")
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    log_audit("edit", user="a@example.org", role="cli", logger=logger)
    first.close()  # e.g. a test's captured stream, or a CLI run's wrapper
    monkeypatch.setattr(sys, "stderr", second)
    log_audit("edit", user="b@example.org", role="cli", logger=logger)
    assert '"user":"b@example.org"' in second.getvalue()
    assert "Logging error" not in second.getvalue()
