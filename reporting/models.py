"""Deadlines, reminders, notices, annual reports and exports.

Deadline rules are data that coordinators edit; each school year they are instantiated as one
Deadline per structure. A reminder is claimed in `Delivery` under a uniqueness constraint BEFORE it
is sent, so a retry, a restarted worker or two beats running by mistake never send it twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.messages import Delivery as DeliveryChoice
from networks.messages import MessageKind
from networks.models import Programme, Region, Role, Structure, StructureKind
from networks.schoolyear import SchoolYear


class Deliverable(models.TextChoices):
    REPORT = "report", _("Отчёт (анализ работы)")
    PLAN = "plan", _("План работы на учебный год")


class DeadlineRule(models.Model):
    """A deadline the orders set, for every structure of a kind (or of a programme).

    Examples: communities' results by 25 December (001 order p. 2.2), S5's annual analysis by
    15 July (R-TUL-A4-4.6), the first plan by 1 September (000 order p. 2), curators' year-end report
    on pairs (R-TUL-A3-5.4), the internship site's reporting (R-PRI-3.5.2).
    """

    title = models.CharField(_("что сдать"), max_length=300)
    deliverable = models.CharField(_("вид документа"), max_length=20, choices=Deliverable.choices)
    kind = models.ForeignKey(
        StructureKind,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="deadline_rules",
        verbose_name=_("вид структуры"),
    )
    programme = models.ForeignKey(
        Programme,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="deadline_rules",
        verbose_name=_("программа (проект)"),
    )
    region = models.ForeignKey(
        Region,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="deadline_rules",
        verbose_name=_("регион"),
        help_text=_("Пусто — для всех регионов."),
    )
    due_month = models.PositiveSmallIntegerField(_("месяц срока"))
    due_day = models.PositiveSmallIntegerField(_("день срока"))
    deliverer_role = models.CharField(
        _("кто сдаёт"),
        max_length=20,
        choices=Role.choices,
        help_text=_("Роль в структуре: руководитель, председатель, координатор, куратор…"),
    )
    recipient = models.CharField(
        _("кому сдаётся"),
        max_length=300,
        help_text=_("Например: МКУ «ЦНППМ г. Тулы», заместитель директора."),
    )
    mandatory = models.BooleanField(
        _("обязательное напоминание"),
        default=True,
        help_text=_("Обязательные напоминания нельзя отключить в профиле."),
    )
    rule_ref = models.CharField(_("пункт приказа"), max_length=100, blank=True)
    is_active = models.BooleanField(_("действует"), default=True)
    # Issue 16: a region's coordinator sets the region's own deadline instead of a national one
    # (the curators' report «по окончании учебного года», 30 June by default, R-TUL-A3-5.4): the
    # national rule then gives no deadlines to that region's structures.
    replaces = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("вместо общего правила"),
        help_text=_("Общее правило, которое в этом регионе заменяется этим."),
    )

    class Meta:
        verbose_name = _("правило срока отчётности")
        verbose_name_plural = _("правила сроков отчётности")
        ordering = ["due_month", "due_day", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__isnull=False) | Q(programme__isnull=False),
                name="deadline_rule_has_scope",
                violation_error_message=_("Укажите вид структуры или программу."),
            ),
            models.CheckConstraint(
                condition=Q(due_month__gte=1, due_month__lte=12, due_day__gte=1, due_day__lte=31),
                name="deadline_rule_date_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — до {self.due_day:02d}.{self.due_month:02d}"

    @property
    def basis(self) -> str:
        """The rule's basis as people read it: the order's name, date, number and clause
        (reporting.citations), never the code's rule id kept in `rule_ref`."""
        from .citations import cite

        return cite(self.rule_ref)

    def due_date(self, year: SchoolYear) -> dt.date:
        """The date in the given school year: September–December fall in its first calendar
        year, January–August in its second (25.12.2020 and 15.07.2021 for 2020/2021)."""
        calendar_year = year.start if self.due_month >= 9 else year.start + 1
        return dt.date(calendar_year, self.due_month, self.due_day)


