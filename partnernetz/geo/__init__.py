"""Geo: where partners and towns are.

Holds the gazetteer (towns, boundaries, population), the offline geocoding of
partner addresses and the town-name resolution used by the registry check.
May import the registry and the top-level helpers; never analysis, views or exchange.
"""
