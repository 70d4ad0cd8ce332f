"""`manage.py load_demo` (now reporting's command) also loads the demo structures' school year:
plans and their approval, meetings with attendance and minutes, materials and discussions, the
pairs' contacts and questionnaire, group statistics, deadlines, reports and notices — once, on the
same day and on any later day of the school year. Networks' own loader is tested in
tests/networks/test_demo.py."""

import datetime as dt
import re
from io import StringIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from communities.models import (
    Announcement,
    Decision,
    Event,
    EventFormat,
    Material,
    Minutes,
    Plan,
    PlanStep,
)
from communities.selectors.events import structure_standing
from communities.selectors.plans import plan_agreement
from devdata.demo.year import YEAR_MODELS, DemoCalendar
from mentoring.models import (
    Competence,
    GroupStatistics,
    HelpRequest,
    Questionnaire,
    Response,
    Round,
)
from mentoring.selectors.pairs import dormant_pairs
from networks.models import Membership, Role, Structure, User
from networks.schoolyear import SchoolYear
from outbox.models import OutboundMail
from reporting.models import Deadline, Notice, Report

# One worker for the module: its module-scoped demo loads run once, not once per worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-year")]

MSK = ZoneInfo("Europe/Moscow")
# A Thursday in the second half of November: two meetings are behind, the December round is open.
LOADED_AT = dt.datetime(2025, 11, 20, 11, 0, tzinfo=MSK)
LATER = dt.datetime(2026, 3, 16, 10, 0, tzinfo=MSK)  # the same school year, four months on
YEAR, LAST = SchoolYear(2025), SchoolYear(2024)

DIRECTOR = "direktor@demo.example.ru"
COORDINATOR = "koordinator@demo.example.ru"
METHODIST = "metodist@demo.example.ru"
S5 = "Межшкольное профессиональное объединение руководящих работников"
HISTORIES = [Plan.history.model, Event.history.model, Minutes.history.model]


def run() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [*YEAR_MODELS, *HISTORIES, Structure, Membership, User]
    return {model.__name__: model.objects.count() for model in models}


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def kind(code: str) -> Structure:
    return Structure.objects.get(kind__code=code, parent__isnull=True)


def page(client, email: str, url: str) -> str:
    client.force_login(User.objects.get(email=email))
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r"\s+", " ", response.content.decode())


# --- Dates -------------------------------------------------------------------------------------


def moment(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=MSK)


def test_the_first_three_weeks_of_september_show_the_previous_school_year():
    assert DemoCalendar(moment(2026, 9, 10, 10)).year == SchoolYear(2025)
    assert DemoCalendar(moment(2026, 9, 22, 10)).year == SchoolYear(2026)
    assert DemoCalendar(moment(2027, 8, 31, 10)).year == SchoolYear(2026)


def test_anchors_already_past_are_kept_and_future_ones_spread_before_today_in_order():
    anchors = [moment(2026, 10, 15, 15), moment(2026, 11, 10, 15)]
    assert DemoCalendar(moment(2026, 11, 23, 10)).past(anchors) == anchors
    early = DemoCalendar(moment(2026, 10, 1, 10)).past(anchors)
    assert [d.date() for d in early] == [dt.date(2026, 9, 11), dt.date(2026, 9, 21)]
    assert [timezone.localtime(d).hour for d in early] == [15, 15]


def test_an_upcoming_anchor_stays_while_ahead_else_moves_two_weeks_on_to_a_working_day():
    anchor = moment(2026, 12, 16, 15)
    assert DemoCalendar(moment(2026, 11, 23, 10)).ahead(anchor) == anchor
    # 10.01.2027 is a Sunday: fourteen days on is Sunday 24 January, so Monday 25 January.
    moved = DemoCalendar(moment(2027, 1, 10, 10)).ahead(anchor)
    assert timezone.localtime(moved) == moment(2027, 1, 25, 15)


# First in the module, before the shared load below: this one needs an empty database.
def test_a_first_load_early_in_october_still_has_two_meetings_held_before_today():
    with at(moment(2025, 10, 3, 10)):
        run()
        association = kind("S5")
        standing = structure_standing(association, YEAR)
        assert (standing.held, standing.missing_count, len(standing.upcoming)) == (2, 1, 1)
        now = timezone.now()
        held = association.events.in_year(YEAR).filter(status=Event.Status.HELD)
        assert all(YEAR.first_day <= e.starts_at.date() and e.starts_at < now for e in held)
        assert standing.upcoming[0].starts_at > now
        # The dormant pair cannot be silent for a month of this year yet: it falls silent later.
        assert Response.objects.count() == 3


