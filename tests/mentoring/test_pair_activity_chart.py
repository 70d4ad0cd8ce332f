"""Pair activity (issue 20): contacts per month of the school year, drawn as the groups' SVG charts
(mentoring.group_chart) with the same numbers in a table, on the curator's «Мои пары» and on a
pair's page. The page's day is fixed at 15.12.2026: the school year 2026/2027, September to
December so far."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.group_chart import activity_charts, month_activity, months_between
from networks.models import OrganisationKind
from tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tests.helpers import mentoring_limits_kept
from tests.mentoring.pairs.conftest import quick_pair

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 15)


@pytest.fixture(autouse=True)
def _mid_december(time_machine):
    time_machine.move_to(timezone.make_aware(dt.datetime.combine(TODAY, dt.time(12))), tick=False)


@pytest.fixture
def host(db):
    return OrganisationFactory(kind=OrganisationKind.METHODICAL)


@pytest.fixture
def curator(host):
    return UserFactory(organisation=host, position="Методист")


def pair_of(curator, host, name="Пара", since=dt.date(2026, 9, 1)):
    return quick_pair(curator=curator, host=host, name=name, established_on=since)


def table_rows(html: str) -> dict[str, tuple[str, ...]]:
    """The activity table's rows: {«09.2026»: (contacts, pairs)}."""
    table = html[html.index("Таблица контактов по месяцам") :]
    table = table[: table.index("</table>")]
    return {
        month: tuple(re.findall(r'<td class="text-end">(\d+)</td>', cells))
        for month, cells in re.findall(r'<th scope="row">(\d\d\.\d{4})</th>(.*?)</tr>', table, re.S)
    }


# --- The geometry -------------------------------------------------------------------------------


def test_the_months_of_a_span_run_across_the_new_year():
    assert months_between(dt.date(2026, 11, 20), dt.date(2027, 2, 3)) == [
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
    ]


def test_a_month_without_contacts_is_a_zero_not_a_gap():
    rows = month_activity(
        months_between(dt.date(2026, 9, 1), dt.date(2026, 11, 1)), {dt.date(2026, 10, 1): (3, 2)}
    )
    assert [(r.contacts, r.pairs) for r in rows] == [(0, 0), (3, 2), (0, 0)]


def test_no_chart_is_drawn_for_a_year_without_contacts():
    rows = month_activity(months_between(dt.date(2026, 9, 1), dt.date(2026, 12, 1)), {})
    assert activity_charts(rows, title="Контакты", with_pairs=True) == []


def test_the_chart_of_one_pair_draws_contacts_only_and_its_title_says_what_it_shows():
    rows = month_activity(
        months_between(dt.date(2026, 9, 1), dt.date(2026, 12, 1)),
        {dt.date(2026, 9, 1): (1, 1), dt.date(2026, 12, 1): (4, 1)},
    )
    (chart,) = activity_charts(rows, title="Контакты пары", with_pairs=False)
    assert chart.title == "Контакты пары: Контакты"
    assert [p.value for p in chart.points] == [1, 0, 0, 4]
    assert chart.summary == (
        "Контакты: месяцев — 4, за месяц от 0 до 4; за последний (12.2026) — 4."
    )
    # The last month's label ends at the frame's edge instead of running past it.
    assert [t.anchor for t in chart.x_ticks] == ["middle", "middle", "middle", "end"]
    # The highest month touches the top of the axis, an empty month lies on the baseline.
    assert chart.points[3].y == chart.top and chart.points[1].y == chart.baseline


# --- «Мои пары» -----------------------------------------------------------------------------------


def test_the_curator_sees_their_pairs_contacts_per_month_of_this_school_year(client, curator, host):
    first = pair_of(curator, host, "Первая")
    second = pair_of(curator, host, "Вторая")
    ContactFactory(pair=first, date=dt.date(2026, 9, 10))
    ContactFactory(pair=first, date=dt.date(2026, 9, 24))
    ContactFactory(pair=second, date=dt.date(2026, 9, 30))
    ContactFactory(pair=second, date=dt.date(2026, 11, 5))
    ContactFactory(pair=first, date=dt.date(2026, 8, 31))  # the year before
    ContactFactory(pair=pair_of(UserFactory(), host, "Чужая"), date=dt.date(2026, 10, 1))

    client.force_login(curator)
    html = client.get(reverse("mentoring:my_pairs")).content.decode()

    assert table_rows(html) == {
        "09.2026": ("3", "2"),
        "10.2026": ("0", "0"),
        "11.2026": ("1", "1"),
        "12.2026": ("0", "0"),
    }
    assert "Контактов за 2026/2027 учебный год: 4." in html
    assert "<caption>Контакты по месяцам, 2026/2027 учебный год</caption>" in html
    # Two charts, contacts and pairs with contacts, each an image with a title and a description.
    assert html.count('<svg role="img" aria-labelledby="chart-') == 2
    assert (
        '<title id="chart-contacts-title">Контакты пар по месяцам за 2026/2027 год: '
        "Контакты</title>" in html
    )
    assert '<desc id="chart-pairs-desc">Пары с контактами: месяцев — 4, за месяц от 0 до 2;' in html
    assert 'viewBox="0 0 560 210" width="100%"' in html


