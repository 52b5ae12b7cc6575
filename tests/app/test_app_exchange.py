"""AppTest: the import page (locked, preview, duplicates, write) and the export downloads."""

from __future__ import annotations

import pytest
import yaml

from tests.app.test_app import make_app, open_page

PARTNERS = """\
- id: kita-sonnenschein-hoexter
  name: Kita Sonnenschein
  category: kita
  town: Höxter
  address: {street: Marktstraße 1, postcode: "37671"}
"""
LIST = ("Einrichtung;Kategorie;Straße;PLZ;Ort\n"
        "Kita Sonnenschein;Kita;Marktstr. 1;37671;Höxter\n"
        "Beratungsstelle Lotse;Beratung;Bahnhofstr. 3;33034;Brakel\n"
        "Treff;Verein;Weg 1;12345;Paderborn\n")


@pytest.fixture
def editor(monkeypatch: pytest.MonkeyPatch) -> None:
    from app_pages import shared
    from partnernetz.access import Identity, Role

    viewer = Identity(email="redaktion@example.org", name="R", role=Role.REDAKTION)
    monkeypatch.setattr(shared, "current_identity", lambda: viewer, raising=False)


def test_import_page_is_hidden_from_the_public(monkeypatch) -> None:
    at = make_app(monkeypatch)
    at.run()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/imports.py")
    assert not any("Import" in str(link.proto.label) for link in at.sidebar.get("page_link"))
    assert len(at.file_uploader) == 0


def test_import_page_previews_and_writes_once(monkeypatch, write_registry, editor) -> None:
    registry = write_registry(PARTNERS)
    at = open_page(make_app(monkeypatch, registry), "app_pages/imports.py")
    assert not at.exception, at.exception
    assert any("MB" in c.value for c in at.caption)  # the upload limit is stated
    at.file_uploader(key="import_file").set_value(("liste.csv", LIST.encode("cp1252"), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert any("Windows-1252" in c.value for c in at.caption)
    assert any("3 Zeilen: 1 importiert, 1 Duplikat übersprungen, 1 abgelehnt"
               in m.value.replace("\\", "") for m in at.markdown)  # shown escaped (plain text)
    report = at.dataframe[-1].value
    assert list(report["Ergebnis"]) == ["Duplikat übersprungen", "importiert", "abgelehnt"]
    assert registry.read_text(encoding="utf-8").count("- id:") == 1  # nothing written yet

    at.radio(key="import_action_2").set_value("merge")  # the duplicate of row 2: merge
    at.run()
    at.button(key="import_run").click()
    at.run()
    assert not at.exception, at.exception
    assert any("Gespeichert" in s.value for s in at.success)
    names = [p["name"] for p in yaml.safe_load(registry.read_text(encoding="utf-8"))["partners"]]
    assert names == ["Kita Sonnenschein", "Beratungsstelle Lotse"]


def test_directory_offers_gis_and_hsds_downloads(monkeypatch) -> None:
    at = open_page(make_app(monkeypatch), "app_pages/directory.py")
    assert not at.exception, at.exception
    labels = {b.label for b in at.get("download_button")}
    assert {"GeoJSON", "GeoPackage (QGIS)", "HSDS 3.0 (JSON)", "HSDS 3.0 (CSV-Paket)"} <= labels
    assert any("nur öffentliche Kontaktdaten" in c.value for c in at.caption)


def test_coverage_page_measures_against_a_chosen_reference_population(monkeypatch,
                                                                     write_registry) -> None:
    registry = write_registry(PARTNERS)
    (registry.parent / "bezugsgroessen.csv").write_text(
        "ags,indicator,value,year,source\n05762020,Kinder unter 6,500,2024,Testzahlen\n",
        encoding="utf-8")
    at = open_page(make_app(monkeypatch, registry), "app_pages/coverage.py")
    assert not at.exception, at.exception
    at.segmented_control(key="w.kennzahl").set_value("per_10k").run()
    before = at.dataframe[0].value.copy()
    box = at.selectbox(key="reference_kita")
    assert box.options == ["Einwohner insgesamt", "Kinder unter 6"]
    box.set_value("Kinder unter 6").run()
    assert not at.exception, at.exception
    after = at.dataframe[0].value
    assert not after.equals(before)
    assert "20" in str(after.loc["Höxter"].iloc[1])  # 1 kita per 500 children: 20 per 10,000


def test_import_upload_is_parsed_once_not_on_every_rerun(monkeypatch, write_registry,
                                                          editor) -> None:
    from partnernetz.exchange import importer

    calls: list[str] = []
    real = importer.read_table
    monkeypatch.setattr(importer, "read_table",
                        lambda data, **kw: calls.append(kw["name"]) or real(data, **kw))
    registry = write_registry(PARTNERS)
    at = open_page(make_app(monkeypatch, registry), "app_pages/imports.py")
    content = (LIST + "Kita Einmal;Kita;Weg 2;33034;Brakel\n").encode("utf-8")  # new to the cache
    at.file_uploader(key="import_file").set_value(("einmal.csv", content, "text/csv"))
    at.run()
    for policy in ("merge", "new", "skip"):  # reruns with the same upload
        at.radio(key="import_policy").set_value(policy)
        at.run()
    assert not at.exception, at.exception
    assert any("4 Zeilen" in m.value for m in at.markdown)
    assert calls == ["einmal.csv"]


def test_refused_upload_is_not_read_again_on_rerun(monkeypatch, write_registry, editor) -> None:
    from partnernetz.exchange import importer

    calls: list[str] = []
    real = importer.read_table
    monkeypatch.setattr(importer, "read_table",
                        lambda data, **kw: calls.append(kw["name"]) or real(data, **kw))
    at = open_page(make_app(monkeypatch, write_registry(PARTNERS)), "app_pages/imports.py")
    at.file_uploader(key="import_file").set_value(("leer.csv", b";;;\n;;\n", "text/csv"))
    at.run()
    at.radio(key="import_kind").set_value("msb")
    at.run()
    assert [e.value for e in at.error] == ["leer.csv: enthält keine Daten"]
    assert calls == ["leer.csv"]
