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


def school_year_choices(first: int = 2016, ahead: int = 1) -> list[tuple[int, str]]:
    """Newest first: the years a coordinator can pick in forms and filters."""
    last = SchoolYear.current().start + ahead
    return [(y, SchoolYear(y).label) for y in range(last, first - 1, -1)]
