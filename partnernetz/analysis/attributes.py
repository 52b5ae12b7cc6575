"""Attribute coverage: stages, languages, target groups and KIM offers per town.

The same counting rule as the category matrix, with an attribute of the
partner (a stage, a language, ...) in place of its category.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import compress
from typing import Any

import numpy as np
import pandas as pd

from partnernetz.analysis.distance import _nearest_columns
from partnernetz.analysis.reach import Reach, _column, _count, _explode, _lookup, _reach_for
from partnernetz.registry.vocabulary import (
    KIM_OFFER,
    STAGES,
    TARGET_GROUPS,
    Term,
    language_name,
)


def _indicator(
    partners: pd.DataFrame, column: str, keys: Sequence[str] | None, active: np.ndarray
) -> tuple[list[str], np.ndarray]:
    """Partners × keys: the partner names the key in the tuple column ``column``.

    With ``keys=None`` the keys are the values active partners use, sorted;
    values outside ``keys`` are appended after them.
    """
    rows, flat = _explode(_column(partners, column, ()))
    used = sorted(v for v in set(compress(flat, active[rows])) if isinstance(v, str))
    keys = list(keys) if keys is not None else []
    keys += [v for v in used if v not in set(keys)]
    codes = _lookup(pd.Index(keys, dtype=object), flat)
    indicator = np.zeros((len(partners), len(keys)), dtype=bool)
    hit = codes >= 0
    indicator[rows[hit], codes[hit]] = True
    return keys, indicator


def _attribute_long(
    reach: Reach, keys: list[str], counts: np.ndarray, name: str, labels: Any
) -> pd.DataFrame:
    n_towns, n_keys = len(reach.town_ags), len(keys)
    frame = pd.DataFrame(
        {
            "ags": np.repeat(reach.town_ags, n_keys),
            "town": np.repeat(reach.town_names, n_keys),
            name: np.tile(np.array(keys, dtype=object), n_towns),
            "label_de": np.tile(np.array([labels(k, "de") for k in keys], dtype=object), n_towns),
            "label_en": np.tile(np.array([labels(k, "en") for k in keys], dtype=object), n_towns),
            "partners": counts.ravel().astype(np.int64),
        }
    )
    frame["covered"] = frame["partners"] > 0
    return frame


def _attribute_coverage(
    partners: pd.DataFrame,
    towns: pd.DataFrame,
    reach: Reach | None,
    column: str,
    name: str,
    vocabulary: Mapping[str, Term] | None,
) -> pd.DataFrame:
    reach = _reach_for(partners, towns, reach)
    keys, indicator = _indicator(
        partners, column, list(vocabulary) if vocabulary is not None else None, reach.active
    )
    counts = _count(reach, reach.active, indicator)
    if vocabulary is None:
        return _attribute_long(reach, keys, counts, name, language_name)

    def label(key: str, lang: str) -> str:
        term = vocabulary.get(key)
        if term is None:
            return key
        return term.en if lang == "en" else term.de

    return _attribute_long(reach, keys, counts, name, label)


def compute_stage_coverage(
    partners: pd.DataFrame, towns: pd.DataFrame, *, reach: Reach | None = None
) -> pd.DataFrame:
    """Which Bildungskette stages the reachable active partners of each town cover.

    Parameters
    ----------
    partners, towns
        As for :func:`~partnernetz.analysis.matrix.compute_coverage`.
    reach
        The result of :func:`~partnernetz.analysis.reach.build_reach`, if already computed.

    Returns
    -------
    pandas.DataFrame
        One row per town × stage (every stage of ``STAGES``, in vocabulary
        order) with ``ags``, ``town``, ``stage``, ``label_de``, ``label_en``,
        ``partners`` (reachable active partners naming the stage) and
        ``covered`` (bool). A stage is missing where ``covered`` is False.
    """
    return _attribute_coverage(partners, towns, reach, "stages", "stage", STAGES)


def compute_target_group_coverage(
    partners: pd.DataFrame, towns: pd.DataFrame, *, reach: Reach | None = None
) -> pd.DataFrame:
    """Which target groups the reachable active partners of each town address.

    Same layout as :func:`compute_stage_coverage`, with the column
    ``target_group`` (every key of ``TARGET_GROUPS``).
    """
    return _attribute_coverage(
        partners, towns, reach, "target_groups", "target_group", TARGET_GROUPS
    )


def compute_language_coverage(
    partners: pd.DataFrame, towns: pd.DataFrame, *, reach: Reach | None = None
) -> pd.DataFrame:
    """Languages offered within reach of each town.

    Parameters as for :func:`compute_stage_coverage`.

    Returns
    -------
    pandas.DataFrame
        One row per town × language offered by any active partner in
        ``partners`` (codes sorted alphabetically), with ``ags``, ``town``,
        ``language`` (ISO 639-1), ``label_de``, ``label_en``, ``partners``
        (reachable active partners offering it) and ``covered``.
    """
    return _attribute_coverage(partners, towns, reach, "languages", "language", None)


def _has_offer(partners: pd.DataFrame, offer: str) -> np.ndarray:
    """Per partner: one of its ``offers`` equals ``offer`` (case and space ignored)."""
    rows, flat = _explode(_column(partners, "offers", ()))
    has = np.zeros(len(partners), dtype=bool)
    if flat:
        wanted = offer.strip().casefold()
        texts = pd.Series(flat, dtype=object).astype(str).str.strip().str.casefold()
        has[rows[(texts == wanted).to_numpy(dtype=bool)]] = True
    return has


def compute_kim_coverage(
    partners: pd.DataFrame,
    towns: pd.DataFrame,
    *,
    reach: Reach | None = None,
    offer: str = KIM_OFFER,
) -> pd.DataFrame:
    """KIM case management per town: present (reachable) or missing.

    A partner offers it when one of its ``offers`` equals ``offer``
    (``"KIM Case Management"``), ignoring case and surrounding space. Only
    active partners count; planned ones are counted apart.

    Returns
    -------
    pandas.DataFrame
        One row per town with ``ags``, ``town``, ``located``, ``reachable``,
        ``planned`` (planned partners with the offer in or serving the town),
        ``present`` (``reachable > 0``), ``nearest_km``, ``nearest_town``,
        ``nearest_name`` (nearest active partner with the offer).
    """
    reach = _reach_for(partners, towns, reach)
    n_towns = len(reach.town_ags)
    has = _has_offer(partners, offer)[:, None]
    active = reach.active
    reachable = _count(reach, active, has).ravel()
    inside = active & has[:, 0] & (reach.located >= 0)
    nearest = _nearest_columns(partners, reach, [active & has[:, 0]])
    return pd.DataFrame(
        {
            "ags": reach.town_ags,
            "town": reach.town_names,
            "located": np.bincount(reach.located[inside], minlength=n_towns).astype(np.int64),
            "reachable": reachable,
            "planned": _count(reach, reach.status == "planned", has).ravel(),
            "present": reachable > 0,
            "nearest_km": nearest["nearest_km"],
            "nearest_town": nearest["nearest_town"],
            "nearest_name": nearest["nearest_name"],
        }
    )
