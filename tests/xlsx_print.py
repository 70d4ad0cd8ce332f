"""What every XLSX of the portal must be once opened (issue 18, «XLSX ready to print and to work
with»): checked sheet by sheet by the tests of each export."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from devdata.demo.structures import STRUCTURES
from devdata.demo.territory import ORGANISATIONS

TYPED = '=HYPERLINK("http://x","y")'
# The seeds' longest names: an organisation's full name (longer than a column may be: it wraps)
# and a structure's name; and a shorter one, which its column shows on one line.
LONGEST_ORGANISATION = max((o["full_name"] for o in ORGANISATIONS.values()), key=len)
LONGEST_STRUCTURE = max((s["name"] for s in STRUCTURES), key=len)
SHORTER = max(
    (o["short_name"] for o in ORGANISATIONS.values() if len(o["short_name"]) < 55), key=len
)
MAX_WIDTH = 60


def open_book(content: bytes):
    return load_workbook(io.BytesIO(content))


def width(sheet, column: int) -> float:
    """The width of a column as read back (openpyxl keeps equal neighbours as one range)."""
    for dimension in sheet.column_dimensions.values():
        if dimension.min is not None and dimension.min <= column <= dimension.max:
            return dimension.width
    raise AssertionError(f"{sheet.title}: column {column} has no width")


def longest_line(value) -> int:
    return max((len(line) for line in str(value).splitlines()), default=0)


def assert_ready_to_print(sheet, header_row: int = 1, *, columns: int | None = None) -> None:
    """A4, landscape unless three columns or fewer, fitted to one page wide, the header row
    repeated on every page, frozen and filtered, page numbers, and no text cut by its column."""
    columns = columns or sheet.max_column
    setup = sheet.page_setup
    where = sheet.title
    assert int(setup.paperSize) == 9, where  # A4
    assert setup.orientation == ("landscape" if columns > 3 else "portrait"), where
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), where
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, where
    assert sheet.print_title_rows == f"${header_row}:${header_row}", where
    assert sheet.freeze_panes in {f"A{header_row + 1}", f"B{header_row + 1}"}, where
    start, end = sheet.auto_filter.ref.split(":")
    assert start == f"A{header_row}", where
    last_letter = get_column_letter(columns)
    assert end.startswith(last_letter) and end[len(last_letter) :].isdigit(), where
    # The table's rows, perhaps without a totals row under them.
    assert int(end[len(last_letter) :]) >= sheet.max_row - 1, where
    assert sheet.oddFooter.center.text == "Стр. &P из &N", where
    for row in sheet.iter_rows(min_row=header_row + 1, max_col=columns):
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            size, column_width = longest_line(cell.value), width(sheet, cell.column)
            # As wide as the text (up to the cap); longer text wraps instead of being cut.
            assert column_width >= min(size, MAX_WIDTH), (where, cell.coordinate, cell.value)
            if size > column_width:
                assert cell.alignment.wrap_text, (where, cell.coordinate, cell.value)


def text_cells(book, value: str) -> list:
    return [c for sheet in book for row in sheet.iter_rows() for c in row if c.value == value]


def assert_typed_text_kept(book, *typed: str) -> None:
    """What people typed reads back as the very string, a text cell (no formula)."""
    for value in typed:
        cells = text_cells(book, value)
        assert cells, value
        assert {c.data_type for c in cells} == {"s"}, value


def assert_filed(content: bytes, *, title_has: str, creator: str | None) -> None:
    """The workbook's properties as a DOCX's (issue 18): its title, the organisation (or the
    territory) as creator and last editor, Russian; the core properties never name «openpyxl»
    (read from the file: openpyxl reads a missing creator back as «openpyxl»), and the extended
    properties name the portal as the application and the organisation as the company (they said
    «Microsoft Excel Compatible / Openpyxl 3.1.5»)."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    core = archive.read("docProps/core.xml").decode()
    assert "openpyxl" not in core.lower(), core
    app = archive.read("docProps/app.xml").decode()
    assert "openpyxl" not in app.lower(), app
    assert "<Application>Сети поддержки школ</Application>" in app, app
    if creator:
        assert f"<Company>{escape(creator)}</Company>" in app, app
    properties = open_book(content).properties
    assert properties.language == "ru-RU"
    assert title_has in (properties.title or "")
    if creator is not None:
        assert (properties.creator, properties.lastModifiedBy) == (creator, creator)
