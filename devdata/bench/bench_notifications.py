"""Benchmark: the national notification sweep for 300,000 people, delivered to a real SMTP sink
(issue 17, «Scale»), and a person's calendar feed.

    .venv/bin/python devdata/bench/bench_notifications.py                      # 300,000 people
    .venv/bin/python devdata/bench/bench_notifications.py --people 20000 --workers 4
    .venv/bin/python devdata/bench/bench_notifications.py --feeds-only         # calendar feeds only

The issue's bars: the national sweep of invitations, decisions and digests for 300,000 people
finishes within 5 minutes, measured against a local SMTP sink that counts the mails it receives; a
person's calendar feed answers in ≤ 50 ms.

- The sink: devdata/bench/smtp_sink.py (or aiosmtpd's server with `--sink aiosmtpd`) in its own
  process on 127.0.0.1 (a free port), counting the messages, the recipients and the distinct
  recipient addresses it receives; its own CPU is printed (it shares the two cores with the
  sweep). The portal writes mail into the outbox (outbox.backends.OutboxBackend, as in
  production) and the outbox delivers through EMAIL_URL=smtp://127.0.0.1:<port> — Django's SMTP
  backend and the outbox's own writer and pipelined commands, not locmem, not a file.
- The data: a database of its own (`--database-url`, default BENCH_NOTIFY_DATABASE_URL or
  postgres://…/bench_notify, created and migrated when missing; the bench's scale_dev stays as it
  is), filled in bulk (dropped and created again for each run): a third of the people invited to a meeting tomorrow (the day-before
  reminder), a third owners of a decision overdue since yesterday, a third who chose the daily
  digest for three kinds and have three messages of yesterday waiting. Every person has one reason
  to get exactly one mail today.
- The sweep, stage by stage, as the Celery tasks run it, in batches: `reminder_sweep`
  (reminders.sweep claims a Delivery row per reminder, send=False, and lists what is due),
  `send_deliveries` per 500 due rows (reminders.deliveries_send: the notices and the mails into
  the outbox in one transaction), `send_digests` per 500 people
  (notification_centre.digests_send_batch: one mail per person), then `send_outbound_batch`
  (outbox.services.outbound_send_batch: up to 200 mails claimed FOR UPDATE SKIP LOCKED, sent over
  one SMTP connection, each marked sent) until nothing is left. The batches run in `--workers`
  processes (forked, each with its own database connection), as Celery's prefork pool would; the
  tasks' `delay` is replaced by a counter (the rows are what the tasks would get).
- The check: the sink's count equals the mails claimed (deliveries sent + digests written = outbox
  rows sent), and no address got two mails.
- The calendar feed (`--feeds-database-url`, default the bench's scale_dev, in a child process and
  a transaction rolled back at the end): 200 people of the national data set, evenly spread over
  everyone invited to something (by id), get a feed address; Django's test client asks each feed once (built) and again
  (from the cache); p50 and p95.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_URL = "postgres://portal_ci:portal_ci@127.0.0.1:5432/bench_notify"
FEEDS_URL = "postgres://portal_ci:portal_ci@127.0.0.1:5432/scale_dev"
GOAL_SECONDS = 5 * 60
NATIONAL = 300_000
FEED_GOAL_MS = 50
DOMAIN = "notify.example.ru"
EVENT_SIZE = 100  # invited per meeting
DECISIONS_PER_MINUTES = 50
DIGEST_KINDS = ("announcements", "events", "decisions")
SINK_NAMES = {"lean": "devdata/bench/smtp_sink.py", "aiosmtpd": "aiosmtpd"}


# --- The SMTP sink ----------------------------------------------------------------------------------


def _sink_main(kind, port, messages, recipients, distinct, ready, stop) -> None:
    """The sink's process: listens on 127.0.0.1:port until `stop` is set. `kind` "lean" is
    devdata/bench/smtp_sink.py (the bench's default: it costs the machine little), "aiosmtpd" the
    library's server (the tests compare the two)."""
    import asyncio
    import threading

    parent = os.getppid()

    def publish(counts) -> None:
        # One writer (this process): plain shared integers, no lock per message.
        messages.value = counts.messages
        recipients.value = counts.recipients
        distinct.value = len(counts.addresses)

    if kind == "lean":
        from smtp_sink import Counts, serve

        class Publishing(Counts):
            def on_message(self, rcpts, data=b""):
                super().on_message(rcpts, data)
                publish(self)

        async def run() -> None:
            server = await serve("127.0.0.1", port, Publishing())
            ready.set()
            loop = asyncio.get_running_loop()
            done = loop.create_future()

            def watch() -> None:
                # Stops when told, or when the bench died without telling (killed).
                while not stop.wait(1) and os.getppid() == parent:
                    pass
                loop.call_soon_threadsafe(done.set_result, None)

            threading.Thread(target=watch, daemon=True).start()
            await done
            server.close()

        asyncio.run(run())
        return

    from aiosmtpd.controller import Controller
    from smtp_sink import Counts

    counts = Counts()

    class Counter:
        async def handle_DATA(self, server, session, envelope):
            counts.on_message(list(envelope.rcpt_tos))
            publish(counts)
            return "250 Message accepted for delivery"

    # server_hostname: without it every session asks socket.getfqdn() (a DNS lookup).
    controller = Controller(
        Counter(), hostname="127.0.0.1", port=port, server_hostname="sink.localhost"
    )
    controller.start()
    ready.set()
    while not stop.wait(1) and os.getppid() == parent:
        pass
    controller.stop()


@dataclass
class Sink:
    """A running sink; `messages`, `recipients`, `distinct` are what it has counted so far."""

    port: int
    kind: str
    process: multiprocessing.Process
    _messages: object
    _recipients: object
    _distinct: object
    _stop: object

    @property
    def messages(self) -> int:
        return self._messages.value

    @property
    def recipients(self) -> int:
        return self._recipients.value

    @property
    def distinct(self) -> int:
        return self._distinct.value

    def cpu_seconds(self) -> float | None:
        """The sink process's CPU time so far (user + system), where /proc tells it."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self._stop.set()
        self.process.join(10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)


def sink_start(kind: str = "lean") -> Sink:
    """Starts the sink in its own (spawned) process on a free port of 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    context = multiprocessing.get_context("spawn")
    messages, recipients, distinct = (context.RawValue("q", 0) for _ in range(3))
    ready, stop = context.Event(), context.Event()
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)  # the spawned child imports smtp_sink from here
    process = context.Process(
        target=_sink_main,
        args=(kind, port, messages, recipients, distinct, ready, stop),
        name="smtp-sink",
        daemon=True,
    )
    process.start()
    if not ready.wait(30):
        process.terminate()
        raise RuntimeError("the SMTP sink did not start")
    return Sink(port, kind, process, messages, recipients, distinct, stop)


