"""The structure's timeline: its orders and documents in date order, with what each changed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from ..models import Order, Organisation, Structure, StructureAct

RULE_ID = re.compile(r"\s*\(R-[A-Z0-9.\-/, ]+\)")


def without_rule_ids(text: str) -> str:
    """What people read cites the order, not the rule id the code keeps for the record."""
    return RULE_ID.sub("", str(text))


@dataclass
class TimelineEntry:
    kind: str
    label: str
    applies_on: dt.date
    order: Order | None = None
    changes: list[dict] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    note: str = ""
    by: str = ""
    regulation: bool = False  # the founding entry carries the regulation's file
    pk: int | None = None
    # "" applied; "pending" waits for its day; "withdrawn" before it; "not_applied" on its day.
    state: str = ""
    not_applied: str = ""
    withdrawn_on: dt.date | None = None
    withdrawn_by: str = ""

    @property
    def pending(self) -> bool:
        return self.state == PENDING


PENDING, WITHDRAWN, NOT_APPLIED = "pending", "withdrawn", "not_applied"


def _state(act: StructureAct) -> str:
    if act.applied_at is not None:
        return ""
    if act.withdrawn_at is not None:
        return WITHDRAWN
    return NOT_APPLIED if act.not_applied else PENDING


def structure_timeline(structure: Structure) -> list[TimelineEntry]:
    """The acts of the structure, oldest first. A structure set up before the acts were recorded
    (or by the demo loader, or in the admin) has no founding or closing act: those entries are
    made from its own fields (founding_order, closing_order), so every structure shows its orders.

    An order recorded before its day is an entry too, marked pending (or withdrawn, or not applied
    on its day, with why).

    Two queries whatever the data: the acts with their orders, issuers, authors and who withdrew
    them, and the parties of the agreements. `structure` comes with its founding and closing orders and issuers
    (networks.selectors.structure_detail_queryset)."""
    acts = list(
        structure.acts.select_related(
            "order", "order__issuer", "created_by", "withdrawn_by"
        ).prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.order_by("short_name"))
        )
    )
    entries = [
        TimelineEntry(
            kind=act.kind,
            label=act.get_kind_display(),
            applies_on=act.applies_on,
            order=act.order,
            changes=act.changes or [],
            organisations=list(act.organisations.all()),
            note=without_rule_ids(act.note) if act.kind != StructureAct.Kind.AGREEMENT else "",
            by=act.created_by.full_name if act.created_by else "",
            regulation=act.kind == StructureAct.Kind.FOUNDED,
            pk=act.pk,
            state=_state(act),
            not_applied=without_rule_ids(act.not_applied),
            withdrawn_on=timezone.localdate(act.withdrawn_at) if act.withdrawn_at else None,
            withdrawn_by=act.withdrawn_by.full_name if act.withdrawn_by else "",
        )
        for act in acts
    ]
    kinds = {act.kind for act in acts}
    if StructureAct.Kind.FOUNDED not in kinds:
        entries.insert(
            0,
            TimelineEntry(
                kind=StructureAct.Kind.FOUNDED,
                label=StructureAct.Kind.FOUNDED.label,
                applies_on=structure.established_on,
                order=structure.founding_order,
                regulation=True,
            ),
        )
    if structure.is_closed and StructureAct.Kind.CLOSED not in kinds:
        entries.append(
            TimelineEntry(
                kind=StructureAct.Kind.CLOSED,
                label=StructureAct.Kind.CLOSED.label,
                applies_on=structure.closed_on,
                order=structure.closing_order,
                note=without_rule_ids(structure.get_closing_reason_display()),
            )
        )
    entries.sort(key=lambda e: e.applies_on)
    return entries
