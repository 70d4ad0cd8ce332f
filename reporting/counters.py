"""The summary's figures kept per structure and school year (reporting.models.StructureFigures).

A territory's summary reads these rows instead of counting memberships, events, minutes, plans,
contacts, answers and online statistics of 1,600 structures on every view (issue 19). The services
that change what a row holds call one function here inside their own atomic block:

- `structure_changed(structure, *when)`: events held or cancelled, minutes signed, plans and their
  items, contacts, answers, online statistics — the school years of the given dates (or the
  current one);
- `membership_changed(membership)`: a member joined or left — every year from the start on;
- `round_changed(round)`, `answered(response)`: a questionnaire round of a region for pairs
  (the answers its pairs owe), a side's answers;
- inside `networks.figures.batched()` these are requests (`requests()`), recounted together
  by `flush()`.

Each call locks the rows it refreshes (SELECT … FOR UPDATE, created first when missing) and only
then recounts them from the base tables with the summary's own grouped queries, so two writers to
the same structure wait for each other and the second one counts what the first committed: no
count is lost. `recount()` (the `recount_figures` command) recomputes every row and, with
`check`, lists the rows that differ.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from networks.models import Structure
from networks.schoolyear import SchoolYear, school_year_choices

from .models import StructureFigures

FIELDS = (
    "members_total",
    "members_shnor",
    "members_sssu",
    "members_leader",
    "members_other",
    "meetings_held",
    "events_held",
    "minutes_signed",
    "questions",
    "recommendations",
    "plan_status",
    "plan_planned",
    "plan_done",
    "contacts",
    "last_contact",
    "responses_expected",
    "responses_submitted",
    "periods",
    "visitors",
    "views",
    "actions",
    "feedback",
)
CHUNK = 500
# What a membership changes: the members by category, and the answers a pair's sides owe.
MEMBER_FIELDS = (
    "members_total",
    "members_shnor",
    "members_sssu",
    "members_leader",
    "members_other",
    "responses_expected",
    "responses_submitted",
)
ANSWER_FIELDS = ("responses_expected", "responses_submitted")
PLAN_FIELDS = ("plan_status", "plan_planned", "plan_done")


def _blank() -> dict:
    values = dict.fromkeys(FIELDS, 0)
    values["plan_status"] = ""
    values["last_contact"] = None
    return values


_BLANK = _blank()


def compute(
    ids: list[int], year: SchoolYear, fields=FIELDS, shared: dict | None = None
) -> dict[int, dict]:
    """{structure id: figures} of the given structures in the year, from the base tables, with the
    summary's own grouped queries (reporting.summaries.selectors): eleven queries whatever the
    number of structures, fewer when only some `fields` are wanted. `shared` keeps what does not
    depend on the year (which structures are pairs, their sides) between the years of one refresh."""
    from communities.selectors.events import held_events
    from mentoring.models import Contact

    from .summaries import selectors as s

    figures = {pk: _blank() for pk in ids}
    if not ids:
        return figures
    wanted = set(fields)
    if wanted & set(MEMBER_FIELDS[:5]):
        _add_members(figures, ids, year)
    if wanted & set(ANSWER_FIELDS):
        _add_answers(figures, ids, year, {} if shared is None else shared)
    if wanted & set(PLAN_FIELDS):
        _add_plans(figures, ids, year)
    if wanted <= set(MEMBER_FIELDS) or wanted <= set(PLAN_FIELDS):
        return figures
    for structure_id, held in held_events(ids, year).items():
        figures[structure_id].update(events_held=held.total, meetings_held=held.meetings)
    for m in s._signed_minutes(ids, year):
        figures[m["event__structure_id"]].update(
            minutes_signed=m["minutes"],
            questions=m["questions"],
            recommendations=m["recommendations"],
        )
    for g in s._group_statistics(ids, year):
        figures[g["structure_id"]].update(
            periods=g["periods"],
            visitors=g["visitors"] or 0,
            views=g["views"] or 0,
            actions=g["actions"] or 0,
            feedback=g["feedback"] or 0,
        )
    contacts = (
        Contact.objects.filter(pair__in=ids, date__lte=year.last_day)
        .values("pair_id")
        .annotate(in_year=Count("pk", filter=Q(date__gte=year.first_day)), last=Max("date"))
        .order_by()
    )
    for c in contacts:
        figures[c["pair_id"]].update(contacts=c["in_year"], last_contact=c["last"])
    return figures


def _add_plans(figures: dict[int, dict], ids: list[int], year: SchoolYear) -> None:
    from .summaries import selectors as s

    for p in s._plans(ids, year):
        figures[p["structure_id"]].update(
            plan_status=p["status"], plan_planned=p["planned"], plan_done=p["done"]
        )


def _add_members(figures: dict[int, dict], ids: list[int], year: SchoolYear) -> None:
    from .summaries import selectors as s

    for m in s._members(ids, year):
        figures[m["structure_id"]].update(
            members_total=m["total"],
            members_shnor=m["shnor"],
            members_sssu=m["sssu"],
            members_leader=m["leader"],
            members_other=m["other"],
        )


def _add_answers(figures: dict[int, dict], ids: list[int], year: SchoolYear, shared: dict) -> None:
    """Answers expected from the pairs' sides in the year's rounds of their region, and given."""
    from .summaries import selectors as s

    if "pairs" not in shared:
        shared["pairs"] = list(
            Structure.objects.filter(pk__in=ids, kind__is_pair=True).values_list(
                "pk", "region_id", "established_on", "term_start", "closed_on"
            )
        )
    pairs = shared["pairs"]
    if not pairs:
        return
    if "sides" not in shared:
        shared["sides"] = defaultdict(list)
        for pair_id, role, since, until in s._pair_sides(ids):
            shared["sides"][pair_id].append((role, since, until))
    sides = shared["sides"]
    rounds = defaultdict(list)
    for r in s._rounds(year):
        rounds[r.region_id].append(r)
    answered = {(r["pair_id"], r["round_id"]): r["n"] for r in s._responses(ids, year)}
    for pk, region_id, established_on, term_start, closed_on in pairs:
        pair = Structure(
            pk=pk,
            region_id=region_id,
            established_on=established_on,
            term_start=term_start,
            closed_on=closed_on,
        )
        expected = s._expected_answers(pair, rounds[region_id], sides[pk], year)
        figures[pk]["responses_expected"] = sum(expected.values())
        figures[pk]["responses_submitted"] = sum(
            min(answered.get((pk, round_id), 0), n) for round_id, n in expected.items()
        )


def _known_years() -> list[SchoolYear]:
    return [SchoolYear(start) for start, _label in school_year_choices()]


def _years_of(*when) -> list[SchoolYear]:
    found = set()
    for moment in when:
        if moment is None:
            continue
        if isinstance(moment, dt.datetime):
            # Near midnight of 31 August the year depends on the time zone: refresh both sides.
            found.add(SchoolYear.of(moment.astimezone(dt.UTC).date()).start)
            moment = timezone.localdate(moment)
        found.add(SchoolYear.of(moment).start)
    if not found:
        found.add(SchoolYear.current().start)
    return [SchoolYear(start) for start in sorted(found)]


def refresh(ids: Iterable[int], years: Iterable[SchoolYear], fields=FIELDS) -> None:
    """Recounts the rows of the structures for the years: the rows are created when missing and
    locked first, then counted (a concurrent writer waits, then counts what this one committed).
    All the years' rows are created, locked and written together (in one order, structure by
    structure within a year, so writers never lock in opposite orders): a membership touches every
    school year since it began, and three statements per year were most of a join's time."""
    ids = sorted(set(ids))
    years = sorted(set(years), key=lambda y: y.start)
    if not ids or not years:
        return
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            _refresh_chunk(ids[start : start + CHUNK], years, fields)


