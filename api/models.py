"""Tokens of the open API (issue 21): an operator issues one to an organisation for a territory.

Only a hash of the secret is kept: the secret is shown once, when the token is issued, and a copy
of the database does not let anyone read the API. The secret is 32 random bytes, so a plain
SHA-256 is enough (a slow password hash protects guessable secrets, and would cost every request).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from networks.models import Municipality, Organisation, Region


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("организация-пользователь"),
        help_text=_("Кому выдан токен: например, региональная информационная система."),
    )
    region = models.ForeignKey(Region, models.PROTECT, verbose_name=_("регион"))
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("муниципальное образование"),
        help_text=_("Пусто — весь регион."),
    )
    # The first characters of the secret, to tell tokens apart in the admin and in the log.
    prefix = models.CharField(_("начало ключа"), max_length=8, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("выдал"),
    )
    created_at = models.DateTimeField(_("выдан"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("отозван"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(
        _("последний запрос"), null=True, blank=True, editable=False
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("токен API")
        verbose_name_plural = _("токены API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… — {self.organisation}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def clean(self) -> None:
        if (
            self.municipality_id
            and self.region_id
            and self.municipality.region_id != self.region_id
        ):
            raise ValidationError(
                {"municipality": _("Муниципальное образование относится к другому региону.")}
            )
