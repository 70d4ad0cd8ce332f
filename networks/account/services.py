"""Writes for a person's own account and for the requests to add a missing organisation.

Views, the signup form and the admin all call these (CONVENTIONS 2)."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    OrganisationRequest,
    Region,
    User,
)

ANONYMOUS_NAME = "Удалённый пользователь"


@dataclass(frozen=True)
class OrganisationRequestData:
    """What a person tells about an organisation that is missing from the registry."""

    name: str
    region: Region
    municipality: str = ""
    inn: str = ""


# --- Registration and profile --------------------------------------------------------------------


@transaction.atomic
def user_register_details(
    *,
    user: User,
    patronymic: str = "",
    position: str = "",
    post: str = "",
    phone: str = "",
    organisation: Organisation | None = None,
    show_name_consent: bool = False,
    organisation_request: OrganisationRequestData | None = None,
) -> User:
    """Completes a sign-up: the details allauth does not know about and the 152-ФЗ consents.

    The consent to processing is required by the form; here it is recorded with the version of the
    text the person was shown, so a later change of the text does not rewrite what they accepted."""
    now = timezone.now()
    user.patronymic, user.position, user.post, user.phone = patronymic, position, post, phone
    user.organisation = organisation
    user.pd_consent_version = settings.PERSONAL_DATA_CONSENT_VERSION
    user.pd_consent_at = now
    user.show_name_consent_at = now if show_name_consent else None
    user.full_clean(exclude=["password"])
    user.save()
    if organisation is None and organisation_request is not None:
        organisation_request_file(user=user, data=organisation_request)
    return user


@transaction.atomic
def profile_update(
    *,
    user: User,
    last_name: str,
    first_name: str,
    patronymic: str,
    position: str,
    post: str,
    phone: str,
    organisation: Organisation | None,
    show_name_consent: bool,
    organisation_request: OrganisationRequestData | None = None,
) -> User:
    """The person edits their own data. `organisation=None` keeps the current one; the consent to
    show the name keeps its original date while it stays given."""
    user.last_name, user.first_name, user.patronymic = last_name, first_name, patronymic
    user.position, user.post, user.phone = position, post, phone
    if organisation is not None:
        user.organisation = organisation
    if not show_name_consent:
        user.show_name_consent_at = None
    elif user.show_name_consent_at is None:
        user.show_name_consent_at = timezone.now()
    user.full_clean(exclude=["password"])
    user.save()
    if organisation is None and organisation_request is not None:
        organisation_request_file(user=user, data=organisation_request)
    return user


@transaction.atomic
def user_anonymise(*, user: User) -> User:
    """Deletes an account at the person's request (152-ФЗ, withdrawal of consent).

    Personal data are erased; the row stays, and so do the person's memberships, ended today, so
    that every structure keeps the members, attendance and counts its reports for past periods
    need («заседание с 12 участниками» stays 12). Anyone who shows a member checks
    `anonymised_at` and prints «Удалённый пользователь»."""
    if user.anonymised_at is not None:
        raise ValidationError(_("Учётная запись уже удалена."))
    old_addresses = {user.email.lower()} | {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    today = timezone.localdate()
    for membership in Membership.objects.current().filter(user=user):
        # No full_clean here: a rule added later must never keep a person from leaving.
        membership.until = max(today, membership.since)
        membership.save(update_fields=["until"])

    user.email = f"deleted-{user.pk}@invalid"
    user.last_name, user.first_name = ANONYMOUS_NAME, ""
    user.patronymic = user.position = user.post = user.phone = ""
    user.show_name_consent_at = None
    user.anonymised_at = timezone.now()
    user.is_active = False
    user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    user.territory_roles.all().delete()
    # Nobody is left to link to the organisation; handled requests stay as the registry's history.
    user.organisation_requests.filter(status=OrganisationRequest.Status.NEW).delete()
    EmailAddress.objects.filter(user=user).delete()
    # The sign-in throttle keeps the addresses that were tried; they are personal data too.
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=old_addresses).delete()
    return user


# --- Requests for missing organisations ----------------------------------------------------------


@transaction.atomic
def organisation_request_file(*, user: User, data: OrganisationRequestData) -> OrganisationRequest:
    request = OrganisationRequest(
        user=user,
        name=data.name.strip(),
        region=data.region,
        municipality=data.municipality.strip(),
        inn=data.inn.strip(),
    )
    request.full_clean()
    request.save()
    return request


def _refuse_if_handled(request: OrganisationRequest) -> None:
    if request.status != OrganisationRequest.Status.NEW:
        raise ValidationError(_("Заявка «%(name)s» уже рассмотрена.") % {"name": request.name})


@transaction.atomic
def organisation_request_resolve(
    *, request: OrganisationRequest, organisation: Organisation, by: User, comment: str = ""
) -> OrganisationRequest:
    """Links the request to an organisation of the registry and the person to that organisation,
    unless they have picked another one meanwhile."""
    _refuse_if_handled(request)
    request.status = OrganisationRequest.Status.ADDED
    request.resolved_organisation = organisation
    request.handled_by, request.handled_at = by, timezone.now()
    request.comment = comment or request.comment
    request.full_clean()
    request.save()
    person = request.user
    if person.organisation_id is None and person.anonymised_at is None:
        person.organisation = organisation
        person.save(update_fields=["organisation"])
    return request


@transaction.atomic
def organisation_request_add_organisation(
    *, request: OrganisationRequest, by: User, kind: str = OrganisationKind.SCHOOL
) -> OrganisationRequest:
    """«Создать организацию и привязать»: the registry gets the organisation as the person wrote
    it (the coordinator can correct it later), or the existing one with the same ИНН."""
    _refuse_if_handled(request)
    organisation = None
    if request.inn:
        organisation = Organisation.objects.filter(inn=request.inn).first()
    if organisation is None:
        municipality = (
            Municipality.objects.filter(
                region=request.region, name__iexact=request.municipality
            ).first()
            if request.municipality
            else None
        )
        organisation = Organisation(
            kind=kind,
            full_name=request.name,
            region=request.region,
            municipality=municipality,
            inn=request.inn,
        )
        organisation.full_clean()
        organisation.save()
    return organisation_request_resolve(request=request, organisation=organisation, by=by)


@transaction.atomic
def organisation_request_reject(
    *, request: OrganisationRequest, by: User, comment: str = ""
) -> OrganisationRequest:
    _refuse_if_handled(request)
    request.status = OrganisationRequest.Status.REJECTED
    request.handled_by, request.handled_at = by, timezone.now()
    request.comment = comment or request.comment
    request.full_clean()
    request.save()
    return request
