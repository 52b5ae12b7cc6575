"""The sign-in cookie secret: refuse one that is short, low in entropy or from the docs.

Streamlit signs its identity cookie with ``[auth] cookie_secret``. Whoever knows
the secret can forge any identity, so a weak one keeps sign-in off
(``weak_secret_reason`` names why, in German, for admins, the log and ``doctor``).
"""

from __future__ import annotations

import itertools
import math
import zlib
from collections import Counter

MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 128.0

# Strings that appeared as examples in this project's docs or in common templates.
KNOWN_EXAMPLES = frozenset({
    "a long random string",
    "a long random string, e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(32))'",
    "changeme", "change-me", "secret", "cookie_secret", "xxx", "your-secret-here",
    "replace-me", "replace with a long random string",
    "demo-login-cookie-secret-not-for-production",
    "<output of the command>",
})


def estimate_secret_bits(secret: str) -> float:
    """A rough upper bound of the randomness in bits.

    Shannon entropy of the characters times the length, capped by the size of
    the text compressed (raw deflate): a repeated pattern has many different
    characters but compresses well.
    """
    if not secret:
        return 0.0
    counts = Counter(secret)
    n = len(secret)
    per_char = -sum(c / n * math.log2(c / n) for c in counts.values())
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(secret.encode("utf-8")) + packer.flush()
    return min(per_char * n, 8.0 * len(packed))


def weak_secret_kind(secret: object) -> str | None:
    """Why ``secret`` is weak as a key (``missing``, ``example``, ``short``, ``uniform``), or None.

    The keys name the reason for translated texts (``auth.weak_secret.<kind>``).
    """
    if not isinstance(secret, str) or not secret.strip():
        return "missing"
    text = secret.strip()
    lowered = text.lower()
    if lowered in KNOWN_EXAMPLES or any(part in lowered for part in _DOC_PARTS):
        return "example"
    if len(text) < MIN_SECRET_LENGTH:
        return "short"
    if (len(set(text)) < 10 or estimate_secret_bits(text) < MIN_SECRET_BITS
            or _is_patterned(text)):
        return "uniform"
    return None


# Pieces of the docs that a copied placeholder or command line contains.
_DOC_PARTS = ("random string", "secrets.token", "token_urlsafe", "python -c",
              "output of the command")


def _is_patterned(text: str) -> bool:
    """True for a repeated block (``0123456789abcdef`` twice) or a run through the alphabet.

    Such text has many different characters, so the entropy estimate alone
    lets it pass, yet anybody guesses it.
    """
    n = len(text)
    if any(n % k == 0 and text == text[:k] * (n // k) for k in range(1, n // 2 + 1)):
        return True
    steps = sum(1 for a, b in itertools.pairwise(text) if abs(ord(b) - ord(a)) <= 1)
    return steps >= (n - 1) / 2


def weak_secret_reason(secret: object) -> str | None:
    """Why ``secret`` must not sign cookies (German), or ``None`` when it is strong enough."""
    kind = weak_secret_kind(secret)
    if kind is None:
        return None
    if kind == "short":
        return (f"Das cookie_secret ist zu kurz ({len(str(secret).strip())} Zeichen, mindestens "
                f"{MIN_SECRET_LENGTH}).")
    return _REASONS[kind]


_REASONS = {
    "missing": "Das cookie_secret fehlt.",
    "example": "Das cookie_secret ist ein Beispiel aus der Dokumentation und damit öffentlich bekannt.",
    "uniform": "Das cookie_secret ist zu gleichförmig (zu wenig Zufall).",
}


SECRET_COMMAND = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"  # noqa: S105 - a command, not a secret
