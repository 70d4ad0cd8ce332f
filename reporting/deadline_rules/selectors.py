"""The deadline rules that apply in a region: the national ones and the region's own."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from networks.models import Region

from ..models import DeadlineRule


@dataclass(frozen=True)
class RuleRow:
    rule: DeadlineRule
    national: bool
    replaced_by: DeadlineRule | None
    basis: str

    @property
    def applies(self) -> bool:
        return self.rule.is_active and self.replaced_by is None


def region_rules(region: Region) -> list[RuleRow]:
    """National rules first, then the region's own, each in date order; a national rule notes the
    region's active rule that stands instead of it. One query."""
    rules = list(
        DeadlineRule.objects.filter(Q(region__isnull=True) | Q(region=region))
        .select_related("kind", "programme", "replaces")
        .order_by("due_month", "due_day", "title", "pk")
    )
    # National first; sorted here, as NULLs sort first on SQLite and last on PostgreSQL.
    rules.sort(key=lambda r: r.region_id is not None)
    instead = {r.replaces_id: r for r in rules if r.region_id and r.is_active and r.replaces_id}
    return [
        RuleRow(
            rule=r,
            national=r.region_id is None,
            replaced_by=instead.get(r.pk) if r.region_id is None else None,
            basis=r.basis,
        )
        for r in rules
    ]
