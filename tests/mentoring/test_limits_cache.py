"""The regions' mentoring limits kept in the shared cache (mentoring.limits, issue 19): every
write forgets them, so the next read — in this process or another — shows what was written."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring import limits
from mentoring.models import MentoringSettings
from mentoring.selectors.pairs import DEFAULT_SETTINGS, mentoring_settings, settings_by_region
from networks.models import TerritoryRole
from tests.api.test_rate_limits import ROOT
from tests.factories import RegionFactory, TerritoryRoleFactory, UserFactory
from tests.helpers import process_env, shared_redis_cache


def _coordinator(region):
    user = UserFactory()
    TerritoryRoleFactory(user=user, role=TerritoryRole.Role.COORDINATOR, region=region)
    return user


@pytest.mark.django_db
def test_the_limits_are_read_once_and_then_taken_from_the_cache():
    region = RegionFactory()
    MentoringSettings.objects.create(region=region, dormant_after_days=45)
    with CaptureQueriesContext(connection) as first:
        assert settings_by_region()[region.pk].dormant_after_days == 45
    with CaptureQueriesContext(connection) as second:
        assert mentoring_settings(region.pk).dormant_after_days == 45
        assert mentoring_settings(RegionFactory.build(pk=10**6).pk) is DEFAULT_SETTINGS
    assert (len(first), len(second)) == (1, 0)


@pytest.mark.django_db
def test_the_coordinators_form_forgets_the_limits_kept(client):
    region = RegionFactory()
    assert mentoring_settings(region.pk) is DEFAULT_SETTINGS  # kept: no row for the region
    client.force_login(_coordinator(region))
    response = client.post(
        reverse("mentoring:settings") + f"?region={region.pk}",
        {"max_pairs_per_mentor": "5", "dormant_after_days": "45", "request_overdue_days": "10"},
    )
    assert response.status_code == 302
    found = mentoring_settings(region.pk)
    assert (found.max_pairs_per_mentor, found.dormant_after_days) == (5, 45)


@pytest.mark.django_db
def test_a_save_and_a_delete_of_the_row_forget_the_limits_kept():
    """The Django admin (the site's operators) saves and deletes the row through the model."""
    region = RegionFactory()
    row = MentoringSettings.objects.create(region=region, request_overdue_days=21)
    assert mentoring_settings(region.pk).request_overdue_days == 21
    row.request_overdue_days = 7
    row.save()
    assert mentoring_settings(region.pk).request_overdue_days == 7
    row.delete()
    assert mentoring_settings(region.pk) is DEFAULT_SETTINGS


@pytest.mark.django_db
def test_the_pair_service_refuses_by_the_stored_limit_not_the_cached_one():
    """A write that bypasses the model leaves the cache behind for a while: pages may show the old
    limit, but confirming a pair counts against the row."""
    from django.core.exceptions import ValidationError

    from mentoring.services.pairs import _refuse_over_limit

    region = RegionFactory()
    MentoringSettings.objects.create(region=region, max_pairs_per_mentor=3)
    assert mentoring_settings(region.pk).max_pairs_per_mentor == 3  # kept
    MentoringSettings.objects.filter(region=region).update(max_pairs_per_mentor=0)
    assert mentoring_settings(region.pk).max_pairs_per_mentor == 3  # still the kept one
    assert mentoring_settings(region.pk, stored=True).max_pairs_per_mentor == 0
    with pytest.raises(ValidationError, match="предел"):
        _refuse_over_limit(UserFactory(), region.pk)


@pytest.mark.django_db
def test_a_cache_that_does_not_answer_leaves_the_database_to_answer(monkeypatch):
    region = RegionFactory()
    MentoringSettings.objects.create(region=region, max_pairs_per_mentor=4)

    def fails(*_args, **_kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "set", "delete"):
        monkeypatch.setattr(cache, method, fails)
    assert mentoring_settings(region.pk).max_pairs_per_mentor == 4
    limits.forget()  # logged, not raised


CHILD = """
import os, django
django.setup()
from mentoring.selectors.pairs import mentoring_settings
from mentoring.services.settings import mentoring_settings_save
from networks.models import Region, User
region = Region.objects.get(pk=int(os.environ["LIMITS_REGION"]))
print(mentoring_settings(region.pk).dormant_after_days)
mentoring_settings_save(
    region=region, max_pairs_per_mentor=3, dormant_after_days=60, request_overdue_days=14,
    by=User.objects.get(pk=int(os.environ["LIMITS_USER"])),
)
"""


@pytest.mark.xdist_group("redis")
@pytest.mark.django_db(transaction=True)
def test_another_process_sees_the_limits_this_one_set_and_this_one_those_it_set(settings):
    redis = shared_redis_cache(settings)
    limits.forget()  # nothing kept in Redis from an earlier run
    region = RegionFactory()
    coordinator = _coordinator(region)
    row = MentoringSettings.objects.create(region=region, dormant_after_days=30)
    assert mentoring_settings(region.pk).dormant_after_days == 30  # kept in Redis
    row.dormant_after_days = 45
    row.save()  # this process writes: the other reads the new limit, not the kept one

    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=process_env(
            TEST_CACHE_URL=redis, LIMITS_REGION=str(region.pk), LIMITS_USER=str(coordinator.pk)
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    assert child.stdout.split() == ["45"]
    # The other process read the limits (kept them in Redis again), then its coordinator's form
    # saved 60 days: this process's next read shows them.
    assert mentoring_settings(region.pk).dormant_after_days == 60
