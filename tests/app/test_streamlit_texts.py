"""Streamlit's own English in the German UI (issue 18 §7): every text the shell script replaces is
a text Streamlit 1.67's frontend really shows, and each gets a German text.

What stays English and why: docs/translations.md, "Streamlit's own texts".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit

from app_pages.shell import STREAMLIT_EXACT, STREAMLIT_PATTERNS, _streamlit_texts

BUNDLE = Path(streamlit.__file__).parent / "static" / "static" / "js"
# What a German user met in English: the list, the search field's hint after typing,
# the table's column menu, the frame's buttons.
SEEN = ["Select all", "Choose options", "Help for Suche", "20MB per file", "Drag and drop files here",
        "Upload", "Press Enter to apply", "Press Ctrl+Enter to apply", "Press ⌘+Enter to apply",
        "Sort ascending", "Sort descending", "Pin column", "Hide column", "Autosize", "Clear value",
        "Main menu", "Collapse sidebar", "Expand sidebar", "Running...", "Close", "Download as CSV",
        "Choose date range", "Previous month", "Increment"]


@pytest.fixture(scope="module")
def bundle() -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in BUNDLE.glob("*.js"))


def german(text: str) -> str | None:
    """What the shell script (``tr`` in _SHELL_JS) shows for ``text`` in the German UI."""
    local = _streamlit_texts("de")
    if text in local["exact"]:
        return local["exact"][text]
    for rx, template in local["patterns"]:
        match = re.search(rx, text)
        if match:
            return template.replace("%s", match.group(1))
    return None


@pytest.mark.parametrize("english", sorted(STREAMLIT_EXACT))
def test_replaced_text_is_in_streamlits_frontend(bundle, english):
    """A text Streamlit renamed in an upgrade would silently stay English: this test says so."""
    if english.startswith("Press Enter to "):  # `Press Enter to ${e}`, e = `apply` | `submit form`
        said = "`Press Enter to ${" in bundle and f"`{english.removeprefix('Press Enter to ')}`" in bundle
    else:
        said = f"`{english}`" in bundle or f'"{english}"' in bundle
    assert said, f"Streamlit no longer says {english!r}"


def test_patterns_match_streamlits_templates(bundle):
    assert "`Help for ${" in bundle and " per file`" in bundle
    assert "`Press ${" in bundle and "}+Enter to ${" in bundle and "`Press Enter to ${" in bundle
    assert len(STREAMLIT_PATTERNS) == 5


@pytest.mark.parametrize("english", SEEN)
def test_streamlit_text_has_a_german_text(english):
    text = german(english)
    assert text, f"{english!r} stays English in the German UI"
    assert text != english and not re.search(r"\b(Press|Select|Choose|Sort|Column|Upload)\b", text)


def test_key_hints_keep_the_key_and_english_ui_is_left_alone():
    assert german("Press Ctrl+Enter to apply") == "Mit Ctrl+Enter übernehmen"
    assert german("Help for Suche") == "Hilfe zu Suche"
    assert _streamlit_texts("en") is None
