"""The Prüfliste: active partners due for a check, oldest first."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from partnernetz.analysis.upkeep import months_before, overdue_partners, upkeep_figures

TODAY = dt.date(2026, 12, 1)


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["a", "b", "c", "d", "e"],
        "name": ["A", "B", "C", "D", "E"],
        "status": ["active", "active", "active", "inactive", "active"],
        "verified": [dt.date(2025, 11, 30), None, dt.date(2026, 6, 1), dt.date(2020, 1, 1),
                     dt.date(2024, 3, 1)],
    }, dtype=object)


def test_overdue_active_only_never_verified_first_then_oldest() -> None:
    due = overdue_partners(frame(), today=TODAY, months=12)
    assert list(due["id"]) == ["b", "e", "a"]
    assert list(due["days_since"]) == [None, (TODAY - dt.date(2024, 3, 1)).days, 366]


def test_interval_is_configurable_and_month_ends_are_handled() -> None:
    assert list(overdue_partners(frame(), today=TODAY, months=3)["id"]) == ["b", "e", "a", "c"]
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(TODAY, 12) == dt.date(2025, 12, 1)


def test_upkeep_figures() -> None:
    figures = upkeep_figures(frame(), today=TODAY)
    assert figures.overdue == 3
    assert figures.share == 1 / 5
