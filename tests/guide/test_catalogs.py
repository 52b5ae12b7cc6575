"""The guide's gettext catalogs: complete, same placeholders, in step with the code."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from partnernetz.guide.languages import (
    GUIDE_LANGUAGES,
    LOCALE_DIR,
    catalog_path,
    gettext_for,
    placeholders,
    read_catalog,
)
from scripts.build_guide_catalog import extract

TRANSLATED = [lang.code for lang in GUIDE_LANGUAGES if lang.code != "de"]


def source_messages() -> set[str]:
    return {m.id for m in extract() if m.id}


def test_template_catalog_matches_the_messages_in_the_code() -> None:
    with (LOCALE_DIR / "guide.pot").open("rb") as handle:
        pot = {m.id for m in read_po(handle) if m.id}
    assert pot == source_messages(), "run scripts/build_guide_catalog.py"


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_has_every_message(code: str) -> None:
    catalog = read_catalog(code)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(source_messages() - translated)
    assert missing == [], f"{catalog_path(code)} lacks {len(missing)}: {missing[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_keeps_every_placeholder(code: str) -> None:
    wrong = [(m.id, m.string) for m in read_catalog(code)
             if m.id and m.string and placeholders(m.id) != placeholders(m.string)]
    assert wrong == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_header_asks_for_native_review(code: str) -> None:
    text = catalog_path(code).read_text(encoding="utf-8")
    assert "FOR REVIEW BY A NATIVE SPEAKER" in text.split("msgid")[0]


def test_placeholder_check_finds_a_changed_placeholder() -> None:
    assert placeholders("Angebote in %(town)s") != placeholders("Services in %(ort)s")
    assert placeholders("Treffer: %(count)s") == placeholders("النتائج: %(count)s")


def test_gettext_falls_back_to_german_only_for_german() -> None:
    assert gettext_for("de")("Startseite") == "Startseite"
    assert gettext_for("en")("Startseite") == "Home"
    assert gettext_for("ar")("(auf Deutsch)") == "(بالألمانية)"
