"""The registry pages: upload, preview, confirmation, progress and result, the region's list, and
who may see them (the region's coordinator and superusers; 403 for people who may import for no
region, 404 for an import of another region, the sign-in page for the anonymous)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from networks.models import Organisation, RegistryImport, TerritoryRole
from networks.registry import services
from tests.factories import (
    MunicipalityFactory,
    OrderFactory,
    RegionFactory,
    TerritoryRoleFactory,
    UserFactory,
)

from .conftest import csv_file, inn, school_line

pytestmark = pytest.mark.django_db


def upload(client, data: bytes, name="Перечень 2020.csv", **fields):
    return client.post(
        reverse("registry:upload"),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv"), **fields},
    )


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def outsider_coordinator(db):
    """The coordinator of another region."""
    user = UserFactory(email="coordinator@kaluga.example")
    TerritoryRoleFactory(
        user=user,
        region=RegionFactory(code="40", name="Калужская область"),
        role=TerritoryRole.Role.COORDINATOR,
    )
    return user


def test_the_coordinator_uploads_sees_the_bad_line_and_nothing_is_saved(
    signed_in, ministry, worker
):
    bad = school_line(2, status="отличник")
    with worker():
        response = upload(
            signed_in,
            csv_file(school_line(1), bad).encode("cp1251"),
            order_kind="prikaz",
            order_number="640",
            order_date="28.05.2020",
            order_title="Об утверждении перечня",
            order_issuer=ministry.pk,
        )

    staged = RegistryImport.objects.get()
    assert staged.status == RegistryImport.Status.STAGED  # read by the worker
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:detail", args=[staged.pk])
    assert not Organisation.objects.filter(inn=inn(1)).exists()

    page = signed_in.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Проверка файла «Перечень 2020.csv»" in html
    assert "Пока ничего не сохранено." in html
    assert (
        "Строки с ошибками не загружаются: при подтверждении загрузятся только строки без ошибок."
        in html
    )
    assert (
        '<th scope="row">3</th><td>неизвестный статус «отличник»; возможны: ШНОР, ШССУ, школа-лидер</td>'
        in html
    )
    assert "Будет создано: 2; изменено: 0; без изменений: 0; строк с ошибками: 1." in html
    assert "Загрузить строки без ошибок" in html
    assert "Приказ от 28.05.2020 № 640" in html


def test_confirming_applies_the_good_lines_and_shows_the_result(signed_in, stage):
    staged = stage(csv_file(school_line(1), school_line(2, status="отличник")))

    response = signed_in.post(reverse("registry:confirm", args=[staged.pk]))

    assert response.status_code == 302
    assert Organisation.objects.filter(inn=inn(1)).exists()
    page = signed_in.get(response["Location"]).content.decode()
    assert "Создано: 2; изменено: 0; без изменений: 0; строк с ошибками (не загружены): 1." in page
    assert "Эти строки не загружены" in page


def test_the_second_preview_of_the_same_file_says_everything_is_unchanged(signed_in, stage, apply):
    data = csv_file(school_line(1))
    apply(stage(data))
    again = stage(data)
    page = signed_in.get(reverse("registry:detail", args=[again.pk])).content.decode()
    assert "Будет создано: 0; изменено: 0; без изменений: 2; строк с ошибками: 0." in page
    assert "Загружать нечего: все строки без ошибок уже совпадают с реестром." in page
    assert reverse("registry:confirm", args=[again.pk]) not in page


def test_a_rejected_file_says_why_and_keeps_the_other_fields(signed_in, ministry):
    response = upload(
        signed_in,
        b"%PDF-1.4 not a table",
        name="приказ.csv",
        order_number="640",
        order_date="28.05.2020",
        order_title="Об утверждении перечня",
        order_issuer=ministry.pk,
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["file"] == [
        "Файл «приказ.csv» не принят: Это не таблица: загрузите файл CSV или XLSX."
    ]
    html = response.content.decode()
    assert 'value="640"' in html and 'value="Об утверждении перечня"' in html
    assert not RegistryImport.objects.exists()


def test_an_unknown_extension_and_an_incomplete_new_order_are_errors_of_their_fields(
    signed_in,
):
    response = upload(signed_in, b"x", name="list.pdf", order_number="640")
    errors = response.context["form"].errors
    assert errors["file"] == ["Файл «list.pdf» не принят: загрузите таблицу CSV или XLSX."]
    for name in ("order_date", "order_title", "order_issuer"):
        assert errors[name] == ["Заполните: это нужно для нового приказа."]
    html = response.content.decode()
    assert 'aria-invalid="true"' in html


def test_an_order_chosen_and_a_new_one_described_is_an_error(signed_in, ministry):
    order = OrderFactory(issuer=ministry)
    response = upload(
        signed_in, csv_file(school_line(1)).encode(), order=order.pk, order_number="1"
    )
    assert response.context["form"].errors["order"] == [
        "Выберите приказ из списка или опишите новый, но не то и другое сразу."
    ]


def test_the_region_is_asked_only_of_a_coordinator_of_several(client, coordinator, region):
    client.force_login(coordinator)
    assert "region" not in client.get(reverse("registry:upload")).context["form"].fields
    other = RegionFactory(code="40", name="Калужская область")
    TerritoryRoleFactory(user=coordinator, region=other, role=TerritoryRole.Role.COORDINATOR)
    MunicipalityFactory(region=other, name="город Калуга")
    form = client.get(reverse("registry:upload")).context["form"]
    assert list(form.fields["region"].queryset) == [other, region]

    response = upload(
        client,
        csv_file(school_line(1, municipality="город Калуга")).encode(),
        region=other.pk,
    )
    assert RegistryImport.objects.get().region == other
    assert response.status_code == 302


def test_an_import_nobody_takes_says_that_no_worker_may_be_running(
    signed_in, stage, coordinator, monkeypatch, settings
):
    # Issue 15: with no worker running, «скоро начнётся» was shown for ever.
    settings.QUEUE_WAIT_WARNING_MINUTES = 5
    monkeypatch.setattr(services, "INLINE_MAX_LINES", 0)
    staged = stage(csv_file(school_line(1)))
    services.registry_import_confirm(registry_import=staged, by=coordinator)
    status = reverse("registry:status", args=[staged.pk])
    assert json.loads(signed_in.get(status).content)["message"] == (
        "Загрузка поставлена в очередь и скоро начнётся."
    )

    RegistryImport.objects.filter(pk=staged.pk).update(
        confirmed_at=timezone.now() - dt.timedelta(minutes=6)
    )

    assert json.loads(signed_in.get(status).content)["message"] == (
        "Загрузка ждёт дольше 5 минут: возможно, не запущен обработчик очереди. "
        "Сообщите администратору."
    )


def test_the_status_endpoint_reports_progress(signed_in, stage, coordinator, monkeypatch):
    monkeypatch.setattr(services, "INLINE_MAX_LINES", 0)
    staged = stage(csv_file(school_line(1)))
    services.registry_import_confirm(registry_import=staged, by=coordinator)

    page = signed_in.get(reverse("registry:detail", args=[staged.pk])).content.decode()
    assert 'role="progressbar"' in page
    assert f'href="{reverse("registry:detail", args=[staged.pk])}">Обновить</a>' in page
    assert "js/progress.js" in page
    state = json.loads(signed_in.get(reverse("registry:status", args=[staged.pk])).content)
    assert state == {
        "status": "applying",
        "label": "Загружается",
        "progress": 0,
        "total": 1,
        "percent": 0,
        "writing": False,
        "finished": False,
        "message": "Загрузка поставлена в очередь и скоро начнётся.",
    }

    RegistryImport.objects.filter(pk=staged.pk).update(progress=1)  # every line checked
    state = json.loads(signed_in.get(reverse("registry:status", args=[staged.pk])).content)
    assert (state["percent"], state["writing"], state["finished"]) == (100, True, False)
    assert state["message"].startswith("Строки сверены с реестром; изменения записываются")
    page = signed_in.get(reverse("registry:detail", args=[staged.pk])).content.decode()
    assert "progress-bar-animated" in page

    services.registry_import_apply(import_id=staged.pk)
    state = json.loads(signed_in.get(reverse("registry:status", args=[staged.pk])).content)
    assert (state["status"], state["percent"], state["finished"]) == ("applied", 100, True)


def test_discarding_a_staged_import_forgets_it(signed_in, stage):
    staged = stage(csv_file(school_line(1)))
    response = signed_in.post(reverse("registry:discard", args=[staged.pk]))
    assert response["Location"] == reverse("registry:list")
    assert not RegistryImport.objects.exists()
    assert not Organisation.objects.filter(inn=inn(1)).exists()


# --- Who may -----------------------------------------------------------------------------------


def test_the_anonymous_visitor_is_sent_to_sign_in(client, stage):
    staged = stage(csv_file(school_line(1)))
    for url in (
        reverse("registry:list"),
        reverse("registry:upload"),
        reverse("registry:detail", args=[staged.pk]),
        reverse("registry:status", args=[staged.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["none", "methodist", "municipal_coordinator"])
def test_a_person_without_a_regional_coordinator_role_gets_403(client, region, tula, role):
    user = UserFactory()
    if role == "methodist":
        TerritoryRoleFactory(user=user, region=region, role=TerritoryRole.Role.METHODIST)
    elif role == "municipal_coordinator":
        TerritoryRoleFactory(
            user=user, region=region, municipality=tula, role=TerritoryRole.Role.COORDINATOR
        )
    client.force_login(user)
    assert client.get(reverse("registry:upload")).status_code == 403
    assert client.get(reverse("registry:list")).status_code == 403
    assert upload(client, csv_file(school_line(1)).encode()).status_code == 403
    assert not RegistryImport.objects.exists()


def test_the_coordinator_of_another_region_gets_404_for_this_regions_import(
    client, stage, outsider_coordinator
):
    staged = stage(csv_file(school_line(1)))
    client.force_login(outsider_coordinator)
    assert client.get(reverse("registry:detail", args=[staged.pk])).status_code == 404
    assert client.get(reverse("registry:status", args=[staged.pk])).status_code == 404
    assert client.post(reverse("registry:confirm", args=[staged.pk])).status_code == 404
    assert client.post(reverse("registry:discard", args=[staged.pk])).status_code == 404
    staged.refresh_from_db()
    assert staged.status == RegistryImport.Status.STAGED
    # Their own list does not show it.
    assert staged.filename not in client.get(reverse("registry:list")).content.decode()


def test_a_superuser_may_import_for_any_region(client, stage, region):
    staged = stage(csv_file(school_line(1)))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("registry:detail", args=[staged.pk])).status_code == 200
    form = client.get(reverse("registry:upload")).context["form"]
    assert region in form.fields["region"].queryset


def test_confirming_needs_post(signed_in, stage):
    staged = stage(csv_file(school_line(1)))
    assert signed_in.get(reverse("registry:confirm", args=[staged.pk])).status_code == 405


# --- The region's list ---------------------------------------------------------------------------


def _imports(count: int, stage, apply):
    for n in range(count):
        staged = stage(csv_file(school_line(n)), filename=f"перечень-{n}.csv")
        if n % 2:
            apply(staged)


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_runs_the_same_queries_with_2_or_20_imports(
    signed_in, stage, apply, count, django_assert_num_queries
):
    _imports(count, stage, apply)
    signed_in.get(reverse("registry:list"))  # warm the session
    # session, user, territory roles, unread notices, count, page
    with django_assert_num_queries(6):
        response = signed_in.get(reverse("registry:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "перечень-0.csv" in html
    assert html.count('<th scope="row"><a href="/registry/') == count


def test_the_admin_lists_imports_read_only(client, stage):
    staged = stage(csv_file(school_line(1)))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    changelist = client.get(reverse("admin:networks_registryimport_changelist"))
    assert changelist.status_code == 200
    assert staged.filename in changelist.content.decode()
    filtered = client.get(
        reverse("admin:networks_registryimport_changelist"), {"status__exact": "applied"}
    )
    assert staged.filename not in filtered.content.decode()
    detail = client.get(reverse("admin:networks_registryimport_change", args=[staged.pk]))
    assert detail.status_code == 200
    assert client.get(reverse("admin:networks_registryimport_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:networks_registryimport_delete", args=[staged.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert RegistryImport.objects.filter(pk=staged.pk).exists()


def test_staged_imports_nobody_confirmed_go_after_the_keeping_days(signed_in, stage, settings):
    settings.REGISTRY_STAGED_KEEP_DAYS = 14
    staged = stage(csv_file(school_line(1)))
    applied = stage(csv_file(school_line(2)))
    services.registry_import_confirm(registry_import=applied, by=None, run_now=True)
    name = staged.file.name
    assert default_storage.exists(name)
    page = signed_in.get(reverse("registry:detail", args=[staged.pk])).content.decode()
    until = timezone.localtime(staged.created_at + dt.timedelta(days=14))
    assert f"загрузка хранится до {until:%d.%m.%Y}, потом удаляется" in page

    later = staged.created_at + dt.timedelta(days=14)
    assert services.registry_imports_clean_up(now=later) == 0
    assert services.registry_imports_clean_up(now=later + dt.timedelta(minutes=1)) == 1
    assert list(RegistryImport.objects.values_list("pk", "status")) == [(applied.pk, "applied")]
    assert not default_storage.exists(name)
    assert default_storage.exists(RegistryImport.objects.get().file.name), "the applied file stays"
    assert Organisation.objects.filter(inn=inn(2)).exists()
    assert not Organisation.objects.filter(inn=inn(1)).exists()
