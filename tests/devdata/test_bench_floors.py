"""The floors of `make bench` (devdata/bench/urls.py) show the rows their pages show, for the same
person, on generated data (issue 19): a floor that does less than its page (the events floor
filtered on a status events never have, and was empty) would make any page look slow.

One small generated data set for the module (generate_scale's generator at a tiny scale, rolled
back at the end), the bench's own choice of people and pages (devdata/bench/people.py), and for
each kind of page its rows from the page's context beside the floor's rows. The floors are
hand-written PostgreSQL: on SQLite the module is skipped (CI runs it on PostgreSQL).
"""

from __future__ import annotations

import os

import pytest
from django.db import connection, transaction
from django.test import Client

from devdata import scale
from devdata.bench import people as bench_people
from networks.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.urls("devdata.bench.urls")]

TINY = 0.001


def _needs_postgresql() -> None:
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI"):
        pytest.fail("CI runs the bench's floors on PostgreSQL")
    pytest.skip("the floors are PostgreSQL SQL (DATABASE_URL)")


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            yield []
            return
        with transaction.atomic():
            scale.generate(scale=TINY, log=lambda _line: None)
            chosen = bench_people.choose(60)
            bench_people.plan_pages(chosen, per_kind=2)
            yield chosen
            transaction.set_rollback(True)


def _pages(people, kind: str):
    _needs_postgresql()
    found = [(p, url, floor) for p in people for url, floor in p.pages.get(kind, [])]
    assert found, f"the generated data give somebody a {kind} page"
    return found


def _both(person, url: str, floor: str):
    """The page's and the floor's context for the person (both must answer 200)."""
    client = Client()
    client.force_login(User.objects.get(pk=person.user_id))
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    bottom = client.get(floor)
    assert bottom.status_code == 200, (floor, bottom.status_code)
    return page.context, bottom.context


def _membership(member):
    """A member line of a page: (membership, shown) or a row object holding the membership."""
    if isinstance(member, tuple):
        return member[0]
    return getattr(member, "membership", member)


def _part(rows, tag) -> list[tuple]:
    return [row for row in rows if row[0] == tag]


def test_the_structure_list_floor_shows_the_first_page_of_the_same_filter(people):
    for person, url, floor in _pages(people, "list")[:3]:
        page, bottom = _both(person, url, floor)
        assert [s.pk for s in page["page"].object_list] == [r[0] for r in bottom["rows"]]
        assert page["page"].paginator.count == bottom["total"]


def test_the_structure_floor_shows_the_members_of_the_year(people):
    for person, url, floor in _pages(people, "structure")[:4]:
        page, bottom = _both(person, url, floor)
        assert sorted(_membership(m).user_id for m in page["members"]) == sorted(
            r[8] for r in _part(bottom["rows"], 2)
        )


def test_the_home_floor_shows_the_upcoming_events_the_home_page_shows(people):
    """The events block: scheduled or proposed events of my structures from now on (the floor
    asked for status 'planned', which no event has, and showed none)."""
    shown_somewhere = False
    for person, url, floor in [
        found for kind in bench_people.KINDS if kind.startswith("home_") for found in
        _pages(people, kind)[:2]
    ]:  # fmt: skip
        page, bottom = _both(person, url, floor)
        blocks = [b for b in page["blocks"] if str(b.get("template", "")).endswith("upcoming.html")]
        on_page = [e.pk for b in blocks for e in b["events"]]
        on_floor = [r[1] for r in _part(bottom["rows"], "мероприятия")][:10]
        assert on_page == on_floor, person.role
        shown_somewhere = shown_somewhere or bool(on_floor)
    assert shown_somewhere, "someone has upcoming events in the generated data"


def test_the_pair_floor_shows_the_pairs_members_and_contacts(people):
    for person, url, floor in _pages(people, "pair")[:3]:
        page, bottom = _both(person, url, floor)
        contacts = [(c.topic, c.date) for c in page["page"].object_list]
        assert contacts == [(r[1], r[5]) for r in _part(bottom["rows"], 3)][: len(contacts)]
        assert page["page"].paginator.count == len(_part(bottom["rows"], 3))
        assert sorted(_membership(m).user.last_name for m in page["members"]) == sorted(
            r[1] for r in _part(bottom["rows"], 2)
        )


