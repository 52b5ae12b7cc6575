"""What dashboard.py hands to every page: the loaded data, language and filters."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import streamlit as st

from pages.cached import AppData
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


def viewer_role() -> str:
    """The viewer's role key (``public``, ``mitglied``, ``redaktion``, ``admin``).

    Everyone is ``public`` until sign-in (``current_identity``) exists.
    """
    identity = globals().get("current_identity")
    if identity is None:
        return "public"
    role = identity().role
    return getattr(role, "key", str(role))
