"""Coverage per reference population: "Kitas je 10.000 Kinder unter 6".

By default every category is measured against the total population of a
town. With a reference table (AGS, indicator, value, …; see
:mod:`partnernetz.exchange.reference`) a category can be measured against
the group it serves instead. Only ``per_10k``, ``required`` and ``status``
change; the counts do not.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from partnernetz.analysis.matrix import required_count

TOTAL = "einwohner"


def apply_reference_population(
    coverage: pd.DataFrame,
    reference: pd.DataFrame,
    choices: Mapping[str, str],
    *,
    targets: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """The coverage matrix with some categories measured against another population.

    Parameters
    ----------
    coverage
        The long matrix of :func:`~partnernetz.analysis.matrix.compute_coverage`.
    reference
        Reference table with ``ags``, ``indicator``, ``value``.
    choices
        Category → indicator; missing categories (or :data:`TOTAL`) keep the
        total population.
    targets
        The categories' targets (``per_10k`` is applied to the chosen population).

    Returns
    -------
    pandas.DataFrame
        A new frame; ``population`` holds the chosen reference value (NA where
        the table has none), the new column ``reference`` the indicator.
    """
    out = coverage.copy()
    out["reference"] = TOTAL
    targets = targets or {}
    for category, indicator in choices.items():
        if indicator in (None, "", TOTAL):
            continue
        rows = (out["category"] == category).to_numpy()
        values = reference.loc[reference["indicator"] == indicator].set_index("ags")["value"]
        population = out.loc[rows, "ags"].map(values).astype(float).to_numpy()
        reachable = out.loc[rows, "reachable"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            per_10k = reachable * 10_000.0 / population
        target = targets.get(category)
        required = np.array([
            required_count(target, None if np.isnan(p) else p) if target is not None
            else int(r) for p, r in zip(population, out.loc[rows, "required"], strict=True)
        ], dtype=np.int64)
        status = np.where(reachable >= required, "green",
                          np.where(reachable == 0, "red", "yellow")).astype(object)
        out.loc[rows, "population"] = pd.array(
            [pd.NA if np.isnan(p) else round(p) for p in population], dtype="Int64")
        out.loc[rows, "per_10k"] = per_10k
        out.loc[rows, "required"] = required
        out.loc[rows, "status"] = status
        out.loc[rows, "reference"] = indicator
    return out
