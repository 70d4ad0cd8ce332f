"""Uploaded tables are read safely (issue 15): an XLSX that would unpack too far is refused from its
zip directory before openpyxl parses it, a CSV quote that is never closed is named by its line
instead of merging the lines after it, and no more rows or cells are read than a caller allows.
Both readers go through networks.tables: the registry (networks.registry.parser) and an online
group's statistics (mentoring.statistics_import)."""

from __future__ import annotations

import io
import zipfile

import pytest

from mentoring.statistics_import import parse_statistics
from networks.registry.parser import parse_registry
from networks.tables import FileRefused, table_kind, table_rows
from tests.helpers import at_most, xlsx_bomb

from .registry.conftest import inn

READERS = [parse_statistics, parse_registry]


def refused(reader, data: bytes, name: str) -> str:
    with pytest.raises(FileRefused) as error:
        reader(data, name)
    return str(error.value)


def book(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("reader", READERS)
def test_a_book_that_unpacks_to_60_mb_is_refused_within_2_s_and_100_mb(reader):
    data = xlsx_bomb()
    assert len(data) < 400 * 1024
    with at_most(seconds=2, megabytes=100):
        reason = refused(reader, data, "bomb.xlsx")
    # The registry's default limits: its compression ratio gives it away before its size does;
    # the statistics import caps the unpacked size lower (8 MB), which stops it first.
    assert reason.startswith(
        (
            "Книга XLSX сжата подозрительно сильно: её часть ",
            "Книга XLSX слишком велика в распакованном виде: больше 8 МБ.",
        )
    )


def test_the_limit_is_named_and_comes_from_the_settings(settings):
    settings.UPLOAD_XLSX_MAX_UNPACKED_MB = 3
    data = book({"xl/sharedStrings.xml": b"<a/>" * 2**20})  # 4 MB, ratio about 1000
    with pytest.raises(FileRefused) as error:
        table_kind(data, "a.xlsx")
    assert str(error.value) == (
        "Книга XLSX слишком велика в распакованном виде: больше 3 МБ. Сохраните данные как CSV "
        "или разделите файл на части."
    )


def test_a_member_compressed_more_than_the_ratio_allows_is_refused(settings):
    settings.UPLOAD_XLSX_MAX_RATIO = 100
    data = book({"xl/worksheets/sheet1.xml": b"<row/>" * (2 * 2**20 // 6)})  # 2 MB of one tag
    with pytest.raises(FileRefused) as error:
        table_kind(data, "a.xlsx")
    assert str(error.value).startswith(
        "Книга XLSX сжата подозрительно сильно: её часть «xl/worksheets/sheet1.xml» "
        "сжата в отношении "
    )
    assert "допустимо не больше 100 : 1." in str(error.value)
    settings.UPLOAD_XLSX_MAX_RATIO = 10_000
    assert table_kind(data, "a.xlsx") == "xlsx"


def test_a_book_of_too_many_members_is_refused(settings):
    settings.UPLOAD_XLSX_MAX_MEMBERS = 5
    data = book({f"xl/media/{n}.xml": b"<a/>" for n in range(5)})
    with pytest.raises(FileRefused) as error:
        table_kind(data, "a.xlsx")
    assert str(error.value).startswith(
        "Книга XLSX состоит из слишком многих частей: 6, допустимо не больше 5."
    )


def test_an_ordinary_book_of_5000_lines_passes_the_checks():
    from openpyxl import Workbook

    workbook = Workbook()
    for n in range(5000):
        workbook.active.append([f"01.01.{2000 + n % 20}", "31.01.2000", n, n * 7, n % 13, 1])
    out = io.BytesIO()
    workbook.save(out)
    assert table_kind(out.getvalue(), "s.xlsx", max_unpacked_bytes=8 * 2**20) == "xlsx"


def test_no_more_rows_are_read_than_the_caller_allows_blank_ones_counted():
    data = "\n".join(["a;b"] + [""] * 20 + ["1;2"]).encode()
    _kind, rows = table_rows(data, "t.csv", lambda cells: {}, max_rows=10)
    with pytest.raises(FileRefused) as error:
        list(rows)
    assert str(error.value) == (
        "В файле больше 10 строк, считая пустые. Удалите пустые строки или разделите файл на части."
    )


def test_cells_beyond_the_hundredth_column_are_not_read():
    data = ("a;" * 500 + "b").encode()
    _kind, rows = table_rows(data, "t.csv", lambda cells: {}, max_rows=10)
    assert [len(cells) for _line, cells in rows] == [100]


# --- CSV quotes -------------------------------------------------------------------------------

STATISTICS = [
    "Начало периода;Конец периода;Посетители;Просмотры;Активные действия;Обратная связь",
    "01.09.2020;30.09.2020;120;860;95;14",
    '01.10.2020;"31.10.2020;130;900;99;15',
    "01.11.2020;30.11.2020;140;950;110;12",
]
REGISTRY = [
    "Муниципальное образование;Полное наименование;Тип;ИНН;Статус;Учебный год",
    "Город Тула;МБОУ «Центр образования № 1»;школа;7107037271;ШНОР;2020/2021",
    'Город Тула;"МБОУ «Центр образования № 2»;школа;7107037272;ШНОР;2020/2021',
    "Город Тула;МБОУ «Центр образования № 3»;школа;7107037273;ШНОР;2020/2021",
]


@pytest.mark.parametrize("encoding", ["cp1251", "utf-8"])
@pytest.mark.parametrize(
    ("reader", "lines", "quote"),
    [
        (parse_statistics, STATISTICS, '«"31.10.2020;130;900;99;15»'),
        (parse_registry, REGISTRY, '«"МБОУ «Центр образования № 2»;школа;7107…»'),
    ],
)
def test_an_unclosed_quote_is_refused_naming_its_line_and_the_quote(reader, lines, quote, encoding):
    data = "\r\n".join(lines).encode(encoding)
    assert refused(reader, data, "файл.csv") == (
        f"Строка 3: кавычка не закрыта ({quote}), и следующие строки слились бы с этой в одно "
        "поле. Закройте кавычку или уберите её."
    )


def test_an_unclosed_quote_closed_by_a_later_quote_is_refused_too():
    lines = [*STATISTICS[:3], STATISTICS[3], '"01.12.2020";31.12.2020;1;2;3;4']
    reason = refused(parse_statistics, "\n".join(lines).encode("cp1251"), "s.csv")
    assert reason.startswith("Строка 3: кавычка не закрыта")


def test_a_quoted_cell_over_two_lines_and_text_after_a_closing_quote_are_read_as_before():
    data = "\n".join(
        [
            "Муниципальное образование;Полное наименование;Тип;ИНН;Статус;Учебный год",
            f'Город Тула;"МБОУ «Центр образования\nNo 1»";школа;{inn(1)};ШНОР;2020/2021',
            f'Город Тула;"МБОУ" Центр № 2;школа;{inn(2)};ШНОР;2020/2021',
        ]
    ).encode("cp1251")
    parsed = parse_registry(data, "r.csv")
    assert parsed.errors == []
    assert [row.full_name for row in parsed.rows] == [
        "МБОУ «Центр образования No 1»",  # the line break read, then spaces folded
        "МБОУ Центр № 2",
    ]
    assert [row.line for row in parsed.rows] == [2, 4]
