"""A region's own DOCX template for one kind of document.

The shipped default of a kind is a file in the repository (documents/default_templates/), not a
row: a row is always a region's upload. At most one template per region and kind is active; the
others are kept as the region's history and can be switched back on.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from networks.models import Region

__all__ = ["DocumentKind", "DocumentTemplate", "SignedScan"]


class DocumentKind(models.TextChoices):
    MINUTES = "minutes", _("Протокол заседания")
    PLAN = "plan", _("План работы")
    ANNUAL_ANALYSIS = "annual_analysis", _("Анализ работы за учебный год")
    REPORT = "report", _("Отчёт структуры")
    CURATORS_REPORT = "curators_report", _("Отчёт кураторов за год")
    SUMMARY = "summary", _("Сводный отчёт")


class DocumentTemplate(models.Model):
    kind = models.CharField(_("документ"), max_length=20, choices=DocumentKind.choices)
    region = models.ForeignKey(
        Region,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="document_templates",
        verbose_name=_("регион"),
        help_text=_("Пусто не бывает: шаблон по умолчанию — файл в поставке портала."),
    )
    file = models.FileField(_("файл шаблона (DOCX)"), upload_to="document-templates/%Y/")
    original_name = models.CharField(_("имя файла"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("загрузил"),
    )
    uploaded_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    is_active = models.BooleanField(_("используется"), default=True)
    checked_at = models.DateTimeField(_("проверен"), null=True, blank=True)

    class Meta:
        verbose_name = _("шаблон документа")
        verbose_name_plural = _("шаблоны документов")
        ordering = ["region", "kind", "-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind"],
                condition=Q(is_active=True),
                name="document_template_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name or self.file.name}"


class SignedScan(models.Model):
    """A scan of the paper a record was printed on and signed: an approved plan, signed minutes, a
    submitted or accepted report. The record lives in an app above this one (communities,
    reporting), so it is reached through contenttypes rather than a foreign key. A record may get
    several scans over time (a page was missing, a better scan); each is kept, the latest shown
    first."""

    content_type = models.ForeignKey(
        ContentType, models.PROTECT, related_name="+", verbose_name=_("вид документа")
    )
    object_id = models.PositiveBigIntegerField(_("номер документа"))
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("файл"), upload_to="signed-scans/%Y/%m/")
    file_kind = models.CharField(_("тип файла"), max_length=10)
    original_name = models.CharField(_("имя файла"), max_length=255)
    note = models.CharField(_("примечание"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("загрузил"),
    )
    uploaded_at = models.DateTimeField(_("загружен"), auto_now_add=True)

    class Meta:
        verbose_name = _("подписанный экземпляр")
        verbose_name_plural = _("подписанные экземпляры")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-uploaded_at"], name="signed_scan_of_record"
            )
        ]

    def __str__(self) -> str:
        return self.original_name
