"""Sign-ins and denied attempts: to the server log, and the latest in memory.

Only time, e-mail, role and outcome are recorded, never partner data.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import deque
from dataclasses import dataclass

from partnernetz.access.roles import Role

LOGGER = logging.getLogger("partnernetz.access")

EVENTS = {
    "granted": "Anmeldung",
    "no_role": "Abgelehnt (keine Rolle)",
    "unverified": "Abgelehnt (E-Mail-Adresse nicht bestätigt)",
    "expired": "Abgelehnt (Anmeldung abgelaufen)",
    "invalid_access": "Abgelehnt (Zugangsdatei fehlerhaft)",
}


@dataclass(frozen=True)
class SignInEvent:
    """One sign-in or denied attempt."""

    time: dt.datetime
    email: str
    role: Role
    status: str  # a key of EVENTS

    def format(self) -> str:
        """One log line: ``2026-12-01T20:00:00Z Anmeldung email=… role=mitglied``."""
        stamp = self.time.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        event = EVENTS.get(self.status, self.status)
        return f"{stamp} {event} email={self.email or '-'} role={self.role.key}"


class SignInJournal:
    """The latest sign-in events of this server process (thread-safe)."""

    def __init__(self, *, size: int = 200) -> None:
        self._events: deque[SignInEvent] = deque(maxlen=size)
        self._lock = threading.Lock()

    def record(self, event: SignInEvent, *, logger: logging.Logger = LOGGER) -> None:
        """Keep ``event`` and write it to the server log (denials as warnings)."""
        with self._lock:
            self._events.append(event)
        level = logging.INFO if event.status == "granted" else logging.WARNING
        logger.log(level, event.format())

    def latest(self, n: int = 50) -> list[SignInEvent]:
        """The last ``n`` events, newest first."""
        with self._lock:
            events = list(self._events)
        return events[::-1][:n]


def ensure_log_handler(logger: logging.Logger = LOGGER) -> None:
    """Make sure the access log reaches stderr (Streamlit configures only its own loggers)."""
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
