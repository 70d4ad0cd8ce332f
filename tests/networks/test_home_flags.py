"""The home page's flags (networks.hooks.register_home_flag) are asked in one query that is built
and compiled once per connection and day for a stand-in person, then run for each person with
their own ids (issue 19): every person must get exactly the answers the flags' expressions give
when built for them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.db.models import Exists
from django.test.utils import CaptureQueriesContext

from devdata import scale
from networks import hooks
from networks.models import Membership, Organisation, TerritoryRole, User
from tests.factories import UserFactory

from .test_home_queries import _people

pytestmark = pytest.mark.django_db


def built_for(user) -> dict:
    """The flags as the ORM answers them with the expressions built for this person."""
    expressions = {f"flag_{name}": f(user) for name, f in hooks._home_flags.items()}
    expressions["flag__memberships"] = Exists(Membership.objects.filter(user=user))
    expressions["flag__territory"] = Exists(TerritoryRole.objects.filter(user=user))
    row = User.objects.filter(pk=user.pk).annotate(**expressions).values(*expressions).get()
    return {name[len("flag_") :]: value for name, value in row.items()}


def test_every_person_gets_the_flags_built_for_them():
    scale.generate(scale=0.002, log=lambda _line: None)
    people = [*_people(), UserFactory(organisation=None), UserFactory(is_superuser=True)]
    assert any(p.organisation_id is None for p in people)
    assert any(p.organisation_id is not None for p in people)
    answers = set()
    for person in people:
        fresh = User.objects.get(pk=person.pk)
        asked = hooks._ask_flags(fresh)
        assert asked == built_for(fresh), person.email
        answers.add(tuple(sorted(asked.items())))
        if fresh.organisation_id is not None:
            with CaptureQueriesContext(connection) as queries:
                organisation = fresh.organisation
            assert len(queries) == 0
            assert organisation == Organisation.objects.get(pk=person.organisation_id)
            assert organisation.full_name == Organisation.objects.get(pk=organisation.pk).full_name
    assert len(answers) > 5  # people with different flags, not one answer for all


def test_the_query_is_built_once_a_day_and_asked_once_per_person(monkeypatch):
    built = []
    name, function = next(iter(hooks._home_flags.items()))

    def counted(user):
        built.append(user.pk)
        return function(user)

    monkeypatch.setitem(hooks._home_flags, name, counted)
    monkeypatch.delattr(connection, "_home_flags_statements", raising=False)
    first, second = UserFactory(), UserFactory()
    with time_machine.travel(dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC), tick=False):
        for person in (first, second, first):
            with CaptureQueriesContext(connection) as queries:
                hooks._ask_flags(person)
            assert len(queries) == 1
        assert len(built) == 1 and built[0] < 0  # the stand-in, not a person
    with time_machine.travel(dt.datetime(2026, 12, 8, 12, 0, tzinfo=dt.UTC), tick=False):
        hooks._ask_flags(first)
    assert len(built) == 2  # a new day: built again (rounds open today, the school year)


def test_a_person_with_and_one_without_an_organisation_have_their_own_query():
    with_school = UserFactory()
    without = UserFactory(organisation=None)
    assert with_school.organisation_id is not None
    hooks._ask_flags(with_school)
    hooks._ask_flags(without)
    _day, statements = connection._home_flags_statements
    keys = list(statements)
    assert sorted(k[0] for k in keys) == [False, True]
    assert hooks._ask_flags(without) == built_for(without)
