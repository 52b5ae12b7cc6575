"""Which NRW Kreis or kreisfreie Stadt a person means: by name ("Kreis Paderborn",
"Paderborn", "Bielefeld") or by its 5-digit key ("05774")."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from partnernetz.errors import OperationsError
from partnernetz.geo import gazetteer
from partnernetz.text import fold_text

_PREFIX = re.compile(r"^(?:kreisfreie stadt|kreis|stadt|landkreis)\s+")


@dataclass(frozen=True)
class RegionChoice:
    """One Kreis or kreisfreie Stadt: ``name`` as the registry writes it, ``kreis`` its key."""

    kreis: str
    name: str
    towns: int

    @property
    def is_city(self) -> bool:
        """A kreisfreie Stadt (one municipality of its own)."""
        return self.towns == 1


def region_name(kreis_name: str, towns: int) -> str:
    """The name a registry gives the region: "Kreis Paderborn", "Stadt Bielefeld",
    "Hochsauerlandkreis" (names that already say what they are stay as they are)."""
    lowered = kreis_name.lower()
    if "kreis" in lowered or "region" in lowered:
        return kreis_name
    return f"Stadt {kreis_name}" if towns == 1 else f"Kreis {kreis_name}"


def list_regions() -> list[RegionChoice]:
    """Every Kreis and kreisfreie Stadt of the gazetteer, by key."""
    frame = gazetteer.list_kreise()
    return [RegionChoice(str(k), region_name(str(n), int(t)), int(t))
            for k, n, t in zip(frame["kreis"], frame["kreis_name"], frame["towns"], strict=True)]


def _core(text: str) -> str:
    return _PREFIX.sub("", fold_text(text)).strip()


def find_region(query: str, regions: list[RegionChoice] | None = None) -> RegionChoice:
    """The region ``query`` names.

    Raises
    ------
    OperationsError
        Unknown or ambiguous, with the candidates ("meinten Sie …?").
    """
    regions = list_regions() if regions is None else regions
    text = " ".join((query or "").split())
    if not text:
        raise OperationsError("--region fehlt: bitte einen Kreis oder eine kreisfreie Stadt in NRW "
                              "angeben, z. B. \"Kreis Paderborn\" oder 05774")
    if re.fullmatch(r"\d{4,5}", text):
        key = text.zfill(5)
        for region in regions:
            if region.kreis == key:
                return region
        raise OperationsError(f"'{text}' ist kein Kreisschlüssel in NRW (05111 … 05978)")
    folded, core = fold_text(text), _core(text)
    exact = [r for r in regions if fold_text(r.name) == folded]
    if len(exact) == 1:
        return exact[0]
    same_core = [r for r in regions if _core(r.name) == core]
    if len(same_core) == 1:
        return same_core[0]
    candidates = same_core or [r for r in regions if core and core in _core(r.name)]
    # one candidate is taken only where the query is whole words of its name ("Ennepe",
    # "Siegen"); a part of a word is asked back ("Stadt": meinten Sie Städteregion Aachen?)
    whole = re.compile(rf"\b{re.escape(core)}\b") if core else None
    if len(candidates) == 1 and len(core) >= 4 and whole and whole.search(_core(candidates[0].name)):
        return candidates[0]
    if not candidates:
        names = {_core(r.name): r for r in regions}
        close = difflib.get_close_matches(core, list(names), n=3, cutoff=0.6)
        candidates = [names[c] for c in close]
    if candidates:
        listed = ", ".join(f"{r.name} ({r.kreis})" for r in candidates[:6])
        what = ("ist nicht eindeutig" if len(candidates) > 1
                else "ist kein Kreis und keine kreisfreie Stadt in NRW")
        raise OperationsError(f"'{text}' {what} – meinten Sie {listed}?")
    raise OperationsError(f"'{text}' ist kein Kreis und keine kreisfreie Stadt in NRW; "
                          "die Liste zeigt: python -m partnernetz towns nrw")
