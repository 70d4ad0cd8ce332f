"""Regions, municipalities, organisations and their ШНОР/ШССУ/leader status per school year."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..schoolyear import SchoolYear
from ..search import organisation_search_text
from ..validators import validate_inn, validate_timezone

# --- Territory and organisations -----------------------------------------------------------------


class Region(models.Model):
    code = models.CharField(_("код субъекта"), max_length=3, unique=True)
    name = models.CharField(_("название"), max_length=200, unique=True)
    timezone = models.CharField(
        _("часовой пояс"),
        max_length=64,
        default="Europe/Moscow",
        validators=[validate_timezone],
        help_text=_("Напоминания приходят в 09:00 по этому времени. Пример: Europe/Moscow."),
    )

    class Meta:
        verbose_name = _("регион")
        verbose_name_plural = _("регионы")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="municipalities", verbose_name=_("регион")
    )
    name = models.CharField(_("название"), max_length=200)

    class Meta:
        verbose_name = _("муниципальное образование")
        verbose_name_plural = _("муниципальные образования")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("Общеобразовательная организация")
    ADDITIONAL = "additional", _("Организация дополнительного образования")
    METHODICAL = "methodical", _("Методический центр")
    AUTHORITY = "authority", _("Орган управления образованием")
    ACADEMY = "academy", _("Организация дополнительного профессионального образования")
    OTHER = "other", _("Иная организация")


class OrganisationQuerySet(models.QuerySet):
    def schools(self):
        return self.filter(kind=OrganisationKind.SCHOOL)


class Organisation(models.Model):
    kind = models.CharField(_("тип"), max_length=20, choices=OrganisationKind.choices)
    full_name = models.CharField(_("полное наименование"), max_length=500)
    short_name = models.CharField(_("краткое наименование"), max_length=200, blank=True)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True, validators=[validate_inn])
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="organisations", verbose_name=_("регион")
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("муниципальное образование"),
        help_text=_("Пусто у региональных организаций."),
    )
    address = models.CharField(_("адрес"), max_length=500, blank=True)
    successor = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("правопреемник"),
        help_text=_("Для реорганизованной организации; её история сохраняется."),
    )
    search_text = models.TextField(editable=False, default="")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        ordering = ["short_name", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["inn"], condition=~Q(inn=""), name="organisation_unique_inn"
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("id")), name="organisation_not_own_successor"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.full_name

    def save(self, *args, **kwargs) -> None:
        place = self.municipality.name if self.municipality_id else ""
        self.search_text = organisation_search_text(
            short_name=self.short_name, full_name=self.full_name, municipality=place, inn=self.inn
        )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if (
            self.municipality_id
            and self.region_id
            and self.municipality.region_id != self.region_id
        ):
            raise ValidationError(
                {"municipality": _("Муниципальное образование относится к другому региону.")}
            )


class SchoolStatus(models.TextChoices):
    SHNOR = "shnor", _("ШНОР")
    SSSU = "sssu", _("ШССУ")
    LEADER = "leader", _("Школа-лидер")


class OrganisationStatus(models.Model):
    """ШНОР / ШССУ / leader status of a school for one school year, set by a regional order."""

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="statuses", verbose_name=_("организация")
    )
    school_year = models.PositiveSmallIntegerField(
        _("учебный год"), help_text=_("Первый год учебного года: 2020 для 2020/2021.")
    )
    status = models.CharField(_("статус"), max_length=10, choices=SchoolStatus.choices)
    order = models.ForeignKey(
        "Order",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="statuses",
        verbose_name=_("приказ"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("статус организации в учебном году")
        verbose_name_plural = _("статусы организаций по учебным годам")
        ordering = ["-school_year", "status"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school_year", "status"], name="status_unique_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_status_display()} {SchoolYear(self.school_year)}"

    @property
    def school_year_label(self) -> str:
        return SchoolYear(self.school_year).label

    def clean(self) -> None:
        # A school with stably high results cannot at the same time be one with low results.
        if not self.organisation_id or not self.school_year:
            return
        others = OrganisationStatus.objects.filter(
            organisation_id=self.organisation_id, school_year=self.school_year
        ).exclude(pk=self.pk)
        clash = (
            others.exclude(status=SchoolStatus.LEADER)
            if self.status == SchoolStatus.LEADER
            else others.filter(status=SchoolStatus.LEADER)
        )
        if clash.exists():
            raise ValidationError(
                {
                    "status": _(
                        "В одном учебном году школа не может быть одновременно школой-лидером "
                        "и ШНОР/ШССУ."
                    )
                }
            )
