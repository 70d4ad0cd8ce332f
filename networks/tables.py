"""Uploaded tables, read the same way wherever people upload them (the school registry, an online
group's statistics): CSV in UTF-8 (with or without BOM) or Windows-1251, separated by «;», «,» or a
tab, or the first sheet of an XLSX book. Pure functions over bytes: no database, no request.

A file that cannot be read at all raises FileRefused with the reason a person understands, in
Russian; what its columns mean is for the caller (networks.registry.parser,
mentoring.statistics_import).

An XLSX book is a zip archive, and a small one may unpack to gigabytes (a 146 KB book of 56 MiB
kept a web worker for 61 s, issue 15). Before openpyxl sees it, the archive's own directory is
checked: how many members, how much they unpack to together, and how much more each big one
unpacks to than it takes (settings.UPLOAD_XLSX_MAX_MEMBERS, UPLOAD_XLSX_MAX_UNPACKED_MB,
UPLOAD_XLSX_MAX_RATIO). The sizes the directory declares bound what can be read: Python's zipfile
stops a member at its declared size and fails its checksum. Reading is bounded too: rows
(`max_rows`, blank ones included, so that a sheet with a row 1 and a row 1 048 576 is not a million
empty rows) and MAX_COLUMNS cells a row.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.utils.translation import gettext as _

# A table is found by its header within the first lines (a title or an empty line may come first).
HEADER_SEARCH_ROWS = 10
# Cells read a row: the known columns are a dozen; what lies beyond is never looked at.
MAX_COLUMNS = 100
# A member smaller than this unpacked says nothing by its ratio (a few repeated tags compress well).
RATIO_FLOOR_BYTES = 1024 * 1024
# A quoted fragment in a message: enough to find it in the file.
FRAGMENT_LENGTH = 40


class FileRefused(Exception):
    """The file as a whole cannot be imported; str(error) says why, in Russian."""


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def has_content(cells: Iterable) -> bool:
    return any(not blank(cell) for cell in cells)


def xlsx_limits() -> tuple[int, int, int]:
    """(unpacked bytes, ratio, members) an uploaded book may have, from the settings."""
    return (
        getattr(settings, "UPLOAD_XLSX_MAX_UNPACKED_MB", 50) * 1024 * 1024,
        getattr(settings, "UPLOAD_XLSX_MAX_RATIO", 100),
        getattr(settings, "UPLOAD_XLSX_MAX_MEMBERS", 1000),
    )


def check_archive(
    infos: list[zipfile.ZipInfo], archive_size: int, *, max_unpacked_bytes: int | None = None
) -> None:
    """FileRefused if the book would unpack beyond the limits; reads only the zip directory.
    `max_unpacked_bytes` lowers the setting for a caller whose files are small."""
    limit, max_ratio, max_members = xlsx_limits()
    if max_unpacked_bytes is not None:
        limit = min(limit, max_unpacked_bytes)
    if len(infos) > max_members:
        raise FileRefused(
            _(
                "Книга XLSX состоит из слишком многих частей: %(count)s, допустимо не больше "
                "%(limit)s. Сохраните данные как CSV или в новую книгу."
            )
            % {"count": len(infos), "limit": max_members}
        )
    if sum(i.file_size for i in infos) > limit:
        raise FileRefused(
            _(
                "Книга XLSX слишком велика в распакованном виде: больше %(limit)s МБ. Сохраните "
                "данные как CSV или разделите файл на части."
            )
            % {"limit": f"{limit / 2**20:g}".replace(".", ",")}
        )
    for info in infos:
        if info.file_size < RATIO_FLOOR_BYTES:
            continue
        # A member cannot take more than the whole file, whatever its header declares.
        packed = max(1, min(info.compress_size, archive_size))
        if info.file_size / packed > max_ratio:
            raise FileRefused(
                _(
                    "Книга XLSX сжата подозрительно сильно: её часть «%(name)s» сжата в "
                    "отношении %(ratio)s : 1, допустимо не больше %(limit)s : 1. Такие книги не "
                    "принимаются: сохраните данные как CSV."
                )
                % {
                    "name": info.filename[:FRAGMENT_LENGTH],
                    "ratio": info.file_size // packed,
                    "limit": max_ratio,
                }
            )


def table_kind(data: bytes, filename: str, *, max_unpacked_bytes: int | None = None) -> str:
    """ "xlsx" or "csv" by the content (the name only to explain a refusal). An XLSX that would
    unpack beyond the limits (check_archive) is refused before anything parses it."""
    name = (filename or "").lower()
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
        except zipfile.BadZipFile:
            infos = []
        names = [i.filename for i in infos]
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            check_archive(infos, len(data), max_unpacked_bytes=max_unpacked_bytes)
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


class _Lines:
    """The file's lines as the csv reader takes them, keeping those of the current record."""

    def __init__(self, text: str):
        self._lines = iter(io.StringIO(text, newline=""))
        self.taken: list[str] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.taken.append(line)
        return line


