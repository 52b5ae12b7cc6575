"""Hostile registry files in the CLI: each one ends quickly, within memory, with its own German message.

Every run is a child process with ``RLIMIT_AS`` and ``RLIMIT_CPU`` set by the
test itself: a file that would cost more than that fails the test by a
signal, a MemoryError or "Unerwarteter Fehler", never by a timing assertion.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import HEADER, ROOT

MEMORY_BYTES = 1_500_000_000  # address space (the CLI with geopandas maps ~900 MB)
MAX_RSS_KB = 600_000  # resident: "a few hundred MB"
CPU_SECONDS = 30

PARTNER = "  - id: kita-a\n    name: Kita A\n    category: kita\n    town: Brakel\n"


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run_bounded(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m partnernetz ARGS`` in a child with memory and CPU limits."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    base = {"PATH": "/usr/bin:/bin", "PARTNERNETZ_CACHE_DIR": "off", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "partnernetz", *args], capture_output=True, text=True, cwd=ROOT,
        env={**base, **(env or {})}, preexec_fn=_limits, timeout=120, check=False,
    )
    assert result.returncode >= 0, f"killed by signal {-result.returncode}: {result.stderr[-500:]}"
    assert "Traceback" not in result.stderr
    assert "Unerwarteter Fehler" not in result.stderr, result.stderr[-500:]
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert after <= max(before, MAX_RSS_KB), f"child used {after / 1000:.0f} MB"
    return result


def alias_bomb() -> str:
    """Nested anchors inside a partner's field: about 10⁹ values once expanded, 600 bytes."""
    lines = ["x-defs:", "  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        lines.append(f"  a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n" + HEADER + PARTNER + "    offers: [" + ", ".join(["*a8"] * 10) + "]\n"


HOSTILE = {
    "alias_bomb": (alias_bomb(), 1, ":6:", "Alias-Bombe"),
    "deep_flow": (HEADER + PARTNER + "    offers: " + "[" * 100_000 + "]" * 100_000 + "\n",
                  1, ":9:", "zu tief verschachtelt: mehr als 64 Ebenen"),
    "deep_unclosed": (HEADER + PARTNER + "    offers: " + "{a: " * 100_000 + "\n",
                      1, ":9:", "zu tief verschachtelt"),
    "deep_block": (HEADER + PARTNER + "    offers:\n      " + "- " * 50_000 + "x\n",
                   1, ":10:", "zu tief verschachtelt"),
    "list_as_key": (HEADER + PARTNER + "    ? [a, b]\n    : 1\n", 1, ":9:7:",
                    "eine Liste oder ein Abschnitt kann kein Schlüssel sein"),
    "flow_list_key": (HEADER + PARTNER + "    {[a, b]: 1}: 2\n", 1, ":9:",
                      "kann kein Schlüssel sein"),
    "control_char": (HEADER + PARTNER + "    description: a\x01b\n", 1, ":9:",
                     "unzulässiges Zeichen U+0001"),
    "number_as_field_name": (HEADER + PARTNER + "    1: x\n", 1, ":9:", "ist kein Text"),
    "python_tag": (HEADER + PARTNER + "    description: !!python/object/apply:os.system [id]\n",
                   1, ":9:", "YAML-Tag '!!python/object/apply:os.system' ist nicht erlaubt"),
    "long_label": (HEADER + "  - id: kita-a\n    name: " + "N" * 100_000
                   + "\n    category: kita\n    town: Brakel\n", 1, ":6:",
                   "ist zu lang: 100000 Zeichen, höchstens 200 erlaubt"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_gives_message_with_line(tmp_path, name):
    text, code, where, message = HOSTILE[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_bounded("validate", str(path))
    assert result.returncode == code, result.stderr[-500:]
    assert f"{path}{where}" in result.stderr, result.stderr[-500:]
    assert message in result.stderr, result.stderr[-500:]


@pytest.mark.parametrize("command", ["validate", "locate", "report"])
def test_dev_zero_is_refused_without_reading(tmp_path, command):
    extra = ["-o", str(tmp_path / "r.pdf")] if command == "report" else []
    result = run_bounded(command, "/dev/zero", *extra)
    assert result.returncode == 2
    assert "/dev/zero: ist keine normale Datei" in result.stderr


def test_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "partners.yaml"
    os.mkfifo(fifo)
    result = run_bounded("validate", str(fifo))
    assert result.returncode == 2
    assert "ist keine normale Datei" in result.stderr


def test_file_over_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(HEADER + PARTNER + "    description: " + "x" * 2_000_000 + "\n", encoding="utf-8")
    result = run_bounded("validate", str(path), env={"PARTNERNETZ_MAX_FILE_BYTES": "1000000"})
    assert result.returncode == 2
    assert "Datei ist zu groß (2.0 MB; höchstens 1 MB, Einstellung PARTNERNETZ_MAX_FILE_BYTES)" \
        in result.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_file_is_named_as_such(tmp_path, encoding):
    path = tmp_path / "partners.yaml"
    path.write_bytes((HEADER + PARTNER).encode(encoding))
    result = run_bounded("validate", str(path))
    assert result.returncode == 2
    assert "UTF-16-kodiert; bitte als UTF-8 speichern" in result.stderr


def test_folder_is_refused(tmp_path):
    result = run_bounded("validate", str(tmp_path))
    assert result.returncode == 2
    assert "ist ein Ordner" in result.stderr


def test_empty_path_is_refused():
    result = run_bounded("validate", "")
    assert result.returncode == 2
    assert "Argument path: leerer Dateiname" in result.stderr


def test_hostile_file_in_child_parser_ends_as_issue(tmp_path):
    """The app's isolated parser: same limits, the answer is an issue, never a crash."""
    from partnernetz.registry.sandbox import parse_yaml_isolated

    for name in ("alias_bomb", "deep_flow", "list_as_key"):
        text, _, where, message = HOSTILE[name]
        data, issues = parse_yaml_isolated(text, file=f"{name}.yaml")
        assert data is None
        assert message in issues[0].message
        assert f"{name}.yaml{where}" in issues[0].format()


def test_child_parser_reports_memory_limit(tmp_path):
    from partnernetz.registry.limits import ParseLimits
    from partnernetz.registry.sandbox import parse_yaml_isolated

    text = HEADER + PARTNER + "    description: " + "x" * 5_000_000 + "\n"
    data, issues = parse_yaml_isolated(text, file="p.yaml",
                                       limits=ParseLimits(child_memory_bytes=60_000_000))
    assert data is None
    assert "Speicherlimit" in issues[0].message or "abgestürzt" in issues[0].message


def test_child_parser_returns_same_data_as_in_process():
    from partnernetz.registry.parse import parse_yaml
    from partnernetz.registry.sandbox import parse_yaml_isolated

    text = (HEADER + PARTNER + "    verified: 2026-01-02\n    x-a: !!str 5\n"
            "  - {5762: a, .nan: b, true: c, null: d}\n")
    assert parse_yaml_isolated(text, file="p.yaml")[0] == parse_yaml(text, file="p.yaml")[0] \
        or str(parse_yaml_isolated(text, file="p.yaml")[0]) == str(parse_yaml(text, file="p.yaml")[0])
    plain = Path(ROOT / "data" / "partners.yaml").read_text(encoding="utf-8")
    assert parse_yaml_isolated(plain, file="p.yaml") == parse_yaml(plain, file="p.yaml")


def test_child_parser_works_under_lower_inherited_limits():
    """A server started under a lower CPU limit than the parse asks for still parses."""
    import subprocess
    import sys

    script = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_CPU, (20, 20))\n"
        "from partnernetz.registry.sandbox import parse_yaml_isolated\n"
        "data, issues = parse_yaml_isolated('region:\\n  name: X\\npartners: []\\n', file='p.yaml')\n"
        "print(data is not None, [i.message for i in issues])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=ROOT, timeout=60, check=False)
    assert result.stdout.startswith("True []"), result.stdout + result.stderr
