"""The people of `make bench` (issue 19): distinct signed-in persons taken from the generated data
— coordinators and methodists of regions and municipalities (TerritoryRole), directors, teachers
and curators — and, for each, the pages they open on a working day with each page's floor
(devdata/bench/urls.py): their home, the structure list of their region, structures they belong to
or coordinate, their pair, plan, meeting (with attendance) and minutes pages of their structures,
the methodist's summary of their region, a school's page (the director's own; a ШНОР/ШССУ of the
territory for its coordinators and methodists; a school the curator curates) and the territory's
table of ШНОР/ШССУ for coordinators and methodists.

Used by bench.py (which then keeps only the addresses that answer 200 for the person) and by
tests/devdata/test_bench_floors.py (which checks that each floor shows the rows of its page).
"""

from __future__ import annotations

import datetime as dt
import random
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

# A working day: how often a person opens each kind of page (when they have it).
WEIGHTS = {
    "home": 30,
    "structure": 25,
    "list": 10,
    "plan": 8,
    "meeting": 8,
    "minutes": 5,
    "pair": 7,
    "summary": 7,
    # Issue 21: the school's page (a director's own, a methodist's or curator's school of their
    # territory) and the methodist's table of the territory's ШНОР/ШССУ.
    "school": 3,
    "territory": 2,
}
ROLES = ["coordinator", "methodist", "director", "teacher", "curator"]
# Of 200 people: 50 coordinators (20 of regions), 30 methodists (15 of regions), 50 directors,
# 40 teachers, 30 curators.
SHARES = {
    ("coordinator", "region"): 20,
    ("coordinator", "municipality"): 30,
    ("methodist", "region"): 15,
    ("methodist", "municipality"): 15,
    ("director", ""): 50,
    ("teacher", ""): 40,
    ("curator", ""): 30,
}
KINDS = [f"home_{role}" for role in ROLES] + [k for k in WEIGHTS if k != "home"]


def weight(kind: str) -> int:
    return WEIGHTS["home" if kind.startswith("home_") else kind]


@dataclass
class Person:
    user_id: int
    role: str
    region_id: int | None
    # kind → [(page address, floor address)]
    pages: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    cookie: str = ""

    def add(self, kind: str, url: str, floor: str) -> None:
        self.pages.setdefault(kind, []).append((url, floor))


def choose(n: int = 200, seed: int = 19) -> list[Person]:
    """`n` distinct active people in the proportions of SHARES, drawn at random (fixed seed)
    over the whole country, each with the region they work in."""
    from networks.models import Membership, TerritoryRole, User

    rng = random.Random(seed)
    total = sum(SHARES.values())
    taken: set[int] = set()
    people: list[Person] = []
    current = Membership.objects.filter(until__isnull=True, structure__closed_on__isnull=True)
    for (role, level), share in SHARES.items():
        want = max(1, round(n * share / total))
        if role in ("coordinator", "methodist"):
            rows = list(
                TerritoryRole.objects.filter(
                    role=role,
                    municipality__isnull=(level == "region"),
                    user__is_active=True,
                )
                .order_by("pk")
                .values_list("user_id", "region_id")
            )
        else:
            if role == "curator":
                members = current.filter(role="curator")
            else:
                post = {"director": User.Post.HEAD, "teacher": User.Post.TEACHER}[role]
                members = current.filter(user__post=post).exclude(role="curator")
            rows = list(
                members.filter(user__is_active=True, user__organisation__isnull=False)
                .order_by("user_id")
                .values_list("user_id", "user__organisation__region_id")
                .distinct()
            )
        rng.shuffle(rows)
        for user_id, region_id in rows:
            if want == 0:
                break
            if user_id in taken:
                continue
            taken.add(user_id)
            people.append(Person(user_id, role, region_id))
            want -= 1
    return people[:n] if len(people) > n else people


