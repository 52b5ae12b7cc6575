"""The loop's steps on the registry and its state file: check a link, confirm, propose, decide, remind.

Registry changes go through :func:`partnernetz.registry.writer.apply_changes`
(one history entry each); the state through
:func:`partnernetz.recheck.state.update_state`. The registry is written
first: a state write that fails afterwards leaves a proposal open, never a
change without its history entry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnernetz.errors import LinkError, RecheckError
from partnernetz.recheck.answers import apply_fields, changed_fields, field_label, new_proposal
from partnernetz.recheck.mails import recipient
from partnernetz.recheck.state import (
    Answer,
    RecheckState,
    read_state,
    update_state,
    with_answer,
    with_decisions,
)
from partnernetz.recheck.tokens import DEFAULT_VALID_DAYS, MESSAGES, LinkClaim, read_token
from partnernetz.registry import writer
from partnernetz.registry.check import TownSource

DEFAULT_REMIND_DAYS = 21
CONFIRM_COMMENT = "bestätigt über Bestätigungslink"


def _plain(text: str) -> str:
    return re.sub(r"[<>\r\n]+", " ", text).strip()


def partner_author(entry: Mapping[str, Any]) -> str:
    """The history author of a partner's own answer: ``<name> (Bestätigungslink) <e-mail>``."""
    email = recipient(entry) or "partner@localhost"
    return f"{_plain(str(entry.get('name') or entry.get('id')))} (Bestätigungslink) <{_plain(email)}>"


def check_link(
    registry: str | Path, token: str, *, key: bytes, now: dt.datetime, valid_days: int = DEFAULT_VALID_DAYS,
) -> tuple[LinkClaim, dict[str, Any]]:
    """The claim and the registry entry of a valid link.

    Raises
    ------
    LinkError
        Invalid, tampered, expired or revoked, or the partner is gone or retired.
    """
    state = read_state(registry)
    claim = read_token(token, key=key, now=now, valid_days=valid_days, revoked=state.revoked)
    entry = writer.read_entries(registry).get(claim.partner_id)
    if entry is None or entry.get("status", "active") == "inactive":
        raise LinkError("unknown", MESSAGES["unknown"])
    return claim, entry


def confirm_entry(
    registry: str | Path, claim: LinkClaim, *, towns_source: TownSource, now: dt.datetime,
) -> writer.WriteResult | None:
    """"Alles noch aktuell": ``verified`` today, one history entry, the answer recorded.

    Returns None when the entry was verified today already (nothing to write again).
    """
    entry = writer.read_entries(registry).get(claim.partner_id)
    if entry is None:
        raise LinkError("unknown", MESSAGES["unknown"])
    today = now.astimezone().date()
    result = None
    if str(entry.get("verified") or "")[:10] != today.isoformat():
        result = writer.apply_changes(
            registry, [writer.UpdatePartner(claim.partner_id, dict(entry, verified=today.isoformat()))],
            base_hash=None, author=partner_author(entry), comment=CONFIRM_COMMENT,
            towns_source=towns_source, today=today,
        )
    answer = Answer(partner_id=claim.partner_id, token_id=claim.token_id, time=now, kind="confirmed")
    update_state(registry, lambda s: with_answer(s, answer))
    return result


def submit_proposal(
    registry: str | Path, claim: LinkClaim, values: Mapping[str, Any], *,
    sender: str | None, now: dt.datetime,
) -> int:
    """"Etwas hat sich geändert": the corrections wait for redaktion; returns how many fields changed."""
    entry = writer.read_entries(registry).get(claim.partner_id)
    if entry is None:
        raise LinkError("unknown", MESSAGES["unknown"])
    fields = changed_fields(entry, values)
    if not fields:
        return 0
    proposal = new_proposal(claim.partner_id, claim.token_id, fields, sender=sender, now=now)
    answer = Answer(partner_id=claim.partner_id, token_id=claim.token_id, time=now, kind="proposal")
    update_state(registry, lambda s: with_answer(s, answer, proposal))
    return len(fields)


