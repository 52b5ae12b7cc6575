"""What dashboard.py hands to every page: the loaded data, language, filters, the viewer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from pages import cached
from pages.cached import AppData
from partnernetz.access import PUBLIC, Identity, SignIn, resolve_sign_in
from partnernetz.dataset import Dataset
from partnernetz.filters import FilterSpec

CONTEXT_KEY = "partnernetz.context"


@dataclass(frozen=True)
class PageContext:
    """The state of one script run, built by dashboard.py before the page runs."""

    app: AppData
    lang: str
    spec: FilterSpec
    partners: gpd.GeoDataFrame  # the dataset's partners after the sidebar filters
    identity: Identity = PUBLIC  # the viewer; ``app`` is already redacted for its role

    @property
    def dataset(self) -> Dataset:
        """The whole dataset (unfiltered)."""
        return self.app.dataset


def set_context(context: PageContext) -> None:
    """Store the run's context for the page (dashboard.py only)."""
    st.session_state[CONTEXT_KEY] = context


def get_context() -> PageContext:
    """The run's context. Pages run inside dashboard.py, which sets it first."""
    context = st.session_state.get(CONTEXT_KEY)
    if context is None:
        st.error("Bitte die App über dashboard.py starten: streamlit run dashboard.py")
        st.stop()
    return context


# --------------------------------------------------------------------------- sign-in


@dataclass(frozen=True)
class Provider:
    """One sign-in button: ``name`` for ``st.login`` (None: the default provider)."""

    name: str | None
    label: str | None


def auth_section() -> Mapping[str, Any] | None:
    """The ``[auth]`` section of the secrets; None when sign-in is not set up."""
    try:
        section = st.secrets.get("auth")
    except StreamlitSecretNotFoundError:
        return None
    return section if isinstance(section, Mapping) and section else None


def auth_providers(section: Mapping[str, Any] | None = None) -> list[Provider]:
    """The providers of ``[auth]``: the default one (keys directly under ``[auth]``)
    first, then each ``[auth.NAME]``; an optional ``label`` names its button."""
    section = auth_section() if section is None else section
    if not section:
        return []
    provider_keys = {"client_id", "server_metadata_url"}
    found = []
    if provider_keys & set(section):
        found.append(Provider(None, section.get("label")))
    for name, sub in section.items():
        if isinstance(sub, Mapping) and provider_keys & set(sub):
            found.append(Provider(str(name), sub.get("label") or str(name)))
    return found


def user_claims() -> dict[str, Any]:
    """``st.user`` as a plain dict (empty when nobody is signed in)."""
    try:
        return dict(st.user.to_dict())
    except (AttributeError, KeyError):
        return {}


def current_sign_in() -> SignIn:
    """The viewer of this run, with the reason for their role.

    Without ``[auth]`` in the secrets everybody is public. The access file is
    read again when it changes, so a removed role ends on the next interaction;
    an invalid access file gives nobody more than public rights.
    """
    if not auth_providers():
        return SignIn(PUBLIC, "public")
    state = cached.access_state()
    return resolve_sign_in(user_claims(), state.policy, now=dt.datetime.now(dt.UTC))


def current_identity() -> Identity:
    """Who is looking: e-mail, name, role and groups (PUBLIC when not signed in)."""
    return current_sign_in().identity
