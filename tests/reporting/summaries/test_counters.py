"""The summary's kept figures (reporting.counters, issue 19): every service that changes what they
hold updates them in its own transaction, the next summary page shows it, `recount_figures --check`
finds nothing to correct, and the page built from them shows what counting the base tables shows."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Event, Minutes
from communities.services import events as event_services
from communities.services import plans as plan_services
from mentoring.models import Response
from mentoring.services import groups as group_services
from mentoring.services import pairs as pair_services
from mentoring.services import questionnaires as questionnaire_services
from networks import services as network_services
from networks.models import Role
from reporting.models import StructureFigures
from reporting.summaries import selectors
from reporting.summaries.selectors import SummaryScope
from tests.factories import MinutesItemFactory, QuestionFactory, UserFactory

from .conftest import YEAR, at

SUMMARY = reverse("reporting:summary")
TODAY = dt.date(2021, 3, 1)


def kept(structure, name):
    return getattr(StructureFigures.objects.get(structure=structure, school_year=2020), name)


def page_html(client, territory) -> str:
    client.force_login(territory.people["methodist"])
    return client.get(SUMMARY, {"year": "2020"}).content.decode()


def test_the_page_from_kept_figures_shows_what_counting_the_base_tables_shows(territory):
    scope = SummaryScope(YEAR, territory.region)
    live_rows, live_totals = selectors.summary(scope, today=TODAY)
    rows, totals = selectors.summary_page(scope, today=TODAY)
    shown = rows[0:50]
    assert [r.pk for r in shown] == [r.pk for r in live_rows]
    for mine, live in zip(shown, live_rows, strict=True):
        mine.events_by_form, live.events_by_form = {}, {}
        assert dataclasses.asdict(mine) == dataclasses.asdict(live)
    live_totals.events_by_form.clear()
    assert dataclasses.asdict(totals) == dataclasses.asdict(live_totals)
    assert len(rows) == live_totals.structures == 5


def test_the_summary_page_runs_at_most_fifteen_queries(client, territory):
    client.force_login(territory.people["methodist"])
    client.get(SUMMARY, {"year": "2020"})
    with CaptureQueriesContext(connection) as context:
        assert client.get(SUMMARY, {"year": "2020"}).status_code == 200
    assert len(context.captured_queries) <= 15


def test_a_member_who_joins_or_leaves_is_counted_at_once_and_shown(client, territory):
    assoc = territory.assoc_b
    before = kept(assoc, "members_total")
    membership = network_services.membership_add(
        structure=assoc, user=UserFactory(), role=Role.MEMBER, since=dt.date(2020, 11, 2)
    )
    assert kept(assoc, "members_total") == before + 1
    assert f'<td class="text-end">{before + 1}</td>' in page_html(client, territory)
    network_services.membership_end(membership=membership, on=dt.date(2020, 11, 3))
    # Still a member during the year; the year after does not count them.
    assert kept(assoc, "members_total") == before + 1
    assert StructureFigures.objects.get(structure=assoc, school_year=2021).members_total == 1


def test_a_meeting_marked_held_and_its_minutes_signed_are_counted(territory):
    assoc, head = territory.assoc_a, territory.people["head"]
    held, signed = kept(assoc, "meetings_held"), kept(assoc, "minutes_signed")
    event = Event.objects.get(structure=assoc, status=Event.Status.SCHEDULED)
    Event.objects.filter(pk=event.pk).update(starts_at=at(dt.date(2021, 1, 20)))
    event_services.attendance_mark(event=event, by=head, present=[])
    assert kept(assoc, "meetings_held") == held + 1
    draft = Minutes.objects.get(event__structure=assoc, status=Minutes.Status.DRAFT)
    MinutesItemFactory(minutes=draft, recommendations="Обсудить")
    event_services.minutes_sign(minutes=draft, by=head)
    assert kept(assoc, "minutes_signed") == signed + 1
    assert kept(assoc, "recommendations") == 3 + 1


def test_a_contact_and_an_answer_of_a_pair_are_counted(territory):
    pair = territory.pair
    pair_services.contact_log(
        pair=pair,
        date=dt.date(2021, 2, 20),
        form="mentoring",
        channel="phone",
        topic="ВПР",
        by=pair.curator,
    )
    assert kept(pair, "contacts") == 3
    assert kept(pair, "last_contact") == dt.date(2021, 2, 20)
    december = Response.objects.get(pair=pair).round
    mentee = pair.memberships.get(role=Role.MENTEE).user
    questionnaire_services.response_submit(
        round=december, pair=pair, answers={}, by=mentee, today=dt.date(2020, 12, 10)
    )
    assert (kept(pair, "responses_submitted"), kept(pair, "responses_expected")) == (2, 2)


def test_a_new_round_for_pairs_counts_the_answers_the_regions_pairs_owe(territory):
    pair = territory.pair
    questionnaire = Response.objects.get(pair=pair).round.questionnaire
    coordinator = territory.people["coordinator"]
    QuestionFactory(questionnaire=questionnaire)
    questionnaire_services.round_create(
        questionnaire=questionnaire,
        title="Май",
        audience="pairs",
        school_year=2020,
        opens_on=dt.date(2021, 5, 1),
        closes_on=dt.date(2021, 5, 25),
        by=coordinator,
    )
    assert kept(pair, "responses_expected") == 4


def test_a_plan_item_marked_done_and_online_statistics_are_counted(territory):
    assoc = territory.assoc_a
    item = assoc.plans.get(version=1).items.get(done=False)
    plan_services.plan_item_mark_done(item=item, by=territory.people["head"], done=True)
    assert (kept(assoc, "plan_done"), kept(assoc, "plan_planned")) == (4, 4)
    group = territory.group
    visitors = kept(group, "visitors")
    group_services.group_statistics_add(
        structure=group,
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2021, 1, 31),
        visitors=7,
        views=1,
        actions=1,
        feedback=1,
        by=group.memberships.get(role=Role.ADMINISTRATOR).user,
    )
    assert kept(group, "visitors") == visitors + 7


def test_recount_check_finds_nothing_after_the_services_and_reports_a_tampered_row(territory):
    network_services.membership_add(
        structure=territory.assoc_a, user=UserFactory(), role=Role.MEMBER, since=dt.date(2021, 1, 4)
    )
    pair_services.contact_log(
        pair=territory.pair,
        date=dt.date(2021, 3, 2),
        form="mentoring",
        channel="phone",
        topic="План",
        by=territory.pair.curator,
    )
    call_command("recount_figures", "--check", "--year", "2020")
    StructureFigures.objects.filter(structure=territory.assoc_a, school_year=2020).update(
        members_total=99
    )
    with pytest.raises(CommandError):
        call_command("recount_figures", "--check", "--year", "2020")
    call_command("recount_figures", "--year", "2020")
    call_command("recount_figures", "--check", "--year", "2020")


def test_a_batch_recounts_once_at_its_end_what_its_writes_asked_for(territory, monkeypatch):
    from networks import figures
    from reporting import counters

    assoc, other = territory.assoc_a, territory.assoc_b
    before = kept(assoc, "members_total"), kept(other, "members_total")
    refreshed = []
    real_refresh = counters.refresh
    monkeypatch.setattr(
        counters,
        "refresh",
        lambda ids, years, fields: (
            refreshed.append(sorted(ids)) or real_refresh(ids, years, fields)
        ),
    )
    with figures.batched():
        for structure in (assoc, assoc, other):
            network_services.membership_add(
                structure=structure,
                user=UserFactory(),
                role=Role.MEMBER,
                since=dt.date(2020, 11, 2),
            )
        assert refreshed == []
        assert (kept(assoc, "members_total"), kept(other, "members_total")) == before
    # One recount of both structures for the same school years, not three.
    assert refreshed == [sorted([assoc.pk, other.pk])]
    assert kept(assoc, "members_total") == before[0] + 2
    assert kept(other, "members_total") == before[1] + 1
    call_command("recount_figures", "--check", "--year", "2020")


def test_a_batch_that_fails_recounts_nothing_and_a_pair_founded_in_a_batch_is_counted(territory):
    from django.db import transaction

    from networks import figures

    assoc = territory.assoc_a
    before = kept(assoc, "members_total")
    with pytest.raises(RuntimeError), transaction.atomic(), figures.batched():
        network_services.membership_add(
            structure=assoc, user=UserFactory(), role=Role.MEMBER, since=dt.date(2020, 11, 2)
        )
        raise RuntimeError("the caller's transaction is rolled back")
    assert kept(assoc, "members_total") == before
    pair = territory.pair
    assert StructureFigures.objects.get(structure=pair, school_year=2020).members_total == 3
    call_command("recount_figures", "--check", "--year", "2020")
