"""A methodist of a region in a real browser: opens the territory's summary for 2020/2021 from the
home page, sees the table and its totals, asks for the XLSX, follows it on the progress page and
downloads it; then opens the page of one deadline and sees its chart. Every page passes axe.

There is no Celery worker in the browser tests. The summary of this small territory would be
rendered at once, so SUMMARY_EXPORT_DIRECT_LIMIT = 0 sends it through an export job as a big one
goes, and CELERY_TASK_ALWAYS_EAGER = True (Celery reads Django's settings) runs the queued task in
the web request that queued it, right after the job is committed: the progress page then shows the
finished job, as it would once a worker had done it. The polling itself is the JSON status, tested
in tests/reporting/summaries/test_export_jobs.py.
"""

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from reporting.models import DeadlineRule, ExportJob
from tests.browser.conftest import assert_accessible, sign_in
from tests.reporting.summaries.conftest import PASSWORD, build_territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_methodist_reads_the_territory_summary_downloads_it_and_sees_a_deadline(
    page, live_server, settings
):
    settings.SUMMARY_EXPORT_DIRECT_LIMIT = 0
    settings.CELERY_TASK_ALWAYS_EAGER = True
    territory = build_territory()
    rule = DeadlineRule.objects.get(kind__code="S5", due_month=12)

    sign_in(page, live_server, "methodist@tula.example", PASSWORD)
    block = page.get_by_role("region", name="Отчётность территории")
    block.get_by_role("link", name="Сводный отчёт территории").click()
    page.get_by_role("heading", name="Сводный отчёт о деятельности сетевых структур").wait_for()
    # Exact: the table's frame, which scrolls, is a region named «…, 2026/2027 учебный год».
    page.get_by_label("Учебный год", exact=True).select_option(label="2020/2021")
    page.get_by_role("button", name="Показать").click()

    table = page.get_by_role(
        "table", name="Показатели структур: Тульская область, 2020/2021 учебный год"
    )
    table.wait_for()
    text = table.inner_text()
    for structure in territory.structures:
        assert structure.name in text
    assert territory.elsewhere.name not in text
    totals = table.get_by_role("row").last.inner_text()
    assert "Итого по 5 структурам" in totals
    assert re.search(r"5\s+2\s+3\s+3\s+11", totals), totals
    assert_accessible(page)

    page.get_by_role("button", name="Скачать XLSX").click()
    page.get_by_role("heading", name="Выгрузка сводного отчёта (XLSX)").wait_for()
    page.get_by_role("heading", name="Файл готов").wait_for()
    assert ExportJob.objects.get().status == "done"
    assert_accessible(page)
    # Kind and year, territory, the date it was drawn up (issue 18: short names with a date).
    name = f"Сводный отчёт 2020-2021 — Тульская область — {timezone.localdate():%d.%m.%Y}.xlsx"
    with page.expect_download() as info:
        page.get_by_role("link", name=f"Скачать «{name}»").click()
    download = info.value
    assert download.suggested_filename == name
    with open(download.path(), "rb") as saved:  # saved without an extension: read it as bytes
        workbook = load_workbook(io.BytesIO(saved.read()))
    assert workbook.sheetnames == ["Сводка", "Отчёты по срокам", "Итоги"]
    figures = dict(r[:2] for r in workbook["Итоги"].iter_rows(values_only=True) if r and r[0])
    assert figures["Структур"] == 5 and figures["Участников, человек без повторов"] == 11

    page.get_by_role("link", name="К сводному отчёту").click()
    page.get_by_role("link", name="Отчётность по одному сроку — с диаграммой").click()
    page.get_by_role("heading", name="Отчётность по сроку", exact=True).wait_for()
    page.get_by_label("Срок отчётности").select_option(str(rule.pk))
    page.get_by_role("button", name="Показать").click()
    page.get_by_role("heading", name=f"{rule.title} — срок 25.12.2020").wait_for()
    chart = page.get_by_role(
        "img",
        name="Отчётность по сроку «Отчёт о результатах деятельности сообщества», 2020/2021"
        " учебный год",
    )
    expect(chart).to_be_visible()
    counts = page.get_by_role("table", name="Сроков в территории: 2").inner_text()
    assert re.search(r"сдан с опозданием\s+1", counts) and re.search(r"принят\s+1", counts)
    structures = page.get_by_role("table", name=f"Структуры по сроку «{rule.title}»")
    assert territory.assoc_b.name in structures.inner_text()
    assert_accessible(page)
