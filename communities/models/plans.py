"""The plan of a structure for a school year (план работы / план совместной деятельности).

Draft → submitted → agreed → approved, or returned with a comment. Who writes, agrees and approves
comes from the kinds table (StructureKind.plan_*_roles): S5's plan is approved by the centre
(R-TUL-A4-4.5), S6's agreed with the methodical department (R-PRI-3.4), S7's agreed with every
participant school and approved by the host's director (R-DMI-1.8, 3.3). Each step is a row of
PlanStep (who, when, comment). An approved plan is read-only; a new version starts from a copy.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from networks.models import Structure
from networks.schoolyear import SchoolYear

from .events import Event, EventForm, Minutes

__all__ = ["Plan", "PlanItem", "PlanItemQuerySet", "PlanQuerySet", "PlanStep"]


class PlanQuerySet(models.QuerySet):
    def latest_versions(self):
        """The current version of each (structure, school year): older ones are history."""
        newer = Plan.objects.filter(
            structure=models.OuterRef("structure"),
            school_year=models.OuterRef("school_year"),
            version__gt=models.OuterRef("version"),
        )
        return self.filter(~models.Exists(newer))


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Черновик")
        SUBMITTED = "submitted", _("На согласовании")
        AGREED = "agreed", _("Согласован")
        APPROVED = "approved", _("Утверждён")
        RETURNED = "returned", _("Возвращён на доработку")

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="plans", verbose_name=_("структура")
    )
    school_year = models.PositiveSmallIntegerField(_("учебный год"))
    version = models.PositiveSmallIntegerField(_("версия"), default=1)
    previous = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("предыдущая версия"),
    )
    title = models.CharField(_("название"), max_length=300, blank=True)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("план работы")
        verbose_name_plural = _("планы работы")
        ordering = ["structure", "-school_year", "-version"]
        indexes = [
            # Plans waiting for a coordinator's decision (home pages): the few of them, not a
            # scan of every plan of the country (issue 19).
            models.Index(
                fields=["structure"],
                condition=models.Q(status__in=["submitted", "agreed"]),
                name="plan_awaiting_structure",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "school_year", "version"], name="plan_unique_version"
            )
        ]

    def __str__(self) -> str:
        return self.title or f"План работы на {SchoolYear(self.school_year).label} учебный год"

    @property
    def school_year_label(self) -> str:
        return SchoolYear(self.school_year).label

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class PlanItemQuerySet(models.QuerySet):
    def with_held(self, as_of=None):
        """Annotates `held_with_minutes`: an event held for the item has signed minutes — the
        item is done whether or not someone ticked it (PlanItem.is_done). With `as_of`, only
        events begun and minutes signed before that moment (a report frozen at submission)."""
        signed = Minutes.objects.filter(event=models.OuterRef("pk"), status=Minutes.Status.SIGNED)
        events = Event.objects.filter(plan_item=models.OuterRef("pk"), status=Event.Status.HELD)
        if as_of is not None:
            signed = signed.filter(signed_at__lt=as_of)
            events = events.filter(starts_at__lt=as_of)
        return self.annotate(held_with_minutes=models.Exists(events.filter(models.Exists(signed))))


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="items", verbose_name=_("план"))
    position = models.PositiveSmallIntegerField(_("№"), default=1)
    title = models.CharField(_("мероприятие"), max_length=500)
    form = models.CharField(_("форма"), max_length=20, choices=EventForm.choices)
    month = models.PositiveSmallIntegerField(
        _("месяц"), null=True, blank=True, help_text=_("Номер месяца, если точной даты нет.")
    )
    date = models.DateField(_("дата"), null=True, blank=True)
    responsible = models.CharField(_("ответственный"), max_length=300)
    audience = models.CharField(_("участники (целевая аудитория)"), max_length=300, blank=True)
    expected_result = models.TextField(_("ожидаемый результат"), blank=True)
    done = models.BooleanField(_("выполнено"), default=False)
    done_note = models.CharField(_("отметка о выполнении"), max_length=500, blank=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("пункт плана")
        verbose_name_plural = _("пункты плана")
        ordering = ["plan", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="plan_item_month_1_12",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=False) | Q(date__isnull=False),
                name="plan_item_month_or_date",
                violation_error_message=_("Укажите месяц или дату."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def is_done(self) -> bool:
        """Ticked as done, or its event was held and minuted (read with
        PlanItemQuerySet.with_held; without the annotation only the tick counts)."""
        return self.done or bool(getattr(self, "held_with_minutes", False))


class PlanStep(models.Model):
    """One step of the plan's way: who submitted, agreed, approved or returned it, and when."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Представлен на согласование")
        AGREE = "agree", _("Согласован")
        APPROVE = "approve", _("Утверждён")
        RETURN = "return", _("Возвращён на доработку")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="steps", verbose_name=_("план"))
    action = models.CharField(_("действие"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("кто"),
    )
    at = models.DateTimeField(_("когда"), default=timezone.now)
    comment = models.TextField(_("комментарий"), blank=True)

    class Meta:
        verbose_name = _("шаг согласования плана")
        verbose_name_plural = _("шаги согласования планов")
        ordering = ["plan", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="return") | ~Q(comment=""),
                name="plan_return_has_comment",
                violation_error_message=_("Напишите, что доработать."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%d.%m.%Y}"