def _refresh_chunk(ids: list[int], years: list[SchoolYear], fields=FIELDS) -> None:
    starts = [year.start for year in years]
    StructureFigures.objects.bulk_create(
        [StructureFigures(structure_id=pk, school_year=s) for s in starts for pk in ids],
        ignore_conflicts=True,
    )
    rows = list(
        StructureFigures.objects.select_for_update()
        .filter(school_year__in=starts, structure_id__in=ids)
        .order_by("school_year", "structure_id")
        .values_list("structure_id", "school_year")
    )
    shared: dict = {}
    figures = {year.start: compute(ids, year, fields, shared) for year in years}
    StructureFigures.objects.bulk_create(
        [
            StructureFigures(
                structure_id=structure_id,
                school_year=school_year,
                **{name: figures[school_year][structure_id][name] for name in fields},
            )
            for structure_id, school_year in rows
        ],
        update_conflicts=True,
        unique_fields=["school_year", "structure"],
        update_fields=fields,
    )


def _pk(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk


# Each change below is a request: (structure ids, school years, fields) to recount. A call alone
# recounts its request at once; inside networks.figures.batched() the requests are kept and
# flush() recounts them together.
Request = tuple[list[int], list[SchoolYear], tuple[str, ...]]


def _structure_changed(structure: Structure | int, *when) -> list[Request]:
    return [([_pk(structure)], _years_of(*when), FIELDS)]


def _members_changed(structure: Structure | int, since: dt.date) -> list[Request]:
    first = SchoolYear.of(since).start
    years = [y for y in _known_years() if y.start >= first] or [SchoolYear(first)]
    return [([_pk(structure)], years, MEMBER_FIELDS)]


def _membership_changed(membership) -> list[Request]:
    return _members_changed(membership.structure_id, membership.until or membership.since)


def _plan_changed(plan) -> list[Request]:
    return [([plan.structure_id], [SchoolYear(plan.school_year)], PLAN_FIELDS)]


def _round_changed(round) -> list[Request]:
    from mentoring.models import Round

    if round.audience != Round.Audience.PAIRS:
        return []
    ids = Structure.objects.filter(
        region_id=round.questionnaire.region_id, kind__is_pair=True
    ).values_list("pk", flat=True)
    return [(list(ids), [SchoolYear(round.school_year)], ANSWER_FIELDS)]


def _answered(response) -> list[Request]:
    if response.pair_id is None:
        return []
    return [([response.pair_id], [SchoolYear(response.round.school_year)], ANSWER_FIELDS)]


_REQUESTS = {
    "structure_changed": _structure_changed,
    "members_changed": _members_changed,
    "membership_changed": _membership_changed,
    "plan_changed": _plan_changed,
    "round_changed": _round_changed,
    "answered": _answered,
}


def requests(name: str, *args) -> list[Request]:
    """What the change `name` (one of the functions below) would recount."""
    return _REQUESTS[name](*args)


def flush(pending: list[Request]) -> None:
    """Recounts the requests of a batch: those for the same school years as one refresh (their
    structures and fields together), the groups in the order they were first asked for, as the
    calls one by one would have locked them."""
    groups: dict[tuple[int, ...], tuple[set[int], set[str]]] = {}
    for ids, years, fields in pending:
        key = tuple(sorted({y.start for y in years}))
        found_ids, found_fields = groups.setdefault(key, (set(), set()))
        found_ids.update(ids)
        found_fields.update(fields)
    with transaction.atomic():
        for starts, (ids, fields) in groups.items():
            refresh(
                ids,
                [SchoolYear(start) for start in starts],
                tuple(f for f in FIELDS if f in fields),
            )


def structure_changed(structure: Structure | int, *when) -> None:
    """Something the summary counts changed in the structure: recount its figures for the school
    years of the dates or moments given (the current one without any)."""
    _run(_structure_changed(structure, *when))


def members_changed(structure: Structure | int, since: dt.date) -> None:
    """Members joined or left on `since`: the members (and the answers a pair's sides owe) of every
    known school year from that day's on."""
    _run(_members_changed(structure, since))


def membership_changed(membership) -> None:
    """A member joined (from `since`) or left (on `until`)."""
    _run(_membership_changed(membership))


def plan_changed(plan) -> None:
    """A plan of the structure changed (created, moved on, its items): its year's plan figures."""
    _run(_plan_changed(plan))


def round_changed(round) -> None:
    """A questionnaire round for pairs: the answers every pair of its region owes that year."""
    _run(_round_changed(round))


def answered(response) -> None:
    """A pair's side submitted its answers to a round."""
    _run(_answered(response))


def _run(requests: list[Request]) -> None:
    for ids, years, fields in requests:
        refresh(ids, years, fields)


# --- Recounting everything -----------------------------------------------------------------------


def _active_ids(year: SchoolYear) -> list[int]:
    return list(Structure.objects.active_in(year).order_by("pk").values_list("pk", flat=True))


def _stored(ids: list[int], year: SchoolYear) -> dict[int, dict]:
    return {
        row["structure_id"]: {name: row[name] for name in FIELDS}
        for row in StructureFigures.objects.filter(
            school_year=year.start, structure_id__in=ids
        ).values("structure_id", *FIELDS)
    }


def differences(
    years: Iterable[SchoolYear] | None = None,
) -> list[tuple[int, int, str, object, object]]:
    """(structure id, school year, field, kept, counted) for every figure that differs from the
    base tables. A structure without a row counts as zeros."""
    found = []
    for year in years or _known_years():
        ids = _active_ids(year)
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            stored = _stored(part, year)
            for pk, counted in compute(part, year).items():
                kept = stored.get(pk, _blank())
                for name in FIELDS:
                    if kept[name] != counted[name]:
                        found.append((pk, year.start, name, kept[name], counted[name]))
    return found


def recount(years: Iterable[SchoolYear] | None = None) -> int:
    """Recomputes every row of the years (all known ones by default) from the base tables, one
    school year per transaction: the year's rows are replaced by those of the structures that
    have something counted (no row reads as zeros). Meant for generated data and repairs; writes
    that commit while a year is being recounted may need another pass (`--check` tells).
    Returns the number of rows written."""
    written = 0
    for year in years or _known_years():
        ids = _active_ids(year)
        with transaction.atomic():
            StructureFigures.objects.filter(school_year=year.start).delete()
            for start in range(0, len(ids), CHUNK):
                counted = compute(ids[start : start + CHUNK], year)
                rows = [
                    StructureFigures(structure_id=pk, school_year=year.start, **values)
                    for pk, values in counted.items()
                    if values != _BLANK
                ]
                StructureFigures.objects.bulk_create(
                    rows,
                    batch_size=CHUNK,
                    update_conflicts=True,
                    unique_fields=["school_year", "structure"],
                    update_fields=FIELDS,
                )
                written += len(rows)
    return written