# --- One shared load -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Loads on LOADED_AT, again the same day, and once more four months later, inside a
    transaction rolled back at the end; each test runs in its own savepoint within it. Mail goes
    to the outbox, as under `make run` (the worker never sends it: nothing is committed)."""
    outbox = override_settings(EMAIL_BACKEND="outbox.backends.OutboxBackend")
    with django_db_blocker.unblock(), transaction.atomic(), outbox:
        with at(LOADED_AT):
            first = run()
            after_first = counts()
            mails_first = OutboundMail.objects.count()
            second = run()
            after_second = counts()
            mails_second = OutboundMail.objects.count()
        with at(LATER):
            later = run()
            after_later = counts()
            mails_later = OutboundMail.objects.count()
        yield SimpleNamespace(
            first=first,
            second=second,
            later=later,
            after_first=after_first,
            after_second=after_second,
            after_later=after_later,
            mails=(mails_first, mails_second, mails_later),
        )
        transaction.set_rollback(True)


@pytest.fixture
def on_load_day(loaded):
    with at(LOADED_AT):
        yield


def test_first_run_creates_the_year_and_keeps_the_logins_and_the_url_last(loaded):
    for model in YEAR_MODELS:
        assert loaded.after_first[model.__name__] > 0, model.__name__
    assert "Создано: ничего." not in loaded.first
    assert "протоколы — 10" in loaded.first
    assert "Учебный год в демо-данных: 2025/2026 (и прошлый, 2024/2025)" in loaded.first
    lines = loaded.first.rstrip().splitlines()
    assert lines[-1] == "Портал: http://127.0.0.1:8000"
    assert lines[-2].endswith(METHODIST)


def test_first_run_counts_of_the_year(loaded):
    """What the first run writes, model by model: a change to the demo's story shows here. Issue 17
    added the S5 minutes' two decisions, the S3 group's webinar (its four members invited) and its
    announcement, and their notices (two owners told, four invitations, four announcements). The
    demo's network pairs have their results due by 25 December too: six deadlines more (001
    order p. 2.2, issue 18)."""
    assert loaded.after_first == {
        "Plan": 5, "PlanItem": 29, "PlanStep": 11, "Event": 15, "Attendance": 119,
        "Minutes": 10, "MinutesItem": 19, "Decision": 2, "Announcement": 1, "Material": 5,
        "Discussion": 1, "Post": 3, "Poll": 1, "PollOption": 4, "PollVoter": 3, "PollVote": 5,
        "Competence": 16, "Contact": 21, "Questionnaire": 1, "Question": 6, "Round": 1,
        "Response": 3, "HelpRequest": 2, "TutorAssignment": 2, "GroupStatistics": 78,
        "Deadline": 24, "Report": 9, "Notice": 35, "HistoricalPlan": 11, "HistoricalEvent": 21,
        "HistoricalMinutes": 16, "Structure": 25, "Membership": 93, "User": 61,
    }  # fmt: skip


def test_second_run_the_same_day_creates_and_changes_nothing(loaded):
    assert loaded.after_second == loaded.after_first
    assert loaded.mails[0] > 0 and loaded.mails[1] == loaded.mails[0] == loaded.mails[2]
    assert "Создано: ничего." in loaded.second
    assert "Изменено: ничего." in loaded.second


def test_a_run_later_in_the_school_year_duplicates_nothing(loaded):
    assert loaded.after_later == loaded.after_first
    assert "Создано: ничего." in loaded.later


def test_the_summarys_kept_figures_equal_the_rows_the_demo_wrote(loaded):
    """The loaders defer the per-write recount (networks.figures.deferred) and recount once at
    their end: nothing differs from the base tables (issue 19)."""
    from reporting import counters

    with at(LATER):  # the school years known on the day of the last load
        assert counters.differences() == []


def test_every_created_row_passes_full_clean(loaded):
    for model in YEAR_MODELS:
        for obj in model.objects.all():
            obj.full_clean()


# --- S5: the association (R-TUL-A4) --------------------------------------------------------------


def test_r_tul_a4_4_3_association_page_shows_two_of_four_meetings_held(client, on_load_day):
    association = kind("S5")
    html = page(client, COORDINATOR, reverse("networks:structure_detail", args=[association.pk]))
    assert "Проведено заседаний: 2 из 4" in html
    assert "Прошедшие заседания без подписанного протокола: 1" in html
    assert "Выполнено пунктов плана: 3 из 7" in html


def test_r_tul_a4_4_4_held_meetings_have_signed_minutes_with_questions_decisions_advice(loaded):
    association = kind("S5")
    for year, held in ((YEAR, 2), (LAST, 4)):
        meetings = association.events.in_year(year).filter(status=Event.Status.HELD)
        assert meetings.count() == held
        for event in meetings:
            minutes = event.minutes.get()
            assert minutes.is_signed and minutes.attendee_count == 7
            assert minutes.signed_by.email == "makarova.ti@example.ru"
            assert minutes.signed_at > event.starts_at
            assert all(i.question and i.decision for i in minutes.items.all())
        numbers = sorted(int(e.minutes.get().number) for e in meetings)
        assert numbers == list(range(1, held + 1))
    recommendations = Minutes.objects.filter(
        event__structure=association, items__recommendations__gt=""
    )
    assert recommendations.exists()


def test_r_tul_a4_4_5_plans_are_approved_by_the_centre(loaded):
    association = kind("S5")
    for year in (YEAR, LAST):
        plan = association.plans.get(school_year=year.start)
        assert plan.status == Plan.Status.APPROVED
        approval = plan.steps.get(action=PlanStep.Action.APPROVE)
        assert approval.by.email == COORDINATOR
        assert plan.steps.get(action=PlanStep.Action.SUBMIT).at < approval.at
    this_year = association.plans.get(school_year=YEAR.start)
    assert this_year.items.count() == 7
    assert this_year.items.filter(done=True).count() == 3


# --- S7, S6, S8 ----------------------------------------------------------------------------------


def test_r_dmi_1_8_joint_plan_is_agreed_by_some_participant_schools_not_all(loaded):
    plan = kind("S7").plans.get(school_year=YEAR.start)
    assert plan.status == Plan.Status.SUBMITTED
    agreement = plan_agreement(plan)
    assert agreement.agreed_count == 2
    assert [m.user.last_name for m in agreement.pending] == ["Ильина"]


def test_r_dmi_4_1_a_participant_schools_proposal_waits_for_the_centre(loaded):
    proposal = kind("S7").events.get(status=Event.Status.PROPOSED)
    assert proposal.proposed_by.short_name == "МКОУ «Старогородская СОШ»"
    assert proposal.starts_at > LOADED_AT


def test_r_pri_4_4_closed_site_keeps_a_past_record_inside_its_term(loaded):
    site = kind("S6")
    assert site.is_closed
    plan = site.plans.get()
    assert (plan.school_year, plan.status) == (2021, Plan.Status.APPROVED)
    assert plan.steps.get(action=PlanStep.Action.AGREE).by.last_name == "Павлова"
    events = site.events.all()
    assert events.count() == 4
    for event in events:
        assert site.term_start <= event.starts_at.date() <= site.closed_on
        assert event.format == EventFormat.REMOTE and event.link  # R-PRI-3.2
        assert event.minutes.get().is_signed


def test_r_pav_6_1_a_members_model_waits_for_the_administrator(loaded):
    community = kind("S8")
    pending = Material.objects.filter(status=Material.Status.PENDING)
    assert [(m.structure, m.kind) for m in pending] == [(community, Material.Kind.MODEL)]
    admitted = Material.objects.filter(status=Material.Status.PUBLISHED, admitted_by__isnull=False)
    assert admitted.count() == 4
    assert {m.admitted_by.last_name for m in admitted} == {"Шевченко"}


def test_r_pav_6_2_a_moderators_problem_has_replies_and_a_poll_with_votes(loaded):
    maths = Structure.objects.get(kind__code="S8", name__contains="математики")
    discussion = maths.discussions.get()
    assert maths.memberships.get(user=discussion.opened_by).role == Role.MODERATOR
    assert discussion.posts.count() == 3
    poll = maths.polls.get()
    assert poll.discussion == discussion
    assert poll.voters.count() == 3


# --- Mentoring (R-TUL-A3) ------------------------------------------------------------------------


def test_r_tul_a3_pairs_state_deficits_and_strengths_and_one_pair_is_dormant(loaded):
    director = User.objects.get(email=DIRECTOR)
    assert Competence.objects.filter(user=director, side=Competence.Side.DEFICIT).count() == 3
    assert Competence.objects.filter(side=Competence.Side.STRENGTH).count() == 9
    pairs = Structure.objects.filter(kind__code="S4")
    for pair in pairs:
        assert pair.pair_contacts.filter(date__gte=YEAR.first_day).exists()
        assert pair.pair_contacts.filter(date__lte=LAST.last_day).exists()
    dormant = list(dormant_pairs(today=LOADED_AT.date()))
    assert [p.name for p in dormant] == ["Сетевая пара: МБОУ «ЦО № 36» — МБУДО «Центр ППСС»"]


def test_r_tul_a3_4_2_1_december_round_is_open_and_answered_by_both_sides_of_one_pair(loaded):
    questionnaire = Questionnaire.objects.get(title="Мониторинг наставнических отношений")
    december = questionnaire.rounds.get()
    assert (december.title, december.school_year) == ("Декабрь", YEAR.start)
    assert december.audience == Round.Audience.PAIRS
    assert december.opens_on <= LOADED_AT.date() <= december.closes_on
    answered = Response.objects.filter(round=december, submitted_at__isnull=False)
    sides = {(r.pair.name, r.side) for r in answered}
    nikitina = "Сетевая пара: МБОУ «ЦО № 8» — МБОУ «Гимназия № 1»"
    assert {(nikitina, "mentor"), (nikitina, "mentee")} <= sides
    assert not answered.filter(respondent__email=DIRECTOR).exists()
    assert all(r.submitted_at < LOADED_AT for r in answered)


def test_the_directors_school_asked_for_help_and_the_coordinator_routed_it(loaded):
    request = HelpRequest.objects.get(requester__email=DIRECTOR)
    assert request.status == HelpRequest.Status.ROUTED
    assert request.routed_by.email == COORDINATOR
    assert request.consultant.organisation.short_name == "МБУДО «Центр ППСС»"


def test_r_tul_a1_5_3_and_a2_3_1_4_groups_have_six_months_of_statistics(loaded):
    groups = Structure.objects.filter(kind__code__in=["S2", "S3"], platform_url__gt="")
    council = kind("S2")
    for group in [*groups, council]:
        periods = list(group.group_statistics.order_by("period_start"))
        assert [p.period_start for p in periods] == [
            dt.date(2025, month, 1) for month in range(5, 11)
        ], group.name
    assert GroupStatistics.objects.count() == 13 * 6


# --- Reporting ------------------------------------------------------------------------------------


def test_deadlines_exist_for_this_and_last_school_year(loaded):
    association = kind("S5")
    for year in (YEAR, LAST):
        due = set(association.deadlines.filter(school_year=year.start).values_list("due_on"))
        assert due == {(dt.date(year.start, 12, 25),), (dt.date(year.start + 1, 7, 15),)}
    assert (
        Deadline.objects.filter(school_year=YEAR.start).count()
        == Deadline.objects.filter(school_year=LAST.start).count()
    )


def test_r_tul_a4_4_6_last_years_analysis_accepted_and_this_years_results_wait(loaded):
    association = kind("S5")
    analysis = Report.objects.get(
        structure=association, school_year=LAST.start, deadline__rule__due_month=7
    )
    assert analysis.status == Report.Status.ACCEPTED
    assert analysis.decided_by.email == COORDINATOR
    assert not analysis.is_late
    assert analysis.figures["meetings"]["held"] == 4
    results = Report.objects.get(
        structure=association, school_year=YEAR.start, deadline__rule__due_month=12
    )
    assert results.status == Report.Status.SUBMITTED
    assert results.author.last_name == "Макарова"
    draft = Report.objects.get(structure=kind("S2"), school_year=YEAR.start)
    assert (draft.status, draft.author.email) == (Report.Status.DRAFT, COORDINATOR)


def test_every_report_of_the_association_counts_its_schools_by_category(loaded):
    # Issue 18: a report of last year counted every school as «other» (no statuses that year).
    reports = Report.objects.filter(structure=kind("S5")).exclude(figures={})
    assert {r.school_year for r in reports} == {LAST.start, YEAR.start}
    for report in reports:
        members = report.figures["members"]
        assert members["shnor"] > 0 and members["leader"] > 0, report
        assert any(o["categories"] for o in members["organisations"])


def test_every_school_of_the_demo_structures_has_statuses_this_year_and_last(loaded):
    for year in (LAST, YEAR):
        schools = Membership.objects.during(year).filter(
            structure__region__code="71", user__organisation__kind="school"
        )
        with_status = (
            schools.filter(user__organisation__statuses__school_year=year.start)
            .values("user__organisation")
            .distinct()
        )
        assert with_status.count() >= 4, year


# --- What the three demo logins see ----------------------------------------------------------------


def test_director_home_shows_the_waiting_questionnaire_the_next_meeting_and_notices(
    client, on_load_day
):
    html = page(client, DIRECTOR, reverse("home"))
    assert "Анкеты, ожидающие ответа" in html
    assert "Мониторинг наставнических отношений: Декабрь" in html
    assert "Развитие кадрового потенциала ШНОР" in html  # the next S5 meeting
    assert "16.12.2025 15:00" in html
    # The unread badge in the top bar: the questionnaire round, the invitations to the two
    # coming meetings (the S5 meeting, the council's consultation) the event service wrote, and
    # the decision of the S5 minutes she owns, which signing told her (issue 17).
    assert re.search(r">4<span[^>]*> непрочитанных", html)
    director = User.objects.get(email=DIRECTOR)
    assert Notice.objects.filter(user=director, read_at__isnull=True).count() == 4
    assert Notice.objects.filter(user=director, title__startswith="Приглашение: ").count() == 2
    assert (
        Notice.objects.filter(user=director, title__startswith="Поручение по протоколу").count()
        == 1
    )


def test_coordinator_home_shows_a_plan_a_meeting_without_minutes_and_a_report_waiting(
    client, on_load_day
):
    html = page(client, COORDINATOR, reverse("home"))
    assert "Планы, ожидающие моего решения" in html
    assert "План работы консультационного совета «РОСТ» на 2025/2026 учебный год" in html
    assert "Заседания без протокола" in html
    assert "Выездное заседание на базе МБОУ «Гимназия № 1»" in html
    assert "Отчёты, ожидающие принятия" in html
    assert f"{S5} · сдан" in html
    assert "Отчёты к сдаче" in html
    # The report handed in, the questionnaire round, and the invitations to two coming meetings.
    assert re.search(r">4<span[^>]*> непрочитанных", html)


def test_methodist_summary_and_deadline_pages_have_data(client, on_load_day):
    html = page(client, METHODIST, reverse("reporting:summary"))
    assert "Тульская область, город Тула, 2025/2026 учебный год" in html
    assert S5 in html and "На согласовании" in html
    # One deadline across the territory: last year's S5 annual analysis, handed in and accepted.
    rule = Report.objects.get(
        structure=kind("S5"), school_year=LAST.start, deadline__rule__due_month=7
    ).deadline.rule
    url = f"{reverse('reporting:summary_deadline')}?rule={rule.pk}&year={LAST.start}"
    html = page(client, METHODIST, url)
    assert "срок 15.07.2025" in html
    assert re.search(r"принят: 1;", html)


def test_the_pages_of_the_year_render_for_the_demo_logins(client, on_load_day):
    association = kind("S5")
    event = association.events.filter(status=Event.Status.HELD).first()
    minutes = event.minutes.get()
    plan = association.plans.get(school_year=YEAR.start)
    urls = [
        reverse("communities:plan_detail", args=[association.pk, plan.pk]),
        reverse("communities:event_detail", args=[association.pk, event.pk]),
        reverse("communities:minutes_detail", args=[association.pk, minutes.pk]),
        reverse("mentoring:my_questionnaires"),
        reverse("reporting:notices"),
    ]
    for url in urls:
        page(client, COORDINATOR, url)
    page(client, DIRECTOR, reverse("mentoring:my_questionnaires"))


# --- Issue 17: decisions followed up, a group's announcement ------------------------------------

GROUP = "Вжурнале / дисциплины физико-математического цикла"


def test_r_tul_a4_4_4_the_second_minutes_give_two_decisions_an_owner_and_a_due_date(loaded):
    association = kind("S5")
    done, open_ = Decision.objects.filter(structure=association).order_by("status", "pk")
    for decision in (done, open_):
        assert decision.minutes.is_signed and decision.minutes.number == "2"
        assert decision.item.position == 1
    assert (done.status, done.owner.email) == (Decision.Status.DONE, "makarova.ti@example.ru")
    assert done.done_on <= done.due_on and done.done_note
    assert done.done_on <= LOADED_AT.date()
    assert (open_.status, open_.owner.email) == (Decision.Status.OPEN, DIRECTOR)
    assert open_.due_on == dt.date(2025, 12, 15)  # «до 15 декабря», ahead of the load day
    # Signing told both owners, in the portal and by mail through the outbox.
    for owner in (done.owner, open_.owner):
        assert Notice.objects.filter(user=owner, title__startswith="Поручение по протоколу № 2")
        assert OutboundMail.objects.filter(to=[owner.email], subject__contains="Поручение")


def test_director_home_lists_her_open_decision_and_the_control_page_both(client, on_load_day):
    html = page(client, DIRECTOR, reverse("home"))
    assert "Мои поручения" in html
    assert "Актуализировать положение о ВСОКО и график внутренних мониторингов" in html
    assert "срок 15.12.2025" in html
    assert "Направить участникам объединения положение о ВСОКО" not in html  # done, not hers
    control = page(client, COORDINATOR, reverse("communities:decisions", args=[kind("S5").pk]))
    assert "Актуализировать положение о ВСОКО" in control
    assert "Направить участникам объединения положение о ВСОКО" in control


def test_r_tul_a2_4_2_2_the_group_administrator_announced_a_coming_webinar_to_its_members(
    loaded,
):
    group = Structure.objects.get(kind__code="S3", name=GROUP)
    announcement = Announcement.objects.get()
    assert (announcement.structure, announcement.author.last_name) == (group, "Разаренова")
    webinar = announcement.event
    assert webinar.structure == group and webinar.starts_at > LOADED_AT
    assert (webinar.status, webinar.format) == (Event.Status.SCHEDULED, EventFormat.REMOTE)
    members = [m.user for m in group.memberships.current().select_related("user")]
    assert len(members) == 4
    for member in members:
        notices = Notice.objects.filter(user=member)
        assert notices.filter(title=f"Объявление: {announcement.title}").count() == 1
        assert notices.filter(title__startswith="Приглашение: ", url__contains="/events/").exists()
        # An invitation with the calendar file and the announcement, both in the outbox.
        mails = OutboundMail.objects.filter(to=[member.email])
        assert mails.filter(subject__contains=announcement.title).count() == 1
        (invitation,) = mails.filter(subject__contains="Приглашение")
        assert any(a["filename"].endswith(".ics") for a in invitation.attachments)


def test_a_group_member_reads_the_announcement_with_the_link_to_the_webinar(client, on_load_day):
    announcement = Announcement.objects.select_related("event").get()
    member = announcement.structure.memberships.current().filter(role=Role.MEMBER).first().user
    notice = Notice.objects.get(user=member, title__startswith="Объявление: ")
    html = page(client, member.email, notice.url)
    assert announcement.title in html
    assert (
        reverse("communities:event_detail", args=[announcement.structure_id, announcement.event_id])
        in html
    )


# Moved here from tests/reporting/test_closed_structures.py and tests/communities/test_public_pages.py:
# each loaded the demo on its own (≈ 5 s of CPU); this module's load serves them.


def test_load_demo_gives_the_closed_site_no_deadline_and_no_report_after_its_closing(
    client, on_load_day
):
    for structure in Structure.objects.filter(closed_on__isnull=False):
        late = Deadline.objects.filter(structure=structure, due_on__gt=structure.closed_on)
        assert not late.exists(), (structure.name, list(late.values_list("due_on", flat=True)))
    site = Structure.objects.get(kind__code="S6")
    assert site.is_closed
    client.force_login(User.objects.get(email="koordinator@demo.example.ru"))
    page = client.get(reverse("reporting:report_list", args=[site.pk])).content.decode()
    assert SchoolYear.current().label not in page  # the school year of the load, after its closing


def test_the_demo_workshop_has_its_public_page_on_and_nothing_else(client, on_load_day):
    public = list(Structure.objects.filter(public_page=True))
    assert [s.name for s in public] == ['Мастерская управления "Траектория развития школы"']
    text = client.get(reverse("public:region", args=["34"])).content.decode()
    assert reverse("public:structure", args=[public[0].pk]) in text
    workshop = client.get(reverse("public:structure", args=[public[0].pk]))
    assert workshop.status_code == 200
    assert "Зарегистрироваться и вступить" in workshop.content.decode()
    # Its coordinator consented to be named on the public pages (152-ФЗ ст. 10.1).
    assert "Голованова Светлана Викторовна" in workshop.content.decode()
