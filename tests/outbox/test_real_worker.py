"""Issue 17's quality bar «CI runs the notification path through the real Celery worker and Redis»:
a meeting planned through the service writes its invitations into the outbox; the commit queues
`send_outbound` on Redis; a real Celery worker (celery.contrib.testing's, a solo pool in a thread of
this process, so that it reads the test database whatever it is) takes each message from Redis,
claims the row and delivers the mail. Each invited member gets exactly one mail, with its `.ics`.

Skipped on a laptop without Redis (CELERY_BROKER_URL=redis://…, and the server answering); in CI
(`.ci/run` sets CI=1 and starts Redis) a missing Redis fails it instead."""

import datetime as dt
import logging
import os
import threading

import icalendar
import pytest
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.utils import timezone

from communities import services
from config.celery import app
from networks.models import OrganisationKind, Region, Role
from outbox.models import OutboundMail
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrderFactory,
    OrganisationFactory,
    StructureFactory,
    UserFactory,
    kind,
)

# One xdist worker runs every test that uses Redis (config/settings/test.py gives it a database).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("redis")]

# The whole round trip takes well under a second; the limit only turns a hang into a failure.
DELIVERED_WITHIN = 15  # seconds
SEND = "outbox.tasks.send_outbound"


def redis_answers(url: str) -> str:
    """'' when Redis at `url` answers a PING, else why not."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as error:  # refused, timed out, unknown host, auth
        return f"{type(error).__name__}: {error}"
    return ""


@pytest.fixture
def redis_broker(monkeypatch):
    """The broker of the test settings if it is a Redis that answers; skip (or, in CI, fail).

    config/settings/test.py gives each pytest-xdist worker a Redis database of its own, but Celery
    reads CELERY_BROKER_URL from the environment before its config (celery.app.utils.Settings
    .broker_url), and CI exports it: the app would publish to and consume from the shared
    database 0. So the environment and the app's connection pools are pointed at the settings'
    database for this test, and put back afterwards."""
    url = settings.CELERY_BROKER_URL
    reason = ""
    if not url.startswith("redis://"):
        reason = f"needs Redis as the broker (CELERY_BROKER_URL=redis://…), not {url!r}"
    elif why := redis_answers(url):
        reason = f"Redis at {url} does not answer: {why}"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this test: {reason}")
        pytest.skip(reason)
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    # Pools made earlier in this process keep their broker; new ones are made from `url`.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    assert app.conf.broker_url == url
    # Messages an earlier test queued in this database for rows long gone are not ours to run.
    app.control.purge()
    return url


@pytest.fixture
def real_worker(redis_broker, monkeypatch):
    """A real Celery worker consuming the default queue (the one `send_outbound` goes to) from
    Redis, in a thread. Yields the tasks it ran, (name, args, return value, thread), and a function
    that waits until a condition holds, looking again each time the worker has run a task."""
    from celery.contrib.testing.worker import start_worker

    # The worker must not take the root logger away from pytest's capture.
    monkeypatch.setitem(app.conf, "worker_hijack_root_logger", False)
    ran = threading.Condition()
    tasks = []

    def note(task=None, args=(), retval=None, **kwargs):
        with ran:
            tasks.append((task.name, tuple(args), retval, threading.current_thread()))
            ran.notify_all()

    task_postrun.connect(note, weak=False)
    # Celery's app.log.setup() sets the root logger's level to the worker's (ERROR): put it back,
    # or a later test in this process no longer sees a warning in caplog.
    root = logging.getLogger()
    root_level = root.level
    try:
        with start_worker(
            app,
            pool="solo",
            concurrency=1,
            queues=[app.conf.task_default_queue],
            perform_ping_check=False,  # the ping needs a result backend; the portal has none
            shutdown_timeout=10,
        ):

            def wait_until(condition, timeout=DELIVERED_WITHIN) -> bool:
                with ran:
                    return ran.wait_for(condition, timeout=timeout)

            yield tasks, wait_until
    finally:
        task_postrun.disconnect(note)
        root.setLevel(root_level)


@pytest.fixture
def outbox_on(settings):
    """Production's mail path: pages write the outbox, the worker delivers through locmem (so
    mail.outbox is what the mail server received)."""
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://portal.example.ru"


def test_a_real_celery_worker_on_redis_delivers_each_invitation_once_with_its_calendar_file(
    real_worker, outbox_on
):
    # The region is written directly, not by RegionFactory: its sequence («Регион N») is left
    # where it was for the Redis group's next test, which names its regions in that pattern.
    region = Region.objects.create(code="71", name="Тульская область", timezone="Europe/Moscow")
    municipality = MunicipalityFactory(region=region)
    association = StructureFactory(
        kind=kind("S5"),
        name="Межшкольное объединение директоров",
        host=OrganisationFactory(municipality=municipality, kind=OrganisationKind.METHODICAL),
        founding_order=OrderFactory(
            issuer=OrganisationFactory(municipality=municipality, kind=OrganisationKind.AUTHORITY)
        ),
    )
    head = UserFactory(email="head@school.example", organisation=association.host)
    MembershipFactory(structure=association, role=Role.HEAD, user=head)
    members = [
        UserFactory(email=f"member{n}@school.example", organisation=association.host)
        for n in range(3)
    ]
    for member in members:
        MembershipFactory(structure=association, role=Role.MEMBER, user=member)
    invited = sorted(user.email for user in [head, *members])

    event = services.event_create(
        structure=association,
        by=head,
        title="Заседание № 3: итоги мониторинга",
        form="meeting",
        format="in_person",
        place="ЦНППМ, ауд. 5",
        starts_at=timezone.now() + dt.timedelta(days=7),
    )

    # The commit queued one task per row on Redis; the worker sends them.
    rows = OutboundMail.objects.all()
    assert rows.count() == len(invited)

    def all_sent() -> bool:
        return not rows.exclude(status=OutboundMail.Status.SENT).exists()

    ran, wait_until = real_worker
    delivered = wait_until(all_sent)
    states = list(rows.values_list("to", "status", "attempts", "last_error"))
    assert delivered, f"not all sent within {DELIVERED_WITHIN} s: {states}; tasks run: {ran}"
    assert all(attempts == 1 for _to, _status, attempts, _error in states), states
    # Sent by the worker's thread: for each row one task that claimed it and sent it.
    pks = list(rows.order_by("pk").values_list("pk", flat=True))
    sends = [(args[0], sent, thread) for name, args, sent, thread in ran if name == SEND]
    assert sorted(pk for pk, sent, _thread in sends if sent is True) == pks, ran
    assert all(thread is not threading.main_thread() for _pk, _sent, thread in sends)

    # What the mail server got: exactly one mail per invited person, each with the event's .ics.
    assert sorted(message.to[0] for message in mail.outbox) == invited
    for message in mail.outbox:
        assert len(message.to) == 1
        (ics,) = [a for a in message.attachments if a[2].startswith("text/calendar")]
        entry = icalendar.Calendar.from_ical(ics[1]).walk("VEVENT")[0]
        assert str(entry["UID"]) == f"event-{event.pk}@portal.example.ru"
        assert str(entry["ATTENDEE"]) == f"mailto:{message.to[0]}"
