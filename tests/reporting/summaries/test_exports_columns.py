"""Issue 18: the summary's DOCX and PDF keep every column of the summary page, with the page's
headers in the page's order (the PDF used to drop the municipality, «Прочие» and the online
figures). The PDF is the DOCX converted by LibreOffice, so it has the same columns."""

from __future__ import annotations

import html as html_lib
import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from reporting.summaries.exporters import EXPORTERS, SummaryDocument
from reporting.summaries.selectors import SummaryScope

from .conftest import YEAR, grow

pytestmark = pytest.mark.django_db


def page_headers(client, territory) -> list[str]:
    client.force_login(territory.people["methodist"])
    content = client.get(reverse("reporting:summary"), {"year": "2020"}).content.decode()
    thead = content.split("<thead", 1)[1].split("</thead>", 1)[0]
    cells = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', thead, re.S)
    return [html_lib.unescape(re.sub(r"<[^>]+>|\s+", " ", c)).strip() for c in cells]


def rendered(territory, file_format) -> bytes:
    document = SummaryDocument.for_user(
        SummaryScope(YEAR, territory.region), territory.people["methodist"]
    )
    return EXPORTERS[file_format].render(document)[2]


def test_the_docx_table_has_every_column_of_the_page_in_its_order(client, territory):
    headers = page_headers(client, territory)
    assert len(headers) == 14 and "Онлайн: посетители / обратная связь" in headers
    table = Document(io.BytesIO(rendered(territory, "docx"))).tables[0]
    assert [c.text for c in table.rows[0].cells] == headers
    group = next(r for r in table.rows if r.cells[1].text.startswith(territory.group.name))
    assert group.cells[12].text != "—" and " / " in group.cells[12].text
    assert group.cells[2].text == territory.group.municipality.name


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) or poppler-utils (pdftotext) is not installed",
)
def test_the_pdf_has_every_column_of_the_page(client, territory, tmp_path):
    """…on every page: with 35 structures the table runs onto a second page, which repeats the
    header row (issue 18, quality bar) and is numbered."""
    grow(territory, 10)
    headers = page_headers(client, territory)
    path = tmp_path / "summary.pdf"
    path.write_bytes(rendered(territory, "pdf"))

    def text_of(*pages: int) -> str:
        where = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
        return subprocess.run(
            ["pdftotext", *where, str(path), "-"], check=True, capture_output=True, text=True
        ).stdout

    def words_of(text: str) -> set[str]:
        # A header wraps inside its narrow column, between words or after a hyphen
        # («Школы-/лидеры»).
        return set(re.sub(r"-\n\s*", "-", text).split())

    words = words_of(text_of())
    for header in headers:
        assert set(header.split()) <= words, header
    assert territory.group.municipality.name.split()[0] in words
    second = text_of(2)
    assert second.split()[0] == "2"
    for header in headers:
        assert set(header.split()) <= words_of(second), header
