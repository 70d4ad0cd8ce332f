"""Plans of a structure's school year and their approval, and closing a structure.

Every view loads the structure through networks.permissions.structure_for (404 to those with no
relation to its inner life), asks communities.permissions whether the person may take the step at
all (403 if not), and hands the change to one service, whose refusals about the plan's state come
back as Russian messages; a rejected form shows again with what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from networks.permissions import can_see_name, refuse_unless_reads_year, structure_for
from networks.selectors import structure_detail_queryset
from networks.widgets import quick_widgets

from .. import permissions, selectors, services
from ..forms import (
    PlanCreateForm,
    PlanDecisionForm,
    PlanDoneForm,
    PlanItemForm,
    PlanReturnForm,
    StructureCloseForm,
    add_service_error,
    close_error_field,
)
from ..models import Plan, PlanItem, PlanStep
from ..services.documents import PlanDocx


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _structure(request, pk: int):
    """Plans are part of the inner life: members, those who run it, the territory's methodists."""
    return structure_for(request.user, pk, to="see_inner")


def _reading(request, pk: int):
    """The pages that only read plans: a closed structure's former members too, for their years."""
    return structure_for(request.user, pk, to="see_years")


def _plan(structure, plan_pk: int) -> Plan:
    plan = get_object_or_404(selectors.plan_queryset(structure), pk=plan_pk)
    refuse_unless_reads_year(structure, plan.school_year)
    plan.structure = structure  # the kind and the viewer's access are loaded already
    return plan


def _item(plan: Plan, item_pk: int) -> PlanItem:
    item = get_object_or_404(plan.items.all(), pk=item_pk)
    item.plan = plan
    return item


