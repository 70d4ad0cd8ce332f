"""A report's way: the author writes and submits (figures frozen, the deadline met, late marked),
a coordinator returns it with a comment or accepts it; refusals for the wrong person."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from networks.models import Role
from reporting import reminders
from reporting.models import Deadline, Delivery, Notice, Report
from reporting.reports import services
from reporting.reports.figures import structure_figures
from tests.factories import EventFactory, MembershipFactory, StructureFactory, UserFactory, kind

from .conftest import YEAR, at

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")


def url(name, report_or_structure, *more):
    if isinstance(report_or_structure, Report):
        return reverse(
            f"reporting:{name}", args=[report_or_structure.structure_id, report_or_structure.pk]
        )
    return reverse(f"reporting:{name}", args=[report_or_structure.pk, *more])


def start(client, scene, **narrative):
    data = {"deadline": scene.deadline.pk, "action": "save"}
    data.update({f"report-{k}": v for k, v in narrative.items()})
    response = client.post(url("report_start", scene.structure), data)
    assert response.status_code == 302, response.content.decode()[:1500]
    return Report.objects.get(deadline=scene.deadline)


def submit(client, report, analysis="Проведено два заседания из четырёх.", **extra):
    data = {"report-analysis": analysis, "action": "submit"}
    data.update({f"report-{k}": v for k, v in extra.items()})
    return client.post(url("report_save", report), data)


def on(day: dt.date, hour: int = 12):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=MSK), tick=False)


def test_r_tul_a4_4_6_the_head_writes_and_submits_and_the_figures_freeze(client, association):
    client.force_login(association.head)
    page = client.get(url("report_deadline", association.structure, association.deadline.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Проведено заседаний: 2 из 4" in html and "Выполнено пунктов плана: 3 из 5" in html
    assert "Сдать отчёт" in html

    report = start(client, association, analysis="Черновик анализа", problems="Нет кворума")
    assert (report.status, report.analysis, report.problems) == (
        "draft",
        "Черновик анализа",
        "Нет кворума",
    )
    assert report.title == "Анализ работы межшкольного объединения за учебный год"

    with on(dt.date(2021, 7, 10)):
        response = submit(client, report, plans="Провести четыре заседания")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and not report.is_late
    assert report.plans == "Провести четыре заседания" and report.author == association.head
    assert report.submitted_at.astimezone(MSK).date() == dt.date(2021, 7, 10)
    association.deadline.refresh_from_db()
    assert association.deadline.delivered_at is not None
    # Only this deadline: the results by 25 December are another report.
    other = Deadline.objects.get(structure=association.structure, rule__due_month=12)
    assert other.delivered_at is None
    assert report.figures["meetings"]["held"] == 2

    # A meeting recorded afterwards changes the live figures, not the submitted report.
    EventFactory(structure=association.structure, status="held", starts_at=at(dt.date(2021, 6, 3)))
    assert structure_figures(association.structure, YEAR)["meetings"]["held"] == 3
    report.refresh_from_db()
    assert report.figures["meetings"]["held"] == 2
    html = client.get(url("report_detail", report)).content.decode()
    assert "Проведено заседаний: 2 из 4" in html and "зафиксированы при сдаче" in html
    assert "Сдать отчёт" not in html


def test_a_report_submitted_after_the_due_date_is_marked_late(client, association):
    client.force_login(association.head)
    report = start(client, association)
    with on(dt.date(2021, 7, 20)):
        response = submit(client, report)
    report.refresh_from_db()
    assert report.is_late
    page = client.get(response["Location"]).content.decode()
    assert "после срока 15.07.2021" in page and "сдан с опозданием" in page


def test_returned_with_a_comment_then_edited_resubmitted_and_accepted(client, association):
    client.force_login(association.head)
    report = start(client, association)
    with on(dt.date(2021, 7, 10)):
        submit(client, report)
    report.refresh_from_db()
    first_submission = report.submitted_at

    client.force_login(association.coordinator)
    empty = client.post(url("report_return", report), {"return-comment": "  "})
    assert empty.status_code == 400 and "Напишите, что доработать." in empty.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    client.post(url("report_return", report), {"return-comment": "Добавьте выводы по ВПР."})
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED
    assert report.return_comment == "Добавьте выводы по ВПР."
    assert Notice.objects.filter(
        user=association.head, title__startswith="Отчёт возвращён"
    ).exists()

    client.force_login(association.head)
    html = client.get(url("report_detail", report)).content.decode()
    assert "Добавьте выводы по ВПР." in html and "Сдать отчёт" in html
    with on(dt.date(2021, 7, 25)):
        submit(client, report, analysis="Анализ с выводами по ВПР.")
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert report.analysis == "Анализ с выводами по ВПР."
    assert report.submitted_at == first_submission and not report.is_late

    client.force_login(association.coordinator)
    client.post(url("report_accept", report))
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED and report.decided_by == association.coordinator

    # Accepted: the author can no longer change it.
    client.force_login(association.head)
    response = submit(client, report, analysis="Поздняя правка")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.analysis == "Анализ с выводами по ВПР."


def test_refusals_for_the_wrong_person(client, association):
    client.force_login(association.head)
    report = start(client, association, analysis="Анализ")

    # A member of the association is an insider without the right: 403, nothing changes.
    client.force_login(association.member)
    assert client.get(url("report_detail", report)).status_code == 403
    assert submit(client, report).status_code == 403
    # A stranger does not learn the report exists.
    client.force_login(UserFactory())
    assert client.get(url("report_detail", report)).status_code == 404
    # The methodist reads but does not write or decide.
    client.force_login(association.methodist)
    assert client.get(url("report_detail", report)).status_code == 200
    assert submit(client, report).status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT

    # The head submits, but does not accept their own report (they are no decider at all).
    client.force_login(association.head)
    submit(client, report)
    assert client.post(url("report_accept", report)).status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_nobody_accepts_a_report_they_submitted(client, association):
    """The structure's coordinator runs it, so may write its report; then the territory's
    coordinator decides, not the coordinator who submitted it."""
    client.force_login(association.coordinator)
    report = start(client, association)
    submit(client, report)
    report.refresh_from_db()
    assert report.author == association.coordinator
    response = client.post(url("report_accept", report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert "Принять отчёт" not in client.get(url("report_detail", report)).content.decode()
    client.force_login(association.territory_coordinator)
    client.post(url("report_accept", report))
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED


def test_the_analysis_is_required_to_submit(client, association):
    client.force_login(association.head)
    report = start(client, association)
    response = submit(client, report, analysis="   ")
    assert response.status_code == 400
    assert "без него отчёт не сдаётся" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT


def test_start_and_submit_in_one_step_and_starting_twice_keeps_one_report(client, association):
    client.force_login(association.head)
    data = {
        "deadline": association.deadline.pk,
        "report-analysis": "Всё сделано",
        "action": "submit",
    }
    assert client.post(url("report_start", association.structure), data).status_code == 302
    assert client.post(url("report_start", association.structure), data).status_code == 302
    report = Report.objects.get(deadline=association.deadline)
    assert report.status == Report.Status.SUBMITTED
    # The deadline page now opens the report.
    page = client.get(url("report_deadline", association.structure, association.deadline.pk))
    assert page.status_code == 302 and page["Location"] == url("report_detail", report)


def test_a_structure_no_rule_covers_reports_once_a_year_without_a_deadline(client):
    community = StructureFactory(kind=kind("S8"), established_on=dt.date(2020, 9, 1))
    coordinator = MembershipFactory(structure=community, role=Role.COORDINATOR).user
    client.force_login(coordinator)
    data = {"school_year": 2020, "report-analysis": "", "action": "save"}
    client.post(url("report_start", community), data)
    client.post(url("report_start", community), data)
    report = Report.objects.get(structure=community)
    assert (report.deadline, report.school_year) == (None, 2020)
    assert "Начать отчёт за 2021/2022" in client.get(url("report_list", community)).content.decode()
    # A year outside the structure's life is not there.
    assert (
        client.post(url("report_start", community), {**data, "school_year": 2010}).status_code
        == 404
    )


def test_a_year_with_a_deadline_is_reported_by_that_deadline(client, association):
    client.force_login(association.head)
    data = {"school_year": 2020, "report-analysis": "", "action": "save"}
    response = client.post(url("report_start", association.structure), data)
    assert response.status_code == 400
    assert "по установленному сроку" in response.content.decode()
    assert not Report.objects.exists()


def test_the_deadline_stops_reminding_once_the_report_is_submitted(association):
    topic = f"deadline:{association.deadline.pk}"

    def sweep(day):
        moment = dt.datetime.combine(day, dt.time(9, 30), tzinfo=MSK)
        with time_machine.travel(moment, tick=False):
            reminders.sweep(clock=reminders.Clock(now=moment))
        return set(Delivery.objects.filter(topic=topic).values_list("step", flat=True))

    assert sweep(dt.date(2021, 7, 1)) == {"d14"}
    report = services.report_start(
        structure=association.structure, by=association.head, deadline=association.deadline
    )
    report.analysis = "Анализ"
    report.save()
    with on(dt.date(2021, 7, 5)):
        services.report_submit(report=report, by=association.head)
    for day in (
        dt.date(2021, 7, 8),
        dt.date(2021, 7, 14),
        dt.date(2021, 7, 15),
        dt.date(2021, 7, 22),
    ):
        assert sweep(day) == {"d14"}


def test_the_services_refuse_steps_out_of_order(association):
    report = services.report_start(
        structure=association.structure, by=association.head, deadline=association.deadline
    )
    with pytest.raises(Exception, match="только сданный"):
        services.report_accept(report=report, by=association.coordinator)
    with pytest.raises(Exception, match="только сданный"):
        services.report_return(report=report, by=association.coordinator, comment="x")
