"""Partner text with terminal control sequences (ESC, BEL, CSI) never reaches the terminal raw:
every CLI output escapes control characters (issue 17 §7c)."""

from __future__ import annotations

import json

import pytest

from partnernetz.cli import main
from partnernetz.cli.outputs import escape_controls

HOSTILE = "Kita \x1b]0;gekapert\x07 \x1b[2J\x1b[31mRot\x9b31m\u202eZ"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")
PARTNER = """\
- id: kita-a
  name: "Kita \\e]0;gekapert\\a \\e[2J\\e[31mRot\\x9b31m\\u202eZ"
  category: kita
  town: Brakel
"""


def assert_escaped(text: str) -> None:
    assert not any(ch in text for ch in RAW), repr(text)
    assert "Kita \\u001b]0;gekapert\\u0007 \\u001b[2J\\u001b[31mRot\\u009b31m\\u202eZ" in text


def test_escape_controls_keeps_text_newlines_and_tabs():
    assert escape_controls("Grüße\tä\nß") == "Grüße\tä\nß"
    assert escape_controls(HOSTILE) == (
        "Kita \\u001b]0;gekapert\\u0007 \\u001b[2J\\u001b[31mRot\\u009b31m\\u202eZ")
    assert escape_controls("a\rb\x00c\x7f") == "a\\u000db\\u0000c\\u007f"


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_locate_escapes_control_characters(write_registry, capsys, fmt):
    assert main(["locate", str(write_registry(PARTNER)), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert_escaped(out)
    if fmt == "geojson":  # still valid JSON, and the escape means the same character
        name = json.loads(out)["features"][0]["properties"]["name"]
        assert name.startswith("Kita \x1b]0;")


def test_history_escapes_control_characters(write_registry, capsys):
    registry = write_registry(PARTNER.replace('"Kita \\e]0;gekapert\\a \\e[2J\\e[31mRot\\x9b31m'
                                              '\\u202eZ"', "Kita A"))
    assert main(["edit", str(registry), "kita-a", "--set", f"name={HOSTILE}",
                 "--by", "a@example.org", "--comment", "\x1b[8mversteckt"]) == 0
    capsys.readouterr()
    assert main(["history", str(registry)]) == 0
    out = capsys.readouterr().out
    assert_escaped(out)
    assert "Kommentar: \\u001b[8mversteckt" in out


def test_import_dry_run_escapes_control_characters(write_registry, tmp_path, capsys):
    registry = write_registry("""\
        - id: kita-b
          name: Kita Berg
          category: kita
          town: Brakel
        """)
    source = tmp_path / "liste.csv"
    source.write_text(f"Name;Ort;Kategorie\n\"{HOSTILE}\";Brakel;kita\n", encoding="utf-8")
    assert main(["import", str(source), "--into", str(registry), "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert_escaped(captured.out)
    assert not any(ch in captured.err for ch in RAW)


def test_error_messages_escape_control_characters(tmp_path, capsys):
    missing = tmp_path / "fehlt\x1b[2J.yaml"
    assert main(["validate", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "fehlt\\u001b[2J.yaml" in err
