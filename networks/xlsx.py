"""Writing XLSX so that what people typed stays what they typed (issue 15, formula injection).

openpyxl makes a string that starts with «=» a formula (`=HYPERLINK("http://…","…")` shows as a
link, a plan item «=…» becomes Err:510) and «#N/A» an error value. A cell holding a string is
written here as text (`data_type = "s"`, an inline string): read back, it is exactly the string,
with no apostrophe added. «+», «-» and «@» are text in an XLSX cell already (they are formulas only
when a CSV is opened), and stay text here too.

Every XLSX writer of the portal appends its rows through `text_row(sheet, values)`, on an ordinary
or a write-only sheet alike, and then makes each sheet ready to print and to work with through
`prepare_sheet` (issue 18: A4, fitted to the page width, header repeated on every page, frozen,
filtered, columns as wide as their content, page numbers); a document's workbook gets its
properties through `prepare_book` (its title, the organisation as its creator, Russian), as a DOCX
does through documents.layout.set_properties, and is saved by `save_book` (the portal, not
openpyxl, as the application that made it).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Sequence
from copy import copy
from xml.sax.saxutils import escape

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import ARC_APP, XPROPS_NS

__all__ = [
    "as_text",
    "column_width",
    "filter_table",
    "prepare_book",
    "prepare_sheet",
    "text_row",
    "wrapped",
]


def as_text(cell: Cell) -> Cell:
    """The cell, its string value (if any) marked as text whatever it starts with."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def text_cell(sheet, value) -> Cell | object:
    """What to append for `value`: a string as a text cell of `sheet`, anything else as it is."""
    if isinstance(value, Cell):
        return as_text(value)
    if isinstance(value, Promise):  # a lazily translated header
        value = str(value)
    if isinstance(value, str):
        return as_text(WriteOnlyCell(sheet, value=value))
    return value


def text_row(sheet, values: Iterable, widths: Sequence[float] | None = None) -> list:
    """A row for `sheet.append(…)` with every string written as text. Given the `widths` of the
    columns (a write-only sheet, sized before its rows), a string too long for its column wraps."""
    row = [text_cell(sheet, value) for value in values]
    for cell, width in zip(row, widths or (), strict=False):
        if isinstance(cell, Cell) and too_long(cell.value, width):
            wrapped(cell)
    return row


# --- Ready to print and to work with (issue 18) ----------------------------------------------------

MAX_WIDTH = 60  # characters; a longer line wraps inside its cell instead of being cut
MIN_WIDTH = 6
PORTRAIT_UP_TO = 3  # columns; a wider sheet is printed landscape


def page_numbers() -> str:
    """«Стр. N из M» in the active language; &P is the page and &N the pages (the footer's codes)."""
    return _("Стр. %(page)s из %(pages)s") % {"page": "&P", "pages": "&N"}


# Excel's «Узкие» margins, in inches.
NARROW = {"left": 0.25, "right": 0.25, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}


def shown_width(value) -> int:
    """How many characters the value takes in its cell: its longest line; dates as ДД.ММ.ГГГГ."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_width(longest: int, max_width: int = MAX_WIDTH) -> int:
    """A column's width for its longest line: a little room, never under MIN_WIDTH nor over
    max_width."""
    return min(max(longest + 2, MIN_WIDTH), max_width)


def too_long(value, width: float) -> bool:
    """Whether a text must wrap to show whole in a column this wide (or has several lines)."""
    return isinstance(value, str) and ("\n" in value or shown_width(value) + 2 > width)


def wrapped(cell: Cell) -> Cell:
    """The cell, its text wrapping at the column's edge (its other alignment kept)."""
    alignment = copy(cell.alignment)
    alignment.wrap_text = True
    alignment.vertical = alignment.vertical or "top"
    cell.alignment = alignment
    return cell


LANGUAGE = "ru-RU"


def prepare_book(book, *, title: str, creator: str) -> None:
    """The workbook's properties (issue 18), as the DOCX's: its title, the organisation (or the
    territory) as its creator and last editor — openpyxl wrote «openpyxl» — and Russian."""
    properties = book.properties
    properties.title = str(title)[:255]
    properties.creator = str(creator)[:255]
    properties.lastModifiedBy = str(creator)[:255]
    properties.language = LANGUAGE


