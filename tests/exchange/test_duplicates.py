"""Duplicate detection: normalisation, strong identifiers, fuzzy names, the reference files."""

from __future__ import annotations

import pytest

from partnernetz.exchange.duplicates import DUPLICATE_SCORE, find_matches, match_record, score_pair
from partnernetz.exchange.keys import (
    normalise_name,
    normalise_phone,
    normalise_street,
    normalise_website,
)


def test_normalise_name_folds_umlauts_legal_forms_and_abbreviations() -> None:
    assert normalise_name("Städt. Gymnasium Brakel") == normalise_name("Städtisches Gymnasium Brakel")
    assert normalise_name("Kath. Kita St. Marien") == normalise_name("Katholische Kita Sankt Marien")
    assert normalise_name("Förderverein Süd e. V.") == normalise_name("FOERDERVEREIN SUED")
    assert normalise_name("Jugendwerk gGmbH") == "jugendwerk"
    assert normalise_street("Jahnstr. 12") == normalise_street("Jahnstraße 12")
    assert normalise_street("Große Straße 3") == normalise_street("Grosse Str. 3")


def test_normalise_phone_and_website() -> None:
    assert normalise_phone("05253 3894") == normalise_phone("+49 5253 3894") == "+4952533894"
    assert normalise_phone("keine") is None
    assert normalise_website("https://www.Example.org/kita/") == "example.org/kita"
    assert normalise_website("http://example.org/index.html") == "example.org"


def _rec(key, **entry):
    entry.setdefault("town", "Brakel")
    return match_record(key, entry)


def test_score_pair_strong_identifiers() -> None:
    a = _rec(0, name="Grundschule am Markt", identifiers={"schulnummer": "100026"})
    b = _rec("x", name="GS Markt", identifiers={"schulnummer": "100026"})
    c = _rec("y", name="Grundschule am Markt", identifiers={"schulnummer": "100027"})
    assert score_pair(a, b)[0] == 100
    assert score_pair(a, c)[0] == 0  # two Schulnummern: never the same school
    mail_a = _rec(0, name="Kita Regenbogen", email="kita-regenbogen@example.org")
    mail_b = _rec("k", name="Kindertagesstätte Regenbogen", email="kita-regenbogen@example.org")
    score, reasons = score_pair(mail_a, mail_b)
    assert score >= DUPLICATE_SCORE and any("gleiche E-Mail" in r for r in reasons)


def test_score_pair_shared_mail_domain_is_no_evidence() -> None:
    a = _rec(0, name="Grundschule Nord", email="100001@schule.nrw.de", town="Höxter")
    b = _rec("b", name="Realschule Süd", email="100002@schule.nrw.de", town="Höxter")
    score, reasons = score_pair(a, b)
    assert score < DUPLICATE_SCORE
    assert not any("Domain" in r for r in reasons)


def test_score_pair_location_within_50_m_needs_a_similar_name() -> None:
    near = dict(town="Brakel")
    a = _rec(0, name="Familienzentrum Brakel", location={"lat": 51.716, "lon": 9.183}, **near)
    b = _rec("b", name="Familienzentrum Brakel-Mitte", location={"lat": 51.7162, "lon": 9.1831},
             **near)
    c = _rec("c", name="Jugendtreff Kellerkind", location={"lat": 51.7162, "lon": 9.1831}, **near)
    assert score_pair(a, b)[0] >= DUPLICATE_SCORE
    assert score_pair(a, c)[0] < DUPLICATE_SCORE


def test_find_matches_within_file_compares_with_earlier_rows_only() -> None:
    rows = [_rec(0, name="Kita Sonnenschein", address={"street": "Marktstr. 1"}),
            _rec(1, name="Kita Sonnenschein", address={"street": "Marktstraße 1"}),
            _rec(2, name="Kita Mondschein", address={"street": "Ringstraße 9"})]
    matches = find_matches(rows, rows, within=True)
    assert [(m.row, m.other) for m in matches] == [(1, 0)]


@pytest.fixture(scope="module")
def school_lists(request):
    from tests.conftest import REFERENCE

    if not (REFERENCE / "schuldaten_hx_hsk_msb_2022.csv").exists():
        pytest.skip("../shared/reference not present (real school lists)")
    import pandas as pd

    from partnernetz.exchange.entries import EntryBuilder
    from partnernetz.exchange.importer import read_table
    from partnernetz.exchange.mapping import ColumnMapping, guess_mapping
    from partnernetz.geo import gazetteer
    from partnernetz.registry.vocabulary import default_categories

    towns = pd.concat([gazetteer.load_towns("05762"), gazetteer.load_towns("05958")])
    lists = []
    for name in ("schuldaten_hx_hsk_msb_2022.csv", "schulen_hx_hsk_itnrw_2024_25.csv"):
        table = read_table((REFERENCE / name).read_bytes(), name=name)
        mapping = guess_mapping(table.headers, ColumnMapping(defaults={"category": "schule"}))
        builder = EntryBuilder(mapping, towns=towns, categories=default_categories())
        lists.append([builder.build(r).entry for r in table.records()])
    return lists


@pytest.mark.parametrize("with_ids", [True, False])
def test_reference_schools_match_without_false_merges(school_lists, with_ids: bool) -> None:
    """IT.NRW against MSB: with Schulnummer and location, and with name, address, phone only."""
    msb, itnrw = school_lists
    assert all(msb) and all(itnrw)

    def records(entries):
        out = []
        for i, entry in enumerate(entries):
            entry = dict(entry)
            if not with_ids:
                entry.pop("identifiers")
                entry.pop("location", None)
            out.append(match_record(i, entry))
        return out

    matches = find_matches(records(itnrw), records(msb))
    number = [e["identifiers"]["schulnummer"] for e in msb]
    wrong = [m for m in matches if number[int(m.other)] != itnrw[m.row]["identifiers"]["schulnummer"]]
    assert wrong == []
    assert len(matches) == len(itnrw) == 155  # every IT.NRW school is in the MSB file
