"""Materials: pre-moderation in S8 (R-PAV-6.1), upload checked by content, downloads only through
the access check with the Cyrillic name, search in Russian, escaping, query counts, home block."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities import services
from communities.models import Material
from networks.models import ClosingReason, Role
from tests.factories import (
    MaterialFactory,
    MembershipFactory,
    OrderFactory,
    StructureFactory,
    UserFactory,
    kind,
)

from .conftest import PDF, messages_of, pdf, url

pytestmark = pytest.mark.django_db


def add(community, by, **fields):
    values = {
        "title": "Рекомендации по подготовке к ОГЭ",
        "kind": Material.Kind.RECOMMENDATIONS,
        "subject": "Математика",
        "link": "https://example.ru/oge",
    }
    values.update(fields)
    return services.material_add(structure=community.structure, by=by, **values)


# --- R-PAV-6.1: pre-moderation, admission, removal ---------------------------------------------


def test_r_pav_6_1_a_members_material_waits_until_the_administrator_admits_it(client, community):
    material = add(community, community.member)
    assert material.status == Material.Status.PENDING

    # Other members do not see it: not in the list, and its page does not exist for them.
    client.force_login(community.colleague)
    assert "подготовке к ОГЭ" not in client.get(url("material_list", community.structure)).text
    assert client.get(url("material_detail", community.structure, material)).status_code == 404

    # The author sees it, marked as waiting.
    client.force_login(community.member)
    page = client.get(url("material_detail", community.structure, material))
    assert page.status_code == 200 and "ожидает допуска администратором" in page.text

    # The administrator admits it from the queue; everybody sees it from now on.
    client.force_login(community.administrator)
    queue = client.get(url("material_queue", community.structure))
    assert "подготовке к ОГЭ" in queue.text
    response = client.post(url("material_admit", community.structure, material))
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.status == Material.Status.PUBLISHED
    assert material.admitted_by == community.administrator and material.admitted_at

    client.force_login(community.colleague)
    assert "подготовке к ОГЭ" in client.get(url("material_list", community.structure)).text


def test_r_pav_6_1_the_administrator_removes_with_a_reason_and_the_record_stays(client, community):
    material = MaterialFactory(structure=community.structure, author=community.member)
    client.force_login(community.administrator)

    # Without a reason: refused, the form says why.
    refused = client.post(url("material_remove", community.structure, material), {})
    assert refused.status_code == 200 and "Обязательное поле." in refused.text
    material.refresh_from_db()
    assert material.status == Material.Status.PUBLISHED

    client.post(
        url("material_remove", community.structure, material),
        {f"remove-{material.pk}-reason": "Материал дублирует уже опубликованный."},
    )
    material.refresh_from_db()
    assert material.status == Material.Status.REMOVED
    assert material.removed_by == community.administrator
    assert material.removal_reason == "Материал дублирует уже опубликованный."
    assert Material.objects.filter(pk=material.pk).exists()

    # Members no longer see it; the author sees why.
    client.force_login(community.colleague)
    assert client.get(url("material_detail", community.structure, material)).status_code == 404
    client.force_login(community.member)
    page = client.get(url("material_detail", community.structure, material))
    assert "Причина: Материал дублирует уже опубликованный." in page.text


def test_r_pav_6_1_the_administrator_refuses_a_pending_material_from_the_queue(client, community):
    material = add(community, community.member)
    client.force_login(community.administrator)
    response = client.post(
        url("material_remove", community.structure, material),
        {"back": "queue", f"remove-{material.pk}-reason": ""},
    )
    assert response.status_code == 200
    assert "Материалы, ожидающие допуска" in response.text and "Обязательное поле." in response.text
    response = client.post(
        url("material_remove", community.structure, material),
        {"back": "queue", f"remove-{material.pk}-reason": "Не по теме сообщества."},
    )
    assert response["Location"] == url("material_queue", community.structure)
    material.refresh_from_db()
    assert material.status == Material.Status.REMOVED


def test_removing_twice_says_it_is_already_removed(client, community):
    material = MaterialFactory(structure=community.structure)
    client.force_login(community.administrator)
    data = {f"remove-{material.pk}-reason": "Устарел."}
    client.post(url("material_remove", community.structure, material), data)
    again = client.post(url("material_remove", community.structure, material), data)
    assert again.status_code == 302 and "Материал уже удалён." in messages_of(again)


@pytest.mark.parametrize("role", ["administrator", "coordinator"])
def test_r_pav_6_1_the_administrators_and_managers_own_materials_are_published_at_once(
    community, role
):
    person = (
        community.administrator
        if role == "administrator"
        else MembershipFactory(structure=community.structure, role=Role.COORDINATOR).user
    )
    assert add(community, person).status == Material.Status.PUBLISHED


def test_the_moderators_material_waits_too_moderation_is_not_admission(community):
    assert add(community, community.moderator).status == Material.Status.PENDING


def test_in_kinds_without_premoderation_a_members_material_is_published_at_once():
    association = StructureFactory(kind=kind("S5"))
    member = MembershipFactory(structure=association).user
    material = services.material_add(
        structure=association, title="Анализ работы", kind="other", link="https://x.ru", by=member
    )
    assert material.status == Material.Status.PUBLISHED


def test_the_author_withdraws_a_pending_material_and_nobody_else_can(client, community):
    material = add(community, community.member)
    client.force_login(community.administrator)
    assert client.post(url("material_withdraw", community.structure, material)).status_code == 403
    client.force_login(community.member)
    response = client.post(url("material_withdraw", community.structure, material))
    assert response.status_code == 302 and "Материал отозван." in messages_of(response)
    material.refresh_from_db()
    assert material.status == Material.Status.REMOVED and material.removal_reason


def test_a_methodist_reads_the_materials_but_adds_none(client, community):
    MaterialFactory(structure=community.structure, title="Модель повышения качества")
    client.force_login(community.methodist)
    assert "Модель повышения качества" in client.get(url("material_list", community.structure)).text
    assert client.get(url("material_add", community.structure)).status_code == 403


def test_a_closed_structure_takes_no_new_materials(client, community):
    structure = community.structure
    structure.closed_on = dt.date(2023, 5, 31)
    structure.closing_reason = ClosingReason.PROGRAMME_DONE
    structure.closing_order = OrderFactory()
    structure.save()
    client.force_login(community.member)
    response = client.post(
        url("material_add", structure),
        {"title": "Поздно", "kind": "other", "link": "https://example.ru/late"},
    )
    assert response.status_code == 200
    assert "новые материалы не принимаются" in response.text
    assert not Material.objects.filter(title="Поздно").exists()


# --- Upload by content, with the reason and the form kept -------------------------------------


def test_a_member_uploads_a_pdf_with_a_cyrillic_name(client, community):
    client.force_login(community.member)
    form = client.get(url("material_add", community.structure))
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text
    assert "публикуются после допуска администратором" in form.text
    response = client.post(
        url("material_add", community.structure),
        {
            "title": "Приёмы формирующего оценивания",
            "kind": "development",
            "subject": "Русский язык",
            "file": pdf("Формирующее оценивание (5 класс).pdf"),
        },
    )
    material = Material.objects.get(title="Приёмы формирующего оценивания")
    assert response["Location"] == url("material_detail", community.structure, material)
    assert material.original_name == "Формирующее оценивание (5 класс).pdf"
    assert material.file_kind == "pdf"
    assert material.file.name.startswith("materials/") and material.file.name.endswith(".pdf")
    assert "Формирующее" not in material.file.name  # stored under a random name
    assert material.status == Material.Status.PENDING
    assert "Материал отправлен администратору сообщества." in " ".join(messages_of(response))


def test_a_file_that_is_not_what_it_says_is_refused_with_the_reason_and_the_form_kept(
    client, community
):
    client.force_login(community.member)
    response = client.post(
        url("material_add", community.structure),
        {
            "title": "Презентация к педсовету",
            "kind": "presentation",
            "subject": "Управление школой",
            "description": "Слайды к выступлению.",
            "file": pdf("Презентация.pdf", b"MZ\x90\x00 this is a program"),
        },
    )
    assert response.status_code == 200
    text = response.text
    assert "Файл «Презентация.pdf» не принят: по содержимому это не PDF" in text
    assert 'value="Презентация к педсовету"' in text
    assert 'value="Управление школой"' in text
    assert "Слайды к выступлению." in text
    assert not Material.objects.exists()


def test_too_big_a_file_says_the_limit(client, community, settings):
    settings.FILE_UPLOAD_MAX_MB = 1
    client.force_login(community.member)
    response = client.post(
        url("material_add", community.structure),
        {"title": "Большой файл", "kind": "other", "file": pdf("Большой.pdf", PDF * 20000)},
    )
    assert response.status_code == 200 and "больше 1 МБ" in response.text


def test_a_material_needs_a_file_or_a_link(client, community):
    client.force_login(community.member)
    response = client.post(
        url("material_add", community.structure), {"title": "Без файла", "kind": "other"}
    )
    assert response.status_code == 200 and "Приложите файл или укажите ссылку." in response.text


# --- Downloads ---------------------------------------------------------------------------------


def test_download_gives_the_cyrillic_name_in_content_disposition(client, community):
    material = services.material_add(
        structure=community.structure,
        title="Рекомендации",
        kind="recommendations",
        file=pdf("Рекомендации по математике.pdf"),
        by=community.administrator,
    )
    client.force_login(community.colleague)
    response = client.get(url("material_download", community.structure, material))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%D0%A0%D0%B5%D0%BA%D0%BE%D0%BC" in disposition
    # Read to the end, the test client closes the file itself, without closing the database
    # connection as a bare response.close() would (it fires request_finished): the module's data
    # lives in a transaction on that connection.
    assert b"".join(response.streaming_content) == PDF


def test_download_is_refused_to_those_who_may_not_see_the_material(client, community):
    pending = services.material_add(
        structure=community.structure,
        title="Ждёт допуска",
        kind="other",
        file=pdf(),
        by=community.member,
    )
    client.force_login(community.colleague)
    assert client.get(url("material_download", community.structure, pending)).status_code == 404
    client.force_login(community.outsider)
    assert client.get(url("material_download", community.structure, pending)).status_code == 404
    client.force_login(community.administrator)
    response = client.get(url("material_download", community.structure, pending))
    assert response.status_code == 200
    b"".join(response.streaming_content)  # closes the file, not the connection (see above)


def test_the_file_is_not_reachable_by_a_media_url(client, community):
    material = services.material_add(
        structure=community.structure,
        title="Рекомендации",
        kind="other",
        file=pdf(),
        by=community.administrator,
    )
    client.force_login(community.member)
    assert client.get(f"/media/{material.file.name}").status_code == 404
    page = client.get(url("material_detail", community.structure, material)).text
    assert material.file.name not in page


def test_a_material_of_another_structure_is_not_found_through_this_one(client, community):
    other = MaterialFactory(title="Чужой материал")
    client.force_login(community.member)
    assert client.get(url("material_detail", community.structure, other)).status_code == 404


# --- Search ------------------------------------------------------------------------------------


def test_search_in_russian_regardless_of_case(client, community):
    MaterialFactory(
        structure=community.structure,
        title="Смысловое чтение на уроках истории",
        subject="История",
        description="Приёмы работы с ТЕКСТОМ источника.",
    )
    MaterialFactory(structure=community.structure, title="Ёлочка задач", subject="Математика")
    MaterialFactory(structure=community.structure, title="Дроби в 5 классе", subject="Математика")
    client.force_login(community.member)
    listing = url("material_list", community.structure)

    found = client.get(listing, {"q": "СМЫСЛОВОЕ текстом"}).text
    assert "Смысловое чтение" in found and "Дроби" not in found
    assert "Ёлочка задач" in client.get(listing, {"q": "елочка"}).text
    by_subject = client.get(listing, {"subject": "Математика"}).text
    assert "Дроби в 5 классе" in by_subject and "Смысловое чтение" not in by_subject
    by_kind = client.get(listing, {"kind": "presentation"}).text
    assert "Материалов не нашлось" not in by_kind and "Дроби" not in by_kind
    assert "По этим условиям материалов не нашлось" in client.get(listing, {"q": "химия"}).text


# --- Text typed by people stays text ---------------------------------------------------------


def test_script_in_a_material_stays_text(client, community, only_these_panels):
    material = MaterialFactory(
        structure=community.structure,
        title="<script>alert('t')</script>",
        subject="<b>Предмет</b>",
        description="<script>alert('d')</script>\nвторая строка",
    )
    client.force_login(community.member)
    for page in (
        client.get(url("material_list", community.structure)).text,
        client.get(url("material_detail", community.structure, material)).text,
        client.get(reverse("networks:structure_detail", args=[community.structure.pk])).text,
    ):
        assert "<script>alert(" not in page
        assert "&lt;script&gt;alert(" in page
    assert "<b>Предмет</b>" not in client.get(url("material_list", community.structure)).text


# --- Query counts ------------------------------------------------------------------------------


def count_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def make_materials(community, n):
    for i in range(n):
        MaterialFactory(
            structure=community.structure, subject=f"Предмет {i % 4}", author=community.colleague
        )
        MaterialFactory(
            structure=community.structure,
            status=Material.Status.PENDING,
            author=UserFactory(),
        )


@pytest.mark.parametrize("who", ["member", "administrator"])
def test_the_materials_list_runs_the_same_queries_with_ten_times_the_materials(
    client, community, who
):
    client.force_login(getattr(community, who))
    listing = url("material_list", community.structure)
    make_materials(community, 2)
    small = count_queries(client, listing)
    make_materials(community, 18)
    assert count_queries(client, listing) == small
    assert count_queries(client, listing + "?q=рекомендации&subject=Предмет+1") <= small


def test_the_admission_queue_runs_the_same_queries_with_ten_times_the_materials(client, community):
    client.force_login(community.administrator)
    queue = url("material_queue", community.structure)
    make_materials(community, 2)
    small = count_queries(client, queue)
    make_materials(community, 18)
    assert count_queries(client, queue) == small


# --- The structure panel and the home block ---------------------------------------------------


def test_the_panel_shows_latest_materials_open_discussions_and_the_waiting_count(
    client, community, only_these_panels
):
    MaterialFactory(structure=community.structure, title="Опубликованный материал")
    add(community, community.member, title="Ждущий материал")
    client.force_login(community.administrator)
    page = client.get(reverse("networks:structure_detail", args=[community.structure.pk])).text
    assert "Опубликованный материал" in page
    assert "Материалы, ожидающие допуска (1)" in page
    client.force_login(community.member)
    page = client.get(reverse("networks:structure_detail", args=[community.structure.pk])).text
    assert "Опубликованный материал" in page and "ожидающие допуска" not in page
    client.force_login(community.outsider)
    page = client.get(reverse("networks:structure_detail", args=[community.structure.pk])).text
    assert "Материалы и обсуждения" not in page


def test_the_home_block_lists_materials_waiting_across_the_structures_one_admits_in(
    client, community, only_these_panels
):
    other = StructureFactory(kind=kind("S8"), name="Другое сообщество")
    MembershipFactory(structure=other, role=Role.ADMINISTRATOR, user=community.administrator)
    elsewhere = StructureFactory(kind=kind("S8"), name="Чужое сообщество")

    def waiting(structure, n):
        MaterialFactory.create_batch(
            n, structure=structure, status=Material.Status.PENDING, title="Ждёт допуска"
        )

    client.force_login(community.administrator)
    waiting(community.structure, 1)
    waiting(other, 1)
    waiting(elsewhere, 1)
    MaterialFactory(structure=community.structure, title="Уже опубликован")
    small = count_queries(client, reverse("home"))
    page = client.get(reverse("home")).text
    assert "Материалы, ожидающие допуска" in page
    assert "Сетевое сообщество педагогов" in page and "Другое сообщество" in page
    assert "Чужое сообщество" not in page and "Уже опубликован" not in page

    waiting(community.structure, 10)
    waiting(other, 10)
    assert count_queries(client, reverse("home")) == small
    assert "Показаны самые давние 10" in client.get(reverse("home")).text

    client.force_login(community.member)
    assert "Материалы, ожидающие допуска" not in client.get(reverse("home")).text
