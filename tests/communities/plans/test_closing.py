"""Closing a structure by a coordinator, with the reason and the closing order (R-PRI-4.4/4.5/4.6),
and what a closed structure's plans become: read-only, and no new plan."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from communities.models import Plan
from networks.models import ClosingReason, Order, OrganisationKind
from networks.schoolyear import SchoolYear
from tests.factories import OrderFactory, OrganisationFactory

from .conftest import plan_with_items

pytestmark = pytest.mark.django_db
YEAR = SchoolYear.current().start


def close_url(structure):
    return reverse("communities:structure_close", args=[structure.pk])


def detail(structure):
    return reverse("networks:structure_detail", args=[structure.pk])


@pytest.fixture
def committee(site):
    """The authority whose order grants and ends the site's status (R-PRI-4.1, 4.6)."""
    return OrganisationFactory(
        kind=OrganisationKind.AUTHORITY,
        region=site.structure.region,
        municipality=site.structure.municipality,
        short_name="Комитет образования Приозерского района",
    )


def form(**fields):
    data = {
        "on": "2026-11-20",
        "reason": ClosingReason.PROGRAMME_DONE,
        "order": "",
        "order_issuer": "",
        "order_kind": Order.Kind.RASPORYAZHENIE,
        "order_number": "",
        "order_date": "",
        "order_title": "",
    }
    data.update(fields)
    return {f"close-{k}": v for k, v in data.items()}


def test_the_coordinator_sees_the_closing_form_with_reasons_and_orders(client, site, committee):
    order = OrderFactory(issuer=committee, number="512-р", title="О присвоении статуса МСП")
    OrderFactory(title="Приказ другого региона")
    client.force_login(site.coordinator)
    response = client.get(close_url(site.structure))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Программа выполнена досрочно" in html
    assert "Непредвиденные обстоятельства" in html
    assert list(response.context["form"].fields["order"].queryset) == [order]
    issuers = set(response.context["form"].fields["order_issuer"].queryset)
    assert issuers == {site.structure.host, committee}


def test_r_pri_4_6_an_early_closing_without_an_order_is_refused_and_the_form_kept(client, site):
    client.force_login(site.coordinator)
    response = client.post(close_url(site.structure), form(on="2026-11-19"))
    assert response.status_code == 200
    form_ = response.context["form"]
    assert any("Досрочное прекращение оформляется приказом" in e for e in form_.non_field_errors())
    assert 'value="2026-11-19"' in response.content.decode()
    site.structure.refresh_from_db()
    assert not site.structure.is_closed


def test_r_pri_4_5_an_early_closing_with_a_new_order_of_the_committee(client, site, committee):
    client.force_login(site.coordinator)
    response = client.post(
        close_url(site.structure),
        form(
            reason=ClosingReason.UNFORESEEN,
            order_issuer=committee.pk,
            order_number="777-р",
            order_date="2026-11-18",
            order_title="О прекращении деятельности МСП",
        ),
    )
    assert response.status_code == 302 and response["Location"] == detail(site.structure)
    site.structure.refresh_from_db()
    order = Order.objects.get(number="777-р")
    assert (order.issuer, order.kind, order.date) == (
        committee,
        Order.Kind.RASPORYAZHENIE,
        dt.date(2026, 11, 18),
    )
    assert (site.structure.closed_on, site.structure.closing_reason) == (
        dt.date(2026, 11, 20),
        ClosingReason.UNFORESEEN,
    )
    assert site.structure.closing_order == order
    assert not site.structure.memberships.current().exists()  # memberships end on that day
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [
        "Структура прекратила деятельность с 20.11.2026; её записи сохранены для чтения."
    ]
    html = client.get(detail(site.structure)).content.decode()
    assert "Прекратила деятельность 20.11.2026" in html and "777-р" in html


def test_r_pri_4_5_closing_with_an_existing_order(client, site, committee):
    order = OrderFactory(issuer=committee, number="801-р", date=dt.date(2026, 11, 2))
    client.force_login(site.coordinator)
    client.post(close_url(site.structure), form(order=order.pk))
    site.structure.refresh_from_db()
    assert site.structure.closing_order == order


def test_r_pri_4_4_closing_at_the_end_of_the_term_needs_no_order(client, site):
    client.force_login(site.territory_coordinator)
    client.post(close_url(site.structure), form(reason=ClosingReason.TERM_ENDED))
    site.structure.refresh_from_db()
    assert site.structure.closing_reason == ClosingReason.TERM_ENDED
    assert site.structure.closing_order is None


