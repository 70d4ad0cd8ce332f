"""Requests from people whose organisation is missing from the registry."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..validators import validate_inn
from .people import User
from .territory import Organisation, Region


class OrganisationRequestQuerySet(models.QuerySet):
    def new(self):
        return self.filter(status=OrganisationRequest.Status.NEW)

    def in_regions(self, region_ids):
        return self.filter(region_id__in=region_ids)


class OrganisationRequest(models.Model):
    """«Моей организации нет в реестре»: the person goes on registering with no organisation, and a
    coordinator of the region adds the organisation (or finds it) and links the person to it."""

    class Status(models.TextChoices):
        NEW = "new", _("Новая")
        ADDED = "added", _("Организация добавлена")
        REJECTED = "rejected", _("Отклонена")

    user = models.ForeignKey(
        User,
        models.CASCADE,
        related_name="organisation_requests",
        verbose_name=_("кто просит"),
    )
    name = models.CharField(_("наименование организации"), max_length=500)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="organisation_requests", verbose_name=_("регион")
    )
    municipality = models.CharField(_("муниципальное образование"), max_length=200, blank=True)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True, validators=[validate_inn])
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    resolved_organisation = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("организация в реестре"),
        help_text=_(
            "Организация, добавленная или найденная по заявке; к ней привязывается человек."
        ),
    )
    comment = models.TextField(
        _("комментарий координатора"),
        blank=True,
        help_text=_("Виден человеку, например причина отказа."),
    )
    created_at = models.DateTimeField(_("подана"), default=timezone.now)
    handled_by = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто рассмотрел"),
    )
    handled_at = models.DateTimeField(_("рассмотрена"), null=True, blank=True)

    objects = OrganisationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("заявка на добавление организации")
        verbose_name_plural = _("заявки на добавление организаций")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "region"], name="orgrequest_status_region")]

    def __str__(self) -> str:
        return self.name
