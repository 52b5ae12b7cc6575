"""Sandbox: parsing an untrusted YAML text in a child process with memory and CPU limits.

The app parses every registry version it has not seen (and uploads) here,
so that a parser crash, a runaway allocation or an endless loop ends the
child, never the server: the child sets ``RLIMIT_AS`` and ``RLIMIT_CPU``
on itself before it reads anything, the parent waits with a wall-clock
timeout, and any abnormal end becomes a German :class:`Issue`.

The child imports only PyYAML, ryaml and :mod:`partnernetz.registry.parse`
(about 40 ms). Data comes back as JSON, never as pickle: dates and keys that
are not text are tagged, so the parent gets exactly what
:func:`~partnernetz.registry.parse.parse_yaml` returns in-process.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from partnernetz.registry.limits import ParseLimits
from partnernetz.registry.report import Issue

ROOT = Path(__file__).resolve().parents[2]
_TAG = "\x00pn"  # marks an encoded value (a JSON object with this single key)
_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from partnernetz.registry.sandbox import child_main; child_main()"
)


def parse_yaml_isolated(
    text: str, *, file: str, limits: ParseLimits | None = None
) -> tuple[Any, list[Issue]]:
    """:func:`~partnernetz.registry.parse.parse_yaml` in a child process with limits.

    Returns
    -------
    data, issues
        As ``parse_yaml``; when the child fails (crash, memory or time limit)
        ``data`` is None and the one issue says what happened.
    """
    limits = limits or ParseLimits.from_environment()
    payload = json.dumps({"file": file, "limits": asdict(limits)}).encode() + b"\n"
    try:
        proc = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            [sys.executable, "-I", "-c", _CHILD, str(ROOT)],
            input=payload + text.encode("utf-8"), capture_output=True,
            timeout=limits.child_seconds + 15, check=False,
        )
    except subprocess.TimeoutExpired:
        return None, [_failure(file, f"Lesen dauerte länger als {limits.child_seconds + 15} s "
                                     "(Zeitlimit) und wurde abgebrochen")]
    except OSError as exc:
        return None, [_failure(file, f"der Prüfprozess konnte nicht starten ({exc.errno})")]
    if proc.returncode != 0:
        return None, [_failure(file, describe_exit(proc.returncode, limits, reader="der YAML-Leser"))]
    try:
        result = json.loads(proc.stdout, object_hook=_decode_object)
        data = result["data"]
        issues = [Issue(line, field, message, column=column, file=file)
                  for line, column, field, message in result["issues"]]
    except (ValueError, KeyError, TypeError):
        return None, [_failure(file, "der Prüfprozess lieferte keine lesbare Antwort")]
    return data, issues


def _failure(file: str, reason: str) -> Issue:
    return Issue(None, "", f"Datei konnte nicht gelesen werden: {reason}", file=file)


EXIT_MEMORY, EXIT_UNEXPECTED = 3, 4  # a child's own exit codes (registry and upload readers)


def describe_exit(code: int, limits: ParseLimits, *, reader: str) -> str:
    """Why a reading child ended with ``code``, in German (``reader``: "der YAML-Leser" …)."""
    if code == EXIT_MEMORY:
        return (f"sie braucht beim Lesen mehr als {limits.child_memory_bytes // 1_000_000} MB "
                "Arbeitsspeicher (Speicherlimit)")
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        return f"Lesen brauchte mehr als {limits.child_seconds} s Rechenzeit (Zeitlimit)"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else -code
        return f"{reader} ist abgestürzt ({name}); die Datei ist vermutlich beschädigt"
    if code == EXIT_UNEXPECTED:
        return f"{reader} ist mit einem unerwarteten Fehler abgebrochen"
    return f"{reader} endete mit Code {code}"


# --------------------------------------------------------------------------- child side


def child_main() -> None:
    """Entry point of the child: limits first, then parse stdin, answer JSON on stdout."""
    import resource

    try:
        request = json.loads(sys.stdin.buffer.readline())
        limits = ParseLimits(**request["limits"])
        memory = limits.child_memory_bytes
        lower_limit(resource.RLIMIT_AS, memory, memory)
        lower_limit(resource.RLIMIT_CPU, limits.child_seconds, limits.child_seconds + 2)
        from partnernetz.registry.parse import parse_yaml

        text = sys.stdin.buffer.read().decode("utf-8")
        data, issues = parse_yaml(text, file=request["file"], limits=limits)
        answer = {
            "data": _encode(data),
            "issues": [[i.line, i.column, i.field, i.message] for i in issues],
        }
        out = json.dumps(answer, ensure_ascii=False)
        sys.stdout.write(out)
        sys.stdout.flush()
    except MemoryError:
        os._exit(EXIT_MEMORY)
    except BaseException:  # the parent reports the exit code
        os._exit(EXIT_UNEXPECTED)


def lower_limit(which: int, soft: int, hard: int) -> None:
    """Set a resource limit, never above the one this process inherited (raising it is
    not allowed, so a parent started under lower limits keeps them)."""
    import resource

    _, current = resource.getrlimit(which)
    if current != resource.RLIM_INFINITY:
        hard = min(hard, current)
    resource.setrlimit(which, (min(soft, hard), hard))


def _encode(value: Any) -> Any:
    """JSON-ready data; only what JSON cannot say itself is tagged."""
    if isinstance(value, dict):
        if _TAG not in value and all(type(key) is str for key in value):
            return {key: _encode(item) for key, item in value.items()}
        return {_TAG: ["pairs", [[_encode(k), _encode(v)] for k, v in value.items()]]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dt.datetime):
        return {_TAG: ["datetime", value.isoformat()]}
    if isinstance(value, dt.date):
        return {_TAG: ["date", value.isoformat()]}
    if isinstance(value, float) and value != value:
        return {_TAG: ["float", "nan"]}
    return value


def _decode_object(obj: dict) -> Any:
    if len(obj) != 1 or _TAG not in obj:
        return obj
    kind, value = obj[_TAG]
    if kind == "pairs":
        return dict((key, item) for key, item in value)
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "float":
        return float(value)
    raise ValueError(kind)
