"""Coverage of a selection: only the selected categories (and stages …) can be missing."""

from __future__ import annotations

import datetime as dt

import pytest

from partnernetz.analysis.phrases import describe_white_spots
from partnernetz.analysis.selection import analyse_selection, categories_in_scope, data_stand
from partnernetz.dataset import load_dataset
from partnernetz.filters import FilterSpec, apply_filters
from tests.conftest import DEMO_HX

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def demo():
    return load_dataset(DEMO_HX, cache_dir="off")


def analyse(demo, spec: FilterSpec):
    partners = apply_filters(demo.partners, spec, today=TODAY)
    return analyse_selection(partners, demo.towns, spec=spec, today=TODAY,
                             categories=demo.categories, targets=demo.targets)


def test_counselling_selected_gives_exactly_one_white_spot_marienmuenster(demo):
    analysis = analyse(demo, FilterSpec(categories=("beratung",)))
    assert set(analysis.matrix["category"]) == {"beratung"}
    spots = describe_white_spots(analysis.matrix, lang="de")
    assert len(spots) == 1 and spots[0].startswith("Marienmünster: keine Beratungsstelle im Ort")
    assert analysis.headline.white_spots == 1
    assert analysis.headline.towns_with_white_spots == 1
    assert set(analysis.scores["ags"]) == set(demo.towns["ags"])


def test_without_category_filter_every_category_counts(demo):
    analysis = analyse(demo, FilterSpec())
    assert set(analysis.matrix["category"]) == set(demo.categories)
    assert analysis.headline.white_spots == 4


def test_stage_and_language_filters_narrow_their_tables(demo):
    analysis = analyse(demo, FilterSpec(stages=("schule",), languages=("ar",)))
    assert set(analysis.stages["stage"]) == {"schule"}
    assert set(analysis.languages["language"]) == {"ar"}
    # the partners that count: only school-stage partners offering Arabic
    assert analysis.headline.partners_active < 60


def test_categories_in_scope_keeps_display_order(demo):
    spec = FilterSpec(categories=("kita", "schule"))
    assert list(categories_in_scope(demo.categories, spec)) == [
        k for k in demo.categories if k in ("kita", "schule")]
    assert categories_in_scope(demo.categories, FilterSpec()) == dict(demo.categories)


def test_stand_is_the_newest_verified_date(demo, tmp_path):
    newest = max(d for d in demo.partners["verified"] if d is not None)
    assert data_stand(demo.partners, source=demo.source) == newest
    never = demo.partners.assign(verified=None)
    path = tmp_path / "r.yaml"
    path.write_text("x", encoding="utf-8")
    assert data_stand(never, source=path) == dt.date.fromtimestamp(path.stat().st_mtime)
