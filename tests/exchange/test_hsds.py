"""HSDS 3.0 exports validate against the official schemas (../shared/reference/hsds-3.0)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from partnernetz.dataset import load_dataset
from partnernetz.exchange import hsds
from tests.conftest import DEMO_HSK, DEMO_HX, REFERENCE

SCHEMAS = REFERENCE / "hsds-3.0"
pytestmark = pytest.mark.skipif(not SCHEMAS.exists(), reason="../shared/reference not present")


@pytest.fixture(scope="module")
def validators():
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = [(p.name, Resource.from_contents(json.loads(p.read_text(encoding="utf-8")),
                                                 default_specification=DRAFT202012))
                 for p in SCHEMAS.glob("*.json") if p.name != "openapi.json"]
    registry = Registry().with_resources(resources)

    def make(name: str) -> Draft202012Validator:
        schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())

    return make


@pytest.mark.parametrize("path", [DEMO_HX, DEMO_HSK])
def test_hsds_json_every_record_validates(validators, path) -> None:
    dataset = load_dataset(path, cache_dir="off")
    document = json.loads(hsds.hsds_json_bytes(dataset))
    services = document["services"]
    assert len(services) == len(dataset.partners)
    service = validators("service.json")
    for record in services:
        errors = [f"{e.json_path}: {e.message}" for e in service.iter_errors(record)]
        assert errors == [], record["name"]
    for name, key in (("taxonomy_term.json", "taxonomy_terms"), ("taxonomy.json", "taxonomies")):
        validator = validators(name)
        assert all(validator.is_valid(r) for r in document[key])
    areas = {a["extent"] for s in services for a in s["service_areas"]}
    assert areas <= set(dataset.towns["ags"]) and all(a["extent_type"] == "ags"
                                                        for s in services for a in s["service_areas"])
    verified = dataset.partners.set_index("name")["verified"].dropna()
    dated = {s["name"]: s["assured_date"] for s in services if "assured_date" in s}
    assert dated and all(dated[n] == v.isoformat() for n, v in verified.items() if n in dated)


def test_hsds_schema_check_catches_nested_errors(validators) -> None:
    dataset = load_dataset(DEMO_HX, cache_dir="off")
    record = json.loads(hsds.hsds_json_bytes(dataset))["services"][0]
    service = validators("service.json")
    location = record["service_at_locations"][0]["location"]
    location["location_type"] = "somewhere"  # not in the enum of location.json
    assert not service.is_valid(record)


def test_hsds_datapackage_every_row_validates(validators) -> None:
    dataset = load_dataset(DEMO_HX, cache_dir="off")
    tabular = json.loads((SCHEMAS / "compiled" / "tabular.json").read_text(encoding="utf-8"))
    from jsonschema import Draft202012Validator, FormatChecker

    with zipfile.ZipFile(io.BytesIO(hsds.hsds_datapackage_zip(dataset))) as archive:
        package = json.loads(archive.read("datapackage.json"))
        assert package["profile"] == "tabular-data-package"
        counts = {}
        for resource in package["resources"]:
            schema = tabular["properties"][resource["name"]]["items"]
            validator = Draft202012Validator(schema, format_checker=FormatChecker())
            types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
            assert set(types) <= set(schema["properties"])
            rows = list(csv.DictReader(io.StringIO(archive.read(resource["path"]).decode())))
            counts[resource["name"]] = len(rows)
            for row in rows:
                record = {k: float(v) if types[k] == "number" else v for k, v in row.items() if v}
                errors = [e.message for e in validator.iter_errors(record)]
                assert errors == [], (resource["name"], record)
    assert counts["organization"] == counts["service"] == counts["location"] == len(dataset.partners)
    assert counts["service_area"] >= len(dataset.partners)


@pytest.mark.parametrize("parts", [("service", "kita-sonne-brakel"), ("contact", "beratung-höxter", "0"),
                                   ("area", "x", "05762016"), ("term", "gruppe", "مقهى"), ("",)])
def test_hsds_ids_are_uuid5_of_the_namespace(parts) -> None:
    import uuid

    from partnernetz.exchange.hsds import NAMESPACE, _uid

    assert _uid(*parts) == str(uuid.uuid5(NAMESPACE, "/".join(parts)))
