"""The day-before reminder of an event: at 09:00 in the structure's region, the day before it
starts, to the invited who said «Приду» or have not answered («Не приду» and «Не знаю» are left
alone: they know, and asked nothing more).

A reminder source like those of reporting/sources.py: the hourly sweep asks it what is due and
claims each reminder as a Delivery row under UNIQUE(topic, recipient, step), so a second sweep, a
retried task or two beats send it once. The topic carries the event's local day
(«event:17:2026-12-10»): a meeting moved to another day is reminded again, for its new day. Only on
the day before itself: a sweep that missed that day sends nothing late on the day of the event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from communities.models import Attendance, Event

from .reminders import Clock, Reminder, register_source

KIND = "events"  # Delivery.kind, a networks.messages.MessageKind
STEP = "d1"


def _window(clock: Clock) -> tuple[dt.datetime, dt.datetime]:
    start = clock.now
    if clock.on_date is not None:
        start = dt.datetime.combine(clock.on_date, dt.time(0), tzinfo=dt.UTC)
    return start, start + dt.timedelta(days=3)


@register_source
def events_tomorrow(clock: Clock) -> Iterable[Reminder]:
    """Two queries whatever the data: the events of the next days, and their invited."""
    start, end = _window(clock)
    events = {
        e.pk: e
        for e in Event.objects.filter(
            status=Event.Status.SCHEDULED, starts_at__gt=start, starts_at__lt=end
        ).select_related("structure__region")
    }
    due: dict[int, tuple[dt.date, str]] = {}
    for event in events.values():
        tz = event.structure.region.timezone
        day = event.starts_at.astimezone(ZoneInfo(tz)).date()
        before = day - dt.timedelta(days=1)
        if clock.local_today(tz) == before and clock.is_due(before, tz):
            due[event.pk] = (day, tz)
    if not due:
        return
    rows = (
        Attendance.objects.filter(
            event_id__in=list(due),
            invited=True,
            user__is_active=True,
            user__anonymised_at__isnull=True,
        )
        .filter(Q(response=Attendance.Response.YES) | Q(response=""))
        .select_related("user")
        .order_by("event_id", "user_id")
    )
    # The text and the address are the same for everyone invited to an event who answered alike
    # (the template reads the event and whether the person has answered): made once each.
    bodies: dict[tuple[int, bool], str] = {}
    urls: dict[int, str] = {}
    for row in rows:
        event = events[row.event_id]
        day, tz = due[row.event_id]
        answered = bool(row.response)
        body = bodies.get((event.pk, answered))
        if body is None:
            starts = event.starts_at.astimezone(ZoneInfo(tz)).strftime("%d.%m.%Y %H:%M")
            body = bodies[event.pk, answered] = render_to_string(
                "reporting/email/event_tomorrow.txt",
                {"event": event, "starts": starts, "tz": tz, "row": row},
            ).strip()
        if event.pk not in urls:
            urls[event.pk] = reverse(
                "communities:event_detail",
                kwargs={"pk": event.structure_id, "event_pk": event.pk},
            )
        yield Reminder(
            topic=f"event:{event.pk}:{day.isoformat()}",
            step=STEP,
            recipient=row.user,
            local_date=day - dt.timedelta(days=1),
            timezone=tz,
            subject=f"Завтра: {event.title}"[:300],
            body=body,
            url=urls[event.pk],
            kind=KIND,
        )
