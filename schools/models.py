"""A school's own record (issue 21): its risk profile by school year, its development documents and
who curates it. The school itself is networks' Organisation of the school kind; its statuses by year
are networks' OrganisationStatus."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Organisation
from networks.schoolyear import SchoolYear


class RiskFactor(models.Model):
    """One risk factor of the «500+» project for one school year. The list changes between years,
    so it is data an operator loads and edits (the admin), never an enum."""

    school_year = models.PositiveSmallIntegerField(
        _("учебный год"), help_text=_("Первый год учебного года: 2025 для 2025/2026.")
    )
    code = models.CharField(_("код"), max_length=40)
    name = models.CharField(_("название"), max_length=300)
    ordering = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("фактор риска")
        verbose_name_plural = _("факторы риска")
        ordering = ["-school_year", "ordering", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "code"], name="risk_factor_unique_code"),
            models.UniqueConstraint(fields=["school_year", "name"], name="risk_factor_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({SchoolYear(self.school_year)})"

    @property
    def school_year_label(self) -> str:
        return SchoolYear(self.school_year).label


class RiskLevel(models.TextChoices):
    HIGH = "high", _("высокий")
    MEDIUM = "medium", _("средний")
    LOW = "low", _("низкий")


class SchoolRisk(models.Model):
    """A school's level of one risk factor (the factor says the school year)."""

    class Source(models.TextChoices):
        IMPORT = "import", _("загрузка файла")
        CURATOR = "curator", _("внесено на портале")

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="risks", verbose_name=_("школа")
    )
    factor = models.ForeignKey(
        RiskFactor, models.PROTECT, related_name="school_risks", verbose_name=_("фактор риска")
    )
    level = models.CharField(_("уровень"), max_length=10, choices=RiskLevel.choices)
    source = models.CharField(
        _("источник"), max_length=10, choices=Source.choices, default=Source.CURATOR
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("изменил"),
    )
    updated_at = models.DateTimeField(_("изменено"), default=timezone.now)

    class Meta:
        verbose_name = _("риск школы")
        verbose_name_plural = _("профили рисков школ")
        ordering = ["factor__ordering", "factor__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "factor"], name="school_risk_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.factor.name} — {self.get_level_display()}"


class DocumentKind(models.TextChoices):
    CONCEPT = "concept", _("Концепция развития")
    PROGRAMME = "programme", _("Среднесрочная программа развития")
    ANTIRISK = "antirisk", _("Антирисковая программа")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Черновик")
    SUBMITTED = "submitted", _("На рассмотрении")
    ACCEPTED = "accepted", _("Принят")
    RETURNED = "returned", _("Возвращён на доработку")


class DevelopmentDocument(models.Model):
    """A school's development document: the school uploads and submits it, the curator accepts it
    or returns it with a comment (every change of status is kept in DocumentStatusChange)."""

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="development_documents", verbose_name=_("школа")
    )
    kind = models.CharField(_("вид документа"), max_length=10, choices=DocumentKind.choices)
    school_year = models.PositiveSmallIntegerField(_("учебный год"))
    factor = models.ForeignKey(
        RiskFactor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("фактор риска"),
        help_text=_("Для антирисковой программы."),
    )
    file = models.FileField(_("файл"), upload_to="schools/documents/%Y/")
    filename = models.CharField(_("имя файла"), max_length=255)
    status = models.CharField(
        _("состояние"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    comment = models.TextField(_("комментарий куратора"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("загрузил"),
    )
    created_at = models.DateTimeField(_("загружен"), default=timezone.now)

    class Meta:
        verbose_name = _("документ развития школы")
        verbose_name_plural = _("документы развития школ")
        ordering = ["-school_year", "kind", "-created_at"]
        indexes = [models.Index(fields=["organisation", "school_year"], name="school_doc_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="antirisk", factor__isnull=False)
                | (~Q(kind="antirisk") & Q(factor__isnull=True)),
                name="school_doc_factor_for_antirisk",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {SchoolYear(self.school_year)} ({self.organisation})"

    @property
    def school_year_label(self) -> str:
        return SchoolYear(self.school_year).label


class DocumentStatusChange(models.Model):
    document = models.ForeignKey(
        DevelopmentDocument, models.CASCADE, related_name="changes", verbose_name=_("документ")
    )
    status = models.CharField(_("состояние"), max_length=10, choices=DocumentStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто"),
    )
    at = models.DateTimeField(_("когда"), default=timezone.now)
    comment = models.TextField(_("комментарий"), blank=True)

    class Meta:
        verbose_name = _("изменение состояния документа")
        verbose_name_plural = _("история документов")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.document}: {self.get_status_display()} {self.at:%d.%m.%Y}"


class SchoolCuratorQuerySet(models.QuerySet):
    def current(self):
        return self.filter(until__isnull=True)


class SchoolCurator(models.Model):
    """Who curates which school: the territory's coordinator assigns and removes them; one curator
    may have several schools. Removing sets `until`; the row stays."""

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="curators", verbose_name=_("школа")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="curated_schools",
        verbose_name=_("куратор"),
    )
    since = models.DateField(_("с"), default=timezone.localdate)
    until = models.DateField(_("по"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SchoolCuratorQuerySet.as_manager()

    class Meta:
        verbose_name = _("куратор школы")
        verbose_name_plural = _("кураторы школ")
        ordering = ["organisation", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(until__isnull=True),
                name="school_curator_one_current",
            )
        ]
        indexes = [models.Index(fields=["user", "until"], name="school_curator_user")]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class RiskImport(models.Model):
    """One upload of a region's risk profiles (XLSX/CSV): the file as uploaded, re-read on
    confirmation (nothing kept from the preview is trusted but the file), what the preview found
    and, once confirmed, what was done."""

    class Status(models.TextChoices):
        STAGED = "staged", _("Ждёт подтверждения")
        APPLIED = "applied", _("Загружен")

    region = models.ForeignKey(
        "networks.Region", models.PROTECT, related_name="+", verbose_name=_("регион")
    )
    school_year = models.PositiveSmallIntegerField(_("учебный год"))
    file = models.FileField(_("файл"), upload_to="schools/risks/%Y/%m/")
    filename = models.CharField(_("имя файла"), max_length=255)
    summary = models.JSONField(_("итог проверки"), default=dict, blank=True)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.STAGED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("загрузил"),
    )
    created_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    applied_at = models.DateTimeField(_("применён"), null=True, blank=True)

    class Meta:
        verbose_name = _("загрузка профилей рисков")
        verbose_name_plural = _("загрузки профилей рисков")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({SchoolYear(self.school_year)})"
