"""Writes for a person's own account and for the requests to add a missing organisation.

Views, the signup form and the admin all call these (CONVENTIONS 2)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from networks import figures
from outbox.models import OutboundMail

from ..hooks import erase_person
from ..models import (
    Consent,
    ConsentKind,
    ConsentText,
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

    The consent to processing is required by the form; here each consent given is recorded with the
    version of the text the person was shown, so a later change of the text does not rewrite what
    they accepted."""
    now = timezone.now()
    user.patronymic, user.position, user.post, user.phone = patronymic, position, post, phone
    user.organisation = organisation
    user.full_clean(exclude=["password"])
    user.save()
    consent_give(user=user, kind=ConsentKind.PERSONAL_DATA, at=now)
    if show_name_consent:
        consent_give(user=user, kind=ConsentKind.SHOW_NAME, at=now)
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
    public_name_consent: bool,
    organisation_request: OrganisationRequestData | None = None,
    language: str | None = None,
) -> User:
    """The person edits their own data (`language=None` keeps the language of their mails). `organisation=None` keeps the current one; each consent to
    show the name (to members; on the public pages, 152-ФЗ ст. 10.1) keeps its original date while
    it stays given."""
    user.last_name, user.first_name, user.patronymic = last_name, first_name, patronymic
    user.position, user.post, user.phone = position, post, phone
    if organisation is not None:
        user.organisation = organisation
    if language:
        user.language = language
    user.full_clean(exclude=["password"])
    user.save()
    for kind, given, given_at in (
        (ConsentKind.SHOW_NAME, show_name_consent, user.show_name_consent_at),
        (ConsentKind.PUBLIC_NAME, public_name_consent, user.public_name_consent_at),
    ):
        if not given:
            consent_withdraw(user=user, kind=kind)
        elif given_at is None:
            consent_give(user=user, kind=kind)
    if organisation is None and organisation_request is not None:
        organisation_request_file(user=user, data=organisation_request)
    return user


@transaction.atomic
def user_anonymise(*, user: User) -> User:
    """Deletes an account at the person's request (152-ФЗ, ст. 21: withdrawal of consent).

    Personal data are erased; the row stays, and so do the person's memberships, ended today, so
    that every structure keeps the members, attendance and counts its reports for past periods
    need («заседание с 12 участниками» stays 12). Anyone who shows a member checks
    `anonymised_at` and prints «Удалённый пользователь».

    What else named the person goes too, so that no table (history tables included) holds the
    e-mail, the name or what the person wrote (tests/account/test_erasure.py dumps every table):
    the apps above erase their rows through `networks.hooks.erase_person` (invitations, join
    requests, posts, help requests, questionnaire answers, notices… each app's eraser says what it
    keeps and why); here the admin's log entries that name the person, the sign-in throttle's
    records and the e-mail addresses. The consent records stay, closed today: they hold only which
    version was agreed to and when, the proof that the processing until now was lawful."""
    if user.anonymised_at is not None:
        raise ValidationError(_("Учётная запись уже удалена."))
    old_addresses = {user.email.lower()} | {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    names = {
        n for n in (user.full_name, user.short_name, f"{user.last_name} {user.first_name}") if n
    }
    erase_person(user, addresses=old_addresses, names=names)
    _erase_from_admin_log(user, old_addresses | names)
    _erase_from_outbox(old_addresses)
    now = timezone.now()
    Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=now)
    today = timezone.localdate()
    with figures.batched():
        for membership in Membership.objects.current().filter(user=user):
            # No full_clean here: a rule added later must never keep a person from leaving.
            membership.until = max(today, membership.since)
            membership.save(update_fields=["until"])
            figures.membership_changed(membership)

    user.email = f"deleted-{user.pk}@invalid"
    user.last_name, user.first_name = ANONYMOUS_NAME, ""
    user.patronymic = user.position = user.post = user.phone = ""
    user.show_name_consent_at = user.public_name_consent_at = None
    user.anonymised_at = now
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


def _erase_from_outbox(addresses: set[str]) -> None:
    """Letters to the person in the mail outbox go, sent or waiting: a sent one is only a copy, a
    waiting one has nobody left to read it. The recipients are JSON lists, compared as text first
    (a narrow query) and then exactly, address by address."""
    rows = OutboundMail.objects.none()
    for address in addresses:
        rows |= OutboundMail.objects.annotate(
            recipients=Concat(
                *(Cast(field, TextField()) for field in ("to", "cc", "bcc")),
                output_field=TextField(),
            )
        ).filter(recipients__icontains=address)
    doomed = [
        mail.pk
        for mail in rows.distinct()
        if addresses & {r.lower() for r in (*mail.to, *mail.cc, *mail.bcc)}
    ]
    OutboundMail.objects.filter(pk__in=doomed).delete()


def _erase_from_admin_log(user: User, words: set[str]) -> None:
    """The admin's log keeps a text copy of each changed object (`object_repr`: the person's
    name for their own row, «Кондакова → Совет…» for a membership): those copies name the person
    as «Удалённый пользователь» instead. Who acted (`LogEntry.user`) is an id and stays."""
    user_type = ContentType.objects.get_for_model(User)
    named = Q(content_type=user_type, object_id=str(user.pk))
    for word in words:
        named |= Q(object_repr__icontains=word) | Q(change_message__icontains=word)
    for entry in LogEntry.objects.filter(named):
        if entry.content_type_id == user_type.pk and entry.object_id == str(user.pk):
            entry.object_repr = ANONYMOUS_NAME
        for word in sorted(words, key=len, reverse=True):
            pattern = re.compile(re.escape(word), re.IGNORECASE)
            entry.object_repr = pattern.sub(ANONYMOUS_NAME, entry.object_repr)
            entry.change_message = pattern.sub(ANONYMOUS_NAME, entry.change_message)
        entry.save(update_fields=["object_repr", "change_message"])


# --- Consents (152-ФЗ, ст. 9) ----------------------------------------------------------------------


def _consent_fields(kind: str) -> tuple[str, str | None]:
    """The User fields that say whether a consent of this kind is given now (and its version)."""
    if kind == ConsentKind.PERSONAL_DATA:
        return "pd_consent_at", "pd_consent_version"
    if kind == ConsentKind.PUBLIC_NAME:
        return "public_name_consent_at", None
    return "show_name_consent_at", None


@transaction.atomic
def consent_give(*, user: User, kind: str, at=None) -> Consent:
    """Records that the person agreed to the current version of the text of `kind`: a `Consent`
    row naming the version, and the date on the user for the pages that ask "is it given"."""
    text = ConsentText.objects.current(kind)
    if text is None:
        raise ValidationError(_("Текст согласия не опубликован."))
    at = at or timezone.now()
    Consent.objects.filter(user=user, text__kind=kind, withdrawn_at__isnull=True).update(
        withdrawn_at=at
    )
    consent = Consent.objects.create(user=user, text=text, given_at=at)
    given_at, version = _consent_fields(kind)
    setattr(user, given_at, at)
    fields = [given_at]
    if version:
        setattr(user, version, str(text.version))
        fields.append(version)
    user.save(update_fields=fields)
    return consent


@transaction.atomic
def consent_withdraw(*, user: User, kind: str) -> None:
    """The person withdraws a consent; the record of what they had agreed to stays, closed."""
    now = timezone.now()
    Consent.objects.filter(user=user, text__kind=kind, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    )
    given_at, _version = _consent_fields(kind)
    if getattr(user, given_at) is not None:
        setattr(user, given_at, None)
        user.save(update_fields=[given_at])


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
