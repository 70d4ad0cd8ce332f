"""Which pairs a pairs round asks: one rule, said to the database (round_pairs) and about a pair
already loaded (round_asks_pair); both give the same answer at every edge."""

from __future__ import annotations

import datetime as dt

import pytest

from mentoring.selectors.questionnaires import round_asks_pair, round_pairs
from tests.factories import (
    QuestionnaireFactory,
    RegionFactory,
    RoundFactory,
    StructureFactory,
    kind,
)

pytestmark = pytest.mark.django_db

CLOSED = {"closing_reason": "other"}

# The round opens on 01.12.2020, in the 2020/2021 school year (last day 31.08.2021).
EDGES = {
    "works through the year": ({}, True),
    "closed before the round opens": ({"closed_on": dt.date(2020, 11, 30), **CLOSED}, False),
    "closed the day the round opens": ({"closed_on": dt.date(2020, 12, 1), **CLOSED}, True),
    "term over before the round opens, not closed yet": (
        {"term_start": dt.date(2020, 9, 1), "term_end": dt.date(2020, 11, 15)},
        False,
    ),
    "term over the day the round opens": (
        {"term_start": dt.date(2020, 9, 1), "term_end": dt.date(2020, 12, 1)},
        True,
    ),
    "started late in the school year": ({"established_on": dt.date(2021, 5, 1)}, True),
    "starts after the school year": ({"established_on": dt.date(2021, 9, 1)}, False),
    "term starts after the school year": ({"term_start": dt.date(2021, 9, 1)}, False),
}


def test_round_pairs_and_round_asks_pair_give_the_same_answer_at_every_edge():
    region = RegionFactory()
    round = RoundFactory(questionnaire=QuestionnaireFactory(region=region))
    pairs = {
        name: StructureFactory(kind=kind("S4"), region=region, **fields)
        for name, (fields, _asked) in EDGES.items()
    }
    elsewhere = StructureFactory(kind=kind("S4"))
    not_a_pair = StructureFactory(kind=kind("S5"), region=region)

    in_database = set(round_pairs(round).values_list("pk", flat=True))
    for name, (_fields, asked) in EDGES.items():
        pair = pairs[name]
        assert round_asks_pair(round, pair) is asked, name
        assert (pair.pk in in_database) is asked, name
    for other in (elsewhere, not_a_pair):
        assert not round_asks_pair(round, other)
        assert other.pk not in in_database
