"""The access file: matching, validation with German messages and lines, sign-in age."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from partnernetz.access import (
    ROLE_KEYS,
    AccessPolicy,
    Role,
    admins_of_broken_file,
    check_access_text,
    read_access,
    resolve_sign_in,
)
from partnernetz.errors import AccessFileError, AccessValidationError
from tests.conftest import ROOT, run_cli

REPO = ROOT

EXAMPLE = """\
contact: integration@kreis-hoexter.example   # shown to people without access
roles:
  admin: [leitung@kreis-hoexter.example]
  redaktion: ["group:partnernetz-redaktion", Koordination@Kreis-Hoexter.example]
  mitglied: ["domain:kreis-hoexter.example", "group:partnernetz-netzwerk"]
"""
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def policy_of(text: str = EXAMPLE) -> AccessPolicy:
    policy, report = check_access_text(text, file="access.yaml")
    assert policy is not None, report.format()
    return policy


def test_role_order_and_keys_match_the_seam() -> None:
    assert [int(r) for r in Role] == [0, 1, 2, 3]
    assert ROLE_KEYS == ("public", "mitglied", "redaktion", "admin")
    assert Role.from_key("Redaktion") is Role.REDAKTION
    assert Role.MITGLIED.sees_internal_contacts and not Role.MITGLIED.sees_notes
    assert Role.REDAKTION.sees_notes and not Role.PUBLIC.sees_internal_contacts


@pytest.mark.parametrize(("email", "groups", "role"), [
    ("leitung@kreis-hoexter.example", (), Role.ADMIN),
    ("LEITUNG@Kreis-Hoexter.EXAMPLE", (), Role.ADMIN),  # case of address ignored
    ("koordination@kreis-hoexter.example", (), Role.REDAKTION),  # case in file ignored
    ("someone@kreis-hoexter.example", (), Role.MITGLIED),  # domain
    ("someone@KREIS-HOEXTER.example", (), Role.MITGLIED),
    ("someone@other.example", ("partnernetz-netzwerk",), Role.MITGLIED),  # group
    ("someone@other.example", ("partnernetz-redaktion", "partnernetz-netzwerk"), Role.REDAKTION),
    ("someone@kreis-hoexter.example", ("partnernetz-redaktion",), Role.REDAKTION),  # highest wins
    ("leitung@kreis-hoexter.example", ("partnernetz-netzwerk",), Role.ADMIN),
    ("someone@other.example", ("Partnernetz-Netzwerk",), Role.PUBLIC),  # groups exact
    ("someone@sub.kreis-hoexter.example", (), Role.PUBLIC),  # no sub-domains
    ("someone@other.example", (), Role.PUBLIC),
    (None, ("partnernetz-redaktion",), Role.PUBLIC),
])
def test_role_for_matches_email_domain_group(email, groups, role) -> None:
    assert policy_of().role_for(email, groups) is role


def test_contact_and_settings_read() -> None:
    policy = policy_of(EXAMPLE + "group_claim: roles\nsession_hours: 8\n")
    assert policy.contact == "integration@kreis-hoexter.example"
    assert policy.group_claim == "roles"
    assert policy.session_hours == 8
    assert policy_of().group_claim == "groups"
    assert policy_of().session_hours == 12


@pytest.mark.parametrize(("text", "line", "field", "words"), [
    (EXAMPLE.replace("[leitung@kreis-hoexter.example]", "[leitung@]"), 3, "roles.admin[0]",
     "weder eine E-Mail-Adresse"),
    (EXAMPLE.replace('"domain:kreis-hoexter.example"', '"domain:"'), 5, "roles.mitglied[0]",
     "Domainname"),
    (EXAMPLE.replace('"group:partnernetz-netzwerk"', '"group: "'), 5, "roles.mitglied[1]",
     "Gruppe"),
    (EXAMPLE.replace("  mitglied:", "  gast: [a@b.example]\n  mitglied:"), 5, "roles.gast",
     "unbekanntes Feld"),
    (EXAMPLE.replace("contact: integration@kreis-hoexter.example", "contact: integration"), 1,
     "contact", "keine gültige E-Mail"),
    (EXAMPLE + "session_hours: 0\n", 6, "session_hours", "zu klein"),
    (EXAMPLE.replace("roles:\n", "rolez:\n"), 2, "rolez", "unbekanntes Feld"),
    ("contact: a@b.example\n", 1, "roles", "Pflichtfeld fehlt"),
    ("roles: [admin\n", 2, "", "YAML-Syntaxfehler"),
])
def test_invalid_access_file_german_message_with_line(text, line, field, words) -> None:
    policy, report = check_access_text(text, file="access.yaml")
    assert policy is None
    matching = [i for i in report.errors if i.field == field]
    assert matching, report.format()
    assert matching[0].line == line, report.format()
    assert words in matching[0].message
    assert matching[0].format().startswith(f"access.yaml:{line}")


def test_missing_contact_and_duplicates_are_warnings() -> None:
    text = "roles:\n  admin: [a@b.example, A@B.example]\n"
    policy, report = check_access_text(text, file="access.yaml")
    assert policy is not None
    assert {i.field for i in report.warnings} == {"contact", "roles.admin[1]"}


def test_read_access_raises_own_errors(tmp_path: Path) -> None:
    with pytest.raises(AccessFileError, match="nicht gefunden"):
        read_access(tmp_path / "missing.yaml")
    bad = tmp_path / "access.yaml"
    bad.write_text("roles:\n  admin: [nobody]\n", encoding="utf-8")
    with pytest.raises(AccessValidationError) as info:
        read_access(bad)
    assert f"{bad}:2" in info.value.report.format()


def test_admins_of_broken_file_only_lists_addresses() -> None:
    text = "roles:\n  admin: [Leitung@K.example, 'domain:k.example', kaputt]\n  mitglied: 3\n"
    assert admins_of_broken_file(text) == ("leitung@k.example",)
    assert admins_of_broken_file("roles: [\n") == ()


def claims(**extra):
    base = {"is_logged_in": True, "email": "someone@kreis-hoexter.example", "name": "Sam",
            "iat": (NOW - dt.timedelta(hours=1)).timestamp()}
    base.update(extra)
    return base


def test_resolve_sign_in_granted_no_role_public() -> None:
    policy = policy_of()
    granted = resolve_sign_in(claims(), policy, now=NOW)
    assert granted.status == "granted" and granted.identity.role is Role.MITGLIED
    assert granted.identity.name == "Sam"
    other = resolve_sign_in(claims(email="x@other.example"), policy, now=NOW)
    assert other.status == "no_role" and other.identity.role is Role.PUBLIC
    assert resolve_sign_in({"email": "leitung@kreis-hoexter.example"}, policy,
                           now=NOW).status == "public"  # not is_logged_in
    assert resolve_sign_in(None, policy, now=NOW).identity.email is None


def test_resolve_sign_in_reads_the_configured_group_claim() -> None:
    policy = policy_of(EXAMPLE + "group_claim: roles\n")
    got = resolve_sign_in(claims(email="x@other.example", roles="partnernetz-redaktion",
                                 groups=["partnernetz-netzwerk"]), policy, now=NOW)
    assert got.identity.role is Role.REDAKTION
    assert got.identity.groups == ("partnernetz-redaktion",)


@pytest.mark.parametrize(("extra", "status"), [
    ({"iat": (NOW - dt.timedelta(hours=11, minutes=59)).timestamp()}, "granted"),
    ({"iat": (NOW - dt.timedelta(hours=12)).timestamp()}, "expired"),
    ({"iat": (NOW - dt.timedelta(days=3)).timestamp(),
      "exp": (NOW + dt.timedelta(hours=1)).timestamp()}, "expired"),  # iat rules
    ({"iat": None, "exp": (NOW + dt.timedelta(minutes=1)).timestamp()}, "granted"),
    ({"iat": None, "exp": (NOW - dt.timedelta(minutes=1)).timestamp()}, "expired"),
    ({"iat": None}, "expired"),  # nothing to tell the age by
    ({"iat": (NOW + dt.timedelta(hours=1)).timestamp()}, "expired"),  # issued in the future
    ({"iat": "yesterday"}, "expired"),
])
def test_sign_in_ends_after_session_hours_from_iat(extra, status) -> None:
    got = resolve_sign_in(claims(**extra), policy_of(), now=NOW)
    assert got.status == status
    if status == "expired":
        assert got.identity.role is Role.PUBLIC


def test_session_hours_configurable() -> None:
    policy = policy_of(EXAMPLE + "session_hours: 2\n")
    assert resolve_sign_in(claims(), policy, now=NOW).status == "granted"
    late = claims(iat=(NOW - dt.timedelta(hours=2, seconds=1)).timestamp())
    assert resolve_sign_in(late, policy, now=NOW).status == "expired"


def test_invalid_access_file_gives_public() -> None:
    got = resolve_sign_in(claims(email="leitung@kreis-hoexter.example"), None, now=NOW)
    assert got.status == "invalid_access" and got.identity.role is Role.PUBLIC


def run_validate(path: Path) -> subprocess.CompletedProcess:
    return run_cli("validate", str(path))


def test_validate_command_checks_access_file(tmp_path: Path) -> None:
    good = tmp_path / "access.yaml"
    good.write_text(EXAMPLE, encoding="utf-8")
    result = run_validate(good)
    assert result.returncode == 0, result.stderr
    assert f"{good}: gültig (0 Fehler, 0 Warnungen)" in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.replace("[leitung@kreis-hoexter.example]", "[leitung]"), encoding="utf-8")
    result = run_validate(bad)
    assert result.returncode == 1
    assert f"{bad}:3: roles.admin[0]: 'leitung' ist weder eine E-Mail-Adresse" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_command_checks_demo_access_file() -> None:
    result = run_validate(REPO / "data" / "demo-access.yaml")
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize(("verified", "status"), [
    (False, "unverified"), ("false", "unverified"), (True, "granted"), (None, "granted"),
])
def test_unverified_email_gives_no_role(verified, status) -> None:
    extra = {} if verified is None else {"email_verified": verified}
    got = resolve_sign_in(claims(email="leitung@kreis-hoexter.example", **extra), policy_of(), now=NOW)
    assert got.status == status
    assert (got.identity.role is Role.ADMIN) is (status == "granted")


@pytest.mark.parametrize(("extra", "valid_policy", "status"), [
    ({"email_verified": False}, True, "unverified"),
    ({"email_verified": "false"}, True, "unverified"),
    ({"iat": (NOW - dt.timedelta(hours=13)).timestamp()}, True, "expired"),
    ({}, False, "invalid_access"),
])
def test_denied_sign_in_carries_no_email_so_no_ownership(extra, valid_policy, status) -> None:
    email = "leitung@kreis-hoexter.example"
    got = resolve_sign_in(claims(email=email, groups=["partnernetz-netzwerk"], **extra),
                          policy_of() if valid_policy else None, now=NOW)
    assert got.status == status and not got.valid
    # the rights: nobody (an owner is matched by e-mail, so no e-mail means no entry)
    assert got.identity.email is None and not got.identity.signed_in
    assert got.identity.role is Role.PUBLIC and got.identity.groups == ()
    # who the sign-in claims to be, for the sidebar and the log only
    assert got.claimed.email == email and got.claimed.role is Role.PUBLIC


def test_valid_sign_in_without_role_keeps_the_email_for_ownership() -> None:
    got = resolve_sign_in(claims(email="eigen@partner.example", email_verified=True), policy_of(),
                          now=NOW)
    assert got.status == "no_role" and got.valid
    assert got.identity.email == "eigen@partner.example" and got.identity.signed_in
    assert got.claimed == got.identity
