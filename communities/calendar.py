"""iCalendar (RFC 5545) entries of the portal's events, built with the `icalendar` library.

One function per piece, shared by the invitation mails (communities/services/event_mail.py, an
`.ics` with METHOD:REQUEST or METHOD:CANCEL) and the calendar feeds (reporting/calendar.py, no
METHOD: a published calendar):

- the UID is stable per event (`event_uid`): a calendar app that got the invitation and later a
  change or the cancellation replaces its entry, and the feed's entry is the same one;
- SEQUENCE is `Event.sequence`, raised by the services on every change;
- times are in the time zone of the structure's region (`Region.timezone`, Europe/…) with its
  VTIMEZONE, so that Outlook shows 15:00 in Tula as 15:00 and a person in Samara as 16:00;
- LOCATION holds the place and/or the online link, DESCRIPTION the portal page's address and the
  online link: an entry without them is useless once exported (Decidim's users said so).
"""

from __future__ import annotations

import datetime as dt
import functools
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar.prop import vDDDTypes, vDuration, vInt, vText, vUri

from .models import Event

PRODID = "-//Портал сетевых структур ШНОР/ШССУ//RU"
DEFAULT_DURATION = dt.timedelta(hours=2)
FEED_REFRESH = dt.timedelta(hours=1)


def absolute(path: str) -> str:
    """A portal path as the address a mail or a calendar app can open (settings.SITE_URL)."""
    return f"{settings.SITE_URL}{path}"


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{site_domain()}"


def event_url(event: Event) -> str:
    return absolute(
        reverse("communities:event_detail", kwargs={"pk": event.structure_id, "event_pk": event.pk})
    )


def event_timezone(event: Event) -> str:
    """The structure's region's zone (Europe/Moscow, Europe/Samara…)."""
    return event.structure.region.timezone


def event_location(event: Event) -> str:
    return " · ".join(part for part in (event.place, event.link) if part)


def event_description(event: Event, *, url: str | None = None) -> str:
    lines = []
    if event.description:
        lines += [event.description, ""]
    lines.append(f"Страница на портале: {url or event_url(event)}")
    if event.link:
        lines.append(f"Подключение: {event.link}")
    return "\n".join(lines)


@functools.cache
def vtimezone(tzid: str) -> icalendar.Timezone:
    """The zone's VTIMEZONE from 2020 on, built once per process (building it takes ~30 ms,
    longer than the whole feed may take)."""
    return icalendar.Timezone.from_tzid(tzid, first_date=dt.date(2020, 1, 1))


def calendar(*, method: str | None = None, name: str = "") -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:  # a published feed: its name, and how often apps should read it again (RFC 7986)
        cal.add("x-wr-calname", name)
        cal.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        cal["X-PUBLISHED-TTL"] = vDuration(FEED_REFRESH)
    return cal


def add_timezones(cal: icalendar.Calendar, tzids) -> None:
    for tzid in sorted(set(tzids)):
        cal.add_component(vtimezone(tzid))


def event_component(
    event: Event, *, cancelled: bool = False, attendee: str = "", organizer: str = ""
) -> icalendar.Event:
    tz = ZoneInfo(event_timezone(event))
    starts = event.starts_at.astimezone(tz)
    ends = (event.ends_at or event.starts_at + DEFAULT_DURATION).astimezone(tz)
    url = event_url(event)
    # Properties set with their types rather than .add(), which guesses each value's type: a
    # third of the feed's time (docs/PERFORMANCE.md), the same text out.
    entry = icalendar.Event()
    entry["UID"] = vText(event_uid(event))
    entry["SEQUENCE"] = vInt(event.sequence)
    entry["DTSTAMP"] = vDDDTypes(timezone.now())
    entry["DTSTART"] = vDDDTypes(starts)
    entry["DTEND"] = vDDDTypes(ends)
    entry["SUMMARY"] = vText(event.title)
    entry["DESCRIPTION"] = vText(event_description(event, url=url))
    location = event_location(event)
    if location:
        entry["LOCATION"] = vText(location)
    entry["URL"] = vUri(url)
    cancelled = cancelled or event.status == Event.Status.CANCELLED
    entry["STATUS"] = vText("CANCELLED" if cancelled else "CONFIRMED")
    if organizer:
        entry.add("organizer", f"mailto:{organizer}")
    if attendee:
        entry.add("attendee", f"mailto:{attendee}", parameters={"RSVP": "FALSE"})
    return entry


def event_ics(event: Event, *, method: str, attendee: str = "") -> bytes:
    """One event as an invitation file: METHOD:REQUEST for a new or changed event, METHOD:CANCEL
    for a cancelled one (or for a person no longer invited)."""
    cal = calendar(method=method)
    add_timezones(cal, [event_timezone(event)])
    cal.add_component(
        event_component(
            event,
            cancelled=method == "CANCEL",
            attendee=attendee,
            organizer=parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        )
    )
    return cal.to_ical()


def all_day(
    *, uid: str, day: dt.date, summary: str, url: str, description: str = "", location: str = ""
) -> icalendar.Event:
    """An all-day entry (a reporting deadline, a pair's planned contact)."""
    entry = icalendar.Event()
    entry["UID"] = vText(uid)
    entry["DTSTAMP"] = vDDDTypes(timezone.now())
    entry["DTSTART"] = vDDDTypes(day)
    entry["DTEND"] = vDDDTypes(day + dt.timedelta(days=1))
    entry["SUMMARY"] = vText(summary)
    text = f"{description}\n\n" if description else ""
    entry["DESCRIPTION"] = vText(f"{text}Страница на портале: {url}")
    if location:
        entry["LOCATION"] = vText(location)
    entry["URL"] = vUri(url)
    entry["TRANSP"] = vText("TRANSPARENT")
    return entry
