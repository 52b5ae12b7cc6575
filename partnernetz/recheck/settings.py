"""The loop's settings: ``[recheck]`` in ``.streamlit/secrets.toml``.

```toml
[recheck]
secret = "…"                 # signs the links; without it a key is derived from [auth] cookie_secret
base_url = "https://partnernetz.kreis-hoexter.example"   # where the links point
valid_days = 60              # how long a link works
remind_after_days = 21       # no answer after this long: reminder due
sender_name = "KI Kreis Höxter"
```
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from partnernetz.errors import RecheckError
from partnernetz.recheck.loop import DEFAULT_REMIND_DAYS
from partnernetz.recheck.tokens import DEFAULT_VALID_DAYS, KEY_LABEL, link_key


class RecheckSettings(BaseModel, frozen=True, extra="forbid"):
    """``[recheck]`` of the secrets file."""

    secret: str | None = None
    base_url: str | None = None
    valid_days: int = Field(DEFAULT_VALID_DAYS, ge=1, le=365)
    remind_after_days: int = Field(DEFAULT_REMIND_DAYS, ge=1, le=365)
    sender_name: str | None = None


def read_settings(section: Mapping[str, Any] | None) -> RecheckSettings:
    """The settings of ``[recheck]`` (defaults without one); RecheckError names a wrong key."""
    try:
        return RecheckSettings.model_validate(dict(section or {}))
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first.get("loc", ())) or "?"
        raise RecheckError(f"secrets.toml, [recheck] {key}: {first.get('msg', 'ungültig')}") from exc


def settings_key(settings: RecheckSettings, auth: Mapping[str, Any] | None) -> bytes:
    """The link key: from ``[recheck] secret``, else derived from ``[auth] cookie_secret``.

    The cookie secret is never used as it is: :func:`link_key` derives a key
    with a label of its own (``KEY_LABEL``), so the two can never be swapped.
    A weak or documented cookie secret (:func:`weak_secret_kind`) is not used:
    whoever knows it could sign links too; then only ``[recheck] secret`` helps.
    """
    from partnernetz.access.secret import weak_secret_kind

    if settings.secret:
        return link_key(settings.secret)
    cookie = (auth or {}).get("cookie_secret")
    if isinstance(cookie, str) and weak_secret_kind(cookie) is None:
        return link_key(cookie.strip() + "/" + KEY_LABEL.decode("ascii"))
    return link_key("")
