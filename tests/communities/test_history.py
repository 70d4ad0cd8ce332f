"""The structure's history: who changed the structure, its members, roles and blocks, and what."""

import datetime as dt

import pytest
from django.urls import reverse

from communities import selectors, services
from networks.models import Role
from tests.factories import (
    JoinRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    StructureFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return StructureFactory(kind=kind("S1"), name="Мастерская управления")


@pytest.fixture
def coordinator(workshop):
    user = UserFactory(last_name="Коваленко", first_name="Ирина", patronymic="Павловна")
    MembershipFactory(structure=workshop, user=user, role=Role.COORDINATOR)
    return user


def rows(entries):
    return [
        (
            e.who and e.who.last_name,
            e.subject,
            e.action,
            [(c.label, c.old, c.new) for c in e.changes],
        )
        for e in entries
    ]


def test_the_history_tells_who_changed_which_role_and_when(workshop, coordinator):
    teacher = UserFactory(last_name="Белова", first_name="Анна", patronymic="Олеговна")
    join_request = JoinRequestFactory(structure=workshop, user=teacher)
    membership = services.join_request_approve(join_request=join_request, by=coordinator)
    services.role_assign(membership=membership, role=Role.MODERATOR, by=coordinator)
    services.member_remove(membership=membership, on=dt.date.today(), by=coordinator)

    newest = rows(selectors.structure_history(workshop))[:3]
    today = f"{dt.date.today():%d.%m.%Y}"
    assert newest == [
        ("Коваленко", "Белова Анна Олеговна", "изменено участие", [("По", "—", today)]),
        (
            "Коваленко",
            "Белова Анна Олеговна",
            "изменено участие",
            [("Роль", "Участник", "Модератор")],
        ),
        ("Коваленко", "Белова Анна Олеговна", f"добавлен(а): Участник с {today}", []),
    ]


def test_changes_of_the_structure_show_names_not_ids(workshop, coordinator):
    new_host = OrganisationFactory(short_name="ГАУ ДПО «ВГАПО»", full_name="ГАУ ДПО «ВГАПО»")
    old_host = str(workshop.host)
    workshop._history_user = coordinator
    workshop.name = "Мастерская управления «Траектория развития школы»"
    workshop.host = new_host
    workshop.save()
    [entry] = [e for e in selectors.structure_history(workshop) if e.subject == "Структура"][:1]
    assert entry.action == "изменена" and entry.who == coordinator
    changes = {c.label: (c.old, c.new) for c in entry.changes}
    assert changes["Название"] == (
        "Мастерская управления",
        "Мастерская управления «Траектория развития школы»",
    )
    assert changes["Базовая (координирующая) организация"] == (old_host, "ГАУ ДПО «ВГАПО»")


def test_blocks_are_in_the_history(workshop, coordinator):
    person = UserFactory(last_name="Спамов")
    block = services.member_block(structure=workshop, user=person, by=coordinator, reason="Спам.")
    services.member_unblock(block=block, by=coordinator)
    newest = rows(selectors.structure_history(workshop))[:2]
    assert [(who, action) for who, _, action, _ in newest] == [
        ("Коваленко", "запрет снят"),
        ("Коваленко", "запрещено подавать заявки: Спам."),
    ]


def test_the_history_page_is_in_russian(client, workshop, coordinator):
    membership = MembershipFactory(structure=workshop, user=UserFactory(last_name="Белова"))
    services.role_assign(membership=membership, role=Role.MODERATOR, by=coordinator)
    client.force_login(coordinator)
    html = client.get(reverse("communities:history", args=[workshop.pk])).content.decode()
    assert "История изменений: Мастерская управления" in html
    assert "Роль: Участник → Модератор" in html
    assert "Коваленко Ирина Павловна" in html
