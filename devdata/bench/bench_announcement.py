"""Benchmark: an announcement to a network community of 10,000 teachers (issue 17, «Scale»).

    .venv/bin/python devdata/bench/bench_announcement.py                  # a temporary SQLite file
    .venv/bin/python devdata/bench/bench_announcement.py --members 10000 --database-url postgres://…

The issue's bar: the page accepts the announcement in under a second (it only stores it and queues
the sending), and the worker sends it in batches. The script migrates the database, makes an S8
community with --members members (plus a coordinator) in bulk, then:

- posts the announcement through the page (Django's test client, the coordinator signed in,
  --runs times): the wall time of the request with its commit, and its queries;
- runs the worker's task body once (`announcement_send`): the wall time to write every notice and
  every mail into the outbox (OutboxBackend, as in production), and the rows written;
- runs it again: the claim is taken, nothing is written.

The broker is not used: the task's and the outbox's `delay` are replaced by a counter, so that
nothing is queued into the checkout's var/broker; the outbox's own delivery of the mails is the
outbox worker's (measured by its own tests), not part of this figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import tempfile
import time

from standalone import setup_django


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args()


def community(members: int):
    """An S8 community with `members` members, written in bulk; (structure, coordinator)."""
    from networks.models import Membership, Role, User
    from tests.factories import MembershipFactory, StructureFactory, UserFactory, kind

    structure = StructureFactory(kind=kind("S8"), name="Сетевое сообщество учителей физики")
    coordinator = UserFactory(organisation=structure.host, email="coordinator@bench.example")
    MembershipFactory(structure=structure, user=coordinator, role=Role.COORDINATOR)
    users = User.objects.bulk_create(
        [
            User(
                email=f"teacher{i}@bench.example",
                first_name="Анна",
                last_name=f"Учителева-{i}",
                organisation=structure.host,
            )
            for i in range(members)
        ],
        batch_size=1000,
    )
    if users[0].pk is None:  # a backend that returns no keys from bulk_create
        users = list(
            User.objects.filter(email__endswith="@bench.example").exclude(pk=coordinator.pk)
        )
    Membership.objects.bulk_create(
        [
            Membership(structure=structure, user=user, role=Role.MEMBER, since=dt.date(2025, 9, 1))
            for user in users
        ],
        batch_size=1000,
    )
    return structure, coordinator


def main() -> None:
    args = parse_args()
    workdir = None
    url = args.database_url
    if not url:
        workdir = tempfile.mkdtemp(prefix="bench-announcement-")
        url = f"sqlite:///{workdir}/bench.sqlite3"
    try:
        setup_django(url)
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment
        from django.urls import reverse

        from communities import tasks
        from communities.models import Announcement
        from communities.services import announcements
        from outbox import tasks as outbox_tasks
        from outbox.models import OutboundMail
        from reporting.models import Notice

        setup_test_environment(debug=False)
        settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
        settings.SITE_URL = "https://portal.example.ru"
        queued = {"announcement": 0, "mail": 0}
        tasks.send_announcement.delay = lambda *a: queued.__setitem__(
            "announcement", queued["announcement"] + 1
        )
        outbox_tasks.send_outbound.delay = lambda *a: queued.__setitem__("mail", queued["mail"] + 1)

        started = time.perf_counter()
        structure, coordinator = community(args.members)
        print(f"сообщество из {args.members} участников: {time.perf_counter() - started:.1f} с")

        client = Client()
        client.force_login(coordinator)
        address = reverse("communities:announcement_create", args=[structure.pk])
        client.get(address)  # warm-up: templates, translations
        times, queries = [], 0
        for run in range(args.runs):
            data = {"title": f"Семинар {run}", "text": "Коллеги, семинар пройдёт в четверг."}
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.post(address, data)
                times.append(time.perf_counter() - started)
            assert response.status_code == 302, response.status_code
            queries = len(captured)
        print(
            f"страница: медиана {statistics.median(times) * 1000:.0f} мс, "
            f"наибольшее {max(times) * 1000:.0f} мс, запросов {queries}; "
            f"в очередь поставлено задач: {queued['announcement']}"
        )

        announcement = Announcement.objects.order_by("pk").first()
        started = time.perf_counter()
        told = announcements.announcement_send(announcement_id=announcement.pk)
        took = time.perf_counter() - started
        print(
            f"воркер: {told} получателей за {took:.1f} с ({took / told * 1000:.2f} мс на человека), "
            f"писем в outbox {OutboundMail.objects.count()}, уведомлений {Notice.objects.count()}, "
            f"задач отправки писем {queued['mail']}, партиями по {announcements.BATCH_SIZE}"
        )
        started = time.perf_counter()
        again = announcements.announcement_send(announcement_id=announcement.pk)
        print(
            f"повторный запуск: {again} получателей, {(time.perf_counter() - started) * 1000:.0f} мс"
        )
    finally:
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
