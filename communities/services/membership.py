"""Writes for joining structures: requests, invitations, removal, blocks and roles.

Access is checked by the views (networks.permissions.structure_for); these functions hold the rules
of the orders and of the kinds table. Each runs in one transaction and records who acted, so that
the structure's history shows it even when called from a command or a task.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from networks import services as network_services
from networks.history import acting_as
from networks.models import LEAD_ROLES, Membership, Role, Structure, User, leader_role_refusal
from networks.models.structures import checks_person, is_pair_side

from ..models import INVITATION_DAYS, Invitation, JoinRequest, MembershipBlock

# The same invitation sent again within this window is the same request (a retry of the page, a
# second click) and gets the first one's invitation and letter; later it is a deliberate new one.
INVITATION_RETRY_WINDOW = dt.timedelta(minutes=10)


def head_is_elected(structure: Structure) -> bool:
    """R-TUL-A4-4.1: the association's head is elected from its members, and the date is
    recorded (StructureKind.head_elected)."""
    return structure.kind.head_elected


def _save_or_explain(instance) -> None:
    """Saves after full_clean; a race that the constraint catches becomes the same message."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        # Someone else changed the same rows between the check and the save.
        instance.validate_constraints()
        raise ValidationError(
            _("Данные изменились, пока вы работали. Обновите страницу.")
        ) from error


def _refuse_if_closed(structure: Structure) -> None:
    if structure.is_closed:
        raise ValidationError(
            _("Структура прекратила деятельность %(date)s; её состав больше не меняется.")
            % {"date": f"{structure.closed_on:%d.%m.%Y}"}
        )


def _is_member(structure: Structure, user: User) -> bool:
    return structure.memberships.current().filter(user=user).exists()


def _is_blocked(structure: Structure, user: User) -> bool:
    return MembershipBlock.objects.filter(structure=structure, user=user).exists()


# --- Join requests ---------------------------------------------------------------------------


@transaction.atomic
def join_request_file(*, structure: Structure, user: User, reason: str) -> JoinRequest:
    """R-VLG-5.1: a manager registers on the community's page; only open kinds take requests."""
    if not structure.kind.open_membership:
        raise ValidationError(
            _(
                "В «%(kind)s» не вступают по заявке: участников добавляет координатор или "
                "приглашает их по электронной почте."
            )
            % {"kind": structure.kind.name}
        )
    _refuse_if_closed(structure)
    if _is_member(structure, user):
        raise ValidationError(_("Вы уже участвуете в этой структуре."))
    if _is_blocked(structure, user):
        raise ValidationError(
            _("Координатор структуры закрыл для вас возможность подавать заявки в неё.")
        )
    if JoinRequest.objects.pending().filter(structure=structure, user=user).exists():
        raise ValidationError(_("У вас уже есть заявка в эту структуру, ожидающая решения."))
    join_request = JoinRequest(structure=structure, user=user, reason=reason.strip())
    with acting_as(user):
        _save_or_explain(join_request)
    return join_request


def _refuse_if_decided(join_request: JoinRequest) -> None:
    if not join_request.is_pending:
        raise ValidationError(
            _("По этой заявке уже есть решение: %(status)s.")
            % {"status": join_request.get_status_display().lower()}
        )


def _decide(join_request: JoinRequest, *, status: str, by: User, reason: str = "") -> None:
    join_request.status = status
    join_request.decided_by = by
    join_request.decided_at = timezone.now()
    join_request.decision_reason = reason
    join_request.full_clean()
    join_request.save()


@transaction.atomic
def join_request_approve(*, join_request: JoinRequest, by: User) -> Membership:
    """R-PAV-6.1: the administrator (or coordinator) admits the person as a member."""
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    _refuse_if_decided(join_request)
    with acting_as(by):
        membership = network_services.membership_add(
            structure=join_request.structure, user=join_request.user, role=Role.MEMBER
        )
        _decide(join_request, status=JoinRequest.Status.APPROVED, by=by)
    return membership


