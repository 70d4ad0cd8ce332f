"""The territory's nearest deadlines of «Отчётность территории», kept in the shared cache
(reporting.summaries.nearest, issue 19): counted once for every methodist and coordinator of the
territory, and counted again after every write to what they count — in this process or another."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Plan, PlanStep
from networks.models import OrganisationKind
from networks.schoolyear import SchoolYear
from reporting import reminders
from reporting.models import Deadline, DeadlineRule, Report
from reporting.reports import services
from reporting.summaries import nearest
from tests.factories import OrganisationFactory, PlanFactory, StructureFactory, kind

from .conftest import deadline

ON_27_DECEMBER = "2020-12-27 10:00 +0300"
# S3's group has not handed in its report due 25.12.2020 (conftest): of S5's two associations,
# one was accepted and one handed in late.
GROUP_MISSING = "сдано: 0; с опозданием: 0; не сдано: 1; срок не наступил: 0"
GROUP_LATE = "сдано: 0; с опозданием: 1; не сдано: 0; срок не наступил: 0"


def home(client, person) -> str:
    client.force_login(person)
    return re.sub(r"\s+", " ", client.get("/").content.decode())


def counted(context) -> bool:
    """Whether the block's query (the deadlines grouped by rule and date) ran."""
    return any('AS "rule__title"' in q["sql"] for q in context.captured_queries)


@pytest.mark.django_db
def test_the_figures_are_counted_once_for_every_methodist_and_coordinator_of_the_territory(
    client, territory
):
    with time_machine.travel(ON_27_DECEMBER, tick=False):
        with CaptureQueriesContext(connection) as first:
            methodists = home(client, territory.people["methodist"])
        with CaptureQueriesContext(connection) as second:
            coordinators = home(client, territory.people["coordinator"])
        # The municipality's methodist sees another territory: counted for it.
        with CaptureQueriesContext(connection) as municipal:
            home(client, territory.people["municipal_methodist"])
    assert GROUP_MISSING in methodists and GROUP_MISSING in coordinators
    assert (counted(first), counted(second), counted(municipal)) == (True, False, True)


@pytest.mark.django_db
def test_a_report_handed_in_through_the_services_shows_on_the_next_home(client, territory):
    methodist, by = territory.people["methodist"], territory.people["coordinator"]
    with time_machine.travel(ON_27_DECEMBER, tick=False):
        before = home(client, methodist)  # kept
        due = deadline(territory.group, dt.date(2020, 12, 25))
        report = services.report_start(structure=territory.group, by=by, deadline=due)
        services.report_save(report=report, by=by, narrative={"analysis": "Анализ"})
        services.report_submit(report=report, by=by)
        after = home(client, methodist)
    assert after.count(GROUP_MISSING) == before.count(GROUP_MISSING) - 1
    assert after.count(GROUP_LATE) == before.count(GROUP_LATE) + 1


@pytest.mark.django_db
def test_the_years_new_deadlines_and_a_renamed_rule_show_on_the_next_home(client, territory):
    methodist = territory.people["methodist"]
    with time_machine.travel(ON_27_DECEMBER, tick=False):
        host = OrganisationFactory(municipality=territory.a, kind=OrganisationKind.METHODICAL)
        StructureFactory(
            kind=kind("S3"), name="Группа № 2", host=host, established_on=dt.date(2020, 9, 1)
        )
        assert GROUP_MISSING in home(client, methodist)  # kept: the new group has no deadline
        # Its deadline comes from the instantiation (bulk_create: no signal, the function says
        # so itself).
        reminders.deadlines_instantiate(year=SchoolYear(2020))
        html = home(client, methodist)
        assert "сдано: 0; с опозданием: 0; не сдано: 2; срок не наступил: 0" in html
        rule = Deadline.objects.get(structure=territory.group, due_on=dt.date(2020, 12, 25)).rule
        rule.title = "Анализ работы группы за полугодие"
        rule.save()  # the operators' admin
        assert "Анализ работы группы за полугодие" in home(client, methodist)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda t: Report.objects.filter(deadline__isnull=False).first().save(), id="report"
        ),
        pytest.param(lambda t: Report.objects.first().delete(), id="report-deleted"),
        pytest.param(lambda t: Deadline.objects.first().save(), id="deadline"),
        pytest.param(lambda t: DeadlineRule.objects.first().save(), id="rule"),
        pytest.param(
            lambda t: PlanFactory(structure=t.assoc_a, school_year=2021, created_by=None), id="plan"
        ),
        pytest.param(
            lambda t: PlanStep.objects.create(
                plan=Plan.objects.first(), action=PlanStep.Action.SUBMIT
            ),
            id="plan-step",
        ),
        pytest.param(lambda t: t.assoc_a.save(), id="structure"),
        pytest.param(
            lambda t: reminders.deadline_mark_delivered(
                structure=t.group, deliverable="report", school_year=2020
            ),
            id="deadline-marked-delivered",
        ),
    ],
)
@pytest.mark.django_db
def test_every_write_to_what_the_figures_count_sets_a_new_generation(territory, write):
    nearest.changed()
    before = cache.get(nearest.KEPT.generation_key)
    write(territory)
    assert cache.get(nearest.KEPT.generation_key) not in (None, before)


@pytest.mark.django_db
def test_a_cache_that_does_not_answer_leaves_the_database_to_answer(client, territory, monkeypatch):
    def fails(*_args, **_kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "set"):
        monkeypatch.setattr(cache, method, fails)
    with time_machine.travel(ON_27_DECEMBER, tick=False):
        assert GROUP_MISSING in home(client, territory.people["methodist"])
    nearest.changed()  # logged, not raised
