"""Search as people type: typing tolerance, a vocabulary of abbreviations, phone numbers.

:class:`SearchIndex` is built once per dataset (the app caches it in
``app_pages/cached.py``); :meth:`SearchIndex.search` answers a query in a few
milliseconds. The vocabulary is ``synonyms.yaml`` beside this module, extended by a
registry's ``search_synonyms:``. A top-level helper: imports only ``text`` and ``errors``.
"""

from partnernetz.search.index import (
    FIELD_WEIGHTS,
    QueryUnit,
    SearchIndex,
    SearchResult,
    normalise_phone,
    parse_query,
)
from partnernetz.search.synonyms import SYNONYMS_PATH, SynonymTable, load_synonyms, synonym_table

__all__ = [
    "FIELD_WEIGHTS",
    "SYNONYMS_PATH",
    "QueryUnit",
    "SearchIndex",
    "SearchResult",
    "SynonymTable",
    "load_synonyms",
    "normalise_phone",
    "parse_query",
    "synonym_table",
]
