"""The generator behind `manage.py generate_scale`: deterministic data at a country's scale.

Sizes at `scale=1` (FULL_SIZES): 85 regions, 2,000 municipalities, 40,000 schools plus the
authorities, methodical centres and additional-education organisations of each territory, about
300,000 people, ШНОР/ШССУ/leader statuses for three school years, 20,000 structures of the eight
kinds with their members, founding orders and programmes, plans with items and approval steps,
events with attendance and signed minutes, network pairs with contacts and questionnaire answers,
tutoring, competences, help requests, online-group statistics, deadlines and reports; the schools'
own records (issue 21): the «500+» risk factors of each school year with the risk profiles of the
ШНОР and ШССУ, their development documents with their history, and who curates which school.

Determinism: every section draws from its own `random.Random(f"{seed}:{section}")` and iterates
lists only, so the same seed and the same `as_of` date give the same rows (ids too, in a fresh
database). Rows are written with `bulk_create` (COPY on PostgreSQL) in batches, which skips
`save()` and `clean()`, so the generator calls what they call: the folded `search_text` of
organisations, structures and materials comes from the functions their `save()` uses
(networks.search, communities.models.materials), and every membership is checked by the rules
`Membership.clean` applies (networks.models.membership_breach, joining_breach: the kind's roles,
R-TUL-A3-1.1 and R-TUL-A4-1.1 for heads and deputies, the mentee of a pair from a ШНОР of its
school year, the mentor from a partner that is not one); a row that breaks one stops the run.
What each kind's structures look like comes from the kinds table and data.PLANS. The change
history (simple_history) is not written for generated rows.

Everything runs in one transaction: a failure leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from communities.models import (
    Attendance,
    Discussion,
    Event,
    EventForm,
    EventFormat,
    JoinRequest,
    Material,
    Minutes,
    MinutesItem,
    Plan,
    PlanItem,
    PlanStep,
    Post,
)
from communities.models.materials import material_search_text
from mentoring import limits
from mentoring.catalogue import load_topics
from mentoring.models import (
    Channel,
    Competence,
    Contact,
    ContactForm,
    GroupStatistics,
    HelpRequest,
    MentoringSettings,
    PairState,
    Question,
    Questionnaire,
    Response,
    Round,
    Topic,
    TutorAssignment,
)
from networks import kept
from networks.kinds import sync_kinds
from networks.models import (
    PAIR_ROLES,
    ClosingReason,
    ConsentKind,
    ConsentText,
    Joiner,
    Membership,
    Municipality,
    Order,
    Organisation,
    OrganisationKind,
    OrganisationRequest,
    OrganisationStatus,
    Programme,
    Region,
    Role,
    SchoolStatus,
    Structure,
    StructureKind,
    TerritoryRole,
    User,
    checks_person,
    joining_breach,
    membership_breach,
)
from networks.schoolyear import SchoolYear
from networks.search import organisation_search_text, structure_search_text
from reporting import counters
from reporting.models import Deadline, DeadlineRule, Deliverable, Report
from reporting.reminders import deadlines_instantiate
from reporting.rules import load_rules
from schools.factors import load_default_factors
from schools.models import (
    DevelopmentDocument,
    DocumentKind,
    DocumentStatus,
    DocumentStatusChange,
    RiskFactor,
    RiskLevel,
    SchoolCurator,
    SchoolRisk,
)

from . import data

DEFAULT_SEED = 2026
SCALE_DOMAIN = "scale.example.ru"
# One password for every generated person, hashed once: hashing 300,000 passwords takes hours.
SCALE_PASSWORD = "Masshtab-2026!"
BATCH = 5000
LIFE_CHUNK = 1000  # structures whose plans, events and minutes are built and written together

FULL_SIZES = {
    "regions": 85,
    "municipalities": 2000,
    "schools": 40000,
    # 20,000 structures: S3 and S8 counts include their groups and sub-communities.
    "S1": 800,
    "S2": 500,
    "S3": 2000,
    "S4": 9000,
    "S5": 3000,
    "S6": 1200,
    "S7": 500,
    "S8": 3000,
    "help_requests": 5000,
    "curated_pairs": 60,  # pairs of the fixed curator
    "organisation_requests": 3,  # per region
}

# The fixed accounts of the benchmark, all in the first (largest) region; e-mail verified.
FIXED_ACCOUNTS = {
    "coordinator": (
        f"koordinator@{SCALE_DOMAIN}",
        ("Кузнецова", "Ольга", "Викторовна"),
        "Главный специалист, региональный координатор",
        "координатор региона",
    ),
    "methodist": (
        f"metodist@{SCALE_DOMAIN}",
        ("Лебедева", "Анна", "Сергеевна"),
        "Методист",
        "методист региона",
    ),
    "curator": (
        f"kurator@{SCALE_DOMAIN}",
        ("Орлов", "Денис", "Андреевич"),
        "Методист, куратор сетевых пар",
        "куратор сетевых пар",
    ),
    "director": (
        f"direktor@{SCALE_DOMAIN}",
        ("Соколова", "Елена", "Павловна"),
        "Директор",
        "директор школы (ШНОР), наставляемый в сетевой паре",
    ),
}

SHNOR, SSSU, LEADER = 1, 2, 4
PAIR_CONTACTS = "контакты сетевых пар"
TUTORING_SESSIONS = "тьюторские занятия"
STATUS_AFTER = {
    PlanStep.Action.SUBMIT: Plan.Status.SUBMITTED,
    PlanStep.Action.AGREE: Plan.Status.AGREED,
    PlanStep.Action.APPROVE: Plan.Status.APPROVED,
    PlanStep.Action.RETURN: Plan.Status.RETURNED,
}
PRIKAZ = Order.Kind.PRIKAZ
# A structure was founded 0, 1, 2, … school years ago with these weights (data.PLANS may say otherwise).
FOUNDED_YEARS_AGO = (2, 3, 3, 3, 2, 2, 1, 1)
# Organisations whose heads and deputies are mentees (a ШНОР) or mentors (a partner) of pairs.
WITH_MANAGERS = (OrganisationKind.SCHOOL, OrganisationKind.ADDITIONAL)
_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
UTC = dt.UTC


# --- Small helpers --------------------------------------------------------------------------------


def allocate(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Splits `total` by `weights` (largest remainder), each part at least `minimum` when the total
    allows; otherwise one each to the heaviest."""
    n = len(weights)
    if n == 0:
        return []
    rest = total - minimum * n
    if rest < 0:
        out = [0] * n
        for i in sorted(range(n), key=lambda i: (-weights[i], i))[:total]:
            out[i] = 1
        return out
    whole = sum(weights) or 1
    quotas = [rest * w / whole for w in weights]
    parts = [int(q) for q in quotas]
    left = rest - sum(parts)
    for i in sorted(range(n), key=lambda i: (-(quotas[i] - parts[i]), i))[:left]:
        parts[i] += 1
    return [minimum + p for p in parts]


def chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def rand_date(rnd: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rnd.randint(0, (end - start).days))


def at(day: dt.date, hour: int = 10, minute: int = 0, tz: dt.tzinfo = UTC) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


def inn10(office: str, serial: int) -> str:
    body = f"{office}{serial:05d}"
    check = sum(int(d) * w for d, w in zip(body, _INN10, strict=True)) % 11 % 10
    return f"{body}{check}"


def adjective(stem: str, form: str) -> str:
    """«Заречный» → «Заречного» (gen) or «Заречная» (fem)."""
    for end, gen, fem in (
        ("ский", "ского", "ская"),
        ("цкий", "цкого", "цкая"),
        ("ной", "ного", "ная"),
        ("ой", "ого", "ая"),
        ("ый", "ого", "ая"),
        ("ий", "его", "яя"),
    ):
        if stem.endswith(end):
            return stem[: -len(end)] + (gen if form == "gen" else fem)
    return stem


def school_year_months(year: int) -> list[tuple[int, int]]:
    """(calendar year, month) of the working months of a school year: September – June."""
    return [(year, m) for m in (9, 10, 11, 12)] + [(year + 1, m) for m in range(1, 7)]


def phone(rnd: random.Random) -> str:
    return (
        f"8-9{rnd.randint(0, 99):02d}-{rnd.randint(100, 999)}-"
        f"{rnd.randint(0, 99):02d}-{rnd.randint(0, 99):02d}"
    )


def _copy(model: type[models.Model], objs: list[models.Model]) -> list[models.Model]:
    """PostgreSQL: the rows in one COPY, several times faster than INSERT. The ids are taken from
    the table's sequence first, so the objects get their pk as bulk_create would give it."""
    meta = model._meta
    quote = connection.ops.quote_name
    fields = meta.concrete_fields
    # Values Django must prepare: JSON, files, auto_now(_add) timestamps; the rest go as they are.
    prepared = {
        f.attname
        for f in fields
        if isinstance(f, models.JSONField | models.FileField)
        or getattr(f, "auto_now", False)
        or getattr(f, "auto_now_add", False)
    }
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj, pk in zip(objs, ids, strict=True):
                obj.pk = pk
                row = []
                for f in fields:
                    if f.attname in prepared:
                        row.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
                    else:
                        row.append(getattr(obj, f.attname))
                copy.write_row(row)
                obj._state.adding = False
                obj._state.db = connection.alias
    return objs


def _label(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name_plural)


def _n(value: int) -> str:
    return f"{value:,}".replace(",", " ")


# --- What the generator keeps in memory: indexes, not model instances ---------------------------


class _Region:
    __slots__ = (
        "academy",
        "authority",
        "capital",
        "centre",
        "code",
        "gen",
        "id",
        "idx",
        "munis",
        "name",
        "schools",
        "tz",
        "weight",
    )

    def __init__(self, idx, code, name, gen, capital, tz, weight):
        self.idx, self.code, self.name, self.gen = idx, code, name, gen
        self.capital, self.tz, self.weight = capital, tz, weight
        self.id = 0
        self.munis: list[int] = []
        self.schools = 0
        self.authority = self.academy = self.centre = -1


class _Muni:
    __slots__ = (
        "additional",
        "authority",
        "gen",
        "id",
        "idx",
        "is_city",
        "methodical",
        "n_schools",
        "name",
        "place",
        "programme",
        "region",
        "schools",
    )

    def __init__(self, idx, region, name, gen, is_city, place):
        self.idx, self.region, self.name, self.gen = idx, region, name, gen
        self.is_city, self.place = is_city, place
        self.id = 0
        self.n_schools = 0
        self.schools: list[int] = []
        self.additional: list[int] = []
        self.authority = self.methodical = -1
        self.programme = -1


class _Org:
    __slots__ = ("id", "idx", "kind", "muni", "n_mgr", "n_staff", "region", "short", "start")

    def __init__(self, idx, kind, region, muni, short):
        self.idx, self.kind, self.region, self.muni, self.short = idx, kind, region, muni, short
        self.id = 0
        self.start = self.n_staff = self.n_mgr = 0

    @property
    def managers(self) -> range:
        return range(self.start, self.start + self.n_mgr)

    @property
    def teachers(self) -> range:
        return range(self.start + self.n_mgr, self.start + self.n_staff)

    @property
    def staff(self) -> range:
        return range(self.start, self.start + self.n_staff)


class _S:
    """A planned structure: its fields as indexes into the generator's lists, and its members."""

    __slots__ = (
        "category",
        "closed",
        "closing_order",
        "closing_reason",
        "description",
        "est",
        "host",
        "id",
        "idx",
        "kind",
        "members",
        "muni",
        "name",
        "order",
        "parent",
        "programme",
        "region",
        "subject",
        "term_end",
        "term_start",
        "topic",
        "url",
        "used",
    )

    def __init__(self, kind, name, host, region, muni, order, est):
        self.kind, self.name, self.host, self.region, self.muni = kind, name, host, region, muni
        self.order, self.est = order, est
        self.description = data.DESCRIPTIONS[kind]
        self.programme = self.parent = self.closing_order = -1
        self.term_start = self.term_end = self.closed = None
        self.closing_reason = self.topic = self.url = self.category = ""
        self.subject = -1
        self.id = self.idx = 0
        # (user, role, since, until, elected_on)
        self.members: list[tuple[int, str, dt.date, dt.date | None, dt.date | None]] = []
        self.used: set[int] = set()

    def add(self, user, role, since, until=None, elected_on=None) -> bool:
        if user in self.used:
            return False
        self.used.add(user)
        self.members.append((user, role, since, until, elected_on))
        return True

    def with_role(self, *roles: str) -> list[int]:
        return [m[0] for m in self.members if m[1] in roles]

    def lead(self) -> int:
        for roles in (
            (Role.HEAD, Role.CHAIR),
            (Role.COORDINATOR,),
            (Role.ADMINISTRATOR,),
            (Role.CURATOR,),
            (Role.TUTOR, Role.MODERATOR),
        ):
            found = self.with_role(*roles)
            if found:
                return found[0]
        return self.members[0][0]

    def active_on(self, day: dt.date) -> list[int]:
        return [
            u
            for u, _r, since, until, _e in self.members
            if since <= day and (until is None or until >= day)
        ]


class _Site:
    """Where a structure being planned sits and what its steps have drawn: what the pools read."""

    __slots__ = ("host", "host_member", "kept", "memo", "muni", "munis", "region", "staff")
    __slots__ += ("subject", "words", "yi")

    def __init__(self, region: _Region, muni: int, yi: int, munis: list[_Muni]):
        self.region, self.muni, self.yi, self.munis = region, muni, yi, munis
        self.host = self.host_member = self.subject = -1
        self.staff: list[int] = []
        self.kept: list[int] = []
        self.words: dict[str, str] = {}
        self.memo: dict[tuple[str, int], list[int]] = {}  # pools that take long to list

    def schools(self) -> list[int]:
        """The schools of the municipality, or of the region when `muni` is -1."""
        munis = [self.muni] if self.muni >= 0 else self.region.munis
        return [o for m in munis for o in self.munis[m].schools]

    def widened(self) -> _Site:
        """The same, for the whole region."""
        site = _Site(self.region, -1, self.yi, self.munis)
        site.host, site.staff, site.subject = self.host, self.staff, self.subject
        return site


