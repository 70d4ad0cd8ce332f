"""The downloads, opened and read back: the XLSX with openpyxl (numbers are numbers, dates are
dates), the DOCX with python-docx, the PDF's signature; for the territory of conftest.Territory."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

from documents.formatting import signature_name
from reporting.summaries.exporters import EXPORTERS, SummaryDocument
from reporting.summaries.selectors import SummaryScope
from tests.documents.docx_checks import (
    assert_fixed_widths,
    assert_gost_page,
    assert_russian_properties,
    header_rows_repeat,
)

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def render(territory, file_format, **scope):
    document = SummaryDocument.for_user(
        SummaryScope(YEAR, territory.region, **scope), territory.people["methodist"]
    )
    document.generated_on = dt.date(2026, 11, 23)
    return EXPORTERS[file_format].render(document)


def sheet_rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_xlsx_has_a_sheet_per_part_with_real_numbers_and_dates(territory):
    filename, content_type, content = render(territory, "xlsx")
    assert filename == "Сводный отчёт 2020-2021 — Тульская область — 23.11.2026.xlsx"
    assert content_type.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Сводка", "Отчёты по срокам", "Итоги"]

    summary = sheet_rows(workbook["Сводка"])
    assert summary[0][0].startswith("Сводный отчёт о деятельности сетевых структур. Тульская")
    assert summary[1][1] == dt.datetime(2026, 11, 23)
    header = summary[2]
    col = {name: i for i, name in enumerate(header)}
    rows = {r[col["Структура"]]: r for r in summary[3:-1]}
    assert len(rows) == 5
    a = rows[territory.assoc_a.name]
    assert a[col["№"]] in range(1, 6)
    assert a[col["Участники: ШНОР"]] == 3 and isinstance(a[col["Участники: ШНОР"]], int)
    assert a[col["Участники: всего, человек"]] == 5
    assert (a[col["Заседаний проведено"]], a[col["Заседаний требуется"]]) == (3, 4)
    assert (a[col["Протоколов подписано"]], a[col["Вопросов в протоколах"]]) == (2, 5)
    assert (a[col["Пунктов плана"]], a[col["Пунктов выполнено"]]) == (4, 3)
    assert a[col["План: состояние"]] == "Утверждён"
    assert a[col["Пара: контактов за год"]] is None  # not a pair: left empty, not zero
    assert (a[col["принят"]], a[col["не сдан, срок прошёл"]]) == (1, 1)
    pair = rows[territory.pair.name]
    assert pair[col["Пара: контактов за год"]] == 2
    assert pair[col["Доля ответов на анкеты"]] == 0.5
    group = rows[territory.group.name]
    assert group[col["Онлайн: посетители"]] == 200 and group[col["Онлайн: просмотры"]] == 1260

    totals = summary[-1]
    assert totals[0] == "Итого" and totals[1] == 5
    assert totals[col["Участники: всего, человек"]] == 11
    assert totals[col["Заседаний проведено"]] == 4
    assert totals[col["Сроков отчётности"]] == 8  # the pair's results by 25 December among them
    assert totals[col["сдан с опозданием"]] == 2

    deadlines = sheet_rows(workbook["Отчёты по срокам"])
    assert deadlines[2] == (
        "Структура",
        "Вид",
        "Муниципальное образование",
        "Что сдать",
        "Срок",
        "Состояние",
        "Сдано",
        "Решение принято",
    )
    found = {(r[0], r[4]): r for r in deadlines[3:]}
    assert len(found) == 8
    accepted = found[(territory.assoc_a.name, dt.datetime(2020, 12, 25))]
    assert accepted[5] == "принят"
    assert accepted[6] == dt.datetime(2020, 12, 20) and accepted[7] == dt.datetime(2020, 12, 23)
    missing = found[(territory.assoc_a.name, dt.datetime(2021, 7, 15))]
    assert missing[5] == "не сдан, срок прошёл" and missing[6] is None

    totals_sheet = dict(r[:2] for r in sheet_rows(workbook["Итоги"]) if r and r[0])
    assert totals_sheet["Учебный год"] == "2020/2021"
    assert totals_sheet["Дата формирования"] == dt.datetime(2026, 11, 23)
    assert totals_sheet["Структур"] == 5
    assert totals_sheet["Участников, человек без повторов"] == 11
    assert totals_sheet["Сетевых пар"] == 1
    assert totals_sheet["Доля ответов на анкеты"] == 0.5
    assert totals_sheet["сдан с опозданием"] == 2 and totals_sheet["Всего сроков"] == 8
    assert totals_sheet["Заседание"] == 4 and totals_sheet["Семинар"] == 1


def test_xlsx_dates_are_formatted_as_russian_dates(territory):
    _name, _type, content = render(territory, "xlsx")
    sheet = load_workbook(io.BytesIO(content))["Отчёты по срокам"]
    due = next(r[4] for r in sheet.iter_rows(min_row=4) if r[4].value is not None)
    assert due.is_date and due.number_format == "DD.MM.YYYY"


def test_docx_reads_as_a_document_with_the_table_and_totals(territory):
    filename, content_type, content = render(territory, "docx", municipality=territory.a)
    assert filename == "Сводный отчёт 2020-2021 — Алексинский район — 23.11.2026.docx"
    assert content_type.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(content))
    text = [p.text for p in document.paragraphs]
    assert text[0] == territory.people["methodist"].organisation.full_name
    assert text[1] == "СВОДНЫЙ ОТЧЁТ О ДЕЯТЕЛЬНОСТИ СЕТЕВЫХ СТРУКТУР"
    assert text[2] == "Тульская область, Алексинский район, 2020/2021 учебный год"
    # The requisites as the minutes and the annual report have them: the date at the left margin,
    # no number (a report has none), the place of drawing up centred under it.
    assert "23.11.2026\t" in text
    assert text[text.index("23.11.2026\t") + 1] == "Алексинский район"
    table = document.tables[0]
    # Its header row repeats on every page; columns sized for their content (issue 18).
    assert header_rows_repeat(table)
    assert_fixed_widths(table)
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][:8] == [
        "№",
        "Структура",
        "Муниципальное образование",
        "ШНОР",
        "ШССУ",
        "Школы-лидеры",
        "Прочие",
        "Участников всего",
    ]
    body = {row[1].split(" (")[0]: row for row in cells[1:-1]}
    assert set(body) == {territory.assoc_a.name, territory.pair.name, territory.community.name}
    a = body[territory.assoc_a.name]
    assert a[2] == "Алексинский район"
    assert a[3:6] == ["3", "1", "1"] and a[7:11] == ["5", "3 из 4", "2", "3 из 4"]
    assert "до 25.12.2020: принят" in a[13] and "до 15.07.2021: не сдан, срок прошёл" in a[13]
    assert body[territory.pair.name][11] == "2; анкеты 50 %"
    assert a[12] == "—"  # not an online group
    totals = cells[-1]
    assert totals[1] == "Итого: 3" and totals[7] == "9"
    assert any("Сетевых пар: 1" in line for line in text)
    # Signed as the minutes and reports are: «Должность   подпись   И.О. Фамилия».
    methodist = territory.people["methodist"]
    signature = [c.text for c in document.tables[-1].rows[0].cells]
    assert signature == [methodist.position, "____________", signature_name(methodist)]
    assert signature[0] == "Заместитель директора"
    # Filed like the other documents (ГОСТ Р 7.0.97-2016): A4 with its margins, page numbers from
    # page 2, the organisation as the author, Russian (it said «python-docx», 2013, en-US).
    assert_gost_page(document)
    assert_russian_properties(
        document,
        title_has="Сводный отчёт о деятельности сетевых структур. Тульская область",
        author=territory.people["methodist"].organisation.full_name,
    )


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="LibreOffice (soffice) or poppler-utils (pdftotext, pdffonts) is not installed",
)
def test_the_pdf_is_the_docx_converted_in_its_font_with_its_text(territory, tmp_path):
    """Issue 18: the summary's PDF was drawn apart (DejaVu Sans); it is the DOCX converted now,
    in the DOCX's Times New Roman (Liberation Serif where LibreOffice substitutes it), A4
    landscape, with the DOCX's title, rows and signature line."""
    filename, content_type, content = render(territory, "pdf")
    assert filename.endswith(".pdf") and content_type == "application/pdf"
    assert content.startswith(b"%PDF")
    path = tmp_path / "summary.pdf"
    path.write_bytes(content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    assert "DejaVu" not in fonts.stdout
    assert "TimesNewRoman" in fonts.stdout or "LiberationSerif" in fonts.stdout, fonts.stdout
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    signer = signature_name(territory.people["methodist"])
    assert f"Заместитель директора ____________ {signer}" in text
    # The requisites: the title, the date of drawing up and the place; no rule id.
    assert "СВОДНЫЙ ОТЧЁТ" in text and "23.11.2026 Тульская область" in text and "R-" not in text
    assert territory.pair.name in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    size = next(line for line in info.stdout.splitlines() if line.startswith("Page size:"))
    width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split(" x "))
    assert abs(width - 841.9) < 1 and abs(height - 595.3) < 1  # A4 landscape
