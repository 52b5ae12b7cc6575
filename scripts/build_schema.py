"""Write schema/partners.schema.json from the pydantic models.

Usage: .venv/bin/python scripts/build_schema.py
A test checks that the committed file matches the models.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from partnernetz.files import write_text_atomically
from partnernetz.registry.schema import SCHEMA_PATH, render_registry_schema

if __name__ == "__main__":
    write_text_atomically(SCHEMA_PATH, render_registry_schema())
    print(f"wrote {SCHEMA_PATH}")
