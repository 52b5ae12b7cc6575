"""AppTest: hostile registries never crash the app, changes show on the next rerun,
the public sees no internal values or server paths, registry text is never Markdown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import as_redaktion
from tests.cli.test_cli_hostile import HOSTILE
from tests.conftest import DEMO_HX, ROOT


def make_app(monkeypatch: pytest.MonkeyPatch, registry: Path) -> AppTest:
    monkeypatch.setenv("PARTNERNETZ_REGISTRY", str(registry))
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)


def editor_app(monkeypatch: pytest.MonkeyPatch, registry: Path, folder: Path) -> AppTest:
    """The app as a signed-in Redaktion member (who sees validation reports)."""
    return as_redaktion(make_app(monkeypatch, registry), monkeypatch, folder)


def demo_copy(tmp_path: Path, name: str = "partners.yaml") -> Path:
    path = tmp_path / name
    path.write_text(DEMO_HX.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def replace_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """Replace ``path`` by a copy where ``old`` became ``new`` (same length), with the old mtime."""
    assert len(old.encode()) == len(new.encode())
    info = path.stat()
    text = path.read_text(encoding="utf-8").replace(old, new, 1)
    fresh = path.with_name(path.name + ".new")
    fresh.write_text(text, encoding="utf-8")
    os.utime(fresh, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(fresh, path)  # like cp -p, rsync -t, a restored backup or a safe-save
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (info.st_size, info.st_mtime_ns)


@pytest.mark.parametrize("name", ["alias_bomb", "deep_flow", "list_as_key", "control_char"])
def test_hostile_registry_gives_message_and_app_keeps_working(monkeypatch, tmp_path, name):
    text, _, _, message = HOSTILE[name]
    hostile = tmp_path / f"{name}.yaml"
    hostile.write_text(text, encoding="utf-8")
    at = make_app(monkeypatch, hostile)
    at.run()
    assert not at.exception, at.exception
    assert any("werden gerade überarbeitet" in i.value for i in at.info)  # the public: no report
    at = editor_app(monkeypatch, hostile, tmp_path)  # Redaktion sees the report
    at.run()
    assert not at.exception, at.exception
    assert any(message in str(frame.value.to_dict()) for frame in at.dataframe) or \
        any(message in c.value for c in at.code), [c.value for c in at.code]
    # the same server process still serves a good registry afterwards
    good = make_app(monkeypatch, demo_copy(tmp_path))
    good.run()
    assert not good.exception and not good.error
    assert "Kreis Höxter" in good.title[0].value


def test_registry_replaced_with_same_size_and_mtime_shows_on_next_rerun(monkeypatch, tmp_path):
    registry = demo_copy(tmp_path)
    at = make_app(monkeypatch, registry)
    at.run()
    assert "Kreis Höxter" in at.title[0].value
    replace_keeping_size_and_mtime(registry, "name: Kreis Höxter", "name: Kreis Hüxter")
    at.run()
    assert not at.exception
    assert "Kreis Hüxter" in at.title[0].value


def test_registry_rewritten_in_place_with_same_mtime_shows(monkeypatch, tmp_path):
    registry = demo_copy(tmp_path)
    at = make_app(monkeypatch, registry)
    at.run()
    info = registry.stat()
    text = registry.read_text(encoding="utf-8").replace("name: Kreis Höxter", "name: Kreis Hüxter", 1)
    with registry.open("r+", encoding="utf-8") as handle:  # same inode, same size
        handle.write(text)
    os.utime(registry, ns=(info.st_atime_ns, info.st_mtime_ns))
    at.run()
    assert "Kreis Hüxter" in at.title[0].value


def test_invalid_new_version_shows_report_above_last_valid_data(monkeypatch, tmp_path):
    registry = demo_copy(tmp_path)
    at = make_app(monkeypatch, registry)
    at.run()
    shown = at.title[0].value
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("category: kita", "category: kitaa", 1), encoding="utf-8")
    at.run()
    assert not at.exception
    assert any("werden gerade überarbeitet" in i.value for i in at.info)  # the public: no report
    assert any("veraltet" in w.value for w in at.warning)
    assert at.title[0].value == shown  # the last valid data stays visible
    registry.write_text(text.replace("name: Kreis Höxter", "name: Kreis Neu", 1), encoding="utf-8")
    at.run()
    assert not at.error and "Kreis Neu" in at.title[0].value


def test_public_report_hides_internal_values_and_server_path(monkeypatch, tmp_path):
    text = DEMO_HX.read_text(encoding="utf-8")
    first = text.index("  - id:")
    contact = ("    contacts:\n      - name: Interne Person\n        email: geheim@\n"
               "        visibility: internal\n")
    partner_end = text.index("\n  - id:", first + 1) + 1
    bad = text[:partner_end] + contact + text[partner_end:]
    registry = tmp_path / "server" / "secret-folder" / "partners.yaml"
    registry.parent.mkdir(parents=True)
    registry.write_text(bad, encoding="utf-8")
    at = make_app(monkeypatch, registry)
    at.run()
    assert not at.exception
    shown = " ".join([e.value for e in at.error] + [c.value for c in at.code] + [i.value for i in at.info]
                     + [str(f.value.to_dict()) for f in at.dataframe])
    assert "werden gerade überarbeitet" in shown  # the public sees no report at all (issue 17 §8)
    assert "enthält Fehler" not in shown
    assert "geheim@" not in shown
    assert "secret-folder" not in shown


def test_registry_text_is_never_markdown(monkeypatch, tmp_path):
    registry = demo_copy(tmp_path)
    text = registry.read_text(encoding="utf-8")
    hostile = "name: 'Kreis ![x](https://example.org/x.png)'"
    registry.write_text(text.replace("name: Kreis Höxter", hostile, 1), encoding="utf-8")
    at = make_app(monkeypatch, registry)
    at.run()
    assert not at.exception and not at.error
    title = at.title[0].value
    assert "![x](" not in title and r"\[x\]" in title
    assert all("![x](" not in c.value for c in at.sidebar.caption)


def test_corrupt_cache_never_shows_an_error(monkeypatch, tmp_path):
    registry = demo_copy(tmp_path)
    cache = tmp_path / "cache"
    monkeypatch.setenv("PARTNERNETZ_CACHE_DIR", str(cache))
    at = make_app(monkeypatch, registry)
    at.run()
    for entry in cache.glob("dataset-*"):
        entry.write_bytes(b"\x80\x04corrupt" * 10)
    registry.write_text(registry.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    at.run()
    assert not at.exception and not at.error
    assert "Kreis Höxter" in at.title[0].value


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/map.py", "app_pages/directory.py",
                                  "app_pages/coverage.py"])
def test_mathtext_strings_break_no_page(monkeypatch, tmp_path, page):
    """``$\\foo$``, "$5 und $10" and U+FEFF in labels and the search (the PDF is the report's
    business; every page must still run)."""
    registry = demo_copy(tmp_path)
    text = registry.read_text(encoding="utf-8")
    text = text.replace("name: Kreis Höxter", "name: 'Kreis \ufeffHöxter $\\foo$'", 1)
    text += ("  - id: kosten-test\n    name: 'Kosten $5 und $10 \ufeff$\\foo$'\n"
             "    category: beratung\n    town: Brakel\n    offers: ['$\\foo$', '\ufeffx']\n")
    registry.write_text(text, encoding="utf-8")
    at = make_app(monkeypatch, registry)
    at.query_params["suche"] = "$\\foo$"
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("which", [1, 2, 3])
def test_data_key_changes_when_any_input_is_replaced_with_same_size_and_mtime(tmp_path, which,
                                                                               monkeypatch):
    """Geocode cache, gazetteer and population file: a same-size, same-mtime copy is a change."""
    from app_pages import cached

    registry = demo_copy(tmp_path)
    geocode = tmp_path / "geocode_cache.json"
    geocode.write_text('{"a": 1}', encoding="utf-8")
    gazetteer = tmp_path / "gaz.geojson"
    gazetteer.write_text('{"b": 1}', encoding="utf-8")
    population = tmp_path / "pop.csv"
    population.write_text("ags,c\n1,2\n", encoding="utf-8")
    monkeypatch.setenv("PARTNERNETZ_GAZETTEER", str(gazetteer))
    monkeypatch.setenv("PARTNERNETZ_POPULATION", str(population))
    monkeypatch.setattr(cached, "default_cache_path", lambda path: geocode)
    before = cached.data_key(registry)
    target = {1: geocode, 2: gazetteer, 3: population}[which]
    old = target.read_text(encoding="utf-8")
    replace_keeping_size_and_mtime(target, old[-2], "9" if old[-2] != "9" else "8")
    assert cached.data_key(registry) != before


def _heavy_values(value: object, path: str = "") -> list[str]:
    """Where ``value`` holds data frames or the dataset (dataclasses, mappings, sequences)."""
    import dataclasses

    import pandas as pd

    from app_pages.cached import AppData
    from partnernetz.dataset import Dataset

    if isinstance(value, (pd.DataFrame, pd.Series, Dataset, AppData)):
        return [f"{path}: {type(value).__name__}"]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        children = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    elif isinstance(value, dict):
        children = value
    elif isinstance(value, (list, tuple, set, frozenset)):
        children = dict(enumerate(value))
    else:
        return []
    return [hit for key, child in children.items() for hit in _heavy_values(child, f"{path}.{key}")]


@pytest.mark.parametrize("page", ["app_pages/map.py", "app_pages/directory.py",
                                  "app_pages/coverage.py"])
def test_session_state_holds_no_data_frames_between_runs(monkeypatch, page):
    at = make_app(monkeypatch, DEMO_HX)
    at.run()
    at.sidebar.text_input(key="w.suche.de").set_value("Beratung").run()
    at.switch_page(page).run()
    assert not at.exception
    state = at.session_state.to_dict()
    assert state, "the run left its widget state"
    heavy = [hit for key, value in state.items() for hit in _heavy_values(value, key)]
    assert heavy == []