def test_an_order_chosen_and_typed_at_once_is_refused(client, site, committee):
    order = OrderFactory(issuer=committee)
    client.force_login(site.coordinator)
    response = client.post(
        close_url(site.structure), form(order=order.pk, order_number="5-р", order_title="О…")
    )
    assert response.status_code == 200
    assert "не оба сразу" in response.context["form"].non_field_errors()[0]


def test_a_half_typed_order_says_what_is_missing_and_keeps_the_rest(client, site, committee):
    client.force_login(site.coordinator)
    response = client.post(
        close_url(site.structure), form(order_issuer=committee.pk, order_number="9-р")
    )
    errors = response.context["form"].errors
    assert set(errors) == {"order_date", "order_title"}
    assert 'value="9-р"' in response.content.decode()
    assert not Order.objects.filter(number="9-р").exists()


def test_a_new_order_is_not_kept_when_the_closing_is_refused(client, site, committee):
    client.force_login(site.coordinator)
    response = client.post(
        close_url(site.structure),
        form(
            on="2019-01-01",  # before the structure was established
            order_issuer=committee.pk,
            order_number="10-р",
            order_date="2026-11-18",
            order_title="О прекращении деятельности МСП",
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["on"] == ["Дата прекращения раньше даты создания."]
    assert not Order.objects.filter(number="10-р").exists()


def test_a_closed_structure_redirects_the_closing_page(client, site):
    site.structure.closed_on, site.structure.closing_reason = dt.date(2026, 11, 1), "term_ended"
    site.structure.save()
    client.force_login(site.territory_coordinator)
    response = client.get(close_url(site.structure))
    assert response.status_code == 302 and response["Location"] == detail(site.structure)


def test_r_pri_4_4_a_closed_structures_plans_are_read_only_and_no_plan_can_be_created(client, site):
    plan = plan_with_items(site.structure, school_year=YEAR, status=Plan.Status.DRAFT)
    site.structure.closed_on, site.structure.closing_reason = dt.date(2026, 11, 1), "term_ended"
    site.structure.save()
    client.force_login(site.territory_coordinator)
    page = client.get(
        reverse("communities:plan_detail", args=[site.structure.pk, plan.pk])
    ).content.decode()
    assert "план доступен только для чтения" in page
    for button in ("Добавить пункт", "Представить на согласование", "Изменить"):
        assert button not in page
    panel = client.get(detail(site.structure)).content.decode()
    assert "Создать план" not in panel and "Прекратить деятельность структуры" not in panel
    assert "планы доступны только для чтения" in panel

    response = client.post(
        reverse("communities:plan_create", args=[site.structure.pk]),
        {"plan-school_year": YEAR - 1},
    )
    assert response.status_code == 200
    assert "только для чтения" in str(response.context["create_form"].non_field_errors())
    response = client.post(reverse("communities:plan_submit", args=[site.structure.pk, plan.pk]))
    assert "только для чтения" in next(str(m) for m in get_messages(response.wsgi_request))
    assert Plan.objects.filter(structure=site.structure).count() == 1
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_r_pri_4_6_a_closing_dated_ahead_waits_for_its_day_on_the_timeline(client, site, committee):
    """The closing page records the closing on the structure's timeline like the coordinator's
    order page does; dated ahead, the structure works until that day."""
    from networks.models import StructureAct
    from networks.tasks import apply_due_structure_acts

    ahead = dt.date.today() + dt.timedelta(days=10)
    order = OrderFactory(issuer=committee, number="901-р", date=dt.date.today())
    client.force_login(site.coordinator)
    response = client.post(close_url(site.structure), form(order=order.pk, on=ahead.isoformat()))
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [
        f"Прекращение деятельности внесено и вступит в силу {ahead:%d.%m.%Y}; до этого дня "
        "структура работает, приказ можно отозвать на её странице."
    ]
    site.structure.refresh_from_db()
    assert not site.structure.is_closed
    act = StructureAct.objects.get(structure=site.structure, kind=StructureAct.Kind.CLOSED)
    assert (act.order, act.applies_on, act.applied_at) == (order, ahead, None)
    assert site.structure.memberships.current().exists()
    with time_machine.travel(dt.datetime.combine(ahead, dt.time(1, 0)), tick=False):
        assert apply_due_structure_acts() == 1
    site.structure.refresh_from_db()
    assert (site.structure.closed_on, site.structure.closing_order) == (ahead, order)
