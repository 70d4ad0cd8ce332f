"""R-TUL-A2-3.1.4 and 4.2.6 in a real browser: the administrator of a «Вжурнале» group (S3) uploads
the group's statistics as Excel saves CSV in Russian Windows (Windows-1251, «;») with one bad line,
sees the preview name that line, confirms, and sees the chart and the table. Every page passes axe."""

import pytest
from playwright.sync_api import expect

from mentoring.models import GroupStatistics
from networks.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import MembershipFactory, StructureFactory, UserFactory, kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUP = "Вжурнале / дисциплины физико-математического цикла"
PASSWORD = "pass-Word-2026"
EXPORT = (
    "Начало периода;Конец периода;Посетители;Просмотры;Активные действия;Обратная связь\r\n"
    "01.09.2020;30.09.2020;120;860;95;14\r\n"
    "01.10.2020;31.10.2020;сто;910;102;17\r\n"
    "01.11.2020;30.11.2020;140;950;110;12\r\n"
)


def test_group_administrator_imports_statistics_and_sees_the_trend(
    page, live_server, tmp_path, monkeypatch
):
    """The worker's part (reading the file, issue 15) is played by the test."""
    from mentoring import tasks

    queued = []
    monkeypatch.setattr(tasks.read_statistics_import, "delay", queued.append)
    group = StructureFactory(
        kind=kind("S3"), name=GROUP, platform_url="https://vk.com/club195082605"
    )
    MembershipFactory(
        structure=group,
        role=Role.ADMINISTRATOR,
        user=UserFactory(
            email="razarenova@cnppm.example", last_name="Разаренова", password=PASSWORD
        ),
    )
    export = tmp_path / "Статистика сообщества.csv"
    export.write_bytes(EXPORT.encode("cp1251"))

    sign_in(page, live_server, "razarenova@cnppm.example", PASSWORD, home=False)
    page.goto(f"{live_server.url}/structures/{group.pk}/")
    panel = page.get_by_role("region", name="Статистика группы")
    panel.get_by_text("Данных о посещаемости группы пока нет.").wait_for()
    assert_accessible(page)

    panel.get_by_role("link", name="Загрузить из файла").click()
    page.get_by_role("heading", name="Загрузка статистики из файла").wait_for()
    assert_accessible(page)
    page.get_by_label("Файл статистики (CSV или XLSX)").set_input_files(str(export))
    page.get_by_role("button", name="Проверить файл").click()

    page.get_by_role("heading", name="Файл читается…").wait_for()
    assert_accessible(page)
    assert len(queued) == 1
    tasks.read_statistics_import.apply(args=queued)
    # The page polls the status and reloads itself once the file is read.
    page.get_by_role("heading", name="Проверка файла «Статистика сообщества.csv»").wait_for()
    bad = page.get_by_role("table", name="Эти строки не будут загружены")
    expect(bad.get_by_role("rowheader")).to_contain_text("3")
    expect(bad).to_contain_text("«Посетители»: «сто» — не целое число")
    expect(page.get_by_role("status")).to_contain_text("Пока ничего не сохранено.")
    assert not GroupStatistics.objects.exists()
    assert_accessible(page)

    page.get_by_role("button", name="Сохранить 2 периода").click()
    page.get_by_text("добавлено периодов — 2, обновлено — 0, без изменений — 0").wait_for()
    page.get_by_role("heading", name=f"Статистика группы «{GROUP}»").wait_for()
    chart = page.get_by_role("img", name=f"Посетители по периодам: «{GROUP}»")
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name=f"Статистика группы «{GROUP}» по периодам")
    rows = table.get_by_role("row").all_inner_texts()
    assert [r.split()[0] for r in rows[1:]] == ["01.09.2020–30.09.2020", "01.11.2020–30.11.2020"]
    assert "140" in rows[2] and "950" in rows[2]
    assert_accessible(page)
