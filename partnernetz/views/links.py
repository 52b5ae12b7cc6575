"""Links that work in both languages: the view's state as language-neutral URL parameters.

Every filter is kept in the URL under a German parameter name with a value
that does not depend on the UI language:

``lang=de|en``, ``ort=<AGS>``, ``kategorie=<key>``, ``stufe=<key>``,
``zielgruppe=<key>``, ``sprache=<ISO 639-1>``, ``status=<key>`` (several
values repeat the parameter), ``suche=<text>``, ``geprueft=<key>``,
``ueberoertlich=1``, and the page parameters ``kennzahl`` (Abdeckung),
``hintergrund`` and ``partner`` (Karte).

:func:`parse_link` turns URL parameters into a :class:`LinkState` and says
what it did not understand; :func:`link_params` is its inverse. Pure: the app
shell (dashboard.py) reads and writes ``st.query_params`` with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from partnernetz.filters import FRESHNESS, FilterSpec
from partnernetz.text import fold_text

__all__ = ["LIST_PARAMS", "PAGE_PARAMS", "LinkChoices", "LinkState", "link_params", "parse_link"]

UI_LANGUAGES = ("de", "en")
# URL parameter → FilterSpec field, for the filters with several values
LIST_PARAMS: dict[str, str] = {
    "ort": "towns",
    "kategorie": "categories",
    "stufe": "stages",
    "zielgruppe": "target_groups",
    "sprache": "languages",
    "status": "statuses",
}
QUERY_PARAM = "suche"
FRESHNESS_PARAM = "geprueft"
SERVING_PARAM = "ueberoertlich"
LANG_PARAM = "lang"
# Parameters a page reads itself (value checked by the page).
PAGE_PARAMS = ("kennzahl", "hintergrund", "partner", "ansicht", "kartenwert")
_TRUE = {"1", "true", "ja", "yes"}


@dataclass(frozen=True)
class LinkChoices:
    """What the parameters may name: the dataset's towns, categories …, and page choices."""

    towns: Mapping[str, str]  # AGS → official name
    categories: Iterable[str]
    stages: Iterable[str]
    target_groups: Iterable[str]
    languages: Iterable[str]  # ISO codes offered by some partner
    statuses: Iterable[str]
    pages: Mapping[str, Iterable[str]] = field(default_factory=dict)  # page param → values


@dataclass(frozen=True)
class LinkState:
    """What a link asks for, and what it asked for that the app does not know."""

    spec: FilterSpec
    lang: str = "de"
    page: Mapping[str, str] = field(default_factory=dict)
    unknown_params: tuple[str, ...] = ()
    unknown_values: tuple[tuple[str, str], ...] = ()  # (param, value)

    @property
    def notices(self) -> tuple[tuple[str, str], ...]:
        """(param, value) pairs the app ignored; value "" for an unknown parameter."""
        return tuple((p, "") for p in self.unknown_params) + self.unknown_values


def _town_key(value: str, towns: Mapping[str, str]) -> str | None:
    """An AGS (7 or 8 digits) or a town name (case and umlauts ignored) → AGS."""
    text = value.strip()
    if re.fullmatch(r"\d{7,8}", text):
        ags = text.zfill(8)
        return ags if ags in towns else None
    folded = fold_text(text)
    hits = [a for a, n in towns.items()
            if folded in (fold_text(n), fold_text(re.sub(r"\s*\([^)]*\)\s*$", "", n)))]
    return hits[0] if len(hits) == 1 else None


def parse_link(params: Mapping[str, list[str] | str], *, choices: LinkChoices) -> LinkState:
    """The view a URL asks for.

    Parameters
    ----------
    params
        Parameter name → its values (``st.query_params.to_dict()`` gives the last
        value only; pass ``{k: st.query_params.get_all(k)}``).
    choices
        What the values may be.

    Returns
    -------
    LinkState
        The filters, language and page parameters; every parameter or value
        that is not understood is listed, never silently dropped. Values are
        matched ignoring case (``lang=EN``, ``kategorie=Beratung``).
    """
    allowed = {
        "categories": {k.casefold(): k for k in choices.categories},
        "stages": {k.casefold(): k for k in choices.stages},
        "target_groups": {k.casefold(): k for k in choices.target_groups},
        "languages": {k.casefold(): k for k in choices.languages},
        "statuses": {k.casefold(): k for k in choices.statuses},
    }
    values: dict[str, list[str]] = {f: [] for f in LIST_PARAMS.values()}
    unknown_params: list[str] = []
    unknown_values: list[tuple[str, str]] = []
    lang = "de"
    query = ""
    verified = ""
    serving = False
    page: dict[str, str] = {}
    for name, raw in params.items():
        items = [raw] if isinstance(raw, str) else list(raw)
        key = name.casefold()
        if key in LIST_PARAMS:
            target = LIST_PARAMS[key]
            for item in items:
                for part in item.split(","):
                    if not part.strip():
                        continue
                    found = (_town_key(part, choices.towns) if target == "towns"
                             else allowed[target].get(part.strip().casefold()))
                    if found is None:
                        unknown_values.append((name, part))
                    elif found not in values[target]:
                        values[target].append(found)
        elif key == LANG_PARAM:
            value = (items[-1] if items else "").strip().casefold()
            if value in UI_LANGUAGES:
                lang = value
            elif value:
                unknown_values.append((name, items[-1]))
        elif key == QUERY_PARAM:
            query = " ".join(items).strip()
        elif key == FRESHNESS_PARAM:
            value = (items[-1] if items else "").strip().casefold()
            if value in FRESHNESS:
                verified = value
            elif value:
                unknown_values.append((name, items[-1]))
        elif key == SERVING_PARAM:
            serving = bool(items) and items[-1].strip().casefold() in _TRUE
        elif key in PAGE_PARAMS:
            value = items[-1] if items else ""
            options = choices.pages.get(key)
            if options is not None:
                match = {o.casefold(): o for o in options}.get(value.strip().casefold())
                if match is None:
                    if value:
                        unknown_values.append((name, value))
                    continue
                value = match
            if value:
                page[key] = value
        else:
            unknown_params.append(name)
    spec = FilterSpec(**{f: tuple(v) for f, v in values.items()}, query=query,
                      include_serving=serving and bool(values["towns"]), verified=verified)
    return LinkState(spec=spec, lang=lang, page=page, unknown_params=tuple(unknown_params),
                     unknown_values=tuple(unknown_values))


def link_params(spec: FilterSpec, *, lang: str = "de", page: Mapping[str, str] | None = None
                ) -> dict[str, list[str]]:
    """The URL parameters of a view (inverse of :func:`parse_link`); defaults are left out."""
    out: dict[str, list[str]] = {}
    if lang != "de":
        out[LANG_PARAM] = [lang]
    for param, name in LIST_PARAMS.items():
        selected = getattr(spec, name)
        if selected:
            out[param] = list(selected)
    if spec.include_serving and spec.towns:
        out[SERVING_PARAM] = ["1"]
    if spec.query.strip():
        out[QUERY_PARAM] = [spec.query.strip()]
    if spec.verified:
        out[FRESHNESS_PARAM] = [spec.verified]
    for key, value in (page or {}).items():
        if value:
            out[key] = [value]
    return out
