"""Confirmation-link tokens: valid, expired, tampered, revoked, wrong partner, wrong key."""

from __future__ import annotations

import base64
import datetime as dt
import secrets

import pytest

from partnernetz.errors import LinkError, RecheckError
from partnernetz.recheck.settings import RecheckSettings, settings_key
from partnernetz.recheck.tokens import MESSAGES, link_key, make_token, read_token

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


def test_token_valid_names_its_partner(key: bytes) -> None:
    token = make_token("kita-marker-brakel", key=key, issued=NOW, token_id="abcdefghijkl")
    claim = read_token(token, key=key, now=NOW + dt.timedelta(days=59))
    assert (claim.partner_id, claim.token_id, claim.issued) == ("kita-marker-brakel", "abcdefghijkl", NOW)


def test_token_expired_after_valid_days(key: bytes) -> None:
    token = make_token("kita-marker-brakel", key=key, issued=NOW)
    with pytest.raises(LinkError) as err:
        read_token(token, key=key, now=NOW + dt.timedelta(days=60))
    assert err.value.reason == "expired" and str(err.value) == MESSAGES["expired"]
    assert read_token(token, key=key, now=NOW + dt.timedelta(days=60), valid_days=90)


def test_token_issued_in_the_future_is_refused(key: bytes) -> None:
    token = make_token("kita-marker-brakel", key=key, issued=NOW + dt.timedelta(days=1))
    with pytest.raises(LinkError, match="abgelaufen"):
        read_token(token, key=key, now=NOW)


def test_token_revoked_is_refused(key: bytes) -> None:
    token = make_token("kita-marker-brakel", key=key, issued=NOW, token_id="revokedtoken1")
    with pytest.raises(LinkError) as err:
        read_token(token, key=key, now=NOW, revoked={"revokedtoken1"})
    assert err.value.reason == "revoked"


def test_token_tampered_to_name_another_partner_is_refused(key: bytes) -> None:
    token = make_token("kita-marker-brakel", key=key, issued=NOW)
    payload, signature = token.split(".")
    text = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    other = text.replace("kita-marker-brakel", "beratung-marker-hoexter").encode()
    forged = base64.urlsafe_b64encode(other).rstrip(b"=").decode() + "." + signature
    with pytest.raises(LinkError) as err:
        read_token(forged, key=key, now=NOW)
    assert err.value.reason == "invalid"


@pytest.mark.parametrize("bad", ["", "nonsense", "a.b.c", "ä.ö", "x" * 500, "YWJj.!!!!"])
def test_token_garbage_is_invalid(key: bytes, bad: str) -> None:
    with pytest.raises(LinkError) as err:
        read_token(bad, key=key, now=NOW)
    assert err.value.reason == "invalid" and "ungültig" in str(err.value)


def test_token_of_another_key_is_invalid(key: bytes) -> None:
    token = make_token("kita-marker-brakel", key=link_key("another-secret-" + "x" * 40), issued=NOW)
    with pytest.raises(LinkError, match="ungültig"):
        read_token(token, key=key, now=NOW)


def test_link_key_refuses_a_short_secret() -> None:
    with pytest.raises(RecheckError, match="mindestens 32"):
        link_key("kurz")


def test_link_key_is_derived_never_the_cookie_secret_itself() -> None:
    cookie = "cookie-secret-for-tests-0123456789abcdef"
    derived = settings_key(RecheckSettings(), {"cookie_secret": cookie})
    assert derived != cookie.encode() and derived != link_key(cookie)
    own = RecheckSettings(secret="a-secret-of-its-own-0123456789-xyz")
    assert settings_key(own, {"cookie_secret": cookie}) != derived
    with pytest.raises(RecheckError):
        settings_key(RecheckSettings(), None)


@pytest.mark.parametrize("cookie", ["a long random string", "0123456789abcdef0123456789abcdef",
                                    "short-cookie-secret"])
def test_weak_cookie_secret_signs_no_links(cookie: str) -> None:
    # "a long random string" plus the key's label is over 32 characters: it signed links
    # anybody could forge from the README before
    with pytest.raises(RecheckError, match=r"\[recheck\]"):
        settings_key(RecheckSettings(), {"cookie_secret": cookie})
    own = RecheckSettings(secret=secrets.token_urlsafe(48))
    assert settings_key(own, {"cookie_secret": cookie}) == link_key(own.secret)
