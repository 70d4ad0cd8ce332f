"""Exactly once where it is hard: two sweeps at the same moment (PostgreSQL, where the race is
real), and a real Celery worker on Redis delivering a reminder (CI starts both servers)."""

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from reporting import reminders
from reporting.models import Delivery
from tests.helpers import process_env
from tests.reporting.test_reminders import YEAR, association

# One xdist worker runs these beside the page cache's cross-process tests (both use Redis).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("redis")]
UTC = dt.UTC
ROOT = Path(__file__).resolve().parents[2]


def needs(condition: bool, reason: str) -> None:
    """Skip on a laptop; in CI (CI=1, which starts PostgreSQL and Redis) a missing server fails."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


def test_two_sweeps_at_the_same_moment_send_each_reminder_once():
    needs(connection.vendor == "postgresql", "the race is real on PostgreSQL only (DATABASE_URL)")
    for n in range(5):
        association(f"Область гонки {n}", "Europe/Moscow", f"head{n}@x.ru", f"coord{n}@x.ru")
    reminders.deadlines_instantiate(year=YEAR)
    moment = dt.datetime(2020, 12, 11, 6, 0, tzinfo=UTC)
    start = threading.Barrier(4)
    errors = []

    def run():
        try:
            start.wait()
            reminders.sweep(clock=reminders.Clock(now=moment))
        except Exception as exc:  # reported below; a thread cannot fail the test by itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == [f"head{n}@x.ru" for n in range(5)]
    assert Delivery.objects.filter(status="sent").count() == 5


def test_a_real_celery_worker_on_redis_delivers_a_reminder(tmp_path):
    needs(
        settings.CELERY_BROKER_URL.startswith("redis://"),
        "needs Redis as the broker (CELERY_BROKER_URL=redis://…)",
    )
    needs(connection.vendor == "postgresql", "the worker must share the test database (PostgreSQL)")
    association("Тульская область", "Europe/Moscow", "head@x.ru", "coord@x.ru")
    reminders.deadlines_instantiate(year=YEAR)
    moment = dt.datetime(2020, 12, 11, 6, 0, tzinfo=UTC)
    reminders.sweep(clock=reminders.Clock(now=moment), send=False)
    delivery = Delivery.objects.get()

    env = process_env(TEST_EMAIL_FILE_PATH=str(tmp_path))
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        from reporting.tasks import send_delivery

        send_delivery.delay(delivery.pk)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            delivery.refresh_from_db()
            if delivery.status == Delivery.Status.SENT:
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert delivery.status == Delivery.Status.SENT, output[-3000:]
    (written,) = list(tmp_path.iterdir())
    assert "head@x.ru" in written.read_text()
