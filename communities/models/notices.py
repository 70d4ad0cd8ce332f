"""What a structure tells its members and what its meetings decide: announcements (issue 17) and
the decisions of the minutes with their owners and due dates, followed up until done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from networks.models import Organisation, Structure

from .events import Event, Minutes, MinutesItem

__all__ = ["Announcement", "Decision", "DecisionMove"]


class Announcement(models.Model):
    """A message of a structure's leaders to its members, or to one sub-community's members."""

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="announcements", verbose_name=_("структура")
    )
    audience = models.ForeignKey(
        Structure,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("подсообщество"),
        help_text=_("Пусто — всем участникам структуры."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("автор"),
    )
    title = models.CharField(_("заголовок"), max_length=200)
    text = models.TextField(_("текст"))
    event = models.ForeignKey(
        Event,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_announcements",
        verbose_name=_("мероприятие"),
    )
    file = models.FileField(_("файл"), upload_to="announcements/%Y/%m/", blank=True)
    # How many people have been told so far; the audience once `sent_at` is set.
    recipient_count = models.PositiveIntegerField(_("получателей"), default=0)
    # The sending's progress (issue 17, «Scale»): the worker tells the audience in batches by user
    # pk, each batch committed with this marker, so a killed worker's successor goes on from here.
    sent_through_user_id = models.PositiveBigIntegerField(
        _("разослано до участника (id)"), default=0
    )
    sent_at = models.DateTimeField(_("разослано"), null=True, blank=True)
    created_at = models.DateTimeField(_("опубликовано"), auto_now_add=True)

    class Meta:
        verbose_name = _("объявление")
        verbose_name_plural = _("объявления")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["structure", "-created_at"], name="announcement_recent")]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """A decision of a meeting with its owner (a member or a school) and due date, followed up
    until its owner (or the head) marks it done. Recorded with the minutes' version that took it."""

    class Status(models.TextChoices):
        OPEN = "open", _("На исполнении")
        DONE = "done", _("Выполнено")

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="decisions", verbose_name=_("структура")
    )
    minutes = models.ForeignKey(
        Minutes, models.CASCADE, related_name="decisions", verbose_name=_("протокол")
    )
    item = models.ForeignKey(
        MinutesItem,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("вопрос протокола"),
    )
    text = models.TextField(_("решение"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("ответственный"),
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("ответственная школа"),
    )
    due_on = models.DateField(_("срок"), null=True, blank=True)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("выполнено"), null=True, blank=True)
    done_note = models.TextField(_("отметка об исполнении"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("отметил"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("решение")
        verbose_name_plural = _("решения")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="decision_owner_open"),
            models.Index(fields=["structure", "status", "due_on"], name="decision_structure"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(done_on__isnull=False),
                name="decision_done_with_date",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class DecisionMove(models.Model):
    """A due date moved, with the reason: the history the annual analysis and the head read."""

    decision = models.ForeignKey(
        Decision, models.CASCADE, related_name="moves", verbose_name=_("решение")
    )
    old_due_on = models.DateField(_("был срок"), null=True, blank=True)
    new_due_on = models.DateField(_("новый срок"))
    reason = models.TextField(_("причина"))
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("перенёс"),
    )
    moved_at = models.DateTimeField(_("перенесено"), auto_now_add=True)

    class Meta:
        verbose_name = _("перенос срока")
        verbose_name_plural = _("переносы сроков")
        ordering = ["moved_at", "pk"]

    def __str__(self) -> str:
        return f"{self.decision}: {self.old_due_on} → {self.new_due_on}"
