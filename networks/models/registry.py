"""A registry file between its preview and its confirmation (networks.registry)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .territory import Region


class RegistryImport(models.Model):
    """One upload of a registry or status list: the file as uploaded (re-read on confirmation, so
    the confirmation trusts nothing kept from the preview but the file itself), what the preview
    found, and, once confirmed, the progress and what was done."""

    class Status(models.TextChoices):
        READING = "reading", _("Читается")
        STAGED = "staged", _("Ждёт подтверждения")
        APPLYING = "applying", _("Загружается")
        APPLIED = "applied", _("Загружен")
        FAILED = "failed", _("Не загружен из-за ошибки")

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="registry_imports", verbose_name=_("регион")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="registry_imports",
        verbose_name=_("загрузил"),
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("подтвердил"),
    )
    file = models.FileField(_("файл"), upload_to="registry/%Y/%m/")
    filename = models.CharField(_("имя файла"), max_length=255)
    file_kind = models.CharField(_("формат"), max_length=4, blank=True)
    options = models.JSONField(
        _("параметры"), default=dict, blank=True, help_text=_("Приказ, выбранный на форме.")
    )
    summary = models.JSONField(
        _("итог проверки"), default=dict, blank=True, help_text=_("Что создаётся и меняется.")
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.STAGED
    )
    progress = models.PositiveIntegerField(
        _("проверено строк"),
        default=0,
        help_text=_("Строки файла, прочитанные и сверенные с реестром."),
    )
    total = models.PositiveIntegerField(_("строк в файле"), default=0)
    created_count = models.PositiveIntegerField(_("создано"), default=0)
    updated_count = models.PositiveIntegerField(_("изменено"), default=0)
    unchanged_count = models.PositiveIntegerField(_("без изменений"), default=0)
    error_count = models.PositiveIntegerField(_("строк с ошибками"), default=0)
    error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("подтверждён"), null=True, blank=True)
    applied_at = models.DateTimeField(_("применён"), null=True, blank=True)

    class Meta:
        verbose_name = _("загрузка реестра")
        verbose_name_plural = _("загрузки реестра")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["region", "-created_at"], name="registry_import_region")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.region}, {self.created_at:%d.%m.%Y})"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.progress / self.total)) if self.total else 0

    @property
    def is_writing(self) -> bool:
        """Every line is checked and the one writing transaction runs: no progress to report."""
        return self.status == self.Status.APPLYING and self.total and self.progress >= self.total

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.APPLIED, self.Status.FAILED)