def test_the_plan_floor_shows_the_items_steps_and_versions_of_the_plan(people):
    for person, url, floor in _pages(people, "plan")[:3]:
        page, bottom = _both(person, url, floor)
        assert [i.pk for i in page["items"]] == [r[1] for r in _part(bottom["rows"], 2)]
        assert [i.is_done for i in page["items"]] == [r[5] for r in _part(bottom["rows"], 2)]
        assert [s.pk for s, _shown in page["steps"]] == [r[1] for r in _part(bottom["rows"], 3)]
        assert [v.pk for v in page["versions"]] == [r[1] for r in _part(bottom["rows"], 4)]


def test_the_meeting_floor_shows_the_attendance_list_and_the_minutes_versions(people):
    for person, url, floor in _pages(people, "meeting")[:3]:
        page, bottom = _both(person, url, floor)
        assert [row.pk for row, _label in page["rows"]] == [r[1] for r in _part(bottom["rows"], 2)]
        assert [m.pk for m in page["versions"]] == [r[1] for r in _part(bottom["rows"], 3)]


def test_the_minutes_floor_shows_the_questions_attendees_and_versions(people):
    for person, url, floor in _pages(people, "minutes")[:3]:
        page, bottom = _both(person, url, floor)
        assert [i.pk for i in page["items"]] == [r[1] for r in _part(bottom["rows"], 2)]
        assert len(page["members"]) + len(page["guests"]) == len(_part(bottom["rows"], 3))
        assert [m.pk for m in page["versions"]] == [r[1] for r in _part(bottom["rows"], 4)]


def test_the_summary_floor_shows_the_first_page_of_the_regions_structures(people):
    for person, url, floor in _pages(people, "summary")[:2]:
        page, bottom = _both(person, url, floor)
        assert [row.pk for row in page["page"].object_list] == [r[0] for r in bottom["rows"]]


def test_the_school_floor_shows_the_schools_risks_documents_curators_and_support(people):
    """Issue 21: a director's own school, a school of a methodist's or coordinator's territory, a
    school a curator curates — the page's risk profile, documents, curators and its first page of
    support are the floor's rows."""
    found = _pages(people, "school")
    roles = {p.role for p, _url, _floor in found}
    assert {"director", "curator"} <= roles and roles & {"coordinator", "methodist"}, roles
    per_role = [[f for f in found if f[0].role == role][:2] for role in sorted(roles)]
    for person, url, floor in [f for chosen in per_role for f in chosen]:
        page, bottom = _both(person, url, floor)
        rows = bottom["rows"]
        assert [r[1] for r in _part(rows, 1)] == [str(page["school"].pk)]
        risks = [risk.pk for year in page["risk_years"] for risk in year.risks]
        assert risks == [int(r[1]) for r in _part(rows, 3)]
        assert sorted(d.pk for d in page["documents"]) == sorted(int(r[1]) for r in _part(rows, 4))
        changes = sum(len(d.changes.all()) for d in page["documents"])
        assert changes == len(_part(rows, 5))
        assert sorted(c.user_id for c in page["curators"]) == sorted(
            int(r[1]) for r in _part(rows, 6)
        )
        support = _part(rows, 8)
        assert page["page"].paginator.count == (support[0][8] if support else 0)
        assert [(s.kind, s.day, s.structure_name) for s in page["support"]] == [
            (r[1], r[7], r[2] or "") for r in support
        ]


def test_the_territory_floor_shows_the_first_page_of_the_territorys_schools(people):
    """Issue 21: the methodist's table of ШНОР/ШССУ — the same schools in the same order, each
    with as many factors, as much support, as many returned documents and attendances."""
    for person, url, floor in _pages(people, "territory")[:3]:
        page, bottom = _both(person, url, floor)
        rows = page["page"].object_list
        assert [r.pk for r in rows] == [r[0] for r in bottom["rows"]]
        assert page["total"] == bottom["total"]
        assert [(len(r.factors), r.support, r.returned, r.attendances) for r in rows] == [
            (r[4], r[6], r[7], r[8]) for r in bottom["rows"]
        ]
