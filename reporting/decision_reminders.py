"""Overdue decisions of the minutes (issue 17): the owner is reminded the day after the due date,
and a week after it the head (or chair) of the structure is told, each exactly once.

A reminder source like those of reporting/sources.py: the hourly sweep asks it what is due and
claims each reminder as a Delivery row under UNIQUE(topic, recipient, step), so a second sweep, a
retried task or two beats send it once. The topic carries the due date («decision:17:2026-12-15»):
a decision whose date was moved (with a reason, DecisionMove) and is overdue again is reminded
again, for its new date. A step a sweep missed is still sent once, later, while the decision is
open; a decision marked done is reminded of no more.

Recipients: the owner, or for a school the structure's current members from that school; a week
later the structure's head or chair (its coordinators and curators where it has neither).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from communities.models import Decision, Minutes
from communities.services.decisions import owner_user_ids
from networks.mail_stamps import render_stamped
from networks.models import LEAD_ROLES, Membership, Role, User

from .reminders import Clock, Reminder, register_source, timezone_of

KIND = "decisions"  # Delivery.kind, a networks.messages.MessageKind
OWNER_STEP, HEAD_STEP = "owner", "head"
OWNER_AFTER_DAYS, HEAD_AFTER_DAYS = 1, 7
# Overdue longer than this: the head has long been told; the sweep stops looking.
WINDOW_DAYS = 120
FALLBACK_ROLES = (Role.COORDINATOR, Role.CURATOR)


@register_source
def overdue_decisions(clock: Clock) -> Iterable[Reminder]:
    """Four queries whatever the data: the overdue decisions, the people of owner schools, the
    owners, the heads."""
    today = clock.on_date or clock.now.date()
    decisions = list(
        Decision.objects.filter(
            status=Decision.Status.OPEN,
            minutes__status=Minutes.Status.SIGNED,
            due_on__lt=today,
            due_on__gte=today - dt.timedelta(days=WINDOW_DAYS),
            structure__closed_on__isnull=True,
        )
        .select_related("structure__region", "minutes")
        .order_by("due_on", "pk")
    )
    if not decisions:
        return
    owners = owner_user_ids(decisions)
    people = {
        u.pk: u
        for u in User.objects.filter(
            pk__in={pk for ids in owners.values() for pk in ids},
            is_active=True,
            anonymised_at__isnull=True,
        ).select_related("organisation__region")
    }
    leaders: dict[int, dict[str, list[User]]] = {}
    for m in (
        Membership.objects.current()
        .filter(
            structure_id__in={d.structure_id for d in decisions},
            role__in=[*LEAD_ROLES, *FALLBACK_ROLES],
            user__is_active=True,
            user__anonymised_at__isnull=True,
        )
        .select_related("user__organisation__region")
        .order_by("user_id")
    ):
        group = "lead" if m.role in LEAD_ROLES else "fallback"
        leaders.setdefault(m.structure_id, {}).setdefault(group, []).append(m.user)
    urls: dict[int, str] = {}
    for decision in decisions:
        url = urls.get(decision.structure_id)
        if url is None:
            url = urls[decision.structure_id] = reverse(
                "communities:decisions", kwargs={"pk": decision.structure_id}
            )
        for user_id in owners[decision.pk]:
            person = people.get(user_id)
            if person is not None:
                yield from _step(clock, decision, person, OWNER_STEP, OWNER_AFTER_DAYS, url)
        found = leaders.get(decision.structure_id, {})
        for person in found.get("lead") or found.get("fallback") or []:
            if person.pk not in owners[decision.pk]:
                yield from _step(clock, decision, person, HEAD_STEP, HEAD_AFTER_DAYS, url)


def _step(clock: Clock, decision: Decision, person: User, step: str, after: int, url: str):
    tz = timezone_of(person, decision.structure)
    local_date = decision.due_on + dt.timedelta(days=after)
    if not clock.is_due(local_date, tz):
        return
    structure = decision.structure
    if step == OWNER_STEP:
        subject = f"Просрочено поручение: {decision.text}"
    else:
        subject = f"Поручение не выполнено неделю после срока: {structure.name}"
    yield Reminder(
        topic=f"decision:{decision.pk}:{decision.due_on.isoformat()}",
        step=step,
        recipient=person,
        local_date=local_date,
        timezone=tz,
        subject=subject[:300],
        body=render_stamped(
            "reporting/email/decision_overdue.txt",
            {"as_head": step == HEAD_STEP},
            {
                "structure": structure.name,
                "text": decision.text,
                "date": decision.due_on.strftime("%d.%m.%Y"),
                "n": str(decision.minutes.number),
            },
        ).strip(),
        url=url,
        kind=KIND,
    )