class Deadline(models.Model):
    """A rule instantiated for one structure and school year."""

    rule = models.ForeignKey(DeadlineRule, models.CASCADE, related_name="deadlines")
    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="deadlines", verbose_name=_("структура")
    )
    school_year = models.PositiveSmallIntegerField(_("учебный год"))
    due_on = models.DateField(_("срок"))
    delivered_at = models.DateTimeField(_("сдано"), null=True, blank=True)

    class Meta:
        verbose_name = _("срок отчётности")
        verbose_name_plural = _("сроки отчётности")
        ordering = ["due_on"]
        indexes = [models.Index(fields=["due_on", "delivered_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "structure", "school_year"], name="deadline_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule.title}: {self.structure} до {self.due_on:%d.%m.%Y}"

    @property
    def is_late(self) -> bool:
        # The local date: a report handed in at 01:00 Moscow time on the 26th is late.
        return (
            self.delivered_at is not None
            and timezone.localtime(self.delivered_at).date() > self.due_on
        )


class Delivery(models.Model):
    """One reminder to one person: claimed here (unique topic, recipient, step) before it is sent.

    `topic` names what the reminder is about («deadline:17», «plan:4», «minutes:event:9»,
    «pair:12»); `step` when («d14», «d7», «d1», «d0», «overdue-w1», …, or «once»).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Ожидает отправки")
        # Taken by one sender with a conditional UPDATE … WHERE status = 'pending'.
        SENDING = "sending", _("Отправляется")
        SENT = "sent", _("Отправлено")
        FAILED = "failed", _("Не удалось отправить")
        SKIPPED = "skipped", _("Пропущено (устарело)")

    topic = models.CharField(_("о чём"), max_length=100)
    step = models.CharField(_("шаг"), max_length=20)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="deliveries"
    )
    deadline = models.ForeignKey(
        Deadline, models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    subject = models.CharField(_("тема письма"), max_length=300)
    body = models.TextField(_("текст"))
    url = models.CharField(_("ссылка"), max_length=500, blank=True)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    last_error = models.TextField(_("последняя ошибка"), blank=True)
    due_at = models.DateTimeField(_("отправить не раньше"))
    # The recipient's local date of the step, for listings («напоминание от 11.12.2020»).
    local_date = models.DateField(_("дата по времени получателя"))
    kind = models.CharField(
        _("вид"),
        max_length=20,
        default="deadlines",
        help_text=_("Для настроек: сроки, планы, протоколы, пары, запросы."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)

    class Meta:
        verbose_name = _("напоминание")
        verbose_name_plural = _("напоминания")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "recipient", "step"], name="delivery_exactly_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.subject} ({self.step})"


class Notice(models.Model):
    """The same notice in the portal, with an unread count in the top bar."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notices")
    delivery = models.OneToOneField(
        Delivery, models.SET_NULL, null=True, blank=True, related_name="notice"
    )
    title = models.CharField(_("заголовок"), max_length=300)
    body = models.TextField(_("текст"))
    url = models.CharField(_("ссылка"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)

    class Meta:
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class ReminderPreference(models.Model):
    """How a person wants the messages of one kind (issue 17): at once, in the daily or weekly
    digest, or in the portal only; and, for a reminder that is not mandatory, whether to remind
    at all (`enabled`)."""

    Kind = MessageKind
    Delivery = DeliveryChoice

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="reminder_preferences"
    )
    kind = models.CharField(_("напоминания"), max_length=20, choices=Kind.choices)
    enabled = models.BooleanField(_("присылать"), default=True)
    delivery = models.CharField(
        _("как присылать"), max_length=10, choices=DeliveryChoice.choices, default="now"
    )

    class Meta:
        verbose_name = _("настройка напоминаний")
        verbose_name_plural = _("настройки напоминаний")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminder_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()}"


