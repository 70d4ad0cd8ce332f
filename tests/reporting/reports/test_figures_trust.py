"""Figures people can trust (issue 18): a report frozen at submission is the record as it was
then; «меньше минимума» only once the school year cannot make it up (R-TUL-A4-4.3); a plan item
held with signed minutes is done."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from communities.selectors import meeting_progress, plan_items, structure_plans
from networks.models import Structure
from reporting.models import Report
from reporting.reports import services
from reporting.reports.documents import document_data, key_figures
from reporting.reports.figures import readable, structure_figures
from reporting.summaries.selectors import collect_rows
from tests.factories import EventFactory, PlanItemFactory

from .conftest import YEAR, at, signed

pytestmark = pytest.mark.django_db


def _submitted_at(association, moment: dt.datetime) -> Report:
    report = services.report_start(
        structure=association.structure,
        by=association.head,
        deadline=association.deadline,
        narrative={"analysis": "Анализ работы за год."},
    )
    return services.report_submit(report=report, by=association.head, now=moment)


# --- Frozen at submission ------------------------------------------------------------------------


def test_a_report_handed_in_on_a_past_day_lists_no_meeting_held_after_it(association):
    # Handed in on 20 December 2020: the meeting of 11 March 2021 (held, minuted) came later.
    report = _submitted_at(association, at(dt.date(2020, 12, 20)))

    meetings = report.figures["meetings"]
    assert meetings["held"] == 1
    assert [m["date"] for m in meetings["list"]] == ["2020-10-15"]
    assert meetings["events_by_form"] == {"meeting": 1, "seminar": 1}
    assert [m["date"] for m in report.figures["minutes"]["list"]] == ["2020-10-15"]
    assert report.figures["computed_at"].startswith("2020-12-20")


def test_a_minutes_version_signed_after_the_submission_is_not_in_it(association):
    # The March meeting's minutes were signed on the day; a correction signed in April is newer.
    report = _submitted_at(association, at(dt.date(2021, 3, 20)))
    shown = report.figures["minutes"]["list"]
    assert [(m["date"], m["version"]) for m in shown] == [("2020-10-15", 1), ("2021-03-11", 2)]

    later = EventFactory(
        structure=association.structure, status="held", starts_at=at(dt.date(2021, 3, 15))
    )
    minutes = signed(later, number="9")
    minutes.signed_at = at(dt.date(2021, 4, 2))
    minutes.save()
    again = structure_figures(association.structure, YEAR, as_of=at(dt.date(2021, 3, 20)))
    assert [m["number"] for m in again["minutes"]["list"]] == [m["number"] for m in shown]
    assert again["meetings"]["held"] == 3  # held on 15 March, before; only its minutes came later


def test_a_submitted_report_is_never_recomputed_from_todays_record(client, association):
    report = _submitted_at(association, at(dt.date(2020, 12, 20)))
    EventFactory(structure=association.structure, status="held", starts_at=at(dt.date(2020, 12, 1)))

    assert services.report_figures(report) == report.figures
    client.force_login(association.head)
    page = client.get(
        reverse("reporting:report_detail", args=[association.structure.pk, report.pk])
    )
    assert page.context["figures"]["meetings"]["held"] == 1
    assert "зафиксированы при сдаче отчёта 20.12.2020" in page.content.decode()


def test_a_report_handed_in_without_stored_figures_gets_them_as_of_its_submission(association):
    report = _submitted_at(association, at(dt.date(2020, 12, 20)))
    Report.objects.filter(pk=report.pk).update(figures={})
    report.refresh_from_db()

    figures = services.report_figures(report)
    assert figures["meetings"]["held"] == 1
    assert figures["computed_at"].startswith("2020-12-20")


# --- «Меньше минимума» only when the year cannot make it up (R-TUL-A4-4.3) ---------------------


def test_r_tul_a4_4_3_two_of_four_in_december_is_progress_not_short():
    progress = meeting_progress(2, 4, YEAR, today=dt.date(2020, 12, 6))
    assert not progress.short and progress.behind
    assert progress.months_left == 9
    assert progress.text == "2 из 4, до конца учебного года 9 мес."


def test_r_tul_a4_4_3_one_of_four_in_june_is_still_progress_the_order_sets_no_pace():
    progress = meeting_progress(1, 4, YEAR, today=dt.date(2021, 6, 15))
    assert not progress.short
    assert progress.text == "1 из 4, до конца учебного года 3 мес."


def test_r_tul_a4_4_3_short_after_the_year_or_once_the_structure_closed():
    assert meeting_progress(2, 4, YEAR, today=dt.date(2021, 9, 1)).short
    closed = meeting_progress(2, 4, YEAR, today=dt.date(2021, 2, 1), closed_on=dt.date(2021, 1, 31))
    assert closed.short and closed.text == "2 из 4"
    assert not meeting_progress(4, 4, YEAR, today=dt.date(2021, 9, 1)).short
    assert not meeting_progress(0, None, YEAR, today=dt.date(2021, 9, 1)).short


def test_r_tul_a4_4_3_a_report_frozen_in_december_shows_progress_not_short(association):
    report = _submitted_at(association, at(dt.date(2020, 12, 20)))
    shown = readable(report.figures)["meetings"]
    assert shown["short_of_required"] is False
    assert shown["progress"] == "1 из 4, до конца учебного года 9 мес."

    # The same year read after it ended: short.
    after = readable(structure_figures(association.structure, YEAR))["meetings"]
    assert after["short_of_required"] is True and after["progress"] == ""


def test_r_tul_a4_4_3_the_summary_in_december_shows_progress_not_short(client, association):
    structures = Structure.objects.filter(pk=association.structure.pk)
    (row,) = collect_rows(structures, YEAR, today=dt.date(2020, 12, 6))
    # Counted as of today's record (2 meetings in the year), judged on 6 December.
    assert not row.meetings_short
    assert row.meetings_behind == "2 из 4, до конца учебного года 9 мес."
    (row,) = collect_rows(structures, YEAR, today=dt.date(2021, 9, 2))
    assert row.meetings_short and row.meetings_behind == ""

    with time_machine.travel(dt.datetime(2020, 12, 6, 12, tzinfo=dt.UTC), tick=False):
        client.force_login(association.territory_coordinator)
        page = client.get(reverse("reporting:summary"), {"year": str(YEAR.start)})
    assert page.status_code == 200
    html = page.content.decode()
    assert association.structure.name in html
    assert "меньше минимума" not in html and "до конца учебного года 9 мес." in html


# --- A plan item held with signed minutes is done ------------------------------------------------


def test_a_plan_item_whose_event_was_held_with_signed_minutes_is_done(association):
    structure = association.structure
    plan = structure.plans.get(version=1)
    item = plan.items.filter(done=False).first()
    event = EventFactory(
        structure=structure, status="held", starts_at=at(dt.date(2021, 2, 4)), plan_item=item
    )
    before = structure_figures(structure, YEAR)["plan"]["done"]
    assert before == 3  # held, but no signed minutes yet

    signed(event, number="5")

    assert next(i for i in plan_items(plan) if i.pk == item.pk).is_done
    assert structure_figures(structure, YEAR)["plan"]["done"] == 4
    assert (
        next(
            p for y in structure_plans(structure) for p in [y.current, *y.older] if p.pk == plan.pk
        ).items_done
        == 4
    )
    (row,) = collect_rows(Structure.objects.filter(pk=structure.pk), YEAR)
    assert (row.plan_planned, row.plan_done) == (5, 4)  # the summary counts it too
    # A report handed in before the minutes were signed keeps 3.
    assert structure_figures(structure, YEAR, as_of=at(dt.date(2021, 2, 3)))["plan"]["done"] == 3


def test_the_plan_page_shows_the_held_and_minuted_item_as_done(client, association):
    structure = association.structure
    plan = structure.plans.get(version=1)
    item = PlanItemFactory(plan=plan, position=9, done=False, title="Выездное заседание")
    event = EventFactory(
        structure=structure, status="held", starts_at=at(dt.date(2021, 4, 8)), plan_item=item
    )
    signed(event, number="7")
    client.force_login(association.head)
    page = client.get(reverse("communities:plan_detail", args=[structure.pk, plan.pk]))
    assert page.status_code == 200
    assert "мероприятие проведено, протокол подписан" in page.content.decode()


def test_the_documents_count_the_held_and_minuted_item_as_done(association):
    structure = association.structure
    plan = structure.plans.get(version=1)
    item = plan.items.filter(done=False).first()
    event = EventFactory(
        structure=structure, status="held", starts_at=at(dt.date(2021, 2, 4)), plan_item=item
    )
    signed(event, number="5")
    report = _submitted_at(association, at(dt.date(2021, 7, 10)))
    rows = dict(key_figures(document_data(report).figures))
    assert rows["Выполнено пунктов плана"] == 4
