"""`make bench`: the portal at national scale, measured side by side with its floor (issue 8).

    .venv/bin/python devdata/bench/bench.py                 # everything, ≈ 15 min; prints ONE table
    .venv/bin/python devdata/bench/bench.py --pages list,pair --duration 5 --no-tasks
    .venv/bin/python devdata/bench/bench.py --write         # …and put the table into docs/PERFORMANCE.md

Database: BENCH_DATABASE_URL (default postgres://portal_ci:portal_ci@127.0.0.1:5432/scale_dev).
The script creates it when missing, migrates it, and fills it with `generate_scale` when it has no
generated data (≈ 2 min). Nothing it measures stays in the database: the tasks run in transactions
that are rolled back, and the sessions it creates are deleted at the end.

Pages: gunicorn with the production settings (config/settings/bench.py: DEBUG off, whitenoise,
persistent database connections, the page cache in Redis at CACHE_URL; plain HTTP on 127.0.0.1)
and 2 × nproc + 1 sync workers, the number gunicorn's documentation suggests. Sync, not gthread:
every page is CPU-bound Python plus PostgreSQL round trips, and threads in one process would share
one GIL. The fixed accounts of generate_scale are signed in by creating their sessions directly
(django.contrib.sessions), as a sign-in would, with the CSRF cookie a browser keeps. For each main
page and its floor (devdata/bench/urls.py: the same rows by one hand-written query and a minimal
template), 20 client threads with http.client send requests back to back for a warm-up, then for
--duration seconds; the table shows requests per second, the 95th percentile of latency, and
page ÷ floor. Each page is measured as served (from the page cache, networks/pagecache.py), built on
every request (a second gunicorn with PAGE_CACHE_SECONDS=0), and served while --churn memberships a
second are written elsewhere (each write renews every page). A sync worker closes the connection
after each answer, so each request opens a new one (cheap on the loopback, and the same for all).

Tasks, in this process against the same database: the summary XLSX of the largest region
(reporting.summaries, as the worker runs it) with its peak of Python memory against a region of
about half as many structures; the reminder sweep (claiming) over ≥ 100,000 recipients and the
sending of what it claimed (locmem e-mail); ranking mentors for the director of the first region
among its candidates; the registry import of 40,000 lines (devdata/bench/bench_registry_import.py).
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.parse
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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
PAGE_NAMES = ["list", "detail", "coordinator", "director", "methodist", "summary", "pair"]
DOC = ROOT / "docs" / "PERFORMANCE.md"
MARK_BEGIN = "<!-- bench:begin -->"
MARK_END = "<!-- bench:end -->"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per page")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before each measure")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--pages", default=",".join(PAGE_NAMES), help="which pages, or none")
    parser.add_argument(
        "--tasks", default=",".join(TASK_NAMES), help="which tasks (export,sweep,matching,import)"
    )
    parser.add_argument("--no-tasks", action="store_true", help="pages only")
    parser.add_argument(
        "--churn",
        type=float,
        default=1.0,
        help="also measure each cached page while this many memberships per second are written "
        "(0: not)",
    )
    parser.add_argument("--import-lines", type=int, default=40_000)
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


def ensure_database(database_url: str, env: dict[str, str]) -> None:
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
    sys.path.insert(0, str(ROOT / "devdata" / "bench"))
    import django

    django.setup()


# --- What the pages are about ---------------------------------------------------------------------


@dataclass
class Target:
    name: str
    title: str
    account: str
    url: str
    floor: str
    cookie: str = ""


def targets() -> tuple[list[Target], dict]:
    """The main pages for the fixed accounts, found in the generated data, and their floors."""
    from django.db.models import Count

    from mentoring.selectors.pairs import DEFAULT_SETTINGS, mentoring_settings
    from networks.models import Membership, Region, Structure, StructureKind, User
    from networks.schoolyear import SchoolYear

    region = Region.objects.get(name=REGION_NAME)
    year = SchoolYear.current()
    users = {k: User.objects.get(email=e) for k, e in ACCOUNTS.items()}
    pair_id = (
        Membership.objects.filter(
            user=users["director"],
            until__isnull=True,
            structure__kind__is_pair=True,
            structure__closed_on__isnull=True,
        )
        .order_by("structure_id")
        .values_list("structure_id", flat=True)
        .first()
    )
    s5 = (
        Structure.objects.filter(kind__code="S5", region=region)
        .annotate(n=Count("memberships"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    kind = StructureKind.objects.get(code="S5").pk
    days = (mentoring_settings(region.pk) or DEFAULT_SETTINGS).dormant_after_days
    import datetime as dt

    dormant = (dt.date.today() - dt.timedelta(days=days)).isoformat()
    filters = urllib.parse.urlencode(
        {"region": region.pk, "kind": kind, "year": year.start, "q": "школ"}
    )
    summary = urllib.parse.urlencode({"region": region.pk, "year": year.start})
    pages = [
        Target(
            "list",
            "Список структур (регион, вид S5, год, «школ»)",
            "coordinator",
            f"/structures/?{filters}",
            f"/bench-floor/structures/?{filters}",
        ),
        Target(
            "detail",
            f"Страница структуры (самое большое S5, id {s5})",
            "coordinator",
            f"/structures/{s5}/",
            f"/bench-floor/structures/{s5}/",
        ),
        Target(
            "coordinator",
            "Главная координатора региона",
            "coordinator",
            "/",
            f"/bench-floor/home/?dormant={dormant}",
        ),
        Target(
            "director",
            "Главная директора",
            "director",
            "/",
            f"/bench-floor/home/?dormant={dormant}",
        ),
        Target(
            "methodist",
            "Главная методиста региона",
            "methodist",
            "/",
            f"/bench-floor/home/?dormant={dormant}",
        ),
        Target(
            "summary",
            "Сводка методиста (регион, текущий год)",
            "methodist",
            f"/summaries/?{summary}",
            f"/bench-floor/summary/?{summary}",
        ),
        Target(
            "pair",
            f"Страница пары директора (куратор, id {pair_id})",
            "curator",
            f"/mentoring/pairs/{pair_id}/",
            f"/bench-floor/pairs/{pair_id}/",
        ),
    ]
    return pages, {"users": users, "region": region, "year": year, "pair_id": pair_id}


def sign_in(users: dict) -> dict[str, str]:
    """A session per account, as django.contrib.auth.login() would store it, and the CSRF cookie a
    browser has after its first page (the cached pages are per browser: they hold its token)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string

    cookies = {}
    for key, user in users.items():
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[key] = (
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={get_random_string(32)}"
        )
    return cookies


