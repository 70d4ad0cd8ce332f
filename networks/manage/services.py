"""Structures set up in the browser: founded, edited, amended and closed by orders. Each write
records a StructureAct — the structure's timeline — with what it changed; django-simple-history
keeps the field history and who acted (the request's user, or networks.history.acting_as).

A change by order applies from the order's date (the act's `applies_on`, or the day a closing
order names). An order whose day has come when it is recorded is applied at once; one dated later is
stored as pending (`applied_at` empty, the new values kept in `changes`): the structure is unchanged
until the daily task (`structure_acts_apply_due`, networks.tasks.apply_due_structure_acts) applies
it on its day, once, in date order, with the act's author in the history. A change that can no
longer be made on its day (the structure closed meanwhile, the field changed since) is not applied:
the act says why (`not_applied`) and the territory's coordinators are notified. Until then the
coordinator may withdraw it (`structure_act_withdraw`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..coverage import covers
from ..history import acting_as
from ..hooks import notify
from ..models import (
    ClosingReason,
    Order,
    Organisation,
    Programme,
    Structure,
    StructureAct,
    TerritoryRole,
    User,
)
from ..services import refuse_if_closed, structure_close
from .selectors import without_rule_ids

# The fields of a structure the forms change, in the order the timeline lists them.
TRACKED_FIELDS = (
    "name",
    "host",
    "region",
    "municipality",
    "parent",
    "programme",
    "founding_order",
    "regulation_title",
    "regulation_file",
    "established_on",
    "term_start",
    "term_end",
    "topic",
    "platform_url",
    "participant_category",
    "description",
)


@dataclass
class OrderData:
    """A new order as typed in a form."""

    kind: str
    issuer: Organisation
    number: str
    date: dt.date
    title: str
    file: object = None


@dataclass
class AgreementData:
    """A cooperation agreement and the schools that are its parties (R-DMI-1.7)."""

    number: str
    date: dt.date
    file: object = None
    schools: list[Organisation] = field(default_factory=list)


def shown(value) -> str:
    """A value as the timeline shows it."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, models.fields.files.FieldFile):
        return value.name.rsplit("/", 1)[-1] if value else ""
    return str(value)


def _label(name: str) -> str:
    return str(Structure._meta.get_field(name).verbose_name)


def _value(structure: Structure, name: str):
    model_field = Structure._meta.get_field(name)
    if model_field.is_relation:
        return getattr(structure, model_field.attname)
    value = getattr(structure, name)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


@transaction.atomic
def order_create(*, data: OrderData) -> Order:
    order = Order(
        kind=data.kind,
        issuer=data.issuer,
        number=data.number.strip(),
        date=data.date,
        title=data.title.strip(),
    )
    if data.file:
        order.file = data.file
    order.full_clean()
    order.save()
    return order


def _order(order: Order | OrderData | None) -> Order | None:
    return order_create(data=order) if isinstance(order, OrderData) else order


def _agreement_act(structure: Structure, agreement: AgreementData, by: User) -> StructureAct:
    order = order_create(
        data=OrderData(
            kind=Order.Kind.AGREEMENT,
            issuer=structure.host,
            number=agreement.number,
            date=agreement.date,
            title=_("Соглашение о сотрудничестве: %(name)s") % {"name": structure.name},
            file=agreement.file,
        )
    )
    act = StructureAct.objects.create(
        structure=structure,
        kind=StructureAct.Kind.AGREEMENT,
        order=order,
        applies_on=agreement.date,
        note=", ".join(str(s) for s in agreement.schools),
        created_by=by,
    )
    act.organisations.set(agreement.schools)
    return act


def _working_group_act(structure: Structure, order: Order, by: User) -> StructureAct:
    return StructureAct.objects.create(
        structure=structure,
        kind=StructureAct.Kind.WORKING_GROUP,
        order=order,
        applies_on=order.date,
        created_by=by,
    )


@transaction.atomic
def programme_create(
    *, title: str, starts_on: dt.date, ends_on: dt.date | None, region, municipality
) -> Programme:
    programme = Programme(
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        region=region,
        municipality=municipality,
    )
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def structure_create(
    *,
    structure: Structure,
    founding_order: Order | OrderData,
    by: User,
    agreement: AgreementData | None = None,
    working_group_order: Order | OrderData | None = None,
) -> Structure:
    """Founds a structure by its order: the structure, the order if it is new, and the acts of
    the timeline — founded, and the agreement and the working group's order where given."""
    with acting_as(by):
        structure.founding_order = _order(founding_order)
        structure.full_clean()
        structure.save()
        StructureAct.objects.create(
            structure=structure,
            kind=StructureAct.Kind.FOUNDED,
            order=structure.founding_order,
            applies_on=structure.established_on,
            created_by=by,
        )
        if agreement is not None:
            _agreement_act(structure, agreement, by)
        if working_group_order is not None:
            _working_group_act(structure, _order(working_group_order), by)
    return structure


