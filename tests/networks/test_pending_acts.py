"""Issue 16, «each change applies from the order's date»: an amending or closing order dated later
than the day it is recorded waits for its day — the structure is unchanged, the timeline says
«вступает в силу с …» — and the daily task applies it on that day, once, with its author in the
history; a change that can no longer be made then is marked «не применено» and the territory's
coordinators are told; the coordinator may withdraw it before."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.manage import services
from networks.models import ClosingReason, Order, Role, Structure, StructureAct
from networks.tasks import apply_due_structure_acts
from tests.factories import MembershipFactory, OrderFactory, StructureFactory, UserFactory, kind
from tests.networks.test_manage_structures import (
    Land,
    detail_url,
    edit_data,
    edit_url,
    order_url,
    post,
)

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")


def at(time_machine, day: dt.date, hour: int = 10) -> None:
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, hour, tzinfo=MOSCOW), tick=False)


@pytest.fixture
def land(time_machine):
    at(time_machine, dt.date(2026, 10, 15))
    return Land()


@pytest.fixture
def structure(land):
    return StructureFactory(
        kind=kind("S6"),
        name="Стажировочная площадка",
        host=land.school,
        founding_order=land.founding,
        term_start=dt.date(2020, 9, 1),
        term_end=dt.date(2027, 8, 31),
        topic="Старая тема",
        established_on=dt.date(2020, 9, 16),
    )


def rename(client, land, structure, *, on: str, name: str = "Площадка «Рост»", number="7-р"):
    data = {
        "action": "amend",
        "order_kind": Order.Kind.RASPORYAZHENIE,
        "order_issuer": land.authority.pk,
        "order_number": number,
        "order_date": on,
        "order_title": "О переименовании",
        "name": name,
    }
    return post(client, land.coordinator, order_url(structure), data)


def withdraw_url(structure, act):
    return reverse("networks:manage:structure_act_withdraw", args=[structure.pk, act.pk])


def test_a_rename_dated_later_waits_and_the_timeline_says_from_when(client, land, structure):
    response = rename(client, land, structure, on="2026-11-02")
    assert response.status_code == 302, response.content.decode()[:3000]
    structure.refresh_from_db()
    assert structure.name == "Стажировочная площадка"
    act = structure.acts.get()
    assert act.applied_at is None and act.is_pending
    assert act.applies_on == dt.date(2026, 11, 2)
    html = client.get(detail_url(structure)).content.decode()
    assert "вступает в силу с 02.11.2026" in html
    assert "«Стажировочная площадка» → «Площадка «Рост»»" in html
    assert withdraw_url(structure, act) in html
    # Everyone else reads that it is coming, without the button.
    client.force_login(UserFactory())
    html = client.get(detail_url(structure)).content.decode()
    assert "вступает в силу с 02.11.2026" in html and withdraw_url(structure, act) not in html


def test_the_task_applies_it_on_its_day_once_with_its_author_in_the_history(
    client, land, structure, time_machine
):
    rename(client, land, structure, on="2026-11-02")
    act = structure.acts.get()
    at(time_machine, dt.date(2026, 11, 1), hour=23)
    assert apply_due_structure_acts() == 0
    structure.refresh_from_db()
    assert structure.name == "Стажировочная площадка"

    at(time_machine, dt.date(2026, 11, 2), hour=0)
    assert apply_due_structure_acts() == 1
    structure.refresh_from_db()
    assert structure.name == "Площадка «Рост»"
    record = structure.history.first()
    assert record.history_user == land.coordinator and record.name == "Площадка «Рост»"
    act.refresh_from_db()
    assert act.applied_at is not None and not act.is_pending and not act.not_applied
    records = structure.history.count()

    assert apply_due_structure_acts() == 0  # the second run finds nothing to do
    at(time_machine, dt.date(2026, 11, 3))
    assert apply_due_structure_acts() == 0
    assert structure.history.count() == records
    client.force_login(land.coordinator)
    client.get(detail_url(structure))  # the message of the order's recording, shown once
    html = client.get(detail_url(structure)).content.decode()
    assert "вступает в силу" not in html and "с 02.11.2026" in html


def test_pending_acts_of_one_structure_apply_in_date_order(client, land, structure, time_machine):
    rename(client, land, structure, on="2026-11-05", name="Второе")
    services.structure_amend_by_order(
        structure=Structure.objects.get(pk=structure.pk),
        order=OrderFactory(issuer=land.authority, date=dt.date(2026, 11, 2)),
        values={"term_end": dt.date(2028, 8, 31)},
        by=land.coordinator,
    )
    at(time_machine, dt.date(2026, 11, 6))
    assert apply_due_structure_acts() == 2
    structure.refresh_from_db()
    assert (structure.name, structure.term_end) == ("Второе", dt.date(2028, 8, 31))
    first, second = structure.history.order_by("history_id")[1:]
    assert (first.name, first.term_end) == ("Стажировочная площадка", dt.date(2028, 8, 31))
    assert second.name == "Второе"


def test_a_closing_dated_later_keeps_the_structure_open_until_its_day(
    client, land, structure, time_machine
):
    member = MembershipFactory(structure=structure, role=Role.MEMBER, since=dt.date(2021, 1, 1))
    closing = OrderFactory(issuer=land.authority, number="9-р", date=dt.date(2026, 11, 1))
    data = {
        "action": "close",
        "order": closing.pk,
        "closing_reason": ClosingReason.UNFORESEEN,
        "closed_on": "2026-12-01",
    }
    response = post(client, land.coordinator, order_url(structure), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    structure.refresh_from_db()
    member.refresh_from_db()
    assert not structure.is_closed and member.until is None
    html = client.get(detail_url(structure)).content.decode()
    assert "Внесён приказ о прекращении деятельности: он вступает в силу с 01.12.2026" in html

    at(time_machine, dt.date(2026, 11, 30))
    assert apply_due_structure_acts() == 0
    at(time_machine, dt.date(2026, 12, 1), hour=1)
    assert apply_due_structure_acts() == 1
    structure.refresh_from_db()
    member.refresh_from_db()
    assert (structure.closed_on, structure.closing_order, structure.closing_reason) == (
        dt.date(2026, 12, 1),
        closing,
        ClosingReason.UNFORESEEN,
    )
    assert member.until == dt.date(2026, 12, 1)
    assert structure.history.first().history_user == land.coordinator
    assert apply_due_structure_acts() == 0


@pytest.mark.parametrize("on", ["2026-10-15", "2026-10-01"])
def test_orders_dated_today_or_earlier_still_apply_at_once(client, land, structure, on):
    response = rename(client, land, structure, on=on)
    assert response.status_code == 302
    structure.refresh_from_db()
    assert structure.name == "Площадка «Рост»"
    act = structure.acts.get()
    assert act.applied_at is not None and not act.is_pending


def test_an_edit_by_a_later_order_waits_too(client, land, structure, time_machine):
    amending = OrderFactory(issuer=land.authority, date=dt.date(2026, 11, 10))
    response = post(
        client,
        land.coordinator,
        edit_url(structure),
        edit_data(structure, topic="Новая тема", act_order=amending.pk),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    structure.refresh_from_db()
    assert structure.topic == "Старая тема"
    at(time_machine, dt.date(2026, 11, 10))
    assert apply_due_structure_acts() == 1
    structure.refresh_from_db()
    assert structure.topic == "Новая тема"


def test_a_second_pending_change_of_the_same_field_is_refused(client, land, structure):
    rename(client, land, structure, on="2026-11-02")
    response = rename(client, land, structure, on="2026-11-09", name="Иное", number="8-р")
    assert response.status_code == 400
    assert "уже внесено и вступает в силу с 02.11.2026" in response.content.decode()
    assert structure.acts.count() == 1


def test_a_field_changed_since_is_not_applied_and_the_coordinators_are_told(
    client, land, structure, time_machine, monkeypatch
):
    told = []
    monkeypatch.setattr(services, "notify", lambda ids, **kw: told.append((list(ids), kw)))
    rename(client, land, structure, on="2026-11-02")
    post(client, land.coordinator, edit_url(structure), edit_data(structure, name="Другое"))
    at(time_machine, dt.date(2026, 11, 2))
    assert apply_due_structure_acts() == 1
    structure.refresh_from_db()
    assert structure.name == "Другое"
    act = structure.acts.get(kind=StructureAct.Kind.AMENDED)
    assert act.applied_at is None and not act.is_pending
    assert "после внесения приказа изменено: название (сейчас «Другое»)" in act.not_applied
    [(ids, message)] = told
    assert land.coordinator.pk in ids and land.other_coordinator.pk not in ids
    assert "не применён" in message["title"] and message["url"] == detail_url(structure)
    client.force_login(land.coordinator)
    html = client.get(detail_url(structure)).content.decode()
    assert "Не применено: после внесения приказа изменено" in html
    assert apply_due_structure_acts() == 0 and len(told) == 1


def test_a_pending_rename_of_a_structure_closed_meanwhile_is_not_applied(
    client, land, structure, time_machine, monkeypatch
):
    monkeypatch.setattr(services, "notify", lambda ids, **kw: None)
    rename(client, land, structure, on="2026-11-02")
    closing = OrderFactory(issuer=land.authority, date=dt.date(2026, 10, 15))
    services.structure_close_by_order(
        structure=Structure.objects.get(pk=structure.pk),
        order=closing,
        reason=ClosingReason.UNFORESEEN,
        by=land.coordinator,
    )
    at(time_machine, dt.date(2026, 11, 2))
    apply_due_structure_acts()
    structure.refresh_from_db()
    assert structure.name == "Стажировочная площадка"
    act = structure.acts.get(kind=StructureAct.Kind.AMENDED)
    assert act.not_applied == "структура прекратила деятельность 15.10.2026"


def test_the_coordinator_withdraws_a_pending_order_after_confirming(
    client, land, structure, time_machine
):
    rename(client, land, structure, on="2026-11-02")
    act = structure.acts.get()
    page = client.get(withdraw_url(structure, act))
    assert page.status_code == 200
    assert "Отозвать приказ, который ещё не вступил в силу?" in page.content.decode()
    assert structure.acts.get().is_pending  # the GET asks, it does not withdraw
    response = client.post(withdraw_url(structure, act))
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.withdrawn_at is not None and act.withdrawn_by == land.coordinator
    html = client.get(detail_url(structure)).content.decode()
    assert "отозван, не применялся" in html and "вступает в силу" not in html
    at(time_machine, dt.date(2026, 11, 2))
    assert apply_due_structure_acts() == 0
    structure.refresh_from_db()
    assert structure.name == "Стажировочная площадка"


def test_an_applied_or_withdrawn_order_cannot_be_withdrawn(client, land, structure):
    rename(client, land, structure, on="2026-10-01")
    act = structure.acts.get()
    assert client.get(withdraw_url(structure, act)).status_code == 404
    response = client.post(withdraw_url(structure, act), follow=True)
    assert "отозвать его нельзя" in response.content.decode()
    act.refresh_from_db()
    assert act.withdrawn_at is None and act.applied_at is not None


@pytest.mark.parametrize(
    ("who", "expected"),
    [("city_coordinator", 302), ("other_coordinator", 404), ("outsider", 404), ("member", 403)],
)
def test_only_the_territorys_coordinator_withdraws(client, land, structure, who, expected):
    rename(client, land, structure, on="2026-11-02")
    act = structure.acts.get()
    people = {
        "city_coordinator": land.city_coordinator,
        "other_coordinator": land.other_coordinator,
        "outsider": UserFactory(),
        "member": MembershipFactory(structure=structure, role=Role.HEAD).user,
    }
    client.force_login(people[who])
    assert client.post(withdraw_url(structure, act)).status_code == expected
    act.refresh_from_db()
    assert (act.withdrawn_at is not None) == (expected == 302)


def test_anonymous_visitors_sign_in_to_withdraw(client, land, structure):
    rename(client, land, structure, on="2026-11-02")
    act = structure.acts.get()
    client.logout()
    response = client.post(withdraw_url(structure, act))
    assert response.status_code == 302 and "login" in response["Location"]
    assert structure.acts.get().is_pending


def test_the_timeline_with_pending_withdrawn_and_refused_orders_runs_a_fixed_number_of_queries(
    client, land, structure
):
    client.force_login(land.coordinator)
    client.get(detail_url(structure))

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(detail_url(structure)).status_code == 200
        return len(ctx.captured_queries)

    rename(client, land, structure, on="2026-11-02")
    client.get(detail_url(structure))  # the message of the recording, shown once
    few = measure()
    for n in range(10):
        StructureAct.objects.create(
            structure=structure,
            kind=StructureAct.Kind.AMENDED,
            order=OrderFactory(issuer=land.authority),
            applies_on=dt.date(2026, 12, 1 + n),
            changes=[{"field": "topic", "label": "тема", "old": "а", "new": "б", "was": "а"}],
            created_by=land.coordinator,
            applied_at=None,
            withdrawn_at=dt.datetime(2026, 10, 15, tzinfo=MOSCOW) if n % 2 else None,
            withdrawn_by=land.city_coordinator if n % 2 else None,
            not_applied="" if n % 2 else "структура прекратила деятельность",
        )
    assert measure() == few


def test_an_order_of_today_that_names_a_later_day_waits_for_that_day(
    client, land, structure, time_machine
):
    data = {
        "action": "amend",
        "order": OrderFactory(issuer=land.authority, date=dt.date(2026, 10, 15)).pk,
        "term_end": "2029-08-31",
        "applies_on": "2027-01-01",
    }
    response = post(client, land.coordinator, order_url(structure), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    structure.refresh_from_db()
    assert structure.term_end == dt.date(2027, 8, 31)
    assert structure.acts.get().applies_on == dt.date(2027, 1, 1)
    at(time_machine, dt.date(2027, 1, 1))
    assert apply_due_structure_acts() == 1
    structure.refresh_from_db()
    assert structure.term_end == dt.date(2029, 8, 31)


def test_the_migration_marks_every_act_recorded_before_it_as_applied_when_recorded(land, structure):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("networks.migrations.0019_structure_act_applied_at")
    act = StructureAct.objects.create(
        structure=structure,
        kind=StructureAct.Kind.EDITED,
        applies_on=dt.date(2026, 1, 1),
        applied_at=None,
    )
    migration.applied_when_recorded(apps, None)
    act.refresh_from_db()
    assert act.applied_at == act.created_at


def test_no_change_is_recorded_for_after_a_pending_closing(client, land, structure):
    closing = OrderFactory(issuer=land.authority, date=dt.date(2026, 11, 1))
    post(
        client,
        land.coordinator,
        order_url(structure),
        {"action": "close", "order": closing.pk, "closing_reason": ClosingReason.UNFORESEEN},
    )
    response = rename(client, land, structure, on="2026-11-20")
    assert response.status_code == 400
    assert "прекращает деятельность с 01.11.2026" in response.content.decode()
    again = post(
        client,
        land.coordinator,
        order_url(structure),
        {"action": "close", "order": closing.pk, "closing_reason": ClosingReason.UNFORESEEN},
    )
    assert again.status_code == 400
    assert structure.acts.count() == 1
