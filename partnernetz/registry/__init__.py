"""The registry: the data model and the file.

Holds the pydantic models and vocabulary, reading the YAML with line numbers
(``parse``), the checks (``check``), the validation report (``report``) and the
JSON schema. May import only the top-level helpers (errors, files, text);
never geo, analysis, views or exchange.
"""
