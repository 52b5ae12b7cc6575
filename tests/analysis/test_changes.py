"""What changed between two registry versions (the report's first page, issue 20 §2)."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd

from partnernetz.analysis.changes import compare_versions
from partnernetz.analysis.summary import analyse_coverage
from partnernetz.analysis.versions import changes_since, load_version
from partnernetz.dataset import load_dataset
from partnernetz.filters import FilterSpec
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.registry import writer
from tests.conftest import DEMO_HX

TODAY = dt.date(2026, 12, 7)


def frame(rows):
    return pd.DataFrame(rows, columns=["id", "name", "status", "phone"])


def matrix(red):
    return pd.DataFrame([{"town": t, "label_de": c, "label_en": c, "status": "red"} for t, c in red],
                        columns=["town", "label_de", "label_en", "status"])


def test_new_retired_changed_and_white_spots_are_told_apart():
    old = frame([("a", "Alt", "active", "1"), ("b", "Bleibt", "active", "2"),
                 ("c", "Geändert", "active", "3"), ("d", "Geplant", "planned", None)])
    new = frame([("b", "Bleibt", "active", "2"), ("c", "Geändert", "active", "33"),
                 ("d", "Geplant", "active", None), ("e", "Neu", "active", None)])
    changes = compare_versions(old, new, old_matrix=matrix([("Nieheim", "Schulen")]),
                               new_matrix=matrix([("Brakel", "Kitas")]), since=TODAY)
    assert changes.new == ("Geplant", "Neu")
    assert changes.retired == ("Alt",)
    assert changes.changed == ("Geändert",)
    assert changes.spots_opened == (("Brakel", "Kitas"),)
    assert changes.spots_closed == (("Nieheim", "Schulen"),)
    assert changes.any


def test_nothing_changed_is_said_so():
    rows = frame([("a", "A", "active", "1")])
    changes = compare_versions(rows, rows.copy(), old_matrix=matrix([]), new_matrix=matrix([]),
                               since=TODAY)
    assert not changes.any


def test_changes_since_an_earlier_version_come_from_the_history(tmp_path):
    path = tmp_path / "partners.yaml"
    shutil.copyfile(DEMO_HX, path)
    shutil.copytree(DEMO_HX.parent / "logos", tmp_path / "logos")
    before = load_dataset(path, cache_dir="off", today=TODAY)
    kita = before.partners[before.partners["category"] == "kita"].iloc[0]
    writer.apply_changes(path, [writer.RetirePartner(str(kita["id"]))], base_hash=None,
                         author="r@example.org", towns_source=GazetteerTowns(), today=TODAY)
    # every history entry is from today: the day before finds the oldest version
    version = load_version(path, dt.date.today() - dt.timedelta(days=1), today=TODAY)
    assert version is not None and version.oldest
    assert str(kita["id"]) in set(version.dataset.partners["id"])
    after = load_dataset(path, cache_dir="off", today=TODAY)
    analysis = analyse_coverage(after.partners, after.towns, today=TODAY,
                                categories=after.categories, targets=after.targets)
    changes = changes_since(version, after.partners, analysis, FilterSpec(), today=TODAY)
    assert changes is not None
    assert changes.retired == (kita["name"],)
    assert changes.new == () and changes.changed == ()


def test_no_history_means_no_changes(tmp_path):
    path = tmp_path / "partners.yaml"
    shutil.copyfile(DEMO_HX, path)
    assert load_version(path, TODAY, today=TODAY) is None
    assert changes_since(None, pd.DataFrame(), None, FilterSpec(), today=TODAY) is None
