"""What every part of the year's story needs: the calendar, the demo's people and structures by
their keys in devdata.demo, and the few ways a row is written.

Rows go through the apps' services, which hold the rules of the orders. Two exceptions, both
marked where they happen:
- `backdate` moves a timestamp the service set to now() (approved, signed, submitted) to the
  moment of the story; it changes no state and no rule depends on it;
- `create` writes a row directly after full_clean(), for what a service cannot write: the record
  of a closed structure (Priozersk), a notice.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.db import models

from devdata.demo.people import PEOPLE
from devdata.demo.structures import STRUCTURES
from networks.models import Structure, User
from networks.schoolyear import SchoolYear

from .calendar import DemoCalendar

_STRUCTURE_ROWS = {row["key"]: row for row in STRUCTURES}


class Story:
    def __init__(self, calendar: DemoCalendar) -> None:
        self.calendar = calendar
        self._people: dict[str, User] = {}
        self._structures: dict[str, Structure] = {}

    @cached_property
    def year(self) -> SchoolYear:
        return self.calendar.year

    @cached_property
    def last(self) -> SchoolYear:
        return self.calendar.last

    def person(self, key: str) -> User:
        if key not in self._people:
            email = PEOPLE[key][6].lower()
            self._people[key] = User.objects.select_related("organisation").get(email=email)
        return self._people[key]

    def structure(self, key: str) -> Structure:
        if key not in self._structures:
            row = _STRUCTURE_ROWS[key]
            self._structures[key] = Structure.objects.select_related(
                "kind", "region", "municipality", "host", "parent"
            ).get(kind__code=row["kind"], name=row["name"])
        return self._structures[key]


def create(model: type[models.Model], **values) -> models.Model:
    """A row written directly, under the same full_clean() the forms use."""
    obj = model(**values)
    obj.full_clean()
    obj.save()
    return obj


def backdate(obj: models.Model, **moments: dt.datetime | dt.date | None) -> None:
    """Moves timestamps a service set to now() to the moment of the story (no save(), so no
    auto_now and no history row)."""
    type(obj).objects.filter(pk=obj.pk).update(**moments)
    for name, value in moments.items():
        setattr(obj, name, value)
