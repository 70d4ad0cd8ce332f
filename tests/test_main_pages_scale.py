"""The main pages of the benchmark (`make bench`, docs/PERFORMANCE.md) run the SAME number of
queries on a small data set and on one ten times larger — not merely under a cap (the home
page's probes aside: they can only spare queries, see query_counts).

One data set, the generator's (`generate_scale`), at two sizes in the same test: first a tiny
scale, measured and rolled back, then ten times that. The pages are the benchmark's: the structure
list with its filters (region, kind, school year, a word), the largest S5 association's page, the
home pages of the region's coordinator, the director and the methodist, the methodist's summary of
the region, and the director's pair seen by its curator.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from devdata import scale
from networks.models import Membership, Region, Structure, StructureKind, User
from networks.schoolyear import SchoolYear

pytestmark = pytest.mark.django_db

SMALL = 0.002
ACCOUNTS = {
    "coordinator": "koordinator@scale.example.ru",
    "methodist": "metodist@scale.example.ru",
    "curator": "kurator@scale.example.ru",
    "director": "direktor@scale.example.ru",
}


def main_pages() -> dict[str, tuple[str, str]]:
    """Page → (who looks at it, its address), found in the generated data as the benchmark
    finds them (devdata/bench/bench.py)."""
    region = Region.objects.order_by("pk").first()
    year = SchoolYear.current()
    director = User.objects.get(email=ACCOUNTS["director"])
    pair = (
        Membership.objects.filter(
            user=director,
            until__isnull=True,
            structure__kind__is_pair=True,
            structure__closed_on__isnull=True,
        )
        .order_by("structure_id")
        .values_list("structure_id", flat=True)
        .first()
    )
    association = (
        Structure.objects.filter(kind__code="S5", region=region)
        .annotate(n=Count("memberships"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    assert pair and association, "the generator gives the director a pair and the region an S5"
    filters = urlencode(
        {
            "region": region.pk,
            "kind": StructureKind.objects.get(code="S5").pk,
            "year": year.start,
            "q": "школ",
        }
    )
    return {
        "structure list": ("coordinator", f"/structures/?{filters}"),
        "structure page": ("coordinator", f"/structures/{association}/"),
        "coordinator's home": ("coordinator", "/"),
        "director's home": ("director", "/"),
        "methodist's home": ("methodist", "/"),
        "methodist's summary": (
            "methodist",
            f"/summaries/?{urlencode({'region': region.pk, 'year': year.start})}",
        ),
        "pair page": ("curator", f"/mentoring/pairs/{pair}/"),
    }


def query_counts(*, probes: bool = False) -> tuple[dict[str, int], dict[str, int]]:
    """Queries of each main page, and how many structures the data set has. The home page probes
    the blocks that list what waits for the person's action in one query and skips the empty
    ones (networks.hooks.register_home_block(probe=…)), so its count depends on what waits:
    without `probes`, every block the person may have is asked — the count that must not grow
    with the data; with them, at most one more (the probes' query)."""
    from networks import hooks

    saved = hooks._home_block_probes
    if not probes:
        hooks._home_block_probes = {}
    try:
        return _counts()
    finally:
        hooks._home_block_probes = saved


def _counts() -> tuple[dict[str, int], dict[str, int]]:
    counts = {}
    clients = {}
    for who, email in ACCOUNTS.items():
        clients[who] = Client()
        clients[who].force_login(User.objects.get(email=email))
    for page, (who, url) in main_pages().items():
        clients[who].get(url)  # the first request may fill per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = clients[who].get(url)
        assert response.status_code == 200, (page, response.status_code)
        counts[page] = len(queries)
    return counts, {"structures": Structure.objects.count()}


class Measured(Exception):
    """Rolls the small data set back once it has been measured."""


def test_main_pages_run_as_many_queries_on_ten_times_the_data():
    try:
        with transaction.atomic():
            scale.generate(scale=SMALL, log=lambda _line: None)
            small, small_size = query_counts()
            small_probed, _size = query_counts(probes=True)
            raise Measured
    except Measured:
        pass
    assert not User.objects.filter(email=ACCOUNTS["director"]).exists()

    scale.generate(scale=SMALL * 10, log=lambda _line: None)
    large, large_size = query_counts()
    large_probed, _size = query_counts(probes=True)

    assert large_size["structures"] >= 9 * small_size["structures"]
    assert large == small, f"{small} → {large}"
    for probed in (small_probed, large_probed):
        assert all(probed[page] <= small[page] + 1 for page in small), f"{small} / {probed}"
