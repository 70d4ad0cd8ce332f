"""Reading a registry file: pure functions over bytes, no database, no request.

`parse_registry(data, filename)` returns the lines it could read and the bad ones, each bad line
with its number and the reason; a file that cannot be read at all (not CSV or XLSX, empty, too big,
no header we recognise) raises FileRefused with the reason a person understands.

Columns are found by their Russian headers in any case, spacing and order, with a few synonyms:
Регион, Муниципальное образование, Полное наименование, Краткое наименование, Тип, ИНН, Адрес,
Статус, Учебный год, Приказ, Кем издан, Правопреемник (ИНН). A CSV may be UTF-8 (with or without
BOM) or Windows-1251, separated by «;» or «,» (a tab too).

What the values mean in the database (which region, municipality, organisation, order) is decided
by plan.py; here each cell is only read and checked on its own: the ИНН check digits, the kind, the
status, the school year, the order's number and date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import Order, OrganisationKind, SchoolStatus
from ..schoolyear import SchoolYear
from ..search import fold
from ..tables import HEADER_SEARCH_ROWS, FileRefused, has_content, table_kind, table_rows
from ..validators import inn_is_valid

MAX_BYTES = 50 * 1024 * 1024
MAX_LINES = 100_000
# Rows read at most, blank ones counted (networks.tables): the lines with room for blank ones.
MAX_ROWS = 2 * MAX_LINES
# The header may follow a title or a blank line or two, as annexes to orders often have.
# Blank rows in a row after which the table is taken to have ended (a sheet formatted to the end).
MAX_BLANK_RUN = 1000
PROGRESS_EVERY = 2000

# The model's limits, checked here so that a long name is a bad line, not a failed import.
MAX_LENGTH = {"full_name": 500, "short_name": 200, "address": 500, "order_number": 50}


@dataclass(frozen=True)
class ParsedOrder:
    kind: str  # networks.models.Order.Kind
    number: str
    date: dt.date
    text: str


@dataclass(frozen=True)
class RegistryRow:
    """One line of the file, each cell read and checked on its own. Blank cells are ""/None."""

    line: int
    region: str = ""
    municipality: str = ""
    full_name: str = ""
    short_name: str = ""
    kind: str = ""
    inn: str = ""
    address: str = ""
    status: str = ""
    school_year: int | None = None
    order: ParsedOrder | None = None
    issuer: str = ""
    successor_inn: str = ""
    name_key: str = ""  # the full name folded, as organisations are matched by it


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str


@dataclass
class ParsedFile:
    kind: str  # "csv" or "xlsx"
    columns: frozenset[str]
    rows: list[RegistryRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def carries_organisations(self) -> bool:
        """Lines describe organisations (create or change them), not only name them for a status."""
        return bool(self.columns & ORGANISATION_COLUMNS)

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.errors)


# --- Headers ------------------------------------------------------------------------------------


def _norm(text) -> str:
    """«  Правопреемник (ИНН)* » → «правопреемник инн»: case, ё, punctuation and spacing aside."""
    text = str(text or "").casefold().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


_ALIASES: dict[str, tuple[str, ...]] = {
    "region": ("регион", "субъект", "субъект рф", "субъект российской федерации"),
    "municipality": (
        "муниципальное образование",
        "муниципальный район",
        "муниципальный район городской округ",
        "муниципалитет",
        "мо",
        "район",
        "территория",
    ),
    "full_name": (
        "полное наименование",
        "полное наименование организации",
        "полное наименование оо",
        "наименование",
        "наименование организации",
        "наименование оо",
        "наименование образовательной организации",
        "организация",
    ),
    "short_name": (
        "краткое наименование",
        "сокращенное наименование",
        "краткое наименование организации",
        "сокращенное наименование организации",
    ),
    "kind": ("тип", "тип организации", "вид организации", "вид"),
    "inn": ("инн", "инн организации"),
    "address": ("адрес", "юридический адрес", "адрес организации", "местонахождение"),
    "status": ("статус", "статус школы", "статус организации", "категория"),
    "school_year": ("учебный год", "год"),
    "order": ("приказ", "реквизиты приказа", "приказ о статусе", "основание"),
    "issuer": ("кем издан", "кем издан приказ", "издатель приказа", "орган издавший приказ"),
    "successor_inn": (
        "правопреемник инн",
        "правопреемник",
        "инн правопреемника",
        "правопреемник по инн",
    ),
}
_BY_ALIAS = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}

# Any of these makes the lines describe organisations; without them a line only names one.
ORGANISATION_COLUMNS = frozenset({"municipality", "short_name", "kind", "address", "successor_inn"})


def column_label(column: str) -> str:
    return {
        "region": _("Регион"),
        "municipality": _("Муниципальное образование"),
        "full_name": _("Полное наименование"),
        "short_name": _("Краткое наименование"),
        "kind": _("Тип"),
        "inn": _("ИНН"),
        "address": _("Адрес"),
        "status": _("Статус"),
        "school_year": _("Учебный год"),
        "order": _("Приказ"),
        "issuer": _("Кем издан"),
        "successor_inn": _("Правопреемник (ИНН)"),
    }[column]


def _map_header(cells: Iterable) -> dict[str, int]:
    """Column name → index, for the headers we recognise (the first of each wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _BY_ALIAS.get(_norm(cell))
        if column and column not in found:
            found[column] = index
    return found


def _check_header(columns: dict[str, int]) -> None:
    if "full_name" not in columns and "inn" not in columns:
        raise FileRefused(
            _(
                "В заголовке нет ни столбца «ИНН», ни столбца «Полное наименование»: строки нечем связать с организациями."
            )
        )
    if "status" in columns and "school_year" not in columns:
        raise FileRefused(
            _("В файле есть столбец «Статус», но нет столбца «Учебный год» (например, 2020/2021).")
        )
    if "status" not in columns and not set(columns) & ORGANISATION_COLUMNS:
        raise FileRefused(
            _(
                "В файле нет ни данных организаций («Муниципальное образование», «Тип», «Краткое "
                "наименование», «Адрес»), ни столбца «Статус»: загружать нечего."
            )
        )


# --- Values ---------------------------------------------------------------------------------------


def _text(value) -> str:
    """A cell as one line of text; a whole number saved by Excel as 7101234567.0 loses the «.0»."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return " ".join(str(value).replace("\u00a0", " ").split())


class BadValue(Exception):
    pass


def _inn(value, column: str) -> str:
    text = re.sub(r"[\s\u00a0'’-]", "", _text(value))
    if not text:
        return ""
    # A number cell drops the leading zero of regions 01–09 (ИНН 0105…); put it back.
    if text.isdigit() and len(text) in (9, 11) and not isinstance(value, str):
        text = "0" + text
    if not inn_is_valid(text):
        raise BadValue(
            _(
                "«%(column)s»: ИНН «%(value)s» неверен — нужно 10 или 12 цифр с верным контрольным числом"
            )
            % {"column": column_label(column), "value": text}
        )
    return text


_KINDS = {
    fold(label): value
    for value, labels in {
        OrganisationKind.SCHOOL: (
            "школа",
            "общеобразовательная организация",
            "общеобразовательное учреждение",
            "образовательная организация",
            "оо",
            "гимназия",
            "лицей",
        ),
        OrganisationKind.ADDITIONAL: (
            "организация дополнительного образования",
            "учреждение дополнительного образования",
            "дополнительное образование",
            "удо",
            "одо",
        ),
        OrganisationKind.METHODICAL: ("методический центр", "методическая служба", "рмк", "ммц"),
        OrganisationKind.AUTHORITY: (
            "орган управления образованием",
            "орган управления",
            "оуо",
            "муо",
            "управление образования",
            "комитет образования",
            "министерство образования",
        ),
        OrganisationKind.ACADEMY: (
            "организация дпо",
            "организация дпо академия",
            "организация дпо/академия",
            "организация дополнительного профессионального образования",
            "дпо",
            "академия",
            "институт развития образования",
            "ипк",
            "ипк и ппро",
            "цнппм",
        ),
        OrganisationKind.OTHER: ("иная", "иная организация", "другая", "другое", "прочее"),
    }.items()
    for label in (*labels, value.label, value.value)
}


def _kind(value) -> str:
    text = fold(_text(value))
    if not text:
        return ""
    if text in _KINDS:
        return _KINDS[text]
    # Longer wordings: «МБОУ … общеобразовательная школа», «организация ДПО (академия)».
    rules = (
        ("профессионального", OrganisationKind.ACADEMY),
        ("дпо", OrganisationKind.ACADEMY),
        ("дополнительного образования", OrganisationKind.ADDITIONAL),
        ("общеобразовательн", OrganisationKind.SCHOOL),
        ("школа", OrganisationKind.SCHOOL),
        ("методическ", OrganisationKind.METHODICAL),
        ("управлени", OrganisationKind.AUTHORITY),
    )
    for word, kind in rules:
        if word in text:
            return kind
    raise BadValue(
        _(
            "неизвестный тип организации «%(value)s»; возможны: школа, организация "
            "дополнительного образования, методический центр, орган управления образованием, "
            "организация ДПО, иная"
        )
        % {"value": _text(value)}
    )


def _status_key(text: str) -> str:
    """«Школа-лидер», «школа лидер», «школа, функционирующая…» read alike."""
    return " ".join(re.sub(r"[-,]", " ", fold(text)).split())


_STATUSES = {
    _status_key(label): value
    for value, labels in {
        SchoolStatus.SHNOR: (
            "шнор",
            "школа с низкими образовательными результатами",
            "школы с низкими образовательными результатами",
            "нор",
        ),
        SchoolStatus.SSSU: (
            "шссу",
            "школа в сложных социальных условиях",
            "школа, функционирующая в сложных социальных условиях",
            "школа, функционирующая в неблагоприятных социальных условиях",
            "ссу",
        ),
        SchoolStatus.LEADER: (
            "школа-лидер",
            "лидер",
            "школа со стабильно высокими результатами",
            "школа со стабильно высокими образовательными результатами",
        ),
    }.items()
    for label in (*labels, value.label, value.value)
}


def _status(value) -> str:
    text = _status_key(_text(value))
    if not text:
        return ""
    status = _STATUSES.get(text)
    if status is None:
        raise BadValue(
            _("неизвестный статус «%(value)s»; возможны: ШНОР, ШССУ, школа-лидер")
            % {"value": _text(value)}
        )
    return status


_YEAR = re.compile(
    r"^(\d{4})(?:\s*(?:/|-|–|—)\s*(\d{4}|\d{2}))?(?:\s*(?:уч\.?|учебный)?\s*(?:г|гг|год)\.?)?$"
)


def _school_year(value) -> int | None:
    text = _text(value)
    if not text:
        return None
    match = _YEAR.match(text.casefold())
    year = SchoolYear.parse(match[1]) if match else None
    if year is not None and match[2]:
        second = int(match[2]) if len(match[2]) == 4 else 2000 + int(match[2])
        if second != year.start + 1:
            year = None
    if year is None:
        raise BadValue(
            _("неверный учебный год «%(value)s»; пример: 2020/2021 или 2020") % {"value": text}
        )
    return year.start


_ORDER_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?:\s*г\.?)?")
_ORDER_NUMBER = re.compile(r"№\s*([^\s,;]+)")
_ORDER_BARE_NUMBER = re.compile(
    r"^(?:приказ|распоряжение|постановление)?\s*([^\s,;№]+)\s+от\b", re.IGNORECASE
)


def _order(value) -> ParsedOrder | None:
    """«№ 640 от 28.05.2020», «Приказ от 28.05.2020 № 640», «распоряжение 640 от 28.05.2020»."""
    text = _text(value)
    if not text:
        return None
    folded = text.casefold()
    number_match = _ORDER_NUMBER.search(text) or _ORDER_BARE_NUMBER.search(text)
    date_match = _ORDER_DATE.search(text)
    date = None
    if date_match:
        day, month, year = (int(g) for g in date_match.groups())
        year = year + 2000 if year < 100 else year
        try:
            date = dt.date(year, month, day)
        except ValueError:
            date = None
    number = number_match[1].rstrip(".") if number_match else ""
    if not number or date is None:
        raise BadValue(
            _(
                "не удалось прочитать приказ «%(value)s»: нужны номер и дата, например "
                "«№ 640 от 28.05.2020»"
            )
            % {"value": text}
        )
    if len(number) > MAX_LENGTH["order_number"]:
        raise BadValue(_("слишком длинный номер приказа «%(value)s»") % {"value": number})
    kind = Order.Kind.PRIKAZ
    if folded.startswith("распоряж"):
        kind = Order.Kind.RASPORYAZHENIE
    elif folded.startswith("постановл"):
        kind = Order.Kind.POSTANOVLENIE
    return ParsedOrder(kind=kind, number=number, date=date, text=text)


def _limited(value, column: str) -> str:
    text = _text(value)
    limit = MAX_LENGTH.get(column)
    if limit and len(text) > limit:
        raise BadValue(
            _("«%(column)s» длиннее %(limit)s знаков")
            % {"column": column_label(column), "limit": limit}
        )
    return text


_READERS: dict[str, Callable] = {
    "region": _text,
    "municipality": _text,
    "full_name": lambda v: _limited(v, "full_name"),
    "short_name": lambda v: _limited(v, "short_name"),
    "address": lambda v: _limited(v, "address"),
    "issuer": _text,
    "kind": _kind,
    "inn": lambda v: _inn(v, "inn"),
    "successor_inn": lambda v: _inn(v, "successor_inn"),
    "status": _status,
    "school_year": _school_year,
    "order": _order,
}
# Columns with few distinct values: each value is read once per file (40,000 lines, one order).
_REPEATING = frozenset(
    {"region", "municipality", "issuer", "kind", "status", "school_year", "order"}
)


class _LineReader:
    def __init__(self, columns: dict[str, int]) -> None:
        self.columns = list(columns.items())
        self.carries_organisations = bool(set(columns) & ORGANISATION_COLUMNS)
        self.cache: dict[tuple, tuple] = {}

    def _read(self, column: str, value):
        if column not in _REPEATING:
            return _READERS[column](value)
        key = (column, type(value), value)
        found = self.cache.get(key)
        if found is None:
            try:
                found = (_READERS[column](value), None)
            except BadValue as error:
                found = (None, error)
            self.cache[key] = found
        if found[1] is not None:
            raise found[1]
        return found[0]

    def row(self, line: int, cells: list) -> RegistryRow:
        """One line, or BadValue with every reason found in it (a person fixes them all at once)."""
        values: dict = {}
        reasons: list[str] = []
        for column, index in self.columns:
            try:
                values[column] = self._read(column, cells[index] if index < len(cells) else None)
            except BadValue as error:
                reasons.append(str(error))
        if not reasons:
            if not values.get("inn") and not values.get("full_name"):
                reasons.append(_("нет ни ИНН, ни полного наименования организации"))
            if values.get("status") and values.get("school_year") is None:
                reasons.append(_("не указан учебный год статуса"))
            if (
                (values.get("order") or values.get("school_year"))
                and not values.get("status")
                and not self.carries_organisations
            ):
                reasons.append(_("не указан статус"))
        if reasons:
            raise BadValue("; ".join(reasons))
        return RegistryRow(line=line, name_key=fold(values.get("full_name", "")), **values)


def _find_header(rows: Iterator[tuple[int, list]]) -> dict[str, int]:
    best: dict[str, int] = {}
    for line, cells in rows:
        if not has_content(cells):
            continue
        found = _map_header(cells)
        if len(found) >= 2:
            return found
        if len(found) > len(best):
            best = found
        if line > HEADER_SEARCH_ROWS:
            break
    if best:
        _check_header(best)
    raise FileRefused(
        _(
            "В файле не найдена строка заголовков. Первая строка таблицы должна называть "
            "столбцы, например: «Муниципальное образование», «Полное наименование», «Тип», "
            "«ИНН», «Статус», «Учебный год», «Приказ»."
        )
    )


def check_registry_file(data: bytes, filename: str = "") -> str:
    """The cheap checks an upload passes before anything parses it, in the web request: the size,
    not empty, a CSV or an XLSX book that does not unpack beyond the limits (networks.tables reads
    only the zip directory). Returns the kind, "csv" or "xlsx"; FileRefused otherwise. The lines
    are read later, in the worker (issue 15)."""
    if len(data) > MAX_BYTES:
        raise FileRefused(
            _("Файл больше %(mb)s МБ. Разделите его на части.") % {"mb": MAX_BYTES // 2**20}
        )
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FileRefused(_("Файл пуст."))
    return table_kind(data, filename)


def parse_registry(
    data: bytes, filename: str = "", progress: Callable[[int], None] | None = None
) -> ParsedFile:
    """The lines read and the bad ones, or FileRefused if the file cannot be read at all.
    `progress(n)` is called every PROGRESS_EVERY lines with the number of lines read so far."""
    check_registry_file(data, filename)
    kind, rows = table_rows(data, filename, _map_header, max_rows=MAX_ROWS)
    columns = _find_header(rows)
    _check_header(columns)

    result = ParsedFile(kind=kind, columns=frozenset(columns))
    reader = _LineReader(columns)
    count = blanks = 0
    for line, cells in rows:
        if not has_content(cells):
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
            result.rows.append(reader.row(line, cells))
        except BadValue as error:
            result.errors.append(LineError(line, str(error)))
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if not count:
        raise FileRefused(_("В файле есть заголовки, но нет ни одной строки данных."))
    return result
