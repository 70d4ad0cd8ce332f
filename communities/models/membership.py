"""Joining a structure: requests to open kinds, invitations to any kind, blocks.

The membership itself is networks' Membership; these models record how a person came to it (or why
not), so that a coordinator can answer "who let them in, and when".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from networks.models import Role, Structure, User

INVITATION_DAYS = 14
REASON_MAX_LENGTH = 1000


class JoinRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=JoinRequest.Status.PENDING)


class JoinRequest(models.Model):
    """A person asks to join an open structure (R-VLG-5.1, R-PAV-1.8); a coordinator or an
    administrator decides (R-PAV-6.1) and the person sees the decision and its reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Ожидает решения")
        APPROVED = "approved", _("Одобрена")
        REJECTED = "rejected", _("Отклонена")
        WITHDRAWN = "withdrawn", _("Отозвана")

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="join_requests", verbose_name=_("структура")
    )
    user = models.ForeignKey(
        User, models.CASCADE, related_name="join_requests", verbose_name=_("заявитель")
    )
    reason = models.TextField(_("почему хочу вступить"), max_length=REASON_MAX_LENGTH)
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("решение принял(а)"),
    )
    decided_at = models.DateTimeField(_("дата решения"), null=True, blank=True)
    decision_reason = models.TextField(
        _("причина отказа"), max_length=REASON_MAX_LENGTH, blank=True
    )
    created_at = models.DateTimeField(_("подана"), default=timezone.now)

    objects = JoinRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("заявка на вступление")
        verbose_name_plural = _("заявки на вступление")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "user"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
                violation_error_message=_(
                    "У вас уже есть заявка в эту структуру, ожидающая решения."
                ),
            ),
            # The person must see why they were refused.
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="join_request_rejected_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.structure} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _default_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())

    def by_token(self, token: str):
        return self.filter(token_hash=hash_token(token))


class Invitation(models.Model):
    """A link sent by e-mail that adds its holder to the structure with a role, once.

    Only the SHA-256 of the token is stored: the link itself exists only in the letter, so a copy
    of the database does not let anyone in.
    """

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="invitations", verbose_name=_("структура")
    )
    email = models.EmailField(_("электронная почта"))
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, models.SET_NULL, null=True, related_name="+", verbose_name=_("пригласил(а)")
    )
    created_at = models.DateTimeField(_("отправлено"), default=timezone.now)
    expires_at = models.DateTimeField(_("действует до"), default=_default_expiry)
    used_at = models.DateTimeField(_("использовано"), null=True, blank=True)
    used_by = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("использовал(а)"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("приглашение")
        verbose_name_plural = _("приглашения")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.structure}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        """A fresh token for the link and the hash to store."""
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class MembershipBlock(models.Model):
    """The coordinator closed the door: the person may not ask to join this structure again."""

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="membership_blocks", verbose_name=_("структура")
    )
    user = models.ForeignKey(
        User, models.CASCADE, related_name="membership_blocks", verbose_name=_("кого")
    )
    blocked_by = models.ForeignKey(
        User, models.SET_NULL, null=True, related_name="+", verbose_name=_("кто заблокировал")
    )
    reason = models.TextField(_("причина"), max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(_("дата"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("запрет на вступление")
        verbose_name_plural = _("запреты на вступление")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "user"],
                name="membership_block_unique",
                violation_error_message=_("Этому человеку уже запрещено подавать заявки."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ⊘ {self.structure}"


__all__ = [
    "INVITATION_DAYS",
    "REASON_MAX_LENGTH",
    "Invitation",
    "InvitationQuerySet",
    "JoinRequest",
    "JoinRequestQuerySet",
    "MembershipBlock",
    "hash_token",
]
