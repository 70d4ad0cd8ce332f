"""Uploaded tables, read the same way wherever people upload them (the school registry, an online
group's statistics): CSV in UTF-8 (with or without BOM) or Windows-1251, separated by «;», «,» or a
tab, or the first sheet of an XLSX book. Pure functions over bytes: no database, no request.

A file that cannot be read at all raises FileRefused with the reason a person understands, in
Russian; what its columns mean is for the caller (networks.registry.parser,
mentoring.statistics_import).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator

from django.utils.translation import gettext as _

# A table is found by its header within the first lines (a title or an empty line may come first).
HEADER_SEARCH_ROWS = 10


class FileRefused(Exception):
    """The file as a whole cannot be imported; str(error) says why, in Russian."""


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def has_content(cells: Iterable) -> bool:
    return any(not blank(cell) for cell in cells)


def table_kind(data: bytes, filename: str, *, max_unpacked_bytes: int) -> str:
    """ "xlsx" or "csv" by the content (the name only to explain a refusal). An XLSX that unpacks
    beyond `max_unpacked_bytes` is refused: a small book may unpack to gigabytes."""
    name = (filename or "").lower()
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
        except zipfile.BadZipFile:
            infos = []
        names = [i.filename for i in infos]
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            if sum(i.file_size for i in infos) > max_unpacked_bytes:
                raise FileRefused(
                    _("Книга XLSX слишком велика в распакованном виде. Сохраните данные как CSV.")
                )
            return "xlsx"
        raise FileRefused(_("Это архив, а не таблица: загрузите файл CSV или XLSX."))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            _("Старый формат Excel (XLS) не поддерживается: сохраните файл как XLSX или CSV.")
        )
    if name.endswith(".xlsx"):
        raise FileRefused(_("Файл назван .xlsx, но это не книга Excel."))
    if b"\x00" in data[:4096] or data.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff")):
        raise FileRefused(_("Это не таблица: загрузите файл CSV или XLSX."))
    return "csv"


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel in Russian Windows saves «CSV (разделители — точки с запятой)» in Windows-1251.
        return data.decode("cp1251", errors="replace")


def csv_rows(data: bytes, known_columns: Callable[[list], dict]) -> Iterator[tuple[int, list]]:
    """(line number, cells) of a CSV. The separator is «sniffed» by what the caller knows: the one
    with which a line reads as the most known headers (`known_columns(cells)`); csv.Sniffer
    guesses «,» inside «№ 640 от 28.05.2020, приказ» as readily as the real one."""
    text = decode(data)
    sample = [line for line in text.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()]
    best = max(
        ";,\t",
        key=lambda d: max(
            (
                (len(known_columns(next(csv.reader([line], delimiter=d)))), line.count(d))
                for line in sample
            ),
            default=(0, 0),
        ),
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def xlsx_rows(data: bytes) -> Iterator[tuple[int, list]]:
    """(row number, cells) of the book's first sheet, values as Excel computed them."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged book
        raise FileRefused(
            _("Не удалось прочитать файл XLSX: он повреждён или это не книга Excel.")
        ) from error
    try:
        if not workbook.worksheets:
            raise FileRefused(_("В книге XLSX нет листов."))
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()


def table_rows(
    data: bytes, filename: str, known_columns: Callable[[list], dict], *, max_unpacked_bytes: int
) -> tuple[str, Iterator[tuple[int, list]]]:
    """The file's kind and its rows."""
    kind = table_kind(data, filename, max_unpacked_bytes=max_unpacked_bytes)
    rows = xlsx_rows(data) if kind == "xlsx" else csv_rows(data, known_columns)
    return kind, rows
