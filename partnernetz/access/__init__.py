"""Sign-in roles: the access file, the viewer's identity, the sign-in journal.

The package never imports streamlit: ``pages/shared.py`` turns ``st.user``
into claims and calls :func:`resolve_sign_in`.
"""

from partnernetz.access.journal import EVENTS, SignInEvent, SignInJournal, ensure_log_handler
from partnernetz.access.policy import (
    ACCESS_ENV,
    DEFAULT_GROUP_CLAIM,
    DEFAULT_SESSION_HOURS,
    AccessPolicy,
    Entry,
    access_path,
    admins_of_broken_file,
    check_access_text,
    is_access_text,
    parse_entry,
    read_access,
    validate_access,
)
from partnernetz.access.roles import PUBLIC, ROLE_KEYS, Identity, Role
from partnernetz.access.session import SignIn, claim_groups, resolve_sign_in, sign_in_ends

__all__ = [
    "ACCESS_ENV", "DEFAULT_GROUP_CLAIM", "DEFAULT_SESSION_HOURS", "EVENTS", "PUBLIC", "ROLE_KEYS",
    "AccessPolicy", "Entry", "Identity", "Role", "SignIn", "SignInEvent", "SignInJournal",
    "access_path", "admins_of_broken_file", "check_access_text", "claim_groups",
    "ensure_log_handler", "is_access_text", "parse_entry", "read_access", "resolve_sign_in",
    "sign_in_ends", "validate_access",
]
