"""networks.xlsx: a string is written as a text cell on an ordinary and a write-only sheet alike,
whatever it starts with (issue 15, formula injection)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from networks.xlsx import text_row

TYPED = ['=HYPERLINK("http://x","y")', "+7 999", "-1", "@SUM(A1)", "#N/A", "="]


@pytest.mark.parametrize("write_only", [False, True])
def test_strings_read_back_exactly_as_text_and_other_values_keep_their_type(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Лист")
    sheet.append(text_row(sheet, [*TYPED, 5, None, "обычный текст"]))
    out = io.BytesIO()
    book.save(out)
    row = next(load_workbook(io.BytesIO(out.getvalue()))["Лист"].iter_rows())
    assert [(c.value, c.data_type) for c in row] == [
        *[(value, "s") for value in TYPED],
        (5, "n"),
        (None, "n"),
        ("обычный текст", "s"),
    ]


def test_without_it_openpyxl_would_write_a_formula():
    book = Workbook()
    book.active.append([TYPED[0]])
    assert book.active["A1"].data_type == "f"