@transaction.atomic
def join_request_reject(
    *, join_request: JoinRequest, by: User, reason: str, block: bool = False
) -> JoinRequest:
    """The reason is shown to the person; `block` also stops them from asking again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Напишите причину отказа: её увидит заявитель.")})
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    _refuse_if_decided(join_request)
    with acting_as(by):
        _decide(join_request, status=JoinRequest.Status.REJECTED, by=by, reason=reason)
        if block:
            _block(structure=join_request.structure, user=join_request.user, by=by, reason=reason)
    return join_request


@transaction.atomic
def join_request_withdraw(*, join_request: JoinRequest, by: User) -> JoinRequest:
    if join_request.user_id != by.pk:
        raise ValidationError(_("Отозвать заявку может только тот, кто её подал."))
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    _refuse_if_decided(join_request)
    join_request.status = JoinRequest.Status.WITHDRAWN
    with acting_as(by):
        join_request.full_clean()
        join_request.save()
    return join_request


def _close_pending_requests(structure: Structure, user: User, by: User | None) -> None:
    """A person added another way no longer waits for a decision on their request."""
    for join_request in JoinRequest.objects.pending().filter(structure=structure, user=user):
        _decide(join_request, status=JoinRequest.Status.APPROVED, by=by)


# --- Invitations -----------------------------------------------------------------------------


def _refuse_role(structure: Structure, role: str) -> None:
    if not structure.kind.allows_role(role):
        raise ValidationError(
            {
                "role": _("Роль «%(role)s» не предусмотрена для вида «%(kind)s».")
                % {
                    "role": Role(role).label if role in Role.values else role,
                    "kind": structure.kind.name,
                }
            }
        )


def _refuse_second_lead(structure: Structure, role: str, exclude: Membership | None = None) -> None:
    if role not in LEAD_ROLES:
        return
    leads = structure.memberships.current().filter(role__in=LEAD_ROLES)
    if exclude is not None:
        leads = leads.exclude(pk=exclude.pk)
    if leads.exists():
        raise ValidationError(
            {
                "role": _(
                    "У структуры уже есть председатель (руководитель); сначала завершите его "
                    "полномочия."
                )
            }
        )


def taken_roles(structure: Structure, exclude: Membership | None = None) -> set[str]:
    """Roles nobody else may take now: the chair or head while there is one, and a pair's mentor
    and mentee while they are there (R-TUL-A3-1.1). One query."""
    current = structure.memberships.current().filter(
        role__in=(*LEAD_ROLES, Role.MENTOR, Role.MENTEE)
    )
    if exclude is not None:
        current = current.exclude(pk=exclude.pk)
    taken = set()
    for role in current.values_list("role", flat=True):
        if role in LEAD_ROLES:
            taken.update(LEAD_ROLES)
        elif is_pair_side(structure.kind, role):
            taken.add(role)
    return taken


def open_roles(structure: Structure, exclude: Membership | None = None) -> list[tuple[str, str]]:
    """The kind's roles someone may still be given or invited to, as form choices."""
    taken = taken_roles(structure, exclude)
    return [(v, label) for v, label in structure.kind.allowed_role_choices if v not in taken]


def _refuse_taken_pair_side(
    structure: Structure, role: str, exclude: Membership | None = None
) -> None:
    """A third person in a pair is refused when they are invited or given the role, not later."""
    if is_pair_side(structure.kind, role) and role in taken_roles(structure, exclude):
        raise ValidationError(
            {
                "role": _(
                    "В паре уже есть %(role)s. В сетевой паре один наставник и один наставляемый "
                    "(приказ от 16.09.2020 № 83-а, приложение 3, п. 1.1): чтобы назначить "
                    "другого, сначала исключите нынешнего из пары."
                )
                % {"role": Role(role).label.lower()}
            }
        )


def _refuse_unfit_person(structure: Structure, email: str, role: str) -> None:
    """When the invited address is a known person's, the rules of the role are checked now, for
    this school year, and the invitation is not sent in vain (R-TUL-A3-1.1, R-TUL-A4-1.1)."""
    if not checks_person(structure.kind, role):
        return
    person = User.objects.select_related("organisation").filter(email__iexact=email).first()
    if person is None:
        return
    try:
        Membership(structure=structure, user=person, role=role).clean()
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error


