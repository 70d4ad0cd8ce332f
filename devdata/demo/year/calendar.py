"""The dates of the demo's school year: fixed to the school year, never to "today minus N days".

Every date of the story is an anchor in its school year (the first meeting on 15 October, the second
on 10 November…), so that two runs on different days compute the same rows. Today only decides
three things, each at the moment a row is first created (a rerun finds the row by its natural key
and leaves it as it is, so nothing drifts afterwards):

- the content year: the current school year, except during its first three weeks (1–21 September),
  when nothing of it has happened yet and the previous school year plays «this year»;
- what is past: held meetings, contacts and answers must lie before today. When their anchors do
  not (a first load in September or October), the same number of dates is spread evenly between
  the school year's first day and yesterday, in the anchors' order (`past`);
- what is ahead: an upcoming meeting keeps its anchor while that is in the future, else it is put
  two weeks from today (`ahead`).

Timestamps of things already done (a plan approved, minutes signed) are their story's moment, but
never later than an hour ago (`done_at`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from networks.schoolyear import SchoolYear

# Nothing of a school year has happened in its first three weeks: the previous one is shown.
WARM_UP = dt.timedelta(days=21)
AHEAD = dt.timedelta(days=14)


def workday(day: dt.date) -> dt.date:
    """Saturday and Sunday move to the next Monday: meetings and reports fall on working days."""
    return day + dt.timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


@dataclass(frozen=True)
class DemoCalendar:
    now: dt.datetime

    @classmethod
    def today_now(cls) -> DemoCalendar:
        return cls(timezone.now())

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    @property
    def year(self) -> SchoolYear:
        """The school year the demo shows as the current one."""
        return SchoolYear.of(self.today - WARM_UP)

    @property
    def last(self) -> SchoolYear:
        return SchoolYear(self.year.start - 1)

    # --- Anchors ---------------------------------------------------------------------------------

    @staticmethod
    def day(year: SchoolYear, month: int, day: int) -> dt.date:
        """The working day on or after `day.month` in the school year (September–December in its
        first calendar year, January–August in its second)."""
        return workday(dt.date(year.start if month >= 9 else year.start + 1, month, day))

    @staticmethod
    def at(day: dt.date, hour: int = 15, minute: int = 0) -> dt.datetime:
        """A moment of a day in the portal's time zone (Moscow: every demo territory uses it)."""
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def moment(self, year: SchoolYear, month: int, day: int, hour: int = 15, minute: int = 0):
        return self.at(self.day(year, month, day), hour, minute)

    # --- Past and future -------------------------------------------------------------------------

    def past(
        self,
        anchors: Sequence[dt.datetime],
        *,
        before: dt.date | None = None,
        since: dt.date | None = None,
    ) -> list[dt.datetime]:
        """The anchors if every one falls on a day before `before` (default today); otherwise as
        many days spread evenly from `since` (default the anchors' school year's first day) to
        `before`, keeping their order and hours; with too little room for that, the anchors a
        school year earlier."""
        before = before or self.today
        anchors = sorted(anchors)
        first = since or SchoolYear.of(timezone.localdate(anchors[0])).first_day
        if all(first <= timezone.localdate(a) < before for a in anchors):
            return anchors
        span = (before - first).days
        if span < 2 * (len(anchors) + 1):
            return [self._year_earlier(a) for a in anchors]
        local = [timezone.localtime(a) for a in anchors]
        return [
            self.at(first + dt.timedelta(days=span * (i + 1) // (len(local) + 1)), a.hour, a.minute)
            for i, a in enumerate(local)
        ]

    def ahead(self, anchor: dt.datetime) -> dt.datetime:
        """The anchor while it is ahead; else a working day two weeks from today, same hour."""
        if anchor > self.now:
            return anchor
        local = timezone.localtime(anchor)
        return self.at(workday(self.today + AHEAD), local.hour, local.minute)

    def done_at(self, moment: dt.datetime) -> dt.datetime:
        """When something already done happened: its moment, but not later than an hour ago."""
        return min(moment, self.now - dt.timedelta(hours=1))

    @staticmethod
    def _year_earlier(moment: dt.datetime) -> dt.datetime:
        local = timezone.localtime(moment)
        return timezone.make_aware(local.replace(year=local.year - 1, tzinfo=None))
