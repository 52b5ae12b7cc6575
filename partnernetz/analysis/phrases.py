"""Phrases: the white-spot sentences in German and English.

German needs the noun's gender ("kein Sprachkurs", "keine Beratungsstelle");
:data:`CATEGORY_NOUNS` holds it for the default categories.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import pandas as pd

from partnernetz.analysis.matrix import RED, YELLOW
from partnernetz.i18n import t


class Noun(NamedTuple):
    """A singular noun with its grammatical gender ("f", "m" or "n")."""

    singular: str
    gender: str


# German and English singular nouns of the default categories, for sentences.
CATEGORY_NOUNS: dict[str, tuple[Noun, str]] = {
    "schule": (Noun("Schule", "f"), "school"),
    "kita": (Noun("Kita", "f"), "day-care centre"),
    "jugendhilfe": (Noun("Jugendhilfe-Angebot", "n"), "youth welfare service"),
    "verwaltung": (Noun("kommunale Dienststelle", "f"), "municipal office"),
    "beratung": (Noun("Beratungsstelle", "f"), "counselling service"),
    "einrichtung": (Noun("regionale Einrichtung", "f"), "regional institution"),
    "ehrenamt": (Noun("ehrenamtliche Initiative", "f"), "volunteer initiative"),
}

_KEIN = {"f": "keine", "m": "kein", "n": "kein"}
_KEINE_PRONOUN = {"f": "keine", "m": "keiner", "n": "keines"}
_NAECHST = {"f": "nächste", "m": "nächster", "n": "nächstes"}


def format_km(km: float, *, lang: str = "de") -> str:
    """A distance for people: ``17 km``, ``4,2 km`` (German comma), ``0,3 km``."""
    if km is None or pd.isna(km):
        return ""
    text = f"{km:.0f}" if km >= 10 else f"{km:.1f}"
    if lang != "en":
        text = text.replace(".", ",")
    return f"{text} km"


class NounPhrases(NamedTuple):
    """The phrases a white-spot sentence needs for one category."""

    none_here: str  # "keine Kita", "no day-care centre"
    nearest: str  # "nächste", "nearest"
    none_anywhere: str  # "keine", "none"


def category_noun(key: str, label: str, *, lang: str = "de") -> NounPhrases:
    """Phrases for a category, e.g. ``("keine Kita", "nächste", "keine")``.

    Default categories use the singular nouns of :data:`CATEGORY_NOUNS` with
    the right German gender; custom categories fall back to their label:
    ``kein Angebot der Kategorie „Sprachkurse“`` / ``nächstes`` / ``keines``.
    """
    nouns = CATEGORY_NOUNS.get(key)
    if lang == "en":
        if nouns is not None:
            return NounPhrases(f"no {nouns[1]}", "nearest", "none")
        return NounPhrases(f"nothing in category “{label}”", "nearest", "none")
    noun = nouns[0] if nouns is not None else None
    if noun is None:
        return NounPhrases(f"kein Angebot der Kategorie „{label}“", "nächstes", "keines")
    return NounPhrases(
        f"{_KEIN[noun.gender]} {noun.singular}", _NAECHST[noun.gender],
        _KEINE_PRONOUN[noun.gender],
    )


def describe_white_spots(
    coverage: pd.DataFrame, *, lang: str = "de", include_under_target: bool = False
) -> list[str]:
    """White spots (red cells) as plain sentences, town by town.

    German: ``Marienmünster: keine Beratungsstelle im Ort; nächste in Höxter
    (17 km)``; English (``lang="en"``): ``Marienmünster: no counselling
    service in town; nearest in Höxter (17 km)``. Without any partner of the
    category: ``…; keine im Verzeichnis`` (``keines`` for neuter nouns) /
    ``none in the registry``. Planned
    partners are added apart: ``; geplant: 1`` / ``; planned: 1``.

    Parameters
    ----------
    coverage
        The result of :func:`compute_coverage`.
    lang
        ``de`` (default) or ``en``.
    include_under_target
        Also describe yellow cells: ``Brakel: Kitas und Familienzentren unter
        Ziel (1 von 3 erreichbar)``.

    Returns
    -------
    list of str
        In the order of ``coverage`` (town-major).
    """
    en = lang == "en"
    sentences = []
    for row in coverage.itertuples(index=False):
        label = row.label_en if en else row.label_de
        if row.status == RED:
            no_x, nearest, none = category_noun(row.category, label, lang=lang)
            text = f"{row.town}: {no_x} {'in town' if en else 'im Ort'}"
            km = row.nearest_km
            if km is None or pd.isna(km):
                text += f"; {none} {'in the registry' if en else 'im Verzeichnis'}"
            elif row.nearest_town:
                text += f"; {nearest} in {row.nearest_town} ({format_km(km, lang=lang)})"
            else:
                away = "away" if en else "entfernt"
                text += f"; {nearest} {format_km(km, lang=lang)} {away}"
        elif row.status == YELLOW and include_under_target:
            if en:
                text = (
                    f"{row.town}: {label} below target "
                    f"({row.reachable} of {row.required} reachable)"
                )
            else:
                text = (
                    f"{row.town}: {label} unter Ziel "
                    f"({row.reachable} von {row.required} erreichbar)"
                )
        else:
            continue
        if row.planned:
            text += f"; {'planned' if en else 'geplant'}: {row.planned}"
        sentences.append(text)
    return sentences


def describe_no_white_spots(
    *, towns: Sequence[str] = (), note: str | None = None, elsewhere: Sequence[str] = (),
    lang: str = "de",
) -> str:
    """The sentence for "no white spot", true for the scope it was found in.

    Parameters
    ----------
    towns
        Names of the selected towns (empty: the whole region).
    note
        The filters that shaped the figures ("Kategorien: Beratungsstellen;
        Sprachen: Arabisch"), None without filters.
    elsewhere
        The town of each white spot outside the selected towns (one entry per
        spot), so that "none here" never reads as "none anywhere".
    lang
        ``de`` or ``en``.
    """
    if towns:
        text = t("coverage.no_white_spots_towns", lang, towns=", ".join(towns))
    elif note:
        text = t("coverage.no_white_spots_region", lang)
    else:
        text = t("coverage.no_white_spots", lang)
    if note:
        text += " " + t("coverage.scope_counted", lang, note=note)
    if elsewhere:
        names = ", ".join(dict.fromkeys(elsewhere))
        text += " " + t("coverage.spots_elsewhere", lang, n=len(elsewhere), towns=names)
    return text
