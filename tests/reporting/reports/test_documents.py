"""The downloads of a report, opened and read: DOCX with python-docx, XLSX with openpyxl (numbers
are numbers, dates are dates); served only to those who may read the report. The PDF is the DOCX
converted in the worker: test_report_pdf.py."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from reporting.models import Report
from reporting.reports import documents, services
from tests.factories import (
    ContactFactory,
    GroupStatisticsFactory,
    StructureFactory,
    UserFactory,
    kind,
    make_pair,
)

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture
def submitted(association) -> Report:
    report = services.report_start(
        structure=association.structure, by=association.head, deadline=association.deadline
    )
    services.report_save(
        report=report,
        by=association.head,
        narrative={
            "analysis": "Проведено 2 заседания из 4.\nПричина: карантин.",
            "problems": "Низкая явка <b>ШНОР</b>",
            "plans": "Четыре заседания в 2021/2022 году",
        },
    )
    moment = dt.datetime(2021, 7, 10, 12, tzinfo=MSK)
    with time_machine.travel(moment, tick=False):
        services.report_submit(report=report, by=association.head)
    return report


def download(client, report, file_format):
    return client.get(
        reverse("reporting:report_download", args=[report.structure_id, report.pk, file_format])
    )


def test_docx_is_a_document_an_authority_files(client, association, submitted):
    client.force_login(association.head)
    response = download(client, submitted, "docx")
    assert response.status_code == 200
    assert response["Content-Type"] == documents.DocxExporter.content_type
    # Short (issue 18): the kind of document, the structure shortened at a word, the date.
    disposition = response["Content-Disposition"]
    name = unquote(disposition.split("filename*=utf-8''")[1])
    assert name.startswith("Анализ работы межшкольного объединения за учебный год — Межшкольное")
    assert name.endswith(" — 10.07.2021.docx") and len(name) < 100

    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    lines = [p.text for p in doc.paragraphs]
    assert lines[0] == association.structure.host.full_name
    assert "АНАЛИЗ РАБОТЫ МЕЖШКОЛЬНОГО ОБЪЕДИНЕНИЯ ЗА УЧЕБНЫЙ ГОД" in lines
    assert association.structure.name in lines and "за 2020/2021 учебный год" in lines
    assert "10.07.2021\t" in lines  # the date at the left margin, «№» at the right (ГОСТ)
    assert "Представляется: МКУ «ЦНППМ г. Тулы», заместитель директора" in lines
    assert "Решение: Решение 1 протокола 2" in lines
    assert "Причина: карантин." in lines and "Низкая явка <b>ШНОР</b>" in lines

    figures = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert figures["Проведено заседаний"] == "2"
    assert figures["Требуется заседаний в учебный год, не менее"] == "4"
    assert figures["из них представителей ШНОР"] == "3"
    assert figures["Выполнено пунктов плана"] == "3"
    meetings = [[c.text for c in row.cells] for row in doc.tables[2].rows]
    assert meetings[0][:3] == ["№", "Дата", "Тема"]
    assert [row[1] for row in meetings[1:]] == ["15.10.2020", "11.03.2021"]


def test_xlsx_has_a_sheet_per_part_with_real_numbers_and_dates(client, association, submitted):
    client.force_login(association.methodist)
    response = download(client, submitted, "xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[:4] == ["Показатели", "Участники", "Заседания", "План"]
    assert "Пары" not in book.sheetnames and "Онлайн-группа" not in book.sheetnames

    sheet = book["Показатели"]
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["Проведено заседаний"] == 2 and isinstance(values["Проведено заседаний"], int)
    assert values["Участников всего (человек)"] == 6
    assert values["из них представителей ШССУ"] == 1
    assert values["Пунктов плана работы"] == 5
    assert values["Дата"] == dt.datetime(2021, 7, 10)
    date_cell = next(c for row in sheet.iter_rows() for c in row if c.value == values["Дата"])
    assert date_cell.number_format == documents.DATE_FORMAT

    meetings = list(book["Заседания"].iter_rows(min_row=2))
    assert meetings[0][1].value == dt.datetime(2020, 10, 15)
    assert meetings[0][1].number_format == documents.DATE_FORMAT
    assert meetings[1][5].value == 0 and isinstance(meetings[1][5].value, int)
    plan = list(book["План"].iter_rows(min_row=2, values_only=True))
    assert len(plan) == 5 and sum(1 for row in plan if row[5] == "да") == 3
    decisions = list(book["Решения и рекомендации"].iter_rows(min_row=2, values_only=True))
    assert len(decisions) == 3 and decisions[0][0] == dt.datetime(2020, 10, 15)


def test_the_separately_drawn_pdf_is_no_longer_offered(client, association, submitted):
    """Issue 18: the report's PDF is its DOCX converted by LibreOffice in the worker
    (reporting:report_pdf, tests/reporting/reports/test_report_pdf.py), so it carries the same
    content and look; the PDF drawn with fpdf2 beside it is not served any more."""
    client.force_login(association.territory_coordinator)
    assert download(client, submitted, "pdf").status_code == 404


def test_files_are_served_only_to_those_who_may_read_the_report(client, association, submitted):
    client.force_login(association.member)
    assert download(client, submitted, "docx").status_code == 403
    client.force_login(UserFactory())
    assert download(client, submitted, "xlsx").status_code == 404
    client.logout()
    assert download(client, submitted, "pdf").status_code == 302
    client.force_login(association.head)
    assert download(client, submitted, "odt").status_code == 404


def _draft(structure):
    return Report.objects.create(structure=structure, school_year=2020, title="Отчёт группы")


def test_xlsx_of_an_online_group_has_its_statistics_sheet():
    group = StructureFactory(kind=kind("S3"), established_on=dt.date(2020, 9, 1))
    GroupStatisticsFactory(structure=group, visitors=120)
    GroupStatisticsFactory(
        structure=group,
        period_start=dt.date(2020, 10, 1),
        period_end=dt.date(2020, 10, 31),
        visitors=80,
    )
    _, content_type, content = documents.XlsxExporter().render(
        documents.document_data(_draft(group))
    )
    assert content_type.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(content))
    rows = list(book["Онлайн-группа"].iter_rows(min_row=2))
    assert [r[0].value for r in rows] == [dt.datetime(2020, 9, 1), dt.datetime(2020, 10, 1)]
    assert rows[0][1].number_format == documents.DATE_FORMAT and rows[1][2].value == 80
    values = {r[0]: r[1] for r in book["Показатели"].iter_rows(values_only=True) if r and r[0]}
    assert values["Посетители"] == 200 and values["Периодов статистики онлайн-группы"] == 2


def test_documents_of_a_pair_have_its_contacts():
    pair = make_pair(year=2020)
    ContactFactory(pair=pair, date=dt.date(2020, 11, 10))
    data = documents.document_data(_draft(pair))
    book = load_workbook(io.BytesIO(documents.XlsxExporter().build(data)))
    row = next(book["Пары"].iter_rows(min_row=2, values_only=True))
    assert row[3] == 1 and row[4] == dt.datetime(2020, 11, 10)
    doc = Document(io.BytesIO(documents.DocxExporter().build(data)))
    assert any(p.text.startswith("4. Сетевые пары") for p in doc.paragraphs)
