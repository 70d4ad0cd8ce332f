"""Writes for requests for targeted help (R-TUL-A1-2.2.2, R-TUL-A4-4.2.3): a worker of a ШНОР or
ШССУ files a request on a catalogue topic, the territory's coordinator routes it to a consultant,
the consultant answers in writing or records the consultation held, the requester says whether it
helped and the request closes. Each step records who and when."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.models import User
from networks.schoolyear import SchoolYear

from .. import permissions
from ..models import HelpRequest, Topic
from ..selectors.requests import consultant_works_in_region


def _locked(help_request: HelpRequest) -> HelpRequest:
    """The row as it is now, locked until the transaction ends: two quick clicks or two people
    acting at once see each other's change."""
    return HelpRequest.objects.select_for_update().get(pk=help_request.pk)


@transaction.atomic
def help_request_file(*, topic: Topic, description: str, by: User) -> HelpRequest:
    refusal = permissions.help_request_refusal(by, school_year=SchoolYear.current())
    if refusal:
        raise ValidationError(refusal)
    if not topic.is_active:
        raise ValidationError({"topic": _("Эта тема больше не используется; выберите другую.")})
    organisation = by.organisation
    help_request = HelpRequest(
        requester=by,
        organisation=organisation,
        region_id=organisation.region_id,
        topic=topic,
        description=description.strip(),
    )
    help_request.full_clean()
    help_request.save()
    return help_request


@transaction.atomic
def help_request_route(*, help_request: HelpRequest, consultant: User, by: User) -> HelpRequest:
    current = _locked(help_request)
    current.organisation = help_request.organisation
    access = permissions.help_request_access(by, current)
    if not permissions.can_route_help_request(access, current):
        if not access.can_route:
            raise ValidationError(_("Передать запрос консультанту может координатор территории."))
        raise ValidationError(
            _("На запрос уже ответили; передать его другому консультанту нельзя.")
        )
    if consultant.pk == current.requester_id:
        raise ValidationError({"consultant": _("Нельзя передать запрос тому, кто его подал.")})
    if not consultant_works_in_region(consultant, current.region_id):
        raise ValidationError(
            {
                "consultant": _(
                    "Консультант должен работать в том же регионе, что и школа, подавшая запрос."
                )
            }
        )
    current.consultant = consultant
    current.status = HelpRequest.Status.ROUTED
    current.routed_by = by
    current.routed_at = timezone.now()
    current.full_clean()
    current.save(update_fields=["consultant", "status", "routed_by", "routed_at"])
    return current


@transaction.atomic
def help_request_answer(
    *, help_request: HelpRequest, answer: str, consulted: bool, by: User
) -> HelpRequest:
    """The consultant's written answer, or the record of a consultation held (its outcome)."""
    current = _locked(help_request)
    current.organisation = help_request.organisation
    access = permissions.help_request_access(by, current)
    if not permissions.can_answer_help_request(access, current):
        if not access.consultant:
            raise ValidationError(_("Ответить на запрос может консультант, которому он передан."))
        raise ValidationError(_("На этот запрос уже ответили."))
    if not answer.strip():
        raise ValidationError({"answer": _("Напишите ответ или итог консультации.")})
    current.answer = answer.strip()
    current.status = HelpRequest.Status.CONSULTED if consulted else HelpRequest.Status.ANSWERED
    current.answered_at = timezone.now()
    current.full_clean()
    current.save(update_fields=["answer", "status", "answered_at"])
    return current


@transaction.atomic
def help_request_confirm(*, help_request: HelpRequest, helped: bool, by: User) -> HelpRequest:
    """The requester says whether the answer helped; the request closes."""
    current = _locked(help_request)
    current.organisation = help_request.organisation
    access = permissions.help_request_access(by, current)
    if not permissions.can_confirm_help_request(access, current):
        if not access.requester:
            raise ValidationError(_("Подтвердить результат может только тот, кто подал запрос."))
        if current.status == HelpRequest.Status.CLOSED:
            raise ValidationError(_("Запрос уже закрыт."))
        raise ValidationError(_("Консультант ещё не ответил на запрос."))
    current.helped = helped
    current.status = HelpRequest.Status.CLOSED
    current.confirmed_at = timezone.now()
    current.full_clean()
    current.save(update_fields=["helped", "status", "confirmed_at"])
    return current


__all__ = [
    "help_request_answer",
    "help_request_confirm",
    "help_request_file",
    "help_request_route",
]