def test_a_year_without_contacts_says_so_instead_of_an_empty_chart(client, curator, host):
    pair_of(curator, host)
    client.force_login(curator)
    html = client.get(reverse("mentoring:my_pairs")).content.decode()
    assert "За 2026/2027 учебный год контактов пока нет." in html
    assert "<svg" not in html


def test_someone_who_curates_no_pair_sees_no_activity(client, host):
    ContactFactory(pair=pair_of(UserFactory(), host), date=dt.date(2026, 10, 1))
    client.force_login(UserFactory(organisation=host))
    html = client.get(reverse("mentoring:my_pairs")).content.decode()
    assert "Вы не курируете сетевых пар." in html
    assert "Контакты по месяцам" not in html


def test_my_pairs_counts_the_months_in_one_query_for_1_or_6_pairs_with_contacts(
    client, curator, host
):
    mentoring_limits_kept()  # read once, as on every page after the first (mentoring.limits)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("mentoring:my_pairs"))
        assert response.status_code == 200
        grouped = [q for q in ctx.captured_queries if "mentoring_contact" in q["sql"]]
        return len(ctx.captured_queries), len(grouped)

    client.force_login(curator)
    ContactFactory(pair=pair_of(curator, host), date=dt.date(2026, 9, 2))
    few = queries()
    for month in (9, 10, 11, 12, 10):
        ContactFactory(pair=pair_of(curator, host), date=dt.date(2026, month, 3))
    assert queries()[0] == few[0]
    # The grouped count of the chart, and the last contact of the listed pairs (pair_rows).
    assert few[1] == 2


def test_anonymous_visitors_are_sent_to_sign_in_for_my_pairs(client):
    response = client.get(reverse("mentoring:my_pairs"))
    assert response.status_code == 302 and "login" in response.url


# --- A pair's page --------------------------------------------------------------------------------


def test_a_pairs_page_charts_its_months_since_it_started(client, curator, host):
    pair = pair_of(curator, host, since=dt.date(2026, 10, 12))
    ContactFactory(pair=pair, date=dt.date(2026, 10, 20))
    ContactFactory(pair=pair, date=dt.date(2026, 12, 1))
    ContactFactory(pair=pair, date=dt.date(2026, 12, 14))

    client.force_login(curator)
    response = client.get(reverse("mentoring:pair_detail", args=[pair.pk]))
    html = response.content.decode()

    assert table_rows(html) == {"10.2026": ("1",), "11.2026": ("0",), "12.2026": ("2",)}
    assert html.count('<svg role="img"') == 1
    assert "Контакты пары по месяцам за 2026/2027 год: Контакты</title>" in html
    # The monthly counts stand in for the log's own count: the pager still knows its length.
    assert response.context["page"].paginator.count == 3


def test_a_pairs_page_pages_its_log_by_the_monthly_counts(client, curator, host):
    pair = pair_of(curator, host)
    ContactFactory.create_batch(51, pair=pair, date=dt.date(2026, 11, 2))
    client.force_login(curator)
    response = client.get(reverse("mentoring:pair_detail", args=[pair.pk]), {"page": 2})
    page = response.context["page"]
    assert page.paginator.num_pages == 2 and len(page.object_list) == 1


def test_a_closed_pairs_chart_ends_with_the_month_it_stopped(client, curator, host):
    pair = pair_of(curator, host)
    ContactFactory(pair=pair, date=dt.date(2026, 10, 2))
    type(pair).objects.filter(pk=pair.pk).update(
        closed_on=dt.date(2026, 10, 31), closing_reason="Цели достигнуты"
    )
    client.force_login(curator)
    html = client.get(reverse("mentoring:pair_detail", args=[pair.pk])).content.decode()
    assert list(table_rows(html)) == ["09.2026", "10.2026"]


def test_strangers_get_404_for_a_pairs_page_and_its_chart(client, curator, host):
    pair = pair_of(curator, host)
    ContactFactory(pair=pair, date=dt.date(2026, 10, 2))
    client.force_login(UserFactory(organisation=OrganisationFactory()))
    assert client.get(reverse("mentoring:pair_detail", args=[pair.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("mentoring:pair_detail", args=[pair.pk]))
    assert response.status_code == 302 and "login" in response.url
