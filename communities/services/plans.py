"""Writes for plans and their approval, and for closing a structure.

Who may act comes from the kinds table through communities.permissions; the views ask first (so
that a member without the right gets 403), and each service asks again, because commands and
tests call it without a view. A person without the right gets PermissionDenied; a plan in the
wrong state, or bad input, a Russian ValidationError. Every step of the plan's way is a PlanStep
row with who and when.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from networks import figures
from networks import services as network_services
from networks.manage.services import structure_close_by_order as structure_close_with_act
from networks.models import Order, Organisation, Structure, User
from networks.permissions import access_to
from networks.schoolyear import SchoolYear

from .. import permissions
from ..models import Plan, PlanItem, PlanStep
from ..selectors.plans import MONTH_NAMES, plan_agreement

ITEM_FIELDS = ("title", "form", "month", "date", "responsible", "audience", "expected_result")


def _refuse_if_closed(structure: Structure) -> None:
    """A closed structure keeps its plans read-only and takes no new ones."""
    try:
        network_services.refuse_if_closed(structure)
    except ValidationError:
        raise ValidationError(
            _("Структура прекратила деятельность %(date)s; её планы доступны только для чтения.")
            % {"date": f"{structure.closed_on:%d.%m.%Y}"}
        ) from None


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _refuse_unless_editable(plan: Plan) -> None:
    _refuse_if_closed(plan.structure)
    if not plan.is_editable:
        raise ValidationError(
            _("План в состоянии «%(status)s» не редактируется.")
            % {"status": plan.get_status_display()}
        )


def _step(plan: Plan, action: str, by: User, comment: str = "") -> PlanStep:
    step = PlanStep(plan=plan, action=action, by=by, comment=comment.strip())
    step.full_clean()
    step.save()
    return step


def _set_status(plan: Plan, status: str) -> Plan:
    plan.status = status
    plan.full_clean()
    plan.save(update_fields=["status", "updated_at"])
    figures.plan_changed(plan)
    return plan


def _lock(plan: Plan) -> Plan:
    """Reads the plan's state again inside the transaction: two people deciding at once must
    not both move it."""
    fresh = Plan.objects.select_for_update().get(pk=plan.pk)
    plan.status = fresh.status
    return plan


# --- The plan ------------------------------------------------------------------------------------


def plan_years(structure: Structure) -> list[SchoolYear]:
    """The school years a plan may be written for, newest first: those the structure works in and
    the coming one (the first plan is due before its year starts, 000 order p. 2)."""
    years = structure.school_years()
    coming = SchoolYear(SchoolYear.current().start + 1)
    if coming not in years and (structure.ends_on is None or structure.ends_on >= coming.first_day):
        years = [coming, *years]
    return years


@transaction.atomic
def plan_create(*, structure: Structure, school_year: int, by: User, title: str = "") -> Plan:
    """A draft plan for the school year; a second one for the same year is a new version."""
    _refuse_if_closed(structure)
    _require(
        permissions.can_write_plans(access_to(by, structure), structure),
        _("Составлять план этой структуры может только её руководство."),
    )
    year = SchoolYear(school_year)
    if year not in plan_years(structure):
        raise ValidationError(
            {
                "school_year": _("Структура не работает в %(year)s учебном году.")
                % {"year": year.label}
            }
        )
    if structure.plans.filter(school_year=year.start).exists():
        raise ValidationError(
            {
                "school_year": _(
                    "План на %(year)s учебный год уже есть: доработайте его или начните новую "
                    "версию утверждённого плана."
                )
                % {"year": year.label}
            }
        )
    plan = Plan(
        structure=structure, school_year=year.start, title=title.strip(), created_by=by, version=1
    )
    plan.full_clean()
    plan.save()
    figures.plan_changed(plan)
    return plan


@transaction.atomic
def plan_submit(*, plan: Plan, by: User) -> Plan:
    """Draft or returned → submitted; with no agree step in the kind it goes to the approver."""
    _require(
        permissions.can_write_plans(access_to(by, plan.structure), plan.structure),
        _("Представить план может только тот, кто его составляет."),
    )
    _lock(plan)
    _refuse_unless_editable(plan)
    if not plan.items.exists():
        raise ValidationError(_("В плане нет ни одного пункта: добавьте мероприятия."))
    _step(plan, PlanStep.Action.SUBMIT, by)
    return _set_status(plan, Plan.Status.SUBMITTED)


@transaction.atomic
def plan_agree(*, plan: Plan, by: User, comment: str = "") -> Plan:
    """One agreement; the plan is agreed when the kind's agreement is complete: any one agreer,
    or every current member with the agree roles (R-DMI-1.8, S7's participant schools)."""
    structure = plan.structure
    _require(
        permissions.can_agree_plans(access_to(by, structure), structure),
        _("Согласовать план могут только участники, которым это поручено."),
    )
    _lock(plan)
    _refuse_if_closed(structure)
    if plan.status != Plan.Status.SUBMITTED:
        raise ValidationError(
            _("Согласовать можно только представленный план; сейчас он в состоянии «%(status)s».")
            % {"status": plan.get_status_display()}
        )
    if by.pk in plan_agreement(plan).agreed_ids:
        raise ValidationError(_("Вы уже согласовали этот план."))
    _step(plan, PlanStep.Action.AGREE, by, comment)
    if plan_agreement(plan).is_complete:
        _set_status(plan, Plan.Status.AGREED)
    return plan


@transaction.atomic
def plan_approve(*, plan: Plan, by: User, comment: str = "") -> Plan:
    structure = plan.structure
    _require(
        permissions.can_approve_plans(access_to(by, structure), structure),
        _("Утвердить план может только тот, кому это поручено, или координатор территории."),
    )
    _lock(plan)
    _refuse_if_closed(structure)
    if plan.status == Plan.Status.SUBMITTED and structure.kind.plan_agree_roles:
        raise ValidationError(_("План ещё не согласован: утвердить его можно после согласования."))
    if not permissions.is_plan_awaiting_approval(plan):
        raise ValidationError(
            _("Утвердить можно только представленный план; сейчас он в состоянии «%(status)s».")
            % {"status": plan.get_status_display()}
        )
    _step(plan, PlanStep.Action.APPROVE, by, comment)
    return _set_status(plan, Plan.Status.APPROVED)


@transaction.atomic
def plan_return(*, plan: Plan, by: User, comment: str) -> Plan:
    """Submitted or agreed → returned, with what to rework; the author sees the comment."""
    structure = plan.structure
    _require(
        permissions.can_return_plans(access_to(by, structure), structure),
        _("Вернуть план могут только те, кто его согласует или утверждает."),
    )
    if not comment.strip():
        raise ValidationError({"comment": _("Напишите, что доработать.")})
    _lock(plan)
    _refuse_if_closed(structure)
    if plan.status not in (Plan.Status.SUBMITTED, Plan.Status.AGREED):
        raise ValidationError(
            _("Вернуть можно только представленный план; сейчас он в состоянии «%(status)s».")
            % {"status": plan.get_status_display()}
        )
    _require(
        permissions.can_return_plan(access_to(by, structure), plan),
        _("Согласованный план возвращает тот, кто его утверждает."),
    )
    _step(plan, PlanStep.Action.RETURN, by, comment)
    return _set_status(plan, Plan.Status.RETURNED)


@transaction.atomic
def plan_new_version(*, plan: Plan, by: User) -> Plan:
    """A draft copy of an approved plan with version + 1; the approved one stays read-only."""
    structure = plan.structure
    _require(
        permissions.can_write_plans(access_to(by, structure), structure),
        _("Новую версию плана начинает тот, кто его составляет."),
    )
    _refuse_if_closed(structure)
    _lock(plan)
    if plan.status != Plan.Status.APPROVED:
        raise ValidationError(_("Новая версия начинается только с утверждённого плана."))
    newer = Plan.objects.filter(
        structure=structure, school_year=plan.school_year, version__gt=plan.version
    )
    if newer.exists():
        raise ValidationError(_("У этого плана уже есть более новая версия."))
    copy = Plan(
        structure=structure,
        school_year=plan.school_year,
        version=plan.version + 1,
        previous=plan,
        title=plan.title,
        created_by=by,
    )
    copy.full_clean()
    copy.save()
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=copy,
            position=item.position,
            done=item.done,
            done_note=item.done_note,
            **{name: getattr(item, name) for name in ITEM_FIELDS},
        )
        for item in plan.items.order_by("position", "pk")
    )
    figures.plan_changed(copy)
    return copy


