"""Answers to an invitation: «Приду / Не приду / Не знаю».

Two ways in. On the event page a signed-in invited member presses a button (a POST). From the mail
a signed link (communities.services.event_invitations.answer_token) opens a page with the three
buttons and the link's choice preselected, without signing in: the link is the key. The answer is
recorded only by the POST of that page, never by the GET, so that a mail scanner or a link preview
that opens every link in a mail records nothing. A forged, altered or too old link, or one for an
event that has started, gets a page saying so in Russian (status 400 or 410), never an answer.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from networks.models import User

from .. import permissions
from ..models import Attendance, Event
from ..services import event_invitations

__all__ = ["event_answer", "event_answer_link"]


def _refused(request, message: str, status: int):
    return render(
        request, "communities/events/answer_refused.html", {"message": message}, status=status
    )


@login_required
@require_POST
def event_answer(request, pk: int, event_pk: int):
    """The event page's buttons: members see the structure (404 to outsiders); only the invited
    answer (403 to the others)."""
    structure = permissions.structure_for_events(request.user, pk)
    event = get_object_or_404(structure.events, pk=event_pk)
    if not event.attendance.filter(user=request.user, invited=True).exists():
        raise PermissionDenied
    try:
        event_invitations.attendance_respond(
            event=event, user=request.user, response=request.POST.get("response", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Ваш ответ записан."))
    return redirect("communities:event_detail", pk=structure.pk, event_pk=event.pk)


def event_answer_link(request, token: str):
    """The mail's link: GET shows the event and the buttons, POST records the answer."""
    try:
        event_pk, user_pk = event_invitations.answer_read(token)
    except signing.SignatureExpired:
        return _refused(
            request,
            _("Срок действия ссылки истёк. Ответьте на странице мероприятия на портале."),
            410,
        )
    except signing.BadSignature:
        return _refused(
            request,
            _(
                "Ссылка повреждена или недействительна. Откройте ссылку из письма целиком или ответьте на странице мероприятия на портале."
            ),
            400,
        )
    event = Event.objects.select_related("structure__region").filter(pk=event_pk).first()
    person = User.objects.filter(pk=user_pk, is_active=True).first()
    row = (
        Attendance.objects.filter(event_id=event_pk, user_id=user_pk, invited=True).first()
        if event and person
        else None
    )
    if row is None:
        return _refused(request, _("Приглашение по этой ссылке больше не действует."), 410)
    if event.status != Event.Status.SCHEDULED or event.starts_at <= timezone.now():
        return _refused(
            request,
            _(
                "Мероприятие уже началось, прошло или отменено: ответ по ссылке больше не принимается."
            ),
            410,
        )
    answered = None
    if request.method == "POST":
        try:
            row = event_invitations.attendance_respond(
                event=event, user=person, response=request.POST.get("response", "")
            )
        except ValidationError as error:
            return _refused(request, " ".join(error.messages), 400)
        answered = row.get_response_display()
    chosen = request.GET.get("answer", "")
    return render(
        request,
        "communities/events/answer.html",
        {
            "event": event,
            "when": event_invitations.event_when(event),
            "url": reverse(
                "communities:event_detail", kwargs={"pk": event.structure_id, "event_pk": event.pk}
            ),
            "row": row,
            "answered": answered,
            "chosen": chosen if chosen in Attendance.Response.values else row.response,
            "choices": Attendance.Response.choices,
            "mine": request.user.is_authenticated and request.user.pk == person.pk,
        },
    )


urlpatterns = [
    path("structures/<int:pk>/events/<int:event_pk>/answer/", event_answer, name="event_answer"),
    path("events/answer/<str:token>/", event_answer_link, name="event_answer_link"),
]
