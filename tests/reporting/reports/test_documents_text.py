"""Issue 15, formula injection: a report's XLSX writes what people typed (the structure's name, the
narrative, a plan item) as text — read back, exactly the string and of type text."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from reporting.models import Report
from reporting.reports import documents
from tests.factories import StructureFactory, kind

pytestmark = pytest.mark.django_db
TYPED = ['=HYPERLINK("http://x","y")', "+7 999", "-1", "@SUM(A1)"]


def test_a_report_xlsx_keeps_typed_text_as_text():
    structure = StructureFactory(kind=kind("S5"), name=TYPED[0])
    report = Report.objects.create(structure=structure, school_year=2020, title="Отчёт")
    data = documents.document_data(report)
    data.narrative = [(f"Раздел {n}", text) for n, text in enumerate(TYPED)]
    _name, _type, content = documents.XlsxExporter().render(data)
    book = load_workbook(io.BytesIO(content))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value in TYPED]
    assert {c.value for c in cells} == set(TYPED)
    assert {c.data_type for c in cells} == {"s"}
    assert book.worksheets[0]["A3"].value == TYPED[0]  # the structure's name heads the book