@transaction.atomic
def invitation_create(
    *, structure: Structure, email: str, role: str, by: User, base_url: str
) -> Invitation:
    """Invites a person by e-mail: the way into closed kinds (S2, S5, S6, S7), and a shortcut for
    managers of open ones. `base_url` ("https://portal.example/") makes the link in the letter."""
    _refuse_if_closed(structure)
    email = email.strip().lower()
    _refuse_role(structure, role)
    _refuse_second_lead(structure, role)
    _refuse_taken_pair_side(structure, role)
    if structure.memberships.current().filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("Человек с этим адресом уже участвует в структуре.")})
    _refuse_unfit_person(structure, email, role)
    if MembershipBlock.objects.filter(structure=structure, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("Этому человеку запрещено вступать в структуру; сначала снимите запрет.")}
        )
    sent = (
        structure.invitations.open()
        .filter(email=email, role=role, invited_by=by)
        .filter(created_at__gte=timezone.now() - INVITATION_RETRY_WINDOW)
        .first()
    )
    if sent is not None:
        return sent  # the same form again (a retry, a second click): one invitation, one letter
    token, token_hash = Invitation.new_token()
    invitation = Invitation(
        structure=structure, email=email, role=role, token_hash=token_hash, invited_by=by
    )
    invitation.full_clean()
    invitation.save()
    link = base_url.rstrip("/") + reverse("communities:invitation", args=[token])
    # In this transaction: the outbox (settings.EMAIL_BACKEND) stores the letter with the
    # invitation, and the worker sends it once both are committed; a dead mail server is retried
    # there and never reaches this page.
    _send_invitation(invitation, link)
    return invitation


