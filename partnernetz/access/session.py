"""From the claims of a sign-in to an :class:`Identity`.

Streamlit keeps the ID token's claims in its identity cookie for 30 days and
never checks their age. An e-mail address the provider marks as not verified
(``email_verified: false``) gives no role. A sign-in here ends ``session_hours`` after the
token was issued (``iat``); without ``iat`` it ends at the token's ``exp``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from partnernetz.access.policy import AccessPolicy
from partnernetz.access.roles import Identity, Role

# A clock running this far ahead of the provider's still accepts the token.
CLOCK_SKEW = dt.timedelta(minutes=5)

Status = Literal["public", "granted", "no_role", "unverified", "expired", "invalid_access"]


@dataclass(frozen=True)
class SignIn:
    """The outcome for one script run: the identity and why it has its role."""

    identity: Identity
    status: Status
    ends: dt.datetime | None = None  # when the sign-in ends (UTC)


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
    if ends is None or now >= ends or (issued is not None and issued > now + CLOCK_SKEW):
        return SignIn(Identity(email or "", name, Role.PUBLIC, groups), "expired", ends)
    if not email:
        return SignIn(Identity("", name, Role.PUBLIC, groups), "no_role", ends)
    if str(claims.get("email_verified", "")).lower() == "false":
        # an address the provider has not confirmed proves nothing about who signs in
        return SignIn(Identity(email, name, Role.PUBLIC, groups), "unverified", ends)
    if policy is None:
        return SignIn(Identity(email, name, Role.PUBLIC, groups), "invalid_access", ends)
    role = policy.role_for(email, groups)
    status: Status = "granted" if role > Role.PUBLIC else "no_role"
    return SignIn(Identity(email, name, role, groups), status, ends)
