"""`make bench`: the portal at national scale, as its users get it (issues 8 and 19).

    .venv/bin/python devdata/bench/bench.py                 # everything, ≈ 15 min; prints ONE table
    .venv/bin/python devdata/bench/bench.py --pages home,structure --duration 5 --people 50 --no-tasks
    .venv/bin/python devdata/bench/bench.py --write         # …and put the table into docs/PERFORMANCE.md

Database: BENCH_DATABASE_URL (default postgres://portal_ci:portal_ci@127.0.0.1:5432/scale_dev).
The script creates it when missing, migrates it, and fills it with `generate_scale` when it has no
generated data (≈ 2 min).

Server: gunicorn with the production settings (config/settings/bench.py: DEBUG off, whitenoise,
persistent database connections; plain HTTP on 127.0.0.1) and 2 × nproc + 1 sync workers. Every
request builds its page: the portal has no page cache.

People (devdata/bench/people.py): --people distinct persons of the generated data (coordinators
and methodists of regions and municipalities, directors, teachers, curators), each signed in by a
session created directly in the database (django.contrib.sessions, as a sign-in stores it) with
the CSRF cookie a browser keeps; the sessions are deleted at the end. For each person the pages
they open (home, the structure list of their region, their structures, pair, plan, meeting and
minutes pages, the summary for methodists and coordinators of a region; a school's page and the
territory's table of ШНОР/ШССУ, issue 21) and each page's floor
(devdata/bench/urls.py: the same rows for the same person by one hand-written SQL query). Every
address is asked once first; those that do not answer 200 to their person are dropped.

Load: locust headless (devdata/bench/locustfile.py, FastHttpUser, no think time), --clients
clients; each request picks a person and one of their pages weighted like a working day. Meanwhile
devdata/bench/writes.py writes --writes times a second through the services, in the readers'
structures and regions (attendance, draft minutes, join requests, pair contacts, sign-ins), every
write committed; what they added is removed at the end. Runs: the mix of pages, the same mix sent
to the floors, the mix under --stress-writes; each kind of page alone at --clients clients, and
its floor (the ratio); each kind of page with ONE client (the latency a person feels). The client's
own CPU (user + sys ÷ wall of the locust process) is printed with every run.

Queries: each kind of page for up to 20 of its people, in this process with the Django test client
and CaptureQueriesContext on the same database; the table gives the largest count (the goal is
for every page) and the mean.

Tasks, in this process against the same database: the summary XLSX of the largest region
(reporting.summaries, as the worker runs it) with its peak of Python memory against a region of
about half as many structures; the reminder sweep (claiming) over ≥ 100,000 recipients and the
sending of what it claimed (locmem e-mail); ranking mentors for the director of the first region
among its candidates; the registry import of 40,000 lines (devdata/bench/bench_registry_import.py).
They run in transactions that are rolled back.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.parse
from collections import Counter, defaultdict
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://portal_ci:portal_ci@127.0.0.1:5432/scale_dev"
REGION_NAME = "Московская область"
ACCOUNTS = {
    "coordinator": "koordinator@scale.example.ru",
    "methodist": "metodist@scale.example.ru",
    "curator": "kurator@scale.example.ru",
    "director": "direktor@scale.example.ru",
}
TASK_NAMES = ["export", "sweep", "matching", "import"]
DOC = ROOT / "docs" / "PERFORMANCE.md"
MARK_BEGIN = "<!-- bench:begin -->"
MARK_END = "<!-- bench:end -->"
# The goals of issue 19.
GOAL_RATIO, GOAL_P95_MIX, GOAL_P95_ALONE, GOAL_QUERIES = 0.5, 200, 50, 15


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--people", type=int, default=200, help="distinct signed-in people")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument(
        "--mix-duration",
        type=float,
        default=60.0,
        help="seconds of the mix of pages (the floors' mix and the stress mix: half as long)",
    )
    parser.add_argument(
        "--duration", type=float, default=6.0, help="seconds per kind of page (and its floor)"
    )
    parser.add_argument(
        "--alone-duration", type=float, default=5.0, help="seconds per kind with one client"
    )
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before each measure")
    parser.add_argument("--writes", type=float, default=1.0, help="writes a second during runs")
    parser.add_argument(
        "--stress-writes",
        type=float,
        default=10.0,
        help="writes a second of the stress mix (0: none)",
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--pages",
        default="all",
        help="kinds of page: all, none, or e.g. home,structure,list,plan,meeting,minutes,pair,"
        "summary,school,territory (home: every home_<role>)",
    )
    parser.add_argument("--no-mix", action="store_true", help="only each kind alone")
    parser.add_argument(
        "--tasks", default=",".join(TASK_NAMES), help="which tasks (export,sweep,matching,import)"
    )
    parser.add_argument("--no-tasks", action="store_true", help="pages only")
    parser.add_argument("--import-lines", type=int, default=40_000)
    parser.add_argument(
        "--no-migrate",
        action="store_true",
        help="do not apply migrations (a shared database, others' migrations in the tree)",
    )
    parser.add_argument("--write", action="store_true", help="write the table into the doc")
    return parser.parse_args()


# --- The database ---------------------------------------------------------------------------------


def django_env(database_url: str, static_root: Path, media_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.bench",
        DATABASE_URL=database_url,
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_MEDIA_ROOT=str(media_root),
        PYTHONPATH=str(ROOT),
    )
    return env


def ensure_database(database_url: str, env: dict[str, str], *, migrate: bool = True) -> None:
    """Creates the database if it does not exist, migrates it, and generates the national-scale
    data into it when it has none."""
    import psycopg

    url = urllib.parse.urlsplit(database_url)
    name = url.path.lstrip("/")
    server = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"Создаю базу {name}…", flush=True)
            conn.execute(f'CREATE DATABASE "{name}"')
    manage = [PYTHON, str(ROOT / "manage.py")]
    if migrate:
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    with psycopg.connect(database_url) as conn:
        generated = conn.execute(
            "SELECT 1 FROM networks_user WHERE email = %s", [ACCOUNTS["coordinator"]]
        ).fetchone()
    if not generated:
        print("Генерирую данные национального масштаба (generate_scale, ≈ 2 мин)…", flush=True)
        subprocess.run([*manage, "generate_scale"], env=env, check=True)


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))
    import django

    django.setup()


# --- The people and their pages -------------------------------------------------------------------


def wanted_kinds(spec: str) -> list[str]:
    from people import KINDS

    if spec == "all":
        return list(KINDS)
    names = [n for n in spec.split(",") if n and n != "none"]
    kinds = [k for k in KINDS if k in names or (k.startswith("home_") and "home" in names)]
    unknown = [n for n in names if n != "home" and n not in KINDS]
    if unknown:
        sys.exit(f"Неизвестные страницы: {', '.join(unknown)} (есть: home, {', '.join(KINDS)})")
    return kinds


def sign_in(people) -> None:
    """A session per person, as django.contrib.auth.login() would store it, and the CSRF cookie
    a browser has after its first page."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string

    from networks.models import User

    users = User.objects.in_bulk([p.user_id for p in people])
    for person in people:
        user = users[person.user_id]
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        person.cookie = (
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={get_random_string(32)}"
        )