def check_plan(kind: StructureKind, plan: dict) -> None:
    """A kind's plan (data.PLANS) asks only for what its row in the kinds table allows."""
    steps = [*plan.get("members", []), *plan.get("subs", {}).get("members", [])]
    roles = {role for step in steps for role in step["roles"]}
    if "host_member" in plan.get("subs", {}):
        roles.add(plan["subs"]["host_member"][0])
    if kind.is_pair:
        roles |= {plan["pairs"]["watched_by"], *PAIR_ROLES}
    refused = sorted(role for role in roles if not kind.allows_role(role))
    if refused:
        raise ValueError(f"{kind.code}: the kinds table allows no role {', '.join(refused)}")
    if kind.requires_term_and_topic and not (plan.get("topics") and plan.get("term")):
        raise ValueError(f"{kind.code}: the kind requires a term and a topic; the plan has none")


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    logins: list[tuple[str, str]] = field(default_factory=list)
    samples: list[tuple[str, str]] = field(default_factory=list)


def existing_data() -> dict[str, int]:
    """What is already in the database (the command refuses a non-empty one without --force)."""
    counts = {
        "регионов": Region.objects.count(),
        "организаций": Organisation.objects.count(),
        "пользователей": User.objects.count(),
        "структур": Structure.objects.count(),
    }
    return {k: v for k, v in counts.items() if v}


def generated_data_present() -> bool:
    return User.objects.filter(email__iendswith=f"@{SCALE_DOMAIN}").exists()


def generate(
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    as_of: dt.date | None = None,
    append: bool = False,
    log: Callable[[str], None] = print,
) -> Result:
    generator = _Generator(
        scale=scale, seed=seed, as_of=as_of or timezone.localdate(), append=append, log=log
    )
    started = time.monotonic()
    with transaction.atomic():
        generator.run()
    t = time.monotonic()
    log(f"Записано в базу — {t - started:.1f} с")
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner: the benchmark runs right after.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log(f"ANALYZE — {time.monotonic() - t:.1f} с")
    generator.finish()
    generator.result.seconds = time.monotonic() - started
    return generator.result


# --- The generator ---------------------------------------------------------------------------------


