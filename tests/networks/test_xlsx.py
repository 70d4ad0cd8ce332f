"""networks.xlsx: a string is written as a text cell on an ordinary and a write-only sheet alike,
whatever it starts with (issue 15, formula injection)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from networks.xlsx import save_book, text_row
from tests.xlsx_print import assert_filed

TYPED = ['=HYPERLINK("http://x","y")', "+7 999", "-1", "@SUM(A1)", "#N/A", "="]


@pytest.mark.parametrize("write_only", [False, True])
def test_strings_read_back_exactly_as_text_and_other_values_keep_their_type(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Лист")
    sheet.append(text_row(sheet, [*TYPED, 5, None, "обычный текст"]))
    out = io.BytesIO()
    save_book(book, out)
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


@pytest.mark.parametrize("write_only", [False, True])
def test_prepare_sheet_sets_print_setup_header_filter_and_widths(write_only):
    """Issue 18: one helper for every exporter; a write-only sheet is prepared before its rows
    with its widths, its filter set after them."""
    from networks.xlsx import filter_table, prepare_sheet

    long_text = "Организация " * 10
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Лист")
    widths = [8, 60, 10, 10] if write_only else None
    if write_only:
        prepare_sheet(sheet, columns=4, widths=widths)
    sheet.append(text_row(sheet, ["№", "Организация", "Дата", "Число"], widths))
    sheet.append(text_row(sheet, [1, long_text, None, 5], widths))
    sheet.append(text_row(sheet, [2, TYPED[0], None, 6], widths))
    if write_only:
        filter_table(sheet, 1, 3, 4)
    else:
        prepare_sheet(sheet)
    out = io.BytesIO()
    save_book(book, out)
    read = load_workbook(io.BytesIO(out.getvalue()))["Лист"]
    assert read.page_setup.orientation == "landscape"
    assert (read.page_setup.fitToWidth, read.page_setup.fitToHeight) == (1, 0)
    assert read.sheet_properties.pageSetUpPr.fitToPage
    assert read.print_title_rows == "$1:$1"
    assert read.freeze_panes == "A2"
    assert read.auto_filter.ref == "A1:D3"
    assert read.oddFooter.center.text == "Стр. &P из &N"
    assert read.column_dimensions["B"].width == 60
    assert read["B2"].alignment.wrap_text
    assert (read["B3"].value, read["B3"].data_type) == (TYPED[0], "s")
    # The workbook is Russian and not authored by «openpyxl» (issue 18), even unnamed.
    assert_filed(out.getvalue(), title_has="", creator=None)


def test_prepare_book_names_the_title_and_the_organisation_as_creator():
    from networks.xlsx import prepare_book, prepare_sheet

    book = Workbook()
    prepare_book(
        book, title="Сводный отчёт. Тульская область", creator="ГОУ ДПО ТО «ИПК и ППРО ТО»"
    )
    prepare_sheet(book.active, columns=1)  # after prepare_book: keeps what it named
    out = io.BytesIO()
    save_book(book, out)
    assert_filed(
        out.getvalue(),
        title_has="Сводный отчёт. Тульская область",
        creator="ГОУ ДПО ТО «ИПК и ППРО ТО»",
    )


def test_a_sheet_of_three_columns_or_fewer_is_portrait():
    from networks.xlsx import prepare_sheet

    book = Workbook()
    sheet = book.active
    sheet.append(["Показатель", "Значение"])
    prepare_sheet(sheet)
    assert sheet.page_setup.orientation == "portrait"
