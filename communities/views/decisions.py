"""Decisions followed up (issue 17): «Контроль исполнения» of a structure, a decision given an
owner and a date on a draft of the minutes, and a decision marked done or moved with a reason.

Every view loads through a permission loader (404 to outsiders, 403 to members without the right,
the sign-in page to anonymous visitors) and hands a change to one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from networks.permissions import refuse_unless_reads_year
from networks.services import refuse_if_closed

from .. import permissions
from ..forms.decisions import DecisionDoneForm, DecisionForm, DecisionMoveForm
from ..forms.membership import add_service_error
from ..models import Decision, Minutes
from ..permissions import can_write_minutes, structure_for_events
from ..selectors import decisions as selectors
from ..selectors import person_name
from ..services import decisions as services

__all__ = [
    "DECISIONS_PAGE_SIZE",
    "decision_create",
    "decision_done",
    "decision_move",
    "decision_remove",
    "decisions",
]

DECISIONS_PAGE_SIZE = 25
STATUS_CHOICES = (
    ("", gettext_lazy("Все")),
    ("open", gettext_lazy("На исполнении")),
    ("overdue", gettext_lazy("Просроченные")),
    ("done", gettext_lazy("Выполненные")),
)


@login_required
def decisions(request, pk: int):
    """«Контроль исполнения»: the structure's decisions in force, overdue first."""
    structure = permissions.structure_for_decisions(request.user, pk)
    status = request.GET.get("status", "")
    status = status if status in selectors.STATUS_FILTERS else ""
    page = Paginator(selectors.decision_list(structure, status), DECISIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    access = structure.access
    rows = [
        (
            d,
            person_name(d.owner, viewer=request.user, access=access)
            if d.owner
            else str(d.owner_organisation or "—"),
            permissions.can_follow_up_decision(access, _in(d, structure), request.user),
        )
        for d in page
    ]
    return render(
        request,
        "communities/decisions/list.html",
        {
            "structure": structure,
            "page": page,
            "rows": rows,
            "status": status,
            "status_choices": STATUS_CHOICES,
            "counts": selectors.decision_counts(structure),
            "query": f"status={status}" if status else "",
        },
    )


def _in(decision: Decision, structure) -> Decision:
    decision.structure = structure  # the loaded structure, not one more query per row
    return decision


def _draft(request, pk: int, minutes_pk: int) -> tuple:
    structure = structure_for_events(request.user, pk, need="keep_record")
    minutes = get_object_or_404(
        Minutes.objects.select_related("event__structure"),
        pk=minutes_pk,
        event__structure=structure,
    )
    refuse_unless_reads_year(structure, minutes.event.school_year)
    return structure, minutes


def _owners(request, structure):
    access = structure.access
    people = [
        (
            m.user,
            ", ".join(
                part
                for part in (
                    person_name(m.user, viewer=request.user, access=access),
                    str(m.user.organisation) if m.user.organisation_id else "",
                )
                if part
            ),
        )
        for m in structure.memberships.current()
        .filter(user__is_active=True, user__anonymised_at__isnull=True)
        .select_related("user__organisation")
        .order_by("user__last_name", "user__first_name", "user_id")
    ]
    return people, list(services.owner_organisations(structure))


@login_required
def decision_create(request, pk: int, minutes_pk: int):
    """A decision with an owner and a due date on a question of a draft of the minutes."""
    structure, minutes = _draft(request, pk, minutes_pk)
    if not can_write_minutes(structure.access, minutes):
        messages.error(
            request,
            _("Протокол подписан: новое решение записывают в исправленную версию протокола."),
        )
        return redirect("communities:minutes_detail", pk=structure.pk, minutes_pk=minutes.pk)
    people, schools = _owners(request, structure)
    form = DecisionForm(
        request.POST or None,
        items=list(minutes.items.all()),
        people=people,
        schools=schools,
        initial={"item": request.GET.get("item")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(minutes=minutes, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Решение записано. Ответственный узнает о нём, когда протокол подпишут."),
            )
            return redirect("communities:minutes_detail", pk=structure.pk, minutes_pk=minutes.pk)
    return render(
        request,
        "communities/decisions/decision_form.html",
        {"structure": structure, "minutes": minutes, "event": minutes.event, "form": form},
    )


@login_required
@require_POST
def decision_remove(request, pk: int, minutes_pk: int, decision_pk: int):
    structure, minutes = _draft(request, pk, minutes_pk)
    decision = get_object_or_404(minutes.decisions, pk=decision_pk)
    if not can_write_minutes(structure.access, minutes):
        raise PermissionDenied
    try:
        services.decision_remove(decision=decision, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Решение убрано из черновика."))
    return redirect("communities:minutes_detail", pk=structure.pk, minutes_pk=minutes.pk)


def _follow_up(request, pk: int, decision_pk: int, form_class, template: str, act):
    decision = permissions.decision_for(request.user, pk, decision_pk)
    structure = decision.structure
    back = redirect("communities:decisions", pk=structure.pk)
    if not permissions.can_follow_up_decision(structure.access, decision, request.user):
        try:
            refuse_if_closed(structure)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.error(request, _("Решение уже отмечено выполненным."))
        return back
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = act(decision, form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, message)
            return back
    return render(
        request,
        template,
        {
            "structure": structure,
            "decision": decision,
            "form": form,
            "owner": person_name(decision.owner, viewer=request.user, access=structure.access)
            if decision.owner
            else str(decision.owner_organisation or "—"),
            "moves": list(decision.moves.all()),
            "today": timezone.localdate(),
        },
    )


@login_required
def decision_done(request, pk: int, decision_pk: int):
    def act(decision, data):
        services.decision_done(
            decision=decision, by=request.user, note=data["note"], done_on=data["done_on"]
        )
        return _("Решение отмечено выполненным.")

    return _follow_up(
        request, pk, decision_pk, DecisionDoneForm, "communities/decisions/done.html", act
    )


@login_required
def decision_move(request, pk: int, decision_pk: int):
    def act(decision, data):
        services.decision_move(
            decision=decision, by=request.user, new_due_on=data["new_due_on"], reason=data["reason"]
        )
        return _("Срок перенесён на %(date)s.") % {"date": f"{data['new_due_on']:%d.%m.%Y}"}

    return _follow_up(
        request, pk, decision_pk, DecisionMoveForm, "communities/decisions/move.html", act
    )


_DECISION = "structures/<int:pk>/decisions/<int:decision_pk>/"
_MINUTES = "structures/<int:pk>/minutes/<int:minutes_pk>/decisions/"

urlpatterns = [
    path("structures/<int:pk>/decisions/", decisions, name="decisions"),
    path(_DECISION + "done/", decision_done, name="decision_done"),
    path(_DECISION + "move/", decision_move, name="decision_move"),
    path(_MINUTES + "new/", decision_create, name="decision_create"),
    path(_MINUTES + "<int:decision_pk>/remove/", decision_remove, name="decision_remove"),
]
