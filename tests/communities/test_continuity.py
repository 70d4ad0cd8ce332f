"""Continuity (issue 16): the former members of a closed structure keep reading its record — plans,
meetings and minutes, materials, reports — of the school years they were in, read-only. A year
they were not in is 404 to them; every page that changes something is 403 (they belong, but may
not act); a stranger still gets 404 everywhere.

The association (S5) worked from 16.09.2020 until its closing at the end of the 2021/2022 school
year. Петрова was a member in 2020/2021 only, Орлов its head in 2020/2021 only; Новикова stayed to
the end. The pages are read on 06.12.2026, years after the closing.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from communities.models import Material
from networks.models import ClosingReason, Role
from networks.permissions import access_to
from reporting.models import Report
from tests.factories import (
    EventFactory,
    MaterialFactory,
    MembershipFactory,
    MinutesFactory,
    MinutesItemFactory,
    PlanFactory,
    PlanItemFactory,
    StructureFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db
READ_ON = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)

THEIR_YEAR, LATER_YEAR = 2020, 2021


@pytest.fixture(autouse=True)
def _years_after_the_closing(time_machine):
    time_machine.move_to(READ_ON, tick=False)


def _at(year: int) -> dt.datetime:
    return dt.datetime(year, 11, 12, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def closed():
    association = StructureFactory(
        kind=kind("S5"),
        established_on=dt.date(2020, 9, 16),
        closed_on=dt.date(2022, 6, 30),
        closing_reason=ClosingReason.TERM_ENDED,
    )
    people = {
        "former": UserFactory(last_name="Петрова"),
        "former_head": UserFactory(last_name="Орлов"),
        "last": UserFactory(last_name="Новикова"),
        "stranger": UserFactory(last_name="Посторонний"),
    }
    left = {"since": dt.date(2020, 9, 16), "until": dt.date(2021, 5, 31)}
    MembershipFactory(structure=association, user=people["former"], **left)
    MembershipFactory(structure=association, user=people["former_head"], role=Role.HEAD, **left)
    MembershipFactory(
        structure=association, user=people["last"], since=left["since"], until=dt.date(2022, 6, 30)
    )
    record = {"structure": association, **people}
    for year in (THEIR_YEAR, LATER_YEAR):
        plan = PlanFactory(structure=association, school_year=year, status="approved")
        PlanItemFactory(plan=plan)
        event = EventFactory(structure=association, starts_at=_at(year), status="held")
        minutes = MinutesFactory(
            event=event,
            date=_at(year).date(),
            status="signed",
            signed_at=_at(year),
            attendee_count=3,
        )
        MinutesItemFactory(minutes=minutes)
        material = MaterialFactory(structure=association, status=Material.Status.PUBLISHED)
        Material.objects.filter(pk=material.pk).update(created_at=_at(year))
        report = Report.objects.create(
            structure=association,
            school_year=year,
            title="Анализ работы объединения",
            analysis=f"Анализ за {year}",
            status=Report.Status.ACCEPTED,
            author=people["former_head"] if year == THEIR_YEAR else people["last"],
        )
        record[year] = {
            "plan": plan,
            "event": event,
            "minutes": minutes,
            "material": material,
            "report": report,
        }
    return record


def _reading_pages(structure, year_record) -> dict[str, str]:
    pk = structure.pk
    return {
        "plan": reverse("communities:plan_detail", args=[pk, year_record["plan"].pk]),
        "event": reverse("communities:event_detail", args=[pk, year_record["event"].pk]),
        "minutes": reverse("communities:minutes_detail", args=[pk, year_record["minutes"].pk]),
        "minutes_docx": reverse("communities:minutes_docx", args=[pk, year_record["minutes"].pk]),
        "material": reverse("communities:material_detail", args=[pk, year_record["material"].pk]),
        "report": reverse("reporting:report_detail", args=[pk, year_record["report"].pk]),
    }


def test_access_knows_the_years_a_former_member_was_in(closed):
    access = access_to(closed["former"], closed["structure"])
    assert access.role is None and access.is_former_member
    assert access.former_years == {THEIR_YEAR}
    assert access.can_read_year(THEIR_YEAR) and not access.can_read_year(LATER_YEAR)
    assert not access.can_see_inner and not access.can_manage
    assert not access_to(closed["stranger"], closed["structure"]).is_former_member


def test_a_former_head_reads_the_plan_meetings_minutes_materials_and_report_of_their_year(
    client, closed
):
    client.force_login(closed["former_head"])
    for name, url in _reading_pages(closed["structure"], closed[THEIR_YEAR]).items():
        assert client.get(url).status_code == 200, name


def test_a_former_member_does_not_read_a_year_after_they_left(client, closed):
    client.force_login(closed["former_head"])
    for name, url in _reading_pages(closed["structure"], closed[LATER_YEAR]).items():
        assert client.get(url).status_code == 404, name


def test_the_lists_show_a_former_member_their_years_only(client, closed):
    structure = closed["structure"]
    client.force_login(closed["former"])
    plans = client.get(reverse("communities:plans", args=[structure.pk])).content.decode()
    assert "2020/2021" in plans and "2021/2022" not in plans
    events = client.get(reverse("communities:events", args=[structure.pk]))
    assert events.status_code == 200 and events.context["year"].start == THEIR_YEAR
    assert [y.start for y in events.context["years"]] == [THEIR_YEAR]
    asked_later = client.get(reverse("communities:events", args=[structure.pk]), {"year": 2021})
    assert asked_later.context["year"].start == THEIR_YEAR
    materials = client.get(reverse("communities:material_list", args=[structure.pk]))
    assert [m.pk for m in materials.context["page"].object_list] == [
        closed[THEIR_YEAR]["material"].pk
    ]


def test_an_ordinary_former_member_reads_the_record_but_not_the_reports(client, closed):
    """Reports are read by those who write or decide them; a former member reads what they
    read then (a member never read the reports: 403, as for a current member)."""
    client.force_login(closed["former"])
    pages = _reading_pages(closed["structure"], closed[THEIR_YEAR])
    report = pages.pop("report")
    for name, url in pages.items():
        assert client.get(url).status_code == 200, name
    assert client.get(report).status_code == 403


def test_the_former_heads_report_list_shows_their_year_and_offers_no_new_report(client, closed):
    structure = closed["structure"]
    client.force_login(closed["former_head"])
    response = client.get(reverse("reporting:report_list", args=[structure.pk]))
    assert response.status_code == 200
    assert [y.start for y, _rows in response.context["years"]] == [THEIR_YEAR]
    assert response.context["free_years"] == []
    assert "Начать отчёт" not in response.content.decode()


def test_a_former_member_cannot_write_anything_403(client, closed):
    structure, year = closed["structure"], closed[THEIR_YEAR]
    pk, plan, minutes = structure.pk, year["plan"], year["minutes"]
    client.force_login(closed["former_head"])
    gets = [
        reverse("communities:members", args=[pk]),
        reverse("communities:event_create", args=[pk]),
        reverse("communities:event_edit", args=[pk, year["event"].pk]),
        reverse("communities:attendance", args=[pk, year["event"].pk]),
        reverse("communities:minutes_edit", args=[pk, minutes.pk]),
        reverse("communities:material_add", args=[pk]),
        reverse("communities:history", args=[pk]),
    ]
    posts = [
        reverse("communities:plan_create", args=[pk]),
        reverse("communities:plan_item_add", args=[pk, plan.pk]),
        reverse("communities:plan_new_version", args=[pk, plan.pk]),
        reverse("communities:minutes_sign", args=[pk, minutes.pk]),
        reverse("communities:invite", args=[pk]),
        reverse("communities:structure_close", args=[pk]),
        reverse("reporting:report_save", args=[pk, year["report"].pk]),
        reverse("reporting:report_start", args=[pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url, {"school_year": THEIR_YEAR}).status_code == 403, url
    assert Report.objects.filter(structure=structure).count() == 2


def test_a_former_member_sees_no_write_buttons(client, closed):
    structure = closed["structure"]
    client.force_login(closed["former_head"])
    pages = [
        reverse("communities:plans", args=[structure.pk]),
        reverse("communities:events", args=[structure.pk]),
        reverse("communities:material_list", args=[structure.pk]),
        reverse("reporting:report_list", args=[structure.pk]),
        *_reading_pages(structure, closed[THEIR_YEAR]).values(),
    ]
    for url in pages:
        if url.endswith("/docx/"):
            continue
        html = client.get(url).content.decode()
        actions = re.findall(r'<form[^>]*action="(/structures/[^"]*)"', html)
        # Asking for a PDF of what they may read is a POST that writes nothing of the structure's
        # (an export job of their own), so it stays.
        assert [a for a in actions if not a.endswith("/pdf/")] == [], (url, actions)


def test_a_stranger_still_gets_404(client, closed):
    client.force_login(closed["stranger"])
    structure = closed["structure"]
    pages = [
        reverse("communities:plans", args=[structure.pk]),
        reverse("communities:events", args=[structure.pk]),
        reverse("reporting:report_list", args=[structure.pk]),
        reverse("communities:members", args=[structure.pk]),
        *_reading_pages(structure, closed[THEIR_YEAR]).values(),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url


def test_the_structure_page_shows_a_former_member_the_record_of_their_year(client, closed):
    structure = closed["structure"]
    client.force_login(closed["former"])
    html = client.get(reverse("networks:structure_detail", args=[structure.pk])).content.decode()
    assert reverse("communities:plans", args=[structure.pk]) in html
    assert reverse("communities:events", args=[structure.pk]) in html


def test_a_former_member_of_an_open_structure_reads_nothing_404(client):
    """Continuity is for closed structures: a person removed from a working one (perhaps
    blocked) does not keep its inner life."""
    structure = StructureFactory(kind=kind("S5"))
    former = MembershipFactory(
        structure=structure, since=dt.date(2020, 9, 16), until=dt.date(2021, 5, 31)
    ).user
    plan = PlanFactory(structure=structure, school_year=THEIR_YEAR)
    client.force_login(former)
    assert (
        client.get(reverse("communities:plan_detail", args=[structure.pk, plan.pk])).status_code
        == 404
    )
