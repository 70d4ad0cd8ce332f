"""The reports panel of the structure page, the home blocks «Отчёты к сдаче» and «Отчёты, ожидающие
принятия», escaping of what authors type, and query counts that do not grow with the data."""

from __future__ import annotations

import copy
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.models import Report
from reporting.reports import services
from tests.helpers import rolled_back_at_the_end

from .conftest import add_members, fill_the_year, make_association

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")


def on(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=MSK), tick=False)


def submit(scene, *, analysis="Анализ работы", by=None):
    report = services.report_start(
        structure=scene.structure, by=by or scene.head, deadline=scene.deadline
    )
    services.report_save(report=report, by=by or scene.head, narrative={"analysis": analysis})
    services.report_submit(report=report, by=by or scene.head)
    return report


def structure_page(client, scene):
    url = reverse("networks:structure_detail", args=[scene.structure.pk])
    return client.get(url, {"year": 2020})


def test_the_panel_lists_the_years_deadlines_with_their_report_status(client, association):
    client.force_login(association.head)
    with on(dt.date(2021, 7, 20)):
        html = structure_page(client, association).content.decode()
        assert "Отчёты за 2020/2021" in html
        assert html.count("не сдан, срок истёк") == 2  # 25.12.2020 and 15.07.2021
        with on(dt.date(2021, 7, 19)):
            submit(association)
        html = structure_page(client, association).content.decode()
    assert "сдан с опозданием" in html and html.count("не сдан, срок истёк") == 1
    report = Report.objects.get()
    assert reverse("reporting:report_detail", args=[association.structure.pk, report.pk]) in html
    # Members who neither write nor read reports do not see the panel.
    client.force_login(association.member)
    assert "Отчёты за 2020/2021" not in structure_page(client, association).content.decode()


def test_home_blocks_for_the_author_and_for_the_coordinator(client, association):
    with on(dt.date(2021, 7, 1)):
        client.force_login(association.head)
        html = client.get(reverse("home")).content.decode()
        assert "Отчёты к сдаче" in html and "срок 15.07.2021" in html
        report = submit(association)
        assert "срок 15.07.2021" not in client.get(reverse("home")).content.decode()

        client.force_login(association.coordinator)
        html = client.get(reverse("home")).content.decode()
        assert "Отчёты, ожидающие принятия" in html and "сдан 01.07.2021" in html
        services.report_return(report=report, by=association.coordinator, comment="Доработать")
        assert "Отчёты, ожидающие принятия" not in client.get(reverse("home")).content.decode()

        # Returned: it is the author's to do again.
        client.force_login(association.head)
        html = client.get(reverse("home")).content.decode()
        assert "возвращён на доработку" in html


def test_a_plain_member_delivers_no_report_and_the_home_asks_for_no_deadline(client, association):
    """Issue 19: «Отчёты к сдаче» asks for deadlines only when a current role of the person is a
    report rule's deliverer (the home's flag «delivers_reports»); the head still gets the block."""
    with on(dt.date(2021, 7, 1)):
        client.force_login(association.member)
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(reverse("home")).content.decode()
        assert "Отчёты к сдаче" not in html
        assert not [q for q in ctx.captured_queries if '"reporting_deadline"' in q["sql"]]

        client.force_login(association.head)
        assert "срок 15.07.2021" in client.get(reverse("home")).content.decode()