def session_key(cookie: str) -> str:
    return cookie.split(";")[0].split("=", 1)[1]


def sign_out(people) -> None:
    from django.contrib.sessions.models import Session

    keys = [session_key(p.cookie) for p in people if p.cookie]
    Session.objects.filter(session_key__in=keys).delete()


def check_pages(port: int, people, kinds: list[str], workers: int) -> dict[str, Counter]:
    """Asks every page once for its person (and the first floors of each kind); drops the pages
    that do not answer 200, and the kinds the run does not measure. Returns kept/dropped counts."""
    from concurrent.futures import ThreadPoolExecutor

    jobs = []
    floors_checked: Counter = Counter()
    for person in people:
        person.pages = {k: v for k, v in person.pages.items() if k in kinds}
        for kind, pages in person.pages.items():
            for url, floor in pages:
                check_floor = floors_checked[kind] < 3
                floors_checked[kind] += check_floor
                jobs.append((person, kind, url, floor, check_floor))

    def ask(job):
        person, _kind, url, floor, check_floor = job
        status = request_once(port, url, person.cookie)[0]
        floor_status = request_once(port, floor, person.cookie)[0] if check_floor else 200
        return status, floor_status

    with ThreadPoolExecutor(max(2, workers)) as pool:
        answers = list(pool.map(ask, jobs))
    counts: dict[str, Counter] = defaultdict(Counter)
    bad: dict[tuple, list] = defaultdict(list)
    for (person, kind, url, floor, _c), (status, floor_status) in zip(jobs, answers, strict=True):
        if status == 200 and floor_status == 200:
            counts[kind]["kept"] += 1
        else:
            counts[kind][f"HTTP {status}/{floor_status}"] += 1
            bad[(person.user_id, kind)].append((url, floor))
            if floor_status != 200:
                print(f"    пол не ответил: {floor} → {floor_status}", flush=True)
    for person in people:
        for kind in list(person.pages):
            dropped = bad.get((person.user_id, kind), [])
            person.pages[kind] = [p for p in person.pages[kind] if p not in dropped]
            if not person.pages[kind]:
                del person.pages[kind]
    return counts


