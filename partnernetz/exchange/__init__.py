"""Exchange: the partner data in other formats (CSV, XLSX, vCard).

May import analysis, geo, registry and the top-level helpers; never views or
streamlit. Called by pages and cli only.
"""