def _to_plan(plan: Plan, anchor: str = ""):
    url = reverse("communities:plan_detail", args=[plan.structure_id, plan.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


# --- The structure's plans -----------------------------------------------------------------------


def _free_years(structure, years) -> list:
    taken = {y.year for y in years}
    return [y for y in services.plan_years(structure) if y not in taken]


def _render_plans(request, structure, *, create_form=None):
    access = structure.access
    years = [y for y in selectors.structure_plans(structure) if access.can_read_year(y.year)]
    can_create = permissions.can_create_plan(access, structure)
    free = _free_years(structure, years) if can_create else []
    if can_create and free and create_form is None:
        create_form = PlanCreateForm(years=free)
    for year in years:
        for plan in [year.current, *year.older]:
            plan.step_rows = [(s, _shows(request, access, s.by)) for s in plan.steps.all()]
    return render(
        request,
        "communities/plans/plans.html",
        {
            "structure": structure,
            "years": years,
            # A refused form shows with its error even when no year is left to choose.
            "create_form": create_form,
        },
    )


def _shows(request, access, person) -> bool:
    return person is not None and can_see_name(access, request.user, person)


@login_required
def plans(request, pk: int):
    return _render_plans(request, _reading(request, pk))


@login_required
@require_POST
def plan_create(request, pk: int):
    structure = _structure(request, pk)
    _require(permissions.can_write_plans(structure.access, structure))
    form = PlanCreateForm(request.POST, years=services.plan_years(structure))
    if form.is_valid():
        try:
            plan = services.plan_create(
                structure=structure,
                school_year=form.cleaned_data["school_year"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("План на %(year)s учебный год создан. Добавьте мероприятия.")
                % {"year": plan.school_year_label},
            )
            return _to_plan(plan)
    return _render_plans(request, structure, create_form=form)


# --- One plan ------------------------------------------------------------------------------------


def _render_plan(request, structure, plan, **bound):
    from .signed_scans import plan_scan_block  # the scans module imports this one's loaders

    access = structure.access
    versions = list(selectors.plan_versions(plan))
    is_latest = versions[0].pk == plan.pk
    agreement = None
    if structure.kind.plan_agree_roles and plan.status == Plan.Status.SUBMITTED:
        agreement = selectors.plan_agreement(plan)
        agreement.rows = [(m, _shows(request, access, m.user)) for m in agreement.needed]
    already_agreed = agreement is not None and request.user.pk in agreement.agreed_ids
    may_mark_done = permissions.can_mark_plan_done(access, plan)
    items = selectors.plan_items(plan)
    done_bound = bound.get("done_form")
    for item in items:
        if may_mark_done:
            item.done_form = (
                done_bound[1]
                if done_bound and done_bound[0] == item.pk
                else quick_widgets(
                    PlanDoneForm(
                        prefix=f"done-{item.pk}",
                        initial={"done": item.done, "note": item.done_note},
                    )
                )
            )
    steps = [(s, _shows(request, access, s.by)) for s in selectors.plan_steps(plan)]
    returns = [s for s, _shown in steps if s.action == PlanStep.Action.RETURN]
    may_agree = permissions.can_agree_plan(access, plan, already_agreed=already_agreed)
    may_approve = permissions.can_approve_plan(access, plan)
    may_return = permissions.can_return_plan(access, plan)
    return render(
        request,
        "communities/plans/plan.html",
        {
            "structure": structure,
            "plan": plan,
            "items": items,
            "steps": steps,
            "return_step": returns[-1] if plan.status == Plan.Status.RETURNED and returns else None,
            "versions": versions,
            "is_latest": is_latest,
            "agreement": agreement,
            "may_write": permissions.can_write_plan(access, plan),
            "may_agree": may_agree,
            "already_agreed": already_agreed,
            "may_approve": may_approve,
            "may_return": may_return,
            "may_mark_done": may_mark_done,
            "may_new_version": permissions.can_start_plan_version(
                access, plan, is_latest=is_latest
            ),
            # A form only for who may use it: the page of a reader builds none.
            "agree_form": bound.get("agree_form")
            or (PlanDecisionForm(prefix="agree") if may_agree else None),
            "approve_form": bound.get("approve_form")
            or (PlanDecisionForm(prefix="approve") if may_approve else None),
            "return_form": bound.get("return_form") or (PlanReturnForm() if may_return else None),
            "scan_block": plan_scan_block(request, structure, plan),  # issue 18
        },
    )


@login_required
def plan_detail(request, pk: int, plan_pk: int):
    structure = _reading(request, pk)
    return _render_plan(request, structure, _plan(structure, plan_pk))


@login_required
def plan_docx(request, pk: int, plan_pk: int):
    """The plan to print and sign (issue 18): from the region's template, with «УТВЕРЖДАЮ» and
    «СОГЛАСОВАНО» from its steps. Whoever reads the plan may download it."""
    structure = _reading(request, pk)
    access = structure.access
    plan = _plan(structure, plan_pk)
    document = PlanDocx(plan, shows=lambda person: _shows(request, access, person))
    filename, mime, content = document.render()
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _plan_step(request, pk, plan_pk, *, allowed, act, success, form_class=None, form_name=""):
    """Submit, agree, approve, return, new version share their shape: check who, read the
    optional form, call the service; a refused step says why on the plan's page."""
    structure = _structure(request, pk)
    plan = _plan(structure, plan_pk)
    _require(allowed(structure.access, structure))
    form = form_class(request.POST, prefix=form_name.removesuffix("_form")) if form_class else None
    if form is not None and not form.is_valid():
        return _render_plan(request, structure, plan, **{form_name: form})
    try:
        result = act(plan, form.cleaned_data if form else {})
    except ValidationError as error:
        if form is not None and hasattr(error, "error_dict"):
            add_service_error(form, error)
            return _render_plan(request, structure, plan, **{form_name: form})
        _error_messages(request, error)
        return _to_plan(plan)
    messages.success(request, success)
    return _to_plan(result or plan)


@login_required
@require_POST
def plan_submit(request, pk: int, plan_pk: int):
    return _plan_step(
        request,
        pk,
        plan_pk,
        allowed=permissions.can_write_plans,
        act=lambda plan, data: services.plan_submit(plan=plan, by=request.user),
        success=_("План представлен на согласование."),
    )


@login_required
@require_POST
def plan_agree(request, pk: int, plan_pk: int):
    return _plan_step(
        request,
        pk,
        plan_pk,
        allowed=permissions.can_agree_plans,
        act=lambda plan, data: services.plan_agree(
            plan=plan, by=request.user, comment=data["comment"]
        ),
        success=_("Вы согласовали план."),
        form_class=PlanDecisionForm,
        form_name="agree_form",
    )


@login_required
@require_POST
def plan_approve(request, pk: int, plan_pk: int):
    return _plan_step(
        request,
        pk,
        plan_pk,
        allowed=permissions.can_approve_plans,
        act=lambda plan, data: services.plan_approve(
            plan=plan, by=request.user, comment=data["comment"]
        ),
        success=_("План утверждён."),
        form_class=PlanDecisionForm,
        form_name="approve_form",
    )


@login_required
@require_POST
def plan_return(request, pk: int, plan_pk: int):
    return _plan_step(
        request,
        pk,
        plan_pk,
        allowed=permissions.can_return_plans,
        act=lambda plan, data: services.plan_return(
            plan=plan, by=request.user, comment=data["comment"]
        ),
        success=_("План возвращён на доработку; составитель увидит ваш комментарий."),
        form_class=PlanReturnForm,
        form_name="return_form",
    )


@login_required
@require_POST
def plan_new_version(request, pk: int, plan_pk: int):
    return _plan_step(
        request,
        pk,
        plan_pk,
        allowed=permissions.can_write_plans,
        act=lambda plan, data: services.plan_new_version(plan=plan, by=request.user),
        success=_("Начата новая версия плана: это черновик, утверждённая версия сохранена."),
    )


# --- Its items -----------------------------------------------------------------------------------


def _item_form(request, pk: int, plan_pk: int, item_pk: int | None = None):
    """Add (no item) or edit one item: only while the plan is a draft or returned."""
    structure = _structure(request, pk)
    plan = _plan(structure, plan_pk)
    _require(permissions.can_write_plans(structure.access, structure))
    item = _item(plan, item_pk) if item_pk is not None else None
    if request.method == "POST":
        form = PlanItemForm(request.POST)
        if form.is_valid():
            try:
                if item is None:
                    item = services.plan_item_add(plan=plan, by=request.user, **form.cleaned_data)
                else:
                    services.plan_item_update(item=item, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                done = _("Пункт плана изменён.") if item_pk else _("Пункт плана добавлен.")
                messages.success(request, done)
                return _to_plan(plan, f"item-{item.pk}")
    elif not permissions.can_write_plan(structure.access, plan):
        if structure.is_closed:
            messages.error(request, _("Структура прекратила деятельность; план только для чтения."))
        else:
            messages.error(
                request,
                _("План в состоянии «%(status)s» не редактируется.")
                % {"status": plan.get_status_display()},
            )
        return _to_plan(plan)
    else:
        form = PlanItemForm.for_item(item) if item else PlanItemForm()
    return render(
        request,
        "communities/plans/item_form.html",
        {"structure": structure, "plan": plan, "item": item, "form": form},
    )


@login_required
def plan_item_add(request, pk: int, plan_pk: int):
    return _item_form(request, pk, plan_pk)


@login_required
def plan_item_edit(request, pk: int, plan_pk: int, item_pk: int):
    return _item_form(request, pk, plan_pk, item_pk)


@login_required
@require_POST
def plan_item_delete(request, pk: int, plan_pk: int, item_pk: int):
    structure = _structure(request, pk)
    plan = _plan(structure, plan_pk)
    _require(permissions.can_write_plans(structure.access, structure))
    item = _item(plan, item_pk)
    try:
        services.plan_item_delete(item=item, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Пункт плана удалён."))
    return _to_plan(plan, "items")


@login_required
@require_POST
def plan_item_move(request, pk: int, plan_pk: int, item_pk: int):
    """One step up or down; the service takes the whole new order."""
    structure = _structure(request, pk)
    plan = _plan(structure, plan_pk)
    _require(permissions.can_write_plans(structure.access, structure))
    item = _item(plan, item_pk)
    order = list(plan.items.order_by("position", "pk").values_list("pk", flat=True))
    at = order.index(item.pk)
    to = at - 1 if request.POST.get("direction") == "up" else at + 1
    if 0 <= to < len(order):
        order[at], order[to] = order[to], order[at]
        try:
            services.plan_item_reorder(plan=plan, order=order, by=request.user)
        except ValidationError as error:
            _error_messages(request, error)
    return _to_plan(plan, f"item-{item.pk}")


@login_required
@require_POST
def plan_item_done(request, pk: int, plan_pk: int, item_pk: int):
    structure = _structure(request, pk)
    plan = _plan(structure, plan_pk)
    _require(permissions.can_mark_plans_done(structure.access, structure))
    item = _item(plan, item_pk)
    form = PlanDoneForm(request.POST, prefix=f"done-{item.pk}")
    if form.is_valid():
        try:
            services.plan_item_mark_done(
                item=item,
                by=request.user,
                done=form.cleaned_data["done"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(
                request,
                _("Отметка о выполнении пункта %(n)s сохранена.") % {"n": item.position},
            )
        return _to_plan(plan, f"item-{item.pk}")
    return _render_plan(request, structure, plan, done_form=(item.pk, form))


# --- Closing a structure (R-PRI-4.4/4.5/4.6) ------------------------------------------------------


@login_required
def structure_close(request, pk: int):
    structure = structure_for(request.user, pk, to="manage", queryset=structure_detail_queryset())
    _require(permissions.can_close_structures(structure.access))
    if structure.is_closed:
        messages.info(request, _("Структура уже прекратила деятельность."))
        return redirect("networks:structure_detail", pk=structure.pk)
    form = StructureCloseForm(request.POST or None, structure=structure)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            structure = services.structure_close_by_order(
                structure=structure,
                on=data["on"],
                reason=data["reason"],
                order=data["order"],
                new_order=data["new_order"],
                by=request.user,
            )
        except ValidationError as error:
            _close_errors(form, error)
        else:
            day = f"{data['on']:%d.%m.%Y}"
            if structure.is_closed:
                text = _(
                    "Структура прекратила деятельность с %(date)s; её записи сохранены для чтения."
                )
            else:
                text = _(
                    "Прекращение деятельности внесено и вступит в силу %(date)s; до этого дня "
                    "структура работает, приказ можно отозвать на её странице."
                )
            messages.success(request, text % {"date": day})
            return redirect("networks:structure_detail", pk=structure.pk)
    return render(request, "communities/plans/close.html", {"structure": structure, "form": form})


def _close_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        for item in errors:
            form.add_error(close_error_field(name), item)


urlpatterns = [
    path("structures/<int:pk>/plans/", plans, name="plans"),
    path("structures/<int:pk>/plans/create/", plan_create, name="plan_create"),
    path("structures/<int:pk>/plans/<int:plan_pk>/", plan_detail, name="plan_detail"),
    path("structures/<int:pk>/plans/<int:plan_pk>/docx/", plan_docx, name="plan_docx"),
    path("structures/<int:pk>/plans/<int:plan_pk>/submit/", plan_submit, name="plan_submit"),
    path("structures/<int:pk>/plans/<int:plan_pk>/agree/", plan_agree, name="plan_agree"),
    path("structures/<int:pk>/plans/<int:plan_pk>/approve/", plan_approve, name="plan_approve"),
    path("structures/<int:pk>/plans/<int:plan_pk>/return/", plan_return, name="plan_return"),
    path(
        "structures/<int:pk>/plans/<int:plan_pk>/new-version/",
        plan_new_version,
        name="plan_new_version",
    ),
    path("structures/<int:pk>/plans/<int:plan_pk>/items/add/", plan_item_add, name="plan_item_add"),
    path(
        "structures/<int:pk>/plans/<int:plan_pk>/items/<int:item_pk>/",
        plan_item_edit,
        name="plan_item_edit",
    ),
    path(
        "structures/<int:pk>/plans/<int:plan_pk>/items/<int:item_pk>/delete/",
        plan_item_delete,
        name="plan_item_delete",
    ),
    path(
        "structures/<int:pk>/plans/<int:plan_pk>/items/<int:item_pk>/move/",
        plan_item_move,
        name="plan_item_move",
    ),
    path(
        "structures/<int:pk>/plans/<int:plan_pk>/items/<int:item_pk>/done/",
        plan_item_done,
        name="plan_item_done",
    ),
    path("structures/<int:pk>/close/", structure_close, name="structure_close"),
]

__all__ = [
    "plan_agree",
    "plan_approve",
    "plan_create",
    "plan_detail",
    "plan_docx",
    "plan_item_add",
    "plan_item_delete",
    "plan_item_done",
    "plan_item_edit",
    "plan_item_move",
    "plan_new_version",
    "plan_return",
    "plan_submit",
    "plans",
    "structure_close",
]
