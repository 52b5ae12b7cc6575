"""Roles and the viewer's identity.

Roles build on each other: each one sees everything the one below sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Role(IntEnum):
    """What a viewer may see; higher values include the lower ones."""

    PUBLIC = 0
    MITGLIED = 1
    REDAKTION = 2
    ADMIN = 3

    @property
    def key(self) -> str:
        """The key of the role in the access file: ``public``, ``mitglied`` …"""
        return self.name.lower()

    @classmethod
    def from_key(cls, key: str) -> Role:
        """The role of an access-file key (``mitglied`` …); raises ``KeyError``."""
        return cls[key.strip().upper()]

    @property
    def sees_internal_contacts(self) -> bool:
        """Contacts with ``visibility: internal``: from ``mitglied`` up."""
        return self >= Role.MITGLIED

    @property
    def sees_notes(self) -> bool:
        """The partners' ``notes``: from ``redaktion`` up."""
        return self >= Role.REDAKTION


ROLE_KEYS: tuple[str, ...] = tuple(role.key for role in Role)


@dataclass(frozen=True)
class Identity:
    """Who is looking: e-mail and name from the ID token, the role from the access file.

    ``email`` is None for a viewer who is not signed in.
    """

    email: str | None = None
    name: str | None = None
    role: Role = Role.PUBLIC
    groups: tuple[str, ...] = ()

    @property
    def signed_in(self) -> bool:
        """True when a sign-in stands behind this identity."""
        return self.email is not None


PUBLIC = Identity()
