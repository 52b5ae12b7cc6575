"""Town names in free text: resolving them to an AGS, and "meinten Sie …?" hints.

Names are compared after folding (case, umlauts, ``ß``), without a
parenthesised suffix ("Eslohe" for "Eslohe (Sauerland)"), with letters and
digits only, and without "Stadt"/"Gemeinde".
"""

from __future__ import annotations

import difflib
import re

import geopandas as gpd

from partnernetz.text import fold_text

__all__ = ["official_spelling", "resolve_town", "suggest_town"]

_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")
# "Stadt Höxter", "Gemeinde Eslohe", "Bad Driburg, Stadt" (IT.NRW's Verwaltungsbezirk)
_KIND_PREFIX = re.compile(r"^(?:stadt|gemeinde)\s+", re.IGNORECASE)
_KIND_SUFFIX = re.compile(r",\s*(?:stadt|gemeinde)\s*$", re.IGNORECASE)
_SUGGEST_CUTOFF = 0.75


def _compact(folded: str) -> str:
    """Letters and digits only: "bad-driburg" and "bad driburg" → "baddriburg"."""
    return re.sub(r"[\W_]+", "", folded)


def _name_keys(name: str) -> tuple[str, str, str, str]:
    """Folded keys of a name: as is, without suffix, and both with letters and digits only."""
    full = fold_text(name)
    base = fold_text(_SUFFIX.sub("", name))
    return full, base, _compact(full), _compact(base)


def resolve_town(query: str, towns: gpd.GeoDataFrame) -> str | None:
    """Find the AGS of a town named in free text.

    Parameters
    ----------
    query : str
        An AGS (8 digits, or 7 when a spreadsheet dropped the leading zero), the official
        name, a folded variant ("Hoexter", "höxter") or the name without its parenthesised
        suffix ("Eslohe" for "Eslohe (Sauerland)").
    towns : gpd.GeoDataFrame
        The towns to search (``ags`` and ``name``); others are never returned.

    Returns
    -------
    str or None
        The AGS, or ``None`` when nothing or more than one town matches.
    """
    text = (query or "").strip()
    if not text:
        return None
    ags_values = [str(a) for a in towns["ags"]]
    if re.fullmatch(r"\d{7,8}", text):
        ags = text.zfill(8)
        return ags if ags in ags_values else None
    keys = [_name_keys(str(n)) for n in towns["name"]]
    found = _match_name(text, ags_values, keys)
    if found is None:
        bare = _KIND_SUFFIX.sub("", _KIND_PREFIX.sub("", text)).strip()
        if bare and bare != text:
            found = _match_name(bare, ags_values, keys)
    return found


def _match_name(text: str, ags_values: list[str], keys: list[tuple[str, str, str, str]]
                ) -> str | None:
    query_full = fold_text(text)
    query_compact = _compact(query_full)
    levels = ((0, query_full), (1, query_full), (2, query_compact), (3, query_compact))
    for level, value in levels:
        hits = {ags for ags, k in zip(ags_values, keys, strict=True) if k[level] == value}
        if len(hits) == 1:
            return hits.pop()
        if len(hits) > 1:
            return None
    return None


def official_spelling(query: str, official: str) -> bool:
    """True when ``query`` spells the town as its official name does.

    The official name itself and the name without its parenthesised suffix
    ("Eslohe" for "Eslohe (Sauerland)") count as official; an AGS too. Anything
    else that :func:`resolve_town` accepts (missing umlauts, case, hyphens,
    "Stadt"/"Gemeinde") is a variant that deserves a warning.
    """
    text = " ".join((query or "").split())
    return text in {official, _SUFFIX.sub("", official)} or bool(re.fullmatch(r"\d{7,8}", text))


def suggest_town(query: str, towns: gpd.GeoDataFrame) -> str | None:
    """Closest official town name for a "meinten Sie …?" hint.

    Parameters
    ----------
    query : str
        What the user typed.
    towns : gpd.GeoDataFrame
        The towns to choose from (``name``).

    Returns
    -------
    str or None
        The official name most similar to ``query`` after folding, or ``None`` when no
        name is close enough.
    """
    folded = fold_text(query or "")
    if not folded:
        return None
    candidates: dict[str, str] = {}
    for name in sorted(str(n) for n in towns["name"]):
        full, base, _, _ = _name_keys(name)
        candidates.setdefault(full, name)
        candidates.setdefault(base, name)
    matches = difflib.get_close_matches(folded, list(candidates), n=1, cutoff=_SUGGEST_CUTOFF)
    return candidates[matches[0]] if matches else None
