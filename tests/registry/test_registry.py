"""Registry validation: every class of error, with its line number."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from partnernetz.access import Role
from partnernetz.dataset import dataset_for_role, load_dataset, validate_registry
from partnernetz.errors import RegistryFileError, RegistryValidationError
from partnernetz.registry.report import Issue

TODAY = dt.date(2026, 11, 21)

GOOD = """\
- id: kita-sonnenschein-brakel
  name: Kita Sonnenschein
  category: kita
  town: Brakel
  address:
    street: Am Markt 1
    postcode: "33034"
  languages: [de, ar]
  email: kita@example.org
  website: https://example.org/kita
  verified: 2026-03-01
"""


def issues_for(path: Path) -> list[Issue]:
    return list(validate_registry(path, today=TODAY).issues)


def only(issues: list[Issue], field_suffix: str) -> Issue:
    found = [i for i in issues if i.field.endswith(field_suffix)]
    assert len(found) == 1, [i.format() for i in issues]
    return found[0]


def test_validate_passes_for_good_registry(write_registry):
    report = validate_registry(write_registry(GOOD), today=TODAY)
    assert report.ok, report.format()
    assert report.issues == ()


def test_yaml_syntax_error_reports_line_and_column(write_registry):
    path = write_registry(GOOD + "- id: x\n  name: [unclosed\n  town: Brakel\n")
    issues = issues_for(path)
    assert len(issues) == 1
    assert issues[0].line is not None and issues[0].line >= 16
    assert issues[0].column is not None
    assert "YAML-Syntaxfehler" in issues[0].message
    assert issues[0].format().startswith(f"{issues[0].file}:{issues[0].line}:{issues[0].column}: ")


def test_python_tag_is_error_and_never_executed(write_registry, tmp_path):
    marker = tmp_path / "pwned"
    text = GOOD + f"- !!python/object/apply:os.system ['touch {marker}']\n"
    issues = issues_for(write_registry(text))
    assert len(issues) == 1
    assert "nicht erlaubt" in issues[0].message
    assert issues[0].line == 16
    assert not marker.exists()


def test_wrong_type_reports_field_and_line(write_registry):
    issues = issues_for(write_registry(GOOD.replace("name: Kita Sonnenschein", "name: [1, 2]")))
    issue = only(issues, "partners[0].name")
    assert issue.line == 6
    assert "Text" in issue.message


def test_unknown_field_reports_line_of_key(write_registry):
    issues = issues_for(write_registry(GOOD + "  fax: '05272 1'\n"))
    issue = only(issues, "partners[0].fax")
    assert issue.line == 16
    assert "unbekanntes Feld 'fax'" in issue.message


def test_missing_field_reports_partner_line(write_registry):
    text = GOOD + "- id: ohne-name\n  category: kita\n  town: Brakel\n"
    issue = only(issues_for(write_registry(text)), "partners[1].name")
    assert issue.line == 16
    assert issue.message == "Pflichtfeld fehlt"


def test_duplicate_id_names_first_line(write_registry):
    text = GOOD + "- id: kita-sonnenschein-brakel\n  name: Zweite\n  category: kita\n  town: Brakel\n"
    issue = only(issues_for(write_registry(text)), "partners[1].id")
    assert issue.line == 16
    assert "doppelte id" in issue.message and "Zeile 5" in issue.message


def test_unknown_town_suggests_closest(write_registry):
    issue = only(issues_for(write_registry(GOOD.replace("town: Brakel", "town: Hoxtr"))), ".town")
    assert issue.line == 8
    assert "unbekannter Ort 'Hoxtr'" in issue.message
    assert "meinten Sie Höxter?" in issue.message


def test_town_outside_region_names_its_kreis(write_registry):
    issue = only(issues_for(write_registry(GOOD.replace("town: Brakel", "town: Paderborn"))), ".town")
    assert "nicht in der Region Kreis Höxter" in issue.message
    assert "Paderborn" in issue.message


@pytest.mark.parametrize("spelling", ["Hoexter", "höxter", "HÖXTER", "05762020", "Höxter"])
def test_town_spellings_resolve_to_hoexter(write_registry, spelling):
    text = GOOD.replace("town: Brakel", f'town: "{spelling}"').replace('"33034"', '"37671"')
    dataset = load_dataset(write_registry(text), today=TODAY)
    assert dataset.partners.loc[0, "town"] == "Höxter"
    assert dataset.partners.loc[0, "town_ags"] == "05762020"


@pytest.mark.parametrize(
    ("old", "new", "field", "expected"),
    [
        ("email: kita@example.org", "email: kita-at-example.org", "partners[0].email",
         "'kita-at-example.org' ist keine gültige E-Mail-Adresse"),
        ("website: https://example.org/kita", "website: 'ht!tp://nix'", "partners[0].website",
         "keine gültige Web-Adresse"),
        ('postcode: "33034"', 'postcode: "3303"', "partners[0].address.postcode",
         "'3303' ist keine gültige Postleitzahl"),
        ("languages: [de, ar]", "languages: [de, arabic]", "partners[0].languages[1]",
         "'arabic' ist kein Sprachcode nach ISO 639-1"),
        ("category: kita", "category: kitta", "partners[0].category",
         "unbekannte Kategorie 'kitta' – meinten Sie kita?"),
        ("verified: 2026-03-01", "verified: 2027-01-01", "partners[0].verified",
         "liegt in der Zukunft"),
        ("email: kita@example.org", "phone: 'call me'", "partners[0].phone",
         "'call me' ist keine gültige Telefonnummer"),
        ("email: kita@example.org", "phone: 527112345", "partners[0].phone",
         "in Anführungszeichen"),
        ("id: kita-sonnenschein-brakel", "id: Kita Sonnenschein", "partners[0].id",
         "keine gültige id"),
    ],
)
def test_invalid_value_reports_german_message_with_line(write_registry, old, new, field, expected):
    path = write_registry(GOOD.replace(old, new))
    issue = only(issues_for(path), field)
    assert expected in issue.message
    lines = path.read_text().splitlines()
    line_of_value = next(i for i, text in enumerate(lines, 1) if new in text)
    assert issue.line == line_of_value
    assert issue.format().startswith(f"{issue.file}:{line_of_value}: {field}: ")


def test_all_errors_reported_in_one_pass(write_registry):
    text = (
        GOOD.replace("email: kita@example.org", "email: nope")
        + "- id: b\n  name: B\n  category: unknown\n  town: Nirgendwo\n"
        + "- id: c\n  name: C\n  category: kita\n  town: Brakel\n  verified: 2030-01-01\n"
    )
    report = validate_registry(write_registry(text), today=TODAY)
    fields = sorted(issue.field for issue in report.errors)
    assert fields == ["partners[0].email", "partners[1].category", "partners[1].town",
                      "partners[2].verified"]


def test_coordinates_outside_region_are_error(write_registry):
    text = GOOD + "  location: {lat: 52.52, lon: 13.40}\n"
    issue = only(issues_for(write_registry(text)), "partners[0].location")
    assert issue.severity == "error"
    assert "außerhalb der Region Kreis Höxter" in issue.message
    assert issue.line == 16


def test_swapped_coordinates_get_hint(write_registry):
    text = GOOD + "  location: {lat: 9.1844, lon: 51.7168}\n"
    issue = only(issues_for(write_registry(text)), "partners[0].location")
    assert "vertauscht" in issue.message


def test_location_in_other_town_is_warning(write_registry):
    text = GOOD + "  location: {lat: 51.7757, lon: 9.3816}\n"  # Höxter, declared Brakel
    report = validate_registry(write_registry(text), today=TODAY)
    assert report.ok
    (issue,) = report.warnings
    assert issue.field == "partners[0].location"
    assert "liegen in Höxter, nicht im angegebenen Ort Brakel" in issue.message
    assert issue.format().split(":")[1] == "16"
    assert "Warnung" in issue.format()


def test_duplicate_key_is_reported(write_registry):
    issue = only(issues_for(write_registry(GOOD + "  email: zwei@example.org\n")), "email")
    assert issue.line == 16
    assert "doppelt" in issue.message


def test_unknown_kreis_is_error(write_registry):
    header = "region:\n  name: Nirgendwo\n  kreis: \"05999\"\npartners:\n"
    issue = only(issues_for(write_registry(GOOD, header=header)), "region.kreis")
    assert issue.line == 3


@pytest.mark.parametrize("kreis", ["05762", "5762"])
def test_unquoted_kreis_key_keeps_leading_zero(write_registry, kreis):
    header = f"region:\n  name: Kreis Höxter\n  kreis: {kreis}\npartners:\n"
    dataset = load_dataset(write_registry(GOOD, header=header), today=TODAY)
    assert dataset.region.kreis == "05762"


def test_unquoted_town_key_keeps_leading_zero(write_registry):
    dataset = load_dataset(write_registry(GOOD.replace("town: Brakel", "town: 05762016")), today=TODAY)
    assert dataset.partners.loc[0, "town_ags"] == "05762016"


def test_number_of_wrong_size_as_key_asks_for_quotes(write_registry):
    header = "region:\n  name: Kreis Höxter\n  kreis: 123\npartners:\n"
    issue = only(issues_for(write_registry(GOOD, header=header)), "region.kreis")
    assert "Anführungszeichen" in issue.message


def test_custom_category_is_accepted(write_registry):
    header = (
        "region:\n  name: Kreis Höxter\n  kreis: \"05762\"\n"
        "categories:\n  sport:\n    label: Sportvereine\n    colour: '#117733'\n    icon: sport\n"
        "partners:\n"
    )
    dataset = load_dataset(write_registry(GOOD.replace("category: kita", "category: sport"),
                                          header=header), today=TODAY)
    assert dataset.categories["sport"].label_de == "Sportvereine"
    assert dataset.partners.loc[0, "category"] == "sport"


def test_missing_file_is_unusable(tmp_path):
    with pytest.raises(RegistryFileError, match="nicht gefunden"):
        validate_registry(tmp_path / "nope.yaml")


def test_binary_file_is_unusable(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\x00\x01\x02")
    with pytest.raises(RegistryFileError, match="keine Textdatei"):
        validate_registry(path)


def test_load_dataset_raises_with_full_report(write_registry):
    path = write_registry(GOOD.replace("email: kita@example.org", "email: nope"))
    with pytest.raises(RegistryValidationError) as info:
        load_dataset(path, today=TODAY)
    assert len(info.value.report.errors) == 1
    assert "keine gültige E-Mail-Adresse" in str(info.value)


def test_partner_frame_for_public_hides_notes_and_internal_contacts(write_registry):
    text = GOOD + (
        "  notes: nur intern\n"
        "  contacts:\n"
        "    - {name: Mara Beispiel, role: Leitung, visibility: public, email: mara@example.org}\n"
        "    - {name: Geheim Person, role: intern}\n"
    )
    full = load_dataset(write_registry(text), today=TODAY)
    assert full.partners.loc[0, "notes"] == "nur intern"  # kept for the roles that may see it
    frame = dataset_for_role(full, Role.PUBLIC).partners
    assert frame["notes"].isna().all()
    contacts = frame.loc[0, "contacts"]
    assert [c["name"] for c in contacts] == ["Mara Beispiel"]
    assert "Geheim" not in frame.drop(columns="geometry").astype(str).to_string()


def test_partner_frame_has_contract_columns(write_registry):
    frame = load_dataset(write_registry(GOOD), today=TODAY).partners
    for column in ("id", "name", "category", "town", "town_ags", "ags", "serves", "serves_all",
                   "lat", "lon", "precision", "geometry", "verified", "languages"):
        assert column in frame.columns
    assert frame.crs.to_epsg() == 4326
    assert frame.loc[0, "serves"] == ("05762016",)
    point = frame.geometry.iloc[0]
    assert (point.x, point.y) == (frame.loc[0, "lon"], frame.loc[0, "lat"])


def test_serves_all_expands_to_every_town(write_registry):
    frame = load_dataset(write_registry(GOOD + "  serves: all\n"), today=TODAY).partners
    assert frame.loc[0, "serves_all"]
    assert len(frame.loc[0, "serves"]) == 10


def test_serves_list_resolves_names(write_registry):
    frame = load_dataset(write_registry(GOOD + "  serves: [Brakel, Nieheim, '05762020']\n"),
                         today=TODAY).partners
    assert frame.loc[0, "serves"] == ("05762016", "05762028", "05762020")


def test_serves_unknown_town_is_error(write_registry):
    issue = only(issues_for(write_registry(GOOD + "  serves: [Brakel, Atlantis]\n")),
                 "partners[0].serves[1]")
    assert "unbekannter Ort 'Atlantis'" in issue.message
    assert issue.line == 16


def test_yes_no_booleans_are_accepted_for_accessible(write_registry):
    frame = load_dataset(write_registry(GOOD + "  accessible: yes\n"), today=TODAY).partners
    assert frame.loc[0, "accessible"] == "yes"


def test_dataset_cache_returns_equal_dataset(write_registry, tmp_path):
    path = write_registry(GOOD)
    first = load_dataset(path, today=TODAY, cache_dir=tmp_path / "cache")
    assert list((tmp_path / "cache").glob("dataset-*.pickle"))
    second = load_dataset(path, today=TODAY, cache_dir=tmp_path / "cache")
    assert second.content_hash == first.content_hash
    assert second.partners.equals(first.partners)
    path.write_text(path.read_text().replace("Kita Sonnenschein", "Kita Regenbogen"))
    third = load_dataset(path, today=TODAY, cache_dir=tmp_path / "cache")
    assert third.partners.loc[0, "name"] == "Kita Regenbogen"


def test_invalid_partner_still_gets_reference_checks(write_registry):
    text = GOOD.replace("email: kita@example.org", "email: nope").replace("town: Brakel", "town: Hxter")
    text += "- id: kita-sonnenschein-brakel\n  name: Zweite\n  category: kita\n  town: Brakel\n"
    fields = sorted(i.field for i in validate_registry(write_registry(text), today=TODAY).errors)
    assert fields == ["partners[0].email", "partners[0].town", "partners[1].id"]


def test_merge_keys_read_like_fast_path(write_registry):
    """A merge key sends the file through libyaml; the result is the same data."""
    plain = load_dataset(write_registry(GOOD), today=TODAY).partners
    merged_text = GOOD.replace("- id: kita-sonnenschein-brakel\n", "- <<: {id: kita-sonnenschein-brakel}\n")
    merged = load_dataset(write_registry(merged_text, name="merged.yaml"), today=TODAY).partners
    columns = [c for c in plain.columns if c != "geometry"]
    assert merged[columns].astype(str).equals(plain[columns].astype(str))


def test_unquoted_phone_with_leading_zero_stays_text(write_registry):
    frame = load_dataset(write_registry(GOOD + "  phone: 0527112345\n"), today=TODAY).partners
    assert frame.loc[0, "phone"] == "0527112345"


@pytest.mark.parametrize(
    ("spelling", "official"),
    [("Hoxter", "Höxter"), ("hoexter", "Höxter"), ("BRAKEL", "Brakel"), ("Bad-Driburg", "Bad Driburg"),
     ("Stadt Brakel", "Brakel"), ("Bad Driburg, Stadt", "Bad Driburg")],
)
def test_misspelt_town_is_accepted_with_a_warning_naming_line_and_official_name(
        write_registry, spelling, official):
    path = write_registry(GOOD.replace("town: Brakel", f'town: "{spelling}"').replace(
        'postcode: "33034"', 'postcode: "33014"' if "Driburg" in official else 'postcode: "33034"'))
    report = validate_registry(path, today=TODAY)
    assert report.ok
    (warning,) = report.warnings
    assert warning.field == "partners[0].town"
    assert warning.line == 8  # the line of "town:"
    assert warning.message == (f"Ort '{spelling}' als '{official}' erkannt – bitte amtliche "
                               "Schreibweise verwenden")
    assert len(load_dataset(path, today=TODAY).partners) == 1  # a warning keeps the partner


@pytest.mark.parametrize("spelling", ["Brakel", "05762016", "5762016"])
def test_official_town_spelling_gives_no_warning(write_registry, spelling):
    path = write_registry(GOOD.replace("town: Brakel", f'town: "{spelling}"'))
    assert validate_registry(path, today=TODAY).issues == ()


def test_misspelt_served_town_warns_too(write_registry):
    path = write_registry(GOOD + "  serves: [Brakel, nieheim]\n")
    (warning,) = validate_registry(path, today=TODAY).warnings
    assert warning.field == "partners[0].serves[1]"
    assert "'nieheim' als 'Nieheim' erkannt" in warning.message
