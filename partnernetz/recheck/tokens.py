"""Confirmation links: a signed token that names one partner, expires and can be revoked.

A token is ``<payload>.<signature>``, both base64url without padding. The
payload is ``<partner id>.<issued, Unix seconds>.<token id>``; the signature
is HMAC-SHA256 over the payload with the link key. The link key is derived
from a server secret (``[recheck] secret`` in the secrets file, else the
sign-in ``cookie_secret``) with a label of its own, so the cookie secret
itself never signs a link and a link key cannot sign a cookie.

Checking a token (:func:`read_token`) raises :class:`LinkError` with one
short German message for every kind of bad link; the page shows that text
and nothing else.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass

from partnernetz.errors import LinkError, RecheckError

KEY_LABEL = b"partnernetz/recheck-link/v1"
MIN_SECRET_LENGTH = 32
DEFAULT_VALID_DAYS = 60
MAX_TOKEN_LENGTH = 400
_ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
_TOKEN_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,32}$")

MESSAGES = {
    "invalid": "Dieser Link ist ungültig. Bitte nutzen Sie den Link aus Ihrer E-Mail unverändert "
               "oder wenden Sie sich an das Kommunale Integrationszentrum.",
    "expired": "Dieser Link ist abgelaufen. Bitte wenden Sie sich an das Kommunale "
               "Integrationszentrum, wenn Sie Ihren Eintrag prüfen möchten.",
    "revoked": "Dieser Link gilt nicht mehr. Bitte nutzen Sie den Link aus der neuesten E-Mail "
               "oder wenden Sie sich an das Kommunale Integrationszentrum.",
    "unknown": "Zu diesem Link gibt es keinen Eintrag mehr. Bitte wenden Sie sich an das "
               "Kommunale Integrationszentrum.",
}


@dataclass(frozen=True)
class LinkClaim:
    """What a valid token says: the partner, when it was issued, and its own id."""

    partner_id: str
    issued: dt.datetime  # UTC
    token_id: str

    def expires(self, valid_days: int = DEFAULT_VALID_DAYS) -> dt.datetime:
        """When the link stops working."""
        return self.issued + dt.timedelta(days=valid_days)


def link_key(secret: str) -> bytes:
    """The key that signs links, derived from ``secret`` (never the secret itself).

    Raises
    ------
    RecheckError
        The secret is missing or shorter than 32 characters.
    """
    if not isinstance(secret, str) or len(secret.strip()) < MIN_SECRET_LENGTH:
        raise RecheckError(
            "Für Bestätigungslinks fehlt ein Server-Schlüssel: bitte in .streamlit/secrets.toml "
            f"unter [recheck] einen secret mit mindestens {MIN_SECRET_LENGTH} zufälligen Zeichen "
            "eintragen."
        )
    return hmac.new(secret.strip().encode("utf-8"), KEY_LABEL, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()


def new_token_id() -> str:
    """A fresh random token id (12 characters, base64url)."""
    return secrets.token_urlsafe(9)


def make_token(partner_id: str, *, key: bytes, issued: dt.datetime, token_id: str | None = None) -> str:
    """A signed token for ``partner_id``, issued at ``issued`` (aware datetime)."""
    if not _ID_RE.match(partner_id):
        raise RecheckError(f"'{partner_id}' ist keine gültige Partner-id für einen Bestätigungslink")
    token_id = token_id or new_token_id()
    if not _TOKEN_ID_RE.match(token_id):
        raise RecheckError(f"'{token_id}' ist keine gültige Link-Kennung")
    stamp = int(issued.astimezone(dt.UTC).timestamp())
    payload = f"{partner_id}.{stamp}.{token_id}".encode("ascii")
    return f"{_b64(payload)}.{_b64(_sign(key, payload))}"


def read_token(
    token: str,
    *,
    key: bytes,
    now: dt.datetime,
    valid_days: int = DEFAULT_VALID_DAYS,
    revoked: Collection[str] = (),
) -> LinkClaim:
    """The claim of a valid ``token``.

    Raises
    ------
    LinkError
        ``invalid`` (not a token, or the signature does not match: tampered or
        another server's), ``expired`` (older than ``valid_days``, or issued in
        the future), ``revoked`` (its id is in ``revoked``).
    """
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
        raise LinkError("invalid", MESSAGES["invalid"])
    payload_text, signature_text = token.split(".")
    try:
        payload = _unb64(payload_text)
        signature = _unb64(signature_text)
    except (binascii.Error, ValueError) as exc:
        raise LinkError("invalid", MESSAGES["invalid"]) from exc
    if not hmac.compare_digest(signature, _sign(key, payload)):
        raise LinkError("invalid", MESSAGES["invalid"])
    try:
        partner_id, stamp_text, token_id = payload.decode("ascii").split(".")
        issued = dt.datetime.fromtimestamp(int(stamp_text), dt.UTC)
    except (UnicodeDecodeError, ValueError, OverflowError, OSError) as exc:
        raise LinkError("invalid", MESSAGES["invalid"]) from exc
    if not _ID_RE.match(partner_id) or not _TOKEN_ID_RE.match(token_id):
        raise LinkError("invalid", MESSAGES["invalid"])
    claim = LinkClaim(partner_id, issued, token_id)
    now = now.astimezone(dt.UTC)
    if now >= claim.expires(valid_days) or issued > now + dt.timedelta(minutes=5):
        raise LinkError("expired", MESSAGES["expired"])
    if token_id in revoked:
        raise LinkError("revoked", MESSAGES["revoked"])
    return claim