def _changes(before: dict, structure: Structure, names: Iterable[str]) -> list[dict]:
    changes = []
    for name in names:
        if before[name] == _value(structure, name):
            continue
        old = before[f"{name}__shown"]
        changes.append(
            {
                "field": name,
                "label": _label(name),
                "old": old,
                "new": shown(getattr(structure, name)),
            }
        )
    return changes


def _snapshot(structure: Structure) -> dict:
    before = {}
    for name in TRACKED_FIELDS:
        before[name] = _value(structure, name)
        before[f"{name}__shown"] = shown(getattr(structure, name))
    return before


@transaction.atomic
def structure_edit(
    *,
    structure: Structure,
    values: dict,
    by: User,
    order: Order | OrderData | None = None,
    agreement: AgreementData | None = None,
    working_group_order: Order | OrderData | None = None,
) -> StructureAct | None:
    """Changes the structure's facts. With an order the change is an amendment from the order's
    date; without one, a correction recorded with who made it. Returns the act, or None when
    nothing changed."""
    before = _snapshot(structure)
    for name, value in values.items():
        setattr(structure, name, value)
    changes = _changes(before, structure, TRACKED_FIELDS)
    order = _order(order)
    with acting_as(by):
        act = None
        if order is not None and changes and is_later(order.date):
            act = _pending_act(
                structure,
                kind=StructureAct.Kind.AMENDED,
                order=order,
                applies_on=order.date,
                before=before,
                changes=changes,
                by=by,
            )
        elif changes or order is not None:
            structure.full_clean()
            structure.save()
            act = StructureAct.objects.create(
                structure=structure,
                kind=StructureAct.Kind.AMENDED if order else StructureAct.Kind.EDITED,
                order=order,
                applies_on=order.date if order else dt.date.today(),
                changes=changes,
                created_by=by,
            )
        if agreement is not None:
            act = _agreement_act(structure, agreement, by)
        if working_group_order is not None:
            act = _working_group_act(structure, _order(working_group_order), by)
    return act


@transaction.atomic
def structure_amend_by_order(
    *,
    structure: Structure,
    order: Order | OrderData,
    values: dict,
    by: User,
    on: dt.date | None = None,
) -> StructureAct:
    """A later order renames the structure, extends its term, moves it to another host or changes
    its topic: the change applies from the order's date or the day the order names (`on`) — at
    once when that day has come, else on that day (a pending act)."""
    refuse_if_closed(structure)
    order = _order(order)
    on = on or order.date
    before = _snapshot(structure)
    for name, value in values.items():
        setattr(structure, name, value)
    changes = _changes(before, structure, TRACKED_FIELDS)
    if not changes:
        raise ValidationError(_("Приказ ничего не меняет: укажите, что он меняет в структуре."))
    with acting_as(by):
        if is_later(on):
            return _pending_act(
                structure,
                kind=StructureAct.Kind.AMENDED,
                order=order,
                applies_on=on,
                before=before,
                changes=changes,
                by=by,
            )
        structure.full_clean()
        structure.save()
        return StructureAct.objects.create(
            structure=structure,
            kind=StructureAct.Kind.AMENDED,
            order=order,
            applies_on=on,
            changes=changes,
            created_by=by,
        )


@transaction.atomic
def structure_close_by_order(
    *,
    structure: Structure,
    order: Order | OrderData,
    reason: str,
    on: dt.date | None = None,
    by: User,
) -> StructureAct:
    """Closes the structure from the order's date (R-PRI-4.6) or the day the order names; its
    memberships end that day (networks.services.structure_close). A day still ahead is a pending
    act: the structure stays open until then, and the daily task closes it on that day."""
    refuse_if_closed(structure)
    order = _order(order)
    on = on or order.date
    changes = [
        {"field": "closed_on", "label": _label("closed_on"), "old": "", "new": shown(on)},
        {
            "field": "closing_reason",
            "label": _label("closing_reason"),
            "old": "",
            "new": str(ClosingReason(reason).label) if reason in ClosingReason.values else reason,
        },
    ]
    with acting_as(by):
        if is_later(on):
            _refuse_after_pending_closing(structure, on)
            if _pending(structure).filter(kind=StructureAct.Kind.CLOSED).exists():
                raise ValidationError(
                    {"closed_on": _("Прекращение деятельности уже внесено и ждёт своего дня.")}
                )
            # Checked now as it will be on its day (dates, reason), without closing anything.
            structure.closed_on, structure.closing_reason, structure.closing_order = (
                on,
                reason,
                order,
            )
            try:
                structure.full_clean()
            finally:
                structure.closed_on, structure.closing_reason, structure.closing_order = (
                    None,
                    "",
                    None,
                )
            changes[0]["value"], changes[1]["value"] = on.isoformat(), reason
            return StructureAct.objects.create(
                structure=structure,
                kind=StructureAct.Kind.CLOSED,
                order=order,
                applies_on=on,
                changes=changes,
                created_by=by,
                applied_at=None,
            )
        structure_close(structure=structure, on=on, reason=reason, order=order)
        changes[1]["new"] = structure.get_closing_reason_display()
        return StructureAct.objects.create(
            structure=structure,
            kind=StructureAct.Kind.CLOSED,
            order=order,
            applies_on=on,
            changes=changes,
            created_by=by,
        )


