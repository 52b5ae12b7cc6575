"""The audit log: one JSON object per line for what the county keeps.

Sign-ins, denied sign-ins, edits, restores, imports and exports of internal
data are written to the logger ``partnernetz.audit`` as one JSON object per
line: time (UTC, ISO 8601), event, user, role, target (a partner id or a file
name) and outcome. Never partner contact data: callers pass identifiers only.
``docs/operations.md`` says how to send it to journald or a rotated file.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import logging
import os
import sys

AUDIT_LOGGER = logging.getLogger("partnernetz.audit")

EVENTS = frozenset({
    "sign_in", "sign_in_denied", "edit", "restore", "import", "export_internal",
    "publish", "backup", "recheck_request", "recheck_answer",
})


def format_audit_line(
    event: str, *, user: str | None, role: str | None, target: str | None = None,
    outcome: str = "ok", now: dt.datetime | None = None,
) -> str:
    """The JSON line of one audit event (keys in a fixed order, no ASCII escapes)."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    record = {
        "time": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "event": event,
        "user": user or None,
        "role": role or None,
        "target": target or None,
        "outcome": outcome,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def log_audit(
    event: str, *, user: str | None, role: str | None, target: str | None = None,
    outcome: str = "ok", logger: logging.Logger = AUDIT_LOGGER,
) -> None:
    """Write one audit event to the audit log (warnings for outcomes other than ``ok``)."""
    ensure_audit_handler(logger)
    level = logging.INFO if outcome == "ok" else logging.WARNING
    logger.log(level, format_audit_line(event, user=user, role=role, target=target, outcome=outcome))


class _StderrHandler(logging.StreamHandler):
    """A handler that writes to ``sys.stderr`` as it is at each record, not at its creation:
    a CLI run (or a test) may have replaced or closed the stream it first saw."""

    @property
    def stream(self) -> object:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def ensure_audit_handler(logger: logging.Logger = AUDIT_LOGGER) -> None:
    """Give the audit log a plain handler (the message alone: one JSON object per line)."""
    if not logger.handlers:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)


def shell_user() -> str | None:
    """Who runs a command: ``$PARTNERNETZ_EDITOR``, else the login name (None when unknown)."""
    env = os.environ.get("PARTNERNETZ_EDITOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
