"""What a document filed with an education authority must have (ГОСТ Р 7.0.97-2016), read back
from the DOCX with python-docx."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn


def opened(content: bytes):
    return Document(io.BytesIO(content))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def assert_gost_page(document) -> None:
    for section in document.sections:
        # A4; the plan's wide table is landscape, as the standard allows.
        size = (round(section.page_width.mm), round(section.page_height.mm))
        assert size in ((210, 297), (297, 210))
        assert round(section.left_margin.mm) == 20
        assert round(section.right_margin.mm) == 10
        assert round(section.top_margin.mm) == 20
        assert round(section.bottom_margin.mm) == 20
        # Page numbers from page 2: a different first page, PAGE in the header of the others.
        assert section.different_first_page_header_footer
        assert "PAGE" in "".join(section.header._element.itertext())
        assert "PAGE" not in "".join(section.first_page_header._element.itertext())


def assert_russian_properties(document, *, title_has: str, author: str) -> None:
    properties = document.core_properties
    assert title_has in properties.title
    assert properties.author == author
    assert properties.language == "ru-RU"
    assert "python-docx" not in (properties.author + properties.last_modified_by)
    styles = document.styles.element
    langs = {e.get(qn("w:val")) for e in styles.iter(qn("w:lang"))}
    assert langs == {"ru-RU"}


def header_rows_repeat(table) -> bool:
    tr_pr = table.rows[0]._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def assert_fixed_widths(table) -> None:
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout is not None and layout.get(qn("w:type")) == "fixed"
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(set(widths)) > 1, "columns get widths for their content, not equal shares"
