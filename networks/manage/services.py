"""Structures set up in the browser: founded, edited, amended and closed by orders. Each write
records a StructureAct — the structure's timeline — with what it changed; django-simple-history
keeps the field history and who acted (the request's user, or networks.history.acting_as).

A change by order is recorded from the order's date (the act's `applies_on`); the structure's
fields take the new values when the order is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from ..history import acting_as
from ..models import Order, Organisation, Programme, Structure, StructureAct, User
from ..services import refuse_if_closed, structure_close

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
        if changes or order is not None:
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
    *, structure: Structure, order: Order | OrderData, values: dict, by: User
) -> StructureAct:
    """A later order renames the structure, extends its term, moves it to another host or changes
    its topic: the change applies from the order's date."""
    refuse_if_closed(structure)
    order = _order(order)
    before = _snapshot(structure)
    for name, value in values.items():
        setattr(structure, name, value)
    changes = _changes(before, structure, TRACKED_FIELDS)
    if not changes:
        raise ValidationError(_("Приказ ничего не меняет: укажите, что он меняет в структуре."))
    with acting_as(by):
        structure.full_clean()
        structure.save()
        return StructureAct.objects.create(
            structure=structure,
            kind=StructureAct.Kind.AMENDED,
            order=order,
            applies_on=order.date,
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
    memberships end that day (networks.services.structure_close)."""
    refuse_if_closed(structure)
    order = _order(order)
    on = on or order.date
    with acting_as(by):
        structure_close(structure=structure, on=on, reason=reason, order=order)
        return StructureAct.objects.create(
            structure=structure,
            kind=StructureAct.Kind.CLOSED,
            order=order,
            applies_on=on,
            changes=[
                {
                    "field": "closed_on",
                    "label": _label("closed_on"),
                    "old": "",
                    "new": shown(on),
                },
                {
                    "field": "closing_reason",
                    "label": _label("closing_reason"),
                    "old": "",
                    "new": structure.get_closing_reason_display(),
                },
            ],
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
