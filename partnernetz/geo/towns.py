"""Towns: resolving the town names of the registry against the gazetteer.

:class:`GazetteerTowns` is the town source that :func:`partnernetz.registry.check.check_registry`
is given by :mod:`partnernetz.dataset`.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import geopandas as gpd

from partnernetz.geo import gazetteer, townnames
from partnernetz.registry.models import Region


class GazetteerTowns:
    """The towns of the gazetteer, as :class:`partnernetz.registry.check.TownSource`."""

    def __init__(self, gazetteer_path: Path | None = None, population_path: Path | None = None) -> None:
        self.gazetteer_path = gazetteer_path
        self.population_path = population_path

    def load(self, kreis: str) -> gpd.GeoDataFrame:
        """The towns of ``kreis``."""
        return load_region_towns(kreis, self.gazetteer_path, self.population_path)

    def resolver(self, towns: gpd.GeoDataFrame, region: Region) -> TownResolver:
        """A resolver of town names against ``towns``."""
        return TownResolver(towns, region, self.gazetteer_path)


def load_region_towns(
    kreis: str, gazetteer_path: Path | None, population_path: Path | None
) -> gpd.GeoDataFrame:
    """The towns of ``kreis`` from the given (or the default) gazetteer files."""
    kwargs: dict[str, Path] = {}
    if gazetteer_path is not None:
        kwargs["gazetteer_path"] = gazetteer_path
    if population_path is not None:
        kwargs["population_path"] = population_path
    return gazetteer.load_towns(kreis, **kwargs)


class TownResolver:
    """Resolves town references once per distinct spelling."""

    def __init__(self, towns: gpd.GeoDataFrame, region: Region, gazetteer_path: Path | None) -> None:
        self.towns = towns
        self.region = region
        self.gazetteer_path = gazetteer_path
        self._cache: dict[str, str | None] = {}

    def resolve(self, name: str) -> str | None:
        if name not in self._cache:
            self._cache[name] = townnames.resolve_town(name, self.towns)
        return self._cache[name]

    def variant(self, name: str, ags: str) -> str | None:
        """The warning for a variant spelling of a town ("Hoxter" for Höxter), else None."""
        official = self._names[ags]
        if townnames.official_spelling(name, official):
            return None
        return f"Ort '{name}' als '{official}' erkannt – bitte amtliche Schreibweise verwenden"

    @cached_property
    def _names(self) -> dict[str, str]:
        return dict(zip(self.towns["ags"], self.towns["name"], strict=True))

    @cached_property
    def _all_nrw(self) -> gpd.GeoDataFrame:
        return load_region_towns("nrw", self.gazetteer_path, None)

    def explain(self, name: str) -> str:
        """Why ``name`` is not a town of the region, with a suggestion."""
        all_nrw = self._all_nrw
        elsewhere = townnames.resolve_town(name, all_nrw)
        if elsewhere is not None:
            row = all_nrw.loc[all_nrw["ags"] == elsewhere].iloc[0]
            return (
                f"'{name}' ({row['name']}) liegt nicht in der Region {self.region.name}, "
                f"sondern im Kreis {row['kreis_name']}"
            )
        message = f"unbekannter Ort '{name}'"
        hint = townnames.suggest_town(name, self.towns)
        if hint:
            message += f" – meinten Sie {hint}?"
        return message
