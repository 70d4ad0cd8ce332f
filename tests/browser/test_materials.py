"""R-PAV-6.1 in a real browser: in the S8 network community of teachers a member uploads a PDF
with a Cyrillic name, it waits; the administrator admits it from the home page; the member finds
it by searching in Russian and downloads it under its own name. Every page passes axe."""

import pytest

from networks.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import MembershipFactory, StructureFactory, UserFactory, kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMUNITY = "Сетевое сообщество педагогов Павловского района"
PASSWORD = "pass-Word-2026"
TITLE = "Приёмы смыслового чтения на уроках истории"
FILENAME = "Смысловое чтение (7 класс).pdf"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def sign_out(page):
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url("**/accounts/login/**")


def test_a_member_uploads_the_administrator_admits_the_member_finds_and_downloads(
    page, live_server, tmp_path
):
    community = StructureFactory(kind=kind("S8"), name=COMMUNITY)
    MembershipFactory(
        structure=community,
        role=Role.ADMINISTRATOR,
        user=UserFactory(email="admin@pavlovsk.example", password=PASSWORD),
    )
    MembershipFactory(
        structure=community,
        role=Role.MEMBER,
        user=UserFactory(email="uchitel@pavlovsk.example", password=PASSWORD),
    )
    upload = tmp_path / FILENAME
    upload.write_bytes(PDF)

    # The member uploads a material; in S8 it waits for the administrator.
    sign_in(page, live_server, "uchitel@pavlovsk.example", PASSWORD)
    page.get_by_role("link", name="Структуры").first.click()
    page.get_by_role("link", name=COMMUNITY).click()
    page.get_by_role("heading", name=COMMUNITY).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Добавить материал").click()
    assert_accessible(page)
    page.get_by_label("Название").fill(TITLE)
    page.get_by_label("Предмет (направление)").fill("История")
    page.get_by_label("Вид материала").select_option(label="Методическая разработка")
    page.get_by_label("Описание").fill("Работа с текстом исторического источника.")
    page.get_by_label("Файл").set_input_files(str(upload))
    page.get_by_role("button", name="Отправить на допуск").click()
    page.get_by_text("Материал отправлен администратору сообщества.").wait_for()
    page.get_by_text("ожидает допуска администратором").wait_for()
    assert_accessible(page)
    sign_out(page)

    # The administrator sees it on the home page and admits it.
    sign_in(page, live_server, "admin@pavlovsk.example", PASSWORD)
    waiting = page.get_by_role("region", name="Материалы, ожидающие допуска")
    assert_accessible(page)
    waiting.get_by_role("link", name=TITLE).click()
    page.get_by_role("heading", name=TITLE).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Допустить").click()
    page.get_by_text("допущен: участники его видят").wait_for()
    assert_accessible(page)
    sign_out(page)

    # The member finds it by searching in Russian, in another case, and downloads it.
    sign_in(page, live_server, "uchitel@pavlovsk.example", PASSWORD, home=False)
    page.goto(f"{live_server.url}/structures/{community.pk}/materials/")
    page.get_by_label("Найти").fill("СМЫСЛОВОГО чтения")
    page.get_by_role("button", name="Найти").click()
    page.get_by_text("Найден 1 материал").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Скачать {FILENAME}").click()
    download = download_info.value
    assert download.suggested_filename == FILENAME
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == PDF