def _send_invitation(invitation: Invitation, link: str) -> None:
    # The recipient may have no account yet, hence no language of their own: the portal's.
    with translation.override(settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "link": link, "days": INVITATION_DAYS}
        subject = render_to_string("communities/email/invitation_subject.txt", context).strip()
        body = render_to_string("communities/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])


def _owns_address(user: User, email: str) -> bool:
    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """The invitation is for the address it was sent to: the person signed in with that address
    (or having confirmed it as one of theirs) accepts it, once, before it expires. A forwarded link
    does not let somebody else into a closed council or working group."""
    invitation = (
        Invitation.objects.select_for_update().select_related("structure__kind").by_token(token)
    ).first()
    if invitation is None:
        raise ValidationError(_("Приглашение не найдено. Проверьте ссылку из письма."))
    refuse_unusable_invitation(invitation, user)
    structure = invitation.structure
    with acting_as(user):
        membership = network_services.membership_add(
            structure=structure, user=user, role=invitation.role
        )
        invitation.used_at, invitation.used_by = timezone.now(), user
        invitation.save(update_fields=["used_at", "used_by"])
        _close_pending_requests(structure, user, invitation.invited_by)
    return membership


def refuse_unusable_invitation(invitation: Invitation, user: User) -> None:
    """Says why the link no longer works; the invitation page asks before offering the button."""
    if invitation.is_used:
        raise ValidationError(
            _("Это приглашение уже использовано %(date)s. Ссылка действует один раз.")
            % {"date": f"{timezone.localtime(invitation.used_at):%d.%m.%Y}"}
        )
    if invitation.is_expired:
        raise ValidationError(
            _(
                "Срок действия приглашения истёк %(date)s. Попросите координатора структуры "
                "прислать новое."
            )
            % {"date": f"{timezone.localtime(invitation.expires_at):%d.%m.%Y}"}
        )
    if not _owns_address(user, invitation.email):
        raise ValidationError(
            _(
                "Приглашение отправлено на другой адрес электронной почты. Войдите с адресом, "
                "на который пришло письмо, или попросите координатора пригласить ваш адрес."
            )
        )
    if _is_member(invitation.structure, user):
        raise ValidationError(_("Вы уже участвуете в этой структуре."))
    if not invitation.structure.is_closed:
        try:
            _refuse_taken_pair_side(invitation.structure, invitation.role)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
    refusal = leader_role_refusal(user, invitation.structure.kind, invitation.role)
    if refusal:
        raise ValidationError(refusal)


# --- Members ---------------------------------------------------------------------------------


def _block(*, structure: Structure, user: User, by: User, reason: str) -> MembershipBlock:
    block = MembershipBlock(structure=structure, user=user, blocked_by=by, reason=reason.strip())
    _save_or_explain(block)
    return block


@transaction.atomic
def member_remove(
    *,
    membership: Membership,
    by: User,
    on: dt.date,
    block: bool = False,
    reason: str = "",
) -> Membership:
    """Ends the membership on a date; the row and its history stay for past years' reports."""
    if on > timezone.localdate():
        raise ValidationError({"on": _("Дата исключения не может быть в будущем.")})
    if on < membership.since:
        raise ValidationError(
            {
                "on": _("Дата исключения раньше начала участия (%(date)s).")
                % {"date": f"{membership.since:%d.%m.%Y}"}
            }
        )
    if block and not reason.strip():
        raise ValidationError({"reason": _("Напишите причину запрета.")})
    with acting_as(by):
        membership = network_services.membership_end(membership=membership, on=on)
        if block:
            _block(structure=membership.structure, user=membership.user, by=by, reason=reason)
    return membership


@transaction.atomic
def member_block(*, structure: Structure, user: User, by: User, reason: str) -> MembershipBlock:
    """Stops a former member or a refused applicant from asking to join again."""
    if not reason.strip():
        raise ValidationError({"reason": _("Напишите причину запрета.")})
    if _is_member(structure, user):
        raise ValidationError(
            _("Человек участвует в структуре: сначала исключите его, затем запретите вступление.")
        )
    if _is_blocked(structure, user):
        raise ValidationError(_("Этому человеку уже запрещено подавать заявки."))
    with acting_as(by):
        block = _block(structure=structure, user=user, by=by, reason=reason)
        for join_request in JoinRequest.objects.pending().filter(structure=structure, user=user):
            _decide(join_request, status=JoinRequest.Status.REJECTED, by=by, reason=block.reason)
    return block


@transaction.atomic
def member_unblock(*, block: MembershipBlock, by: User) -> None:
    with acting_as(by):
        block.delete()


@transaction.atomic
def role_assign(
    *, membership: Membership, role: str, by: User, elected_on: dt.date | None = None
) -> Membership:
    """Gives a current member another role the kind allows; one chair or head at a time, one
    mentor and one mentee in a pair. A refusal leaves `membership` as it was, so that the page
    shows the role the person has, not the one refused."""
    structure = membership.structure
    _refuse_if_closed(structure)
    if membership.until is not None:
        raise ValidationError(_("Участие завершено; роль меняют только текущим участникам."))
    _refuse_role(structure, role)
    _refuse_second_lead(structure, role, exclude=membership)
    _refuse_taken_pair_side(structure, role, exclude=membership)
    elected = role == Role.HEAD and head_is_elected(structure)
    if elected:
        if elected_on is None:
            raise ValidationError(
                {"elected_on": _("Руководитель избирается: укажите дату избрания.")}
            )
        if elected_on > timezone.localdate():
            raise ValidationError({"elected_on": _("Дата избрания не может быть в будущем.")})
    before = membership.role, membership.elected_on
    membership.role = role
    membership.elected_on = elected_on if elected else None
    try:
        with acting_as(by):
            _save_or_explain(membership)
    except ValidationError:
        membership.role, membership.elected_on = before
        raise
    return membership


__all__ = [
    "head_is_elected",
    "invitation_accept",
    "invitation_create",
    "join_request_approve",
    "join_request_file",
    "join_request_reject",
    "join_request_withdraw",
    "member_block",
    "member_remove",
    "member_unblock",
    "open_roles",
    "refuse_unusable_invitation",
    "role_assign",
    "taken_roles",
]