QUERIES_PEOPLE = 20


@dataclass
class QueryCount:
    """The queries of one kind of page over the first QUERIES_PEOPLE people who have it: the
    goal holds for every page, so the table gives the largest with the mean beside it (one
    person's page once showed 17 for the coordinator's home, where others took up to 21)."""

    counts: list[int]
    worst_url: str

    @property
    def worst(self) -> int:
        return max(self.counts) if self.counts else -1

    @property
    def mean(self) -> float:
        return sum(self.counts) / len(self.counts) if self.counts else 0.0


def count_queries(people, kinds: list[str]) -> dict[str, QueryCount]:
    """Each kind of page for up to QUERIES_PEOPLE of its people (each page's second request:
    the first may fill per-process caches), with the Django test client on the bench's
    database. A page that does not answer 200 counts as -1."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    with suppress(RuntimeError):  # the response's templates and context, as in tests
        setup_test_environment()
    found = {}
    for kind in kinds:
        counted = QueryCount([], "")
        for person in [p for p in people if p.pages.get(kind)][:QUERIES_PEOPLE]:
            url = person.pages[kind][0][0]
            client = Client(HTTP_HOST="localhost")
            client.cookies[settings.SESSION_COOKIE_NAME] = session_key(person.cookie)
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            n = len(queries) if response.status_code == 200 else -1
            if not counted.counts or n > counted.worst or n < 0:
                counted.worst_url = url
            counted.counts.append(n)
        if counted.counts:
            found[kind] = counted
    return found


# --- gunicorn and the load ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], workers: int):
    port = free_port()
    log_path = Path(tempfile.gettempdir()) / f"bench-gunicorn-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "120",
                "--backlog",
                "256",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    status, _ = request_once(port, "/healthz", "")
                    if status == 200:
                        break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"gunicorn не запустился, журнал: {log_path}")
                time.sleep(0.3)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=30)
    log_path.unlink()  # kept when something went wrong


def request_once(port: int, path: str, cookie: str) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "localhost"})
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        conn.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


@dataclass
class Load:
    """One locust run: latencies (ms) by kind over the measured window."""

    seconds: float
    client_cpu: float  # seconds of the locust process's CPU over the window
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)
    writes: object = None  # writes.Done of the run

    def all(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]

    def throughput(self, kind: str | None = None) -> float:
        n = len(self.all()) if kind is None else len(self.latencies.get(kind, []))
        return n / self.seconds if self.seconds else 0.0

    def p(self, q: float, kind: str | None = None) -> float:
        return percentile(self.all() if kind is None else self.latencies.get(kind, []), q)

    @property
    def cpu_share(self) -> float:
        return self.client_cpu / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        errors = sum(self.errors.values())
        writes = self.writes
        wrote = (
            f"; записей {writes.per_second:.1f}/с ({writes.total}"
            + (f", отказано {sum(writes.refused.values())}" if writes.refused else "")
            + (
                f", сбоев {sum(writes.failed.values())}: {writes.last_error}"
                if writes.failed
                else ""
            )
            + ")"
            if writes is not None and writes.seconds
            else ""
        )
        return (
            f"{self.throughput():.1f} запросов/с, p50 {self.p(0.5):.0f} мс, p95 {self.p(0.95):.0f} мс"
            f"{f', ошибок {errors}' if errors else ''}{wrote}; ЦП клиента {self.cpu_share:.0%} ядра"
        )


def run_locust(port, plan_path, workdir, *, kinds, target, clients, seconds, warmup) -> Load:
    """One headless locust run; its recorded answers read back from its output file."""
    out = Path(workdir) / "locust-out.json"
    out.unlink(missing_ok=True)
    env = dict(os.environ)
    env.update(
        BENCH_PLAN=str(plan_path),
        BENCH_OUT=str(out),
        BENCH_TARGET=target,
        BENCH_KINDS=",".join(kinds),
        BENCH_WARMUP=str(warmup),
        BENCH_DURATION=str(seconds),
    )
    command = [
        str(Path(PYTHON).parent / "locust"),
        "-f",
        str(BENCH / "locustfile.py"),
        "--headless",
        "--only-summary",
        "-u",
        str(clients),
        "-r",
        str(clients),
        "-t",
        f"{warmup + seconds + 1:.0f}s",
        "--stop-timeout",
        "0",
        "--host",
        f"http://127.0.0.1:{port}",
        "--loglevel",
        "WARNING",
    ]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if not out.exists():
        sys.exit(
            f"locust не записал результат:\n{completed.stdout[-3000:]}{completed.stderr[-3000:]}"
        )
    found = json.loads(out.read_text(encoding="utf-8"))
    load = Load(found["seconds"], found["client_cpu_seconds"])
    for kind, latency, status in found["records"]:
        if status == 200:
            load.latencies.setdefault(kind, []).append(latency)
        else:
            load.errors[kind] += 1
    return load


@dataclass
class Results:
    kinds: list[str]
    counts: dict[str, Counter] = field(default_factory=dict)
    queries: dict[str, QueryCount] = field(default_factory=dict)
    mix: Load | None = None
    floor_mix: Load | None = None
    stress: Load | None = None
    page: dict[str, Load] = field(default_factory=dict)
    floor: dict[str, Load] = field(default_factory=dict)
    alone: dict[str, Load] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    writer_sizes: dict[str, int] = field(default_factory=dict)
    counter_differences: int | None = None


def bench_pages(port, people, kinds, writer, workdir, args) -> Results:
    from people import WEIGHTS

    results = Results(kinds)
    plan_path = Path(workdir) / "plan.json"
    plan_path.write_text(
        json.dumps(
            {
                "weights": {k: WEIGHTS["home" if k.startswith("home_") else k] for k in kinds},
                "people": [{"cookie": p.cookie, "pages": p.pages} for p in people if p.pages],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )

    def run(label, *, kinds, target="page", clients=args.clients, seconds, rate=args.writes):
        with writer.run(rate) as done:
            load = run_locust(
                port,
                plan_path,
                workdir,
                kinds=kinds,
                target=target,
                clients=clients,
                seconds=seconds,
                warmup=args.warmup,
            )
        load.writes = done
        print(f"  {label:34} {load.line()}", flush=True)
        return load

    if not args.no_mix:
        results.mix = run("смесь страниц", kinds=kinds, seconds=args.mix_duration)
        results.floor_mix = run(
            "та же смесь полов", kinds=kinds, target="floor", seconds=args.mix_duration / 2
        )
        if args.stress_writes > 0:
            results.stress = run(
                f"смесь страниц, записей в секунду: {args.stress_writes:g}",
                kinds=kinds,
                seconds=args.mix_duration / 2,
                rate=args.stress_writes,
            )
    for kind in kinds:
        results.page[kind] = run(f"{kind}: страница", kinds=[kind], seconds=args.duration)
        results.floor[kind] = run(
            f"{kind}: пол", kinds=[kind], target="floor", seconds=args.duration
        )
        results.alone[kind] = run(
            f"{kind}: один клиент", kinds=[kind], clients=1, seconds=args.alone_duration
        )
    return results


# --- The tasks ------------------------------------------------------------------------------------


def task_context() -> dict:
    """The fixed accounts of generate_scale and the region the tasks work on."""
    from networks.models import Region, User
    from networks.schoolyear import SchoolYear

    return {
        "users": {k: User.objects.get(email=e) for k, e in ACCOUNTS.items()},
        "region": Region.objects.get(name=REGION_NAME),
        "year": SchoolYear.current(),
    }


class Rollback(Exception):
    pass


@contextmanager
def thrown_away():
    """Runs the block in a transaction that is rolled back: the database stays as it was."""
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


@dataclass
class TaskResult:
    name: str
    value: str
    goal: str
    ok: bool
    notes: list[str] = field(default_factory=list)


def queries_ru(n: int) -> str:
    """«1 запрос», «4 запроса», «5 запросов» (the Russian plural forms)."""
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} запрос"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} запроса"
    return f"{n} запросов"


def bench_export(context) -> TaskResult:
    """The summary XLSX of the first region as the worker writes it; the same under tracemalloc
    for its peak, and a region with about half as many structures for comparison."""
    from bench_summary_export import counting, export
    from django.db.models import Count, Q

    from networks.models import Region, Structure
    from reporting.summaries.selectors import SummaryScope, ordered_ids

    year = context["year"]
    big = context["region"]
    count = len(ordered_ids(SummaryScope(year, big)))
    sizes = (
        Region.objects.annotate(
            n=Count("structures", filter=Q(structures__in=Structure.objects.active_in(year)))
        )
        .exclude(pk=big.pk)
        .values_list("pk", "n")
    )
    half_pk = min(sizes, key=lambda pair: abs(pair[1] - count // 2))[0]
    half = Region.objects.get(pk=half_pk)
    methodist = context["users"]["methodist"]
    found = {}
    for region in (big, half):
        with thrown_away():
            from networks.models import TerritoryRole

            if region != big:
                TerritoryRole.objects.create(user=methodist, role="methodist", region=region)
            job, seconds, queries = counting(lambda region=region: _export(export, region, year))
            tracemalloc.start()
            _export(export, region, year)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            found[region.pk] = (job.total, seconds, queries, peak)
    total, seconds, queries, peak = found[big.pk]
    half_total, _s, _q, half_peak = found[half.pk]
    return TaskResult(
        "Выгрузка сводки региона (XLSX)",
        f"{total} структур: {seconds:.1f} с, {queries_ru(queries)}; пик памяти "
        f"{peak / 2**20:.1f} МБ (при {half_total} структурах — {half_peak / 2**20:.1f} МБ)",
        "≤ 2 с, память не растёт",
        seconds <= 2 and peak <= half_peak * 1.5,
    )


def _export(export, region, year):
    # bench_summary_export.export() is written for its fixed year; the same steps for ours.
    from networks.models import User
    from reporting.models import ExportJob
    from reporting.summaries import services
    from reporting.summaries.selectors import SummaryScope

    requester = User.objects.get(email=ACCOUNTS["methodist"])
    job = ExportJob.objects.create(
        exporter="summary",
        file_format="xlsx",
        params=SummaryScope(year, region).params(),
        requested_by=requester,
    )
    job = services.export_job_run(job_id=job.pk)
    assert job.status == "done", job.error
    return job


def bench_sweep(context, recipients_wanted: int = 100_000) -> TaskResult:
    """A deadline due in a week for every current member of the biggest kinds (a rule made for
    the benchmark, thrown away afterwards), so that the sweep has ≥ 100,000 reminders to claim;
    then the sending of what it claimed, with the locmem e-mail backend."""
    import datetime as dt

    from django.core import mail
    from django.db.models import Count
    from django.test.utils import override_settings
    from django.utils import timezone

    from networks.models import Membership
    from reporting import reminders
    from reporting.models import Deadline, DeadlineRule, Delivery

    year = context["year"]
    now = timezone.now()
    due_on = timezone.localdate() + dt.timedelta(days=7)
    by_kind = (
        Membership.objects.current()
        .filter(structure__closed_on__isnull=True, structure__parent__isnull=True)
        .values("structure__kind_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    with thrown_away():
        total_members, rules = 0, []
        for row in by_kind:
            rule = DeadlineRule.objects.create(
                title=f"Замер: отчёт участника ({row['structure__kind_id']})",
                kind_id=row["structure__kind_id"],
                deliverable="report",
                deliverer_role="member",
                due_month=due_on.month,
                due_day=due_on.day,
                mandatory=True,
            )
            rules.append(rule)
            total_members += row["n"]
            if total_members >= recipients_wanted * 1.2:
                break
        _instantiate(rules, year, due_on)
        claimed_at = time.perf_counter()
        result = reminders.sweep(clock=reminders.Clock(now=now), send=False)
        claim_seconds = time.perf_counter() - claimed_at
        claimed = len(result.claimed)
        mine = list(
            Delivery.objects.filter(deadline__rule__in=rules).values_list("pk", flat=True)[:2000]
        )
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            sent_at = time.perf_counter()
            # As the worker sends them: in batches of 500 (reporting.tasks.send_deliveries).
            for start in range(0, len(mine), 500):
                reminders.deliveries_send(ids=mine[start : start + 500], now=now)
            send_seconds = time.perf_counter() - sent_at
            sent = len(mail.outbox)
        _ = Deadline  # the thrown-away transaction removes the rules, deadlines and deliveries
    per_send = send_seconds / max(sent, 1)
    return TaskResult(
        "Рассылка напоминаний (sweep)",
        f"{claimed} получателей: отбор и запись {claim_seconds:.1f} с; отправка "
        f"{per_send * 1000:.1f} мс на письмо (замер на {sent}) — {claimed * per_send:.0f} с "
        "одним процессом",
        "≤ 30 с",
        claim_seconds <= 30,
    )


def _instantiate(rules, year, due_on) -> None:
    """deadlines_instantiate() for the benchmark's rules only, due on `due_on`."""
    from networks.models import Structure
    from reporting.models import Deadline

    for rule in rules:
        ids = (
            Structure.objects.active_in(year)
            .filter(parent__isnull=True, kind_id=rule.kind_id, closed_on__isnull=True)
            .values_list("pk", flat=True)
        )
        Deadline.objects.bulk_create(
            [
                Deadline(rule=rule, structure_id=pk, school_year=year.start, due_on=due_on)
                for pk in ids
            ],
            batch_size=5000,
        )


