"""The school year: 1 September – 31 August, written «2020/2021», stored as its first calendar year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True, order=True)
class SchoolYear:
    start: int

    @classmethod
    def of(cls, day: dt.date) -> SchoolYear:
        return cls(day.year if day.month >= 9 else day.year - 1)

    @classmethod
    def current(cls) -> SchoolYear:
        return cls.of(timezone.localdate())

    @classmethod
    def parse(cls, value: str | int | None) -> SchoolYear | None:
        """Accepts 2020, "2020" or "2020/2021"; None for anything else."""
        if value is None:
            return None
        text = str(value).strip().split("/")[0]
        if not text.isdigit() or not 1990 <= int(text) <= 2100:
            return None
        return cls(int(text))

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start, 9, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.start + 1, 8, 31)

    @property
    def label(self) -> str:
        return f"{self.start}/{self.start + 1}"

    def __str__(self) -> str:
        return self.label

    def __contains__(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day

    @property
    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """The year as a half-open range of moments: see days_between()."""
        return days_between(self.first_day, self.last_day)


def days_between(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of `first` to the start of the day after `last`, in the current time zone:
    `starts_at__gte=a, starts_at__lt=b` selects what `starts_at__date__gte=first,
    starts_at__date__lte=last` does, but can use an index on the column (the date of a moment
    is computed for every row)."""
    start = dt.datetime.combine(first, dt.time.min)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(start), timezone.make_aware(end)


def school_year_choices(first: int = 2016, ahead: int = 1) -> list[tuple[int, str]]:
    """Newest first: the years a coordinator can pick in forms and filters."""
    last = SchoolYear.current().start + ahead
    return [(y, SchoolYear(y).label) for y in range(last, first - 1, -1)]
