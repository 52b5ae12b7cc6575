"""The access file: who gets which role.

::

    contact: integration@kreis-hoexter.example   # shown to people without access
    group_claim: groups                          # optional: ID-token claim with the groups
    session_hours: 12                            # optional: a sign-in ends after this long
    roles:
      admin: [leitung@kreis-hoexter.example]
      redaktion: ["group:partnernetz-redaktion", koordination@kreis-hoexter.example]
      mitglied: ["domain:kreis-hoexter.example", "group:partnernetz-netzwerk"]

An entry is an exact e-mail address, ``domain:NAME`` (every address of that
domain) or ``group:NAME`` (a value of the group claim). Addresses and domains
match without regard to case; group names match exactly. A person matched by
several entries gets the highest role.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

from partnernetz.access.roles import Role
from partnernetz.errors import AccessFileError, AccessValidationError, RegistryFileError
from partnernetz.registry.parse import YamlLocator, parse_yaml, read_registry_text
from partnernetz.registry.report import (
    Issue,
    ValidationReport,
    describe_pydantic_error,
    format_field_path,
)

ACCESS_ENV = "PARTNERNETZ_ACCESS"
DEFAULT_GROUP_CLAIM = "groups"
DEFAULT_SESSION_HOURS = 12.0

_EMAIL_RE = re.compile(r"^[^@\s:]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$")
_DOMAIN_RE = re.compile(r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_GRANTING = (Role.MITGLIED, Role.REDAKTION, Role.ADMIN)


class _Roles(BaseModel, frozen=True, extra="forbid"):
    admin: list[str] = Field(default_factory=list)
    redaktion: list[str] = Field(default_factory=list)
    mitglied: list[str] = Field(default_factory=list)


class AccessFile(BaseModel, frozen=True, extra="forbid"):
    """The access file as written (checked structure; entries are checked apart)."""

    contact: str | None = Field(None, description="E-Mail-Adresse für Menschen ohne Zugang")
    group_claim: str = Field(DEFAULT_GROUP_CLAIM, min_length=1,
                             description="Name des Gruppen-Claims im ID-Token")
    session_hours: float = Field(DEFAULT_SESSION_HOURS, gt=0, le=24 * 30,
                                 description="Stunden, nach denen eine Anmeldung endet")
    roles: _Roles = Field(description="Einträge je Rolle: admin, redaktion, mitglied")

    @field_validator("contact")
    @classmethod
    def _check_contact(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL_RE.match(value.strip()):
            raise ValueError(f"'{value}' ist keine gültige E-Mail-Adresse")
        return value.strip() if value else value


@dataclass(frozen=True)
class Entry:
    """One matching rule of the access file."""

    kind: str  # "email", "domain" or "group"
    value: str  # e-mail and domain lower-cased; group as written
    role: Role
    text: str  # as written in the file
    line: int | None = None


@dataclass(frozen=True)
class AccessPolicy:
    """The checked access file: the entries and the settings around them."""

    file: str
    entries: tuple[Entry, ...] = ()
    contact: str | None = None
    group_claim: str = DEFAULT_GROUP_CLAIM
    session_hours: float = DEFAULT_SESSION_HOURS
    report: ValidationReport = field(default_factory=lambda: ValidationReport(""))

    def role_for(self, email: str | None, groups: Iterable[str] = ()) -> Role:
        """The highest role any entry gives to ``email`` / ``groups``; PUBLIC if none."""
        if not email:
            return Role.PUBLIC
        address = email.strip().lower()
        domain = address.rpartition("@")[2]
        group_set = {str(g) for g in groups}
        best = Role.PUBLIC
        for entry in self.entries:
            if entry.role <= best:
                continue
            if ((entry.kind == "email" and entry.value == address)
                    or (entry.kind == "domain" and entry.value == domain)
                    or (entry.kind == "group" and entry.value in group_set)):
                best = entry.role
        return best

    def entries_of(self, role: Role) -> tuple[Entry, ...]:
        """The entries that give ``role``, in file order."""
        return tuple(e for e in self.entries if e.role == role)


def access_path(environ: Mapping[str, str] | None = None, *, root: Path | None = None) -> Path:
    """The access file: ``$PARTNERNETZ_ACCESS`` or ``data/access.yaml`` under ``root``."""
    env = os.environ if environ is None else environ
    chosen = env.get(ACCESS_ENV)
    if chosen:
        return Path(chosen).expanduser()
    base = root if root is not None else Path.cwd()
    return base / "data" / "access.yaml"


def parse_entry(text: str, role: Role) -> Entry | str:
    """An :class:`Entry` for ``text``, or the German reason why it is not one."""
    raw = str(text).strip()
    lowered = raw.lower()
    if lowered.startswith("domain:"):
        domain = raw[len("domain:"):].strip().lstrip("@")
        if not _DOMAIN_RE.match(domain):
            return f"'{raw}': nach 'domain:' muss ein Domainname stehen, z. B. domain:kreis-hoexter.de"
        return Entry("domain", domain.lower(), role, raw)
    if lowered.startswith("group:"):
        group = raw[len("group:"):].strip()
        if not group:
            return f"'{raw}': nach 'group:' muss der Name einer Gruppe stehen"
        return Entry("group", group, role, raw)
    if _EMAIL_RE.match(raw):
        return Entry("email", lowered, role, raw)
    return (f"'{raw}' ist weder eine E-Mail-Adresse noch ein Eintrag der Form "
            "domain:NAME oder group:NAME")


def check_access_text(text: str, *, file: str) -> tuple[AccessPolicy | None, ValidationReport]:
    """Check the access file's text; the policy is None when there is an error.

    Every finding names the file, the line and the field, in German.
    """
    data, issues = parse_yaml(text, file=file)
    report = ValidationReport(file, tuple(issues))
    if not report.ok:
        return None, report
    locator = YamlLocator(text)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, report.with_issues([Issue(
            1, "", "Die Zugangsdatei muss aus Feldern bestehen (contact:, roles: …)", file=file)])
    try:
        model = AccessFile.model_validate(data)
    except ValidationError as exc:
        found = [
            Issue(locator.line(tuple(err["loc"])), format_field_path(err["loc"]),
                  _message(err), file=file)
            for err in exc.errors()
        ]
        return None, report.with_issues(found)

    entries: list[Entry] = []
    found: list[Issue] = []
    seen: dict[tuple[str, str], Role] = {}
    for role in _GRANTING:
        for index, text_entry in enumerate(getattr(model.roles, role.key)):
            loc = ("roles", role.key, index)
            line = locator.line(loc)
            parsed = parse_entry(text_entry, role)
            if isinstance(parsed, str):
                found.append(Issue(line, format_field_path(loc), parsed, file=file))
                continue
            key = (parsed.kind, parsed.value)
            if seen.get(key) == role:
                found.append(Issue(line, format_field_path(loc),
                                   f"'{parsed.text}' steht doppelt unter {role.key}",
                                   severity="warning", file=file))
            seen.setdefault(key, role)
            entries.append(Entry(parsed.kind, parsed.value, role, parsed.text, line))
    if model.contact is None:
        found.append(Issue(locator.line(()), "contact",
                           "Kein Kontakt angegeben: Menschen ohne Zugang erfahren nicht, "
                           "an wen sie sich wenden können", severity="warning", file=file))
    report = report.with_issues(found)
    if not report.ok:
        return None, report
    policy = AccessPolicy(
        file=file, entries=tuple(entries), contact=model.contact, group_claim=model.group_claim,
        session_hours=model.session_hours, report=report,
    )
    return policy, report


def _message(error: dict) -> str:
    if error.get("type") == "value_error":
        return str(error.get("ctx", {}).get("error", error.get("msg", "")))
    return describe_pydantic_error(error)


def read_access(path: str | Path) -> AccessPolicy:
    """Read and check the access file at ``path``.

    Raises
    ------
    AccessFileError
        When the file is missing or unreadable.
    AccessValidationError
        When it has errors (``.report`` lists them).
    """
    try:
        text = read_registry_text(path)
    except RegistryFileError as exc:
        raise AccessFileError(str(exc)) from None
    policy, report = check_access_text(text, file=str(path))
    if policy is None:
        raise AccessValidationError(report)
    return policy


def admins_of_broken_file(text: str) -> tuple[str, ...]:
    """The e-mail entries under ``roles.admin`` of a file that failed its check.

    They give no rights: the app only uses them to show those people why the
    file is invalid. Empty when even that part cannot be read.
    """
    data, _ = parse_yaml(text, file="")
    roles = data.get("roles") if isinstance(data, dict) else None
    admins = roles.get("admin") if isinstance(roles, dict) else None
    if not isinstance(admins, list):
        return ()
    return tuple(a.strip().lower() for a in admins if isinstance(a, str) and _EMAIL_RE.match(a.strip()))


_TOP_ROLES = re.compile(r"^roles\s*:", re.MULTILINE)
_TOP_PARTNERS = re.compile(r"^(?:partners|region)\s*:", re.MULTILINE)


def is_access_text(text: str) -> bool:
    """True when ``text`` looks like an access file (top-level ``roles:``, no ``partners:``)."""
    return bool(_TOP_ROLES.search(text)) and not _TOP_PARTNERS.search(text)


def validate_access(path: str | Path) -> ValidationReport:
    """Every error and warning of the access file at ``path`` (never raises for them).

    Raises
    ------
    AccessFileError
        When the file is missing or unreadable.
    """
    try:
        text = read_registry_text(path)
    except RegistryFileError as exc:
        raise AccessFileError(str(exc)) from None
    return check_access_text(text, file=str(path))[1]
