"""Calendar feeds: what a person's calendar app imports from the portal by a secret address.

In reporting because a person's feed reads all three apps below: meetings and events
(communities), the pairs' planned contacts (mentoring) and the reporting deadlines (here); the
import-linter layers allow only reporting (or config) to read them all.

- A person's own feed: the events of the structures they are a current member of and those they
  are invited to (from 60 days back), the deadlines of the current school year they deliver or
  oversee (`reporting.selectors.my_deadlines`, what «Мои сроки» shows), and the planned contacts
  (dated today or later) of their pairs.
- A structure's feed, for one of its current members: its events and its deadlines.

Every entry carries the portal page's address (DESCRIPTION and URL) and an event its online link
(LOCATION and DESCRIPTION). Built with `icalendar` (communities/calendar.py). A fixed number of
queries whatever the data (tests/communities/test_calendar_feed.py pins it).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from communities import calendar
from communities.models import Attendance, CalendarToken, Event
from mentoring.models import Contact
from networks.models import Membership, Structure, User
from networks.schoolyear import SchoolYear

from ..models import Deadline
from ..selectors import my_deadlines

PAST_DAYS = 60
MAX_EVENTS = 500
SHOWN = (Event.Status.SCHEDULED, Event.Status.HELD, Event.Status.CANCELLED)


def feed_token(token: str) -> CalendarToken | None:
    """The token's row if it still opens a feed: the person active, and for a structure's feed
    still its current member. One or two queries."""
    found = (
        CalendarToken.objects.select_related("user", "structure")
        .filter(token=token, user__is_active=True, user__anonymised_at__isnull=True)
        .first()
    )
    if found is None:
        return None
    if found.structure_id is not None and not (
        Membership.objects.current().filter(user=found.user, structure=found.structure).exists()
    ):
        return None
    return found


def _events(condition: Q) -> list[Event]:
    since = timezone.now() - dt.timedelta(days=PAST_DAYS)
    return list(
        Event.objects.filter(condition, starts_at__gte=since, status__in=SHOWN)
        .select_related("structure__region")
        .order_by("starts_at")[:MAX_EVENTS]
    )


def _deadline_entry(deadline: Deadline):
    rule, structure = deadline.rule, deadline.structure
    url = calendar.absolute(reverse("reporting:deadlines"))
    done = " (сдано)" if deadline.delivered_at else ""
    return calendar.all_day(
        uid=f"deadline-{deadline.pk}@{calendar.site_domain()}",
        day=deadline.due_on,
        summary=f"Срок: {rule.title} — {structure.name}{done}",
        url=url,
        description=f"Кому сдаётся: {rule.recipient}",
    )


def _contact_entry(contact: Contact):
    url = calendar.absolute(reverse("mentoring:pair_detail", kwargs={"pk": contact.pair_id}))
    return calendar.all_day(
        uid=f"contact-{contact.pk}@{calendar.site_domain()}",
        day=contact.date,
        summary=f"Сетевая пара: {contact.topic}",
        url=url,
        description=f"{contact.get_form_display()}, {contact.get_channel_display()}",
    )


def _build(name: str, events: list[Event], others: list) -> bytes:
    cal = calendar.calendar(name=name)
    calendar.add_timezones(cal, [calendar.event_timezone(e) for e in events])
    for event in events:
        cal.add_component(calendar.event_component(event))
    for entry in others:
        cal.add_component(entry)
    return cal.to_ical()


def personal_feed(user: User) -> bytes:
    """Five queries: memberships, events, territory roles, deadlines, contacts."""
    memberships = list(
        Membership.objects.current()
        .filter(user=user)
        .values_list("structure_id", "structure__kind__is_pair")
    )
    structure_ids = [pk for pk, _is_pair in memberships]
    pair_ids = [pk for pk, is_pair in memberships if is_pair]
    # One set of ids (a UNION), not «structure in … OR pk in (…)»: with the OR PostgreSQL filtered
    # every event of the last 60 days in the country (85 ms on the national data, 8 ms this way).
    invited = Attendance.objects.filter(user=user, invited=True).order_by().values("event_id")
    mine = Event.objects.filter(structure_id__in=structure_ids).order_by().values("pk")
    events = _events(Q(pk__in=mine.union(invited)))
    deadlines = list(my_deadlines(user, SchoolYear.current()))
    contacts = list(
        Contact.objects.filter(pair_id__in=pair_ids, date__gte=timezone.localdate()).order_by(
            "date", "pk"
        )
    )
    others = [_deadline_entry(d) for d in deadlines] + [_contact_entry(c) for c in contacts]
    return _build("Портал ШНОР: мой календарь", events, others)


def structure_feed(structure: Structure) -> bytes:
    """Two queries: the structure's events and its deadlines of the current school year."""
    events = _events(Q(structure_id=structure.pk))
    deadlines = list(
        Deadline.objects.filter(structure=structure, school_year=SchoolYear.current().start)
        .select_related("rule", "structure")
        .order_by("due_on")
    )
    return _build(f"Портал ШНОР: {structure.name}", events, [_deadline_entry(d) for d in deadlines])
