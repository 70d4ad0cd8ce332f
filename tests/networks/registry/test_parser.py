"""Reading registry files (networks.registry.parser): encodings, separators, headers, cells."""

from __future__ import annotations

import datetime as dt

import pytest

from networks.models import Order
from networks.registry.parser import FileRefused, ParsedOrder, parse_registry

from .conftest import csv_file, inn, school_line, xlsx_file

HEADER = "ИНН;Статус;Учебный год"
BAD_INN = inn(1)[:-1] + str((int(inn(1)[-1]) + 1) % 10)  # the check digit off by one


def test_windows_1251_with_semicolons():
    parsed = parse_registry(csv_file(school_line(1)).encode("cp1251"), "реестр.csv")
    (row,) = parsed.rows
    assert parsed.kind == "csv"
    assert row.line == 2
    assert row.full_name.endswith("«Средняя школа № 1»")
    assert (row.kind, row.inn, row.status, row.school_year) == ("school", inn(1), "shnor", 2020)
    assert row.order == ParsedOrder(
        Order.Kind.PRIKAZ, "640", dt.date(2020, 5, 28), "№ 640 от 28.05.2020"
    )
    assert parsed.carries_organisations


@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_utf8_with_commas_with_or_without_bom(bom):
    header = "Полное наименование,ИНН,Статус,Учебный год"
    data = f'{bom}{header}\n"МБОУ «Школа № 1», г. Тула",{inn(1)},ШНОР,2020/2021\n'
    (row,) = parse_registry(data.encode(), "list.csv").rows
    assert row.full_name == "МБОУ «Школа № 1», г. Тула"
    assert not parse_registry(data.encode(), "list.csv").carries_organisations


def test_headers_in_any_case_spacing_and_with_synonyms():
    data = (
        "  инн ;СТАТУС ШКОЛЫ;учебный   год;Реквизиты приказа;кем издан приказ;"
        "ИНН правопреемника;Сокращённое наименование\r\n"
        f"{inn(1)};лидер;2020;№ 1 от 01.09.2020;Минобразования;{inn(2)};СОШ 1\r\n"
    )
    (row,) = parse_registry(data.encode(), "").rows
    assert (row.status, row.issuer, row.successor_inn, row.short_name) == (
        "leader",
        "Минобразования",
        inn(2),
        "СОШ 1",
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("школа", "school"),
        ("Общеобразовательная организация", "school"),
        ("организация дополнительного образования", "additional"),
        ("методический центр", "methodical"),
        ("орган управления образованием", "authority"),
        ("организация ДПО/академия", "academy"),
        ("Организация ДПО", "academy"),
        ("академия", "academy"),
        ("иная", "other"),
    ],
)
def test_kinds(text, kind):
    data = f"Полное наименование;Тип\r\nОрганизация;{text}\r\n"
    assert parse_registry(data.encode(), "").rows[0].kind == kind


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("№ 640 от 28.05.2020", (Order.Kind.PRIKAZ, "640", dt.date(2020, 5, 28))),
        ("Приказ от 28.05.2020 № 640", (Order.Kind.PRIKAZ, "640", dt.date(2020, 5, 28))),
        (
            "распоряжение 12-р от 1.9.2020 г.",
            (Order.Kind.RASPORYAZHENIE, "12-р", dt.date(2020, 9, 1)),
        ),
        ("Постановление №5/1 от 02.03.21", (Order.Kind.POSTANOVLENIE, "5/1", dt.date(2021, 3, 2))),
    ],
)
def test_orders(text, order):
    data = f"{HEADER};Приказ\r\n{inn(1)};ШНОР;2020;{text}\r\n"
    parsed = parse_registry(data.encode(), "").rows[0].order
    assert (parsed.kind, parsed.number, parsed.date) == order


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (f"{BAD_INN};ШНОР;2020", f"ИНН «{BAD_INN}» неверен"),
        ("12345;ШНОР;2020", "ИНН «12345» неверен"),
        (f"{inn(1)};двоечник;2020", "неизвестный статус «двоечник»"),
        (f"{inn(1)};ШНОР;20/21", "неверный учебный год «20/21»"),
        (f"{inn(1)};ШНОР;2020/2022", "неверный учебный год «2020/2022»"),
        (f"{inn(1)};ШНОР;", "не указан учебный год статуса"),
        (";ШНОР;2020", "нет ни ИНН, ни полного наименования организации"),
        (f"{inn(1)};;2020", "не указан статус"),
    ],
)
def test_bad_lines_name_their_reason(cells, reason):
    data = f"{HEADER}\r\n{inn(2)};ШНОР;2020\r\n{cells}\r\n"
    parsed = parse_registry(data.encode(), "")
    assert [r.line for r in parsed.rows] == [2]
    (error,) = parsed.errors
    assert error.line == 3
    if reason.startswith("ИНН"):
        assert "неверен — нужно 10 или 12 цифр с верным контрольным числом" in error.reason
    assert reason in error.reason