@transaction.atomic
def structure_acts_from_fields(
    *, structure: Structure, by: User | None = None
) -> list[StructureAct]:
    """The founding act (and the closing act of a closed structure) of a structure set up before
    acts were recorded — in the admin, by an import or by the demo loader — made from its own
    fields. Safe to run twice: an act that exists is not made again."""
    kinds = set(structure.acts.values_list("kind", flat=True))
    made = []
    if StructureAct.Kind.FOUNDED not in kinds:
        made.append(
            StructureAct.objects.create(
                structure=structure,
                kind=StructureAct.Kind.FOUNDED,
                order=structure.founding_order,
                applies_on=structure.established_on,
                created_by=by,
            )
        )
    if structure.is_closed and StructureAct.Kind.CLOSED not in kinds:
        made.append(
            StructureAct.objects.create(
                structure=structure,
                kind=StructureAct.Kind.CLOSED,
                order=structure.closing_order,
                applies_on=structure.closed_on,
                note=str(structure.get_closing_reason_display()),
                created_by=by,
            )
        )
    return made


# --- Orders that wait for their day ----------------------------------------------------------


def is_later(day: dt.date, *, today: dt.date | None = None) -> bool:
    """Whether a change dated `day` waits: its day is after today (the portal's time zone)."""
    return day > (today or timezone.localdate())


def _pending(structure: Structure):
    return structure.acts.filter(applied_at__isnull=True, withdrawn_at__isnull=True, not_applied="")


