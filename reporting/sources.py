"""Reminders beyond deadlines: plans waiting for a decision, meetings without minutes, dormant
pairs, overdue requests for help. Each source says what is due now; reminders.py claims and sends.

They repeat weekly while the situation lasts: the step is the week counted from when it began, so
each week is claimed once, and a week a missed sweep skipped is recorded as skipped, not sent late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from communities.models import Event, EventForm, Minutes, Plan, PlanStep
from mentoring.models import MentoringSettings
from mentoring.selectors.pairs import dormant_pairs
from mentoring.selectors.requests import overdue_requests
from networks.coverage import covers
from networks.models import Membership, Role, Structure, TerritoryRole, User
from networks.schoolyear import days_between

from .models import ReminderPreference
from .reminders import Clock, Reminder, register_source, timezone_of

MINUTES_AFTER_DAYS = 7  # a meeting still without signed minutes a week later
PLAN_AFTER_DAYS = 2  # a plan waiting two days for its next decision
RECORD_KEEPERS = (Role.HEAD, Role.CHAIR, Role.COORDINATOR, Role.CURATOR)
DEFAULT_DORMANT_DAYS = MentoringSettings._meta.get_field("dormant_after_days").default
Kind = ReminderPreference.Kind


def weekly(
    *, clock: Clock, began: dt.date, after_days: int, tz: str
) -> tuple[str, dt.date, tuple[str, ...]] | None:
    """(step, its local date, earlier steps) for a situation that began on `began`, reminded
    `after_days` later and then every week; None while nothing is due."""
    first = began + dt.timedelta(days=after_days)
    today = clock.local_today(tz)
    if today < first:
        return None
    week = (today - first).days // 7
    local_date = first + dt.timedelta(weeks=week)
    if not clock.is_due(local_date, tz):  # today's step, before 09:00 local time
        if week == 0:
            return None
        week -= 1
        local_date -= dt.timedelta(weeks=1)
    return f"w{week}", local_date, tuple(f"w{n}" for n in range(week))


def _memberships(structure_ids, roles) -> dict[int, list[Membership]]:
    found: dict[int, list[Membership]] = {}
    for m in (
        Membership.objects.current()
        .filter(structure_id__in=structure_ids, role__in=roles, user__is_active=True)
        .select_related("user__organisation__region")
    ):
        found.setdefault(m.structure_id, []).append(m)
    return found


def _territory_coordinators() -> dict[int, list[TerritoryRole]]:
    """The territories' coordinators by region: each item looks at its own region's only."""
    by_region: dict[int, list[TerritoryRole]] = {}
    for role in TerritoryRole.objects.filter(
        role=TerritoryRole.Role.COORDINATOR, user__is_active=True
    ).select_related("user__organisation__region"):
        by_region.setdefault(role.region_id, []).append(role)
    return by_region


def _covering(territory: dict[int, list[TerritoryRole]], structure: Structure) -> list[User]:
    return [
        r.user
        for r in territory.get(structure.region_id, ())
        if covers(r, structure.region_id, structure.municipality_id)
    ]


def _reminders(clock, *, people, structure, began, after_days, **fields) -> Iterable[Reminder]:
    for user in {u.pk: u for u in people}.values():
        tz = timezone_of(user, structure)
        due = weekly(clock=clock, began=began, after_days=after_days, tz=tz)
        if due is None:
            continue
        step, local_date, earlier = due
        yield Reminder(
            step=step,
            recipient=user,
            local_date=local_date,
            timezone=tz,
            earlier_steps=earlier,
            **fields,
        )


# --- Plans waiting for a decision ------------------------------------------------------------------


def _deciding_roles(plan: Plan) -> set[str]:
    kind = plan.structure.kind
    if plan.status == Plan.Status.SUBMITTED and kind.plan_agree_roles:
        return set(kind.plan_agree_roles)
    return set(kind.plan_approve_roles)


@register_source
def plans_waiting(clock: Clock) -> Iterable[Reminder]:
    """Submitted or agreed plans: to those who agree or approve (the kinds table) and to the
    territory's coordinators, who may always approve as the centre."""
    last_step = PlanStep.objects.filter(plan=OuterRef("pk")).order_by("-at").values("at")[:1]
    plans = list(
        Plan.objects.latest_versions()
        .filter(
            status__in=[Plan.Status.SUBMITTED, Plan.Status.AGREED],
            structure__closed_on__isnull=True,
        )
        .annotate(since=Subquery(last_step))
        .select_related("structure__kind", "structure__region")
    )
    if not plans:
        return
    roles = {role for plan in plans for role in _deciding_roles(plan)}
    members = _memberships({p.structure_id for p in plans}, roles)
    territory = _territory_coordinators()
    for plan in plans:
        structure = plan.structure
        deciding = _deciding_roles(plan)
        people = [m.user for m in members.get(structure.pk, []) if m.role in deciding]
        people += _covering(territory, structure)
        began = timezone.localtime(plan.since or plan.updated_at).date()
        agreeing = plan.status == Plan.Status.SUBMITTED and structure.kind.plan_agree_roles
        waits_for = "согласования" if agreeing else "утверждения"
        yield from _reminders(
            clock,
            people=people,
            structure=structure,
            began=began,
            after_days=PLAN_AFTER_DAYS,
            topic=f"plan:{plan.pk}:{plan.status}",
            subject=f"План ждёт {waits_for}: {structure.name}",
            body=f"«{plan}» с {began:%d.%m.%Y} ждёт {waits_for}.",
            url=reverse("communities:plan_detail", args=[structure.pk, plan.pk]),
            kind=Kind.PLANS,
        )


