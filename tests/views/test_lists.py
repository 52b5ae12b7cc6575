"""The accessible HTML alternatives: partner list, directory table, map values, status."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from partnernetz.registry.vocabulary import default_categories
from partnernetz.views import lists


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "Name": ["beta", "Äpfel & Co", "alpha", "<script>x</script>"],
        "Ort": ["Brakel", None, "Höxter", "Nieheim"],
        "E-Mail": ["b@example.org", "", None, "x@example.org"],
    })


def test_directory_table_has_caption_column_and_row_headers_and_aria_sort():
    html = lists.directory_table_html(frame(), caption="Partner 1–4", row_header="Name",
                                      sort_column="Ort", descending=True,
                                      links={"E-Mail": "mailto"})
    assert "<caption>Partner 1–4</caption>" in html
    assert html.count('<th scope="col"') == 3
    assert html.count('<th scope="row">') == 4
    assert '<th scope="col" aria-sort="descending">Ort</th>' in html
    assert '<a href="mailto:b@example.org">b@example.org</a>' in html
    assert "None" not in html  # an empty cell is empty


def test_directory_table_escapes_every_text():
    html = lists.directory_table_html(frame(), caption="<b>c</b>", row_header="Name")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Äpfel &amp; Co" in html
    assert "<b>c</b>" not in html


def test_sort_and_page_sorts_case_blind_with_empty_cells_last():
    part = lists.sort_and_page(frame(), column="Ort", page=1, page_size=10)
    assert part.frame["Ort"].tolist()[:3] == ["Brakel", "Höxter", "Nieheim"]
    assert pd.isna(part.frame["Ort"].tolist()[-1])
    down = lists.sort_and_page(frame(), column="Ort", descending=True, page=1, page_size=10)
    assert down.frame["Ort"].tolist()[:3] == ["Nieheim", "Höxter", "Brakel"]
    assert pd.isna(down.frame["Ort"].tolist()[-1])


@pytest.mark.parametrize(("page", "expected"), [(1, (1, 3)), (2, (4, 4)), (9, (4, 4))])
def test_sort_and_page_cuts_pages_and_clamps_the_page_number(page, expected):
    part = lists.sort_and_page(frame(), column="Name", page=page, page_size=3)
    assert part.pages == 2
    assert (part.first, part.last) == expected
    assert part.total == 4


def test_partner_list_opens_each_card_and_is_the_skip_target():
    partners = pd.DataFrame([
        {"id": "a", "name": "<i>Kita</i> Sonnenschein", "category": "kita", "town": "Brakel",
         "phone": "05272 1", "email": "a@example.org", "status": "active", "languages": ("de",)},
        {"id": "b", "name": "JMD Höxter", "category": "beratung", "town": "Höxter",
         "status": "active", "languages": ()},
    ])
    html = lists.partner_list_html(partners, default_categories(), lang="de",
                                   heading="Partner auf der Karte (2)")
    assert f'<h2 id="{lists.LIST_ID}" tabindex="-1">Partner auf der Karte (2)</h2>' in html
    assert html.count("<details>") == 2 and html.count("<summary>") == 2
    assert html.count('class="pn-card"') == 2
    assert "&lt;i&gt;Kita&lt;/i&gt; Sonnenschein" in html and "<i>" not in html
    assert re.search(r"<summary>JMD Höxter <span[^>]*>– Beratungsstellen, Höxter</span>", html)
    assert lists.skip_link_html("Karte überspringen") == (
        f'<a class="pn-skip" href="#{lists.LIST_ID}">Karte überspringen</a>')


def test_map_values_frame_lists_every_town_with_formatted_value():
    towns = pd.DataFrame({"ags": ["1", "2"], "name": ["Brakel", "Höxter"]})
    values = pd.Series({"1": 62.5})
    out = lists.map_values_frame(towns, values, fmt=lambda v: f"{v:.0f} %", town_header="Ort",
                                 value_header="Abdeckung")
    assert out.to_dict("records") == [{"Ort": "Brakel", "Abdeckung": "62 %"},
                                      {"Ort": "Höxter", "Abdeckung": "–"}]


def test_status_line_is_announced():
    assert lists.status_html("3 von 5 Partnern") == (
        '<p class="pn-status" role="status" aria-live="polite">3 von 5 Partnern</p>')


def test_paragraphs_keep_lines_and_escape():
    html = lists.paragraphs_html("Das ist <Partnernetz>.\nZeile 2\n\nAbsatz 2")
    assert html == ('<div class="pn-easy"><p>Das ist &lt;Partnernetz&gt;.<br>Zeile 2</p>'
                    "<p>Absatz 2</p></div>")
