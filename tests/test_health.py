import datetime as dt

import pytest
from django.db.utils import OperationalError
from django.utils import timezone

from config import health
from config.celery import app as celery_app
from outbox import services as outbox
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def beating():
    """The worker ran the beat's heartbeat a moment ago."""
    outbox.heartbeat_beat()


@pytest.fixture
def broker_down(monkeypatch):
    # Nothing listens on port 1: the same failure as a stopped Redis.
    # Celery prefers CELERY_BROKER_URL from the environment (CI sets it) over its config. The
    # config is patched first, so that undoing it does not "restore" the broken address.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://broker.internal:1/0")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://broker.internal:1/0")


@pytest.fixture
def operator(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_healthz_answers_200_when_database_broker_and_worker_are_up(client, beating):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "worker": "ok", "status": "ok"}


def test_healthz_says_failed_without_internal_names_to_anybody_when_the_broker_is_down(
    client, beating, broker_down
):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body == {
        "database": "ok",
        "broker": "failed",
        "worker": "ok",
        "status": "failed",
        "failing": ["broker"],
    }
    assert "internal" not in response.content.decode()


def test_healthz_names_the_broker_to_an_operator(operator, beating, broker_down):
    response = operator.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["failing"] == ["broker"] and body["database"] == "ok"
    assert body["broker"].startswith("failed: ") and "broker.internal" in body["broker"]


def test_a_signed_in_person_who_is_not_an_operator_sees_no_reasons(client, beating, broker_down):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/healthz").json()["broker"] == "failed"


def test_healthz_names_the_database_when_it_is_down(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError("could not connect to server db.internal: connection refused")

    monkeypatch.setattr(health, "connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database", "worker"]
    assert response.json()["database"] == "failed"
    assert "db.internal" not in response.content.decode()


def test_without_a_heartbeat_the_worker_is_reported_stale(client, operator):
    response = operator.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    assert response.json()["worker"].startswith("failed: stale: no heartbeat yet")


def test_a_heartbeat_older_than_the_limit_is_stale_and_a_fresh_one_is_ok(client, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 180
    outbox.heartbeat_beat(now=timezone.now() - dt.timedelta(seconds=200))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "failed" and response.json()["failing"] == ["worker"]

    outbox.heartbeat_beat(now=timezone.now() - dt.timedelta(seconds=170))
    assert client.get("/healthz").status_code == 200


def test_the_heartbeat_task_writes_the_row_the_beat_runs_it_every_minute(client, settings):
    from outbox.tasks import worker_heartbeat

    worker_heartbeat()
    assert outbox.heartbeat_age() < dt.timedelta(seconds=5)
    assert settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]["schedule"] == 60
    assert client.get("/healthz").json()["worker"] == "ok"


def test_the_worker_is_not_asked_for_when_the_settings_say_so(client, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = None  # the benchmark runs no worker
    assert client.get("/healthz").status_code == 200


def test_healthz_needs_no_sign_in_and_is_never_cached(client, beating):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
