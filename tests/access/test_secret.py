"""The cookie-secret check: short, uniform and documented secrets are refused."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys

import pytest

from partnernetz.access.secret import (
    KNOWN_EXAMPLES,
    MIN_SECRET_BITS,
    MIN_SECRET_LENGTH,
    SECRET_COMMAND,
    estimate_secret_bits,
    weak_secret_kind,
    weak_secret_reason,
)
from tests.conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_generated_secret_is_accepted() -> None:
    for _ in range(20):
        secret = secrets.token_urlsafe(48)
        assert weak_secret_kind(secret) is None and weak_secret_reason(secret) is None


def test_the_documented_command_generates_an_accepted_secret() -> None:
    code = re.fullmatch(r"python -c '(.*)'", SECRET_COMMAND)[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert weak_secret_reason(out.stdout.strip()) is None


@pytest.mark.parametrize(("secret", "kind"), [
    (None, "missing"), ("", "missing"), ("   ", "missing"), (42, "missing"),
    ("a long random string", "example"), ("A Long Random String", "example"),
    ("changeme", "example"), ("secret", "example"), ("<output of the command>", "example"),
    ("my own long random string, nobody will guess", "example"),
    (secrets.token_urlsafe(48)[:MIN_SECRET_LENGTH - 1], "short"),
    ("x" * 64, "uniform"), ("ab" * 40, "uniform"), ("0123456789" * 4, "uniform"),
    # the README's command line pasted as the secret, and the client-secret placeholder
    (SECRET_COMMAND, "example"),
    ("python -c 'import secrets; print(secrets.token_urlsafe(32))'", "example"),
    # many different characters, yet anybody guesses them: a repeated block, the alphabet
    ("0123456789abcdef0123456789abcdef", "uniform"),
    ("abcdefghijklmnopqrstuvwxyz0123456789", "uniform"),
    ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "uniform"),
])
def test_weak_secret_kind(secret, kind) -> None:
    assert weak_secret_kind(secret) == kind
    assert weak_secret_reason(secret)


def test_every_known_example_is_refused() -> None:
    assert all(weak_secret_kind(example) == "example" for example in KNOWN_EXAMPLES)


def test_reason_is_german_and_never_contains_the_secret() -> None:
    secret = "Zq9" + secrets.token_urlsafe(10)  # too short, and unique
    reason = weak_secret_reason(secret)
    assert reason.startswith("Das cookie_secret ist zu kurz (") and "mindestens 32" in reason
    assert secret not in reason
    assert "zu gleichförmig" in weak_secret_reason("ab" * 40)
    assert "Dokumentation" in weak_secret_reason("a long random string")
    assert weak_secret_reason(None) == "Das cookie_secret fehlt."


def test_entropy_estimate_grows_with_variety_and_length() -> None:
    assert estimate_secret_bits("") == 0.0
    assert estimate_secret_bits("aaaa") == 0.0
    assert estimate_secret_bits("abcd") == pytest.approx(8.0)
    assert estimate_secret_bits(secrets.token_urlsafe(48)) > MIN_SECRET_BITS


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_docs_show_no_cookie_secret_that_works(doc) -> None:
    text = doc.read_text(encoding="utf-8")
    for value in re.findall(r'cookie_secret\s*=\s*"([^"]*)"', text):
        assert weak_secret_kind(value) is not None, f"{doc.name}: cookie_secret {value!r} would work"


def test_readme_generates_the_secret_with_the_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert SECRET_COMMAND in readme
    assert not re.search(r'cookie_secret *= *"(a long random string|changeme|secret)', readme)