def _open_quote(line: str, delimiter: str) -> int | None:
    """Where the quote that opens a field and is not closed on this line stands, if any."""
    opened_at, quoted, field_start, i = None, False, True, 0
    while i < len(line):
        char = line[i]
        if quoted:
            if char == '"':
                if line[i + 1 : i + 2] == '"':
                    i += 1
                else:
                    quoted = False
        elif char == '"' and field_start:
            quoted, opened_at = True, i
        field_start = not quoted and char == delimiter
        i += 1
    return opened_at if quoted else None


def _fragment(text: str) -> str:
    text = text.rstrip("\r\n")
    return text if len(text) <= FRAGMENT_LENGTH else text[:FRAGMENT_LENGTH] + "…"


def _unclosed_quote(line_number: int, line: str, delimiter: str) -> FileRefused:
    at = _open_quote(line, delimiter)
    return FileRefused(
        _(
            "Строка %(line)s: кавычка не закрыта (%(fragment)s), и следующие строки слились бы "
            "с этой в одно поле. Закройте кавычку или уберите её."
        )
        % {"line": line_number, "fragment": "«" + _fragment(line[at or 0 :]) + "»"}
    )


def csv_rows(data: bytes, known_columns: Callable[[list], dict]) -> Iterator[tuple[int, list]]:
    """(line number, cells) of a CSV. The separator is «sniffed» by what the caller knows: the one
    with which a line reads as the most known headers (`known_columns(cells)`); csv.Sniffer
    guesses «,» inside «№ 640 от 28.05.2020, приказ» as readily as the real one.

    A quote that opens a field and is never closed would make the rest of the file (or everything
    up to the next quote) one field, lines merged silently: the reader is strict, and such a line
    is refused by its number and its quote. Text after a closing quote on the same line
    («"Ромашка" ООО») is read as before, leniently."""
    text = decode(data)
    head = itertools.islice(io.StringIO(text, newline=""), HEADER_SEARCH_ROWS)
    sample = [line for line in head if line.strip()]
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
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=best, strict=True)
    start = 1
    while True:
        lines.taken = []
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if len(lines.taken) != 1 or "unexpected end of data" in str(error):
                raise _unclosed_quote(start, lines.taken[0] if lines.taken else "", best) from error
            try:
                cells = next(csv.reader(lines.taken, delimiter=best))
            except csv.Error as again:
                raise FileRefused(
                    _("Строка %(line)s: не удалось прочитать её как CSV: %(fragment)s")
                    % {"line": start, "fragment": "«" + _fragment(lines.taken[0]) + "»"}
                ) from again
        yield start, cells[:MAX_COLUMNS]
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
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for number, cells in enumerate(rows, start=1):
            yield number, list(cells)
    finally:
        workbook.close()


def _at_most(rows: Iterator[tuple[int, list]], max_rows: int) -> Iterator[tuple[int, list]]:
    for number, cells in rows:
        if number > max_rows:
            raise FileRefused(
                _(
                    "В файле больше %(rows)s строк, считая пустые. Удалите пустые строки или "
                    "разделите файл на части."
                )
                % {"rows": max_rows}
            )
        yield number, cells


def table_rows(
    data: bytes,
    filename: str,
    known_columns: Callable[[list], dict],
    *,
    max_rows: int,
    max_unpacked_bytes: int | None = None,
) -> tuple[str, Iterator[tuple[int, list]]]:
    """The file's kind and its rows, no more than `max_rows` of them (blank ones counted)."""
    kind = table_kind(data, filename, max_unpacked_bytes=max_unpacked_bytes)
    rows = xlsx_rows(data) if kind == "xlsx" else csv_rows(data, known_columns)
    return kind, _at_most(rows, max_rows)