def sign_out(cookies: dict[str, str]) -> None:
    from django.contrib.sessions.models import Session

    keys = [c.split(";")[0].split("=", 1)[1] for c in cookies.values()]
    Session.objects.filter(session_key__in=keys).delete()


def clear_page_cache() -> None:
    """The shared cache (CACHE_URL, Redis database 1 by default) starts empty; Redis must run."""
    from django.conf import settings
    from django.core.cache import cache

    try:
        cache.clear()
    except Exception as error:  # any client error says the same
        sys.exit(f"Нет общего кэша {settings.CACHES['default']['LOCATION']}: {error}")


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
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "localhost"})
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        conn.close()


@dataclass
class Load:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int
    size: int

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.latencies, n=20)[-1] * 1000 if self.latencies else 0


def load(port: int, path: str, cookie: str, clients: int, seconds: float) -> Load:
    """`clients` threads, each sending the next request as soon as the last one answered."""
    stop = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    sizes = [0] * clients
    headers = {"Cookie": cookie, "Host": "localhost", "Connection": "keep-alive"}

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            started = time.perf_counter()
            if started >= stop:
                break
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                conn.close()
                errors[n] += 1
                continue
            latencies[n].append(time.perf_counter() - started)
            sizes[n] = len(body)
            if response.status != 200:
                errors[n] += 1
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    done = [x for per in latencies for x in per]
    return Load(len(done), elapsed, done, sum(errors), max(sizes))