class DigestItem(models.Model):
    """A message waiting for the person's daily or weekly digest (issue 17).

    The digest's sender claims the rows with a conditional UPDATE (claim empty → its token), so a
    beat run twice, or two workers, put each message in one digest only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="digest_items")
    kind = models.CharField(_("вид"), max_length=20, choices=MessageKind.choices)
    delivery = models.CharField(_("сводка"), max_length=10, choices=DeliveryChoice.choices)
    subject = models.CharField(_("тема"), max_length=300)
    text = models.TextField(_("текст"))
    url = models.CharField(_("ссылка"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    claim = models.CharField(max_length=40, blank=True)
    sent_at = models.DateTimeField(_("отправлено в сводке"), null=True, blank=True)

    class Meta:
        verbose_name = _("сообщение для сводки")
        verbose_name_plural = _("сообщения для сводки")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["claim", "user"], name="digest_waiting")]

    def __str__(self) -> str:
        return f"{self.user}: {self.subject}"


class Report(models.Model):
    """A structure's report for a deadline of a school year (results by 25 December, the annual
    analysis by 15 July, the curators' report on pairs…): figures assembled from what was
    recorded, the narrative written by the author; a coordinator accepts or returns it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Черновик")
        SUBMITTED = "submitted", _("Сдан")
        ACCEPTED = "accepted", _("Принят")
        RETURNED = "returned", _("Возвращён на доработку")

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="reports", verbose_name=_("структура")
    )
    school_year = models.PositiveSmallIntegerField(_("учебный год"))
    deadline = models.OneToOneField(
        Deadline,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="report",
        verbose_name=_("срок"),
    )
    title = models.CharField(_("название"), max_length=300)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    analysis = models.TextField(_("анализ работы"), blank=True)
    problems = models.TextField(_("проблемы и трудности"), blank=True)
    plans = models.TextField(_("планы на следующий учебный год"), blank=True)
    # The figures as they were when the report was submitted, so an accepted report never changes.
    figures = models.JSONField(_("показатели"), default=dict, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("сдан"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("решение принято"), null=True, blank=True)
    return_comment = models.TextField(_("что доработать"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("отчёт")
        verbose_name_plural = _("отчёты")
        ordering = ["-school_year", "structure"]
        # Reports waiting for a decision, oldest first (home pages of coordinators and methodists):
        # read in this order and stop at the page's few, instead of sorting every report.
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="report_status_submitted"),
            # The same for a territory: its structures first, then their few handed-in reports,
            # instead of every handed-in report of the country checked for its region (3.4 →
            # 0.6 ms on the national data, issue 19).
            models.Index(
                fields=["structure"],
                condition=models.Q(status="submitted"),
                name="report_submitted_structure",
            ),
        ]
        constraints = [
            # Without a deadline (a structure no rule covers): one report per school year.
            models.UniqueConstraint(
                fields=["structure", "school_year"],
                condition=Q(deadline__isnull=True),
                name="report_once_per_year_without_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_comment=""),
                name="report_return_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.structure}, {SchoolYear(self.school_year).label}"

    @property
    def is_late(self) -> bool:
        if self.deadline is None or self.submitted_at is None:
            return False
        return timezone.localtime(self.submitted_at).date() > self.deadline.due_on


class ExportJob(models.Model):
    """A big export run by a Celery worker; the page polls its progress, then offers the file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("В очереди")
        RUNNING = "running", _("Формируется")
        DONE = "done", _("Готово")
        FAILED = "failed", _("Ошибка")

    exporter = models.CharField(_("выгрузка"), max_length=50)
    file_format = models.CharField(_("формат"), max_length=10)
    params = models.JSONField(_("параметры"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="export_jobs"
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveIntegerField(_("готово"), default=0)
    total = models.PositiveIntegerField(_("всего"), default=0)
    file = models.FileField(_("файл"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("имя файла"), max_length=255, blank=True)
    error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)

    class Meta:
        verbose_name = _("выгрузка")
        verbose_name_plural = _("выгрузки")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.exporter}.{self.file_format} ({self.get_status_display()})"


class StructureFigures(models.Model):
    """The summary's figures of one structure in one school year, kept by the services that change
    them (reporting.counters) in the same transaction as their write, so that a territory's summary
    reads them instead of counting the base tables on every view (issue 19). The deadlines'
    states, which depend on the day, are not kept here. `recount_figures` recomputes every row
    from the base tables (`--check` reports differences)."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="summary_figures"
    )
    school_year = models.PositiveSmallIntegerField()
    members_total = models.PositiveIntegerField(default=0)
    members_shnor = models.PositiveIntegerField(default=0)
    members_sssu = models.PositiveIntegerField(default=0)
    members_leader = models.PositiveIntegerField(default=0)
    members_other = models.PositiveIntegerField(default=0)
    meetings_held = models.PositiveIntegerField(default=0)
    events_held = models.PositiveIntegerField(default=0)
    minutes_signed = models.PositiveIntegerField(default=0)
    questions = models.PositiveIntegerField(default=0)
    recommendations = models.PositiveIntegerField(default=0)
    plan_status = models.CharField(max_length=20, blank=True, default="")
    plan_planned = models.PositiveIntegerField(default=0)
    plan_done = models.PositiveIntegerField(default=0)
    contacts = models.PositiveIntegerField(default=0)
    # The newest contact up to the year's end (contacts are never dated in the future).
    last_contact = models.DateField(null=True, blank=True)
    responses_expected = models.PositiveIntegerField(default=0)
    responses_submitted = models.PositiveIntegerField(default=0)
    periods = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)
    views = models.PositiveIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)
    feedback = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("показатели структуры за учебный год")
        verbose_name_plural = _("показатели структур за учебный год")
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "structure"], name="structure_figures_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.structure_id}: {self.school_year}"
