import pytest
from django.db.utils import OperationalError

from config import health
from config.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_database_and_broker_are_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}


def test_healthz_names_the_broker_when_it_is_down(client, monkeypatch):
    # Nothing listens on port 1: the same failure as a stopped Redis.
    # Celery prefers CELERY_BROKER_URL from the environment (CI sets it) over its config. The
    # config is patched first, so that undoing it does not "restore" the broken address.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["failing"] == ["broker"] and body["database"] == "ok"
    assert body["broker"].startswith("error:")


def test_healthz_names_the_database_when_it_is_down(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]
    assert "connection refused" in response.json()["database"]


def test_healthz_needs_no_sign_in_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
