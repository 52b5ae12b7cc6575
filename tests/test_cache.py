"""The dataset cache: data only (no pickle), its own entries only, bounded, never an error."""

from __future__ import annotations

import logging
import os
import pickle
import stat
from pathlib import Path

import pandas as pd
import pytest

from partnernetz.cache import KEEP_PER_GROUP, open_store
from partnernetz.dataset import load_dataset
from tests.conftest import DEMO_HX

TODAY = __import__("datetime").date(2026, 12, 1)


def _entry_keys(store: Path) -> list[str]:
    return sorted(p.stem.removeprefix("dataset-") for p in store.glob("dataset-*.json"))


def _copy_registry(tmp_path: Path, name: str = "partners.yaml") -> Path:
    target = tmp_path / name
    target.write_text(DEMO_HX.read_text(encoding="utf-8"), encoding="utf-8")
    return target


class _Payload:
    """Unpickling this runs ``open(marker, 'w')``: the probe of issue 8."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_cached_dataset_equals_fresh_one_cell_for_cell(tmp_path):
    registry = _copy_registry(tmp_path)
    fresh = load_dataset(registry, today=TODAY, cache_dir="off")
    load_dataset(registry, today=TODAY, cache_dir=tmp_path / "cache")
    cached = load_dataset(registry, today=TODAY, cache_dir=tmp_path / "cache")
    pd.testing.assert_frame_equal(cached.partners, fresh.partners)
    for column in fresh.partners.columns.drop("geometry"):
        assert [type(v) for v in cached.partners[column]] == [type(v) for v in fresh.partners[column]]
    pd.testing.assert_frame_equal(cached.towns, fresh.towns)
    assert (cached.region, cached.categories, cached.targets, cached.report) == (
        fresh.region, fresh.categories, fresh.targets, fresh.report)


def test_crafted_pickle_in_cache_runs_nothing(tmp_path):
    registry = _copy_registry(tmp_path)
    store = tmp_path / "cache"
    load_dataset(registry, today=TODAY, cache_dir=store)
    (key,) = _entry_keys(store)
    marker = tmp_path / "payload-ran"
    payload = pickle.dumps(_Payload(marker))
    assert not marker.exists()
    for suffix in (".pickle", ".arrow", ".json"):  # every name the cache has ever used
        (store / f"dataset-{key}{suffix}").write_bytes(payload)
    dataset = load_dataset(registry, today=TODAY, cache_dir=store)
    assert not marker.exists()
    assert len(dataset.partners) == len(load_dataset(registry, today=TODAY, cache_dir="off").partners)
    assert not list(store.glob("*.pickle"))  # the legacy pickle is removed, never read


def test_foreign_entry_under_same_key_is_ignored(tmp_path, caplog):
    registry = _copy_registry(tmp_path)
    other = tmp_path / "other.yaml"
    other.write_text(registry.read_text(encoding="utf-8").replace("name: Kreis Höxter",
                                                                  "name: Kreis Fremd", 1),
                     encoding="utf-8")
    store = tmp_path / "cache"
    load_dataset(registry, today=TODAY, cache_dir=store)
    (key,) = _entry_keys(store)
    foreign = load_dataset(other, today=TODAY, cache_dir=store)
    (other_key,) = set(_entry_keys(store)) - {key}
    for suffix in (".arrow", ".json"):
        os.replace(store / f"dataset-{other_key}{suffix}", store / f"dataset-{key}{suffix}")
    with caplog.at_level(logging.WARNING, logger="partnernetz.cache"):
        dataset = load_dataset(registry, today=TODAY, cache_dir=store)
    assert foreign.region.name == "Kreis Fremd"
    assert dataset.region.name == "Kreis Höxter"
    assert "anderen Registry-Version" in caplog.text


@pytest.mark.parametrize("suffix", [".arrow", ".json"])
def test_flipped_byte_is_rebuilt_with_log_line(tmp_path, caplog, suffix):
    registry = _copy_registry(tmp_path)
    store = tmp_path / "cache"
    fresh = load_dataset(registry, today=TODAY, cache_dir=store)
    (key,) = _entry_keys(store)
    target = store / f"dataset-{key}{suffix}"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING, logger="partnernetz.cache"):
        again = load_dataset(registry, today=TODAY, cache_dir=store)
    assert "wird ignoriert und neu gebaut" in caplog.text
    pd.testing.assert_frame_equal(again.partners, fresh.partners)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="partnernetz.cache"):
        load_dataset(registry, today=TODAY, cache_dir=store)  # the rebuilt entry is good again
    assert "ignoriert" not in caplog.text


def test_cache_folder_is_private(tmp_path):
    store = open_store(tmp_path / "deep" / "cache")
    assert store is not None
    assert stat.S_IMODE(store.stat().st_mode) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o777)
    loose.chmod(0o777)
    assert open_store(loose) == loose
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give files to another user")
def test_entries_of_another_user_are_ignored(tmp_path, caplog):
    registry = _copy_registry(tmp_path)
    store = tmp_path / "cache"
    load_dataset(registry, today=TODAY, cache_dir=store)
    for path in store.iterdir():
        os.chown(path, 65534, 65534)
    with caplog.at_level(logging.WARNING, logger="partnernetz.cache"):
        load_dataset(registry, today=TODAY, cache_dir=store)
    assert "nicht diesem" in caplog.text
    os.chown(store, 65534, 65534)
    assert open_store(store) is None


def test_cache_keeps_only_newest_entries_per_registry(tmp_path):
    registry = _copy_registry(tmp_path)
    store = tmp_path / "cache"
    text = registry.read_text(encoding="utf-8")
    for version in range(KEEP_PER_GROUP + 3):
        registry.write_text(text.replace("name: Kreis Höxter", f"name: Kreis Höxter {version}", 1),
                            encoding="utf-8")
        load_dataset(registry, today=TODAY, cache_dir=store)
    assert len(_entry_keys(store)) == KEEP_PER_GROUP
    assert len(list(store.glob("dataset-*.arrow"))) == KEEP_PER_GROUP
    assert load_dataset(registry, today=TODAY, cache_dir=store).region.name.endswith(
        str(KEEP_PER_GROUP + 2))
