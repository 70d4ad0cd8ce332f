"""«Отчётность территории» kept in the shared cache (reporting.summaries.nearest, issue 19) across
processes: a report another process hands in shows on this one's next home page. A module of its
own: the territory must be committed for the other process to see it, where test_nearest_cache.py
builds it once in a transaction rolled back at the module's end."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import time_machine
from django.core.cache import cache

from reporting.summaries import nearest
from tests.api.test_rate_limits import ROOT
from tests.helpers import process_env, shared_redis_cache

from .conftest import build_territory, deadline
from .test_nearest_cache import GROUP_LATE, GROUP_MISSING, ON_27_DECEMBER, home

CHILD = """
import os, django
django.setup()
import time_machine
with time_machine.travel("2020-12-27 10:00 +0300", tick=False):
    from reporting.models import Deadline
    from reporting.reports import services
    from networks.models import User
    by = User.objects.get(pk=int(os.environ["NEAREST_USER"]))
    due = Deadline.objects.get(pk=int(os.environ["NEAREST_DEADLINE"]))
    report = services.report_start(structure=due.structure, by=by, deadline=due)
    services.report_save(report=report, by=by, narrative={"analysis": "Анализ"})
    services.report_submit(report=report, by=by)
    print(report.pk)
"""


@pytest.mark.xdist_group("redis")
@pytest.mark.django_db(transaction=True)
def test_a_report_handed_in_by_another_process_shows_on_this_ones_next_home(settings, client):
    redis = shared_redis_cache(settings)
    territory = build_territory()
    cache.delete(nearest.KEPT.generation_key)
    methodist = territory.people["methodist"]
    with time_machine.travel(ON_27_DECEMBER, tick=False):
        before = home(client, methodist)  # kept in Redis
    due = deadline(territory.group, dt.date(2020, 12, 25))
    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=process_env(
            TEST_CACHE_URL=redis,
            NEAREST_USER=str(territory.people["coordinator"].pk),
            NEAREST_DEADLINE=str(due.pk),
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    with time_machine.travel(ON_27_DECEMBER, tick=False):
        after = home(client, methodist)
    assert after.count(GROUP_MISSING) == before.count(GROUP_MISSING) - 1
    assert after.count(GROUP_LATE) == before.count(GROUP_LATE) + 1