def bench_matching(context, runs: int = 15) -> TaskResult:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentoring.selectors.pairs import rank_mentors
    from networks.models import User

    mentee = User.objects.select_related("organisation").get(email=ACCOUNTS["director"])
    year = context["year"].start
    rank_mentors(mentee=mentee, school_year=year)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        ranked = rank_mentors(mentee=mentee, school_year=year)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        rank_mentors(mentee=mentee, school_year=year)
    median = statistics.median(timings)
    return TaskResult(
        "Подбор наставника (rank_mentors)",
        f"{median:.0f} мс (медиана {runs} прогонов, {queries_ru(len(ctx.captured_queries))}, "
        f"показано {len(ranked)}; кандидатов в регионе {context['candidates']})",
        "≤ 100 мс",
        median <= 100,
    )


def candidates_in_region(context) -> int:
    from django.db.models import Exists, OuterRef

    from mentoring.models import Competence
    from mentoring.selectors.pairs import PARTNER_KINDS
    from networks.models import OrganisationStatus, SchoolStatus, User

    shnor = OrganisationStatus.objects.filter(
        organisation=OuterRef("organisation_id"),
        school_year=context["year"].start,
        status=SchoolStatus.SHNOR,
    )
    strengths = Competence.objects.filter(user=OuterRef("pk"), side=Competence.Side.STRENGTH)
    return (
        User.objects.filter(
            is_active=True,
            organisation__region=context["region"],
            organisation__kind__in=PARTNER_KINDS,
        )
        .filter(Exists(strengths))
        .exclude(Exists(shnor))
        .count()
    )


