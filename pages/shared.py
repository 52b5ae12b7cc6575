"""What dashboard.py hands to every page: the loaded data, language and filters."""

from __future__ import annotations

import json
from dataclasses import dataclass

import geopandas as gpd
import streamlit as st

from pages.cached import AppData
from partnernetz.dataset import Dataset
from partnernetz.filters import FilterSpec
from partnernetz.i18n import t

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


# Streamlit's index.html says <html lang="en"> (streamlit#15726) and reruns
# the app on a bare "r" key (and offers "c" to owners): WCAG 3.1.1 and 2.1.4.
# This script runs in the app's own document (st.html is not iframed): it
# sets <html lang> to the UI language and keeps it there (a MutationObserver
# puts it back if anything resets it), and it stops single-key "r"/"c"
# presses without modifier outside text fields before Streamlit's handler
# sees them. It is rendered on every run; its container takes no space.
_SHELL_JS = """<span class="pn-shell" hidden></span><script>(function () {
  var lang = LANG, html = document.documentElement;
  window.__pnLang = lang;
  if (html.lang !== lang) { html.lang = lang; }
  if (!window.__pnShell) {
    window.__pnShell = true;
    new MutationObserver(function () {
      if (html.lang !== window.__pnLang) { html.lang = window.__pnLang; }
    }).observe(html, { attributes: true, attributeFilter: ["lang"] });
    window.addEventListener("keydown", function (ev) {
      var k = (ev.key || "").toLowerCase(), el = ev.target;
      if ((k !== "r" && k !== "c") || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
      if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) { return; }
      ev.stopImmediatePropagation();
    }, true);
  }
})();</script>"""

_SHELL_CSS = """<style>
.stElementContainer:has(.pn-shell) { display: none; }
.pn-status { margin: 0; font-size: .875rem; }
.pn-sr-only { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.stElementContainer:has(.pn-sr-only) { margin: 0; height: 0; }
</style>"""


def apply_document_language(lang: str) -> None:
    """Set ``<html lang>`` to ``lang`` and switch off Streamlit's single-key shortcuts."""
    st.html(_SHELL_CSS)
    st.html(_SHELL_JS.replace("LANG", json.dumps(lang)), unsafe_allow_javascript=True)


def render_footer(lang: str, *, statement: st.Page, easy: st.Page) -> None:
    """The footer of every page: links to the accessibility statement and Leichte Sprache."""
    st.divider()
    links = st.container(horizontal=True, gap="medium")
    links.page_link(statement, label=t("footer.statement", lang), icon=":material/accessibility:")
    links.page_link(easy, label=t("footer.easy", lang), icon=":material/menu_book:")
