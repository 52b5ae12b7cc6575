"""Unit tests of the partner map, the choropleth and the contact card (no browser).

Node (if installed) runs ``partnernetz/views/assets/partner_map.js`` to check that
the popup the browser draws is the same card the directory shows.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from partnernetz.registry.vocabulary import DEFAULT_CATEGORIES, ICONS, language_name
from partnernetz.views.cards import (
    CARD_FIELDS,
    FALLBACK_COLOUR,
    card_context,
    card_field_order,
    render_card,
    render_contact_card,
)
from partnernetz.views.choropleth import (
    NO_DATA_COLOUR,
    SEQUENTIAL,
    build_choropleth_map,
    format_number,
    scale_colour,
)
from partnernetz.views.icons import known_icons
from partnernetz.views.map_payload import partner_payload, script_json, towns_geojson
from partnernetz.views.map_widget import BASEMAPS, clicked_town, st_folium_kwargs
from partnernetz.views.maps import DATA_ATTRIBUTION, build_partner_map
from partnernetz.views.records import RECORD_KEYS, card_record, records_from_columns
from tests.synthetic_map_data import full_row, make_partners, make_towns, st_folium_args

ROOT = Path(__file__).resolve().parents[2]
URL_RE = re.compile(r"https?://[^\s\"'<>\\)]+")
NODE = shutil.which("node")


@pytest.fixture(scope="module")
def towns():
    return make_towns()


@pytest.fixture(scope="module")
def partners():
    return make_partners(40)


def render(fmap) -> str:
    return fmap.get_root().render()


def urls(html: str) -> set[str]:
    return set(URL_RE.findall(html))


def run_node(script: str, payload: object) -> object:
    lib = ROOT / "partnernetz" / "views" / "assets" / "partner_map.js"
    code = f"require({json.dumps(str(lib))});\n" + script
    result = subprocess.run(
        [NODE, "-e", code], input=json.dumps(payload), capture_output=True, text=True,
        timeout=60, check=True,
    )
    return json.loads(result.stdout)


def as_json(value: object) -> object:
    return json.loads(json.dumps(value))


# ---------------------------------------------------------------------------
# Self-hosted assets, no CDN


def test_no_external_url_in_html_basemap_none(partners, towns):
    quiet = partners.assign(website=None)

    html = render(build_partner_map(quiet, towns, DEFAULT_CATEGORIES, basemap="none"))

    assert urls(html) == set()


@pytest.mark.parametrize("basemap", ["osm", "basemapde"])
def test_only_tile_server_and_partner_links_in_html_with_basemap(partners, towns, basemap):
    spec = BASEMAPS[basemap]

    html = render(build_partner_map(partners, towns, DEFAULT_CATEGORIES, basemap=basemap))

    allowed = {spec.url, *spec.links, *partners["website"].dropna()}
    assert urls(html) - allowed == set()
    assert spec.url in html


def test_no_cdn_host_anywhere_in_html_or_st_folium_args(partners, towns):
    fmap = build_partner_map(partners, towns, DEFAULT_CATEGORIES, basemap="osm")
    args = st_folium_args(fmap, **st_folium_kwargs(key="k"))

    text = render(fmap) + json.dumps(args)

    for cdn in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "unpkg", "d3js.org",
                "googleapis", "fontawesome"):
        assert cdn not in text


def test_self_hosted_asset_urls_present_and_files_exist(partners, towns):
    html = render(build_partner_map(partners, towns, DEFAULT_CATEGORIES, basemap="none"))

    links = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert links, "no script or style sheet linked"
    for link in links:
        assert link.startswith("/app/static/vendor/")
        assert (ROOT / "static" / link.removeprefix("/app/static/")).is_file(), link
    assert "/app/static/vendor/leaflet/leaflet.js" in links
    assert "/app/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in links
    assert 'L.Icon.Default.imagePath = "/app/static/vendor/leaflet/images/"' in html


def test_st_folium_loads_only_self_hosted_links_in_order(partners, towns):
    fmap = build_partner_map(partners, towns, DEFAULT_CATEGORIES, basemap="none")

    args = st_folium_args(fmap, **st_folium_kwargs(key="k"))

    assert args["js_links"] == [
        "/app/static/vendor/leaflet/leaflet.js",
        "/app/static/vendor/jquery/jquery.min.js",
        "/app/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
    ]
    assert all(link.startswith("/app/static/vendor/") for link in args["css_links"])
    assert urls(args["header"] + args["html"]) == set()


def test_vendor_licences_committed_next_to_files():
    vendor = ROOT / "static" / "vendor"

    assert (vendor / "leaflet" / "LICENSE").is_file()
    assert (vendor / "leaflet.markercluster" / "MIT-LICENCE.txt").is_file()
    assert (vendor / "jquery" / "LICENSE.txt").is_file()
    assert "1.9.4" in (vendor / "leaflet" / "leaflet.js").read_text()[:200]


def test_static_serving_enabled_and_usage_stats_off():
    config = (ROOT / ".streamlit" / "config.toml").read_text()

    assert re.search(r"(?m)^enableStaticServing\s*=\s*true", config)
    assert re.search(r"(?m)^gatherUsageStats\s*=\s*false", config)


def test_unknown_basemap_raises_value_error(partners, towns):
    with pytest.raises(ValueError, match="basemap"):
        build_partner_map(partners, towns, DEFAULT_CATEGORIES, basemap="google")


# ---------------------------------------------------------------------------
# Scale: one payload, small


def test_payload_under_1_mb_at_2000_partners(towns):
    many = make_partners(2000)

    html = render(build_partner_map(many, towns, DEFAULT_CATEGORIES, basemap="osm"))

    assert len(html.encode("utf-8")) < 1_000_000


def test_map_code_does_not_grow_with_partner_count(towns):
    few = build_partner_map(make_partners(10), towns, DEFAULT_CATEGORIES)
    many = build_partner_map(make_partners(500), towns, DEFAULT_CATEGORIES)

    assert render(many).count("L.marker(") == render(few).count("L.marker(")
    assert len(many._children) == len(few._children) < 10


def test_language_names_sent_once_as_lookup(towns):
    many = make_partners(300).assign(languages=[("ar", "uk")] * 300)

    html = render(build_partner_map(many, towns, DEFAULT_CATEGORIES))

    assert html.count("Arabisch") == 1
    assert html.count('"ar"') == 2  # once in the combination table, once in the name lookup


def test_coordinates_rounded_to_5_decimals(towns):
    one = make_partners(3).assign(lat=51.712345678, lon=9.187654321)

    payload = partner_payload(one, DEFAULT_CATEGORIES)

    assert payload["lat"] == [51.71235] * 3
    assert payload["lon"] == [9.18765] * 3


def test_partner_without_coordinates_left_out(towns):
    some = make_partners(5)
    some.loc[2, "lat"] = float("nan")

    payload = partner_payload(some, DEFAULT_CATEGORIES)

    assert payload["n"] == 4
    assert some.loc[2, "id"] not in payload["columns"]["id"]


def test_unknown_category_drawn_with_fallback_colour(towns):
    odd = make_partners(3).assign(category="sonstiges")

    payload = partner_payload(odd, DEFAULT_CATEGORIES)

    assert [c["key"] for c in payload["categories"]] == ["sonstiges"]
    assert payload["categories"][0]["colour"] == FALLBACK_COLOUR


def test_jinja_syntax_in_partner_text_is_not_evaluated(towns):
    tricky = make_partners(2).assign(name="{{ 7*7 }} {% if true %}x{% endif %}")

    html = render(build_partner_map(tricky, towns, DEFAULT_CATEGORIES))

    assert "{{ 7*7 }} {% if true %}x{% endif %}" in html


def test_script_json_cannot_close_script_tag():
    text = script_json({"name": "</script><script>alert(1)</script>\u2028"})

    assert "</" not in text and "<script" not in text
    assert json.loads(text)["name"].startswith("</script>")


def test_every_vocabulary_icon_has_a_symbol():
    assert set(known_icons()) == set(ICONS)


def test_focus_id_and_legend_in_map_options(partners, towns):
    html = render(build_partner_map(
        partners, towns, DEFAULT_CATEGORIES, focus_id=partners.iloc[3]["id"]
    ))

    assert f'"focus":"{partners.iloc[3]["id"]}"' in html
    assert "Legende" in html
    assert DATA_ATTRIBUTION in html


# ---------------------------------------------------------------------------
# Streamlit wiring


def test_st_folium_kwargs_return_only_town_click_info():
    kwargs = st_folium_kwargs(key="partner_map")

    assert kwargs["returned_objects"] == ["last_active_drawing"]
    assert kwargs["key"] == "partner_map"
    assert st_folium_kwargs(key="x", town_clicks=False)["returned_objects"] == []


def test_clicked_town_returns_ags_only_for_town_feature():
    town = {"last_active_drawing": {"type": "Feature",
                                    "properties": {"kind": "town", "ags": "05762004"}}}
    other = {"last_active_drawing": {"type": "Feature", "properties": {"id": "x"}}}

    assert clicked_town(town) == "05762004"
    assert clicked_town(other) is None
    assert clicked_town({"last_active_drawing": None}) is None
    assert clicked_town(None) is None


def test_town_features_carry_kind_ags_name_and_label_point(towns):
    features = towns_geojson(towns, selected=towns.iloc[1]["ags"])["features"]

    props = features[1]["properties"]
    assert props["kind"] == "town"
    assert props["ags"] == towns.iloc[1]["ags"]
    assert props["name"] == towns.iloc[1]["name"]
    assert props["selected"] is True
    assert {"label_lat", "label_lon"} <= set(props)
    assert sum(f["properties"]["selected"] for f in features) == 1


# ---------------------------------------------------------------------------
# Contact card


def test_card_escapes_xss_strings_as_text():
    row = make_partners(1).iloc[0]

    html = render_contact_card(row, DEFAULT_CATEGORIES)

    assert "<img" not in html and "<script" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript' not in html
    assert "javascript:alert(3)" in html  # shown as text
    assert 'onmouseover="' not in html
    assert 'href="mailto:x@y.de&quot; onmouseover=&quot;alert(4)"' in html


def test_card_fields_in_display_order_for_full_row():
    html = render_contact_card(full_row(), DEFAULT_CATEGORIES)

    assert card_field_order(html) == list(CARD_FIELDS)


def test_card_omits_empty_fields_keeps_order():
    row = {"id": "a", "name": "A", "category": "kita", "phone": "05272 1", "verified": None}

    html = render_contact_card(row, DEFAULT_CATEGORIES)

    assert card_field_order(html) == ["name", "category", "phone", "accessible"]


def test_card_shows_german_language_names_and_date():
    html = render_contact_card(full_row(), DEFAULT_CATEGORIES)

    assert "Arabisch, Ukrainisch" in html
    assert "zuletzt geprüft: 01.03.2025" in html
    assert 'href="tel:05272999"' in html
    assert 'target="_blank" rel="noopener"' in html


def test_card_in_english_uses_english_labels():
    html = render_contact_card(full_row(), DEFAULT_CATEGORIES, lang="en")

    assert "Arabic, Ukrainian" in html
    assert "last checked: 2025-03-01" in html
    assert DEFAULT_CATEGORIES["kita"].en in html


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_js_card_equals_python_card_for_same_record():
    rows = [full_row(), make_partners(1).iloc[0].to_dict(), {"id": "b", "name": "B"}]
    cases = []
    for lang in ("de", "en"):
        for row in rows:
            record = card_record(row)
            context = card_context(DEFAULT_CATEGORIES, lang=lang,
                                         language_codes=record["languages"])
            cases.append({"record": as_json(record), "context": context,
                          "python": render_card(record, context)})

    shown = run_node(
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(cases.map("
        "(c) => Partnernetz.renderCard(c.record, c.context))));",
        cases,
    )

    assert shown == [case["python"] for case in cases]


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_js_decoded_payload_equals_card_records():
    many = make_partners(120)
    many.loc[3, "contacts"] = ()
    many.loc[4, "languages"] = ()
    payload = partner_payload(many, DEFAULT_CATEGORIES)

    decoded = run_node(
        "const data = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const out = []; for (let i = 0; i < data.n; i++) out.push(Partnernetz.decode(i, data));"
        "console.log(JSON.stringify(out));",
        payload,
    )

    assert decoded == [as_json(card_record(row)) for _, row in many.iterrows()]


def test_card_record_same_from_rows_and_columns():
    many = make_partners(30)
    columns = {key: many[key].tolist() for key in RECORD_KEYS}

    assert records_from_columns(columns, len(many)) == [
        card_record(row) for _, row in many.iterrows()
    ]


def test_xss_partner_id_is_escaped_in_card_attribute():
    row = {"id": 'a" onclick="alert(1)', "name": "n", "category": "kita"}

    html = render_contact_card(row, DEFAULT_CATEGORIES)

    assert 'data-partner-id="a&quot; onclick=&quot;alert(1)"' in html


# ---------------------------------------------------------------------------
# Choropleth


def test_choropleth_tooltip_formats_value_german_style(towns):
    values = {towns.iloc[0]["ags"]: 1.2345, towns.iloc[1]["ags"]: 12345.67}

    fmap = build_choropleth_map(towns, values, value_label="je 10.000")
    layer = next(c for c in fmap._children.values() if c._name == "TownLayer")
    features = json.loads(layer.data)["features"]

    tips = {f["properties"]["name"]: f["properties"]["tooltip"] for f in features}
    assert tips[towns.iloc[0]["name"]] == f"{towns.iloc[0]['name']}: 1,2 je 10.000"
    assert tips[towns.iloc[1]["name"]] == f"{towns.iloc[1]['name']}: 12.345,7 je 10.000"
    assert tips[towns.iloc[2]["name"]] == f"{towns.iloc[2]['name']}: keine Daten"


def test_choropleth_missing_values_grey_and_in_legend(towns):
    values = {towns.iloc[0]["ags"]: 1.0, towns.iloc[1]["ags"]: 3.0}

    html = render(build_choropleth_map(towns, values, value_label="Partner"))

    assert html.count(f'"fill":"{NO_DATA_COLOUR}"') == len(towns) - 2
    assert "keine Daten" in html
    assert f'"fill":"{SEQUENTIAL[0]}"' in html  # the minimum
    assert f'"fill":"{SEQUENTIAL[-1]}"' in html  # the maximum


def test_choropleth_custom_fmt_and_no_external_url(towns):
    values = dict.fromkeys(towns["ags"], 0.5)

    html = render(build_choropleth_map(
        towns, values, value_label="", fmt=lambda v: f"{v:.0%}".replace("%", " %")
    ))

    assert f"{towns.iloc[0]['name']}: 50 %" in html
    assert urls(html) == set()


def test_choropleth_escapes_value_label_in_legend(towns):
    fmap = build_choropleth_map(towns, {}, value_label="<b>x</b>")

    legend = json.loads(next(c for c in fmap._children.values() if c._name == "PartnernetzControl").html)
    assert "<b>" not in legend
    assert "&lt;b&gt;x&lt;/b&gt;" in legend
    assert "<b>x</b>" not in render(fmap)


def test_scale_colour_ends_and_clamps():
    assert scale_colour(0, 0, 10) == SEQUENTIAL[0]
    assert scale_colour(10, 0, 10) == SEQUENTIAL[-1]
    assert scale_colour(99, 0, 10) == SEQUENTIAL[-1]
    assert scale_colour(5, 5, 5) == scale_colour(0.5, 0, 1)


def test_format_number_german_and_english():
    assert format_number(1234.56) == "1.234,6"
    assert format_number(1234.56, lang="en") == "1,234.6"
    assert format_number(3, decimals=0) == "3"


def test_language_name_used_by_card_is_vocabulary_name():
    record = card_record({"id": "a", "name": "A", "languages": ("ar",)})
    context = card_context(DEFAULT_CATEGORIES, language_codes=record["languages"])

    assert language_name("ar") in render_card(record, context)


def test_choropleth_value_range_fixes_colour_scale():
    from partnernetz.geo import gazetteer

    towns = gazetteer.load_towns("05762")
    values = {ags: 80.0 + i for i, ags in enumerate(towns["ags"])}

    def fills(**kwargs: object) -> set[str]:
        html = build_choropleth_map(towns, values, value_label="%", **kwargs).get_root().render()
        return set(re.findall(r'"fill":"(#[0-9A-Fa-f]{6})"', html))

    relative, fixed = fills(), fills(value_range=(0.0, 100.0))
    assert scale_colour(80.0, 80.0, 89.0) in relative  # lowest value: end of the scale
    assert fixed == {scale_colour(v, 0.0, 100.0) for v in values.values()}
    assert scale_colour(80.0, 80.0, 89.0) not in fixed


def test_card_says_who_the_partner_serves_and_how_exact_its_place_is():
    row = {"id": "jmd", "name": "JMD", "category": "beratung", "town": "Höxter",
           "served": "Höxter, Brakel, Nieheim", "precision": "town"}
    html = render_contact_card(row, DEFAULT_CATEGORIES)
    assert "zuständig für:</span> Höxter, Brakel, Nieheim" in html
    assert "Lage: ungefähr (Ortsmitte)" in html
    whole = render_contact_card({**row, "served": "*"}, DEFAULT_CATEGORIES, lang="en")
    assert "responsible for:</span> the whole district (Kreis)" in whole
    assert "Location: approximate (town centre)" in whole
    assert "pn-card__served" not in render_contact_card({**row, "served": None}, DEFAULT_CATEGORIES)


def test_card_marks_a_partner_that_serves_the_town_from_elsewhere():
    row = {"id": "jmd", "name": "JMD", "category": "beratung", "town": "Höxter",
           "served": "Höxter, Brakel", "relation": "elsewhere"}
    assert '<p class="pn-card__relation">zuständig, nicht im Ort</p>' in render_contact_card(
        row, DEFAULT_CATEGORIES)
    english = render_contact_card(row, DEFAULT_CATEGORIES, lang="en")
    assert "serves the town, located elsewhere" in english
    assert "pn-card__relation" not in render_contact_card({**row, "relation": None},
                                                           DEFAULT_CATEGORIES)


def test_dataset_served_text_only_where_the_registry_names_towns(write_registry):
    from partnernetz.dataset import load_dataset

    path = write_registry(
        "- {id: a, name: A, category: beratung, town: Höxter, serves: [Höxter, Brakel]}\n"
        "- {id: b, name: B, category: beratung, town: Höxter, serves: all}\n"
        "- {id: c, name: C, category: kita, town: Brakel}\n")
    served = load_dataset(path).partners.set_index("id")["served"]
    assert served.to_dict() == {"a": "Höxter, Brakel", "b": "*", "c": None}
