"""The registry's JSON Schema, generated from the pydantic models.

Editors with yaml-language-server validate and complete ``partners.yaml``
against ``schema/partners.schema.json`` (see docs/registry.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from partnernetz.registry.models import Registry
from partnernetz.registry.vocabulary import DEFAULT_CATEGORIES

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "partners.schema.json"
SCHEMA_ID = "https://example.org/partnernetz/partners.schema.json"


def build_registry_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a registry file."""
    schema = Registry.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "Partnernetz-Registry"
    schema["description"] = (
        "Partner der Kommunalen Integrationszentren (partners.yaml). "
        "Generated from partnernetz.registry.models; do not edit by hand."
    )
    partner = schema["$defs"]["Partner"]["properties"]
    partner["category"]["examples"] = list(DEFAULT_CATEGORIES)
    partner["category"]["description"] += (
        " (Standard: " + ", ".join(DEFAULT_CATEGORIES) + "; eigene unter categories:)"
    )
    return schema


def render_registry_schema() -> str:
    """The schema as the text committed to ``schema/partners.schema.json``."""
    return json.dumps(build_registry_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