@dataclass
class PageResult:
    target: Target
    page: Load
    floor: Load
    built: Load
    churned: Load | None = None


@contextmanager
def churn(per_second: float):
    """Somebody somewhere in the country changes a membership `per_second` times a second: an
    UPDATE that leaves the row as it was, but is a committed write to a table every main page
    reads, so each one makes every cached page be built again."""
    if per_second <= 0:
        yield
        return
    from django.db import connection
    from django.db.models import F

    from networks.models import Membership

    ids = list(Membership.objects.order_by("?").values_list("pk", flat=True)[:1000])
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.wait(1 / per_second):
            Membership.objects.filter(pk=ids[n % len(ids)]).update(role=F("role"))
            n += 1
        connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        yield
    finally:
        stop.set()
        writer.join()


def bench_pages(pages: list[Target], ports: dict[str, int], args) -> list[PageResult]:
    """Each page as the portal serves it (from the page cache, warm after the warm-up), its floor,
    and the same page built on every request (a second gunicorn with PAGE_CACHE_SECONDS=0): what a
    visitor waits for when something the page reads has just changed."""
    results = []
    for target in pages:
        measured = {}
        for which, server, path in (
            ("page", "cached", target.url),
            ("floor", "cached", target.floor),
            ("built", "built", target.url),
        ):
            port = ports[server]
            status, _size = request_once(port, path, target.cookie)
            if status != 200:
                sys.exit(f"{target.name} {which}: {path} ответил {status}")
            load(port, path, target.cookie, args.clients, args.warmup)
            measured[which] = load(port, path, target.cookie, args.clients, args.duration)
        result = PageResult(target, measured["page"], measured["floor"], measured["built"])
        print(
            f"  {target.name:12} {result.page.throughput:7.1f} req/s p95 {result.page.p95:6.0f} ms"
            f" | floor {result.floor.throughput:7.1f} req/s p95 {result.floor.p95:6.0f} ms"
            f" | built {result.built.throughput:7.1f} req/s p95 {result.built.p95:6.0f} ms"
            f" | errors {result.page.errors}/{result.floor.errors}/{result.built.errors}",
            flush=True,
        )
        if args.churn > 0:
            with churn(args.churn):
                result.churned = load(
                    ports["cached"], target.url, target.cookie, args.clients, args.duration
                )
            print(
                f"  {'':12} with {args.churn:g} writes/s: {result.churned.throughput:7.1f} req/s "
                f"p95 {result.churned.p95:6.0f} ms | errors {result.churned.errors}",
                flush=True,
            )
        results.append(result)
    return results


