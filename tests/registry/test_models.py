"""The pydantic models of the registry: single values and their German messages."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
import ryaml
from pydantic import ValidationError

from partnernetz.registry.models import Contact, Partner, Region, Registry, Target
from partnernetz.registry.schema import SCHEMA_PATH, build_registry_schema, render_registry_schema
from tests.conftest import DEMO_HSK, DEMO_HX

BASE = {"id": "kita-a", "name": "Kita A", "category": "kita", "town": "Brakel"}


def errors(**fields: object) -> list[dict]:
    with pytest.raises(ValidationError) as info:
        Partner.model_validate({**BASE, **fields})
    return info.value.errors()


def test_partner_defaults_fill_optional_fields():
    partner = Partner.model_validate(BASE)
    assert partner.status == "active"
    assert partner.accessible == "unknown"
    assert partner.stages == [] and partner.contacts == []
    assert partner.serves is None


def test_partner_is_frozen_and_forbids_extra():
    partner = Partner.model_validate(BASE)
    with pytest.raises(ValidationError):
        partner.name = "x"  # type: ignore[misc]
    (error,) = errors(fax="1")
    assert error["type"] == "extra_forbidden"


@pytest.mark.parametrize("value", ["a@example.org", "mara.beispiel+kita@stadt-höxter.de"])
def test_email_accepts_valid_addresses(value):
    assert Partner.model_validate({**BASE, "email": value}).email == value


@pytest.mark.parametrize("value", ["a@", "a@b", "a b@c.de", "a..b@c.de", "@example.org"])
def test_email_rejects_invalid_addresses(value):
    (error,) = errors(email=value)
    assert error["msg"] == f"'{value}' ist keine gültige E-Mail-Adresse"


def test_website_without_scheme_gets_https():
    assert Partner.model_validate({**BASE, "website": "www.example.org"}).website == \
        "https://www.example.org"


@pytest.mark.parametrize(("given", "expected"), [("33034", "33034"), (33034, "33034"), (1067, "01067")])
def test_postcode_normalised_to_five_digits(given, expected):
    partner = Partner.model_validate({**BASE, "address": {"postcode": given}})
    assert partner.address.postcode == expected


@pytest.mark.parametrize("given", [True, "yes"])
def test_accessible_accepts_yaml_booleans(given):
    assert Partner.model_validate({**BASE, "accessible": given}).accessible == "yes"


def test_languages_checked_item_by_item():
    (error,) = errors(languages=["de", "xx"])
    assert error["loc"] == ("languages", 1)


def test_stage_outside_vocabulary_is_rejected():
    (error,) = errors(stages=["kita"])
    assert error["type"] == "literal_error"


def test_contact_visibility_defaults_to_internal():
    assert Contact.model_validate({"name": "Mara Beispiel"}).visibility == "internal"


def test_region_kreis_needs_five_digits():
    with pytest.raises(ValidationError):
        Region.model_validate({"name": "X", "kreis": "5762x"})


def test_target_rejects_negative_minimum():
    with pytest.raises(ValidationError):
        Target.model_validate({"min_reachable": -1})


def test_verified_must_be_a_date():
    (error,) = errors(verified="gestern")
    assert error["type"].startswith("date")


def test_committed_schema_matches_models():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_registry_schema(), (
        "schema/partners.schema.json is stale: run scripts/build_schema.py"
    )


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", [DEMO_HX, DEMO_HSK], ids=["hoexter", "hsk"])
def test_demo_registry_satisfies_json_schema(path):
    data = _jsonable(ryaml.loads(path.read_text(encoding="utf-8")))
    jsonschema.Draft202012Validator(build_registry_schema()).validate(data)
    assert Registry.model_validate(data).partners


def test_schema_rejects_unknown_partner_field():
    data = {"region": {"name": "X", "kreis": "05762"}, "partners": [{**BASE, "fax": "1"}]}
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    assert list(validator.iter_errors(data))


def test_translations_accept_the_guide_languages():
    partner = Partner.model_validate({**BASE, "offers": ["Elterncafé", "Sprachkurs"], "translations": {
        "ar": {"description": "وصف", "offers": ["مقهى الآباء", "دورة لغة"]},
        "uk": {"opening_hours": "Пн 8–12"},
    }})
    assert partner.translations["ar"].offers == ["مقهى الآباء", "دورة لغة"]
    assert partner.translations["uk"].description is None


def test_translations_reject_an_unknown_language():
    found = errors(translations={"xx": {"description": "?"}})
    assert "'xx' ist keine Sprache für Übersetzungen" in found[0]["msg"]
    assert "ar, tr" in found[0]["msg"]


def test_translations_keep_the_length_limits():
    found = errors(translations={"tr": {"description": "x" * 5001}})
    assert found[0]["loc"] == ("translations", "tr", "description")
    assert "5000" in found[0]["msg"]


def test_translations_of_offers_must_match_the_offers_in_number():
    found = errors(offers=["Elterncafé"], translations={"en": {"offers": ["Parents' café", "More"]}})
    assert "2 Angebote übersetzt, der Eintrag hat 1" in found[0]["msg"]


def test_translations_forbid_other_fields():
    found = errors(translations={"en": {"notes": "internal"}})
    assert found[0]["type"] == "extra_forbidden"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_optional_text_is_absent_not_a_crash(value):
    """``operator:`` or ``description: ""`` is an absent value (it raised TypeError before)."""
    partner = Partner.model_validate({**BASE, "operator": value, "description": value,
                                      "opening_hours": value})
    assert partner.operator is None and partner.description is None
    assert partner.opening_hours is None
    region = Region.model_validate({"name": "Kreis Paderborn", "kreis": "05774", "sender": value})
    assert region.sender is None
    # what the dataset cache stores of a region is read back as the same region
    assert Region.model_validate(region.model_dump(mode="json")) == region


@pytest.mark.parametrize(("field", "limit"), [("operator", 200), ("opening_hours", 1000),
                                              ("description", 5000)])
def test_optional_text_over_its_limit_is_refused(field, limit):
    assert Partner.model_validate({**BASE, field: "x" * limit})
    (error,) = errors(**{field: "x" * (limit + 1)})
    assert error["type"] == "string_too_long"
