"""The territory's help requests kept in the shared cache (issue 19), across processes: a request
another process files shows on this one's next home page. A module of its own: the cast must be
committed for the other process to see it, where the other modules build it once in a transaction
rolled back at the module's end."""

from __future__ import annotations

import subprocess
import sys

import pytest
import time_machine
from django.core.cache import cache

from mentoring.panels.requests import TERRITORY_KEPT
from tests.api.test_rate_limits import ROOT
from tests.factories import topic
from tests.helpers import process_env, shared_redis_cache

from .conftest import NOW, build_cast
from .test_territory_kept import territory_block

CHILD = """
import os, django
django.setup()
import time_machine
with time_machine.travel(os.environ["KEPT_NOW"], tick=False):
    from mentoring import services
    from mentoring.models import Topic
    from networks.models import User
    services.help_request_file(
        topic=Topic.objects.get(pk=int(os.environ["KEPT_TOPIC"])),
        description="Нужна помощь с ВПР",
        by=User.objects.get(pk=int(os.environ["KEPT_USER"])),
    )
"""


@pytest.mark.xdist_group("redis")
@pytest.mark.django_db(transaction=True)
def test_a_request_filed_by_another_process_shows_on_this_ones_next_home(settings, client):
    redis = shared_redis_cache(settings)
    cache.delete(TERRITORY_KEPT.generation_key)
    with time_machine.travel(NOW, tick=False):
        cast = build_cast()
        vpr = topic("ВПР")
        assert territory_block(client, cast.people["coordinator"])["waiting"] == 0  # kept
    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=process_env(
            TEST_CACHE_URL=redis,
            KEPT_NOW=NOW.isoformat(),
            KEPT_TOPIC=str(vpr.pk),
            KEPT_USER=str(cast.people["requester"].pk),
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    with time_machine.travel(NOW, tick=False):
        assert territory_block(client, cast.people["methodist"])["waiting"] == 1