class _Generator:
    def __init__(
        self, *, scale: float, seed: int, as_of: dt.date, append: bool, log: Callable[[str], None]
    ):
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.scale, self.seed, self.as_of, self.log = scale, seed, as_of, log
        self.append = append  # other data in the database: reuse its regions, avoid its ИНН
        self.cur = SchoolYear.of(as_of).start
        self.years = [self.cur - 2, self.cur - 1, self.cur]
        self.result = Result()
        self.started = time.monotonic()
        self.regions: list[_Region] = []
        self.munis: list[_Muni] = []
        self.orgs: list[_Org] = []
        # People: parallel arrays indexed by the person's number.
        self.u_org = array("i")
        self.u_subj = array("b")
        self.u_leads = bytearray()
        self.u_short: list[str] = []
        self.u_id = array("i")
        self.fixed: dict[str, int] = {}
        self.flags: list[bytearray] = []
        self.orders: list[tuple] = []  # (issuer org, kind, number, date, title)
        self.order_keys: dict[tuple, int] = {}
        self.order_numbers: dict[int, int] = {}
        self.programmes: list[tuple] = []
        self.structures: list[_S] = []
        self.tz_cache: dict[str, ZoneInfo] = {}
        self.director_school = -1
        self.region_coordinator: dict[int, int] = {}
        self.region_methodists: dict[int, list[int]] = {}
        self.figures: dict[tuple[int, int], dict[str, int]] = {}
        self.plan_submitted: dict[tuple[int, int], dt.datetime] = {}
        self.orgreq_users: list[tuple[int, int]] = []
        self._region_lists: dict[tuple[str, int], list[int]] = {}

    # --- Plumbing ---------------------------------------------------------------------------------

    def rng(self, section: str) -> random.Random:
        return random.Random(f"{self.seed}:{section}")

    def size(self, key: str) -> int:
        return max(1, round(FULL_SIZES[key] * self.scale))

    def save(self, model: type[models.Model], objs: list, label: str | None = None) -> list:
        if not objs:
            return []
        if connection.vendor == "postgresql":
            created = _copy(model, objs)
        else:
            created = model.objects.bulk_create(objs, batch_size=BATCH)
        key = label or _label(model)
        self.result.counts[key] = self.result.counts.get(key, 0) + len(created)
        # With DEBUG on, Django keeps the last 9,000 statements: megabytes of VALUES each.
        connection.queries_log.clear()
        return created

    def save_stream(self, model, iterable, label: str | None = None) -> list[int]:
        ids: list[int] = []
        for chunk in chunks(iterable, BATCH):
            ids.extend(o.pk for o in self.save(model, chunk, label))
        return ids

    def report(self, stage: str, t0: float, *tables: type[models.Model] | str) -> None:
        labels = [t if isinstance(t, str) else _label(t) for t in tables]
        counts = ", ".join(f"{label} — {_n(self.result.counts.get(label, 0))}" for label in labels)
        now = time.monotonic()
        self.log(f"{stage}: {counts} — {now - t0:.1f} с (с начала {now - self.started:.1f} с)")

    def tz(self, region: int) -> ZoneInfo:
        name = self.regions[region].tz
        if name not in self.tz_cache:
            self.tz_cache[name] = ZoneInfo(name)
        return self.tz_cache[name]

    def uid(self, person: int) -> int:
        return self.u_id[person]

    # --- The run ------------------------------------------------------------------------------------

    def run(self) -> None:
        self.log(
            f"Масштаб {self.scale:g}, зерно {self.seed}, дата {self.as_of:%d.%m.%Y}, учебные годы "
            + ", ".join(SchoolYear(y).label for y in self.years)
        )
        self.reference_data()
        self.territory()
        self.organisations()
        self.statuses_plan()
        self.people()
        self.programmes_plan()
        self.structures_plan()
        self.documents()
        self.statuses_write()
        self.structures_write()
        self.access()
        self.competences()
        self.pairs()
        self.tutoring()
        self.life()
        self.community_extras()
        self.group_statistics()
        self.help_requests()
        self.school_curators()
        self.risk_profiles()
        self.development_documents()
        self.deadlines_and_reports()
        counters.recount()  # the summary's kept figures, from the rows written above (issue 19)
        kept.changed_all()  # the homes' figures kept in the cache: the rows were written in bulk

    def reference_data(self) -> None:
        """The rows the data migrations load, should a flushed database lack them."""
        if not StructureKind.objects.exists():
            sync_kinds(StructureKind)
        if not Topic.objects.exists():
            load_topics(Topic)
        if not DeadlineRule.objects.exists():
            load_rules(DeadlineRule, StructureKind)
        self.kinds = dict(StructureKind.objects.values_list("code", "pk"))
        self.kind_rows = {k.code: k for k in StructureKind.objects.all()}
        self.topics = list(
            Topic.objects.filter(is_active=True)
            .order_by("area", "position", "name")
            .values_list("pk", flat=True)
        )

    # --- Territory and organisations -----------------------------------------------------------------

    def territory(self) -> None:
        t0 = time.monotonic()
        rnd = self.rng("territory")
        n_regions = min(
            len(data.REGIONS), max(3, round(FULL_SIZES["regions"] * math.sqrt(self.scale)))
        )
        rows = data.REGIONS[:n_regions]
        self.regions = [_Region(i, *row) for i, row in enumerate(rows)]
        existing = dict(
            Region.objects.filter(code__in=[r.code for r in self.regions]).values_list("code", "pk")
        )
        new = [
            Region(code=r.code, name=r.name, timezone=r.tz)
            for r in self.regions
            if r.code not in existing
        ]
        ids = {r.code: r.pk for r in self.save(Region, new)} | existing
        for r in self.regions:
            r.id = ids[r.code]

        weights = [r.weight for r in self.regions]
        n_munis = max(n_regions, self.size("municipalities"))
        n_schools = max(n_munis, self.size("schools"))
        muni_counts = allocate(n_munis, weights, minimum=1)
        school_counts = allocate(n_schools, weights, minimum=1)
        for region, count, schools in zip(self.regions, muni_counts, school_counts, strict=True):
            region.schools = max(schools, count)
            for name, gen, is_city, place in self._muni_names(rnd, region, count):
                muni = _Muni(len(self.munis), region.idx, name, gen, is_city, place)
                self.munis.append(muni)
                region.munis.append(muni.idx)
            ws = [
                (4.0 if i == 0 else 1.5 if self.munis[m].is_city else 1.0) * rnd.uniform(0.6, 1.4)
                for i, m in enumerate(region.munis)
            ]
            for m, n in zip(region.munis, allocate(region.schools, ws, minimum=1), strict=True):
                self.munis[m].n_schools = n

        existing_munis = {
            (region_id, name): pk
            for region_id, name, pk in Municipality.objects.filter(
                region_id__in=[r.id for r in self.regions]
            ).values_list("region_id", "name", "pk")
        }
        new = [
            Municipality(region_id=self.regions[m.region].id, name=m.name)
            for m in self.munis
            if (self.regions[m.region].id, m.name) not in existing_munis
        ]
        created = {(o.region_id, o.name): o.pk for o in self.save(Municipality, new)}
        for m in self.munis:
            key = (self.regions[m.region].id, m.name)
            m.id = existing_munis.get(key) or created[key]
        self.report("Территории", t0, Region, Municipality)

    def _muni_names(self, rnd: random.Random, region: _Region, count: int):
        """The region's municipalities: its centre, a few towns, districts; unique in the region."""
        names: list[tuple[str, str, bool, str]] = []
        used: set[str] = set()
        federal = region.code in ("77", "78", "92")

        def add(name, gen, is_city, place):
            if name not in used and len(names) < count:
                used.add(name)
                names.append((name, gen, is_city, place))

        stems = list(dict.fromkeys(data.DISTRICT_STEMS))
        rnd.shuffle(stems)
        if federal:
            for stem in stems:
                add(
                    f"муниципальный округ {stem}",
                    f"муниципального округа {stem}",
                    True,
                    f"г. {region.capital}",
                )
        else:
            add(f"город {region.capital}", f"города {region.capital}", True, f"г. {region.capital}")
            towns = rnd.sample(data.TOWNS, len(data.TOWNS))
            for town in towns[: round((count - 1) * 0.15)]:
                if town != region.capital:
                    add(f"город {town}", f"города {town}", True, f"г. {town}")
            forms = [f for f in data.DISTRICT_FORMS for _ in range(f[2])]
            for round_ in range(len(data.DISTRICT_FORMS)):
                for i, stem in enumerate(stems):
                    form, form_gen, _w = forms[(i + round_ * 3) % len(forms)]
                    name = f"{stem} {form}"
                    add(name, f"{adjective(stem, 'gen')} {form_gen}", False, name)
        k = 2
        while len(names) < count:  # more municipalities than names: number the rest
            for stem in stems:
                add(
                    f"{stem} муниципальный округ № {k}",
                    f"{adjective(stem, 'gen')} муниципального округа № {k}",
                    False,
                    f"{stem} муниципальный округ",
                )
            k += 1
        return names

    def organisations(self) -> None:
        t0 = time.monotonic()
        rnd = self.rng("organisations")
        taken = (
            set(Organisation.objects.exclude(inn="").values_list("inn", flat=True))
            if self.append
            else set()
        )
        serials: dict[int, int] = defaultdict(int)
        objs: list[Organisation] = []

        def add(kind, region: _Region, muni: _Muni | None, short, full, address) -> int:
            while True:
                serials[region.idx] += 1
                inn = inn10(f"{region.code}99", serials[region.idx])
                if inn not in taken:
                    break
            org = _Org(len(self.orgs), kind, region.idx, muni.idx if muni else -1, short)
            self.orgs.append(org)
            place = muni.name if muni else ""
            objs.append(
                Organisation(
                    kind=kind,
                    full_name=full,
                    short_name=short,
                    inn=inn,
                    region_id=region.id,
                    municipality_id=muni.id if muni else None,
                    address=address,
                    search_text=organisation_search_text(
                        short_name=short, full_name=full, municipality=place, inn=inn
                    ),
                )
            )
            return org.idx

        def address(place: str) -> str:
            return f"{place}, ул. {rnd.choice(data.STREETS)}, д. {rnd.randint(1, 120)}"

        for region in self.regions:
            federal = region.code in ("77", "78", "92")
            gen, capital = region.gen, f"г. {region.capital}"
            name = (
                f"Департамент образования {gen}" if federal else f"Министерство образования {gen}"
            )
            region.authority = add(
                OrganisationKind.AUTHORITY, region, None, name, name, address(capital)
            )
            region.academy = add(
                OrganisationKind.ACADEMY,
                region,
                None,
                f"ГАУ ДПО «Институт развития образования {gen}»",
                "Государственное автономное учреждение дополнительного профессионального "
                f"образования «Институт развития образования {gen}»",
                address(capital),
            )
            region.centre = add(
                OrganisationKind.METHODICAL,
                region,
                None,
                f"ЦНППМ {gen}",
                f"Центр непрерывного повышения профессионального мастерства педагогических "
                f"работников {gen}",
                address(capital),
            )
            for m in region.munis:
                muni = self.munis[m]
                muni.authority = add(
                    OrganisationKind.AUTHORITY,
                    region,
                    muni,
                    f"Управление образования {muni.gen}",
                    f"Управление образования администрации {muni.gen}",
                    address(muni.place),
                )
                muni.methodical = add(
                    OrganisationKind.METHODICAL,
                    region,
                    muni,
                    f"МКУ «ИМЦ» {muni.gen}",
                    "Муниципальное казённое учреждение «Информационно-методический центр» "
                    f"{muni.gen}",
                    address(muni.place),
                )
                for _ in range(2 if m == region.munis[0] else 1):
                    abbr, full = rnd.choice(
                        [
                            ("ДДТ", "Дом детского творчества"),
                            ("ЦДО", "Центр дополнительного образования"),
                            ("ЦДТ", "Центр детского творчества"),
                        ]
                    )
                    muni.additional.append(
                        add(
                            OrganisationKind.ADDITIONAL,
                            region,
                            muni,
                            f"МБУ ДО «{abbr}» {muni.gen}",
                            f"Муниципальное бюджетное учреждение дополнительного образования "
                            f"«{full}» {muni.gen}",
                            address(muni.place),
                        )
                    )
                for short, full, place in self._school_names(rnd, muni):
                    muni.schools.append(
                        add(OrganisationKind.SCHOOL, region, muni, short, full, address(place))
                    )
        ids = self.save_stream(Organisation, objs)
        for org, pk in zip(self.orgs, ids, strict=True):
            org.id = pk
        self.report("Организации", t0, Organisation)

    def _school_names(self, rnd: random.Random, muni: _Muni):
        owners = [
            ("МБОУ", "Муниципальное бюджетное общеобразовательное учреждение"),
            ("МАОУ", "Муниципальное автономное общеобразовательное учреждение"),
            ("МКОУ", "Муниципальное казённое общеобразовательное учреждение"),
        ]
        types = {
            "СОШ": "Средняя общеобразовательная школа",
            "ООШ": "Основная общеобразовательная школа",
            "Лицей": "Лицей",
            "Гимназия": "Гимназия",
            "ЦО": "Центр образования",
        }
        villages = [adjective(s, "fem") for s in dict.fromkeys(data.DISTRICT_STEMS)]
        rnd.shuffle(villages)
        number = 0
        numbered = muni.n_schools if muni.is_city else min(muni.n_schools, rnd.randint(1, 3))
        for i in range(muni.n_schools):
            owner, owner_full = rnd.choices(owners, weights=(70, 15, 15))[0]
            if i < numbered or i - numbered >= len(villages):
                abbr = (
                    rnd.choices(["СОШ", "Лицей", "Гимназия", "ЦО", "ООШ"], (70, 8, 8, 6, 8))[0]
                    if muni.is_city
                    else "СОШ"
                )
                number += rnd.choice((1, 1, 1, 2, 3))
                yield (
                    f"{owner} «{abbr} № {number}»",
                    f"{owner_full} «{types[abbr]} № {number}» {muni.gen}",
                    muni.place,
                )
            else:
                village = villages[i - numbered]
                abbr = rnd.choices(["СОШ", "ООШ"], (60, 40))[0]
                yield (
                    f"{owner} «{village} {abbr}»",
                    f"{owner_full} «{village} {types[abbr].lower()}» {muni.gen}",
                    f"{muni.place}, с. {village[:-2] + 'ое' if village.endswith('ая') else village}",
                )

    # --- Statuses ----------------------------------------------------------------------------------

    def statuses_plan(self) -> None:
        """ШНОР (~10 %), ШССУ (~5 %) and leader (~10 %) schools of each region for each school year:
        by a performance score with a little drift from year to year, so most keep their status."""
        rnd = self.rng("statuses")
        self.flags = [bytearray(len(self.orgs)) for _ in self.years]
        for region in self.regions:
            schools = [o for m in region.munis for o in self.munis[m].schools]
            n = len(schools)
            base = [rnd.random() for _ in schools]
            social = [0.5 * b + 0.5 * rnd.random() for b in base]
            k_shnor = max(1, round(0.10 * n))
            k_sssu = max(1, round(0.05 * n))
            k_leader = max(1, round(0.10 * n)) if n > k_shnor + 1 else 0
            for yi in range(len(self.years)):
                flags = self.flags[yi]
                perf = sorted(range(n), key=lambda i: base[i] + rnd.gauss(0, 0.04))
                for i in perf[:k_shnor]:
                    flags[schools[i]] |= SHNOR
                leaders = perf[n - k_leader :] if k_leader else []
                for i in leaders:
                    flags[schools[i]] |= LEADER
                soc = sorted(range(n), key=lambda i: social[i] + rnd.gauss(0, 0.04))
                placed = 0
                for i in soc:
                    if placed >= k_sssu:
                        break
                    if not flags[schools[i]] & LEADER:
                        flags[schools[i]] |= SSSU
                        placed += 1
        # The fixed director heads a ШНОР of the current year in the first region, in its centre
        # if one is there; ideally a ШНОР of every year.
        first = self.regions[0]
        candidates = [o for m in first.munis for o in self.munis[m].schools]
        current = [o for o in candidates if self.flags[-1][o] & SHNOR]
        always = [o for o in current if all(f[o] & SHNOR for f in self.flags)]
        self.director_school = (always or current)[0]

    def statuses_write(self) -> None:
        t0 = time.monotonic()
        objs = []
        for region in self.regions:
            for yi, year in enumerate(self.years):
                order = self.order_keys[("statuses", region.idx, year)]
                for m in region.munis:
                    for o in self.munis[m].schools:
                        flag = self.flags[yi][o]
                        for bit, status in (
                            (SHNOR, SchoolStatus.SHNOR),
                            (SSSU, SchoolStatus.SSSU),
                            (LEADER, SchoolStatus.LEADER),
                        ):
                            if flag & bit:
                                objs.append(
                                    OrganisationStatus(
                                        organisation_id=self.orgs[o].id,
                                        school_year=year,
                                        status=status,
                                        order_id=self.orders_ids[order],
                                    )
                                )
        self.save_stream(OrganisationStatus, objs)
        self.report("Статусы школ", t0, OrganisationStatus)

    # --- People ------------------------------------------------------------------------------------

    def _staff(self, rnd: random.Random, org: _Org) -> list[tuple[str, int, bool]]:
        """(position, subject or -1, is_manager) of the people of an organisation."""
        if org.kind == OrganisationKind.SCHOOL:
            staff = [("Директор", -1, True)]
            for _ in range(1 + (rnd.random() < 0.6)):
                staff.append((rnd.choice(data.DEPUTY_POSITIONS), -1, True))
            subjects = rnd.choices(
                range(len(data.SUBJECTS)), weights=data.SUBJECT_WEIGHTS, k=rnd.randint(2, 7)
            )
            for s in subjects:
                staff.append((f"Учитель {data.SUBJECTS[s][1]}", s, False))
            return staff
        if org.kind == OrganisationKind.ADDITIONAL:
            return [
                ("Директор", -1, True),
                ("Заместитель директора по учебно-воспитательной работе", -1, True),
                ("Педагог дополнительного образования", -1, False),
                ("Методист", -1, False),
            ]
        region = self.regions[org.region]
        if org.idx == region.centre:
            return [(rnd.choice(data.METHODIST_POSITIONS), -1, False) for _ in range(8)]
        if org.idx == region.academy:
            return [
                (
                    rnd.choice(["Старший преподаватель кафедры управления", "Методист", "Доцент"]),
                    -1,
                    False,
                )
                for _ in range(6)
            ]
        if org.idx == region.authority:
            return [(rnd.choice(data.OFFICIAL_POSITIONS), -1, False) for _ in range(4)]
        if org.kind == OrganisationKind.METHODICAL:
            return [(rnd.choice(data.METHODIST_POSITIONS), -1, False) for _ in range(3)]
        return [(rnd.choice(data.OFFICIAL_POSITIONS), -1, False) for _ in range(2)]

    def people(self) -> None:
        t0 = time.monotonic()
        rnd = self.rng("people")
        # A salt from the seed, not a random one: the same seed gives byte-identical rows.
        password = make_password(SCALE_PASSWORD, salt=f"generatescale{self.seed}")
        version = str(ConsentText.objects.current(ConsentKind.PERSONAL_DATA).version)
        joined_from = SchoolYear(self.years[0]).first_day
        centre0 = self.regions[0].centre
        director_org = self.director_school

        def person(female_share: float) -> tuple[str, str, str]:
            last = rnd.choice(data.SURNAMES)
            father = rnd.choice(data.MALE_NAMES)
            if rnd.random() < female_share:
                return data.feminine(last), rnd.choice(data.FEMALE_NAMES), father[2]
            return last, rnd.choice(data.MALE_NAMES)[0], father[1]

        def user(
            name,
            position,
            org: _Org | None,
            subject: int,
            email: str | None = None,
            *,
            with_phone: bool,
        ) -> User:
            last, first, patronymic = name
            n = len(self.u_org)
            self.u_org.append(org.idx if org else -1)
            self.u_subj.append(subject)
            self.u_short.append(f"{last} {first[0]}.{patronymic[0]}.")
            joined = at(rand_date(rnd, joined_from, self.as_of - dt.timedelta(days=1)), 9 + n % 9)
            if email is None:
                email = (
                    f"{data.translit(last)}.{data.translit(first)[0]}"
                    f"{data.translit(patronymic)[0]}.{n}@{SCALE_DOMAIN}"
                )
            row = User(
                email=email,
                password=password,
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                position=position,
                post=User.Post.of_position(position),
                organisation_id=org.id if org else None,
                phone=phone(rnd) if with_phone or rnd.random() < 0.5 else "",
                pd_consent_version=version,
                pd_consent_at=joined,
                show_name_consent_at=joined if rnd.random() < 0.85 else None,
                date_joined=joined,
            )
            self.u_leads.append(row.leads)  # a head or deputy head (R-TUL-A3-1.1)
            return row

        def fixed(key: str, org: _Org, subject: int = -1) -> User:
            email, name, position, _who = FIXED_ACCOUNTS[key]
            self.fixed[key] = len(self.u_org)
            return user(name, position, org, subject, email, with_phone=True)

        def generate() -> Iterator[User]:
            for org in self.orgs:
                org.start = len(self.u_org)
                if org.idx == centre0:
                    for key in ("coordinator", "methodist", "curator"):
                        yield fixed(key, org)
                staff = self._staff(rnd, org)
                org.n_mgr = sum(1 for s in staff if s[2])
                for i, (position, subject, manager) in enumerate(staff):
                    if org.idx == director_org and i == 0:
                        yield fixed("director", org)
                        continue
                    female = 0.7 if manager else 0.85
                    yield user(
                        person(female), position, org, subject, with_phone=manager or subject < 0
                    )
                org.n_staff = len(self.u_org) - org.start
                if org.idx == centre0:
                    org.start += 3  # the fixed accounts are staff, not the centre's «first» people
                    org.n_staff -= 3
            # People who registered without finding their organisation in the registry.
            for region in self.regions:
                for _ in range(self.size("organisation_requests")):
                    self.orgreq_users.append((region.idx, len(self.u_org)))
                    yield user(person(0.8), "Учитель", None, -1, with_phone=False)

        self.u_id = array("i", self.save_stream(User, generate()))
        # The fixed accounts: verified e-mail (sign-in requires it). Nobody is staff: the admin is
        # for superusers only (issue 15); the coordinator works on the portal's pages.
        self.save(
            EmailAddress,
            [
                EmailAddress(
                    user_id=self.uid(self.fixed[k]),
                    email=FIXED_ACCOUNTS[k][0],
                    verified=True,
                    primary=True,
                )
                for k in FIXED_ACCOUNTS
            ],
        )
        self.result.logins = [
            (FIXED_ACCOUNTS[k][3] + f" ({self.regions[0].name})", FIXED_ACCOUNTS[k][0])
            for k in FIXED_ACCOUNTS
        ]
        self._index_people()
        self.report("Люди", t0, User, EmailAddress)

    def _index_people(self) -> None:
        n_subj = len(data.SUBJECTS)
        self.muni_managers = [[] for _ in self.munis]
        self.muni_heads = [[] for _ in self.munis]
        self.muni_teachers = [[] for _ in self.munis]
        self.muni_subject = [[[] for _ in range(n_subj)] for _ in self.munis]
        for muni in self.munis:
            for o in muni.schools + muni.additional:
                org = self.orgs[o]
                self.muni_managers[muni.idx].extend(org.managers)
                self.muni_heads[muni.idx].append(org.start)
                if org.kind == OrganisationKind.SCHOOL:
                    for u in org.teachers:
                        self.muni_teachers[muni.idx].append(u)
                        self.muni_subject[muni.idx][self.u_subj[u]].append(u)
        for region in self.regions:
            centre = self.orgs[region.centre]
            self.region_coordinator[region.idx] = (
                self.fixed["coordinator"] if region.idx == 0 else centre.start
            )
            self.region_methodists[region.idx] = list(centre.staff) + list(
                self.orgs[region.academy].staff
            )

    def pool(self, what: str, region: int, muni: int) -> list[int]:
        """People of a territory: the municipality's, or the region's when `muni` is -1."""
        lists = getattr(self, f"muni_{what}")
        if muni >= 0:
            return lists[muni]
        key = (what, region)
        if key not in self._region_lists:
            self._region_lists[key] = [u for m in self.regions[region].munis for u in lists[m]]
        return self._region_lists[key]

    def subject_pool(self, region: int, muni: int, subject: int) -> list[int]:
        if muni >= 0:
            return self.muni_subject[muni][subject]
        key = (f"subject{subject}", region)
        if key not in self._region_lists:
            self._region_lists[key] = [
                u for m in self.regions[region].munis for u in self.muni_subject[m][subject]
            ]
        return self._region_lists[key]

    # --- Orders and programmes -------------------------------------------------------------------

    def order(
        self, issuer: int, title: str, date: dt.date, *, key=None, kind: str = Order.Kind.PRIKAZ
    ) -> int:
        if key is not None and key in self.order_keys:
            return self.order_keys[key]
        rnd = self.order_rnd
        n = self.order_numbers.get(issuer) or rnd.randint(20, 400)
        n += rnd.randint(1, 12)
        self.order_numbers[issuer] = n
        number = f"{n}-од" if self.orgs[issuer].kind != OrganisationKind.AUTHORITY else str(n)
        self.orders.append((issuer, kind, number, date, title))
        idx = len(self.orders) - 1
        if key is not None:
            self.order_keys[key] = idx
        return idx

    def founding(self, issuer: int, code: str, year: int) -> int:
        """The order that founds the structures of a kind an issuer sets up in a school year."""
        key = (issuer, code, year)
        if key not in self.order_keys:
            rnd = self.order_rnd
            day = rand_date(rnd, dt.date(year, 8, 20), dt.date(year, 10, 10))
            day = min(day, self.as_of - dt.timedelta(days=1))
            title = data.ORDER_TITLES[code].format(year=SchoolYear(year).label)
            kind = data.PLANS.get(code, {}).get("order_kind", PRIKAZ)
            self.order(issuer, title, day, key=key, kind=kind)
        return self.order_keys[key]

    def programmes_plan(self) -> None:
        rnd = self.order_rnd = self.rng("orders")
        self._programme_index: dict[tuple[int, int], int] = {}
        for region in self.regions:
            for _yi, year in enumerate(self.years):
                self.order(
                    region.authority,
                    "Об утверждении перечня школ с низкими образовательными результатами, школ, "
                    "функционирующих в сложных социальных условиях, и школ со стабильно высокими "
                    f"результатами на {SchoolYear(year).label} учебный год",
                    dt.date(year, 5, rnd.randint(15, 31)),
                    key=("statuses", region.idx, year),
                )
            start = self.cur - 2
            self._programme_index[(region.idx, 0)] = len(self.programmes)
            order = self.order(
                region.authority,
                "Об утверждении региональной программы поддержки школ с низкими образовательными "
                "результатами",
                dt.date(start, 1, rnd.randint(10, 28)),
            )
            self.programmes.append(
                (
                    "Региональная программа поддержки школ с низкими образовательными результатами "
                    f"на {start}–{start + 3} годы",
                    region.academy,
                    order,
                    region.idx,
                    -1,
                    dt.date(start, 1, 1),
                    dt.date(start + 3, 12, 31),
                )
            )
            self._programme_index[(region.idx, 1)] = len(self.programmes)
            order = self.order(
                region.authority,
                "О реализации проекта «Сетевое наставничество руководителей ШНОР»",
                dt.date(start, 8, rnd.randint(10, 28)),
            )
            self.programmes.append(
                (
                    f"Проект «Сетевое наставничество руководителей ШНОР» {start}–{start + 3}",
                    region.centre,
                    order,
                    region.idx,
                    -1,
                    dt.date(start, 9, 1),
                    dt.date(start + 3, 8, 31),
                )
            )
            for m in region.munis:
                if rnd.random() < 0.3:
                    muni = self.munis[m]
                    year = self.cur - rnd.randint(0, 1)
                    order = self.order(
                        muni.authority,
                        "Об утверждении муниципальной программы сопровождения ШНОР",
                        dt.date(year, 8, rnd.randint(1, 25)),
                    )
                    muni.programme = len(self.programmes)
                    self.programmes.append(
                        (
                            f"Муниципальная программа сопровождения ШНОР ({muni.name}) на "
                            f"{year}–{year + 2} годы",
                            muni.authority,
                            order,
                            region.idx,
                            m,
                            dt.date(year, 9, 1),
                            dt.date(year + 2, 8, 31),
                        )
                    )

    # --- Structures ---------------------------------------------------------------------------------

    def structures_plan(self) -> None:
        t0 = time.monotonic()
        rnd = self.rng("structures")
        weights = [r.schools for r in self.regions]
        kinds = [self.kind_rows[code] for code in sorted(self.kind_rows) if code in data.PLANS]
        for kind in kinds:
            plan = data.PLANS[kind.code]
            check_plan(kind, plan)
            if kind.is_pair:
                continue
            sizes = allocate(self.size(kind.code), weights)
            for region, n in zip(self.regions, sizes, strict=True):
                if kind.allows_subcommunities:
                    # The count includes the sub-communities: one community per `per_top`.
                    tops = max(1, round(n / plan["subs"]["per_top"])) if n else 0
                    subs = allocate(n - tops, [1] * tops) if tops else []
                    for k in range(tops):
                        self._plan_structure(rnd, kind, plan, region, subs[k])
                else:
                    for _ in range(n):
                        self._plan_structure(rnd, kind, plan, region)
        for kind in kinds:
            if kind.is_pair:
                self._plan_pairs(rnd, kind, data.PLANS[kind.code]["pairs"])
        self._fixed_memberships()
        members = sum(len(s.members) for s in self.structures)
        self.log(
            f"Структуры спланированы: {_n(len(self.structures))}, участников {_n(members)} — "
            f"{time.monotonic() - t0:.1f} с"
        )

    def _muni_of(self, rnd: random.Random, region: _Region) -> int:
        return rnd.choices(region.munis, weights=[self.munis[m].n_schools for m in region.munis])[0]

    def _new(self, code, name, host, region, muni, order, est, programme=-1) -> _S:
        s = _S(code, name, host, region, muni, order, est)
        s.programme = programme
        s.idx = len(self.structures)
        self.structures.append(s)
        return s

    def _member_dates(self, rnd, s: _S, lead: bool = False) -> tuple[dt.date, dt.date | None]:
        since, until = s.est, s.closed
        if not lead and rnd.random() < 0.15:
            since = rand_date(rnd, s.est, min(s.closed or self.as_of, self.as_of))
        if until is None and not lead and rnd.random() < 0.03:
            until = rand_date(rnd, since, self.as_of)
        return since, until

    def _fill(self, rnd, s: _S, people: list[int], role: str, k: int) -> None:
        if not people:
            return
        for u in rnd.sample(people, min(len(people), k + 5)):
            if k <= 0:
                break
            if u not in s.used:
                s.add(u, role, *self._member_dates(rnd, s))
                k -= 1

    def _place(self, region: _Region, muni: int) -> tuple[str, str]:
        if muni < 0:
            return region.name, region.gen
        return self.munis[muni].name, self.munis[muni].gen

    def _programme_for(self, rnd, region: int, muni: int) -> int:
        if muni >= 0 and self.munis[muni].programme >= 0 and rnd.random() < 0.7:
            return self.munis[muni].programme
        return self._programme_index[(region, 0)] if rnd.random() < 0.5 else -1

    def _plan_structure(
        self, rnd, kind: StructureKind, plan: dict, region: _Region, subs: int = 0
    ) -> None:
        """One structure of a kind in a region, as the kind's plan (data.PLANS) and its row in the
        kinds table say, with its sub-communities when the row allows them."""
        regional = plan["regional"] is not None and rnd.random() < plan["regional"]
        muni = -1 if regional else self._muni_of(rnd, region)
        years = plan.get("years", FOUNDED_YEARS_AGO)
        year = self.cur - rnd.choices(range(len(years)), weights=years)[0]
        at = _Site(region, muni, max(0, min(year, self.cur) - self.years[0]), self.munis)
        level = plan["region" if regional else "municipality"]
        at.host = self._host(rnd, level["host"], at)
        at.staff = [u for org in level["staff"] for u in self.orgs[self._org(org, at)].staff]
        issuer = self._org(level["issuer"], at)
        order = self.founding(issuer, kind.code, year)
        topic = rnd.choice(plan["topics"]) if kind.requires_term_and_topic else ""  # R-PRI-4.1
        at.words = {word: rnd.choice(choices) for word, choices in plan.get("words", {}).items()}
        place, place_gen = self._place(region, muni)
        name = plan["name"].format(
            place=place, place_gen=place_gen, host=self.orgs[at.host].short, **at.words
        )
        s = self._new(
            kind.code,
            name,
            at.host,
            region.idx,
            muni,
            order,
            self.orders[order][3],
            self._programme_for(rnd, region.idx, muni),
        )
        s.category = plan.get("category", "")
        if kind.has_online_platform and "url" in plan:
            s.url = plan["url"].format(region_code=region.code, n=len(self.structures))
        if kind.requires_term_and_topic:
            s.topic = topic
            self._term(rnd, s, plan, issuer)
        self._members(rnd, s, plan["members"], at)
        if kind.allows_subcommunities:
            self._plan_subs(rnd, kind, plan["subs"], s, at, subs)

    def _plan_subs(self, rnd, kind: StructureKind, plan: dict, top: _S, at: _Site, count: int):
        """Subject sub-communities of a community (R-PAV-1.7), one subject each."""
        subjects = list(range(len(data.SUBJECTS)))
        rnd.shuffle(subjects)
        for k in range(count):
            at.subject = subjects[k % len(subjects)]
            nominative, genitive, category = data.SUBJECTS[at.subject]
            host, at.host_member = top.host, -1
            if "host_member" in plan:
                role, pool = plan["host_member"]
                candidates = self.members_of(pool, at)
                if not candidates:
                    continue
                at.host_member = rnd.choice(candidates)
                host = self.u_org[at.host_member]
            est = min(top.est + dt.timedelta(days=rnd.randint(0, plan["within_days"])), self.as_of)
            name = plan["name"].format(subject=nominative.lower(), subject_gen=genitive, **at.words)
            s = self._new(
                kind.code, name, host, top.region, top.muni, top.order, est, top.programme
            )
            s.parent, s.subject, s.category = top.idx, at.subject, category
            if kind.has_online_platform and "url" in plan:
                s.url = plan["url"].format(region_code=at.region.code, n=len(self.structures))
            if at.host_member >= 0:
                s.add(at.host_member, role, s.est)
            self._members(rnd, s, plan["members"], at)

    def _host(self, rnd, host: str, at: _Site) -> int:
        """The host organisation: one of the territory's, or a school that is not a ШНОР that year
        (a leader school first if asked for)."""
        if host not in ("school", "leader_school"):
            return self._org(host, at)
        flags = self.flags[at.yi]
        schools = at.schools()
        fine = [o for o in schools if not flags[o] & SHNOR]
        leaders = [o for o in fine if flags[o] & LEADER] if host == "leader_school" else []
        return rnd.choice(leaders or fine or schools)

    def _org(self, name: str, at: _Site) -> int:
        """An organisation of the territory: the municipality's when there is one, else the
        region's (academy, centre, authority, methodical)."""
        return getattr(self.munis[at.muni] if at.muni >= 0 else at.region, name)

    def _term(self, rnd, s: _S, plan: dict, issuer: int) -> None:
        """R-PRI-4.1: a term; R-PRI-4.4: closed at its end; R-PRI-4.5/4.6: a few close early, by
        order."""
        term = plan["term"]
        month, day = term["ends"]
        s.term_start = s.est
        s.term_end = dt.date(s.est.year + rnd.choice(term["years"]), month, day)
        if s.term_end < self.as_of:
            s.closed, s.closing_reason = s.term_end, ClosingReason.TERM_ENDED
        elif rnd.random() < term["closed_early"] and s.est + dt.timedelta(days=200) < self.as_of:
            s.closed = rand_date(
                rnd, s.est + dt.timedelta(days=180), self.as_of - dt.timedelta(days=1)
            )
            s.closing_reason = rnd.choice([ClosingReason.PROGRAMME_DONE, ClosingReason.UNFORESEEN])
            s.closing_order = self.order(
                issuer, term["closing_order"], s.closed, kind=plan.get("order_kind", PRIKAZ)
            )

    def _members(self, rnd, s: _S, steps: list[dict], at: _Site) -> None:
        """The members of a planned structure, step by step as its plan says."""
        for step in steps:
            roles = step["roles"]
            pool = self.members_of(step["from"], at)
            if len(pool) < step.get("widen_below", 0):
                pool = self.members_of(step["from"], at.widened())
            if "chance" in step and not (pool and rnd.random() < step["chance"]):
                continue
            draw = step.get("draw", "sample")
            n = step.get("n", len(pool) if draw == "all" else len(roles))
            if isinstance(n, tuple):
                n = rnd.randint(*n)
            if draw == "fill":
                self._fill(rnd, s, pool, roles[0], n)
                continue
            people = rnd.sample(pool, min(len(pool), n)) if draw == "sample" else pool[:n]
            if step.get("keep"):
                people, at.kept = people[: len(roles)], people[len(roles) :]
            for i, u in enumerate(people):
                role = roles[min(i, len(roles) - 1)]
                if step.get("dates") == "member":
                    s.add(u, role, *self._member_dates(rnd, s))
                elif step.get("elected"):  # R-TUL-A4-4.1: elected from the members
                    s.add(u, role, s.est, s.closed, min(s.est + dt.timedelta(days=14), self.as_of))
                else:
                    s.add(u, role, s.est, s.closed)

    def members_of(self, pool: str, at: _Site) -> list[int]:
        """The people a plan's step draws from (`from` in data.PLANS)."""
        region, muni = at.region.idx, at.muni
        flags = self.flags[at.yi]
        match pool:
            case "staff" | "kept":  # the leading organisations' staff; left by a step before
                return at.staff if pool == "staff" else at.kept
            case "managers" | "heads" | "teachers":  # heads and deputies, heads, teachers there
                return self.pool(pool, region, muni)
            case "host_head":
                return [self.orgs[at.host].start]
            case "host_deputy":  # appointed by the host: its deputy head, if it has one
                org = self.orgs[at.host]
                return [org.start + 1 if org.n_mgr > 1 else org.start]
            case "host_teachers":
                return list(self.orgs[at.host].teachers)
            case "host_group":  # the host's deputies and a teacher
                org = self.orgs[at.host]
                return list(org.managers)[1:] + list(org.teachers)[:1]
            case "other_heads":  # heads of the territory's other schools
                return [self.orgs[o].start for o in at.schools() if o != at.host] or self.pool(
                    "heads", region, -1
                )
            case "shnor_teachers":
                return [
                    u for o in at.schools() if flags[o] & SHNOR for u in self.orgs[o].teachers
                ] or self.pool("teachers", region, muni)
            case "leader_teachers":
                if (pool, -1) not in at.memo:
                    at.memo[pool, -1] = [
                        u for o in at.schools() if flags[o] & LEADER for u in self.orgs[o].teachers
                    ]
                return at.memo[pool, -1]
            case "subject":  # teachers of the sub-community's subject
                return self.subject_pool(region, muni, at.subject)
            case "subject_tutors":  # of leader schools, else any of the subject
                if (pool, at.subject) not in at.memo:
                    leaders = self.members_of("leader_teachers", at)
                    at.memo[pool, at.subject] = [
                        u for u in leaders if self.u_subj[u] == at.subject
                    ] or self.subject_pool(region, muni, at.subject)
                return at.memo[pool, at.subject]
            case "other_tutors":
                return [u for u in self.members_of("subject_tutors", at) if u != at.host_member]
        raise ValueError(f"unknown pool {pool!r}")

    def _plan_pairs(self, rnd, kind: StructureKind, plan: dict) -> None:
        """A kind whose row says a pair (R-TUL-A3-1.1): the mentee is a head or deputy of a ШНОР of
        the pair's school year, the mentor one of a partner organisation that is not a ШНОР that
        year; someone watches the pair (`watched_by`)."""
        total = self.size(kind.code)
        watcher = plan["watched_by"]
        busy: dict[int, dt.date] = {}
        load: dict[int, int] = defaultdict(int)
        weights = [r.schools for r in self.regions]
        for region, n in zip(self.regions, allocate(total, weights), strict=True):
            for yi, (year, need) in enumerate(
                zip(self.years, allocate(n, list(plan["shares"])), strict=True)
            ):
                if not need:
                    continue
                flags = self.flags[yi]
                mentees, by_muni, region_pool = [], defaultdict(list), []
                for m in region.munis:
                    muni = self.munis[m]
                    for o in muni.schools + muni.additional:
                        if flags[o] & SHNOR:
                            mentees.extend(self.orgs[o].managers)
                        else:
                            by_muni[m].extend(self.orgs[o].managers)
                    region_pool.extend(by_muni[m])
                rnd.shuffle(mentees)
                if region.idx == 0 and year == self.cur:
                    mentees.remove(self.fixed["director"])
                    mentees.insert(0, self.fixed["director"])
                made = 0
                for mentee in mentees:
                    if made >= need:
                        break
                    org = self.orgs[self.u_org[mentee]]
                    muni = self.munis[org.muni]
                    order = self.founding(muni.authority, kind.code, year)
                    start = max(self.orders[order][3], dt.date(year, 9, 1))
                    est = min(start + dt.timedelta(days=rnd.randint(0, 25)), self.as_of)
                    if busy.get(mentee, dt.date.min) >= est:
                        continue
                    mentor = None
                    for candidates, tries in ((by_muni[muni.idx], 6), (region_pool, 12)):
                        for _ in range(tries if candidates else 0):
                            u = rnd.choice(candidates)
                            if load[u] < plan["mentor_load"] and u != mentee:
                                mentor = u
                                break
                        if mentor is not None:
                            break
                    if mentor is None:
                        continue
                    closed = dt.date(year + 1, 6, 30) if rnd.random() < plan["ended"][yi] else None
                    busy[mentee] = closed or dt.date.max
                    load[mentor] += 1
                    made += 1
                    name = plan["name"].format(
                        mentee_org=org.short, mentor_org=self.orgs[self.u_org[mentor]].short
                    )
                    s = self._new(
                        kind.code,
                        name,
                        muni.methodical,
                        region.idx,
                        muni.idx,
                        order,
                        est,
                        self._programme_index[(region.idx, 1)],
                    )
                    if closed:
                        s.term_start, s.term_end = est, closed
                        s.closed, s.closing_reason = closed, ClosingReason.TERM_ENDED
                    s.add(rnd.choice(list(self.orgs[muni.methodical].staff)), watcher, est, closed)
                    s.add(mentor, Role.MENTOR, est, closed)
                    s.add(mentee, Role.MENTEE, est, closed)
        # The fixed curator watches many open pairs of the first region (R-TUL-A3-4.2.1).
        curator, director = self.fixed["curator"], self.fixed["director"]
        open_pairs = [
            s for s in self.structures if s.kind == kind.code and s.region == 0 and s.closed is None
        ]
        open_pairs.sort(key=lambda s: director not in s.used)  # the director's pair first
        for s in open_pairs[: self.size("curated_pairs")]:
            s.add(curator, watcher, s.est)

    def _fixed_memberships(self) -> None:
        """The fixed director also works in an association and a managers' community."""
        director = self.fixed["director"]
        muni = self.orgs[self.director_school].muni
        for code in data.DIRECTOR_ALSO_IN:
            mine = [s for s in self.structures if s.kind == code and s.region == 0]
            if not mine:
                continue
            if any(director in s.used for s in mine):
                continue
            s = next((s for s in mine if s.muni == muni), mine[0])
            s.add(director, Role.MEMBER, s.est)

    def structures_write(self) -> None:
        t0 = time.monotonic()
        # Parents first: sub-communities need their ids.
        for sub_pass in (False, True):
            batch = [s for s in self.structures if (s.parent >= 0) == sub_pass]
            objs = []
            for s in batch:
                objs.append(
                    Structure(
                        kind_id=self.kinds[s.kind],
                        name=s.name,
                        parent_id=self.structures[s.parent].id if s.parent >= 0 else None,
                        description=s.description,
                        founding_order_id=self.orders_ids[s.order],
                        regulation_title=data.REGULATIONS[s.kind],
                        host_id=self.orgs[s.host].id,
                        region_id=self.regions[s.region].id,
                        municipality_id=self.munis[s.muni].id if s.muni >= 0 else None,
                        programme_id=self.programme_ids[s.programme] if s.programme >= 0 else None,
                        established_on=s.est,
                        term_start=s.term_start,
                        term_end=s.term_end,
                        topic=s.topic,
                        platform_url=s.url,
                        participant_category=s.category,
                        closed_on=s.closed,
                        closing_order_id=(
                            self.orders_ids[s.closing_order] if s.closing_order >= 0 else None
                        ),
                        closing_reason=s.closing_reason,
                        search_text=structure_search_text(
                            name=s.name, topic=s.topic, participant_category=s.category
                        ),
                    )
                )
            for s, pk in zip(batch, self.save_stream(Structure, objs), strict=True):
                s.id = pk
        self.structure_by_id = {s.id: s for s in self.structures}

        def memberships() -> Iterator[Membership]:
            for s in self.structures:
                kind = self.kind_rows[s.kind]
                for u, role, since, until, elected in s.members:
                    self._check_membership(s, kind, u, role, since, until, elected)
                    yield Membership(
                        structure_id=s.id,
                        user_id=self.u_id[u],
                        role=role,
                        since=since,
                        until=until,
                        elected_on=elected,
                    )

        self.save_stream(Membership, memberships())
        self.report("Структуры", t0, Structure, Membership)

    def _check_membership(self, s: _S, kind: StructureKind, u, role, since, until, elected):
        """The rules Membership.clean checks, which bulk writing skips: a row that breaks one is a
        bug in the generator."""
        breach = membership_breach(kind, role, since=since, until=until, elected_on=elected)
        if breach is None and checks_person(kind, role):
            org, yi = self.u_org[u], SchoolYear.of(since).start - self.years[0]
            shnor = org >= 0 and 0 <= yi < len(self.years) and bool(self.flags[yi][org] & SHNOR)
            person = Joiner(leads=bool(self.u_leads[u]), has_organisation=org >= 0, shnor=shnor)
            breach = joining_breach(kind, role, person)
        if breach is not None:
            raise RuntimeError(f"{s.name}: {self.u_short[u]} as {role} breaks {breach}")

    def documents(self) -> None:
        """Orders and programmes: written once every structure has asked for its founding order."""
        t0 = time.monotonic()
        self.orders_ids = self.save_stream(
            Order,
            (
                Order(
                    kind=kind, issuer_id=self.orgs[issuer].id, number=number, date=date, title=title
                )
                for issuer, kind, number, date, title in self.orders
            ),
        )
        self.programme_ids = self.save_stream(
            Programme,
            (
                Programme(
                    title=title,
                    owner_id=self.orgs[owner].id,
                    order_id=self.orders_ids[order],
                    region_id=self.regions[region].id,
                    municipality_id=self.munis[muni].id if muni >= 0 else None,
                    starts_on=starts,
                    ends_on=ends,
                )
                for title, owner, order, region, muni, starts, ends in self.programmes
            ),
        )
        self.report("Приказы и программы", t0, Order, Programme)

    # --- Access: territory roles, mentoring settings ----------------------------------------------

    def access(self) -> None:
        t0 = time.monotonic()
        objs = []
        settings_taken = set(
            MentoringSettings.objects.filter(
                region_id__in=[r.id for r in self.regions]
            ).values_list("region_id", flat=True)
        )
        rnd = self.rng("access")
        mentoring = []
        for region in self.regions:
            centre = self.orgs[region.centre]
            academy = self.orgs[region.academy]
            authority = self.orgs[region.authority]
            roles = [
                (self.region_coordinator[region.idx], TerritoryRole.Role.COORDINATOR),
                (authority.start, TerritoryRole.Role.COORDINATOR),
                (
                    self.fixed["methodist"] if region.idx == 0 else centre.start + 1,
                    TerritoryRole.Role.METHODIST,
                ),
                (academy.start, TerritoryRole.Role.METHODIST),
            ]
            for u, role in roles:
                objs.append(TerritoryRole(user_id=self.uid(u), role=role, region_id=region.id))
            for m in region.munis:
                muni = self.munis[m]
                staff = self.orgs[muni.methodical]
                for u, role in (
                    (staff.start, TerritoryRole.Role.COORDINATOR),
                    (staff.start + 1, TerritoryRole.Role.METHODIST),
                ):
                    objs.append(
                        TerritoryRole(
                            user_id=self.uid(u),
                            role=role,
                            region_id=region.id,
                            municipality_id=muni.id,
                        )
                    )
            if region.id not in settings_taken:
                mentoring.append(
                    MentoringSettings(
                        region_id=region.id,
                        max_pairs_per_mentor=rnd.choice((3, 3, 3, 4, 5)),
                        dormant_after_days=rnd.choice((30, 30, 45)),
                        request_overdue_days=rnd.choice((14, 14, 10, 21)),
                    )
                )
        self.save_stream(TerritoryRole, objs)
        self.save(MentoringSettings, mentoring)
        limits.forget()  # written in bulk: the model's save() did not forget the cached ones
        self.report("Роли в территориях", t0, TerritoryRole, MentoringSettings)

    def competences(self) -> None:
        """Deficits of the heads and deputies of ШНОР/ШССУ, strengths of the partners' (matching
        needs ≥ 5,000 candidate mentors in the largest region at the national scale)."""
        t0 = time.monotonic()
        rnd = self.rng("competences")
        flags = self.flags[-1]

        def rows() -> Iterator[Competence]:
            for org in self.orgs:
                if org.kind not in WITH_MANAGERS:
                    continue
                weak = bool(flags[org.idx] & (SHNOR | SSSU))
                for u in org.managers:
                    if weak:
                        side, k, p = Competence.Side.DEFICIT, rnd.randint(2, 4), 0.9
                    else:
                        side, k, p = Competence.Side.STRENGTH, rnd.randint(2, 5), 0.85
                    if u == self.fixed.get("director"):
                        p = 1.0
                    if rnd.random() < p:
                        for topic in rnd.sample(self.topics, min(k, len(self.topics))):
                            yield Competence(
                                user_id=self.uid(u),
                                topic_id=topic,
                                side=side,
                                stated_at=at(self.as_of - dt.timedelta(days=rnd.randint(20, 400))),
                            )
                if flags[org.idx] & LEADER:
                    for u in org.teachers:
                        if rnd.random() < 0.3:
                            for topic in rnd.sample(self.topics, min(2, len(self.topics))):
                                yield Competence(
                                    user_id=self.uid(u),
                                    topic_id=topic,
                                    side=Competence.Side.STRENGTH,
                                    stated_at=at(
                                        self.as_of - dt.timedelta(days=rnd.randint(20, 400))
                                    ),
                                )

        self.save_stream(Competence, rows())
        self.report("Компетенции", t0, Competence)

    # --- Pairs: state, contacts, questionnaires ---------------------------------------------------

    def pairs(self) -> None:
        t0 = time.monotonic()
        rnd = self.rng("pairs")
        pairs = [s for s in self.structures if s.kind == "S4"]
        rematch: set[int] = set()

        def contacts() -> Iterator[Contact]:
            forms = (
                [ContactForm.MENTORING] * 11
                + [ContactForm.CONSULTING] * 6
                + [ContactForm.BRAINSTORMING] * 2
                + [ContactForm.OTHER]
            )
            for s in pairs:
                mentor, mentee = s.with_role(Role.MENTOR)[0], s.with_role(Role.MENTEE)[0]
                end = min(s.closed or self.as_of, self.as_of)
                if s.closed is None and rnd.random() < 0.1:
                    end = end - dt.timedelta(days=45)  # a dormant pair
                day = s.est + dt.timedelta(days=rnd.randint(3, 14))
                while day <= end:
                    yield Contact(
                        pair_id=s.id,
                        date=day,
                        form=rnd.choice(forms),
                        channel=rnd.choice(Channel.values),
                        topic=rnd.choice(data.CONTACT_TOPICS),
                        outcome=rnd.choice(data.CONTACT_OUTCOMES),
                        next_step="Встреча через месяц" if rnd.random() < 0.5 else "",
                        logged_by_id=self.uid(mentor if rnd.random() < 0.6 else mentee),
                    )
                    day += dt.timedelta(days=rnd.randint(14, 35))

        self.save_stream(Contact, contacts(), label=PAIR_CONTACTS)
        self._questionnaires(rnd, pairs, rematch)
        self.save_stream(
            PairState,
            (
                PairState(
                    pair_id=s.id,
                    needs_rematch=s.idx in rematch,
                    rematch_reason="Наставляемый ответил в анкете: «не подходит»"
                    if s.idx in rematch
                    else "",
                    flagged_at=at(self.as_of - dt.timedelta(days=3)) if s.idx in rematch else None,
                )
                for s in pairs
            ),
        )
        self.report(
            "Сетевые пары", t0, PAIR_CONTACTS, PairState, Questionnaire, Question, Round, Response
        )

    def _questionnaires(self, rnd, pairs: list[_S], rematch: set[int]) -> None:
        fit = ["подходит", "скорее подходит", "скорее не подходит", "не подходит"]
        forms = ["наставничество", "консультирование", "«мозговой штурм»"]
        questionnaires = self.save(
            Questionnaire,
            [
                Questionnaire(
                    title="Мониторинг наставнических отношений в сетевых парах",
                    description="Отвечают наставник и наставляемый каждой пары (R-TUL-A3-4.2.1, 5.3).",
                    region_id=r.id,
                    created_by_id=self.uid(self.region_coordinator[r.idx]),
                )
                for r in self.regions
            ],
        )
        topic_a, topic_b = self.topics[0], self.topics[min(1, len(self.topics) - 1)]
        spec = [
            ("Насколько регулярно проходят встречи пары?", Question.Kind.SCALE, [], None, []),
            (
                "Насколько вам подходит ваш партнёр по паре?",
                Question.Kind.SINGLE,
                fit,
                None,
                ["не подходит"],
            ),
            (
                "Насколько решена задача: внутренняя система оценки качества",
                Question.Kind.SCALE,
                [],
                topic_a,
                [],
            ),
            (
                "Насколько решена задача: анализ образовательных результатов",
                Question.Kind.SCALE,
                [],
                topic_b,
                [],
            ),
            ("Какие формы работы использовались?", Question.Kind.MULTIPLE, forms, None, []),
            ("Что было самым полезным?", Question.Kind.TEXT, [], None, []),
        ]
        questions = self.save(
            Question,
            [
                Question(
                    questionnaire_id=q.pk,
                    position=i,
                    text=text,
                    kind=kind,
                    options=options,
                    required=kind != Question.Kind.TEXT,
                    topic_id=topic,
                    rematch_answers=re,
                )
                for q in questionnaires
                for i, (text, kind, options, topic, re) in enumerate(spec, start=1)
            ],
        )
        keys = [str(q.pk) for q in questions]
        stages = [
            ("Входная анкета", (0, 10, 1), (0, 10, 31)),
            ("Промежуточная анкета", (0, 12, 1), (0, 12, 20)),
            ("Итоговая анкета", (1, 5, 10), (1, 5, 31)),
        ]
        rounds = []
        for r in self.regions:
            for year in self.years:
                for title, (dy1, m1, d1), (dy2, m2, d2) in stages:
                    rounds.append(
                        Round(
                            questionnaire_id=questionnaires[r.idx].pk,
                            title=f"{title} {SchoolYear(year).label}",
                            audience=Round.Audience.PAIRS,
                            school_year=year,
                            opens_on=dt.date(year + dy1, m1, d1),
                            closes_on=dt.date(year + dy2, m2, d2),
                            created_by_id=self.uid(self.region_coordinator[r.idx]),
                        )
                    )
        rounds = self.save(Round, rounds)
        per_region = len(self.years) * len(stages)
        by_region = defaultdict(list)
        for s in pairs:
            by_region[s.region].append(s)

        def responses() -> Iterator[Response]:
            for r in self.regions:
                base = r.idx * per_region
                qkeys = keys[r.idx * len(spec) : (r.idx + 1) * len(spec)]
                for rd in rounds[base : base + per_region]:
                    if rd.opens_on > self.as_of:
                        continue
                    is_open = rd.closes_on >= self.as_of
                    for s in by_region[r.idx]:
                        if s.est > rd.closes_on or (s.closed and s.closed < rd.opens_on):
                            continue
                        for side, role in (("mentor", Role.MENTOR), ("mentee", Role.MENTEE)):
                            chance = rnd.random()
                            if chance > (0.65 if is_open else 0.85):
                                continue
                            submitted = chance < (0.5 if is_open else 0.85)
                            last = min(rd.closes_on, self.as_of)
                            answer_fit = rnd.choices(fit, weights=(60, 30, 7, 3))[0]
                            if answer_fit == "не подходит" and (
                                side != "mentee" or s.closed or not submitted
                            ):
                                answer_fit = "скорее не подходит"
                            if answer_fit == "не подходит":
                                rematch.add(s.idx)
                            answers = {
                                qkeys[0]: rnd.randint(2, 5),
                                qkeys[1]: answer_fit,
                                qkeys[2]: rnd.randint(1, 5),
                                qkeys[3]: rnd.randint(1, 5),
                                qkeys[4]: [f for f in forms if rnd.random() < 0.6] or [forms[0]],
                            }
                            if rnd.random() < 0.3:
                                answers[qkeys[5]] = rnd.choice(data.CONTACT_OUTCOMES)
                            if not submitted:
                                answers = dict(list(answers.items())[:2])
                            yield Response(
                                round_id=rd.pk,
                                respondent_id=self.uid(s.with_role(role)[0]),
                                pair_id=s.id,
                                side=side,
                                answers=answers,
                                submitted_at=(
                                    at(rand_date(rnd, rd.opens_on, last), 12 + rnd.randint(0, 6))
                                    if submitted
                                    else None
                                ),
                            )

        self.save_stream(Response, responses())

    # --- Tutoring (S6, S8) --------------------------------------------------------------------------

    def tutoring(self) -> None:
        t0 = time.monotonic()
        rnd = self.rng("tutoring")
        assignments: list[TutorAssignment] = []
        spans: list[tuple[dt.date, dt.date, int]] = []
        for s in self.structures:
            if s.kind not in ("S6", "S8"):
                continue
            tutors = s.with_role(Role.TUTOR)
            members = [
                (u, since, until) for u, role, since, until, _e in s.members if role == Role.MEMBER
            ]
            if not tutors or not members:
                continue
            for tutor in tutors:
                subject = s.subject if s.subject >= 0 else self.u_subj[tutor]
                name = data.SUBJECTS[subject][0] if subject >= 0 else "Общие вопросы"
                for u, since, until in rnd.sample(members, min(len(members), rnd.randint(1, 3))):
                    start = max(since, s.est)
                    end = until or s.closed
                    assignments.append(
                        TutorAssignment(
                            structure_id=s.id,
                            tutor_id=self.uid(tutor),
                            teacher_id=self.uid(u),
                            subject=name,
                            since=start,
                            until=end,
                            assigned_by_id=self.uid(s.lead()),
                        )
                    )
                    spans.append((start, min(end or self.as_of, self.as_of), tutor))
        created = self.save(TutorAssignment, assignments)

        def sessions() -> Iterator[Contact]:
            for a, (start, end, tutor) in zip(created, spans, strict=True):
                day = start + dt.timedelta(days=rnd.randint(7, 30))
                count = 0
                while day <= end and count < 8:
                    yield Contact(
                        tutoring_id=a.pk,
                        date=day,
                        form=rnd.choice([ContactForm.CONSULTING, ContactForm.MENTORING]),
                        channel=rnd.choice(
                            [Channel.COMMUNITY, Channel.MESSENGER, Channel.IN_PERSON]
                        ),
                        topic=rnd.choice(data.CONTACT_TOPICS),
                        outcome=rnd.choice(data.CONTACT_OUTCOMES),
                        logged_by_id=self.uid(tutor),
                    )
                    day += dt.timedelta(days=rnd.randint(20, 60))
                    count += 1

        self.save_stream(Contact, sessions(), label=TUTORING_SESSIONS)
        self.report("Тьюторство", t0, TutorAssignment, TUTORING_SESSIONS)

    # --- The year of each structure: plans, events, attendance, minutes -------------------------

    EVENTS = {
        "S1": (3, [EventForm.SEMINAR, EventForm.WEBINAR, EventForm.MEETING]),
        "S2": (4, [EventForm.MEETING]),
        "S3": (1, [EventForm.WEBINAR]),
        "S3g": (2, [EventForm.WEBINAR, EventForm.MASTER_CLASS]),
        "S5": (4, [EventForm.MEETING]),
        "S6": (3, [EventForm.WEBINAR, EventForm.MASTER_CLASS, EventForm.CONSULTATION]),
        "S7": (
            4,
            [EventForm.MEETING, EventForm.SEMINAR, EventForm.ROUND_TABLE, EventForm.MASTER_CLASS],
        ),
        "S8": (3, [EventForm.CONFERENCE, EventForm.SEMINAR, EventForm.MEETING]),
        "S8g": (2, [EventForm.MASTER_CLASS, EventForm.WEBINAR]),
    }

    def _event_specs(self, rnd, s: _S, year: int) -> list[tuple[dt.date, int, str]]:
        """(date, hour, form) of the structure's events in the school year."""
        key = s.kind + ("g" if s.parent >= 0 else "")
        if key not in self.EVENTS:
            return []
        count, forms = self.EVENTS[key]
        if s.kind == "S5" and rnd.random() < 0.3:
            count += 1  # R-TUL-A4-4.3: at least four meetings, sometimes more
        sy = SchoolYear(year)
        start = max(s.est, sy.first_day)
        end = min(s.closed or sy.last_day, sy.last_day)
        if start > end:
            return []
        months = [
            (y, m)
            for y, m in school_year_months(year)
            if dt.date(y, m, 28) >= start and dt.date(y, m, 1) <= end
        ]
        if not months:
            return []
        if s.kind == "S5" and len(months) >= count:
            # Spread over the year: one meeting in each part of it.
            parts = [
                months[i * len(months) // count : (i + 1) * len(months) // count]
                for i in range(count)
            ]
            chosen = [rnd.choice(p) for p in parts]
        else:
            chosen = sorted(rnd.sample(months, min(count, len(months))), key=months.index)
        out = []
        for i, (y, m) in enumerate(chosen):
            day = dt.date(y, m, rnd.randint(3, 27))
            day = min(max(day, start), end)
            out.append((day, rnd.choice((10, 14, 15, 16)), forms[i % len(forms)]))
        return out

    def life(self) -> None:
        t0 = time.monotonic()
        rnd = self.rng("life")
        titles: dict[str, list[str]] = defaultdict(list)
        for title, form in data.PLAN_ITEMS:
            titles[form].append(title)
        done = 0
        for s_chunk in chunks(self.structures, LIFE_CHUNK):
            self._life_chunk(rnd, s_chunk, titles)
            done += len(s_chunk)
            if done % (LIFE_CHUNK * 5) == 0:
                self.log(
                    f"  … структур обработано {_n(done)} из {_n(len(self.structures))}, "
                    f"{time.monotonic() - t0:.0f} с"
                )
        self.report(
            "Планы, мероприятия, протоколы",
            t0,
            Plan,
            PlanItem,
            PlanStep,
            Event,
            Attendance,
            Minutes,
            MinutesItem,
        )

    def _steps(
        self, rnd, s: _S, status: str, submit_at: dt.datetime
    ) -> list[tuple[str, int, dt.datetime, str]]:
        kind = self.kind_rows[s.kind]
        author = next((u for r in kind.plan_author_roles for u in s.with_role(r)), s.lead())
        steps = [(PlanStep.Action.SUBMIT, author, submit_at, "")]
        if status == Plan.Status.SUBMITTED:
            return steps
        if status == Plan.Status.RETURNED:
            return [
                *steps,
                (
                    PlanStep.Action.RETURN,
                    self.region_coordinator[s.region],
                    submit_at + dt.timedelta(days=3),
                    "Уточните сроки и ответственных по пунктам 3–5.",
                ),
            ]
        when = submit_at
        agree = [u for r in kind.plan_agree_roles for u in s.with_role(r)]
        if agree:
            for u in agree if kind.plan_agree_all else agree[:1]:
                when += dt.timedelta(hours=rnd.randint(4, 48))
                steps.append((PlanStep.Action.AGREE, u, when, ""))
        if status == Plan.Status.AGREED:
            return steps
        approver = next(
            (u for r in kind.plan_approve_roles for u in s.with_role(r)),
            self.region_coordinator[s.region],
        )
        steps.append(
            (PlanStep.Action.APPROVE, approver, when + dt.timedelta(days=rnd.randint(1, 7)), "")
        )
        return steps

    def _life_chunk(self, rnd, structures: list[_S], titles) -> None:
        as_of = self.as_of
        plans, plan_meta = [], []
        specs: dict[tuple[int, int], list] = {}
        for s in structures:
            if s.kind == "S4":
                continue
            for year in self.years:
                sy = SchoolYear(year)
                if s.est > min(sy.last_day, as_of) or (s.closed and s.closed < sy.first_day):
                    continue
                specs[(s.idx, year)] = [
                    (day, hour, form, rnd.choice(titles[form]))
                    for day, hour, form in self._event_specs(rnd, s, year)
                ]
                if s.parent >= 0:
                    continue
                if year < self.cur:
                    status = Plan.Status.APPROVED
                else:
                    status = rnd.choices(
                        [
                            Plan.Status.APPROVED,
                            Plan.Status.SUBMITTED,
                            Plan.Status.AGREED,
                            Plan.Status.DRAFT,
                            Plan.Status.RETURNED,
                        ],
                        weights=(
                            60,
                            15,
                            5 if self.kind_rows[s.kind].plan_agree_roles else 0,
                            15,
                            5,
                        ),
                    )[0]
                submit_day = rand_date(rnd, max(s.est, dt.date(year, 8, 20)), dt.date(year, 9, 10))
                submit_day = min(submit_day, as_of - dt.timedelta(days=10))
                submit_at = at(max(submit_day, s.est), 11)
                steps = (
                    [] if status == Plan.Status.DRAFT else self._steps(rnd, s, status, submit_at)
                )
                steps = [st for st in steps if st[2].date() < as_of]
                # A step that would fall after today has not happened: the plan is where it stopped.
                status = STATUS_AFTER[steps[-1][0]] if steps else Plan.Status.DRAFT
                plans.append(
                    Plan(
                        structure_id=s.id,
                        school_year=year,
                        status=status,
                        created_by_id=self.uid(steps[0][1] if steps else s.lead()),
                    )
                )
                plan_meta.append((s, year, steps))
                if steps:
                    self.plan_submitted[(s.idx, year)] = steps[0][2]
        plans = self.save(Plan, plans)
        items, item_keys, steps_rows = [], [], []
        for plan, (s, year, steps) in zip(plans, plan_meta, strict=True):
            responsible = f"{self.u_short[s.lead()]}"
            rows = []
            for k, (day, _hour, form, title) in enumerate(specs[(s.idx, year)]):
                rows.append((day, None, title, form, k))
            for title, form in rnd.sample(data.PLAN_ITEMS, rnd.randint(2, 4)):
                y, m = rnd.choice(school_year_months(year))
                rows.append((dt.date(y, m, 28), m, title, form, None))
            rows.sort(key=lambda r: r[0])
            for position, (day, month, title, form, event_no) in enumerate(rows, start=1):
                past = day < as_of
                done = past and rnd.random() < 0.85
                items.append(
                    PlanItem(
                        plan_id=plan.pk,
                        position=position,
                        title=title,
                        form=form,
                        month=month,
                        date=None if month else day,
                        responsible=responsible,
                        audience=rnd.choice(data.AUDIENCES),
                        expected_result=rnd.choice(data.RESULTS),
                        done=done,
                        done_note="Проведено" if done else "",
                    )
                )
                item_keys.append((s.idx, year, event_no))
            for action, by, when, comment in steps:
                steps_rows.append(
                    PlanStep(
                        plan_id=plan.pk, action=action, by_id=self.uid(by), at=when, comment=comment
                    )
                )
        items = self.save(PlanItem, items)
        item_for_event = {
            key: item.pk for key, item in zip(item_keys, items, strict=True) if key[2] is not None
        }
        self.save(PlanStep, steps_rows)

        events, event_meta = [], []
        for (idx, year), event_specs in specs.items():
            s = self.structures[idx]
            tz = self.tz(s.region)
            default = self.kind_rows[s.kind].default_event_format
            host = self.orgs[s.host].short
            for k, (day, hour, form, title) in enumerate(event_specs):
                starts = at(day, hour, 0, tz)
                fmt = (
                    EventFormat.REMOTE
                    if s.kind in ("S2", "S3") or default == EventFormat.REMOTE
                    else rnd.choices(
                        [EventFormat.IN_PERSON, EventFormat.MIXED, EventFormat.REMOTE], (70, 20, 10)
                    )[0]
                )
                if day < as_of:
                    status = Event.Status.HELD if rnd.random() < 0.96 else Event.Status.CANCELLED
                elif s.kind == "S7" and rnd.random() < 0.3:
                    status = Event.Status.PROPOSED  # R-DMI-4.1: a participant school proposes
                else:
                    status = Event.Status.SCHEDULED
                proposer = None
                if status == Event.Status.PROPOSED:
                    members = s.with_role(Role.MEMBER)
                    proposer = self.orgs[self.u_org[rnd.choice(members)]].id if members else None
                events.append(
                    Event(
                        structure_id=s.id,
                        plan_item_id=item_for_event.get((idx, year, k)),
                        title=title,
                        form=form,
                        format=fmt,
                        starts_at=starts,
                        ends_at=starts + dt.timedelta(minutes=rnd.choice((60, 90, 120))),
                        place=host if fmt != EventFormat.REMOTE else "",
                        link=(
                            f"https://sferum.ru/?call_link=s{s.idx}y{year}e{k}"
                            if fmt != EventFormat.IN_PERSON
                            else ""
                        ),
                        status=status,
                        proposed_by_id=proposer,
                        created_by_id=self.uid(s.lead()),
                    )
                )
                event_meta.append((s, year, day, status, form))
        events = self.save(Event, events)

        attendance, minutes, minutes_meta = [], [], []
        numbers: dict[tuple[int, int], int] = defaultdict(int)
        for event, (s, year, day, status, form) in zip(events, event_meta, strict=True):
            invited = s.active_on(day)
            came = 0
            for u in invited:
                attended = None
                if status == Event.Status.HELD:
                    attended = rnd.random() < 0.8
                    came += attended
                attendance.append(
                    Attendance(
                        event_id=event.pk, user_id=self.uid(u), invited=True, attended=attended
                    )
                )
            if status == Event.Status.HELD and s.kind in ("S5", "S7") and rnd.random() < 0.2:
                guest = (
                    f"{rnd.choice(data.SURNAMES)} {rnd.choice(data.MALE_NAMES)[0][0]}."
                    f"{rnd.choice(data.MALE_NAMES)[1][0]}."
                )
                attendance.append(
                    Attendance(
                        event_id=event.pk,
                        guest_name=guest,
                        guest_organisation=self.orgs[self.munis[s.muni].methodical].short
                        if s.muni >= 0
                        else self.orgs[self.regions[s.region].centre].short,
                        invited=False,
                        attended=True,
                    )
                )
                came += 1
            figures = self.figures.setdefault(
                (s.idx, year), {"events": 0, "meetings": 0, "minutes": 0}
            )
            if status == Event.Status.HELD:
                figures["events"] += 1
            if status != Event.Status.HELD or form != EventForm.MEETING:
                continue
            figures["meetings"] += 1
            recent = year == self.cur
            chance = rnd.random()
            if recent and chance < 0.05:
                continue  # held, minutes not filed yet: the reminders ask for them
            signed = not (recent and chance < 0.10)
            numbers[(s.idx, year)] += 1
            signer = s.lead()
            signed_at = (
                min(
                    at(day + dt.timedelta(days=rnd.randint(1, 5)), 17),
                    at(as_of - dt.timedelta(days=1), 20),
                )
                if signed
                else None
            )
            minutes.append(
                Minutes(
                    event_id=event.pk,
                    number=str(numbers[(s.idx, year)]),
                    date=day,
                    status=Minutes.Status.SIGNED if signed else Minutes.Status.DRAFT,
                    attendee_count=came if signed else None,
                    created_by_id=self.uid(signer),
                    signed_by_id=self.uid(signer) if signed else None,
                    signed_at=signed_at,
                )
            )
            minutes_meta.append((s, numbers[(s.idx, year)]))
            figures["minutes"] += signed
        self.save(Attendance, attendance)
        minutes = self.save(Minutes, minutes)
        items = []
        for m, (s, number) in zip(minutes, minutes_meta, strict=True):
            chosen = rnd.sample(data.MINUTES_ITEMS[:6], rnd.randint(2, 3))
            if s.kind == "S5" and number == 1:
                chosen.append(data.MINUTES_ITEMS[6])  # R-TUL-A4-4.1: the head is elected
            for position, (question, decision, recommendations) in enumerate(chosen, start=1):
                items.append(
                    MinutesItem(
                        minutes_id=m.pk,
                        position=position,
                        question=question,
                        decision=decision,
                        recommendations=recommendations,
                    )
                )
        self.save(MinutesItem, items)

    # --- Materials, discussions, join requests, organisation requests ---------------------------

    def community_extras(self) -> None:
        t0 = time.monotonic()
        rnd = self.rng("extras")
        materials, discussions, discussion_meta, requests = [], [], [], []
        for s in self.structures:
            if s.kind in ("S1", "S3", "S5", "S8") and (s.kind != "S3" or s.parent >= 0):
                members = [m[0] for m in s.members]
                subject = data.SUBJECTS[s.subject][0] if s.subject >= 0 else ""
                for k in range(rnd.randint(0, 3)):
                    title, kind = rnd.choice(data.MATERIAL_TITLES)
                    status = Material.Status.PUBLISHED
                    premoderated = self.kind_rows[s.kind].materials_premoderated
                    if premoderated:
                        status = rnd.choices(
                            [
                                Material.Status.PUBLISHED,
                                Material.Status.PENDING,
                                Material.Status.REMOVED,
                            ],
                            (80, 15, 5),
                        )[0]
                    when = at(rand_date(rnd, s.est, self.as_of), 13)
                    description = f"Материал участника сообщества «{s.name}»."
                    materials.append(
                        Material(
                            structure_id=s.id,
                            title=title,
                            subject=subject,
                            kind=kind,
                            description=description,
                            link=f"https://example.ru/materials/{s.idx}-{k}",
                            author_id=self.uid(rnd.choice(members)),
                            status=status,
                            admitted_by_id=self.uid(s.lead())
                            if premoderated and status != Material.Status.PENDING
                            else None,
                            admitted_at=when
                            if premoderated and status != Material.Status.PENDING
                            else None,
                            removed_by_id=self.uid(s.lead())
                            if status == Material.Status.REMOVED
                            else None,
                            removed_at=when + dt.timedelta(days=2)
                            if status == Material.Status.REMOVED
                            else None,
                            removal_reason="Материал повторяет уже размещённый."
                            if status == Material.Status.REMOVED
                            else "",
                            search_text=material_search_text(
                                title=title, subject=subject, description=description
                            ),
                        )
                    )
                if (
                    s.kind in ("S1", "S8")
                    and s.closed is None
                    and rnd.random() < 0.4
                    and len(members) > 2
                ):
                    title, body = rnd.choice(data.DISCUSSION_TOPICS)
                    discussions.append(
                        Discussion(
                            structure_id=s.id,
                            title=title,
                            body=body,
                            opened_by_id=self.uid(s.lead()),
                        )
                    )
                    discussion_meta.append(members)
            if self.kind_rows[s.kind].open_membership and s.closed is None and rnd.random() < 0.1:
                pool = (
                    self.subject_pool(s.region, s.muni, s.subject)
                    if s.subject >= 0
                    else self.pool("managers" if s.kind == "S1" else "teachers", s.region, s.muni)
                )
                for u in rnd.sample(pool, min(len(pool), 3))[: rnd.randint(1, 3)]:
                    if u in s.used:
                        continue
                    requests.append(
                        JoinRequest(
                            structure_id=s.id,
                            user_id=self.uid(u),
                            reason="Хочу участвовать в работе сообщества и делиться опытом.",
                            created_at=at(self.as_of - dt.timedelta(days=rnd.randint(1, 20)), 12),
                        )
                    )
        self.save_stream(Material, materials)
        discussions = self.save(Discussion, discussions)
        posts = [
            Post(
                discussion_id=d.pk,
                author_id=self.uid(rnd.choice(members)),
                body=rnd.choice(data.POST_TEXTS),
            )
            for d, members in zip(discussions, discussion_meta, strict=True)
            for _ in range(rnd.randint(2, 5))
        ]
        self.save_stream(Post, posts)
        self.save_stream(JoinRequest, requests)
        orgreq = [
            OrganisationRequest(
                user_id=self.uid(u),
                name=f"МБОУ «СОШ № {rnd.randint(40, 99)}»",
                region_id=self.regions[r].id,
                municipality=self.munis[rnd.choice(self.regions[r].munis)].name,
                created_at=at(self.as_of - dt.timedelta(days=rnd.randint(1, 10)), 15),
            )
            for r, u in self.orgreq_users
        ]
        self.save(OrganisationRequest, orgreq)
        self.report(
            "Материалы и заявки", t0, Material, Discussion, Post, JoinRequest, OrganisationRequest
        )

    # --- Online-group statistics (S2, S3 groups) --------------------------------------------------

    def group_statistics(self) -> None:
        t0 = time.monotonic()
        rnd = self.rng("statistics")
        first = SchoolYear(self.cur - 1).first_day

        def rows() -> Iterator[GroupStatistics]:
            for s in self.structures:
                if not (s.kind == "S2" or (s.kind == "S3" and s.parent >= 0)):
                    continue
                admin = s.with_role(Role.ADMINISTRATOR)
                size = len(s.members)
                day = max(first, s.est).replace(day=1)
                while True:
                    end = (day.replace(day=28) + dt.timedelta(days=4)).replace(
                        day=1
                    ) - dt.timedelta(days=1)
                    if end >= self.as_of:
                        break
                    summer = day.month in (7, 8)
                    visitors = max(1, int(size * rnd.uniform(0.8, 3.0) * (0.4 if summer else 1)))
                    views = visitors * rnd.randint(2, 6)
                    actions = int(visitors * rnd.uniform(0.1, 0.5))
                    yield GroupStatistics(
                        structure_id=s.id,
                        period_start=day,
                        period_end=end,
                        visitors=visitors,
                        views=views,
                        actions=actions,
                        feedback=int(actions * rnd.uniform(0.05, 0.3)),
                        source=rnd.choice(
                            [GroupStatistics.Source.MANUAL, GroupStatistics.Source.IMPORT]
                        ),
                        entered_by_id=self.uid(admin[0]) if admin else None,
                    )
                    day = end + dt.timedelta(days=1)

        self.save_stream(GroupStatistics, rows())
        self.report("Статистика групп", t0, GroupStatistics)

    # --- Help requests ------------------------------------------------------------------------------

    def help_requests(self) -> None:
        t0 = time.monotonic()
        rnd = self.rng("help")
        flags = self.flags[-1]
        weights = [r.schools for r in self.regions]
        objs = []
        for region, n in zip(
            self.regions, allocate(self.size("help_requests"), weights), strict=True
        ):
            people = [
                u
                for m in region.munis
                for o in self.munis[m].schools
                if flags[o] & (SHNOR | SSSU)
                for u in self.orgs[o].staff
            ]
            consultants = self.region_methodists[region.idx] + [
                u for m in region.munis[:10] for u in self.orgs[self.munis[m].methodical].staff
            ]
            coordinator = self.region_coordinator[region.idx]
            for _ in range(n if people else 0):
                u = rnd.choice(people)
                created = at(
                    self.as_of - dt.timedelta(days=rnd.randint(0, 120)), rnd.randint(8, 18)
                )
                status = rnd.choices(list(HelpRequest.Status.values), (25, 20, 20, 15, 20))[0]
                row = HelpRequest(
                    requester_id=self.uid(u),
                    organisation_id=self.orgs[self.u_org[u]].id,
                    region_id=region.id,
                    topic_id=rnd.choice(self.topics),
                    description=rnd.choice(data.HELP_TEXTS),
                    status=status,
                    created_at=created,
                )
                if status != HelpRequest.Status.NEW:
                    row.consultant_id = self.uid(rnd.choice(consultants))
                    row.routed_by_id = self.uid(coordinator)
                    row.routed_at = created + dt.timedelta(days=rnd.randint(0, 3))
                if status in (
                    HelpRequest.Status.ANSWERED,
                    HelpRequest.Status.CONSULTED,
                    HelpRequest.Status.CLOSED,
                ):
                    row.answer = "Проведена консультация, направлены методические материалы."
                    row.answered_at = row.routed_at + dt.timedelta(days=rnd.randint(1, 7))
                if status == HelpRequest.Status.CLOSED:
                    row.helped = rnd.random() < 0.85
                    row.confirmed_at = row.answered_at + dt.timedelta(days=rnd.randint(1, 5))
                objs.append(row)
        self.save_stream(HelpRequest, objs)
        self.report("Запросы адресной помощи", t0, HelpRequest)

    # --- The schools' own records (issue 21): curators, risk profiles, development documents -----

    def _supported(self, region: _Region, yi: int, bits: int) -> list[int]:
        flags = self.flags[yi]
        return [o for m in region.munis for o in self.munis[m].schools if flags[o] & bits]

    def school_curators(self) -> None:
        """Nine in ten ШНОР and ШССУ of the current year have a curator: a methodist of the region
        or of the school's municipality, each curating several schools; the fixed curator curates
        the fixed director's school and others of the first region. A few curators have left."""
        t0 = time.monotonic()
        rnd = self.rng("school_curators")
        self.school_curator: dict[int, int] = {}  # school → its current curator (a person)
        year = SchoolYear(self.cur)
        objs = []
        for region in self.regions:
            coordinator = self.uid(self.region_coordinator[region.idx])
            methodists = self.region_methodists[region.idx]
            schools = self._supported(region, -1, SHNOR | SSSU)
            for o in schools:
                fixed = region.idx == 0 and (o == self.director_school or rnd.random() < 0.3)
                if not fixed and rnd.random() >= 0.9:
                    continue
                muni = self.munis[self.orgs[o].muni]
                local = list(self.orgs[muni.methodical].staff)
                curator = (
                    self.fixed["curator"]
                    if fixed
                    else rnd.choice(local if local and rnd.random() < 0.6 else methodists)
                )
                since = rand_date(
                    rnd, year.first_day, min(year.first_day + dt.timedelta(60), self.as_of)
                )
                if rnd.random() < 0.1 and curator != self.fixed["curator"]:
                    gone = rnd.choice(methodists)
                    if gone != curator:
                        objs.append(
                            SchoolCurator(
                                organisation_id=self.orgs[o].id,
                                user_id=self.uid(gone),
                                since=SchoolYear(self.cur - 1).first_day + dt.timedelta(30),
                                until=since - dt.timedelta(days=1),
                                assigned_by_id=coordinator,
                            )
                        )
                self.school_curator[o] = curator
                objs.append(
                    SchoolCurator(
                        organisation_id=self.orgs[o].id,
                        user_id=self.uid(curator),
                        since=since,
                        assigned_by_id=coordinator,
                    )
                )
        self.save_stream(SchoolCurator, objs)
        self.report("Кураторы школ", t0, SchoolCurator)

    def risk_profiles(self) -> None:
        """The «500+» factors of each school year (schools.factors, as the data migration loads
        them), and every ШНОР of a year 1–4 of them with a level; a ШССУ one or two, half of them.
        Most come from the region's file, the rest entered by the curator."""
        t0 = time.monotonic()
        load_default_factors(RiskFactor, self.years)
        factors = defaultdict(list)
        for pk, year in (
            RiskFactor.objects.filter(school_year__in=self.years)
            .order_by("school_year", "ordering", "code")
            .values_list("pk", "school_year")
        ):
            factors[year].append(pk)
        rnd = self.rng("risks")
        self.school_risks: dict[tuple[int, int], list[int]] = {}  # (school, year) → factor ids
        objs = []
        for region in self.regions:
            coordinator = self.uid(self.region_coordinator[region.idx])
            for yi, year in enumerate(self.years):
                first = SchoolYear(year).first_day
                for o in self._supported(region, yi, SHNOR | SSSU):
                    if self.flags[yi][o] & SHNOR:
                        k = rnd.choices((1, 2, 3, 4), (20, 35, 30, 15))[0]
                    elif rnd.random() < 0.5:
                        k = rnd.randint(1, 2)
                    else:
                        continue
                    chosen = sorted(rnd.sample(factors[year], min(k, len(factors[year]))))
                    self.school_risks[(o, year)] = chosen
                    curator = self.school_curator.get(o)
                    for factor in chosen:
                        by_curator = curator is not None and rnd.random() < 0.3
                        day = min(first + dt.timedelta(days=rnd.randint(10, 60)), self.as_of)
                        objs.append(
                            SchoolRisk(
                                organisation_id=self.orgs[o].id,
                                factor_id=factor,
                                level=rnd.choices(RiskLevel.values, (30, 45, 25))[0],
                                source=SchoolRisk.Source.CURATOR
                                if by_curator
                                else SchoolRisk.Source.IMPORT,
                                updated_by_id=self.uid(curator) if by_curator else coordinator,
                                updated_at=at(day, rnd.randint(9, 17), tz=self.tz(region.idx)),
                            )
                        )
        self.save_stream(SchoolRisk, objs)
        self.report("Профили рисков", t0, RiskFactor, SchoolRisk)

    def development_documents(self) -> None:
        """For each school with a risk profile of a year: its concept and medium-term programme
        (most of them) and an antirisk programme for most of its factors. Past years' documents are
        mostly accepted; the current year's are spread over every status. Each document's history
        is the chain of statuses that led to it (a return and a resubmission now and then)."""
        t0 = time.monotonic()
        rnd = self.rng("school_documents")
        names = {
            DocumentKind.CONCEPT: "kontseptsiya",
            DocumentKind.PROGRAMME: "programma",
            DocumentKind.ANTIRISK: "antiriskovaya",
        }
        docs, histories = [], []
        statuses = list(DocumentStatus.values)  # draft, submitted, accepted, returned
        for region in self.regions:
            coordinator = self.region_coordinator[region.idx]
            tz = self.tz(region.idx)
            for year in self.years:
                past = year < self.cur
                first = SchoolYear(year).first_day
                for m in region.munis:
                    for o in self.munis[m].schools:
                        factors = self.school_risks.get((o, year))
                        if factors is None:
                            continue
                        wanted = [
                            (kind, None)
                            for kind, share in (
                                (DocumentKind.CONCEPT, 0.8),
                                (DocumentKind.PROGRAMME, 0.7),
                            )
                            if rnd.random() < share
                        ] + [(DocumentKind.ANTIRISK, f) for f in factors if rnd.random() < 0.75]
                        director = self.orgs[o].start
                        decider = self.school_curator.get(o, coordinator)
                        for kind, factor in wanted:
                            status = rnd.choices(
                                statuses, (2, 5, 85, 8) if past else (25, 30, 30, 15)
                            )[0]
                            steps = {
                                DocumentStatus.DRAFT: ["draft"],
                                DocumentStatus.SUBMITTED: ["draft", "submitted"],
                                DocumentStatus.ACCEPTED: ["draft", "submitted", "accepted"],
                                DocumentStatus.RETURNED: ["draft", "submitted", "returned"],
                            }[status]
                            if status != DocumentStatus.DRAFT and rnd.random() < 0.2:
                                steps[1:1] = ["submitted", "returned"]  # returned once before
                            day = first + dt.timedelta(days=rnd.randint(20, 70))
                            moments = []
                            for _ in steps:
                                moments.append(min(day, self.as_of))
                                day += dt.timedelta(days=rnd.randint(2, 14))
                            comment = (
                                rnd.choice(data.DOCUMENT_RETURNS)
                                if status == DocumentStatus.RETURNED
                                else ""
                            )
                            filename = f"{names[kind]}_{year}.pdf"
                            docs.append(
                                DevelopmentDocument(
                                    organisation_id=self.orgs[o].id,
                                    kind=kind,
                                    school_year=year,
                                    factor_id=factor,
                                    file=f"schools/documents/{year}/{self.orgs[o].id}_{filename}",
                                    filename=filename,
                                    status=status,
                                    comment=comment,
                                    uploaded_by_id=self.uid(director),
                                    created_at=at(moments[0], rnd.randint(9, 17), tz=tz),
                                )
                            )
                            history = []
                            for step, day_at in zip(steps, moments, strict=True):
                                decided = step in ("accepted", "returned")
                                history.append(
                                    (
                                        step,
                                        self.uid(decider if decided else director),
                                        at(day_at, 11 if decided else 10, tz=tz),
                                        rnd.choice(data.DOCUMENT_RETURNS)
                                        if step == "returned"
                                        else "",
                                    )
                                )
                            if status == DocumentStatus.RETURNED:
                                history[-1] = (*history[-1][:3], comment)
                            histories.append(history)
        ids = self.save_stream(DevelopmentDocument, docs)
        self.save_stream(
            DocumentStatusChange,
            (
                DocumentStatusChange(
                    document_id=pk, status=status, by_id=by, at=moment, comment=comment
                )
                for pk, history in zip(ids, histories, strict=True)
                for status, by, moment, comment in history
            ),
        )
        self.report("Документы развития школ", t0, DevelopmentDocument, DocumentStatusChange)

    # --- Deadlines and reports ----------------------------------------------------------------------

    def deadlines_and_reports(self) -> None:
        t0 = time.monotonic()
        rnd = self.rng("reports")
        created = 0
        for year in self.years:
            created += deadlines_instantiate(year=SchoolYear(year))
            connection.queries_log.clear()
        self.result.counts[_label(Deadline)] = created
        rules = {r.pk: r for r in DeadlineRule.objects.all()}
        deadlines = list(
            Deadline.objects.filter(school_year__in=self.years, delivered_at__isnull=True)
            .only("pk", "rule_id", "structure_id", "school_year", "due_on", "delivered_at")
            .order_by("pk")
        )
        delivered, reports = [], []
        for d in deadlines:
            s = self.structure_by_id.get(d.structure_id)
            if s is None:
                continue  # not ours (--force on top of other data)
            rule = rules[d.rule_id]
            if rule.deliverable == Deliverable.PLAN:
                when = self.plan_submitted.get((s.idx, d.school_year))
                if when is not None:
                    d.delivered_at = when
                    delivered.append(d)
                continue
            author = next(iter(s.with_role(rule.deliverer_role)), s.lead())
            if d.due_on < self.as_of and rnd.random() < 0.88:
                late = rnd.random() < 0.1
                day = (
                    d.due_on + dt.timedelta(days=rnd.randint(1, 20))
                    if late
                    else d.due_on - dt.timedelta(days=rnd.randint(0, 10))
                )
                day = min(day, self.as_of - dt.timedelta(days=1))
                d.delivered_at = at(day, 16)
                delivered.append(d)
                status = rnd.choices(
                    [Report.Status.ACCEPTED, Report.Status.SUBMITTED, Report.Status.RETURNED],
                    (80, 12, 8),
                )[0]
                decided = status != Report.Status.SUBMITTED
                figures = dict(self.figures.get((s.idx, d.school_year), {}))
                figures["members"] = len(s.active_on(min(d.due_on, self.as_of)))
                reports.append(
                    Report(
                        structure_id=d.structure_id,
                        school_year=d.school_year,
                        deadline_id=d.pk,
                        title=rule.title,
                        status=status,
                        analysis=rnd.choice(data.REPORT_TEXTS),
                        problems=rnd.choice(data.REPORT_PROBLEMS),
                        plans=rnd.choice(data.REPORT_PLANS),
                        figures=figures,
                        author_id=self.uid(author),
                        submitted_at=d.delivered_at,
                        decided_by_id=self.uid(self.region_coordinator[s.region])
                        if decided
                        else None,
                        decided_at=d.delivered_at + dt.timedelta(days=rnd.randint(2, 10))
                        if decided
                        else None,
                        return_comment="Дополните анализ показателями по заседаниям."
                        if status == Report.Status.RETURNED
                        else "",
                    )
                )
            elif d.due_on >= self.as_of and rnd.random() < 0.1:
                reports.append(
                    Report(
                        structure_id=d.structure_id,
                        school_year=d.school_year,
                        deadline_id=d.pk,
                        title=rule.title,
                        analysis=rnd.choice(data.REPORT_TEXTS),
                        author_id=self.uid(author),
                    )
                )
        Deadline.objects.bulk_update(delivered, ["delivered_at"], batch_size=1000)
        self.save_stream(Report, reports)
        self.log(f"  сроков сдано: {_n(len(delivered))}")
        self.report("Сроки и отчёты", t0, Deadline, Report)

    # --- The end ------------------------------------------------------------------------------------

    def finish(self) -> None:
        region = self.regions[0]
        director = self.fixed["director"]
        pair = next(
            (
                s
                for s in self.structures
                if s.kind == "S4" and s.closed is None and director in s.used
            ),
            None,
        )
        in_region = sum(1 for s in self.structures if s.region == 0)
        # As mentoring.selectors.rank_mentors counts them (R-TUL-A3-1.1).
        shnor = OrganisationStatus.objects.filter(
            organisation=OuterRef("organisation_id"),
            school_year=self.cur,
            status=SchoolStatus.SHNOR,
        )
        strengths = Competence.objects.filter(user=OuterRef("pk"), side=Competence.Side.STRENGTH)
        candidates = (
            User.objects.filter(
                is_active=True,
                organisation__region_id=region.id,
                organisation__kind__in=[*WITH_MANAGERS, OrganisationKind.OTHER],
            )
            .filter(Exists(strengths))
            .exclude(Exists(shnor))
            .count()
        )
        biggest_s5 = max(
            (s for s in self.structures if s.kind == "S5" and s.region == 0),
            key=lambda s: len(s.members),
            default=None,
        )
        self.result.samples = [
            ("регион для замеров", f"{region.name} (id {region.id})"),
            ("структур в регионе", _n(in_region)),
            ("кандидатов в наставники в регионе", _n(candidates)),
            ("сетевая пара директора", f"id {pair.id}" if pair else "нет"),
            (
                "школа директора",
                f"{self.orgs[self.director_school].short} (id {self.orgs[self.director_school].id})",
            ),
            (
                "самое большое объединение S5 региона",
                f"id {biggest_s5.id}, участников {len(biggest_s5.members)}"
                if biggest_s5
                else "нет",
            ),
        ]