def decide_proposal(
    registry: str | Path,
    proposal_id: str,
    decisions: Mapping[str, str],
    *,
    editor: str,
    towns_source: TownSource,
    now: dt.datetime,
) -> writer.WriteResult | None:
    """Redaktion accepts or rejects fields of a proposal.

    Accepted fields are written in one change whose history entry names the
    editor (author) and the partner (comment); ``verified`` becomes today,
    since the partner checked its entry. Rejected fields only close in the state.
    Returns the write result, or None when nothing was accepted.
    """
    if any(v not in ("accepted", "rejected") for v in decisions.values()):
        raise RecheckError("Entscheidung muss angenommen oder abgelehnt sein")
    state = read_state(registry)
    proposal = next((p for p in state.proposals if p.id == proposal_id), None)
    if proposal is None:
        raise RecheckError(f"Vorschlag {proposal_id} gibt es nicht (mehr)")
    open_fields = {f.field: f for f in proposal.open_fields}
    accepted = [open_fields[k] for k, v in decisions.items() if v == "accepted" and k in open_fields]
    rejected = [open_fields[k] for k, v in decisions.items() if v == "rejected" and k in open_fields]
    result = None
    if accepted:
        entry = writer.read_entries(registry).get(proposal.partner_id)
        if entry is None:
            raise RecheckError(f"{proposal.partner_id}: den Partner gibt es nicht mehr im Verzeichnis")
        new = apply_fields(entry, accepted)
        new["verified"] = now.astimezone().date().isoformat()
        who = _plain(str(entry.get("name") or proposal.partner_id))
        if proposal.sender:
            who += f" ({_plain(proposal.sender)})"
        comment = (f"Vorschlag von {who} über Bestätigungslink vom {proposal.time:%d.%m.%Y}; angenommen: "
                   + ", ".join(field_label(f.field, "de") for f in accepted))
        if rejected:
            comment += "; abgelehnt: " + ", ".join(field_label(f.field, "de") for f in rejected)
        result = writer.apply_changes(registry, [writer.UpdatePartner(proposal.partner_id, new)],
                                      base_hash=None, author=editor, comment=comment,
                                      towns_source=towns_source, today=now.astimezone().date())
    decided = {f.field: "accepted" for f in accepted} | {f.field: "rejected" for f in rejected}
    update_state(registry, lambda s: with_decisions(s, proposal_id, decided, by=editor, at=now))
    return result


@dataclass(frozen=True)
class Pending:
    """A partner that was asked and has not answered yet."""

    partner_id: str
    mails: int  # requests in this round (1 = first request, 2 = one reminder, …)
    first_sent: dt.datetime
    last_sent: dt.datetime
    due: str  # "wait", "reminder" (send reminder number ``mails``), "phone"


def pending_partners(
    state: RecheckState, *, now: dt.datetime, remind_after_days: int = DEFAULT_REMIND_DAYS,
    verified: Mapping[str, dt.date | None] | None = None,
) -> list[Pending]:
    """Who was asked and has not answered since, with what is due for each.

    A round starts with the first request after the partner's last answer (or
    after its ``verified`` date in ``verified``). Not answered within
    ``remind_after_days`` of the last mail: a reminder is due (two at most);
    after the second reminder: a phone call.
    """
    last_answer: dict[str, dt.datetime] = {}
    for answer in state.answers:
        if answer.partner_id not in last_answer or answer.time > last_answer[answer.partner_id]:
            last_answer[answer.partner_id] = answer.time
    rounds: dict[str, list[dt.datetime]] = {}
    for request in sorted(state.requests, key=lambda r: r.sent):
        answered = last_answer.get(request.partner_id)
        if answered is not None and answered >= request.sent:
            continue
        rounds.setdefault(request.partner_id, []).append(request.sent)
    out = []
    wait = dt.timedelta(days=remind_after_days)
    for partner_id, sent in rounds.items():
        checked = (verified or {}).get(partner_id)
        if checked is not None and checked >= sent[-1].astimezone().date():
            continue  # verified by redaktion after the last mail
        due = "wait" if now - sent[-1] < wait else ("reminder" if len(sent) < 3 else "phone")
        out.append(Pending(partner_id, len(sent), sent[0], sent[-1], due))
    return sorted(out, key=lambda p: (p.due != "phone", p.due != "reminder", p.last_sent))


def answers_between(state: RecheckState, start: dt.datetime, end: dt.datetime) -> Sequence[Answer]:
    """The answers received in ``[start, end)``."""
    return [a for a in state.answers if start <= a.time < end]
