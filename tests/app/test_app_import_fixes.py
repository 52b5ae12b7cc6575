"""AppTest: fixing rows in the import preview, verified dates from the file, the history comment."""

from __future__ import annotations

import yaml

from partnernetz.registry.history import History
from tests.app.test_app import make_app, open_page
from tests.app.test_app_exchange import PARTNERS, editor  # noqa: F401 - the fixture

LIST = ("Einrichtung;Kategorie;Straße;PLZ;Ort;E-Mail\n"
        "Kita Sonnenschein;Kita;Marktstr. 1;37671;Höxter;\n"
        "Beratungsstelle Lotse;Beratung;Bahnhofstr. 3;33034;Brakl;lotse@example.org\n"
        "Jugendtreff Mitte;Jugendhilfe;Weg 1;34414;Warburg;treff(at)example.org\n")


def partners_of(registry) -> dict[str, dict]:
    return {p["name"]: p for p in yaml.safe_load(registry.read_text(encoding="utf-8"))["partners"]}


def upload(monkeypatch, registry, text: str, name: str = "partnerliste.csv"):
    at = open_page(make_app(monkeypatch, registry), "app_pages/imports.py")
    at.file_uploader(key="import_file").set_value((name, text.encode("utf-8"), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return at


def test_rows_with_fixable_problems_are_fixed_in_place_and_written(monkeypatch, write_registry,
                                                                   editor) -> None:  # noqa: F811
    registry = write_registry(PARTNERS)
    at = upload(monkeypatch, registry, LIST)
    assert any("Korrigierbare Zeilen (2)" in s.value for s in at.subheader)
    assert any("meinten Sie Brakel?" in m.value for m in at.markdown)
    at.button(key="import_fix_accept_3_town").click().run()  # accept the suggested town
    assert not at.exception, at.exception
    at.text_input(key="import_fix_4_email").set_value("treff@example.org").run()
    assert not at.exception, at.exception
    assert any("2 Korrekturen übernommen" in c.value for c in at.caption)
    report = at.dataframe[-1].value
    assert list(report["Ergebnis"]) == ["Duplikat übersprungen", "importiert", "importiert"]
    choices = at.radio(key="import_action_2").options
    assert choices[0] == "Duplikat von kita-sonnenschein-hoexter (überspringen)"
    assert choices[1:] == ["zusammenführen", "neu anlegen"]
    at.button(key="import_run").click().run()
    assert not at.exception, at.exception
    written = partners_of(registry)
    assert written["Beratungsstelle Lotse"]["town"] == "Brakel"
    assert written["Jugendtreff Mitte"]["email"] == "treff@example.org"
    assert "verified" not in written["Beratungsstelle Lotse"]  # the file has no such column
    assert History(registry).entries()[0].comment == \
        "Import partnerliste.csv: 2 neu, 1 Duplikat übersprungen"


def test_imported_partners_get_verified_from_the_column_the_mapping_names(monkeypatch, write_registry,
                                                                          editor) -> None:  # noqa: F811
    registry = write_registry(PARTNERS)
    text = ("Einrichtung;Kategorie;Ort;Zuletzt geprüft\n"
            "Beratungsstelle Lotse;Beratung;Brakel;03.11.2026\n"
            "Jugendtreff Mitte;Jugendhilfe;Warburg;\n")
    at = upload(monkeypatch, registry, text, "liste.csv")
    at.button(key="import_run").click().run()
    assert not at.exception, at.exception
    written = partners_of(registry)
    assert str(written["Beratungsstelle Lotse"]["verified"]) == "2026-11-03"
    assert "verified" not in written["Jugendtreff Mitte"]
    assert History(registry).entries()[0].comment == "Import liste.csv: 2 neu"
