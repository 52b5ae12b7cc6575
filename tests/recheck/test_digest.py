"""The digest "Was hat sich geändert": from the history, the answers and the white spots."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from pypdf import PdfReader

from partnernetz.geo.towns import GazetteerTowns
from partnernetz.recheck.digest import (
    build_digest,
    coverage_of,
    dataset_at,
    digest_html,
    digest_pdf,
    digest_text,
    white_spot_pairs,
)
from partnernetz.recheck.state import Answer
from partnernetz.registry import writer
from partnernetz.registry.history import History

TOWNS = GazetteerTowns()


def edit(registry: Path, changes, when: dt.datetime) -> None:
    writer.apply_changes(registry, changes, base_hash=None, author="redaktion@example.org",
                         towns_source=TOWNS, when=when, today=when.date())


def test_digest_lists_new_retired_changed_and_answers_of_the_period(recheck_registry: Path) -> None:
    day = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)
    entries = writer.read_entries(recheck_registry)
    edit(recheck_registry, [writer.UpdatePartner("kita-marker-brakel",
                                                  dict(entries["kita-marker-brakel"], phone="05272 2"))],
         day - dt.timedelta(days=40))  # before the period
    edit(recheck_registry, [writer.AddPartner({"id": "ehrenamt-neu-warburg", "name": "Ehrenamt <Neu>",
                                               "category": "ehrenamt", "town": "Warburg"})], day)
    edit(recheck_registry, [writer.RetirePartner("beratung-marker-hoexter", "inactive")], day)
    edit(recheck_registry, [writer.UpdatePartner("schule-ohne-intern-warburg",
                                                  dict(entries["schule-ohne-intern-warburg"], phone="05641 1",
                                                       website="https://schule.example.org"))], day)
    answers = [Answer(partner_id="kita-marker-brakel", token_id="t1" * 5, time=day, kind="confirmed"),
               Answer(partner_id="kita-marker-brakel", token_id="t2" * 5, time=day - dt.timedelta(days=60),
                      kind="proposal")]
    history = History(recheck_registry)
    digest = build_digest(history.entries(), region="Kreis Höxter", start=dt.date(2026, 11, 1),
                          end=dt.date(2026, 11, 30), answers=answers,
                          names={"kita-marker-brakel": "Kita Markerhaus Brakel"},
                          spots_then={"Brakel: Kita", "Höxter: Beratung"}, spots_now={"Höxter: Beratung",
                                                                                      "Warburg: Schulen"})
    history.close()
    assert [p.name for p in digest.new] == ["Ehrenamt <Neu>"]
    assert [(p.partner_id, p.detail) for p in digest.retired] == [("beratung-marker-hoexter", "inaktiv")]
    assert [(p.partner_id, p.detail) for p in digest.changed] == [("schule-ohne-intern-warburg",
                                                                   "Telefon, Website")]
    assert [p.detail for p in digest.answers] == ["bestätigt am 10.11.2026"]
    assert digest.spots_opened == ("Warburg: Schulen",) and digest.spots_closed == ("Brakel: Kita",)
    text = digest_text(digest)
    assert "Neue Partner (1)" in text and "  - Ehrenamt <Neu>" in text
    assert "Zeitraum: 01.11.2026 bis 30.11.2026" in text
    assert "NOTIZMARKER" not in text and "05641" not in text  # field names, never values
    fragment = digest_html(digest)
    assert "Ehrenamt &lt;Neu&gt;" in fragment and "<Neu>" not in fragment
    pdf = digest_pdf(digest)
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Geschlossene weiße Flecken (1)" in pdf_text


def test_digest_in_english_and_empty_period(recheck_registry: Path) -> None:
    digest = build_digest([], region="Kreis Höxter", start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31),
                          lang="en")
    assert digest.empty and not digest.spots_known
    text = digest_text(digest, lang="en")
    assert "Nothing changed in this period." in text and "no version from the start" in text


def test_white_spots_then_come_from_the_history(recheck_registry: Path) -> None:
    day = dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)
    entries = writer.read_entries(recheck_registry)
    edit(recheck_registry, [writer.UpdatePartner("kita-marker-brakel",
                                                  dict(entries["kita-marker-brakel"], phone="05272 2"))], day)
    assert dataset_at(recheck_registry, dt.date(2026, 9, 1)) is None  # no version that old
    then = dataset_at(recheck_registry, dt.date(2026, 10, 2))
    assert then is not None and "kita-marker-brakel" in set(then.partners["id"])
    spots = white_spot_pairs(coverage_of(then, today=dt.date(2026, 10, 2)), {"kita": "Kitas"})
    assert "Brakel: Kitas" not in spots and any(s.startswith("Warburg: ") for s in spots)