# --- Its items -----------------------------------------------------------------------------------


def _fill_item(item: PlanItem, plan: Plan, data: dict) -> PlanItem:
    for name in ITEM_FIELDS:
        value = data.get(name)
        if name in ("month", "date"):
            value = value or None
        elif value is None:
            value = ""
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    year = SchoolYear(plan.school_year)
    errors = {}
    if item.month is None and item.date is None:
        errors["month"] = _("Укажите месяц или дату.")
    if item.date and item.date not in year:
        errors["date"] = _("Дата %(date)s не входит в %(year)s учебный год.") % {
            "date": f"{item.date:%d.%m.%Y}",
            "year": year.label,
        }
    elif item.date and item.month and item.date.month != item.month:
        errors["month"] = _("Месяц не совпадает с датой (%(month)s).") % {
            "month": MONTH_NAMES[item.date.month]
        }
    if errors:
        raise ValidationError(errors)
    item.full_clean()
    return item


def _require_writer(plan: Plan, by: User) -> None:
    _require(
        permissions.can_write_plans(access_to(by, plan.structure), plan.structure),
        _("Изменять план может только тот, кто его составляет."),
    )


@transaction.atomic
def plan_item_add(*, plan: Plan, by: User, **data) -> PlanItem:
    _require_writer(plan, by)
    _lock(plan)
    _refuse_unless_editable(plan)
    last = plan.items.aggregate(last=Max("position"))["last"] or 0
    item = _fill_item(PlanItem(plan=plan, position=last + 1), plan, data)
    item.save()
    figures.plan_changed(item.plan)
    return item


