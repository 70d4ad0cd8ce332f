"""documents.streaming: a long table written row by row is the document python-docx would write,
byte for byte, and its rows do not stay in memory (issue 18: «memory does not grow with the number
of rows»)."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.shared import Pt

from documents.layout import fill_row, fixed_table, new_row
from documents.streaming import RowSpool

WIDTHS = [10.0, 60.0, 30.0, 20.0]
ROWS = [
    ["1", "Сообщество «Учителя & ученики» <ШНОР>", "Алексинский район", "3 из 4"],
    ["2", "Кавычки \"двойные\" и 'одинарные'", "—", "0"],
    # Not plain: python-docx writes these itself (an empty cell has no run, a space at an end
    # adds xml:space, a tab and a line break become elements).
    ["3", "", " с пробелом в начале", "a\tb"],
    ["4", "строка\nвторая", "конец с пробелом ", "\xa0неразрывный"],
    ["5", "Обычная строка", "Ещё одна", "7"],
]


def _document_xml(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        return docx.read("word/document.xml")


def _built(spooled: bool) -> bytes:
    document = Document()
    document.add_paragraph("Сводный отчёт")
    table = fixed_table(document, WIDTHS, cell_margin_mm=1.0)
    fill_row(table.rows[0], WIDTHS, ["№", "Структура", "МО", "Заседаний"], bold=True)
    out = io.BytesIO()
    with RowSpool(WIDTHS, cell_margin_mm=1.0) as spool:
        for texts in ROWS:
            if spooled:
                spool.add(texts, size=Pt(8))
            else:
                new_row(table, WIDTHS, texts, size=Pt(8))
        if spooled:
            spool.marker_row(table, size=Pt(8))
        new_row(table, WIDTHS, ["", "Итого: 5", "", "10"], bold=True, size=Pt(8))
        document.add_paragraph("Итоги")
        if spooled:
            spool.splice(document, out)
        else:
            document.save(out)
    return out.getvalue()


def test_the_spooled_table_is_the_document_python_docx_writes_byte_for_byte():
    spooled = _built(spooled=True)
    assert _document_xml(spooled) == _document_xml(_built(spooled=False))
    table = Document(io.BytesIO(spooled)).tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[1][1] == "Сообщество «Учителя & ученики» <ШНОР>"
    assert cells[4][1] == "строка\nвторая" and cells[3][3] == "a\tb"
    assert cells[-1] == ["", "Итого: 5", "", "10"]
    assert len(cells) == 1 + len(ROWS) + 1


def test_a_text_xml_refuses_is_refused_as_python_docx_refuses_it():
    with RowSpool(WIDTHS) as spool, pytest.raises(ValueError):
        spool.add(["1", "управляющий\x0bсимвол", "", ""])
