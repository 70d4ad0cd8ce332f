"""The territory's orders register and programmes, kept by its coordinators in the browser instead
of the Django admin (issue 16); its methodists read them. Order files are served here after the
viewer's access is checked: media is not public."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from ..models import Order, Programme
from ..uploads import content_type_of
from . import permissions, selectors, services
from .forms import OrderFilter, OrderForm, ProgrammeForm

PAGE_SIZE = 25


def _refused(form, error: ValidationError) -> None:
    """A service's refusal shown at the form's fields."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _serve(field_file):
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = field_file.name.rsplit("/", 1)[-1]
    return FileResponse(
        handle, as_attachment=True, filename=name, content_type=content_type_of(name)
    )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def order_list(request):
    permissions.refuse_unless_reads(request.user)
    order_filter = OrderFilter(
        request.GET,
        queryset=selectors.order_register(request.user),
        years=selectors.order_years(request.user),
    )
    page = Paginator(order_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "networks/orders/order_list.html",
        {
            "filter": order_filter,
            "page": page,
            "query": _query_without_page(request),
            "can_write": permissions.can_write_orders(request.user),
        },
    )


def _order_form(request, form: OrderForm, order: Order | None = None):
    status = 400 if request.method == "POST" else 200
    return render(
        request, "networks/orders/order_form.html", {"form": form, "order": order}, status=status
    )


def _save_order(request, form: OrderForm, done: str):
    order = form.save(commit=False)
    try:
        services.order_save(order=order, by=request.user)
    except ValidationError as error:
        _refused(form, error)
        return None
    messages.success(request, done % {"order": order})
    return redirect("networks:orders:order_list")


@login_required
def order_create(request):
    permissions.refuse_unless_writes(request.user)
    form = OrderForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = _save_order(request, form, _("%(order)s внесён в реестр."))
        if done is not None:
            return done
    return _order_form(request, form)


@login_required
def order_edit(request, pk: int):
    order = permissions.order_for(request.user, pk, to="edit")
    form = OrderForm(request.POST or None, request.FILES or None, user=request.user, instance=order)
    if request.method == "POST" and form.is_valid():
        done = _save_order(request, form, _("%(order)s: изменения сохранены."))
        if done is not None:
            return done
    return _order_form(request, form, order)


@login_required
def order_file(request, pk: int):
    """The order's file, to those who read the territory's register (orders of a structure are
    also served from the structure's page, networks.manage)."""
    order = permissions.order_for(request.user, pk)
    if not order.file:
        raise Http404
    return _serve(order.file)


@login_required
def programme_list(request):
    permissions.refuse_unless_reads(request.user)
    page = Paginator(selectors.programme_list(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "networks/orders/programme_list.html",
        {
            "page": page,
            "query": _query_without_page(request),
            "can_write": permissions.can_write_orders(request.user),
        },
    )


def _programme_form(request, form: ProgrammeForm, programme: Programme | None = None):
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "networks/orders/programme_form.html",
        {"form": form, "programme": programme},
        status=status,
    )


def _save_programme(request, form: ProgrammeForm, done: str):
    programme = form.save(commit=False)
    try:
        services.programme_save(programme=programme, by=request.user)
    except ValidationError as error:
        _refused(form, error)
        return None
    messages.success(request, done % {"title": programme.title})
    return redirect("networks:orders:programme_list")


@login_required
def programme_create(request):
    permissions.refuse_unless_writes(request.user)
    form = ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = _save_programme(request, form, _("Программа «%(title)s» создана."))
        if done is not None:
            return done
    return _programme_form(request, form)


@login_required
def programme_edit(request, pk: int):
    programme = permissions.programme_for(request.user, pk, to="edit")
    form = ProgrammeForm(request.POST or None, user=request.user, instance=programme)
    if request.method == "POST" and form.is_valid():
        done = _save_programme(request, form, _("Программа «%(title)s»: изменения сохранены."))
        if done is not None:
            return done
    return _programme_form(request, form, programme)


app_name = "orders"

urlpatterns = [
    path("orders/", order_list, name="order_list"),
    path("orders/new/", order_create, name="order_create"),
    path("orders/<int:pk>/edit/", order_edit, name="order_edit"),
    path("orders/<int:pk>/file/", order_file, name="order_file"),
    path("programmes/", programme_list, name="programme_list"),
    path("programmes/new/", programme_create, name="programme_create"),
    path("programmes/<int:pk>/edit/", programme_edit, name="programme_edit"),
]
