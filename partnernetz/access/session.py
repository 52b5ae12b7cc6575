"""From the claims of a sign-in to an :class:`Identity`.

Streamlit keeps the ID token's claims in its identity cookie for 30 days and
never checks their age. A sign-in here ends ``session_hours`` after the
token was issued (``iat``); without ``iat`` it ends at the token's ``exp``.

Every right, a role as well as the ownership of entries (``owners``), needs a
sign-in that has not ended, an e-mail address the provider has verified
(``email_verified`` not false) and a valid access file. Otherwise
:attr:`SignIn.identity` is :data:`PUBLIC` (not signed in, no e-mail, so no
ownership either); who the sign-in claims to be stays in
:attr:`SignIn.claimed`, for the sidebar's explanation and the log only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from partnernetz.access.policy import AccessPolicy
from partnernetz.access.roles import PUBLIC, Identity, Role

# A clock running this far ahead of the provider's still accepts the token.
CLOCK_SKEW = dt.timedelta(minutes=5)

Status = Literal["public", "granted", "no_role", "unverified", "expired", "invalid_access"]
# Statuses of a valid sign-in: only these carry an e-mail address into ``identity``.
VALID_STATUSES: frozenset[str] = frozenset({"granted", "no_role"})


@dataclass(frozen=True)
class SignIn:
    """The outcome for one script run: the identity and why it has its role.

    ``identity`` carries the rights: :data:`PUBLIC` unless the sign-in is valid
    (status ``granted`` or ``no_role``). ``claimed`` is who the sign-in says
    it is (e-mail, name, groups, never a role): shown and logged, it gives
    nothing.
    """

    identity: Identity
    status: Status
    ends: dt.datetime | None = None  # when the sign-in ends (UTC)
    claimed: Identity = PUBLIC

    @property
    def valid(self) -> bool:
        """True for a sign-in that may carry rights (role or ownership)."""
        return self.status in VALID_STATUSES


def _denied(claimed: Identity, status: Status, ends: dt.datetime | None) -> SignIn:
    """A sign-in that gives no right at all: public identity, the claim kept aside."""
    return SignIn(PUBLIC, status, ends, claimed=claimed)


def claim_groups(claims: Mapping[str, Any], claim: str) -> tuple[str, ...]:
    """The group claim as a tuple of strings (a single string counts as one group)."""
    value = claims.get(claim)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return tuple(str(v) for v in value if v is not None)
    return ()


def sign_in_ends(claims: Mapping[str, Any], *, session_hours: float) -> dt.datetime | None:
    """When a sign-in with these claims ends (UTC); None when the claims cannot tell."""
    iat = _timestamp(claims.get("iat"))
    if iat is not None:
        return iat + dt.timedelta(hours=session_hours)
    return _timestamp(claims.get("exp"))


def _timestamp(value: object) -> dt.datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def resolve_sign_in(
    claims: Mapping[str, Any] | None,
    policy: AccessPolicy | None,
    *,
    now: dt.datetime,
    session_hours: float | None = None,
    group_claim: str | None = None,
) -> SignIn:
    """The identity of a script run.

    Parameters
    ----------
    claims
        ``st.user`` as a dict; None or ``is_logged_in`` not true: not signed in.
    policy
        The checked access file; None when it is missing or invalid, which
        leaves everybody at PUBLIC (status ``invalid_access``).
    now
        The current time (UTC, aware).
    session_hours, group_claim
        Override the access file's settings (defaults when it is invalid).
    """
    if not claims or claims.get("is_logged_in") is not True:
        return SignIn(Identity(), "public")
    hours = session_hours if session_hours is not None else (
        policy.session_hours if policy else 12.0)
    claim = group_claim or (policy.group_claim if policy else "groups")
    email = claims.get("email")
    email = str(email).strip() if email else None
    name = claims.get("name")
    name = str(name) if name else None
    groups = claim_groups(claims, claim)
    ends = sign_in_ends(claims, session_hours=hours)
    issued = _timestamp(claims.get("iat"))
    claimed = Identity(email or "", name, Role.PUBLIC, groups)
    if ends is None or now >= ends or (issued is not None and issued > now + CLOCK_SKEW):
        return _denied(claimed, "expired", ends)
    if not email:
        # signed in, but nothing to give a role or an entry to
        return SignIn(claimed, "no_role", ends, claimed=claimed)
    if str(claims.get("email_verified", "")).strip().lower() in ("false", "0", "no"):
        # an address the provider has not confirmed proves nothing about who signs in
        return _denied(claimed, "unverified", ends)
    if policy is None:
        return _denied(claimed, "invalid_access", ends)
    role = policy.role_for(email, groups)
    status: Status = "granted" if role > Role.PUBLIC else "no_role"
    identity = Identity(email, name, role, groups)
    return SignIn(identity, status, ends, claimed=identity)
