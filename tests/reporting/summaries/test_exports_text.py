"""Issue 15, formula injection: what people typed is written to the summary's XLSX as text — read
back with openpyxl, the cell holds exactly the string (no apostrophe added) and its type is text."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from .test_exports import render

pytestmark = pytest.mark.django_db
TYPED = ['=HYPERLINK("http://x","y")', "+7 999", "-1", "@SUM(A1)"]


def test_structure_names_that_look_like_formulas_are_text_cells(territory):
    for structure, name in zip(territory.structures, TYPED, strict=False):
        structure.name = name
        structure.save(update_fields=["name"])
    _name, _type, content = render(territory, "xlsx")
    book = load_workbook(io.BytesIO(content))
    for sheet in ("Сводка", "Отчёты по срокам"):
        cells = {c.value: c for row in book[sheet].iter_rows() for c in row if c.value in TYPED}
        assert set(cells) == set(TYPED), sheet
        assert {c.data_type for c in cells.values()} == {"s"}