def test_several_reasons_of_one_line_are_named_together():
    data = f"{HEADER};Приказ\r\n{BAD_INN};отличник;2020;приказ\r\n"
    (error,) = parse_registry(data.encode(), "").errors
    assert error.reason.count(";") >= 2
    assert "неизвестный статус" in error.reason and "не удалось прочитать приказ" in error.reason


def test_school_years_in_several_spellings():
    lines = ["2020/2021", "2020-2021", "2020 / 21", "2020", "2020/2021 уч. г."]
    data = HEADER + "\r\n" + "\r\n".join(f"{inn(n)};ШНОР;{y}" for n, y in enumerate(lines)) + "\r\n"
    assert {r.school_year for r in parse_registry(data.encode(), "").rows} == {2020}


def test_xlsx_numbers_dates_and_a_lost_leading_zero():
    rows = [
        ["ИНН", "Статус", "Учебный год", "Правопреемник (ИНН)"],
        [int(inn(1)), "ШНОР", 2020.0, None],
        # ИНН 0105… saved as a number loses its zero; a region 01 school's is put back.
        [105000008, "ШНОР", "2020/2021", None],
    ]
    parsed = parse_registry(xlsx_file(rows), "book.xlsx")
    assert parsed.kind == "xlsx"
    assert [r.inn for r in parsed.rows] == [inn(1), "0105000008"]
    assert all(r.school_year == 2020 for r in parsed.rows)


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "a.csv", "Файл пуст."),
        (b"\xd0\xcf\x11\xe0rest", "old.xls", "Старый формат Excel (XLS) не поддерживается"),
        (b"just,some,words\n1,2,3\n", "a.csv", "не найдена строка заголовков"),
        (
            "Статус;Учебный год\r\nШНОР;2020\r\n".encode(),
            "a.csv",
            "ни столбца «ИНН», ни столбца «Полное наименование»",
        ),
        ("ИНН;Статус\r\n1;ШНОР\r\n".encode(), "a.csv", "нет столбца «Учебный год»"),
        ("ИНН;Полное наименование\r\n1;Школа\r\n".encode(), "a.csv", "загружать нечего"),
        ("ИНН;Статус;Учебный год\r\n".encode(), "a.csv", "нет ни одной строки данных"),
        (b"not a book", "a.xlsx", "Файл назван .xlsx, но это не книга Excel."),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_the_reason(data, name, reason):
    with pytest.raises(FileRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_registry(data, name)


def test_progress_is_reported_while_reading(monkeypatch):
    from networks.registry import parser

    monkeypatch.setattr(parser, "PROGRESS_EVERY", 2)
    seen = []
    data = HEADER + "\r\n" + "\r\n".join(f"{inn(n)};ШНОР;2020" for n in range(5)) + "\r\n"
    parse_registry(data.encode(), "", progress=seen.append)
    assert seen == [2, 4]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("ШНОР", "shnor"),
        ("шссу", "sssu"),
        ("Школа, функционирующая в сложных социальных условиях", "sssu"),
        ("Школа-лидер", "leader"),
        ("школа лидер", "leader"),
        ("ЛИДЕР", "leader"),
    ],
)
def test_statuses(text, status):
    data = f"{HEADER}\r\n{inn(1)};{text};2020\r\n"
    assert parse_registry(data.encode(), "").rows[0].status == status