def plan_pages(
    people: list[Person], *, per_kind: int = 1, today: dt.date | None = None, seed: int = 19
) -> None:
    """Fills each person's pages and their floors (the floors get the school year and the
    dormancy date the page derives itself)."""
    from communities.models import Event, Minutes, Plan
    from mentoring.selectors.pairs import DEFAULT_SETTINGS, mentoring_settings
    from networks.models import (
        LEADING_POSTS,
        Membership,
        OrganisationKind,
        OrganisationStatus,
        SchoolStatus,
        Structure,
        TerritoryRole,
        User,
    )
    from networks.schoolyear import SchoolYear
    from schools.models import SchoolCurator

    rng = random.Random(seed)
    today = today or dt.date.today()
    year = SchoolYear.current()
    first, after = year.moments
    dormant_by_region: dict[int | None, str] = {}

    def dormant(region_id) -> str:
        if region_id not in dormant_by_region:
            days = (mentoring_settings(region_id) or DEFAULT_SETTINGS).dormant_after_days
            dormant_by_region[region_id] = (today - dt.timedelta(days=days)).isoformat()
        return dormant_by_region[region_id]

    def school_pages(person: Person, territory) -> list[int]:
        """The schools whose page the person opens: the director's own school; the schools a
        curator curates; ШНОР/ШССУ of the year in a coordinator's or methodist's territory."""
        if person.role == "director":
            own = (
                User.objects.filter(
                    pk=person.user_id,
                    post__in=LEADING_POSTS,
                    organisation__kind=OrganisationKind.SCHOOL,
                )
                .values_list("organisation_id", flat=True)
                .first()
            )
            return [own] if own else []
        if person.role == "curator":
            return list(
                SchoolCurator.objects.current()
                .filter(user_id=person.user_id)
                .order_by("organisation_id")
                .values_list("organisation_id", flat=True)[: per_kind * 3]
            )
        if not territory:
            return []
        region_id, municipality_id, _role = territory[0]
        statuses = OrganisationStatus.objects.filter(
            school_year=year.start,
            status__in=[SchoolStatus.SHNOR, SchoolStatus.SSSU],
            organisation__region_id=region_id,
        )
        if municipality_id:
            statuses = statuses.filter(organisation__municipality_id=municipality_id)
        ids = sorted(set(statuses.values_list("organisation_id", flat=True)))
        return rng.sample(ids, min(len(ids), per_kind))

    for person in people:
        person.add(
            f"home_{person.role}", "/", f"/bench-floor/home/?dormant={dormant(person.region_id)}"
        )
        territory = list(
            TerritoryRole.objects.filter(user_id=person.user_id).values_list(
                "region_id", "municipality_id", "role"
            )
        )
        mine = list(
            Membership.objects.filter(
                user_id=person.user_id, until__isnull=True, structure__closed_on__isnull=True
            )
            .order_by("structure_id")
            .values_list("structure_id", "structure__kind__is_pair")
        )
        structures = [pk for pk, is_pair in mine if not is_pair]
        pairs = [pk for pk, is_pair in mine if is_pair]
        if territory:
            region_id, municipality_id, _role = territory[0]
            covered = Structure.objects.filter(
                region_id=region_id, closed_on__isnull=True, parent__isnull=True
            )
            if municipality_id:
                covered = covered.filter(municipality_id=municipality_id)
            ids = list(covered.filter(kind__is_pair=False).values_list("pk", flat=True))
            structures = structures + rng.sample(ids, min(len(ids), per_kind * 3))
            if not pairs:
                ids = list(covered.filter(kind__is_pair=True).values_list("pk", flat=True))
                pairs = rng.sample(ids, min(len(ids), per_kind))
        if person.region_id:
            query = urllib.parse.urlencode({"region": person.region_id, "year": year.start})
            person.add("list", f"/structures/?{query}", f"/bench-floor/structures/?{query}")
            if person.role in ("coordinator", "methodist") and any(
                m is None for _r, m, _role in territory
            ):
                person.add("summary", f"/summaries/?{query}", f"/bench-floor/summary/?{query}")
        for pk in school_pages(person, territory)[:per_kind]:
            person.add("school", f"/schools/{pk}/", f"/bench-floor/schools/{pk}/")
        table_roles = [t for t in territory if t[2] in ("coordinator", "methodist")]
        if person.role in ("coordinator", "methodist") and table_roles:
            # The table opens on the person's first such territory role, as the page orders them.
            region_id, municipality_id, _role = table_roles[0]
            query = {"year": year.start, "region": region_id}
            if municipality_id:
                query["municipality"] = municipality_id
            person.add(
                "territory",
                f"/schools/territory/?year={year.start}",
                f"/bench-floor/schools/territory/?{urllib.parse.urlencode(query)}",
            )
        for pk in structures[:per_kind]:
            person.add(
                "structure",
                f"/structures/{pk}/",
                f"/bench-floor/structures/{pk}/?year={year.start}",
            )
        for pk in pairs[:per_kind]:
            person.add("pair", f"/mentoring/pairs/{pk}/", f"/bench-floor/pairs/{pk}/")
        if not structures:
            continue
        plans = (
            Plan.objects.filter(structure_id__in=structures, school_year=year.start)
            .order_by("-version", "pk")
            .values_list("structure_id", "pk")[:per_kind]
        )
        for structure_id, pk in plans:
            path = f"structures/{structure_id}/plans/{pk}/"
            person.add("plan", f"/{path}", f"/bench-floor/{path}")
        events = (
            Event.objects.filter(
                structure_id__in=structures,
                status=Event.Status.HELD,
                starts_at__gte=first,
                starts_at__lt=after,
                attendance__isnull=False,
            )
            .order_by("-starts_at", "pk")
            .values_list("structure_id", "pk")
            .distinct()[:per_kind]
        )
        for structure_id, pk in events:
            path = f"structures/{structure_id}/events/{pk}/"
            person.add("meeting", f"/{path}", f"/bench-floor/{path}")
        minutes = (
            Minutes.objects.filter(event__structure_id__in=structures)
            .order_by("-date", "pk")
            .values_list("event__structure_id", "pk")[:per_kind]
        )
        for structure_id, pk in minutes:
            path = f"structures/{structure_id}/minutes/{pk}/"
            person.add("minutes", f"/{path}", f"/bench-floor/{path}")


def kind_counts(people: list[Person]) -> Counter:
    return Counter(kind for p in people for kind, urls in p.pages.items() for _ in urls)
