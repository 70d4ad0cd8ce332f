"""A region's own deadline rules: saved, switched on and off. Each write brings the deadlines of the
current school year (and of later ones already made) in line at once, instead of waiting for the
six-hourly instantiation: missing ones are made, the due date of those not yet handed in follows the
rule, and those the rule no longer gives (switched off, another kind, replaced) are withdrawn unless
something was handed in or a report started against them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from networks.history import acting_as
from networks.models import Region, User
from networks.schoolyear import SchoolYear

from ..models import Deadline, DeadlineRule
from ..reminders import rule_instantiate, rule_structures
from ..summaries import nearest


def _years(rule: DeadlineRule) -> list[SchoolYear]:
    current = SchoolYear.current()
    last = Deadline.objects.filter(rule=rule).aggregate(last=Max("school_year"))["last"]
    return [SchoolYear(y) for y in range(current.start, max(current.start, last or 0) + 1)]


def rule_resync(*, rule: DeadlineRule, region: Region | None = None) -> None:
    """The rule's deadlines of this school year and later as the rule now says (in `region`
    only, when given: a region's coordinator touches no other region's deadlines)."""
    for year in _years(rule):
        pending = Deadline.objects.filter(
            rule=rule, school_year=year.start, delivered_at__isnull=True, report__isnull=True
        )
        if region is not None:
            pending = pending.filter(structure__region=region)
        if rule.is_active:
            pending.exclude(structure__in=rule_structures(rule, year)).delete()
            pending.exclude(due_on=rule.due_date(year)).update(due_on=rule.due_date(year))
            rule_instantiate(rule=rule, year=year, region=region)
        else:
            pending.delete()
    nearest.changed()  # the due dates moved by an UPDATE, which sends no post_save


@transaction.atomic
def rule_save(
    *, rule: DeadlineRule, by: User, was_replacing: DeadlineRule | None = None
) -> DeadlineRule:
    """Saves a region's rule (its fields set by the form) and brings the deadlines in line: its
    own, and those of the national rule it replaces now or replaced before."""
    with acting_as(by):
        rule.full_clean()
        rule.save()
    rule_resync(rule=rule)
    for national in {r.pk: r for r in (rule.replaces, was_replacing) if r is not None}.values():
        rule_resync(rule=national, region=rule.region)
    return rule


@transaction.atomic
def rule_switch(*, rule: DeadlineRule, active: bool, by: User) -> DeadlineRule:
    """Switches a region's rule off (its pending deadlines are withdrawn; a national rule it
    replaced applies again) or back on."""
    rule.is_active = active
    with acting_as(by):
        rule.save(update_fields=["is_active"])
    rule_resync(rule=rule)
    if rule.replaces is not None:
        rule_resync(rule=rule.replaces, region=rule.region)
    return rule
