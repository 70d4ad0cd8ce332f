"""Loads the year's content of the demo structures on top of networks' demo, idempotently.

Everything is looked up by its natural key and created only when missing: a structure's school
year by its plan (structure and school year — the meetings, attendance and minutes are written with
it, in the same transaction), a pair's log by pair and school year, a round by questionnaire, title
and school year (its answers come with it), a material by structure and title, a report
by its deadline, a notice by person and title. Unlike networks' loader, nothing found is changed:
these rows are a starting state the demo users then work on (approve the plan, answer the
questionnaire, file the minutes), and `make run` must not undo that. The decisions of a meeting's
minutes are written with its minutes; a group's announcement with the event it announces. A second run the same day, or
any later day of the same school year, therefore creates nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone

from communities.models import (
    Announcement,
    Attendance,
    Decision,
    Discussion,
    Event,
    Material,
    Minutes,
    MinutesItem,
    Plan,
    PlanItem,
    PlanStep,
    Poll,
    PollOption,
    PollVote,
    PollVoter,
    Post,
)
from mentoring.models import (
    Competence,
    Contact,
    GroupStatistics,
    HelpRequest,
    Question,
    Questionnaire,
    Response,
    Round,
    TutorAssignment,
)
from networks import figures
from networks.schoolyear import SchoolYear
from reporting import counters
from reporting.models import Deadline, Notice, Report

from . import year_groups, year_mentoring, year_reports, year_structures
from .calendar import DemoCalendar
from .story import Story

# What the year's content consists of, in the order of loading (the command prints it so).
YEAR_MODELS: list[type[models.Model]] = [
    Plan,
    PlanItem,
    PlanStep,
    Event,
    Attendance,
    Minutes,
    MinutesItem,
    Decision,
    Announcement,
    Material,
    Discussion,
    Post,
    Poll,
    PollOption,
    PollVoter,
    PollVote,
    Competence,
    Contact,
    Questionnaire,
    Question,
    Round,
    Response,
    HelpRequest,
    TutorAssignment,
    GroupStatistics,
    Deadline,
    Report,
    Notice,
]


@dataclass
class YearResult:
    year: SchoolYear
    last: SchoolYear
    created: Counter[type[models.Model]] = field(default_factory=Counter)


def _counts() -> dict[type[models.Model], int]:
    return {model: model.objects.count() for model in YEAR_MODELS}


def load_year(*, now=None) -> YearResult:
    """Plans, meetings and minutes, materials, mentoring, questionnaires, deadlines, reports and
    notices of the demo structures. Expects devdata.demo.load_demo() to have run."""
    calendar = DemoCalendar(now or timezone.now())
    story = Story(calendar)
    before = _counts()
    # The kept figures once at the end, not after every write (networks.figures.deferred).
    with transaction.atomic(), figures.deferred():
        year_structures.load(story)
        year_groups.load(story)
        year_mentoring.load(story)
        year_reports.load(story)
        counters.recount()  # the summary's kept figures, from the rows written above (issue 19)
    after = _counts()
    created = Counter({m: after[m] - before[m] for m in YEAR_MODELS if after[m] != before[m]})
    return YearResult(year=calendar.year, last=calendar.last, created=created)
