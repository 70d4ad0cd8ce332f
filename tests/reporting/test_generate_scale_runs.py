"""`manage.py generate_scale` runs that need an empty database of their own: the same seed gives
the same data, a non-empty database is refused unless asked for with --force, and a membership
that breaks the rules stops the generator (test_generate_scale.py reads one generation shared by
its tests)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from devdata import scale
from devdata.scale import data
from networks.models import Region, Structure
from tests.factories import RegionFactory
from tests.reporting.test_generate_scale import AS_OF, TINY, fingerprint, generate

pytestmark = pytest.mark.django_db


def test_the_same_seed_gives_the_same_data():
    prints = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            generate(seed)
            prints.append(fingerprint())
            transaction.set_rollback(True)
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_the_command_refuses_a_non_empty_database_without_force():
    RegionFactory(code="999", name="Регион с данными")
    with pytest.raises(CommandError, match=r"База не пуста.*--force"):
        call_command("generate_scale", "--scale", str(TINY))
    assert not Structure.objects.exists()

    out = StringIO()
    call_command(
        "generate_scale", "--scale", str(TINY), "--date", AS_OF.isoformat(), "--force", stdout=out
    )
    assert Structure.objects.exists()
    assert Region.objects.filter(code="999").exists()  # nothing of the old data is touched
    assert scale.SCALE_PASSWORD in out.getvalue()
    assert scale.FIXED_ACCOUNTS["director"][0] in out.getvalue()

    # Generated data once is enough: a second run is refused even with --force.
    with pytest.raises(CommandError, match="уже есть сгенерированные данные"):
        call_command("generate_scale", "--scale", str(TINY), "--force")


def test_r_tul_a4_1_1_the_generator_checks_each_membership_by_the_rules_of_membership_clean(
    monkeypatch,
):
    """COPY skips Membership.clean; the generator applies the same rules (membership_breach,
    joining_breach) and stops at a row that breaks one: here teachers as members of S5."""
    plan = {**data.PLANS["S5"], "members": [{"roles": ("member",), "from": "teachers", "n": 3}]}
    monkeypatch.setitem(data.PLANS, "S5", plan)
    with pytest.raises(RuntimeError, match="as member breaks not_a_leader"):
        generate()
    assert not Structure.objects.exists()
