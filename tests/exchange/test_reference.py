"""Reference populations (Bezugsgrößen): import of a made-up table, coverage per group."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnernetz.analysis.matrix import compute_coverage
from partnernetz.analysis.reference import apply_reference_population
from partnernetz.dataset import load_dataset
from partnernetz.exchange.reference import read_reference_table, reference_path
from tests.conftest import run_cli

# Made up for the test: children under 6 in three towns of Kreis Höxter.
TABLE = (
    "AGS;indicator;value;year;source\n"
    "5762004;Kinder unter 6;1000;2023;Testzahlen\n"
    "05762016;Kinder unter 6;800;2023;Testzahlen\n"
    "05762020;Kinder unter 6;1500;2022;Testzahlen\n"
    "05762020;Kinder unter 6;1600;2024;Testzahlen\n"
)
PARTNERS = """\
- {id: kita-a, name: Kita A, category: kita, town: Bad Driburg}
- {id: kita-b, name: Kita B, category: kita, town: Bad Driburg}
- {id: kita-c, name: Kita C, category: kita, town: Brakel}
"""


def test_import_reference_table_and_measure_coverage(write_registry, tmp_path: Path) -> None:
    registry = write_registry(PARTNERS)
    source = tmp_path / "kinder.csv"
    source.write_text(TABLE, encoding="utf-8")
    result = run_cli("import", str(source), "--into", str(registry), "--format", "bezugsgroessen")
    assert result.returncode == 0, result.stderr
    table = read_reference_table(registry)
    assert reference_path(registry).exists()
    assert len(table) == 3  # the newer year replaced the older value
    assert table.set_index("ags").loc["05762020", "value"] == 1600

    dataset = load_dataset(registry)
    coverage = compute_coverage(dataset.partners, dataset.towns, categories=dataset.categories,
                                targets=dataset.targets)
    measured = apply_reference_population(coverage, table, {"kita": "Kinder unter 6"},
                                          targets=dataset.targets)
    kita = measured[measured["category"] == "kita"].set_index("ags")
    assert kita.loc["05762004", "per_10k"] == pytest.approx(2 * 10_000 / 1000)
    assert kita.loc["05762016", "per_10k"] == pytest.approx(1 * 10_000 / 800)
    assert kita.loc["05762020", "population"] == 1600
    assert kita.loc["05762004", "reference"] == "Kinder unter 6"
    other = measured[measured["category"] == "schule"]
    assert (other["per_10k"].fillna(-1) == coverage[coverage["category"] == "schule"]["per_10k"]
            .fillna(-1)).all()


def test_import_reference_table_names_bad_rows(write_registry, tmp_path: Path) -> None:
    registry = write_registry(PARTNERS)
    source = tmp_path / "kaputt.csv"
    source.write_text("AGS;indicator;value;year;source\n05958004;Kinder unter 6;10;2023;X\n"
                      "05762004;Kinder unter 6;viele;2023;X\n", encoding="utf-8")
    result = run_cli("import", str(source), "--into", str(registry), "--format", "bezugsgroessen")
    assert result.returncode == 2
    assert "Zeile 2: AGS 05958004 ist kein Ort der Region" in result.stderr
    assert "Zeile 3: value: 'viele' ist keine Zahl" in result.stderr
    assert not reference_path(registry).exists()
