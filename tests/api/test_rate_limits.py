"""Rate limits per token (issue 21): counted in the shared cache, so two processes — two gunicorn
workers, two servers — count one token's requests together."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from api.models import ApiToken
from tests.api.helpers import api_client, token_for
from tests.factories import RegionFactory
from tests.helpers import process_env, shared_redis_cache

ROOT = Path(__file__).resolve().parents[2]


def limited(settings, rate: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_token": rate},
    }


@pytest.mark.django_db
def test_a_token_over_its_rate_gets_429_and_another_token_does_not(settings):
    limited(settings, "2/min")
    region = RegionFactory()
    busy, other = api_client(token_for(region)), api_client(token_for(region))
    assert [busy.get("/api/v1/municipalities/").status_code for _ in range(3)] == [200, 200, 429]
    refused = busy.get("/api/v1/municipalities/")
    assert refused.json()["detail"].startswith("Слишком много запросов по этому ключу.")
    assert int(refused["Retry-After"]) > 0
    assert other.get("/api/v1/municipalities/").status_code == 200


CHILD = """
import os, django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(headers={"Authorization": "Bearer " + os.environ["API_TEST_SECRET"]})
print(" ".join(str(client.get("/api/v1/municipalities/").status_code) for _ in range(2)))
"""


@pytest.mark.xdist_group("redis")
@pytest.mark.django_db(transaction=True)
def test_two_processes_count_one_tokens_requests_together(settings):
    redis = shared_redis_cache(settings)
    limited(settings, "3/min")
    secret = token_for(RegionFactory())
    cache.delete(f"throttle_api_token_{ApiToken.objects.get().pk}")
    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=process_env(TEST_CACHE_URL=redis, API_THROTTLE_RATE="3/min", API_TEST_SECRET=secret),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.stdout.split() == ["200", "200"], child.stderr[-3000:]
    client = api_client(secret)
    # The third request of the minute is this process's first: allowed; the fourth is refused.
    assert [client.get("/api/v1/municipalities/").status_code for _ in range(2)] == [200, 429]
