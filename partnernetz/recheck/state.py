"""The state of the re-check loop: a JSON file beside the registry.

``.<registry name>.recheck.json`` (git-ignored like the history) records who
was asked when and how, the answers received, the partners' proposals
waiting for redaktion, and revoked links. It is written atomically
(:func:`partnernetz.files.write_text_atomically`) under a lock file of its
own; every change goes through :func:`update_state`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from partnernetz.errors import RecheckError
from partnernetz.files import write_text_atomically

LOCK_TIMEOUT_S = 30.0
MAX_STATE_BYTES = 50_000_000

Channel = Literal["smtp", "eml", "csv"]


class Request(BaseModel, frozen=True, extra="forbid"):
    """One e-mail asking a partner to check its entry (first request or reminder)."""

    partner_id: str
    token_id: str
    sent: dt.datetime
    channel: Channel
    to: str | None = None
    by: str
    lang: Literal["de", "en"] = "de"


class Answer(BaseModel, frozen=True, extra="forbid"):
    """A partner answered through its link."""

    partner_id: str
    token_id: str
    time: dt.datetime
    kind: Literal["confirmed", "proposal"]


class FieldProposal(BaseModel, frozen=True, extra="forbid"):
    """One field a partner wants changed, and what redaktion decided."""

    field: str  # key of the entry: name, address, phone, contacts …
    old: Any = None
    new: Any = None
    decision: Literal["accepted", "rejected"] | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None


class Proposal(BaseModel, frozen=True, extra="forbid"):
    """The corrections a partner sent; they wait on the Prüfliste under "Vorschläge"."""

    id: str
    partner_id: str
    token_id: str
    time: dt.datetime
    sender: str | None = None  # who filled in the form (free text of the partner)
    fields: tuple[FieldProposal, ...]

    @property
    def open_fields(self) -> tuple[FieldProposal, ...]:
        """The fields redaktion has not decided yet."""
        return tuple(f for f in self.fields if f.decision is None)


class RecheckState(BaseModel, frozen=True, extra="forbid"):
    """Everything the loop remembers."""

    version: Literal[1] = 1
    requests: tuple[Request, ...] = ()
    answers: tuple[Answer, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    revoked: tuple[str, ...] = Field(default=(), description="token ids that no longer work")

    def requests_of(self, partner_id: str) -> tuple[Request, ...]:
        """The requests sent to one partner, oldest first."""
        return tuple(sorted((r for r in self.requests if r.partner_id == partner_id), key=lambda r: r.sent))

    def latest_token(self, partner_id: str) -> str | None:
        """The token id of the newest request to ``partner_id``."""
        requests = self.requests_of(partner_id)
        return requests[-1].token_id if requests else None

    def open_proposals(self) -> tuple[Proposal, ...]:
        """Proposals with at least one undecided field, oldest first."""
        return tuple(sorted((p for p in self.proposals if p.open_fields), key=lambda p: p.time))


def state_path(registry: str | Path) -> Path:
    """``.<name>.recheck.json`` beside ``registry``."""
    registry = Path(registry)
    return registry.parent / f".{registry.name}.recheck.json"


def _lock_path(registry: str | Path) -> Path:
    registry = Path(registry)
    return registry.parent / f".{registry.name}.recheck.lock"


def read_state(registry: str | Path) -> RecheckState:
    """The loop's state for ``registry`` (empty when nothing was asked yet).

    Raises
    ------
    RecheckError
        The file exists but is unreadable, too big or not a valid state (German, with the file).
    """
    path = state_path(registry)
    try:
        if not path.exists():
            return RecheckState()
        if not path.is_file() or path.is_symlink():
            raise RecheckError(f"{path.name}: ist keine gewöhnliche Datei")
        if path.stat().st_size > MAX_STATE_BYTES:
            raise RecheckError(f"{path.name}: ist zu groß ({path.stat().st_size} Bytes)")
        data = json.loads(path.read_text(encoding="utf-8"))
        return RecheckState.model_validate(data)
    except OSError as exc:
        raise RecheckError(f"{path.name}: kann nicht gelesen werden ({exc.strerror})") from exc
    except (ValueError, ValidationError) as exc:
        raise RecheckError(
            f"{path.name}: ist beschädigt und kann nicht gelesen werden; bitte die Datei prüfen "
            "oder aus der Sicherung holen"
        ) from exc


def write_state(registry: str | Path, state: RecheckState) -> None:
    """Write ``state`` atomically (callers hold the lock: use :func:`update_state`)."""
    text = json.dumps(state.model_dump(mode="json"), ensure_ascii=False, indent=1)
    write_text_atomically(state_path(registry), text + "\n")


def update_state(registry: str | Path, change: Callable[[RecheckState], RecheckState]) -> RecheckState:
    """Read, change and write the state under its lock; returns the new state."""
    from filelock import FileLock, Timeout

    try:
        with FileLock(str(_lock_path(registry)), timeout=LOCK_TIMEOUT_S):
            new = change(read_state(registry))
            write_state(registry, new)
            return new
    except Timeout as exc:
        raise RecheckError(
            f"{state_path(registry).name}: ist gerade gesperrt; bitte gleich noch einmal versuchen"
        ) from exc


def with_requests(state: RecheckState, requests: Iterable[Request]) -> RecheckState:
    """``state`` with new requests; earlier links of the same partners are revoked."""
    requests = tuple(requests)
    partners = {r.partner_id for r in requests}
    new_tokens = {r.token_id for r in requests}
    revoke = {r.token_id for r in state.requests if r.partner_id in partners} - new_tokens
    return state.model_copy(update={
        "requests": state.requests + requests,
        "revoked": tuple(sorted(set(state.revoked) | revoke)),
    })


def with_revoked(state: RecheckState, token_ids: Iterable[str]) -> RecheckState:
    """``state`` with ``token_ids`` revoked."""
    return state.model_copy(update={"revoked": tuple(sorted(set(state.revoked) | set(token_ids)))})


def with_answer(state: RecheckState, answer: Answer, proposal: Proposal | None = None) -> RecheckState:
    """``state`` with an answer (and the proposal it brought).

    A new proposal through the same link replaces that link's proposal nobody has
    decided on yet: the partner corrected its own corrections.
    """
    update: dict[str, Any] = {"answers": (*state.answers, answer)}
    if proposal is not None:
        kept = tuple(p for p in state.proposals
                     if p.token_id != proposal.token_id or any(f.decision for f in p.fields))
        update["proposals"] = (*kept, proposal)
    return state.model_copy(update=update)


def with_decisions(
    state: RecheckState, proposal_id: str, decisions: dict[str, str], *, by: str, at: dt.datetime,
) -> RecheckState:
    """``state`` with redaktion's decisions (field → ``accepted``/``rejected``) on one proposal."""
    proposals = []
    found = False
    for proposal in state.proposals:
        if proposal.id == proposal_id:
            found = True
            fields = tuple(
                f.model_copy(update={"decision": decisions[f.field], "decided_by": by, "decided_at": at})
                if f.decision is None and f.field in decisions else f
                for f in proposal.fields
            )
            proposal = proposal.model_copy(update={"fields": fields})
        proposals.append(proposal)
    if not found:
        raise RecheckError(f"Vorschlag {proposal_id} gibt es nicht (mehr)")
    return state.model_copy(update={"proposals": tuple(proposals)})
