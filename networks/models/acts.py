"""What orders do to a structure over its life, the people an order names who have no account yet,
and an order document between its upload and its confirmation (networks.orderimport)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .orders import Order
from .structures import Role, Structure
from .territory import Municipality, Organisation, Region


class StructureAct(models.Model):
    """One entry of a structure's timeline: the order (or agreement) and what it changed, from the
    date it applies. Edits without an order are recorded too, with who made them.

    An order dated later than the day it is recorded is *pending* (`applied_at` empty): the
    structure is unchanged until its day, when networks.tasks.apply_due_structure_acts applies it
    (networks.manage.services.structure_acts_apply_due). Before that the coordinator may withdraw
    it (`withdrawn_at`); a change that can no longer be made on its day is not applied and says
    why (`not_applied`)."""

    class Kind(models.TextChoices):
        FOUNDED = "founded", _("Создание")
        AMENDED = "amended", _("Изменение")
        CLOSED = "closed", _("Прекращение деятельности")
        WORKING_GROUP = "working_group", _("Утверждение рабочей группы")
        AGREEMENT = "agreement", _("Соглашение о сотрудничестве")
        EDITED = "edited", _("Исправление сведений")

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="acts", verbose_name=_("структура")
    )
    kind = models.CharField(_("что сделано"), max_length=20, choices=Kind.choices)
    order = models.ForeignKey(
        Order,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="acts",
        verbose_name=_("приказ (соглашение)"),
    )
    applies_on = models.DateField(_("действует с"))
    changes = models.JSONField(
        _("изменения"),
        default=list,
        blank=True,
        help_text=_("Список {field, label, old, new}: что было и что стало."),
    )
    note = models.TextField(_("примечание"), blank=True)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("стороны соглашения")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("внёс"),
    )
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)
    # Every act but a pending one is applied when it is recorded, hence the default; the services
    # create pending acts with applied_at=None explicitly.
    applied_at = models.DateTimeField(_("применено"), null=True, blank=True, default=timezone.now)
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("отозвал"),
    )
    not_applied = models.TextField(_("почему не применено"), blank=True)

    class Meta:
        verbose_name = _("запись о приказе")
        verbose_name_plural = _("приказы структуры")
        ordering = ["applies_on", "pk"]
        indexes = [
            models.Index(fields=["structure", "applies_on"], name="structure_act_when"),
            # The daily task's question: the acts not applied yet whose day has come.
            models.Index(
                fields=["applies_on"],
                condition=models.Q(applied_at__isnull=True),
                name="structure_act_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.structure} ({self.applies_on:%d.%m.%Y})"

    @property
    def is_pending(self) -> bool:
        """Recorded, waiting for its day: not applied, not withdrawn, not refused on its day."""
        return self.applied_at is None and self.withdrawn_at is None and not self.not_applied


class StructureContact(models.Model):
    """A person an order names in a structure's role who has no account (orders give phones, not
    e-mails): shown on the structure page; linked to the account once the person joins."""

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="contacts", verbose_name=_("структура")
    )
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices)
    full_name = models.CharField(_("ФИО"), max_length=300)
    position = models.CharField(_("должность и организация"), max_length=500, blank=True)
    phone = models.CharField(_("телефон"), max_length=100, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("учётная запись"),
    )
    order = models.ForeignKey(
        Order,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("назначен приказом"),
    )
    until = models.DateField(_("по"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("названный в приказе")
        verbose_name_plural = _("названные в приказах")
        ordering = ["structure", "role", "full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.get_role_display()} ({self.structure})"


class OrderImport(models.Model):
    """One upload of an order document: read in the worker, proposed as structures, members and
    roles, saved only when the coordinator confirms. The same file (by its SHA-256) changes
    nothing the second time."""

    class Status(models.TextChoices):
        READING = "reading", _("Читается")
        STAGED = "staged", _("Ждёт подтверждения")
        APPLYING = "applying", _("Сохраняется")
        APPLIED = "applied", _("Сохранён")
        FAILED = "failed", _("Не прочитан или не сохранён из-за ошибки")

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("регион"))
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("муниципальное образование"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_imports",
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
    file = models.FileField(_("файл"), upload_to="order-imports/%Y/%m/")
    filename = models.CharField(_("имя файла"), max_length=255)
    sha256 = models.CharField(_("контрольная сумма"), max_length=64, db_index=True)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.READING
    )
    proposal = models.JSONField(
        _("что предлагается"),
        default=dict,
        blank=True,
        help_text=_("Реквизиты приказа, структуры, люди и роли, сомнительные ячейки."),
    )
    decisions = models.JSONField(
        _("решения координатора"),
        default=dict,
        blank=True,
        help_text=_("Адреса для приглашений, исправления, выбранные строки."),
    )
    result = models.JSONField(_("итог"), default=dict, blank=True)
    order = models.ForeignKey(
        Order,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("приказ"),
    )
    progress = models.PositiveIntegerField(_("прочитано"), default=0)
    total = models.PositiveIntegerField(_("всего"), default=0)
    error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("подтверждён"), null=True, blank=True)
    applied_at = models.DateTimeField(_("сохранён"), null=True, blank=True)

    class Meta:
        verbose_name = _("загрузка приказа")
        verbose_name_plural = _("загрузки приказов")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["region", "-created_at"], name="order_import_region")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.region}, {self.created_at:%d.%m.%Y})"
