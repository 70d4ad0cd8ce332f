"""Reading order documents: requisites from the header, annex tables by their header words,
merged cells read once, a cell naming two people, rows carried over, and what is refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from communities.orderimport.parser import (
    GROUPS,
    PAIRS,
    WORKING_GROUP,
    FileRefused,
    parse_order,
    people_in,
    read_requisites,
    read_tables,
)

from . import documents

# A Cyrillic font for the PDF orders these tests build with fpdf2 (a test tool only).
FONTS = Path(__file__).resolve().parents[2] / "fixtures" / "fonts"


def test_the_requisites_of_order_001_are_read_from_its_header():
    parsed = parse_order(documents.order_001(), "001.docx")
    req = parsed.requisites
    assert req.kind == "prikaz"
    assert req.number == "83-а"
    assert req.date == dt.date(2020, 9, 16)
    assert req.title == documents.TITLE
    assert "(МКУ «ЦНППМ г. Тулы»)" in req.issuer_text


@pytest.mark.parametrize(
    ("lines", "number", "date", "title"),
    [
        (
            ["ПРИКАЗ", "от 12.09.2025 № 001", "О создании сообщества", "В целях …"],
            "001",
            dt.date(2025, 9, 12),
            "О создании сообщества",
        ),
        (
            ["ПРИКАЗ от 12.09.2025 № 001 «О создании сообщества»", "ПРИКАЗЫВАЮ:"],
            "001",
            dt.date(2025, 9, 12),
            "О создании сообщества",
        ),
        (
            [
                "ПРИКАЗ",
                '"29" мая 2021 г.',
                "№ 129",
                "О создании профессионального сообщества",
                'Мастерская управления "Траектория развития школы"',
                "В соответствии с …",
            ],
            "129",
            dt.date(2021, 5, 29),
            'О создании профессионального сообщества Мастерская управления "Траектория развития школы"',
        ),
        (
            [
                "КОМИТЕТ ОБРАЗОВАНИЯ",
                "РАСПОРЯЖЕНИЕ",
                "от 11.03.2021 г.",
                "№ 364 - р",
                "Об организации деятельности стажировочной площадки",
                "В целях реализации",
            ],
            "364-р",
            dt.date(2021, 3, 11),
            "Об организации деятельности стажировочной площадки",
        ),
        (
            [
                "ПРИКАЗ",
                "от 22 мая 2017 г.",
                "№ 1-139/1",
                "О создании муниципального центра",
                "сетевого взаимодействия",
                "В рамках реализации",
            ],
            "1-139/1",
            dt.date(2017, 5, 22),
            "О создании муниципального центра сетевого взаимодействия",
        ),
    ],
)
def test_requisites_as_the_seed_orders_write_them(lines, number, date, title):
    req = read_requisites(lines)
    assert (req.number, req.date, req.title) == (number, date, title)


def test_the_groups_table_with_merged_header_cells_is_read_once_per_cell():
    parsed = parse_order(documents.order_001(), "001.docx")
    (table,) = read_tables(parsed)
    assert table.kind == GROUPS
    assert table.missing == []
    assert len(table.rows) == 12
    first = table.rows[0]
    assert first.number == "1"
    assert first.values["link"] == "https://vk.com/club195082605"
    assert "Сетевая профессиональная группа" in table.headers["name"]
    # Merged «Сетевая профессиональная группа» is repeated by python-docx in both columns;
    # read once, the link column does not carry the name.
    assert "Вжурнале" not in first.values["link"]


def test_a_header_in_one_row_with_the_link_inside_the_name_column():
    parsed = parse_order(documents.order_001(merged_header=False), "001.docx")
    (table,) = read_tables(parsed)
    assert table.kind == GROUPS
    assert len(table.rows) == 12
    assert "https://vk.com/clubnobr71" in table.rows[1].values["link"]


def test_a_cell_listing_two_people_yields_two_administrators_each_with_their_phone():
    people = people_in(
        "Разаренова А.В., главный специалист тел. 8-920-743-61-05; Стародубцева А.В., "
        "специалист тел. 8-910-555-74-40"
    )
    assert [(p.name, p.position, p.phone) for p in people] == [
        ("Разаренова А.В.", "главный специалист", "8-920-743-61-05"),
        ("Стародубцева А.В.", "специалист", "8-910-555-74-40"),
    ]
    # Without the «;», as the seed writes group 2.
    people = people_in(
        "Пудова Е.Д., главный специалист тел.8-910-155-28-12 Шалимова А.Г., специалист "
        "тел.8-920-786-21-51"
    )
    assert [p.name for p in people] == ["Пудова Е.Д.", "Шалимова А.Г."]
    assert people[1].phone == "8-920-786-21-51"


def test_initials_without_their_last_dot_and_a_word_typed_twice():
    (person,) = people_in("Матюхина И.Ю, ведущий специалист тел. 8-930-893-98-25")
    assert person.name == "Матюхина И.Ю."
    (person,) = people_in("Стародубцева А.В., специалист специалист тел. 8-910-555-74-40")
    assert person.position == "специалист"


def _document_with_table(rows):
    document = docx.Document()
    documents.header(document)
    table = document.add_table(rows=0, cols=len(rows[0]))
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    return documents.to_bytes(document)


def test_numbering_columns_empty_rows_and_a_row_carried_to_the_next_page():
    data = _document_with_table(
        [
            ["№ п/п", "Название группы/ссылка", "Категория участников", "Администраторы"],
            ["1", "2", "3", "4"],
            [
                "1.",
                "Вжурнале/педагогические работники – специалисты",
                "Социальные педагоги, учителя-логопеды, учителя-",
                "Кравченко И.Н., главный специалист",
            ],
            [
                "",
                "служб сопровождения https://vk.com/club195082463",
                "дефектологи",
                "тел. 8-980-725-89-83",
            ],
            ["", "", "", ""],
            [
                "2.",
                "Вжурнале/классные руководители https://vk.com/club198721238",
                "Классные руководители",
                "Матюхина И.Ю, ведущий специалист",
            ],
        ]
    )
    (table,) = read_tables(parse_order(data, "x.docx"))
    assert len(table.rows) == 2
    assert table.empty_rows == 1
    row = table.rows[0]
    assert row.values["category"] == "Социальные педагоги, учителя-логопеды, учителя-дефектологи"
    assert "https://vk.com/club195082463" in row.values["link"]
    assert row.values["admins"].endswith("тел. 8-980-725-89-83")
    assert table.rows[1].line == 6


def test_a_working_group_list_and_a_pairs_table_with_a_two_row_header():
    document = docx.Document()
    documents.header(document)
    documents.working_group_table(
        document, [("Ткачёва Юлия Александровна", "заместитель директора", "МКУ «ЦНППМ г. Тулы»")]
    )
    documents.pairs_table(
        document, [("Иванова А.В.", "МБОУ «Лицей № 2»", "Петров С.И.", "МБОУ «ЦО № 1»")]
    )
    wg, pairs = read_tables(parse_order(documents.to_bytes(document), "x.docx"))
    assert wg.kind == WORKING_GROUP
    assert wg.rows[0].values["fio"] == "Ткачёва Юлия Александровна"
    assert pairs.kind == PAIRS
    assert pairs.rows[0].values == {
        "mentor": "Иванова А.В.",
        "mentor_organisation": "МБОУ «Лицей № 2»",
        "mentee": "Петров С.И.",
        "mentee_organisation": "МБОУ «ЦО № 1»",
    }


def test_a_table_is_recognised_by_its_header_words_not_by_its_place():
    data = _document_with_table(
        [["Дата", "Мероприятие", "Место"], ["01.10.2020", "Семинар", "ЦНППМ"]]
    )
    (table,) = read_tables(parse_order(data, "x.docx"))
    assert table.kind is None


def test_what_is_no_order_document_is_refused():
    with pytest.raises(FileRefused, match="не DOCX и не PDF"):
        parse_order(b"just text", "x.docx")
    with pytest.raises(FileRefused, match="пустой"):
        parse_order(b"", "x.docx")


def _pdf(text: str | None) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    if text is not None:
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 10, text)
    else:
        pdf.rect(10, 10, 100, 100, style="F")  # a scan: a picture, no text
    return bytes(pdf.output())


def test_a_scanned_pdf_without_a_text_layer_says_so():
    with pytest.raises(FileRefused, match="нет текстового слоя"):
        parse_order(_pdf(None), "scan.pdf")


def test_a_pdf_with_text_gives_its_requisites_only():
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=12)
    for line in ("ПРИКАЗ", "16.09.2020 г.", "№ 83-а", "Об утверждении локальных актов"):
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    parsed = parse_order(bytes(pdf.output()), "order.pdf")
    assert parsed.pdf_without_tables
    assert parsed.requisites.number == "83-а"
    assert parsed.requisites.date == dt.date(2020, 9, 16)
