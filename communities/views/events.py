"""Events, meetings, attendance and minutes. Every view loads the structure through
communities.permissions.structure_for_events (404 to outsiders, 403 to members without the right),
hands a change to one service, and shows a refused change again with what was typed."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from networks.permissions import default_year_read, refuse_unless_reads_year, years_read
from networks.schoolyear import SchoolYear
from networks.uploads import content_type

from .. import permissions, selectors, services
from ..forms import (
    AttendanceForm,
    EventPlanForm,
    EventProposalForm,
    MinutesCorrectionForm,
    MinutesForm,
    MinutesItemFormSet,
    add_service_error,
)
from ..models import Attendance, Event, Minutes
from ..selectors.decisions import minutes_decisions
from ..selectors.event_answers import expected_attendance
from ..services.decisions import follow_up_question

__all__ = [
    "EVENTS_PAGE_SIZE",
    "attendance",
    "event_cancel",
    "event_create",
    "event_detail",
    "event_edit",
    "events",
    "minutes_attachment",
    "minutes_correct",
    "minutes_create",
    "minutes_detail",
    "minutes_docx",
    "minutes_edit",
    "minutes_sign",
]

EVENTS_PAGE_SIZE = 50
RESPONSE_LABELS = dict(Attendance.Response.choices)
WHEN_CHOICES = (
    ("all", gettext_lazy("Все")),
    ("upcoming", gettext_lazy("Предстоящие")),
    ("past", gettext_lazy("Прошедшие")),
)


def _errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _event(structure, event_pk: int) -> Event:
    # The structure and its kind are loaded already (structure_for): joining them again made
    # PostgreSQL plan six tables for one row (1–2.6 ms on the national data, issue 19).
    event = get_object_or_404(
        structure.events.select_related("plan_item__plan", "proposed_by"), pk=event_pk
    )
    event.structure = structure
    refuse_unless_reads_year(structure, event.school_year)  # a former member: their years only
    return event


def _minutes(structure, minutes_pk: int) -> Minutes:
    minutes = get_object_or_404(
        Minutes.objects.select_related("event", "signed_by", "previous"),
        pk=minutes_pk,
        event__structure=structure,
    )
    minutes.event.structure = structure  # with its kind and the viewer's access (structure_for)
    refuse_unless_reads_year(structure, minutes.event.school_year)
    return minutes


# --- The events of a structure -------------------------------------------------------------------


@login_required
def events(request, pk: int):
    structure = permissions.structure_for_events(request.user, pk)
    years = years_read(structure)
    year = default_year_read(structure, SchoolYear.parse(request.GET.get("year")))
    when = request.GET.get("when")
    when = when if when in ("upcoming", "past") else "all"
    page = Paginator(selectors.event_list(structure, year, when), EVENTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    access = structure.access
    return render(
        request,
        "communities/events/list.html",
        {
            "structure": structure,
            "years": years,
            "year": year,
            "when": when,
            "when_choices": WHEN_CHOICES,
            "page": page,
            "query": query.urlencode(),
            "now": timezone.now(),
            "can_plan": permissions.can_plan_event(access, structure),
            "can_propose": permissions.can_propose_event(access, structure),
        },
    )


def _initial_from_plan_item(request, structure, plan_items) -> dict:
    """«Провести по плану»: ?plan_item=ID fills in the title, form and date of the plan item."""
    initial = {"invitees": list(structure.memberships.current().values_list("user_id", flat=True))}
    item_pk = request.GET.get("plan_item", "")
    item = plan_items.filter(pk=item_pk).first() if item_pk.isdigit() else None
    if item is None:
        return initial
    initial.update(plan_item=item, title=item.title, form=item.form)
    day = item.date
    if day is None and item.month:
        year = item.plan.school_year if item.month >= 9 else item.plan.school_year + 1
        day = dt.date(year, item.month, 1)
    if day is not None:
        initial["starts_at"] = dt.datetime.combine(day, dt.time(15, 0))
    return initial


@login_required
def event_create(request, pk: int):
    structure = permissions.structure_for_events(request.user, pk, need="create")
    planner = permissions.can_plan_events(structure.access, structure)
    plan_items = selectors.event_plan_items(structure)
    form_class = EventPlanForm if planner else EventProposalForm
    form = form_class(
        request.POST or None,
        structure=structure,
        plan_items=plan_items,
        initial=None
        if request.method == "POST"
        else _initial_from_plan_item(request, structure, plan_items),
    )
    if request.method == "POST" and form.is_valid():
        create = services.event_create if planner else services.event_propose
        try:
            event = create(structure=structure, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Мероприятие запланировано; приглашены участники.")
                if planner
                else _("Предложение отправлено; место и форму определит центр."),
            )
            return redirect("communities:event_detail", pk=structure.pk, event_pk=event.pk)
    return render(
        request,
        "communities/events/event_form.html",
        {"structure": structure, "form": form, "proposal": not planner},
    )


@login_required
def event_detail(request, pk: int, event_pk: int):
    structure = permissions.structure_for_events(request.user, pk)
    event = _event(structure, event_pk)
    access = structure.access
    versions = list(selectors.minutes_versions(event))
    latest = versions[0] if versions else None
    signed = latest is not None and latest.is_signed
    rows = [
        (row, row.guest_name or selectors.person_name(row.user, viewer=request.user, access=access))
        for row in selectors.attendance_rows(event)
    ]
    for row, _label in rows:  # a dict instead of get_response_display per row
        row.response_label = RESPONSE_LABELS.get(row.response, row.response)
    mine = next((r for r, _label in rows if r.user_id == request.user.pk and r.invited), None)
    return render(
        request,
        "communities/events/event_detail.html",
        {
            "structure": structure,
            "event": event,
            "rows": rows,
            "present_count": sum(1 for row, _label in rows if row.attended),
            "expected": expected_attendance(row for row, _label in rows),
            "my_answer": mine,
            "can_answer": (
                mine is not None
                and event.status == Event.Status.SCHEDULED
                and event.starts_at > timezone.now()
            ),
            "answer_choices": Attendance.Response.choices,
            "versions": versions,
            "latest": latest,
            "can_change": permissions.can_change_event(access, event),
            "can_mark": permissions.can_mark_attendance(access, event, minutes_signed=signed),
            "can_write_minutes": (
                latest is None
                and event.status == Event.Status.HELD
                and permissions.can_keep_record(access, structure)
            ),
        },
    )


def _event_form_kwargs(event: Event) -> dict:
    return {
        "title": event.title,
        "form": event.form,
        "format": event.format,
        "starts_at": timezone.localtime(event.starts_at),
        "ends_at": timezone.localtime(event.ends_at) if event.ends_at else None,
        "place": event.place,
        "link": event.link,
        "description": event.description,
        "plan_item": event.plan_item,
        "invitees": list(
            event.attendance.filter(invited=True, user__isnull=False).values_list(
                "user_id", flat=True
            )
        ),
    }


@login_required
def event_edit(request, pk: int, event_pk: int):
    """Edits a planned event; on a proposal, the centre sets place and form (R-DMI-4.2)."""
    structure = permissions.structure_for_events(request.user, pk, need="plan")
    event = _event(structure, event_pk)
    if not permissions.can_change_event(structure.access, event):
        messages.error(request, _("Это мероприятие уже не меняется."))
        return redirect("communities:event_detail", pk=structure.pk, event_pk=event.pk)
    was_proposed = event.status == Event.Status.PROPOSED
    form = EventPlanForm(
        request.POST or None,
        structure=structure,
        plan_items=selectors.event_plan_items(structure),
        initial=_event_form_kwargs(event),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Место и форма определены; мероприятие запланировано.")
                if was_proposed
                else _("Изменения сохранены."),
            )
            return redirect("communities:event_detail", pk=structure.pk, event_pk=event.pk)
    return render(
        request,
        "communities/events/event_form.html",
        {"structure": structure, "form": form, "event": event, "scheduling": was_proposed},
    )


@login_required
@require_POST
def event_cancel(request, pk: int, event_pk: int):
    structure = permissions.structure_for_events(request.user, pk, need="plan")
    event = _event(structure, event_pk)
    try:
        services.event_cancel(event=event, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Мероприятие отменено."))
    return redirect("communities:event_detail", pk=structure.pk, event_pk=event.pk)


# --- Attendance ----------------------------------------------------------------------------------


def _attendance_choices(request, structure, event):
    access = structure.access
    rows = list(selectors.attendance_rows(event))
    labelled = []
    for row in rows:
        if row.user_id:
            label = selectors.person_name(row.user, viewer=request.user, access=access)
            if row.user.organisation_id and row.user.anonymised_at is None:
                label = f"{label}, {row.user.organisation}"
        else:
            label = ", ".join(p for p in (row.guest_name, row.guest_organisation) if p)
            label = _("%(guest)s (гость)") % {"guest": label}
        labelled.append((row, label))
    listed = {row.user_id for row in rows if row.user_id}
    others = [
        (m.user, selectors.person_name(m.user, viewer=request.user, access=access))
        for m in structure.memberships.current().select_related("user").order_by("user__last_name")
        if m.user_id not in listed
    ]
    return labelled, others


@login_required
def attendance(request, pk: int, event_pk: int):
    structure = permissions.structure_for_events(request.user, pk, need="keep_record")
    event = _event(structure, event_pk)
    latest = event.minutes.order_by("-version").first()
    can_mark = permissions.can_mark_attendance(
        structure.access, event, minutes_signed=bool(latest and latest.is_signed)
    )
    if request.method != "POST" and not can_mark:
        # The page only says why nothing is marked here: no list of people, no form to build.
        return _render_attendance(request, structure, event, form=None, can_mark=False)
    rows, others = _attendance_choices(request, structure, event)
    form = AttendanceForm(request.POST or None, rows=rows, others=others)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_mark(event=event, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Присутствие отмечено."))
            return redirect("communities:event_detail", pk=structure.pk, event_pk=event.pk)
    return _render_attendance(request, structure, event, form=form, can_mark=can_mark)


def _render_attendance(request, structure, event, *, form, can_mark: bool):
    return render(
        request,
        "communities/events/attendance.html",
        {
            "structure": structure,
            "event": event,
            "form": form,
            "can_mark": can_mark,
            "started": event.starts_at <= timezone.now(),
        },
    )


# --- Minutes -------------------------------------------------------------------------------------


def _render_minutes_form(request, structure, event, form, items, *, minutes=None, status=200):
    return render(
        request,
        "communities/events/minutes_form.html",
        {"structure": structure, "event": event, "form": form, "items": items, "minutes": minutes},
        status=status,
    )


@login_required
def minutes_create(request, pk: int, event_pk: int):
    structure = permissions.structure_for_events(request.user, pk, need="keep_record")
    event = _event(structure, event_pk)
    latest = event.minutes.order_by("-version").first()
    if latest is not None:
        return redirect("communities:minutes_detail", pk=structure.pk, minutes_pk=latest.pk)
    if event.status != Event.Status.HELD:
        messages.error(
            request, _("Протокол пишут по проведённому мероприятию: сначала отметьте присутствие.")
        )
        return redirect("communities:event_detail", pk=structure.pk, event_pk=event.pk)
    if request.method == "POST":
        form = MinutesForm(request.POST, request.FILES)
        items = MinutesItemFormSet(request.POST, prefix="items")
        if form.is_valid() and items.is_valid():
            try:
                minutes = services.minutes_create(
                    event=event,
                    by=request.user,
                    number=form.cleaned_data["number"],
                    date=form.cleaned_data["date"],
                    questions=items.questions(),
                    files=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("Протокол сохранён как черновик. Проверьте и подпишите его.")
                )
                return redirect(
                    "communities:minutes_detail", pk=structure.pk, minutes_pk=minutes.pk
                )
    else:
        form = MinutesForm(
            initial={
                "number": services.next_minutes_number(event),
                "date": timezone.localtime(event.starts_at).date(),
            }
        )
        # The agenda starts with how the open decisions of earlier meetings are going (issue 17).
        follow_up = follow_up_question(structure, except_event_id=event.pk)
        items = MinutesItemFormSet(
            prefix="items", initial=[{"question": follow_up}] if follow_up else None
        )
    return _render_minutes_form(request, structure, event, form, items)


@login_required
def minutes_detail(request, pk: int, minutes_pk: int):
    """The minutes as a printable page (print CSS hides the navigation)."""
    from .signed_scans import minutes_scan_block  # the scans module imports this one's loaders

    structure = permissions.structure_for_events(request.user, pk)
    minutes = _minutes(structure, minutes_pk)
    access = structure.access
    members, guests = selectors.minutes_attendees(minutes, viewer=request.user, access=access)
    versions = list(selectors.minutes_versions(minutes.event))
    is_latest = versions[0].pk == minutes.pk
    return render(
        request,
        "communities/events/minutes_detail.html",
        {
            "structure": structure,
            "event": minutes.event,
            "minutes": minutes,
            "items": list(minutes.items.all()),
            "attachments": list(minutes.attachments.all()),
            "members": members,
            "guests": guests,
            "count": minutes.attendee_count if minutes.is_signed else len(members) + len(guests),
            "versions": versions,
            "is_latest": is_latest,
            "can_edit": permissions.can_write_minutes(access, minutes),
            "can_sign": permissions.can_sign_minutes(access, minutes),
            "can_correct": permissions.can_correct_minutes(access, minutes, is_latest=is_latest),
            "decisions": minutes_decisions(minutes),
            "can_add_decisions": permissions.can_write_minutes(access, minutes),
            "scan_block": minutes_scan_block(request, structure, minutes),  # issue 18
        },
    )


def _refuse_signed(request, structure, minutes):
    messages.error(
        request,
        _(
            "Протокол подписан и больше не меняется. Исправления вносятся новой версией "
            "с указанием причины."
        ),
    )
    return redirect("communities:minutes_detail", pk=structure.pk, minutes_pk=minutes.pk)


@login_required
def minutes_edit(request, pk: int, minutes_pk: int):
    structure = permissions.structure_for_events(request.user, pk, need="keep_record")
    minutes = _minutes(structure, minutes_pk)
    if minutes.is_signed:
        return _refuse_signed(request, structure, minutes)
    attachments = minutes.attachments.all()
    if request.method == "POST":
        form = MinutesForm(request.POST, request.FILES, attachments=attachments)
        items = MinutesItemFormSet(request.POST, prefix="items")
        if form.is_valid() and items.is_valid():
            try:
                services.minutes_update(
                    minutes=minutes,
                    by=request.user,
                    number=form.cleaned_data["number"],
                    date=form.cleaned_data["date"],
                    questions=items.questions(),
                    files=form.cleaned_data["attachments"],
                    remove_attachments=[a.pk for a in form.cleaned_data["remove_attachments"]],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Протокол сохранён."))
                return redirect(
                    "communities:minutes_detail", pk=structure.pk, minutes_pk=minutes.pk
                )
    else:
        form = MinutesForm(
            initial={"number": minutes.number, "date": minutes.date}, attachments=attachments
        )
        items = MinutesItemFormSet(
            prefix="items",
            initial=[
                {
                    "question": i.question,
                    "speakers": i.speakers,
                    "decision": i.decision,
                    "recommendations": i.recommendations,
                }
                for i in minutes.items.all()
            ],
        )
    return _render_minutes_form(request, structure, minutes.event, form, items, minutes=minutes)


@login_required
@require_POST
def minutes_sign(request, pk: int, minutes_pk: int):
    structure = permissions.structure_for_events(request.user, pk, need="sign")
    minutes = _minutes(structure, minutes_pk)
    try:
        services.minutes_sign(minutes=minutes, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Протокол подписан; теперь он доступен только для чтения."))
    return redirect("communities:minutes_detail", pk=structure.pk, minutes_pk=minutes.pk)


@login_required
def minutes_correct(request, pk: int, minutes_pk: int):
    structure = permissions.structure_for_events(request.user, pk, need="keep_record")
    minutes = _minutes(structure, minutes_pk)
    form = MinutesCorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.minutes_correct(
                minutes=minutes, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Создана версия %(v)s протокола. Внесите исправления и подпишите её.")
                % {"v": correction.version},
            )
            return redirect("communities:minutes_edit", pk=structure.pk, minutes_pk=correction.pk)
    return render(
        request,
        "communities/events/minutes_correct.html",
        {"structure": structure, "event": minutes.event, "minutes": minutes, "form": form},
    )


@login_required
def minutes_docx(request, pk: int, minutes_pk: int):
    structure = permissions.structure_for_events(request.user, pk)
    minutes = _minutes(structure, minutes_pk)
    members, guests = selectors.minutes_attendees(
        minutes, viewer=request.user, access=structure.access
    )
    filename, mime, content = services.MinutesDocx(minutes, members, guests).render()
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def minutes_attachment(request, pk: int, minutes_pk: int, attachment_pk: int):
    """Attachments live outside static/ and reach only those who see the structure's inner life."""
    structure = permissions.structure_for_events(request.user, pk)
    minutes = _minutes(structure, minutes_pk)
    attachment = get_object_or_404(minutes.attachments, pk=attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=content_type(attachment.file_kind),
    )


_EVENT = "structures/<int:pk>/events/<int:event_pk>/"
_MINUTES = "structures/<int:pk>/minutes/<int:minutes_pk>/"

urlpatterns = [
    path("structures/<int:pk>/events/", events, name="events"),
    path("structures/<int:pk>/events/new/", event_create, name="event_create"),
    path(_EVENT, event_detail, name="event_detail"),
    path(_EVENT + "edit/", event_edit, name="event_edit"),
    path(_EVENT + "cancel/", event_cancel, name="event_cancel"),
    path(_EVENT + "attendance/", attendance, name="attendance"),
    path(_EVENT + "minutes/new/", minutes_create, name="minutes_create"),
    path(_MINUTES, minutes_detail, name="minutes_detail"),
    path(_MINUTES + "edit/", minutes_edit, name="minutes_edit"),
    path(_MINUTES + "sign/", minutes_sign, name="minutes_sign"),
    path(_MINUTES + "correct/", minutes_correct, name="minutes_correct"),
    path(_MINUTES + "docx/", minutes_docx, name="minutes_docx"),
    path(
        _MINUTES + "attachments/<int:attachment_pk>/",
        minutes_attachment,
        name="minutes_attachment",
    ),
]
