"""The home page asks each block only if the person can have it (issue 19): every block registers
who may have it (networks.hooks.register_home_block(…, who=…)), decided from the person's roles and
one query of yes/no flags. A refused block would have shown nothing; the three main homes stay
within 15 queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from communities.models import JoinRequest
from devdata import scale
from mentoring.models import HelpRequest
from networks import hooks
from networks.models import Membership, Role, TerritoryRole, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACCOUNTS = {
    "coordinator": "koordinator@scale.example.ru",
    "director": "direktor@scale.example.ru",
    "methodist": "metodist@scale.example.ru",
}
# The queries of each home on the generator's data: session, user, the viewer's flags (and
# memberships, territory roles), the blocks the person has, the bell's count of unread notices.
# Issue 19's goal is 15 at most (43 for the coordinator before it; docs/PERFORMANCE.md gives the
# bench's worst coordinator of the national data).
# The director delivers no report (a member of the groups) and runs none: 10 (12 before the
# flag «delivers_reports», 11 before the bell's count came with the flags). The bell's count and
# whether a territory's region has groups come with the flags and the territory roles: two
# queries fewer for territory people.
# The blocks of what waits for the person's action are probed first, in one query (register_home_
# block(probe=…)): the coordinator 18 → 16. The regions' mentoring limits come from the shared
# cache (mentoring.limits; the page is asked once before it is counted): 16 → 15, the methodist
# 10 → 9. The territory's nearest deadlines («Отчётность территории») come from the shared cache
# too (reporting.summaries.nearest): the coordinator 15 → 14, the methodist 9 → 8; and so do the
# territory's help requests (mentoring.panels.requests): 14 → 13 and 8 → 7. So do, kept in the
# shared cache too, the person's territory roles (networks.hooks.TERRITORY_ROLES), the territory's
# structures (networks.home), the rounds the person follows (mentoring.panels.questionnaires) and,
# for a coordinator, the region's organisation requests (networks.account.home): the coordinator
# 13 → 9, the methodist 7 → 4.
PINNED = {"coordinator": 9, "director": 10, "methodist": 4}


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _every_block(user) -> list[dict]:
    """The blocks as they were before `who`: every registered function asked, in order."""
    request = _request(user)
    panels = []
    for f in hooks._home_blocks:
        panel = f(request)
        if panel:
            panels.append(
                {
                    "needs": hooks._home_block_needs.get(f),
                    "kept_open": f in hooks._home_block_kept_open,
                    **panel,
                }
            )
    return sorted(panels, key=lambda p: p.get("order", 100))


def _people() -> list[User]:
    """The benchmark's accounts and a few people of every kind the blocks are for."""
    ids = set(User.objects.filter(email__in=ACCOUNTS.values()).values_list("pk", flat=True))
    for role in Role.values:
        ids.update(
            Membership.objects.filter(role=role)
            .order_by("pk")
            .values_list("user_id", flat=True)[:2]
        )
    ids.update(Membership.objects.exclude(until=None).values_list("user_id", flat=True)[:2])
    for role in TerritoryRole.Role.values:
        ids.update(
            TerritoryRole.objects.filter(role=role, municipality__isnull=False).values_list(
                "user_id", flat=True
            )[:1]
        )
        ids.update(
            TerritoryRole.objects.filter(role=role, municipality=None).values_list(
                "user_id", flat=True
            )[:1]
        )
    ids.update(JoinRequest.objects.values_list("user_id", flat=True)[:3])
    ids.update(HelpRequest.objects.values_list("requester_id", flat=True)[:3])
    ids.update(
        HelpRequest.objects.exclude(consultant=None).values_list("consultant_id", flat=True)[:3]
    )
    ids.update(User.objects.filter(memberships=None).values_list("pk", flat=True)[:2])
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def test_a_block_is_skipped_only_for_people_it_would_show_nothing_to_and_homes_pin_their_queries():
    scale.generate(scale=0.002, log=lambda _line: None)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    people = [*_people(), superuser]
    assert len(people) > 15
    for person in people:
        # Fresh objects: the territory roles are cached on the user.
        asked = hooks.home_blocks(_request(User.objects.get(pk=person.pk)))
        everything = _every_block(User.objects.get(pk=person.pk))
        assert [b["template"] for b in asked] == [b["template"] for b in everything], person.email
        assert asked == everything, person.email

    counts = {}
    for who, email in ACCOUNTS.items():
        client = Client()
        client.force_login(User.objects.get(email=email))
        client.get("/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        counts[who] = len(queries)
    assert counts == PINNED
    assert counts["director"] <= 15 and counts["methodist"] <= 15


def test_blocks_whose_probe_finds_no_row_are_not_called_and_the_probes_take_one_query(monkeypatch):
    person = UserFactory()
    called = []

    def block(name):
        def function(request):
            called.append(name)
            return {"template": f"{name}.html"}

        return function

    full, empty, other_empty, unprobed = (block(n) for n in ("full", "empty", "other", "plain"))
    monkeypatch.setattr(hooks, "_home_blocks", [full, empty, other_empty, unprobed])
    monkeypatch.setattr(hooks, "_home_block_audience", {})
    monkeypatch.setattr(hooks, "_home_block_needs", {})
    monkeypatch.setattr(
        hooks,
        "_home_block_probes",
        {
            full: lambda request: User.objects.filter(pk=request.user.pk),
            empty: lambda request: User.objects.filter(pk=-1),
            other_empty: lambda request: JoinRequest.objects.filter(user=request.user),
        },
    )
    request = _request(User.objects.get(pk=person.pk))
    hooks.home_viewer(request)
    with CaptureQueriesContext(connection) as queries:
        shown = hooks.home_blocks(request)
    assert called == ["full", "plain"]
    assert [b["template"] for b in shown] == ["full.html", "plain.html"]
    assert len(queries) == 1 and "EXISTS" in queries[0]["sql"]