def bench_import(lines: int) -> TaskResult:
    import bench_registry_import

    with thrown_away():
        results = bench_registry_import.run(lines)
    first = results[0][1] + results[1][1]
    again = results[2][1] + results[3][1]
    return TaskResult(
        "Загрузка реестра (CSV, Windows-1251)",
        f"{lines} строк: проверка {results[0][1]:.1f} с + загрузка {results[1][1]:.1f} с = "
        f"{first:.1f} с; тот же файл ещё раз {again:.1f} с",
        "≤ 10 с",
        first <= 10,
    )


# --- The table ------------------------------------------------------------------------------------


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0].split()[0]
    memory = ""
    try:
        total = next(
            line for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line
        )
        kilobytes = int(re.findall(r"\d+", total)[0])
        memory = f"{kilobytes / 2**20:.0f} ГБ памяти"
    except (OSError, StopIteration):
        pass
    cpu = ""
    with suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    return (
        f"{os.cpu_count()} ядра (`nproc`){f', {cpu}' if cpu else ''}, {memory}, "
        f"Python {platform.python_version()}, PostgreSQL {pg} на той же машине"
    )


def yes(ok: bool) -> str:
    return "да" if ok else "нет"


def table(results: Results | None, tasks: list[TaskResult], args) -> str:
    from people import KINDS

    lines: list[str] = []
    if results is not None:
        r = results
        lines += [
            "| страница | адресов | запросов к БД: наибольшее (среднее) | в смеси: запросов/с | p50, мс | p95, мс "
            "| пол в смеси: p95, мс | отдельно: запросов/с | пол: запросов/с | доля от пола "
            "| один клиент: p50, мс | p95, мс | цели: доля / p95 смеси / p95 одного / запросы |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
            "| --- |",
        ]
        for kind in [k for k in KINDS if k in r.kinds]:
            counted = r.queries.get(kind)
            queries = -1 if counted is None or min(counted.counts) < 0 else counted.worst
            page, floor, alone = r.page.get(kind), r.floor.get(kind), r.alone.get(kind)
            ratio = (
                page.throughput() / floor.throughput()
                if page and floor and floor.throughput()
                else 0
            )
            mix_p95 = r.mix.p(0.95, kind) if r.mix else 0
            goals = [
                ratio >= GOAL_RATIO,
                bool(r.mix and r.mix.latencies.get(kind)) and mix_p95 <= GOAL_P95_MIX,
                bool(alone and alone.all()) and alone.p(0.95) <= GOAL_P95_ALONE,
                0 < queries <= GOAL_QUERIES,
            ]
            errors = sum(x.errors[kind] for x in (r.mix, page, floor, alone) if x)
            lines.append(
                f"| {kind}{f' (ошибок: {errors})' if errors else ''} "
                f"| {r.counts.get(kind, Counter())['kept']} "
                f"| {queries} ({counted.mean if counted else 0:.1f}) "
                f"| {r.mix.throughput(kind) if r.mix else 0:.1f} "
                f"| {r.mix.p(0.5, kind) if r.mix else 0:.0f} | {mix_p95:.0f} "
                f"| {r.floor_mix.p(0.95, kind) if r.floor_mix else 0:.0f} "
                f"| {page.throughput() if page else 0:.1f} | {floor.throughput() if floor else 0:.1f} "
                f"| {ratio:.0%} | {alone.p(0.5) if alone else 0:.0f} "
                f"| {alone.p(0.95) if alone else 0:.0f} "
                f"| {' / '.join(yes(g) for g in goals)} |"
            )
        lines.append("")
        for label, load in (
            (f"Смесь страниц (записей в секунду: {args.writes:g})", r.mix),
            ("Та же смесь полов", r.floor_mix),
            (f"Смесь страниц под нагрузкой записи ({args.stress_writes:g}/с)", r.stress),
        ):
            if load is not None:
                lines.append(f"- {label}: {load.line()}.")
        if r.mix and r.floor_mix and r.floor_mix.throughput():
            share = r.mix.throughput() / r.floor_mix.throughput()
            mix_ok = r.mix.p(0.95) <= GOAL_P95_MIX
            lines.append(
                f"- Смесь страниц от смеси полов: {share:.0%}; p95 смеси ≤ {GOAL_P95_MIX} мс: "
                f"{yes(mix_ok)}."
            )
        cpu = max(
            (
                x.cpu_share
                for x in [r.mix, r.floor_mix, r.stress, *r.page.values(), *r.floor.values()]
                if x
            ),
            default=0,
        )
        lines.append(
            f"- Клиент (locust, один процесс): не больше {cpu:.0%} одного ядра в любом прогоне."
        )
        if r.writer_sizes:
            lines.append(
                "- Записи (по кругу): отметка присутствия, черновик протокола, заявка на "
                "вступление, контакт пары, вход, черновик отчёта, новый участник; кандидатов "
                + ", ".join(f"{k} {v}" for k, v in r.writer_sizes.items())
                + "; удалено после замера: "
                + ", ".join(f"{k} {v}" for k, v in r.removed.items())
                + "."
            )
        if r.counter_differences is not None:
            lines.append(
                "- Счётчики, которые ведут сервисы, после всех записей замера: расхождений с "
                f"пересчётом по базовым таблицам {r.counter_differences}."
            )
    if tasks:
        lines += ["", "| задача | результат | цель | достигнута |", "| --- | --- | --- | --- |"]
        lines += [f"| {t.name} | {t.value} | {t.goal} | {yes(t.ok)} |" for t in tasks]
    if results is not None:
        lines += [
            "",
            f"{args.people} человек, {args.clients} одновременных клиентов (locust), смесь "
            f"страниц {args.mix_duration:.0f} с, смесь полов и смесь под нагрузкой записи по "
            f"{args.mix_duration / 2:.0f} с, каждая страница и её пол отдельно по {args.duration:.0f} с, "
            f"один клиент по {args.alone_duration:.0f} с, каждый замер после {args.warmup:.0f} с "
            f"разогрева; gunicorn, {args.workers} sync-процессов; каждая страница строится при "
            f"каждом запросе. Цели: не меньше {GOAL_RATIO:.0%} пропускной способности своего пола, "
            f"p95 ≤ {GOAL_P95_MIX} мс в смеси с записью, p95 ≤ {GOAL_P95_ALONE} мс одним клиентом, "
            f"не больше {GOAL_QUERIES} запросов к БД.",
        ]
    return "\n".join(lines)