def point_mail_at(settings, port: int) -> None:
    """The portal writes into the outbox; the outbox delivers over SMTP to the sink."""
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 30


# --- The data ---------------------------------------------------------------------------------------


@dataclass
class Built:
    invited: int = 0
    owners: int = 0
    digest_people: int = 0
    digest_items: int = 0
    seconds: float = 0.0

    @property
    def people(self) -> int:
        return self.invited + self.owners + self.digest_people


def clock_now(today: dt.date | None = None) -> dt.datetime:
    """The sweep's moment: 12:00 UTC (15:00 in Moscow, past the 09:00 reminders and 08:00 digests)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)


def _bulk(model, rows, batch=5000):
    created = model.objects.bulk_create(rows, batch_size=batch)
    return created


def build(people: int, now: dt.datetime) -> Built:
    """`people` people with one reason each to get one mail at `now` (see the module's text)."""
    from communities.models import Attendance, Decision, Event, Minutes
    from networks.models import User
    from reporting.models import DigestItem, ReminderPreference
    from tests.factories import StructureFactory, kind

    started = time.perf_counter()
    invited = people // 3
    owners = people // 3
    digest = people - invited - owners
    structures_needed = max(1, (invited // EVENT_SIZE + 9) // 10)
    structures = [
        StructureFactory(kind=kind("S5"), name=f"Бенчмарк уведомлений: объединение {i + 1}")
        for i in range(structures_needed)
    ]
    organisation = structures[0].host
    users = _bulk(
        User,
        [
            User(
                email=f"p{i}@{DOMAIN}",
                first_name="Анна",
                last_name=f"Получателева-{i}",
                patronymic="Сергеевна",
                organisation=organisation,
                is_active=True,
            )
            for i in range(people)
        ],
    )
    if users[0].pk is None:  # a backend that returns no keys from bulk_create
        users = list(User.objects.filter(email__endswith=f"@{DOMAIN}").order_by("pk"))

    # Invited to a meeting tomorrow at 15:00 Moscow time, not answered yet (the day-before reminder).
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    meetings = max(1, -(-invited // EVENT_SIZE)) if invited else 0
    events = _bulk(
        Event,
        [
            Event(
                structure=structures[i % len(structures)],
                title=f"Заседание объединения № {i + 1}",
                form="meeting",
                format="in_person",
                starts_at=tomorrow,
                place="МБОУ «Центр образования № 12», актовый зал",
                status=Event.Status.SCHEDULED,
            )
            for i in range(meetings)
        ],
    )
    _bulk(
        Attendance,
        [
            Attendance(event=events[i // EVENT_SIZE], user=user, invited=True, attended=None)
            for i, user in enumerate(users[:invited])
        ],
    )

    # Owners of a decision of signed minutes, due yesterday (the owner's reminder is due today).
    owner_users = users[invited : invited + owners]
    sittings = -(-owners // DECISIONS_PER_MINUTES) if owners else 0
    held = _bulk(
        Event,
        [
            Event(
                structure=structures[i % len(structures)],
                title=f"Прошедшее заседание № {i + 1}",
                form="meeting",
                format="in_person",
                starts_at=now - dt.timedelta(days=30),
                status=Event.Status.HELD,
            )
            for i in range(sittings)
        ],
    )
    minutes = _bulk(
        Minutes,
        [
            Minutes(
                event=event,
                number=str(i + 1),
                date=(now - dt.timedelta(days=30)).date(),
                status=Minutes.Status.SIGNED,
                signed_at=now - dt.timedelta(days=29),
                attendee_count=10,
            )
            for i, event in enumerate(held)
        ],
    )
    _bulk(
        Decision,
        [
            Decision(
                structure_id=minutes[i // DECISIONS_PER_MINUTES].event.structure_id,
                minutes=minutes[i // DECISIONS_PER_MINUTES],
                text=f"Актуализировать план работы школы № {i + 1} до срока",
                owner=user,
                due_on=now.date() - dt.timedelta(days=1),
            )
            for i, user in enumerate(owner_users)
        ],
    )

    # The daily digest for three kinds, three messages of yesterday each.
    digest_users = users[invited + owners :]
    _bulk(
        ReminderPreference,
        [
            ReminderPreference(user=user, kind=one, delivery="daily")
            for user in digest_users
            for one in DIGEST_KINDS
        ],
    )
    yesterday = now - dt.timedelta(days=1)
    items = _bulk(
        DigestItem,
        [
            DigestItem(
                user=user,
                kind=one,
                delivery="daily",
                subject=f"Новое сообщение: {one}",
                text="Коллеги, заседание объединения переносится на четверг, 15:00.",
                url="https://portal.example.ru/structures/1/",
                created_at=yesterday,
            )
            for user in digest_users
            for one in DIGEST_KINDS
        ],
    )
    return Built(
        invited=invited,
        owners=owners,
        digest_people=digest,
        digest_items=len(items),
        seconds=time.perf_counter() - started,
    )


# --- The sweep --------------------------------------------------------------------------------------


@dataclass
class Stage:
    name: str
    seconds: float
    count: int
    note: str = ""
    cpu: float = 0.0  # CPU of the bench and its worker processes (not the sink, not PostgreSQL)
    postgres_cpu: float | None = None  # CPU of the PostgreSQL server during the stage


def _postgres_cpu() -> float | None:
    """CPU seconds of the PostgreSQL server on this machine so far: its processes alive now, and
    the ended ones (backends of closed connections) through the postmaster's children's time.
    None where /proc does not tell (another OS, another user's processes)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, found = 0, False
    try:
        entries = [entry for entry in os.listdir("/proc") if entry.isdigit()]
    except OSError:
        return None
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        if name != "postgres" and not name.startswith("postgres:"):
            continue
        fields = text.rsplit(")", 1)[1].split()
        found = True
        total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    return total / tick if found else None


def _since(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the workers' pools)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class SweepResult:
    stages: list[Stage] = field(default_factory=list)
    claimed: int = 0  # mails the sweep claimed: deliveries sent by mail + digests written
    outbox_sent: int = 0

    @property
    def seconds(self) -> float:
        return sum(stage.seconds for stage in self.stages)


def _each(function_path: str, batches: list, now_iso: str | None, child: bool = False) -> int:
    """A worker's share: the batch task's body for each batch; the sum of what they returned. A
    forked child closes its own database connection at the end."""
    import importlib

    from django.db import connections

    module, name = function_path.rsplit(".", 1)
    function = getattr(importlib.import_module(module), name)
    now = dt.datetime.fromisoformat(now_iso) if now_iso else None
    done = 0
    try:
        for batch in batches:
            done += function(batch, now)
    finally:
        if child:
            connections.close_all()
    return done


def _send_deliveries(ids, now) -> int:
    """reporting.tasks.send_deliveries: a batch of reminders in one transaction."""
    from reporting import reminders

    return len(reminders.deliveries_send(ids=ids, now=now))


def _send_digests(ids, now) -> int:
    """reporting.tasks.send_digests: the digests of a batch of people."""
    from reporting import notification_centre

    return notification_centre.digests_send_batch(user_ids=ids, now=now)


def _send_outbound(_worker, now) -> int:
    """outbox.tasks.send_outbound_batch, as many as this worker can claim: each batch claimed
    FOR UPDATE SKIP LOCKED beside the other workers, sent over one SMTP connection."""
    from outbox import services

    sent = 0
    while True:
        batch = services.outbound_send_batch()
        sent += batch.sent
        if not batch.claimed:
            return sent


def _chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _in_workers(function_path: str, batches: list, now: dt.datetime | None, workers: int) -> int:
    """Runs a batch task over `batches` in `workers` forked processes (Celery's prefork pool)."""
    now_iso = now.isoformat() if now else None
    if workers <= 1 or len(batches) < 2:
        return _each(function_path, batches, now_iso)
    from django.db import connections

    connections.close_all()  # each child opens its own
    shares = [batches[i::workers] for i in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.starmap(_each, [(function_path, share, now_iso, True) for share in shares]))


def silence_queueing() -> dict[str, int]:
    """The tasks' `delay` counts instead of queueing: the bench runs the task bodies itself."""
    from outbox import tasks as outbox_tasks
    from reporting import tasks as reporting_tasks

    queued = {
        "send_outbound": 0,
        "send_outbound_batch": 0,
        "send_delivery": 0,
        "send_deliveries": 0,
        "send_digests": 0,
    }

    def counter(name):
        return lambda *args: queued.__setitem__(name, queued[name] + 1)

    outbox_tasks.send_outbound.delay = counter("send_outbound")
    outbox_tasks.send_outbound_batch.delay = counter("send_outbound_batch")
    reporting_tasks.send_delivery.delay = counter("send_delivery")
    reporting_tasks.send_deliveries.delay = counter("send_deliveries")
    reporting_tasks.send_digests.delay = counter("send_digests")
    return queued


def run_sweep(now: dt.datetime, workers: int = 1) -> SweepResult:
    from django.db import transaction

    from outbox.models import OutboundMail
    from reporting import notification_centre, reminders

    result = SweepResult()
    here = __name__

    # reporting.tasks.reminder_sweep: claim, list what is due.
    started, cpu, pg = time.perf_counter(), _cpu(), _postgres_cpu()
    with transaction.atomic():
        swept = reminders.sweep(clock=reminders.Clock(now=now), send=False)
        due = reminders.deliveries_due(now)
    result.stages.append(
        Stage(
            "reminder_sweep",
            time.perf_counter() - started,
            len(due),
            f"{len(swept.claimed)} claimed",
            cpu=_cpu() - cpu,
            postgres_cpu=_since(pg, _postgres_cpu()),
        )
    )

    # reporting.tasks.send_deliveries, one per batch of due rows: notices, mails into the outbox.
    started, cpu, pg = time.perf_counter(), _cpu(), _postgres_cpu()
    batches = _chunks(due, reminders.DELIVERY_BATCH)
    delivered = _in_workers(f"{here}._send_deliveries", batches, now, workers)
    result.stages.append(
        Stage(
            "send_delivery",
            time.perf_counter() - started,
            delivered,
            f"{len(batches)} batches of ≤ {reminders.DELIVERY_BATCH}",
            cpu=_cpu() - cpu,
            postgres_cpu=_since(pg, _postgres_cpu()),
        )
    )

    # reporting.tasks.notification_digests → send_digests per batch of people: one mail each.
    started, cpu, pg = time.perf_counter(), _cpu(), _postgres_cpu()
    batches = _chunks(notification_centre.digests_due_people(), notification_centre.DIGEST_BATCH)
    digests = _in_workers(f"{here}._send_digests", batches, now, workers)
    result.stages.append(
        Stage(
            "notification_digests",
            time.perf_counter() - started,
            digests,
            f"{len(batches)} batches of ≤ {notification_centre.DIGEST_BATCH} people",
            cpu=_cpu() - cpu,
            postgres_cpu=_since(pg, _postgres_cpu()),
        )
    )

    # outbox.tasks.send_outbound_batch: every worker claims batches until none is left.
    from outbox import services

    queued = OutboundMail.objects.filter(status=OutboundMail.Status.QUEUED).count()
    started, cpu, pg = time.perf_counter(), _cpu(), _postgres_cpu()
    sent = _in_workers(f"{here}._send_outbound", list(range(workers)), None, workers)
    result.stages.append(
        Stage(
            "send_outbound (SMTP)",
            time.perf_counter() - started,
            sent,
            f"{queued} queued, batches of ≤ {services.SEND_BATCH}, one SMTP connection each",
            cpu=_cpu() - cpu,
            postgres_cpu=_since(pg, _postgres_cpu()),
        )
    )

    result.claimed = delivered + digests
    result.outbox_sent = OutboundMail.objects.filter(status=OutboundMail.Status.SENT).count()
    return result


# --- The calendar feed ------------------------------------------------------------------------------


def feeds(count: int) -> dict:
    """p50/p95 of personal feeds of `count` people (built, then from the cache); rolled back."""
    from django.core.cache import cache
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from communities.models import Attendance
    from communities.services.calendar_tokens import calendar_token_issue
    from networks.models import User

    setup_test_environment(debug=False)
    client = Client()
    built, cached, sizes = [], [], []

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            invited = list(
                Attendance.objects.filter(invited=True, user__isnull=False, user__is_active=True)
                .order_by("user_id")
                .values_list("user_id", flat=True)
                .distinct()
            )
            step = max(1, len(invited) // count)
            people = list(User.objects.filter(pk__in=invited[::step][:count]).order_by("pk"))
            tokens = [calendar_token_issue(user=person) for person in people]
            cache.clear()
            client.get(reverse("reporting:calendar_feed", kwargs={"token": tokens[-1].token}))
            cache.clear()
            for token in tokens:
                address = reverse("reporting:calendar_feed", kwargs={"token": token.token})
                started = time.perf_counter()
                response = client.get(address)
                built.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
                sizes.append(response.content.count(b"BEGIN:VEVENT"))
                started = time.perf_counter()
                client.get(address)
                cached.append((time.perf_counter() - started) * 1000)
            raise Rollback
    except Rollback:
        pass
    return {
        "people": len(built),
        "entries_median": statistics.median(sizes),
        "entries_max": max(sizes),
        "built_p50": _percentile(built, 50),
        "built_p95": _percentile(built, 95),
        "cached_p50": _percentile(cached, 50),
        "cached_p95": _percentile(cached, 95),
    }


def _percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# --- The command ------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_NOTIFY_DATABASE_URL", DEFAULT_URL)
    )
    parser.add_argument(
        "--feeds-database-url", default=os.environ.get("BENCH_DATABASE_URL", FEEDS_URL)
    )
    parser.add_argument("--people", type=int, default=NATIONAL)
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1),
        help="worker processes (default: as CELERY_WORKER_CONCURRENCY, twice the cores)",
    )
    parser.add_argument("--feeds", type=int, default=200, help="people whose feed is measured")
    parser.add_argument("--feeds-only", action="store_true")
    parser.add_argument("--no-feeds", action="store_true")
    parser.add_argument(
        "--sink",
        choices=("lean", "aiosmtpd"),
        default="lean",
        help="the SMTP sink: the bench's lean one (default) or aiosmtpd's server",
    )
    return parser.parse_args()


def _fresh_database(url: str) -> None:
    """Drops and creates the PostgreSQL database of `url`: the bench's own, new for each run."""
    if not url.startswith("postgres"):
        return
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _peak_mb() -> tuple[float, float]:
    """The peak resident memory of this process and of its largest child, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main_feeds(args) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from standalone import setup_django

    setup_django(args.feeds_database_url)
    result = feeds(args.feeds)
    print(
        "FEEDS "
        + " ".join(
            f"{key}={value:.1f}" if isinstance(value, float) else f"{key}={value}"
            for key, value in result.items()
        )
    )


def main() -> None:
    args = parse_args()
    if args.feeds_only:
        main_feeds(args)
        return
    sink = sink_start(args.sink)
    try:
        os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{sink.port}"
        os.environ.setdefault("SITE_URL", "https://portal.example.ru")
        _fresh_database(args.database_url)
        from standalone import setup_django

        started = time.perf_counter()
        setup_django(args.database_url)
        migrated = time.perf_counter() - started
        from django.conf import settings

        point_mail_at(settings, sink.port)
        silence_queueing()
        now = clock_now()
        built = build(args.people, now)
        print(
            f"база {args.database_url.rsplit('/', 1)[-1]}: миграции {migrated:.1f} с; "
            f"{built.people} человек (приглашены на завтра {built.invited}, владельцы просроченных "
            f"решений {built.owners}, ежедневная сводка {built.digest_people} с "
            f"{built.digest_items} сообщениями) записаны за {built.seconds:.1f} с",
            flush=True,
        )
        # A worker process imports the URL configuration once, at its first reverse(); that
        # second of imports is not a cost per person, so it is paid before the clock starts
        # (the forked workers inherit it, as a warm Celery pool would have it).
        from django.urls import reverse

        reverse("reporting:preferences")
        sink_cpu_before = sink.cpu_seconds()
        result = run_sweep(now, workers=args.workers)
        time.sleep(0.5)  # the sink's last DATA is counted before its 250 reaches us; be sure
        sink_cpu = sink.cpu_seconds()
        if sink_cpu is not None and sink_cpu_before is not None:
            sink_cpu -= sink_cpu_before
        own, child = _peak_mb()
    finally:
        sink.stop()

    feed = None
    if not args.no_feeds:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--feeds-only",
                "--feeds",
                str(args.feeds),
                "--feeds-database-url",
                args.feeds_database_url,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        line = next((x for x in done.stdout.splitlines() if x.startswith("FEEDS ")), None)
        if line:
            feed = dict(item.split("=", 1) for item in line[6:].split())
        else:
            print("календарь: замер не удался\n" + done.stderr[-2000:])

    exact = sink.messages == result.claimed == result.outbox_sent and sink.distinct == sink.messages
    # The goal is for the national 300,000; a smaller run is scaled linearly (batches of rows).
    national = result.seconds * NATIONAL / built.people if built.people else 0.0
    met = exact and national <= GOAL_SECONDS
    if built.people >= NATIONAL:
        verdict = f"цель ≤ {GOAL_SECONDS} с: {'достигнута' if met else 'НЕ достигнута'}"
    else:
        verdict = (
            f"для {NATIONAL} человек ≈ {national:.0f} с (линейно): цель ≤ {GOAL_SECONDS} с "
            f"{'была бы достигнута' if met else 'НЕ достигнута'}"
        )
    print()
    print(
        f"Рассылка: {built.people} получателей, {args.workers} процесса-обработчика, "
        f"SMTP-приёмник {SINK_NAMES[sink.kind]} на 127.0.0.1:{sink.port}"
    )
    print()
    print(
        "| этап (задача Celery) | время, с | строк | на строку, мс | процессор, с | "
        "процессора на строку, мс | PostgreSQL, с | примечание |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for stage in result.stages:
        per = stage.seconds / stage.count * 1000 if stage.count else 0
        cpu_per = stage.cpu / stage.count * 1000 if stage.count else 0
        pg = "—" if stage.postgres_cpu is None else f"{stage.postgres_cpu:.1f}"
        print(
            f"| {stage.name} | {stage.seconds:.1f} | {stage.count} | {per:.2f} | "
            f"{stage.cpu:.1f} | {cpu_per:.2f} | {pg} | {stage.note} |"
        )
    cpu_total = sum(stage.cpu for stage in result.stages)
    pg_stages = [stage.postgres_cpu for stage in result.stages]
    pg_total = "—" if None in pg_stages else f"{sum(pg_stages):.1f}"
    print(
        f"| **всего** | **{result.seconds:.1f}** | | | {cpu_total:.1f} | | {pg_total} | {verdict} |"
    )
    print()
    print(
        f"Письма: заявлено {result.claimed}, в outbox отправлено {result.outbox_sent}, приёмник "
        f"насчитал {sink.messages} писем, {sink.recipients} получателей, {sink.distinct} разных "
        f"адресов — {'ровно по одному' if exact else 'НЕ СОВПАДАЕТ'}."
    )
    if sink_cpu is not None:
        per = sink_cpu / sink.messages * 1000 if sink.messages else 0
        print(
            f"Процессор приёмника за рассылку: {sink_cpu:.1f} с ({per:.2f} мс на письмо) — "
            "на тех же двух ядрах, что и рассылка."
        )
    print(f"Пик памяти: процесс замера {own:.0f} МБ, самый большой дочерний {child:.0f} МБ.")
    if feed:
        print()
        print("| календарь человека | p50, мс | p95, мс | цель ≤ 50 мс |")
        print("| --- | ---: | ---: | --- |")
        for label, key in (("собран заново", "built"), ("из кэша", "cached")):
            p50, p95 = float(feed[f"{key}_p50"]), float(feed[f"{key}_p95"])
            print(
                f"| {label} ({feed['people']} человек, записей: медиана "
                f"{feed['entries_median']}, до {feed['entries_max']}) | {p50:.1f} | {p95:.1f} | "
                f"{'да' if p95 <= FEED_GOAL_MS else 'нет'} |"
            )


if __name__ == "__main__":
    main()
