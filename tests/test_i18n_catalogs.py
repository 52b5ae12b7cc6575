"""The app's gettext catalogs (partnernetz/locale): complete, same placeholders, reviewed."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from partnernetz import i18n
from partnernetz.i18n import LANGUAGES, catalog_path, read_catalog

ROOT = Path(__file__).resolve().parents[1]


def fields(text: str) -> set[str]:
    """The ``{placeholders}`` of a text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def messages(lang: str) -> dict[str, tuple[str, str]]:
    """Key → (msgid, msgstr) of a catalog, read straight from the file."""
    with catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return {m.context: (m.id, m.string) for m in catalog if m.id}


def catalog_problems(source: dict[str, tuple[str, str]], other: dict[str, tuple[str, str]]) -> list[str]:
    """What ``other`` lacks or changes against the German ``source`` catalog."""
    problems = [f"{key}: fehlt" for key in source if key not in other]
    problems += [f"{key}: nicht im deutschen Katalog" for key in other if key not in source]
    for key, (msgid, msgstr) in other.items():
        if key not in source:
            continue
        if msgid != source[key][0]:
            problems.append(f"{key}: msgid weicht vom deutschen Text ab")
        if not msgstr:
            problems.append(f"{key}: nicht übersetzt")
        elif fields(msgstr) != fields(msgid):
            problems.append(f"{key}: Platzhalter {sorted(fields(msgstr))} statt {sorted(fields(msgid))}")
    return problems


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "de"])
def test_catalog_has_every_message_with_the_same_placeholders(lang: str) -> None:
    assert catalog_problems(messages("de"), messages(lang)) == []


def test_catalog_check_finds_a_missing_message_and_a_changed_placeholder() -> None:
    source = {"a": ("{n} Orte", ""), "b": ("Karte", ""), "c": ("Ort {name}", "")}
    other = {"a": ("{n} Orte", "{count} towns"), "c": ("Ort {name}", "")}
    assert catalog_problems(source, other) == [
        "b: fehlt", "a: Platzhalter ['count'] statt ['n']", "c: nicht übersetzt"]


def test_german_catalog_is_the_source_without_translations() -> None:
    assert all(msgstr == "" for _, msgstr in messages("de").values())


def test_translated_catalog_header_asks_for_native_review() -> None:
    header = catalog_path("en").read_text(encoding="utf-8").split('\nmsgid ""', 1)[0]
    assert "FOR REVIEW BY A NATIVE SPEAKER" in header


def test_texts_come_from_the_catalogs() -> None:
    assert i18n.t("nav.map", "de") == read_catalog("de")["nav.map"] == "Karte"
    assert i18n.t("nav.map", "en") == "Map"
    assert i18n.DIRECTORY_COLUMNS["phone"] == ("Telefon", "Phone")
    from partnernetz.views.report_texts import _tn
    assert _tn("partners", 1, "de") == read_catalog("de")["report:partners.one"].format(n=1)
    assert _tn("partners", 2, "en") == read_catalog("en")["report:partners.other"].format(n=2)


def test_no_text_dictionaries_left_in_code() -> None:
    source = (ROOT / "partnernetz" / "i18n.py").read_text(encoding="utf-8")
    assert not re.search(r'^\s+"[a-z_]+\.[a-z_.]+": \(?"', source, flags=re.M)


def test_every_key_the_code_asks_for_is_in_the_catalog() -> None:
    known = set(read_catalog("de"))
    asked: set[str] = set()
    for path in [*ROOT.glob("partnernetz/**/*.py"), *ROOT.glob("app_pages/*.py"), ROOT / "dashboard.py"]:
        text = path.read_text(encoding="utf-8")
        asked |= set(re.findall(r'\bt\(\s*"([a-z_]+(?:\.[a-z_0-9]+)+)"', text))
    assert sorted(asked - known) == []
