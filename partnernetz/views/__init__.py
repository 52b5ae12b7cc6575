"""Views: what the app and the report show (HTML, folium maps, tables, PDF).

Maps (payload, folium assembly, choropleth), partner cards, coverage tables and
the PDF report; static files in ``assets/``. May import analysis, geo, registry
and the top-level helpers; never exchange or streamlit. Called by pages and cli only.
"""
