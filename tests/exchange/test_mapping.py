"""Column mapping and the conversion of rows into registry entries."""

from __future__ import annotations

import pytest

from partnernetz.errors import ImportFileError
from partnernetz.exchange.entries import EntryBuilder, fix_key_digits, join_phone
from partnernetz.exchange.mapping import (
    ColumnMapping,
    guess_mapping,
    parse_mapping,
    read_mapping,
    recognise_header,
    write_mapping,
)
from partnernetz.geo import gazetteer
from partnernetz.registry.vocabulary import default_categories


@pytest.mark.parametrize(("header", "field"), [
    ("Einrichtung", "name"), ("Name der Einrichtung", "name"), ("Träger", "operator"),
    ("Straße", "address.street"), ("Str.", "address.street"), ("PLZ", "address.postcode"),
    ("Ort", "town"), ("Ortsteil", "address.district"), ("Ansprechpartner/in", "contacts.0.name"),
    ("Telefon", "phone"), ("Tel.", "phone"), ("E-Mail", "email"), ("Homepage", "website"),
    ("Sprachen", "languages"), ("Zielgruppe", "target_groups"), ("Kategorie", "category"),
    ("Art", "category"), ("Postcode", "address.postcode"), ("e-mail", "email"),
    ("Schulnummer", "identifiers.schulnummer"),
])
def test_recognise_header_synonyms(header: str, field: str) -> None:
    assert recognise_header(header) == field


def test_guess_mapping_art_is_subtype_next_to_kategorie_and_saved_mapping_wins() -> None:
    mapping = guess_mapping(["Kategorie", "Art", "Einrichtung", "Bemerkung intern"])
    assert mapping.columns == {"Kategorie": "category", "Art": "subtype", "Einrichtung": "name"}
    saved = ColumnMapping({"Bemerkung intern": "notes", "Art": "ignore"})
    mapping = guess_mapping(["Kategorie", "Art", "Einrichtung", "Bemerkung intern"], saved)
    assert mapping.columns["Bemerkung intern"] == "notes"
    assert mapping.target("Art") is None


def test_mapping_yaml_round_trip(tmp_path) -> None:
    mapping = ColumnMapping({"Einrichtung": "name", "Ansprechpartner/in": "contacts.0.name"},
                            {"category": {"Kita": "kita", "Verein": "ehrenamt"}},
                            {"status": "active"})
    path = tmp_path / "zuordnung.yaml"
    write_mapping(path, mapping)
    assert "Ansprechpartner/in: contacts.0.name" in path.read_text(encoding="utf-8")
    assert read_mapping(path) == mapping


def test_parse_mapping_names_unknown_field() -> None:
    with pytest.raises(ImportFileError, match="unbekanntes Feld 'nam'"):
        parse_mapping({"columns": {"Einrichtung": "nam"}}, file="z.yaml")


@pytest.fixture(scope="module")
def builder() -> EntryBuilder:
    mapping = guess_mapping(
        ["Einrichtung", "Kategorie", "Ort", "PLZ", "Telefon", "Vorwahl", "Sprachen",
         "Ansprechpartner/in", "AGS"],
        ColumnMapping(values={"category": {"Verein": "ehrenamt"}}),
    )
    return EntryBuilder(mapping, towns=gazetteer.load_towns("05762"), categories=default_categories())


def test_build_entry_cleans_spreadsheet_damage(builder: EntryBuilder) -> None:
    result = builder.build({"Einrichtung": "Kita Sonnenschein", "Kategorie": "Kita", "Ort": "hoexter",
                            "PLZ": "3034", "Vorwahl": "5271.0", "Telefon": "12345.0",
                            "Sprachen": "Arabisch, Türkisch", "Ansprechpartner/in": "A. Muster",
                            "AGS": ""})
    assert result.reasons == ()
    entry = result.entry
    assert entry["town"] == "Höxter"
    assert entry["category"] == "kita"
    assert entry["address"] == {"postcode": "03034"}
    assert entry["phone"] == "05271 12345"
    assert entry["languages"] == ["ar", "tr"]
    assert entry["contacts"] == [{"name": "A. Muster", "visibility": "internal"}]


