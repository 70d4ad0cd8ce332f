"""Reads for the joining pages, the panel and the home blocks. Each does its own select_related so
that the number of queries does not grow with members, requests or history records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.models import Membership, Structure, User
from networks.selectors import through

from ..models import Invitation, JoinRequest, MembershipBlock
from ..permissions import admitted_condition


def current_members(structure: Structure) -> QuerySet[Membership]:
    return (
        structure.memberships.current()
        .select_related("user", "user__organisation")
        .order_by("role", "user__last_name", "user__first_name")
    )


def past_members(structure: Structure) -> QuerySet[Membership]:
    return (
        structure.memberships.filter(until__isnull=False)
        .select_related("user", "user__organisation")
        .order_by("-until", "user__last_name")
    )


def structure_blocks(structure: Structure) -> QuerySet[MembershipBlock]:
    return structure.membership_blocks.select_related("user", "blocked_by")


def open_invitations(structure: Structure) -> QuerySet[Invitation]:
    return structure.invitations.open().select_related("invited_by")


def pending_requests(structure: Structure) -> QuerySet[JoinRequest]:
    return (
        structure.join_requests.pending()
        .select_related("user", "user__organisation")
        .order_by("created_at")
    )


def my_requests(user: User) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(user=user).select_related(
        "structure", "structure__kind", "decided_by"
    )


def requests_awaiting(user: User, *, admitting: list[int] | None = None) -> QuerySet[JoinRequest]:
    """Pending requests in every structure the person admits to, oldest first (`admitting`: see
    permissions.admitted_condition)."""
    return (
        JoinRequest.objects.pending()
        .filter(through(admitted_condition(user, admitting=admitting)))
        .select_related("user", "user__organisation", "structure")
        .order_by("created_at")
    )


def latest_request(structure: Structure, user: User) -> JoinRequest | None:
    return structure.join_requests.filter(user=user).order_by("-created_at").first()


def join_standing(structure: Structure, user: User) -> tuple[JoinRequest | None, bool]:
    """The person's latest request to join and whether the structure blocked them: one query
    when they never asked (most people who see the panel), two when they did (issue 19)."""
    asked, blocked = (
        Structure.objects.filter(pk=structure.pk)
        .values_list(
            Exists(JoinRequest.objects.filter(structure=OuterRef("pk"), user=user)),
            Exists(MembershipBlock.objects.filter(structure=OuterRef("pk"), user=user)),
        )
        .get()
    )
    return (latest_request(structure, user) if asked else None), blocked


# --- The structure's history -----------------------------------------------------------------


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: User | None
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)
    order: tuple = ()


def _label(model, name: str) -> str:
    verbose = str(model._meta.get_field(name).verbose_name)
    return verbose[:1].upper() + verbose[1:]


class _Values:
    """Turns raw history values into what a person reads; related names are fetched in one
    query per related model, whatever the number of records."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.names: dict[tuple[type[models.Model], Any], str] = {}

    def want(self, model_field, value) -> None:
        if isinstance(model_field, models.ForeignKey) and value is not None:
            self.wanted[model_field.related_model].add(value)

    def load(self) -> None:
        for model, ids in self.wanted.items():
            for pk, obj in model._default_manager.in_bulk(ids).items():
                self.names[(model, pk)] = str(obj)

    def show(self, model_field, value) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(model_field, models.ForeignKey):
            return self.names.get((model_field.related_model, value), _("удалено"))
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("да") if value else _("нет")
        if isinstance(value, dt.datetime):
            return f"{timezone.localtime(value):%d.%m.%Y %H:%M}"
        if isinstance(value, dt.date):
            return f"{value:%d.%m.%Y}"
        text = str(value)
        return text if len(text) <= 200 else text[:200] + "…"


def _diffs(records: list) -> list[tuple[Any, list]]:
    """(record, changes against the previous record of the same object), oldest first."""
    previous: dict[Any, Any] = {}
    result = []
    for record in records:
        before = previous.get(record.id)
        changes = record.diff_against(before).changes if before is not None else []
        previous[record.id] = record
        result.append((record, changes))
    return result


def structure_history(structure: Structure) -> list[HistoryEntry]:
    """Who changed the structure, its memberships and its blocks, and what; newest first.

    Four queries whatever the length of the history, plus one per kind of related object whose
    value changed (a structure's host, region…), which the model bounds.
    """
    sources = [
        (structure.history.select_related("history_user"), Structure),
        (
            Membership.history.filter(structure_id=structure.pk).select_related(
                "history_user", "user"
            ),
            Membership,
        ),
        (
            MembershipBlock.history.filter(structure_id=structure.pk).select_related(
                "history_user", "user"
            ),
            MembershipBlock,
        ),
    ]
    values = _Values()
    diffed = []
    for queryset, model in sources:
        records = list(queryset.order_by("history_date", "history_id"))
        for record, changes in _diffs(records):
            for change in changes:
                values.want(model._meta.get_field(change.field), change.new)
                values.want(model._meta.get_field(change.field), change.old)
            diffed.append((model, record, changes))
    values.load()
    entries = [_entry(model, record, changes, values) for model, record, changes in diffed]
    entries.sort(key=lambda e: e.order, reverse=True)
    return entries


def _entry(model, record, changes, values: _Values) -> HistoryEntry:
    entry = HistoryEntry(
        when=record.history_date,
        who=record.history_user,
        subject="",
        action="",
        order=(record.history_date, model.__name__, record.history_id),
        changes=[
            Change(
                label=_label(model, c.field),
                old=values.show(model._meta.get_field(c.field), c.old),
                new=values.show(model._meta.get_field(c.field), c.new),
            )
            for c in changes
        ],
    )
    kind = record.history_type
    if model is Structure:
        entry.subject = _("Структура")
        entry.action = {"+": _("создана"), "~": _("изменена"), "-": _("удалена")}[kind]
    elif model is Membership:
        entry.subject = str(record.user)
        entry.action = {
            "+": _("добавлен(а): %(role)s с %(since)s")
            % {"role": record.get_role_display(), "since": f"{record.since:%d.%m.%Y}"},
            "~": _("изменено участие"),
            "-": _("запись об участии удалена"),
        }[kind]
    else:
        entry.subject = str(record.user)
        entry.action = {
            "+": _("запрещено подавать заявки: %(reason)s") % {"reason": record.reason},
            "~": _("изменён запрет"),
            "-": _("запрет снят"),
        }[kind]
    return entry


__all__ = [
    "Change",
    "HistoryEntry",
    "current_members",
    "join_standing",
    "latest_request",
    "my_requests",
    "open_invitations",
    "past_members",
    "pending_requests",
    "requests_awaiting",
    "structure_blocks",
    "structure_history",
]
