"""What the home page keeps in the shared cache (issue 19), across processes: a write another process
makes — a territory role granted, a member added, an organisation request filed, a round sent
out — shows on this one's next home page. A module of its own: the data must be committed for the
other process to see them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.cache import cache
from django.urls import reverse

from mentoring.panels.questionnaires import MONITORED_ROUNDS
from networks import hooks
from networks.account.home import KEPT_REQUESTS
from networks.home import TERRITORY_STRUCTURES
from networks.models import TerritoryRole
from tests.api.test_rate_limits import ROOT
from tests.factories import (
    OrganisationFactory,
    QuestionFactory,
    QuestionnaireFactory,
    RegionFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
)
from tests.helpers import process_env, shared_redis_cache

PREAMBLE = """
import datetime as dt, os, django
django.setup()
from networks.models import Region, Structure, User
region = Region.objects.get(pk=int(os.environ["KEPT_REGION"]))
person = User.objects.get(pk=int(os.environ["KEPT_PERSON"]))
methodist = User.objects.get(pk=int(os.environ["KEPT_METHODIST"]))
coordinator = User.objects.get(pk=int(os.environ["KEPT_COORDINATOR"]))
"""

WRITES = {
    "roles": """
from networks.models import TerritoryRole
TerritoryRole.objects.create(user=methodist, role="coordinator", region=region)
""",
    "structures": """
from networks import services
services.membership_add(
    structure=Structure.objects.get(region=region), user=person, role="member"
)
""",
    "requests": """
from networks.account import services
services.organisation_request_file(
    user=person, data=services.OrganisationRequestData(name="МКОУ «Новая»", region=region)
)
""",
    "rounds": """
from mentoring import services
from mentoring.models import Questionnaire
services.round_create(
    questionnaire=Questionnaire.objects.get(region=region), title="Итоги", audience="pairs",
    school_year=2026, opens_on=dt.date.today(), closes_on=dt.date.today() + dt.timedelta(days=9),
    by=coordinator,
)
""",
}


def shown(client, person, what: str):
    client.force_login(person)
    blocks = {
        b["template"].rsplit("/", 1)[-1]: b for b in client.get(reverse("home")).context["blocks"]
    }
    if what == "roles":
        return sorted(r.role for r in blocks["territory.html"]["roles"])
    if what == "structures":
        return [s.member_count for s in blocks["territory.html"]["structures"]]
    if what == "requests":
        block = blocks.get("organisation_requests.html")
        return [r.name for r in block["requests"]] if block else []
    return [r.title for r in blocks["home_monitoring.html"]["rounds"]]


KEPT = {
    "roles": hooks.TERRITORY_ROLES,
    "structures": TERRITORY_STRUCTURES,
    "requests": KEPT_REQUESTS,
    "rounds": MONITORED_ROUNDS,
}
BEFORE_AFTER = {
    "roles": (["methodist"], ["coordinator", "methodist"]),
    "structures": ([0], [1]),
    "requests": ([], ["МКОУ «Новая»"]),
    "rounds": ([], ["Итоги"]),
}


@pytest.mark.xdist_group("redis")
@pytest.mark.django_db(transaction=True)
def test_writes_by_another_process_show_on_this_ones_next_home(settings, client):
    """One other process makes the four writes (a process costs Django's start, ≈ 1.5 s of CPU)."""
    redis = shared_redis_cache(settings)
    for kept in KEPT.values():
        cache.delete(kept.generation_key)
    region = RegionFactory(name="Курская область")
    coordinator = TerritoryRoleFactory(role=TerritoryRole.Role.COORDINATOR, region=region).user
    methodist = TerritoryRoleFactory(role=TerritoryRole.Role.METHODIST, region=region).user
    StructureFactory(host=OrganisationFactory(region=region))
    QuestionFactory(questionnaire=QuestionnaireFactory(region=region, title="Мониторинг"))
    # The methodist reads the roles, the structures and the rounds, the coordinator the requests.
    readers = {what: coordinator if what == "requests" else methodist for what in WRITES}
    for _ in range(2):  # the second time from the shared cache
        assert {w: shown(client, r, w) for w, r in readers.items()} == {
            w: before for w, (before, _after) in BEFORE_AFTER.items()
        }
    child = subprocess.run(
        [sys.executable, "-c", PREAMBLE + "".join(WRITES.values())],
        cwd=ROOT,
        env=process_env(
            TEST_CACHE_URL=redis,
            KEPT_REGION=str(region.pk),
            KEPT_PERSON=str(UserFactory().pk),
            KEPT_METHODIST=str(methodist.pk),
            KEPT_COORDINATOR=str(coordinator.pk),
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    assert {w: shown(client, r, w) for w, r in readers.items()} == {
        w: after for w, (_before, after) in BEFORE_AFTER.items()
    }