def test_a_report_without_a_deadline_is_asked_for_only_where_a_structure_the_person_runs_has_one(
    client, association
):
    """Issue 19: reports without a deadline, not handed in, are the second list of «Отчёты к
    сдаче» for those who run the structure. They are rare, so the home's flag «loose_reports»
    says whether to ask: the structure's coordinator, who delivers no report, has no block and
    no query for it until such a report exists; then the block lists it with one query."""
    with on(dt.date(2021, 7, 1)):
        client.force_login(association.coordinator)
        client.get(reverse("home"))  # what the shared cache keeps for the home, kept
        with CaptureQueriesContext(connection) as before:
            html = client.get(reverse("home")).content.decode()
        assert "Отчёты к сдаче" not in html

        report = services.report_start(
            structure=association.structure, by=association.head, school_year=2019
        )
        with CaptureQueriesContext(connection) as after:
            html = client.get(reverse("home")).content.decode()
        assert "Отчёты к сдаче" in html
        detail = reverse("reporting:report_detail", args=[association.structure.pk, report.pk])
        assert detail in html
        assert len(after) == len(before) + 1

        # Handed in, it waits for the coordinator's decision, no longer for its writing.
        services.report_save(report=report, by=association.head, narrative={"analysis": "Анализ"})
        services.report_submit(report=report, by=association.head)
        html = client.get(reverse("home")).content.decode()
        assert "Отчёты к сдаче" not in html
        assert "Отчёты, ожидающие принятия" in html and detail in html


def test_what_authors_type_is_escaped(client, association):
    report = submit(association, analysis="<script>alert('отчёт')</script>\nВторая строка")
    client.force_login(association.coordinator)
    url = reverse("reporting:report_detail", args=[association.structure.pk, report.pk])
    html = client.get(url).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    services.report_return(report=report, by=association.coordinator, comment="<b>жирно</b>")
    client.force_login(association.head)
    html = client.get(url).content.decode()
    assert "<b>жирно</b>" not in html and "&lt;b&gt;жирно&lt;/b&gt;" in html


def count(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture(scope="module")
def _built_small_and_big(django_db_setup, django_db_blocker):
    """Built once for the module's two query-count tests inside a transaction rolled back at the
    module's end; each test changes it in a savepoint of its own."""
    with rolled_back_at_the_end(django_db_blocker):
        small = make_association("Малое объединение")
        fill_the_year(small.structure)
        big = make_association("Большое объединение")
        fill_the_year(big.structure, scale=10)
        add_members(big.structure, 50)
        yield small, big


@pytest.fixture
def small_and_big(_built_small_and_big, db):
    return copy.deepcopy(_built_small_and_big)


def test_the_report_page_takes_the_same_queries_with_ten_times_the_data(client, small_and_big):
    counts = []
    for scene in small_and_big:
        client.force_login(scene.head)
        deadline = reverse(
            "reporting:report_deadline", args=[scene.structure.pk, scene.deadline.pk]
        )
        before = count(client, deadline)
        report = submit(scene)
        detail = reverse("reporting:report_detail", args=[scene.structure.pk, report.pk])
        client.force_login(scene.coordinator)
        counts.append((before, count(client, detail)))
    assert counts[0] == counts[1]


def test_the_panel_and_the_home_blocks_take_the_same_queries_with_ten_times_the_data(
    client, small_and_big
):
    small, big = small_and_big
    with on(dt.date(2021, 7, 1)):
        # The big head heads nine more associations, each with reports to write; the big
        # coordinator has ten reports waiting, the small one has one.
        submit(small)
        submit(big)
        for n in range(9):
            more = make_association(f"Ещё объединение № {n}")
            more.structure.memberships.filter(role="head").update(user=big.head)
            more.structure.memberships.filter(role="coordinator").update(user=big.coordinator)
            more.head = big.head
            services.report_start(structure=more.structure, by=big.head, deadline=more.deadline)
            other = more.structure.deadlines.get(rule__due_month=12)
            report = services.report_start(structure=more.structure, by=big.head, deadline=other)
            services.report_save(report=report, by=big.head, narrative={"analysis": "Анализ"})
            services.report_submit(report=report, by=big.head)
        pages = []
        for scene in small_and_big:
            client.force_login(scene.head)
            url = reverse("networks:structure_detail", args=[scene.structure.pk])
            panel_and_home = (count(client, url, year=2020), count(client, reverse("home")))
            client.force_login(scene.coordinator)
            pages.append((*panel_and_home, count(client, reverse("home"))))
        assert pages[0] == pages[1]
