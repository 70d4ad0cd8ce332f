"""R-TUL-A1-5.3, R-TUL-A2-3.1.4: reading a group's statistics export (mentoring.statistics_import).
Pure functions over bytes: no database."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from mentoring.statistics_import import (
    MAX_BYTES,
    MAX_LINES,
    FileRefused,
    LineError,
    StatRow,
    parse_statistics,
)

from .conftest import HEADER, csv_bytes, xlsx_bytes

SEPT = ["01.09.2020", "30.09.2020", "120", "860", "95", "14"]
OCT = ["01.10.2020", "31.10.2020", "135", "910", "102", "17"]


def sept_row(line=2):
    return StatRow(line, dt.date(2020, 9, 1), dt.date(2020, 9, 30), 120, 860, 95, 14)


def reasons(result) -> dict[int, str]:
    return {e.line: e.reason for e in result.errors}


# --- Encodings, separators, formats ------------------------------------------------------------


def test_utf8_csv_with_commas():
    result = parse_statistics(csv_bytes([SEPT, OCT], delimiter=","), "stat.csv")
    assert result.kind == "csv"
    assert result.errors == []
    assert result.rows == [
        sept_row(2),
        StatRow(3, dt.date(2020, 10, 1), dt.date(2020, 10, 31), 135, 910, 102, 17),
    ]


def test_utf8_csv_with_bom_and_semicolons():
    result = parse_statistics(csv_bytes([SEPT], delimiter=";", bom=True), "stat.csv")
    assert result.rows == [sept_row()]


def test_windows_1251_csv_with_semicolons():
    data = csv_bytes([SEPT, OCT], encoding="cp1251", delimiter=";")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test really is about Windows-1251
    result = parse_statistics(data, "Статистика.csv")
    assert [r.visitors for r in result.rows] == [120, 135]
    assert result.errors == []


def test_tab_separated_file():
    assert parse_statistics(csv_bytes([SEPT], delimiter="\t"), "stat.txt").rows == [sept_row()]


def test_xlsx_with_date_and_number_cells_and_a_title_above_the_header():
    data = xlsx_bytes(
        [
            [dt.datetime(2020, 9, 1), dt.datetime(2020, 9, 30), 120, 860.0, 95, 14],
            ["01.10.2020", "31.10.2020", "135", 910, 102, 17],
        ],
        title="Статистика сообщества «Вжурнале»",
    )
    result = parse_statistics(data, "stat.xlsx")
    assert result.kind == "xlsx"
    assert result.errors == []
    assert result.rows[0] == StatRow(4, dt.date(2020, 9, 1), dt.date(2020, 9, 30), 120, 860, 95, 14)
    assert result.rows[1].period_start == dt.date(2020, 10, 1)
    assert result.rows[1].line == 5


def test_xlsx_bad_line_is_reported_with_its_row_number():
    data = xlsx_bytes([[dt.date(2020, 9, 1), dt.date(2020, 9, 30), 120, 860, 95, 1.5]])
    result = parse_statistics(data, "stat.xlsx")
    assert result.rows == []
    assert result.errors == [LineError(2, "«Обратная связь»: нужно целое число, а не 1.5")]


def test_english_headers_in_any_case_and_order():
    header = ["FEEDBACK", "Views", "visitors", "Period End", "period start", "Active actions"]
    data = csv_bytes([["14", "860", "120", "2020-09-30", "2020-09-01", "95"]], header=header)
    assert parse_statistics(data, "export.csv").rows == [sept_row()]


@pytest.mark.parametrize(
    ("month", "start", "end"),
    [
        ("09.2020", dt.date(2020, 9, 1), dt.date(2020, 9, 30)),
        ("9.2020", dt.date(2020, 9, 1), dt.date(2020, 9, 30)),
        ("2021-02", dt.date(2021, 2, 1), dt.date(2021, 2, 28)),
        ("сентябрь 2020", dt.date(2020, 9, 1), dt.date(2020, 9, 30)),
        ("Сентябрь 2020 г.", dt.date(2020, 9, 1), dt.date(2020, 9, 30)),
        ("февраля 2024", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("Декабрь  2020", dt.date(2020, 12, 1), dt.date(2020, 12, 31)),
        ("September 2020", dt.date(2020, 9, 1), dt.date(2020, 9, 30)),
        ("15.09.2020", dt.date(2020, 9, 15), dt.date(2020, 9, 15)),
        ("01.09.2020–15.09.2020", dt.date(2020, 9, 1), dt.date(2020, 9, 15)),
        ("01.09.2020 - 15.09.2020", dt.date(2020, 9, 1), dt.date(2020, 9, 15)),
        ("2020-09-01", dt.date(2020, 9, 1), dt.date(2020, 9, 1)),
    ],
)
def test_a_single_month_column(month, start, end):
    header = ["Месяц", "Посетители", "Просмотры", "Активные действия", "Обратная связь"]
    result = parse_statistics(csv_bytes([[month, "1", "2", "3", "4"]], header=header), "m.csv")
    assert result.errors == []
    assert result.rows[0].period == (start, end)


def test_thousands_written_with_spaces_and_whole_numbers_with_zero_decimals():
    rows = [["01.09.2020", "30.09.2020", "1 200", "12\u00a0860", "95,0", "14.00"]]
    row = parse_statistics(csv_bytes(rows, delimiter=";"), "s.csv").rows[0]
    assert row.figures == (1200, 12860, 95, 14)


def test_headers_with_yo_brackets_and_extra_spaces_are_recognised():
    header = [" начало  периода ", "Конец периода:", "Посетители", "Просмотры", "Активные действия", "Обратная связь (отзывы, комментарии)"]  # fmt: skip
    assert parse_statistics(csv_bytes([SEPT], header=header), "s.csv").rows == [sept_row()]


def test_blank_lines_are_skipped_and_line_numbers_stay_those_of_the_file():
    data = csv_bytes([SEPT, [], ["", "", "", "", "", ""], ["01.10.2020", "31.10.2020", "x", "1", "1", "1"]])  # fmt: skip
    result = parse_statistics(data, "s.csv")
    assert result.rows == [sept_row()]
    assert list(reasons(result)) == [5]


# --- Bad lines: each reported with its number and reason -------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (["01.09.2020", "30.09.2020", "120", "860", "95"], "нет значения в столбце «Обратная связь»"),
        (["01.09.2020", "30.09.2020", "", "860", "95", "1"], "нет значения в столбце «Посетители»"),
        (["01.09.2020", "30.09.2020", "сто", "860", "95", "1"], "«Посетители»: «сто» — не целое число"),
        (["01.09.2020", "30.09.2020", "12,5", "860", "95", "1"], "«Посетители»: «12,5» — не целое число"),
        (["01.09.2020", "30.09.2020", "120", "-3", "95", "1"], "«Просмотры»: отрицательное число -3"),
        (["01.09.2020", "30.09.2020", "120", "1", "99999999999", "1"], "«Активные действия»: слишком большое число 99999999999"),
        (["30.09.2020", "01.09.2020", "1", "1", "1", "1"], "конец периода 01.09.2020 раньше его начала 30.09.2020"),
        (["сентябрь", "30.09.2020", "1", "1", "1", "1"], "неизвестный формат даты «сентябрь»"),
        (["31.02.2020", "30.09.2020", "1", "1", "1", "1"], "в строке несуществующая дата «31.02.2020»"),
    ],
)  # fmt: skip
def test_bad_line_is_reported_with_its_number_and_reason(line, reason):
    result = parse_statistics(csv_bytes([SEPT, line, OCT], delimiter=";"), "s.csv")
    assert result.errors == [LineError(3, reason)]
    assert [r.line for r in result.rows] == [2, 4]


def test_duplicates_within_the_file_are_reported_against_the_first_line():
    same = ["01.09.2020", "30.09.2020", "1", "1", "1", "1"]
    overlapping = ["15.09.2020", "15.10.2020", "1", "1", "1", "1"]
    result = parse_statistics(csv_bytes([SEPT, OCT, same, overlapping]), "s.csv")
    assert [r.line for r in result.rows] == [2, 3]
    assert reasons(result) == {
        4: "период 01.09.2020–30.09.2020 уже указан в строке 2",
        5: "период 15.09.2020–15.10.2020 пересекается с периодом 01.09.2020–30.09.2020 из строки 2",
    }


def test_overlap_with_a_later_period_of_the_file_is_found_too():
    earlier = ["20.08.2020", "05.09.2020", "1", "1", "1", "1"]
    result = parse_statistics(csv_bytes([OCT, SEPT, earlier]), "s.csv")
    assert reasons(result) == {
        4: "период 20.08.2020–05.09.2020 пересекается с периодом 01.09.2020–30.09.2020 из строки 3"
    }


# --- Files refused as a whole ------------------------------------------------------------------------


def refused(data: bytes, name: str = "s.csv") -> str:
    with pytest.raises(FileRefused) as error:
        parse_statistics(data, name)
    return str(error.value)


def test_a_file_with_no_header_we_recognise_is_refused():
    message = refused(csv_bytes([SEPT], header=["Группа", "Число", "Сумма", "Итог"]))
    assert message.startswith("В файле не найдена строка заголовков.")
    assert refused(csv_bytes([SEPT], header=None)).startswith("В файле не найдена строка")


def test_a_header_without_a_needed_column_names_it():
    header = ["Месяц", "Посетители", "Просмотры", "Активные действия"]
    assert refused(csv_bytes([["09.2020", 1, 2, 3]], header=header)) == (
        "В заголовке файла нет столбцов: «Обратная связь»."
    )
    header = ["Начало периода", *HEADER[2:]]
    assert refused(csv_bytes([SEPT], header=header)) == (
        "В заголовке файла нет столбцов: «Конец периода»."
    )


@pytest.mark.parametrize("data", [b"", b"  \r\n\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_an_empty_file_is_refused(data):
    assert refused(data) == "Файл пуст."


def _zip(names) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"%PDF-1.7\n...", "stat.pdf", "Это не таблица: загрузите файл CSV или XLSX."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "stat.png", "Это не таблица"),
        (b"\x00\x01\x02binary", "stat.csv", "Это не таблица"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "stat.xls", "Старый формат Excel (XLS)"),
        (_zip(["a.txt"]), "stat.zip", "Это архив, а не таблица"),
        (_zip(["[Content_Types].xml", "xl/workbook.xml"]), "stat.xlsx", "Не удалось прочитать"),
        ("Начало периода;Конец".encode(), "stat.xlsx", "Файл назван .xlsx, но это не книга Excel."),
    ],
    # A built archive holds the second it was built: names of their own, the same in every worker.
    ids=["pdf", "png", "binary-csv", "xls", "zip", "broken-xlsx", "csv-as-xlsx"],
)
def test_what_is_not_csv_or_xlsx_is_refused_with_the_reason(data, name, reason):
    assert refused(data, name).startswith(reason)


def test_an_xlsx_that_unpacks_to_a_huge_size_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b" " * (65 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < MAX_BYTES
    assert refused(data, "bomb.xlsx").startswith("Книга XLSX слишком велика")


def test_a_file_over_the_size_limit_is_refused():
    data = csv_bytes([SEPT]) + b" " * MAX_BYTES
    assert refused(data).startswith("Файл больше 2 МБ.")


def test_a_file_over_the_line_limit_is_refused_and_one_at_the_limit_is_read():
    day = dt.date(2000, 1, 1)
    lines = [
        [f"{day + dt.timedelta(i):%d.%m.%Y}", f"{day + dt.timedelta(i):%d.%m.%Y}", 1, 2, 3, 4]
        for i in range(MAX_LINES + 1)
    ]
    assert refused(csv_bytes(lines, delimiter=";")) == (
        "В файле больше 5000 строк. Разделите его на части."
    )
    result = parse_statistics(csv_bytes(lines[:MAX_LINES], delimiter=";"), "s.csv")
    assert len(result.rows) == MAX_LINES
    assert result.errors == []