# --- The tasks ------------------------------------------------------------------------------------


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
        f"{total} структур: {seconds:.1f} с, {queries} запросов; пик памяти "
        f"{peak / 2**20:.1f} МБ (при {half_total} структурах — {half_peak / 2**20:.1f} МБ)",
        "≤ 10 с, память не растёт",
        seconds <= 10 and peak <= half_peak * 1.5,
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
            for pk in mine:
                reminders.delivery_send(delivery_id=pk, now=now)
            send_seconds = time.perf_counter() - sent_at
            sent = len(mail.outbox)
        _ = Deadline  # the thrown-away transaction removes the rules, deadlines and deliveries
    per_send = send_seconds / max(sent, 1)
    return TaskResult(
        "Рассылка напоминаний (sweep)",
        f"{claimed} получателей: отбор и запись {claim_seconds:.1f} с; отправка "
        f"{per_send * 1000:.1f} мс на письмо (замер на {sent}) — {claimed * per_send:.0f} с "
        "одним процессом",
        "≤ 60 с",
        claim_seconds <= 60,
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
        f"{median:.0f} мс (медиана {runs} прогонов, {len(ctx.captured_queries)} запроса, "
        f"показано {len(ranked)}; кандидатов в регионе {context['candidates']})",
        "≤ 200 мс",
        median <= 200,
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
        "≤ 60 с",
        first <= 60,
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


def table(results: list[PageResult], tasks: list[TaskResult], args) -> str:
    lines = [
        "| страница | запросов/с | пол, запросов/с | доля от пола | p95, мс | p95 пола, мс | цель "
        "| без кэша: запросов/с | p95, мс | доля от пола |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]

    def share(load: Load) -> float:
        return load.throughput / r.floor.throughput if r.floor.throughput else 0

    for r in results:
        ok = share(r.page) >= 0.5 and r.page.p95 <= 200
        errors = sum(x.errors for x in (r.page, r.floor, r.built))
        errors = f" (ошибок: {errors})" if errors else ""
        lines.append(
            f"| {r.target.title}{errors} | {r.page.throughput:.1f} | {r.floor.throughput:.1f} | "
            f"{share(r.page):.0%} | {r.page.p95:.0f} | {r.floor.p95:.0f} | {'да' if ok else 'нет'} "
            f"| {r.built.throughput:.1f} | {r.built.p95:.0f} | {share(r.built):.0%} |"
        )
    churned = [r for r in results if r.churned]
    if churned:
        lines += [
            "",
            f"Под записью: {args.churn:g} изменений участников в секунду где-то в стране "
            "(каждое — новое поколение таблицы, которую читают все главные страницы):",
            "",
            "| страница | запросов/с | доля от пола | p95, мс |",
            "| --- | ---: | ---: | ---: |",
        ]
        for r in churned:
            lines.append(
                f"| {r.target.title} | {r.churned.throughput:.1f} | {share(r.churned):.0%} "
                f"| {r.churned.p95:.0f} |"
            )
    if tasks:
        lines += ["", "| задача | результат | цель | достигнута |", "| --- | --- | --- | --- |"]
        lines += [f"| {t.name} | {t.value} | {t.goal} | {'да' if t.ok else 'нет'} |" for t in tasks]
    lines += [
        "",
        f"{args.clients} одновременных клиентов, {args.duration:.0f} с на страницу после "
        f"{args.warmup:.0f} с разогрева; gunicorn, {args.workers} sync-процессов. Цели: страница — "
        "не меньше 50 % пропускной способности своего пола и p95 ≤ 200 мс. «Без кэша» — та же "
        "страница, которая строится при каждом запросе (второй gunicorn с PAGE_CACHE_SECONDS=0): "
        "столько ждёт посетитель, когда изменилось что-то из прочитанного страницей.",
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
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    env = django_env(args.database_url, ROOT / "var" / "bench-static", workdir / "media")
    try:
        ensure_database(args.database_url, env)
        subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
            env=env,
            check=True,
        )
        setup_django(env)
        pages, context = targets()
        wanted = [p for p in args.pages.split(",") if p and p != "none"]
        pages = [p for p in pages if p.name in wanted]
        header = f"Машина: {machine()}.\n\nКоманда: `make bench` (`.venv/bin/python devdata/bench/bench.py`)."
        print(header.replace("`", ""), flush=True)
        results = []
        if pages:
            cookies = sign_in(context["users"])
            try:
                for page in pages:
                    page.cookie = cookies[page.account]
                print(f"Страницы: {args.clients} клиентов, {args.duration:.0f} с каждая…")
                clear_page_cache()
                built = {**env, "PAGE_CACHE_SECONDS": "0"}
                with gunicorn(env, args.workers) as cached, gunicorn(built, args.workers) as bare:
                    results = bench_pages(pages, {"cached": cached, "built": bare}, args)
            finally:
                sign_out(cookies)
        tasks = []
        if not args.no_tasks:
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
        if args.write:
            write_doc(text, header)
            print(f"\nТаблица записана в {DOC.relative_to(ROOT)}.")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
