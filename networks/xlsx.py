"""Writing XLSX so that what people typed stays what they typed (issue 15, formula injection).

openpyxl makes a string that starts with «=» a formula (`=HYPERLINK("http://…","…")` shows as a
link, a plan item «=…» becomes Err:510) and «#N/A» an error value. A cell holding a string is
written here as text (`data_type = "s"`, an inline string): read back, it is exactly the string,
with no apostrophe added. «+», «-» and «@» are text in an XLSX cell already (they are formulas only
when a CSV is opened), and stay text here too.

Every XLSX writer of the portal appends its rows through `text_row(sheet, values)`, on an ordinary
or a write-only sheet alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from openpyxl.cell import Cell, WriteOnlyCell

__all__ = ["as_text", "text_row"]


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


def text_row(sheet, values: Iterable) -> list:
    """A row for `sheet.append(…)` with every string written as text."""
    return [text_cell(sheet, value) for value in values]