# --- Meetings without minutes ----------------------------------------------------------------------


@register_source
def meetings_without_minutes(clock: Clock) -> Iterable[Reminder]:
    """Meetings held (or due to have been) a week ago and more, without signed minutes: to those
    who keep the record (head, chair, coordinator, curator)."""
    today = clock.on_date or clock.now.date()
    signed = Minutes.objects.filter(event=OuterRef("pk"), status=Minutes.Status.SIGNED)
    since, until = days_between(
        today - dt.timedelta(days=120), today - dt.timedelta(days=MINUTES_AFTER_DAYS - 1)
    )
    events = list(
        Event.objects.filter(
            form=EventForm.MEETING,
            status__in=[Event.Status.HELD, Event.Status.SCHEDULED],
            starts_at__gte=since,
            starts_at__lt=until,
            structure__closed_on__isnull=True,
        )
        .filter(~Exists(signed))
        .select_related("structure__region")
    )
    if not events:
        return
    members = _memberships({e.structure_id for e in events}, RECORD_KEEPERS)
    for event in events:
        structure = event.structure
        held_on = timezone.localtime(event.starts_at).date()
        yield from _reminders(
            clock,
            people=[m.user for m in members.get(structure.pk, [])],
            structure=structure,
            began=held_on,
            after_days=MINUTES_AFTER_DAYS,
            topic=f"minutes:event:{event.pk}",
            subject=f"Нет протокола заседания {held_on:%d.%m.%Y}: {structure.name}",
            body=(
                f"Заседание «{event.title}» {held_on:%d.%m.%Y} прошло неделю назад или раньше, "
                "а протокол не подписан."
            ),
            url=reverse("communities:event_detail", args=[structure.pk, event.pk]),
            kind=Kind.MINUTES,
        )


# --- Dormant pairs ---------------------------------------------------------------------------------


def _limits() -> dict[int, MentoringSettings]:
    return {m.region_id: m for m in MentoringSettings.objects.all()}


@register_source
def pairs_dormant(clock: Clock) -> Iterable[Reminder]:
    """Pairs without contact for their region's number of days: to both sides and the curators,
    weekly from the day the pair fell silent. A new contact starts a new topic."""
    today = clock.on_date or clock.now.date()
    pairs = list(dormant_pairs(today=today))
    if not pairs:
        return
    limits = _limits()
    members = _memberships({p.pk for p in pairs}, (Role.MENTOR, Role.MENTEE, Role.CURATOR))
    for pair in pairs:
        last = pair.last_contact
        quiet_from = last or pair.established_on
        days = getattr(limits.get(pair.region_id), "dormant_after_days", DEFAULT_DORMANT_DAYS)
        since = (
            f"Последний контакт: {last:%d.%m.%Y}."
            if last
            else f"Контактов пока нет (пара создана {pair.established_on:%d.%m.%Y})."
        )
        yield from _reminders(
            clock,
            people=[m.user for m in members.get(pair.pk, [])],
            structure=pair,
            began=quiet_from,
            after_days=days,
            topic=f"pair:{pair.pk}:quiet-from:{quiet_from:%Y%m%d}",
            subject=f"В сетевой паре давно не было контактов: {pair.name}",
            body=f"{since} Запишите встречу или консультацию в журнал пары.",
            url=reverse("mentoring:pair_detail", args=[pair.pk]),
            kind=Kind.PAIRS,
        )


# --- Overdue requests for help ---------------------------------------------------------------------


@register_source
def requests_overdue(clock: Clock) -> Iterable[Reminder]:
    """Requests nobody answered within the region's limit: to the territory's coordinators,
    weekly from the day the request became overdue."""
    today = clock.on_date or clock.now.date()
    requests = list(overdue_requests(today=today).select_related("organisation", "region"))
    if not requests:
        return
    limits = _limits()
    territory = _territory_coordinators()
    for help_request in requests:
        organisation = help_request.organisation
        people = [
            r.user
            for r in territory.get(help_request.region_id, ())
            if covers(r, help_request.region_id, organisation.municipality_id)
        ]
        filed = timezone.localtime(help_request.created_at).date()
        days = getattr(limits.get(help_request.region_id), "request_overdue_days", 14)
        for user in {u.pk: u for u in people}.values():
            tz = (
                user.organisation.region.timezone
                if user.organisation
                else help_request.region.timezone
            )
            due = weekly(clock=clock, began=filed, after_days=days + 1, tz=tz)
            if due is None:
                continue
            step, local_date, earlier = due
            yield Reminder(
                topic=f"request:{help_request.pk}",
                step=step,
                recipient=user,
                local_date=local_date,
                timezone=tz,
                subject=f"Запрос о помощи без ответа с {filed:%d.%m.%Y}: {organisation}",
                body=f"Тема: {help_request.topic}. Передайте запрос консультанту или ответьте.",
                url=reverse("mentoring:request_detail", args=[help_request.pk]),
                kind=Kind.REQUESTS,
                earlier_steps=earlier,
            )
