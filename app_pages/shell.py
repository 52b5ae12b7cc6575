"""The page shell of every page: ``<html lang>``, no single-key shortcuts, Streamlit's own
English in the UI language, and the footer (split from shared.py, which re-exports it)."""

from __future__ import annotations

import json

import streamlit as st

from partnernetz.i18n import t

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
  window.__pnLocal = LOCAL;
  if (html.lang !== lang) { html.lang = lang; }
  function tr(s) {
    var L = window.__pnLocal, m;
    if (!L || !s) { return null; }
    s = s.trim();
    if (Object.prototype.hasOwnProperty.call(L.exact, s)) { return L.exact[s]; }
    for (var i = 0; i < L.patterns.length; i++) {
      m = new RegExp(L.patterns[i][0]).exec(s);
      if (m) { return L.patterns[i][1].replace("%s", m[1]); }
    }
    return null;
  }
  function fixEl(el) {
    ["aria-label", "title", "placeholder"].forEach(function (a) {
      var r = el.getAttribute && tr(el.getAttribute(a));
      if (r) { el.setAttribute(a, r); }
    });
  }
  function walk(root) {
    if (root.nodeType === 3) {
      var r = tr(root.nodeValue);
      if (r) { root.nodeValue = r; }
      return;
    }
    if (root.nodeType !== 1) { return; }
    fixEl(root);
    root.querySelectorAll("[aria-label],[title],[placeholder]").forEach(fixEl);
    var w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), n;
    while ((n = w.nextNode())) { walk(n); }
  }
  window.__pnWalk = walk;
  if (window.__pnLocal && document.body) { walk(document.body); }
  if (!window.__pnShell) {
    window.__pnShell = true;
    // Streamlit's own English (help icons, the file uploader, empty dropdowns) in the UI
    // language: Streamlit 1.67 has no parameter for these texts (see _streamlit_texts).
    new MutationObserver(function (records) {
      if (!window.__pnLocal) { return; }
      records.forEach(function (rec) {
        if (rec.type === "childList") { rec.addedNodes.forEach(walk); }
        else if (rec.type === "characterData") { walk(rec.target); }
        else { fixEl(rec.target); }
      });
    }).observe(document.body, { childList: true, subtree: true, characterData: true,
                                attributes: true,
                                attributeFilter: ["aria-label", "title", "placeholder"] });
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


# Texts of Streamlit's frontend that no parameter of Streamlit 1.67 sets: the aria-label
# of every help icon ("Help for …"), the file uploader's "Drag and drop files here",
# "Upload" and "… per file", and the dropdowns' "No results" / "Select all". The shell
# script puts them into the UI language; exact texts and patterns ("%s" = the match).
STREAMLIT_EXACT = {
    "Help": "streamlit.help", "Drag and drop files here": "streamlit.drop_files",
    "Drag and drop a file here": "streamlit.drop_file", "Upload": "streamlit.upload",
    "No results": "streamlit.no_results", "No options to select": "streamlit.no_options",
    "Clear all": "streamlit.clear_all", "Select all": "streamlit.select_all",
    "Choose options": "streamlit.choose", "Choose an option": "streamlit.choose",
    # the table toolbar and the app menu
    "Download as CSV": "streamlit.download_csv", "Search": "streamlit.search",
    "Fullscreen": "streamlit.fullscreen", "Close fullscreen": "streamlit.close_fullscreen",
    "Show/hide columns": "streamlit.columns", "Clear selection": "streamlit.clear_selection",
    "Rerun": "streamlit.rerun", "Print": "streamlit.print", "Settings": "streamlit.settings",
    "Add row": "streamlit.add_row", "Delete row(s)": "streamlit.delete_rows",
    # a text field's hint after typing, the table's column menu, the number field's clear button
    "Press Enter to apply": "streamlit.enter_apply", "Press Enter to submit form": "streamlit.enter_submit",
    "Sort ascending": "streamlit.sort_ascending", "Sort descending": "streamlit.sort_descending",
    "Pin column": "streamlit.pin_column", "Unpin column": "streamlit.unpin_column",
    "Hide column": "streamlit.hide_column", "Autosize": "streamlit.autosize",
    "Clear value": "streamlit.clear_value",
    # the frame: menu and sidebar buttons (aria-labels), the running indicator, dialogs' close button
    "Main menu": "streamlit.main_menu", "Collapse sidebar": "streamlit.collapse_sidebar",
    "Expand sidebar": "streamlit.expand_sidebar", "Running...": "streamlit.running",
    "Close": "streamlit.close",
    # the date and number fields (Historie, Prüfliste, Bearbeiten): their buttons' aria-labels
    "Choose date": "streamlit.choose_date", "Choose date range": "streamlit.choose_range",
    "Clear date": "streamlit.clear_date", "Clear dates": "streamlit.clear_dates",
    "Previous month": "streamlit.previous_month", "Next month": "streamlit.next_month",
    "Increment": "streamlit.increment", "Decrement": "streamlit.decrement",
}
STREAMLIT_PATTERNS = (("^Help for (.+)$", "streamlit.help_for"), ("^(.+) per file$", "streamlit.per_file"),
                      ("^Select (\\d+) matches$", "streamlit.select_matches"),
                      ("^Press (Ctrl|⌘)\\+Enter to apply$", "streamlit.key_enter_apply"),
                      ("^Press (Ctrl|⌘)\\+Enter to submit form$", "streamlit.key_enter_submit"))


def _streamlit_texts(lang: str) -> dict | None:
    """The replacements for Streamlit's English in ``lang`` (None for English)."""
    if lang == "en":
        return None
    return {"exact": {en: t(key, lang) for en, key in STREAMLIT_EXACT.items()},
            "patterns": [[rx, t(key, lang, value="%s")] for rx, key in STREAMLIT_PATTERNS]}


def _shell_script(lang: str) -> str:
    return (_SHELL_JS.replace("LANG", json.dumps(lang))
            .replace("LOCAL", json.dumps(_streamlit_texts(lang), ensure_ascii=False)))


def apply_document_language(lang: str) -> None:
    """Set ``<html lang>`` to ``lang`` and switch off Streamlit's single-key shortcuts."""
    st.html(_SHELL_CSS)
    # in the sidebar, which stays mounted across pages, and again in the footer
    # (render_footer): a run that is cut short still sets the language once
    st.sidebar.html(_shell_script(lang), unsafe_allow_javascript=True)


def render_footer(lang: str, *, statement: st.Page, easy: st.Page) -> None:
    """The footer of every page: links to the accessibility statement and Leichte Sprache."""
    st.html(_shell_script(lang), unsafe_allow_javascript=True)
    st.divider()
    links = st.container(horizontal=True, gap="medium")
    links.page_link(statement, label=t("footer.statement", lang), icon=":material/accessibility:")
    links.page_link(easy, label=t("footer.easy", lang), icon=":material/menu_book:")