def write_doc(text: str, header: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    block = f"{MARK_BEGIN}\n{header}\n\n{text}\n{MARK_END}"
    if MARK_BEGIN in doc:
        doc = re.sub(
            re.escape(MARK_BEGIN) + ".*?" + re.escape(MARK_END), lambda _m: block, doc, flags=re.S
        )
    else:
        doc = doc.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(doc, encoding="utf-8")


def main() -> None:
    began = time.monotonic()
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    env = django_env(args.database_url, ROOT / "var" / "bench-static", workdir / "media")
    try:
        ensure_database(args.database_url, env, migrate=not args.no_migrate)
        subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
            env=env,
            check=True,
        )
        setup_django(env)
        kinds = wanted_kinds(args.pages) if args.pages != "none" else []
        header = f"Машина: {machine()}.\n\nКоманда: `make bench` (`.venv/bin/python devdata/bench/bench.py`)."
        print(header.replace("`", ""), flush=True)
        results = None
        if kinds:
            results = run_pages(env, kinds, workdir, args)
        tasks = []
        if not args.no_tasks:
            context = task_context()
            context["candidates"] = candidates_in_region(context)
            steps = {
                "export": bench_export,
                "sweep": bench_sweep,
                "matching": bench_matching,
                "import": lambda _context: bench_import(args.import_lines),
            }
            for name in [t for t in args.tasks.split(",") if t in steps]:
                print(f"  задача: {name}…", flush=True)
                tasks.append(steps[name](context))
                print(f"    {tasks[-1].value}", flush=True)
        text = table(results, tasks, args)
        print()
        print(text)
        print(f"\nЗамер занял {(time.monotonic() - began) / 60:.1f} мин.")
        if args.write:
            write_doc(text, header)
            print(f"\nТаблица записана в {DOC.relative_to(ROOT)}.")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run_pages(env, kinds, workdir, args) -> Results:
    import people as bench_people
    from writes import Writer, counter_differences

    started = time.monotonic()
    chosen = bench_people.choose(args.people)
    bench_people.plan_pages(chosen)
    roles = Counter(p.role for p in chosen)
    print(
        f"Люди: {len(chosen)} ("
        + ", ".join(f"{role} {n}" for role, n in roles.items())
        + f"), страницы найдены за {time.monotonic() - started:.0f} с",
        flush=True,
    )
    # The writes go to the structures, pairs and regions of all the people's pages, measured or not.
    started = time.monotonic()
    writer, removed = Writer(chosen), {}
    print(
        "Кандидаты записей: "
        + ", ".join(f"{k} {v}" for k, v in writer.sizes().items())
        + f" (за {time.monotonic() - started:.0f} с)",
        flush=True,
    )
    sign_in(chosen)
    try:
        with gunicorn(env, args.workers) as port:
            started = time.monotonic()
            counts = check_pages(port, chosen, kinds, args.workers)
            print(f"Адреса проверены за {time.monotonic() - started:.0f} с:", flush=True)
            for kind in kinds:
                found = counts.get(kind, Counter())
                dropped = ", ".join(f"{k} {v}" for k, v in found.items() if k != "kept")
                print(
                    f"  {kind:18} {found['kept']:4} адресов"
                    + (f" (отброшены: {dropped})" if dropped else ""),
                    flush=True,
                )
            kinds = [k for k in kinds if counts.get(k, Counter())["kept"]]
            queries = count_queries(chosen, kinds)
            print(
                f"Запросов к БД на страницу (тестовый клиент, до {QUERIES_PEOPLE} человек "
                "вида): наибольшее, среднее, адрес с наибольшим:",
                flush=True,
            )
            for kind, counted in queries.items():
                print(
                    f"  {kind:18} {counted.worst:3} {counted.mean:5.1f}  {counted.worst_url}",
                    flush=True,
                )
            print(f"Замеры ({args.clients} клиентов, записей {args.writes:g}/с):", flush=True)
            results = bench_pages(port, chosen, kinds, writer, workdir, args)
            results.counts, results.queries = counts, queries
            results.writer_sizes = writer.sizes()
            started = time.monotonic()
            results.counter_differences = counter_differences()
            if results.counter_differences is not None:
                print(
                    "Счётчики после записи: расхождений с пересчётом по базовым таблицам "
                    f"{results.counter_differences} (за {time.monotonic() - started:.0f} с)",
                    flush=True,
                )
    finally:
        removed = writer.undo()
        if removed:
            print(
                "Удалено записанное замером: " + ", ".join(f"{k} {v}" for k, v in removed.items()),
                flush=True,
            )
        sign_out(chosen)
    results.removed = removed
    return results


if __name__ == "__main__":
    main()
