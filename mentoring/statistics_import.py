"""Reading an online group's statistics export (R-TUL-A1-5.3, R-TUL-A2-3.1.4): CSV as VK exports it,
or XLSX as coordinators keep it. Pure functions over bytes: no database, no request.

`check_statistics_file(data, filename)` is what the web request checks (size, kind, the unpacked
size and ratio of a book, from its zip directory only); `parse_statistics(data, filename)`, run by
the worker (mentoring.tasks), returns the good lines and the bad ones, each bad line with its
number and the reason; a file that cannot be read at all (not CSV or XLSX, empty, too big, no header
we recognise) raises FileRefused with the reason a person understands.

Columns are found by their headers, Russian or English, in any case and order: a period as start
and end, or as one column («Месяц» «09.2020», «сентябрь 2020», a day or a range), and the four
figures. A CSV may be UTF-8 (with or without BOM) or Windows-1251, separated by «;», «,» or a tab.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from networks.tables import (
    HEADER_SEARCH_ROWS,
    FileRefused,
    blank,
    has_content,
    table_kind,
    table_rows,
)

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 5000
# An XLSX of MAX_LINES lines unpacks to about 1.2 MB and parses in under a second; a book is refused
# well below the portal-wide limit (networks.tables), so the worker's reading stays small too.
MAX_UNPACKED_BYTES = 8 * 1024 * 1024
# Rows read at most, blank ones counted.
MAX_ROWS = 2 * MAX_LINES
# PositiveIntegerField holds up to this on every database Django supports.
MAX_NUMBER = 2_147_483_647
# The header may follow a title or a blank line or two, as exports often have.
# Blank rows in a row after which the table is taken to have ended.
MAX_BLANK_RUN = 1000

FIGURES = ("visitors", "views", "actions", "feedback")


@dataclass(frozen=True)
class StatRow:
    line: int
    period_start: dt.date
    period_end: dt.date
    visitors: int
    views: int
    actions: int
    feedback: int

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return (self.period_start, self.period_end)

    @property
    def figures(self) -> tuple[int, int, int, int]:
        return (self.visitors, self.views, self.actions, self.feedback)


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str


@dataclass
class ParseResult:
    kind: str  # "csv" or "xlsx"
    rows: list[StatRow]
    errors: list[LineError]


# --- Headers ------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    """«  Обратная связь (отзывы)* » → «обратная связь»: case, ё, brackets and punctuation aside."""
    text = re.sub(r"\([^)]*\)", " ", str(text)).lower().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


_ALIASES: dict[str, tuple[str, ...]] = {
    "start": (
        "начало периода",
        "период с",
        "период начало",
        "дата начала",
        "начало",
        "с",
        "period start",
        "period from",
        "start date",
        "start",
        "from",
    ),
    "end": (
        "конец периода",
        "окончание периода",
        "период по",
        "период конец",
        "дата окончания",
        "дата конца",
        "конец",
        "окончание",
        "по",
        "period end",
        "period to",
        "end date",
        "end",
        "to",
    ),
    "period": ("месяц", "период", "отчетный период", "дата", "день", "month", "period", "date"),
    "visitors": (
        "посетители",
        "посетителей",
        "количество посетителей",
        "число посетителей",
        "уникальные посетители",
        "visitors",
        "unique visitors",
    ),
    "views": (
        "просмотры",
        "просмотров",
        "количество просмотров",
        "число просмотров",
        "просмотры страницы",
        "views",
        "page views",
        "pageviews",
    ),
    "actions": (
        "активные действия",
        "активных действий",
        "количество активных действий",
        "число активных действий",
        "действия",
        "actions",
        "active actions",
    ),
    "feedback": ("обратная связь", "наличие обратной связи", "отзывы", "feedback"),
}
_BY_ALIAS = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}


def _column_label(column: str) -> str:
    return {
        "start": _("Начало периода"),
        "end": _("Конец периода"),
        "period": _("Месяц"),
        "visitors": _("Посетители"),
        "views": _("Просмотры"),
        "actions": _("Активные действия"),
        "feedback": _("Обратная связь"),
    }[column]


def _map_header(cells: list) -> dict[str, int]:
    """Column name → index, for the headers we recognise (the first of each wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _BY_ALIAS.get(_norm(cell or ""))
        if column and column not in found:
            found[column] = index
    return found


def _check_header(found: dict[str, int]) -> None:
    has_period = "period" in found or ("start" in found and "end" in found)
    missing = [c for c in FIGURES if c not in found]
    if not has_period:
        if "start" in found:
            missing.insert(0, "end")
        elif "end" in found:
            missing.insert(0, "start")
        else:
            missing.insert(0, "period")
    if missing:
        raise FileRefused(
            _("В заголовке файла нет столбцов: %(columns)s.")
            % {"columns": ", ".join(f"«{_column_label(c)}»" for c in missing)}
        )


# --- Values ---------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("январь", "января", "янв", "january", "jan"),
            ("февраль", "февраля", "фев", "february", "feb"),
            ("март", "марта", "мар", "march", "mar"),
            ("апрель", "апреля", "апр", "april", "apr"),
            ("май", "мая", "may"),
            ("июнь", "июня", "июн", "june", "jun"),
            ("июль", "июля", "июл", "july", "jul"),
            ("август", "августа", "авг", "august", "aug"),
            ("сентябрь", "сентября", "сен", "сент", "september", "sep", "sept"),
            ("октябрь", "октября", "окт", "october", "oct"),
            ("ноябрь", "ноября", "ноя", "november", "nov"),
            ("декабрь", "декабря", "дек", "december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_DAY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_MONTH_NUM = re.compile(r"^(\d{1,2})[./](\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_NAME = re.compile(r"^([a-zа-я]+)\.?\s+(\d{4})(?:\s*(?:г|года|год)\.?)?$")
_RANGE = re.compile(r"^(.+?)\s*(?:—|–|-|\.\.)\s*(.+)$")


class BadValue(Exception):
    pass


def _date(value) -> dt.date:
    """A single day: a date cell of a spreadsheet, ДД.ММ.ГГГГ, ДД/ММ/ГГГГ, ДД.ММ.ГГ or ISO."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if match := _DAY.match(text):
            day, month, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000
            return dt.date(year, month, day)
        if match := _ISO_DAY.match(text):
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        # 31.02.2020 and the like: the format is known, the day does not exist.
        raise BadValue(_("в строке несуществующая дата «%(value)s»") % {"value": text}) from None
    raise BadValue(_("неизвестный формат даты «%(value)s»") % {"value": text})


def _month(text: str) -> tuple[int, int] | None:
    if match := _MONTH_NUM.match(text):
        month, year = int(match[1]), int(match[2])
    elif match := _ISO_MONTH.match(text):
        year, month = int(match[1]), int(match[2])
    elif (match := _MONTH_NAME.match(text.lower())) and match[1] in _MONTHS:
        month, year = _MONTHS[match[1]], int(match[2])
    else:
        return None
    return (year, month) if 1 <= month <= 12 else None


def _period(value) -> tuple[dt.date, dt.date]:
    """One column for the period: a month («09.2020», «сентябрь 2020»), a day, or a range."""
    if isinstance(value, dt.date):
        day = _date(value)
        return day, day
    text = " ".join(str(value).split())
    if month := _month(text):
        year, number = month
        return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])
    # A range «01.09.2020–30.09.2020»; ISO days contain «-» themselves, so try a day first.
    try:
        day = _date(text)
    except BadValue:
        pass
    else:
        return day, day
    if (match := _RANGE.match(text)) and not _ISO_DAY.match(text):
        return _date(match[1]), _date(match[2])
    raise BadValue(_("неизвестный формат даты «%(value)s»") % {"value": text})


_NUMBER = re.compile(r"^-?\d+$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def _number(value, column: str) -> int:
    label = _column_label(column)
    if isinstance(value, bool):
        raise BadValue(_("«%(column)s»: не число") % {"column": label})
    if isinstance(value, float):
        if not value.is_integer():
            raise BadValue(
                _("«%(column)s»: нужно целое число, а не %(value)s")
                % {"column": label, "value": value}
            )
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = _SPACES.sub("", str(value).strip())
        # «1234,0» or «1234.00» from a spreadsheet saved as text is still a whole number.
        text = re.sub(r"[.,]0+$", "", text)
        if not _NUMBER.match(text):
            raise BadValue(
                _("«%(column)s»: «%(value)s» — не целое число")
                % {"column": label, "value": str(value).strip()}
            )
        number = int(text)
    if number < 0:
        raise BadValue(
            _("«%(column)s»: отрицательное число %(value)s") % {"column": label, "value": number}
        )
    if number > MAX_NUMBER:
        raise BadValue(
            _("«%(column)s»: слишком большое число %(value)s") % {"column": label, "value": number}
        )
    return number


def _row(line: int, cells: list, columns: dict[str, int]) -> StatRow:
    def cell(column: str):
        index = columns[column]
        value = cells[index] if index < len(cells) else None
        if blank(value):
            raise BadValue(
                _("нет значения в столбце «%(column)s»") % {"column": _column_label(column)}
            )
        return value

    if "start" in columns and "end" in columns:
        start, end = _date(cell("start")), _date(cell("end"))
    else:
        start, end = _period(cell("period"))
    if end < start:
        raise BadValue(
            _("конец периода %(end)s раньше его начала %(start)s")
            % {"start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"}
        )
    return StatRow(line, start, end, *(_number(cell(c), c) for c in FIGURES))


def check_statistics_file(data: bytes, filename: str = "") -> str:
    """The cheap checks of an upload, made in the web request before anything parses it: the size,
    not empty, a CSV or a book that does not unpack beyond MAX_UNPACKED_BYTES (read from the zip
    directory only). Returns "csv" or "xlsx"; FileRefused otherwise."""
    if len(data) > MAX_BYTES:
        raise FileRefused(
            _("Файл больше %(mb)s МБ. Разделите его на части (не более %(lines)s строк в каждой).")
            % {"mb": MAX_BYTES // (1024 * 1024), "lines": MAX_LINES}
        )
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FileRefused(_("Файл пуст."))
    return table_kind(data, filename, max_unpacked_bytes=MAX_UNPACKED_BYTES)


def parse_statistics(data: bytes, filename: str = "") -> ParseResult:
    """The good lines and the bad ones, or FileRefused if the file cannot be read at all."""
    check_statistics_file(data, filename)
    kind, rows = table_rows(
        data, filename, _map_header, max_rows=MAX_ROWS, max_unpacked_bytes=MAX_UNPACKED_BYTES
    )

    columns: dict[str, int] = {}
    best: dict[str, int] = {}
    for _line, cells in rows:
        if not has_content(cells):
            continue
        found = _map_header(cells)
        if len(found) > len(best):
            best = found
        if len(found) >= 2:
            columns = found
            break
        if _line > HEADER_SEARCH_ROWS:
            break
    if not columns:
        if best:
            _check_header(best)
        raise FileRefused(
            _(
                "В файле не найдена строка заголовков. Первая строка таблицы должна называть "
                "столбцы: «Начало периода», «Конец периода» (или «Месяц»), «Посетители», "
                "«Просмотры», «Активные действия», «Обратная связь»."
            )
        )
    _check_header(columns)

    result = ParseResult(kind=kind, rows=[], errors=[])
    periods = _Periods()
    count = blanks = 0
    for line, cells in rows:
        if not has_content(cells):
            # A sheet formatted down to row 1 048 576 is not a million lines of data.
            blanks += 1
            if blanks > MAX_BLANK_RUN:
                break
            continue
        blanks = 0
        count += 1
        if count > MAX_LINES:
            raise FileRefused(
                _("В файле больше %(lines)s строк. Разделите его на части.") % {"lines": MAX_LINES}
            )
        try:
            row = _row(line, cells, columns)
        except BadValue as error:
            result.errors.append(LineError(line, str(error)))
            continue
        if reason := periods.clash(row):
            result.errors.append(LineError(line, reason))
            continue
        periods.add(row)
        result.rows.append(row)
    return result


class _Periods:
    """The periods read so far, which never overlap each other: sorted by start, a new period can
    only overlap its neighbours, so 5,000 lines take 5,000 look-ups, not 12 million comparisons."""

    def __init__(self) -> None:
        self.starts: list[dt.date] = []
        self.rows: list[StatRow] = []

    def clash(self, row: StatRow) -> str | None:
        at = bisect.bisect_left(self.starts, row.period_start)
        for other in self.rows[max(at - 1, 0) : at + 1]:
            if other.period == row.period:
                return _("период %(period)s уже указан в строке %(line)s") % {
                    "period": period_label(*row.period),
                    "line": other.line,
                }
            if other.period_start <= row.period_end and row.period_start <= other.period_end:
                return _(
                    "период %(period)s пересекается с периодом %(other)s из строки %(line)s"
                ) % {
                    "period": period_label(*row.period),
                    "other": period_label(*other.period),
                    "line": other.line,
                }
        return None

    def add(self, row: StatRow) -> None:
        at = bisect.bisect_left(self.starts, row.period_start)
        self.starts.insert(at, row.period_start)
        self.rows.insert(at, row)


def period_label(start: dt.date, end: dt.date) -> str:
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"
