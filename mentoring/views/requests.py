"""Requests for targeted help: my requests and a new one, the coordinator's queue, a request's
page with what each person may do there. Requests are loaded through
mentoring.permissions.help_request_for (404 to those who may not see them); changes are POST only
and go to one service each; a refused change shows the page again with what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.forms import add_service_error
from networks.schoolyear import SchoolYear

from .. import permissions, services
from ..forms.requests import AnswerForm, ConfirmForm, HelpRequestForm, RequestQueueFilter, RouteForm
from ..models import HelpRequest
from ..selectors import requests as selectors

PAGE_SIZE = 25


@login_required
def request_list(request):
    mine = Paginator(selectors.my_help_requests(request.user), PAGE_SIZE)
    return render(
        request,
        "mentoring/requests/list.html",
        {
            "page": mine.get_page(request.GET.get("page")),
            "refusal": permissions.help_request_refusal(
                request.user, school_year=SchoolYear.current()
            ),
        },
    )


@login_required
def request_create(request):
    refusal = permissions.help_request_refusal(request.user, school_year=SchoolYear.current())
    form = HelpRequestForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            help_request = services.help_request_file(
                topic=form.cleaned_data["topic"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Запрос подан. Координатор передаст его консультанту; ответ появится здесь."),
            )
            return redirect("mentoring:request_detail", pk=help_request.pk)
    return render(
        request,
        "mentoring/requests/create.html",
        {"form": form, "refusal": refusal},
        status=403 if refusal and request.method == "POST" else 200,
    )


@login_required
def request_queue(request):
    if not permissions.can_read_request_queue(request.user):
        raise PermissionDenied
    roles = None if request.user.is_superuser else permissions.request_queue_roles(request.user)
    today = timezone.localdate()
    filters = RequestQueueFilter(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    queue = selectors.request_queue(
        roles=roles, today=today, status=chosen.get("status", ""), topic=chosen.get("topic")
    )
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mentoring/requests/queue.html",
        {"filters": filters, "page": page, "query": query.urlencode(), "today": today},
    )


def _load(request, pk: int) -> HelpRequest:
    return permissions.help_request_for(
        request.user,
        pk,
        queryset=HelpRequest.objects.select_related(
            "requester", "topic", "consultant", "routed_by", "region", "organisation__municipality"
        ),
    )


def _render_detail(request, help_request: HelpRequest, *, status: int = 200, **bound):
    access = help_request.access
    context = {
        "help_request": help_request,
        "access": access,
        "may_route": permissions.can_route_help_request(access, help_request),
        "may_answer": permissions.can_answer_help_request(access, help_request),
        "may_confirm": permissions.can_confirm_help_request(access, help_request),
    }
    if context["may_route"]:
        context["route_form"] = bound.get("route_form") or RouteForm(
            candidates=selectors.consultant_candidates(help_request.region_id),
            initial={"consultant": help_request.consultant_id},
        )
    if context["may_answer"]:
        context["answer_form"] = bound.get("answer_form") or AnswerForm()
    if context["may_confirm"]:
        context["confirm_form"] = bound.get("confirm_form") or ConfirmForm()
    if help_request.status in selectors.REQUEST_WAITING:
        overdue = selectors.overdue_requests(
            today=timezone.localdate(), region=help_request.region_id
        )
        context["overdue"] = overdue.filter(pk=help_request.pk).exists()
    return render(request, "mentoring/requests/detail.html", context, status=status)


@login_required
def request_detail(request, pk: int):
    return _render_detail(request, _load(request, pk))


def _act(request, help_request, *, allowed, form, form_name, act, success):
    """The three actions share their shape: 403 to those without the role, the form read, one
    service called, back to the request's page. A refusal about a field shows the page again with
    what was typed; a refusal about the request's state (already answered, already closed — e.g.
    by a second click) comes back as a message."""
    if not allowed:
        raise PermissionDenied
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                for message in error.messages:
                    messages.error(request, message)
                return redirect("mentoring:request_detail", pk=help_request.pk)
            add_service_error(form, error)
        else:
            messages.success(request, success(form.cleaned_data))
            return redirect("mentoring:request_detail", pk=help_request.pk)
    return _render_detail(request, help_request, **{form_name: form})


@login_required
@require_POST
def request_route(request, pk: int):
    help_request = _load(request, pk)
    candidates = selectors.consultant_candidates(help_request.region_id)
    return _act(
        request,
        help_request,
        allowed=help_request.access.can_route,
        form=RouteForm(request.POST, candidates=candidates),
        form_name="route_form",
        act=lambda data: services.help_request_route(
            help_request=help_request, consultant=data["user"], by=request.user
        ),
        success=lambda data: (
            _("Запрос передан консультанту: %(name)s.") % {"name": data["user"].full_name}
        ),
    )


@login_required
@require_POST
def request_answer(request, pk: int):
    help_request = _load(request, pk)
    return _act(
        request,
        help_request,
        allowed=help_request.access.consultant,
        form=AnswerForm(request.POST),
        form_name="answer_form",
        act=lambda data: services.help_request_answer(
            help_request=help_request,
            answer=data["answer"],
            consulted=data["outcome"] == HelpRequest.Status.CONSULTED,
            by=request.user,
        ),
        success=lambda data: _("Ответ записан; автор запроса увидит его."),
    )


@login_required
@require_POST
def request_confirm(request, pk: int):
    help_request = _load(request, pk)
    return _act(
        request,
        help_request,
        allowed=help_request.access.requester,
        form=ConfirmForm(request.POST),
        form_name="confirm_form",
        act=lambda data: services.help_request_confirm(
            help_request=help_request, helped=data["helped"], by=request.user
        ),
        success=lambda data: _("Спасибо! Запрос закрыт."),
    )


urlpatterns = [
    path("help-requests/", request_list, name="request_list"),
    path("help-requests/new/", request_create, name="request_create"),
    path("help-requests/queue/", request_queue, name="request_queue"),
    path("help-requests/<int:pk>/", request_detail, name="request_detail"),
    path("help-requests/<int:pk>/route/", request_route, name="request_route"),
    path("help-requests/<int:pk>/answer/", request_answer, name="request_answer"),
    path("help-requests/<int:pk>/confirm/", request_confirm, name="request_confirm"),
]

__all__ = [
    "request_answer",
    "request_confirm",
    "request_create",
    "request_detail",
    "request_list",
    "request_queue",
    "request_route",
]
