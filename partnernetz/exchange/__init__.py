"""Exchange: the partner data in and out.

Out: CSV, XLSX, vCard (``export``), GeoJSON and GeoPackage (``gis``), HSDS 3.0
(``hsds``), for the partners a role may see (``selection``). In: CSV/XLSX
lists (``sources`` → ``mapping`` → ``entries`` → ``keys``/``duplicates`` →
``imports``/``preview``, run by ``importer`` through the registry's writer),
Schuldaten NRW (``msb``)
and reference populations (``reference``).

May import analysis, geo, registry, access, dataset and the top-level
helpers; never views or streamlit. Called by pages and cli only.
"""
