"""What dashboard.py hands to every page: the loaded data, language, filters and the link."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import streamlit as st

from app_pages.cached import AppData
from partnernetz.dataset import Dataset
from partnernetz.filters import FilterSpec
from partnernetz.views.downloads import name_download
from partnernetz.views.map_widget import BASEMAPS
from partnernetz.views.tables import MEASURES

CONTEXT_KEY = "partnernetz.context"
# The page parameters of the URL and the values they may take (partnernetz.links).
PAGE_CHOICES: dict[str, Sequence[str]] = {"kennzahl": MEASURES, "hintergrund": tuple(BASEMAPS)}


@dataclass(frozen=True)
class PageContext:
    """The state of one script run, built by dashboard.py before the page runs."""

    app: AppData
    lang: str
    spec: FilterSpec
    partners: gpd.GeoDataFrame  # the dataset's partners after the sidebar filters
    link_page: dict[str, str] = field(default_factory=dict)  # page parameters of the view
    page_params: dict[str, str] = field(default_factory=dict)  # filled by the page: kept in the URL
    seed: bool = False  # the view came from the URL: widgets take its values

    @property
    def dataset(self) -> Dataset:
        """The whole dataset (unfiltered)."""
        return self.app.dataset

    def page_choice(self, param: str, options: Sequence[str], *, default: str) -> str:
        """Prepare the widget of a page parameter; returns its widget key.

        The widget (keyed ``w.<param>``) starts from the link's value; the page
        passes the widget's value to :meth:`keep` afterwards.
        """
        key = f"w.{param}"
        if self.seed or key not in st.session_state:
            value = self.link_page.get(param, default)
            st.session_state[key] = value if value in options else default
        return key

    def download_stem(self, what: str | None = None) -> str:
        """The file-name stem of a download of this view: region, filters, Stand."""
        spec = self.spec
        names = dict(zip(self.dataset.towns["ags"], self.dataset.towns["name"], strict=True))
        other = bool(spec.stages or spec.target_groups or spec.languages or spec.statuses
                     or spec.query.strip() or spec.verified)
        return name_download(self.dataset.region.name, what=what,
                             towns=[names.get(a, a) for a in spec.towns],
                             categories=spec.categories, filtered=other, stand=self.app.stand,
                             lang=self.lang)

    def keep(self, param: str, value: str | None, *, default: str | None = None) -> None:
        """Keep a page parameter in the URL (left out when it is the default)."""
        if value and value != default:
            self.page_params[param] = value


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
