"""The texts a person consents to (152-ФЗ, ст. 9) and every consent given, with its version.

A consent is proof only together with the words agreed to, so each text is a row that never changes:
`ConsentText(kind, version, text, published_on)`. A new wording is a new version (a data migration
adds the row); the consent page and the sign-up form show the newest one, and a test keeps the
shown words equal to the stored text (tests/account/test_consents.py). Each time a person gives a
consent, a `Consent` row records which version and when; withdrawing it sets `withdrawn_at`, so the
history of what was agreed stays. `User.pd_consent_at`/`show_name_consent_at`/
`public_name_consent_at` remain the quick answer to "is it given now" that pages and selectors read.

Showing the name to other members (`show_name`) and on the pages anybody reads without signing in
(`public_name`, 152-ФЗ ст. 10.1: dissemination to an unlimited circle of people) are separate
consents: neither implies the other.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Consent", "ConsentKind", "ConsentText", "ConsentTextQuerySet"]


class ConsentKind(models.TextChoices):
    PERSONAL_DATA = "personal_data", _("Обработка персональных данных (152-ФЗ)")
    SHOW_NAME = "show_name", _("Показывать ФИО и должность другим участникам")
    # 152-ФЗ, ст. 10.1: data the person allows to be disseminated to anyone need their own consent.
    PUBLIC_NAME = "public_name", _("Показывать ФИО и должность на открытых страницах портала")


class ConsentTextQuerySet(models.QuerySet):
    def current(self, kind: str) -> ConsentText:
        """The newest version of a kind: the one a person agrees to today."""
        return self.filter(kind=kind).order_by("-version").first()


class ConsentText(models.Model):
    kind = models.CharField(_("согласие"), max_length=20, choices=ConsentKind.choices)
    version = models.PositiveSmallIntegerField(_("версия"))
    text = models.TextField(_("текст"))
    published_on = models.DateField(_("редакция от"))

    objects = ConsentTextQuerySet.as_manager()

    class Meta:
        verbose_name = _("текст согласия")
        verbose_name_plural = _("тексты согласий")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="consent_text_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.version} ({self.published_on:%d.%m.%Y})"

    @property
    def sha256(self) -> str:
        """Names the exact words: quoted in the export, so a person can prove what they agreed to."""
        return hashlib.sha256(self.text.encode()).hexdigest()


class Consent(models.Model):
    """One consent a person gave: to which version of the text, when, and when it was withdrawn."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="consents", verbose_name=_("кто")
    )
    text = models.ForeignKey(
        ConsentText, models.PROTECT, related_name="consents", verbose_name=_("текст согласия")
    )
    given_at = models.DateTimeField(_("дано"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)

    class Meta:
        verbose_name = _("согласие")
        verbose_name_plural = _("согласия")
        ordering = ["given_at", "pk"]

    def __str__(self) -> str:
        return f"{self.text} — {self.given_at:%d.%m.%Y}"