class _Archive(zipfile.ZipFile):
    """The workbook's zip, with the portal's own «docProps/app.xml» in place of openpyxl's, which
    ExcelWriter writes without asking («Microsoft Excel Compatible / Openpyxl 3.1.5»)."""

    application = b""

    def writestr(self, name, data, *args, **kwargs):
        if name == ARC_APP:
            data = self.application
        return super().writestr(name, data, *args, **kwargs)


def save_book(book, stream) -> None:
    """`book.save(stream)`, as openpyxl's save_workbook does it, except that the extended
    properties name the portal as the application and the creator's organisation as the company
    (issue 18: Excel's «Свойства» said Openpyxl)."""
    if book.write_only and not book.worksheets:
        book.create_sheet()
    # Written here: openpyxl's ExtendedProperties leaves Company out of the XML.
    company = book.properties.creator
    archive = _Archive(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.application = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{XPROPS_NS}">'
        f"<Application>{escape(_('Сети поддержки школ'))}</Application>"
        + (f"<Company>{escape(company)}</Company>" if company else "")
        + "</Properties>"
    ).encode()
    book.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    ExcelWriter(book, archive).save()


def _default_properties(book) -> None:
    """What every workbook prepared here says even when its writer names no creator: Russian,
    and not «openpyxl» as its author."""
    properties = book.properties
    if properties.creator == "openpyxl":
        properties.creator = ""
    properties.language = properties.language or LANGUAGE


def filter_table(ws, header_row: int, last_row: int, columns: int) -> None:
    """An autofilter over the table: its (last) header row down to its last row."""
    if columns:
        ws.auto_filter.ref = (
            f"A{header_row}:{get_column_letter(columns)}{max(last_row, header_row)}"
        )


def prepare_sheet(
    ws,
    header_rows: int = 1,
    *,
    first_row: int = 1,
    landscape: bool | None = None,
    columns: int | None = None,
    last_row: int | None = None,
    widths: Sequence[int] | None = None,
    frozen_columns: int = 0,
    max_width: int = MAX_WIDTH,
) -> None:
    """Make a sheet ready to print and to work with (issue 18), whoever wrote it.

    The table's header is `header_rows` rows from `first_row` (rows above it — a document's
    title — print on the first page only). The sheet gets: A4, landscape (portrait when it has at
    most three columns, or as `landscape` says), fitted to one page wide and as many long, the
    header rows repeated on every page, the header frozen (and `frozen_columns` at the left), an
    autofilter from the header to `last_row`, narrow margins, gridlines and «Стр. N из M» in the
    footer. Column widths come from the content (the longest line in the column from the header
    down, at most `max_width` characters); a longer text, and the header, wraps instead of being
    cut.

    An ordinary sheet is prepared once filled. A write-only sheet (it streams its rows) is
    prepared before its first row, with the `widths` and `columns` it will have; its autofilter
    comes after the last row, through `filter_table`. The workbook is marked Russian and loses
    openpyxl's «openpyxl» as its author (`prepare_book` names the real one).
    """
    write_only = isinstance(ws, WriteOnlyWorksheet)
    _default_properties(ws.parent)
    header_end = first_row + header_rows - 1
    if columns is None:
        columns = len(widths) if widths is not None else (0 if write_only else ws.max_column)
    if not write_only and last_row is None:
        last_row = ws.max_row

    if landscape is None:
        landscape = columns > PORTRAIT_UP_TO
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = (
        Worksheet.ORIENTATION_LANDSCAPE if landscape else Worksheet.ORIENTATION_PORTRAIT
    )
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(**NARROW)
    ws.print_options.gridLines = True
    ws.oddFooter.center.text = ws.evenFooter.center.text = page_numbers()
    if header_rows:
        ws.print_title_rows = f"{first_row}:{header_end}"
        ws.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{header_end + 1}"
        if last_row is not None:
            filter_table(ws, header_end, last_row, columns)

    if widths is not None:
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = min(width, max_width)
    if write_only:
        return
    if widths is None:
        longest = [0] * columns
        for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=columns):
            for cell in row:
                if cell.row <= header_end:  # a header wraps: its longest word counts
                    size = max((len(w) for w in str(cell.value or "").split()), default=0)
                else:
                    size = shown_width(cell.value)
                longest[cell.column - 1] = max(longest[cell.column - 1], size)
        widths = [column_width(n, max_width) for n in longest]
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
    for row in ws.iter_rows(min_row=first_row, max_row=ws.max_row, max_col=columns):
        for cell in row:
            text = cell.value
            if text is None:
                continue
            if cell.row <= header_end or too_long(text, widths[cell.column - 1]):
                wrapped(cell)
