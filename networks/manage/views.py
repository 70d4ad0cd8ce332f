"""Coordinators set structures up in the browser instead of the Django admin: create a structure of
any kind by its founding order, edit it, record the later orders that amend or close it, and read
the files of its orders (served after checking that the viewer may see the structure)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from ..models import Order, Structure
from ..permissions import structure_for
from ..uploads import content_type_of
from . import permissions, services
from .forms import FEATURES, Action, StructureForm, StructureOrderForm


def _programme(form: StructureForm, structure: Structure):
    data = form.new_programme()
    if data is None:
        return
    structure.programme = services.programme_create(
        **data, region=structure.region, municipality=structure.municipality
    )


def _form_page(request, form: StructureForm, structure: Structure | None = None):
    context = {
        "form": form,
        "picker": form.picker(),
        "structure": structure,
        "shown": {feature: form.shows(feature) for feature in FEATURES},
        "kind_features_json": json.dumps(form.kind_features),
        "regulation_name": (
            structure.regulation_file.name.rsplit("/", 1)[-1]
            if structure is not None and structure.regulation_file
            else ""
        ),
    }
    refused = request.method == "POST" and not form.finding
    return render(
        request, "networks/manage/structure_form.html", context, status=400 if refused else 200
    )


def _refused(form, error) -> None:
    """A service's refusal shown at the form's fields."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def structure_create(request):
    permissions.refuse_unless_sets_up(request.user)
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") else None
    form = StructureForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        structure = form.save(commit=False)
        try:
            with transaction.atomic():
                _programme(form, structure)
                services.structure_create(
                    structure=structure,
                    founding_order=form.founding_order_value(),
                    agreement=form.agreement,
                    working_group_order=form.wg_order,
                    by=request.user,
                )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Структура «%(name)s» создана.") % {"name": structure.name})
            return redirect("networks:structure_detail", structure.pk)
    return _form_page(request, form)


@login_required
def structure_edit(request, pk: int):
    structure = permissions.structure_to_set_up(request.user, pk)
    form = StructureForm(
        request.POST or None, request.FILES or None, user=request.user, instance=structure
    )
    if request.method == "POST" and form.is_valid():
        values = form.changed_values()
        # The form has put its values on the instance already; the service compares with what is
        # stored, so it gets a fresh copy.
        stored = Structure.objects.select_related("kind").get(pk=structure.pk)
        try:
            with transaction.atomic():
                _programme(form, stored)
                if stored.programme_id != structure.programme_id and form.new_programme():
                    values["programme"] = stored.programme
                act = services.structure_edit(
                    structure=stored,
                    values=values,
                    order=form.act_order_value(),
                    agreement=form.agreement,
                    working_group_order=form.wg_order,
                    by=request.user,
                )
        except ValidationError as error:
            _refused(form, error)
        else:
            if act is None:
                messages.info(request, _("Ничего не изменилось."))
            elif act.applied_at is None:
                messages.success(
                    request,
                    _(
                        "Приказ внесён. Изменения вступают в силу с %(date)s: до этого дня "
                        "структура не меняется, а приказ можно отозвать."
                    )
                    % {"date": f"{act.applies_on:%d.%m.%Y}"},
                )
            else:
                messages.success(request, _("Изменения сохранены."))
            return redirect("networks:structure_detail", structure.pk)
    return _form_page(request, form, structure)


@login_required
def structure_order(request, pk: int):
    structure = permissions.structure_to_set_up(request.user, pk)
    form = StructureOrderForm(
        request.POST or None, request.FILES or None, structure=structure, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == Action.CLOSE:
                act = services.structure_close_by_order(
                    structure=structure,
                    order=form.order_value(),
                    reason=form.cleaned_data["closing_reason"],
                    on=form.cleaned_data.get("closed_on"),
                    by=request.user,
                )
                done = _("Прекращение деятельности внесено.")
            else:
                act = services.structure_amend_by_order(
                    structure=structure,
                    order=form.order_value(),
                    values=form.values(),
                    on=form.cleaned_data.get("applies_on"),
                    by=request.user,
                )
                done = _("Приказ внесён, изменения сохранены.")
        except ValidationError as error:
            structure.refresh_from_db()
            _refused(form, error)
        else:
            if act.applied_at is None:
                done = _(
                    "Приказ внесён. Он вступает в силу с %(date)s: до этого дня структура не "
                    "меняется, а приказ можно отозвать."
                ) % {"date": f"{act.applies_on:%d.%m.%Y}"}
            messages.success(request, done)
            return redirect("networks:structure_detail", structure.pk)
    return render(
        request,
        "networks/manage/structure_order_form.html",
        {"form": form, "structure": structure},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def structure_act_withdraw(request, pk: int, act_pk: int):
    """An order that has not come into force, withdrawn by the territory's coordinator: the page
    asks to confirm (GET), the button withdraws it (POST)."""
    structure = permissions.structure_to_set_up(request.user, pk)
    act = get_object_or_404(
        structure.acts.select_related("order", "order__issuer", "created_by"), pk=act_pk
    )
    if request.method == "POST":
        try:
            services.structure_act_withdraw(act=act, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Приказ отозван: структура по нему не изменится."))
        return redirect("networks:structure_detail", structure.pk)
    if not act.is_pending:
        raise Http404
    return render(
        request,
        "networks/manage/structure_act_withdraw.html",
        {"structure": structure, "act": act},
    )


def _serve(field_file):
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = field_file.name.rsplit("/", 1)[-1]
    return FileResponse(
        handle, as_attachment=True, filename=name, content_type=content_type_of(name)
    )


@login_required
def order_file(request, pk: int, order_pk: int):
    """The file of an order of this structure (founding, closing, or of its timeline). Media is not
    public: the viewer must see the structure (its card is open to every signed-in person, as the
    orders are public documents)."""
    structure = structure_for(request.user, pk)
    linked = (
        structure.founding_order_id == order_pk
        or structure.closing_order_id == order_pk
        or structure.acts.filter(order_id=order_pk).exists()
    )
    if not linked:
        raise Http404
    return _serve(get_object_or_404(Order, pk=order_pk).file)


@login_required
def regulation_file(request, pk: int):
    structure = structure_for(request.user, pk)
    return _serve(structure.regulation_file)


app_name = "manage"

urlpatterns = [
    path("structures/new/", structure_create, name="structure_create"),
    path("structures/<int:pk>/edit/", structure_edit, name="structure_edit"),
    path("structures/<int:pk>/orders/new/", structure_order, name="structure_order"),
    path(
        "structures/<int:pk>/orders/<int:order_pk>/file/", order_file, name="structure_order_file"
    ),
    path(
        "structures/<int:pk>/acts/<int:act_pk>/withdraw/",
        structure_act_withdraw,
        name="structure_act_withdraw",
    ),
    path("structures/<int:pk>/regulation/", regulation_file, name="structure_regulation_file"),
]
