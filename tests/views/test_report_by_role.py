"""The PDF report for each role: a signed-in role's report is marked internal on every page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from partnernetz.access import Role
from partnernetz.filters import FilterSpec
from tests.access.markers import INTERNAL_CONTACT_MARKERS, NOTE_MARKERS, write_marker_files

FOOTER = "Intern – nicht zur Weitergabe"


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory):
    path, _ = write_marker_files(tmp_path_factory.mktemp("markers"))
    return path


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.key)
@pytest.mark.parametrize("town", [None, "05762008"], ids=["kreis", "steckbrief"])
def test_report_pdf_footer_says_internal_for_signed_in_roles(registry, role, town) -> None:
    from app_pages import cached

    data = cached.report_pdf(cached.data_key(registry, role=role), FilterSpec(), town, "de")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    internal = role >= Role.MITGLIED
    assert all((FOOTER in text) is internal for text in pages), (role, [FOOTER in p for p in pages])
    text = "\n".join(pages)
    for marker in INTERNAL_CONTACT_MARKERS + NOTE_MARKERS:
        assert marker not in text  # the report lists no contacts or notes at all