@transaction.atomic
def plan_item_update(*, item: PlanItem, by: User, **data) -> PlanItem:
    plan = item.plan
    _require_writer(plan, by)
    _lock(plan)
    _refuse_unless_editable(plan)
    _fill_item(item, plan, data).save()
    figures.plan_changed(item.plan)
    return item


def _renumber(plan: Plan, ordered: list[PlanItem]) -> None:
    for position, item in enumerate(ordered, start=1):
        item.position = position
    PlanItem.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def plan_item_delete(*, item: PlanItem, by: User) -> None:
    plan = item.plan
    _require_writer(plan, by)
    _lock(plan)
    _refuse_unless_editable(plan)
    item.delete()
    _renumber(plan, list(plan.items.order_by("position", "pk")))
    figures.plan_changed(plan)


@transaction.atomic
def plan_item_reorder(*, plan: Plan, order: list[int], by: User) -> None:
    """`order` lists every item's id in the new order."""
    _require_writer(plan, by)
    _lock(plan)
    _refuse_unless_editable(plan)
    items = plan.items.in_bulk()
    if sorted(order) != sorted(items):
        raise ValidationError(_("Список пунктов изменился, пока вы работали. Обновите страницу."))
    _renumber(plan, [items[pk] for pk in order])


@transaction.atomic
def plan_item_mark_done(*, item: PlanItem, by: User, done: bool, note: str = "") -> PlanItem:
    """Execution is marked on the approved plan — that is what it is for."""
    plan = item.plan
    _require(
        permissions.can_mark_plans_done(access_to(by, plan.structure), plan.structure),
        _("Отмечать выполнение плана могут те, кто его составляет, и руководство структуры."),
    )
    _lock(plan)
    _refuse_if_closed(plan.structure)
    if plan.status != Plan.Status.APPROVED:
        raise ValidationError(_("Выполнение отмечается в утверждённом плане."))
    item.done, item.done_note = done, note.strip()
    item.full_clean()
    item.save(update_fields=["done", "done_note"])
    figures.plan_changed(item.plan)
    return item


# --- Closing a structure (R-PRI-4.4/4.5/4.6) ------------------------------------------------------


@transaction.atomic
def structure_close_by_order(
    *,
    structure: Structure,
    on: dt.date,
    reason: str,
    by: User,
    order: Order | None = None,
    new_order: dict | None = None,
) -> Structure:
    """Closes the structure with an existing order of its region or a new one (issuer, kind,
    number, date, title). networks' structure_close refuses an early closing without an order
    (R-PRI-4.6); the new order is then not kept either."""
    _require(
        permissions.can_close_structure(access_to(by, structure), structure),
        _("Прекратить деятельность структуры может только координатор."),
    )
    if order is not None and new_order:
        raise ValidationError(_("Выберите приказ из списка или введите новый — не оба сразу."))
    if order is not None and order.issuer.region_id != structure.region_id:
        raise ValidationError({"order": _("Приказ издан в другом регионе.")})
    if new_order:
        issuer: Organisation = new_order["issuer"]
        if issuer.region_id != structure.region_id:
            raise ValidationError({"issuer": _("Организация из другого региона.")})
        order = Order(**new_order)
        order.full_clean()
        order.save()
    # The structure's timeline records the closing, and a closing dated ahead waits for its day
    # (networks.manage: the same service the coordinator's order page uses).
    structure_close_with_act(structure=structure, order=order, reason=reason, on=on, by=by)
    structure.refresh_from_db()
    return structure


__all__ = [
    "plan_agree",
    "plan_approve",
    "plan_create",
    "plan_item_add",
    "plan_item_delete",
    "plan_item_mark_done",
    "plan_item_reorder",
    "plan_item_update",
    "plan_new_version",
    "plan_return",
    "plan_submit",
    "plan_years",
    "structure_close_by_order",
]