def _json(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _from_json(name: str, raw):
    model_field = Structure._meta.get_field(name)
    if raw and isinstance(model_field, models.DateField):
        return dt.date.fromisoformat(raw)
    return raw


def _refuse_after_pending_closing(structure: Structure, day: dt.date) -> None:
    closing = _pending(structure).filter(kind=StructureAct.Kind.CLOSED, applies_on__lte=day).first()
    if closing is not None:
        raise ValidationError(
            _(
                "Структура прекращает деятельность с %(date)s по уже внесённому приказу: "
                "изменения после этой даты не вносятся."
            )
            % {"date": shown(closing.applies_on)}
        )


def _pending_act(
    structure: Structure,
    *,
    kind: str,
    order: Order,
    applies_on: dt.date,
    before: dict,
    changes: list[dict],
    by: User,
) -> StructureAct:
    """Stores an amendment whose day is ahead: checked now as it will be made, the structure left
    as it is, the values kept in the act — each change with what the field holds now (`was`, to
    see on its day whether someone changed it since) and what it will hold (`value`)."""
    names = [c["field"] for c in changes]
    if "regulation_file" in names:
        raise ValidationError(
            {
                "regulation_file": _(
                    "Новый файл положения по приказу, который вступает в силу позже, "
                    "приложите в день его вступления в силу."
                )
            }
        )
    _refuse_after_pending_closing(structure, applies_on)
    waiting = [
        (act, c["label"])
        for act in _pending(structure).filter(kind=StructureAct.Kind.AMENDED)
        for c in act.changes
        if c.get("field") in names
    ]
    if waiting:
        act, label = waiting[0]
        raise ValidationError(
            _(
                "Изменение поля «%(field)s» уже внесено и вступает в силу с %(date)s: "
                "отзовите тот приказ или дождитесь его дня."
            )
            % {"field": label, "date": shown(act.applies_on)}
        )
    try:
        structure.full_clean()
        for change in changes:
            change["was"] = _json(before[change["field"]])
            change["value"] = _json(_value(structure, change["field"]))
    finally:
        structure.refresh_from_db()
    return StructureAct.objects.create(
        structure=structure,
        kind=kind,
        order=order,
        applies_on=applies_on,
        changes=changes,
        created_by=by,
        applied_at=None,
    )


@transaction.atomic
def structure_act_withdraw(*, act: StructureAct, by: User) -> StructureAct:
    """The coordinator withdraws an order that has not come into force: the structure never
    changes by it; the act stays on the timeline as withdrawn."""
    withdrawn = StructureAct.objects.filter(
        pk=act.pk, applied_at__isnull=True, withdrawn_at__isnull=True, not_applied=""
    ).update(withdrawn_at=timezone.now(), withdrawn_by=by)
    if not withdrawn:
        raise ValidationError(_("Этот приказ уже вступил в силу или отозван: отозвать его нельзя."))
    act.refresh_from_db()
    return act


def _problem(act: StructureAct, structure: Structure) -> str:
    """Why the pending act cannot be applied today, or "" when it can."""
    if structure.is_closed:
        return _("структура прекратила деятельность %(date)s") % {
            "date": shown(structure.closed_on)
        }
    if act.kind == StructureAct.Kind.CLOSED:
        return ""
    changed = [c for c in act.changes if _json(_value(structure, c["field"])) != c.get("was")]
    if changed:
        return _("после внесения приказа изменено: %(fields)s") % {
            "fields": ", ".join(
                _("%(field)s (сейчас «%(value)s»)")
                % {"field": c["label"], "value": shown(getattr(structure, c["field"]))}
                for c in changed
            )
        }
    return ""


def _apply(act: StructureAct, structure: Structure) -> None:
    if act.kind == StructureAct.Kind.CLOSED:
        reason = next(c["value"] for c in act.changes if c["field"] == "closing_reason")
        structure_close(structure=structure, on=act.applies_on, reason=reason, order=act.order)
        return
    for change in act.changes:
        model_field = Structure._meta.get_field(change["field"])
        setattr(structure, model_field.attname, _from_json(change["field"], change["value"]))
    structure.full_clean()
    structure.save()


def _coordinators(structure: Structure) -> list[int]:
    roles = TerritoryRole.objects.filter(
        role=TerritoryRole.Role.COORDINATOR, region_id=structure.region_id, user__is_active=True
    )
    return [r.user_id for r in roles if covers(r, structure.region_id, structure.municipality_id)]


@transaction.atomic
def structure_act_apply(*, act_id: int, now: dt.datetime | None = None) -> StructureAct | None:
    """Applies one pending act whose day has come. Claimed first by a conditional UPDATE on
    `applied_at`, so a second run, a second worker or a withdrawal at the same moment finds it
    taken: it is applied once. Returns the act (applied, or marked not applied), or None when
    somebody else had it."""
    claimed = StructureAct.objects.filter(
        pk=act_id,
        applied_at__isnull=True,
        withdrawn_at__isnull=True,
        not_applied="",
        kind__in=[StructureAct.Kind.AMENDED, StructureAct.Kind.CLOSED],
    ).update(applied_at=now or timezone.now())
    if not claimed:
        return None
    act = StructureAct.objects.select_related("order", "created_by").get(pk=act_id)
    structure = (
        Structure.objects.select_for_update().select_related("kind").get(pk=act.structure_id)
    )
    problem = _problem(act, structure)
    if not problem:
        try:
            with transaction.atomic(), acting_as(act.created_by):
                _apply(act, structure)
        except ValidationError as error:
            problem = without_rule_ids("; ".join(error.messages))
    if problem:
        act.applied_at, act.not_applied = None, problem
        act.save(update_fields=["applied_at", "not_applied"])
        notify(
            _coordinators(structure),
            title=_("Приказ о структуре «%(name)s» не применён") % {"name": structure.name},
            body=_("%(order)s с %(date)s не применён: %(problem)s.")
            % {
                "order": act.order or act.get_kind_display(),
                "date": shown(act.applies_on),
                "problem": problem,
            },
            url=reverse("networks:structure_detail", args=[structure.pk]),
        )
    return act


def structure_acts_apply_due(*, today: dt.date) -> list[StructureAct]:
    """The pending acts whose day has come, applied in date order (then in the order they were
    recorded); safe to run twice — an act is claimed before it is applied."""
    due = StructureAct.objects.filter(
        applied_at__isnull=True,
        withdrawn_at__isnull=True,
        not_applied="",
        applies_on__lte=today,
        kind__in=[StructureAct.Kind.AMENDED, StructureAct.Kind.CLOSED],
    ).order_by("applies_on", "pk")
    done = []
    for act_id in list(due.values_list("pk", flat=True)):
        act = structure_act_apply(act_id=act_id)
        if act is not None:
            done.append(act)
    return done