def test_build_entry_ags_without_leading_zero_wins_over_town(builder: EntryBuilder) -> None:
    result = builder.build({"Einrichtung": "Sportverein", "Kategorie": "Verein", "Ort": "Driburg",
                            "AGS": "5762004"})
    assert result.entry["town"] == "Bad Driburg"
    assert result.entry["category"] == "ehrenamt"


def test_build_entry_keeps_formula_like_values_as_text(builder: EntryBuilder) -> None:
    result = builder.build({"Einrichtung": "=HYPERLINK(\"http://x\")", "Kategorie": "Kita",
                            "Ort": "Brakel"})
    assert result.entry["name"] == "=HYPERLINK(\"http://x\")"
    for value in ("+Treff", "-Treff", "@Treff"):
        assert builder.build({"Einrichtung": value, "Kategorie": "Kita", "Ort": "Brakel"}
                             ).entry["name"] == value


def test_build_entry_rejects_with_german_reasons(builder: EntryBuilder) -> None:
    result = builder.build({"Einrichtung": "", "Kategorie": "Schwimmbad", "Ort": "Paderborn",
                            "Sprachen": "Klingonisch"})
    assert result.entry is None
    text = "; ".join(result.reasons)
    assert "Name fehlt" in text
    assert "unbekannte Kategorie 'Schwimmbad'" in text
    assert "unbekannter Wert 'Klingonisch'" in text
    result = builder.build({"Einrichtung": "Kita", "Kategorie": "Kita", "Ort": "Brakel",
                            "Telefon": "ruf an"})
    assert any("keine gültige Telefonnummer" in r for r in result.reasons)


def test_fix_key_digits_and_join_phone() -> None:
    assert fix_key_digits("5762004", 8) == "05762004"
    assert fix_key_digits("3034.0", 5) == "03034"
    assert fix_key_digits("Brakel", 8) == "Brakel"
    assert join_phone("5253.0", "3894.0") == "05253 3894"
    assert join_phone(None, "05271 9999-1") == "05271 9999-1"


def test_load_mapping_refuses_hostile_yaml() -> None:
    from partnernetz.exchange.mapping import load_mapping

    with pytest.raises(ImportFileError, match=r"zu tief verschachtelt|kein gültiges YAML"):
        load_mapping(b"columns: " + b"[" * 100_000, file="tief.yaml")
    with pytest.raises(ImportFileError, match="größer als 1 MB"):
        load_mapping(b"#" * (1024 * 1024 + 1), file="gross.yaml")
    with pytest.raises(ImportFileError, match="nicht UTF-8"):
        load_mapping("columns: {Straße: address.street}".encode("utf-16"), file="x.yaml")


def test_translation_columns_are_recognised_and_imported() -> None:
    headers = ["Einrichtung", "Kategorie", "Ort", "Angebote", "description_ar", "offers_ar",
               "Öffnungszeiten uk"]
    mapping = guess_mapping(headers)
    assert mapping.target("description_ar") == "translations.ar.description"
    assert mapping.target("Öffnungszeiten uk") == "translations.uk.opening_hours"
    build = EntryBuilder(mapping, towns=gazetteer.load_towns("05762"), categories=default_categories())
    result = build.build({"Einrichtung": "Kita A", "Kategorie": "Kita", "Ort": "Brakel",
                          "Angebote": "Elterncafé; Sprachkurs", "description_ar": "وصف",
                          "offers_ar": "مقهى الآباء; دورة لغة", "Öffnungszeiten uk": "Пн 8–12"})
    assert result.reasons == ()
    assert result.entry["translations"] == {
        "ar": {"description": "وصف", "offers": ["مقهى الآباء", "دورة لغة"]},
        "uk": {"opening_hours": "Пн 8–12"}}


def test_translation_columns_keep_the_registry_rules() -> None:
    mapping = guess_mapping(["Einrichtung", "Kategorie", "Ort", "Angebote", "offers_tr"])
    build = EntryBuilder(mapping, towns=gazetteer.load_towns("05762"), categories=default_categories())
    result = build.build({"Einrichtung": "Kita A", "Kategorie": "Kita", "Ort": "Brakel",
                          "Angebote": "Elterncafé", "offers_tr": "Veli kafesi; Dil kursu"})
    assert result.entry is None
    assert any("2 Angebote übersetzt, der Eintrag hat 1" in r for r in result.reasons)
