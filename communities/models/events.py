"""Events and meetings, attendance, and minutes with their versions and attachments.

Minutes are written from the meeting record: the attendees come from Attendance, so nobody
retypes names. After sign-off a version is read-only; a correction is a new version with a reason
(R-TUL-A4-4.4: questions discussed, decisions, recommendations).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from networks.find import indexes as find_indexes
from networks.find.indexes import RussianTextIndex
from networks.models import Organisation, Structure
from networks.schoolyear import SchoolYear

__all__ = [
    "Attendance",
    "CalendarToken",
    "Event",
    "EventAnnouncement",
    "EventForm",
    "EventFormat",
    "EventQuerySet",
    "Minutes",
    "MinutesAttachment",
    "MinutesItem",
]


class EventForm(models.TextChoices):
    MEETING = "meeting", _("Заседание")
    SEMINAR = "seminar", _("Семинар")
    WEBINAR = "webinar", _("Вебинар")
    ROUND_TABLE = "round_table", _("Круглый стол")
    MASTER_CLASS = "master_class", _("Мастер-класс")
    CONSULTATION = "consultation", _("Консультация")
    DESIGN_SEMINAR = "design_seminar", _("Проектировочный семинар")
    CONFERENCE = "conference", _("Конференция")
    OTHER = "other", _("Иное")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("Очно")
    REMOTE = "remote", _("Дистанционно")
    MIXED = "mixed", _("Смешанный формат")


class EventQuerySet(models.QuerySet):
    def in_year(self, year: SchoolYear):
        start, end = year.moments
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def meetings(self):
        return self.filter(form=EventForm.MEETING)

    def held(self):
        return self.filter(status=Event.Status.HELD)

    def held_in(self, year: SchoolYear):
        """What the orders count as held in a school year (R-TUL-A4-4.3): events that start in
        the year and are marked held — attendance was marked once it took place. A cancelled
        event, a proposal and a past event still marked scheduled were not held. Counted by
        communities.selectors.held_events, the one count the panel, the report and the summary
        show."""
        return self.in_year(year).held()

    def upcoming(self):
        return self.filter(
            status__in=[Event.Status.SCHEDULED, Event.Status.PROPOSED],
            starts_at__gte=timezone.now(),
        )


class Event(models.Model):
    class Status(models.TextChoices):
        # R-DMI-4.1/4.2: a participant school proposes; the centre then sets place and form.
        PROPOSED = "proposed", _("Предложено")
        SCHEDULED = "scheduled", _("Запланировано")
        HELD = "held", _("Проведено")
        CANCELLED = "cancelled", _("Отменено")

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="events", verbose_name=_("структура")
    )
    plan_item = models.ForeignKey(
        "communities.PlanItem",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("пункт плана"),
    )
    title = models.CharField(_("тема"), max_length=500)
    form = models.CharField(_("форма"), max_length=20, choices=EventForm.choices)
    format = models.CharField(_("формат"), max_length=10, choices=EventFormat.choices)
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("окончание"), null=True, blank=True)
    place = models.CharField(_("место"), max_length=500, blank=True)
    link = models.URLField(_("ссылка на подключение"), max_length=500, blank=True)
    description = models.TextField(_("описание"), blank=True)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    proposed_by = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_events",
        verbose_name=_("предложила школа-участница"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # RFC 5545 SEQUENCE of the event's calendar entry: raised on every change people's calendars
    # must follow (time, place, link, title, cancellation), so that a calendar app replaces the
    # entry it holds rather than adding another (communities/calendar.py).
    sequence = models.PositiveIntegerField(_("версия приглашения"), default=0, editable=False)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["structure", "starts_at"]),
            RussianTextIndex(fields_text=find_indexes.EVENT, name="event_title_ru"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()}: {self.title} ({self.starts_at:%d.%m.%Y})"

    @property
    def is_meeting(self) -> bool:
        return self.form == EventForm.MEETING

    @property
    def school_year(self) -> SchoolYear:
        return SchoolYear.of(timezone.localtime(self.starts_at).date())


class Attendance(models.Model):
    """One invited person (or a guest by name), what they answered to the invitation and whether
    they came."""

    class Response(models.TextChoices):
        YES = "yes", _("Приду")
        NO = "no", _("Не приду")
        MAYBE = "maybe", _("Не знаю")

    event = models.ForeignKey(
        Event, models.CASCADE, related_name="attendance", verbose_name=_("мероприятие")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="attendance",
        verbose_name=_("участник"),
    )
    guest_name = models.CharField(_("гость (ФИО)"), max_length=300, blank=True)
    guest_organisation = models.CharField(_("организация гостя"), max_length=300, blank=True)
    invited = models.BooleanField(_("приглашён"), default=True)
    attended = models.BooleanField(_("присутствовал"), null=True, blank=True)
    # The answer to the invitation, from the mail's link or the event page; blank: no answer yet.
    response = models.CharField(
        _("ответ на приглашение"), max_length=5, choices=Response.choices, blank=True
    )
    responded_at = models.DateTimeField(_("ответил"), null=True, blank=True)

    class Meta:
        verbose_name = _("присутствие")
        verbose_name_plural = _("присутствие")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="attendance_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(guest_name=""),
                name="attendance_person_or_guest",
            ),
        ]

    def __str__(self) -> str:
        return self.guest_name or str(self.user)


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Черновик")
        SIGNED = "signed", _("Подписан")

    event = models.ForeignKey(
        Event, models.CASCADE, related_name="minutes", verbose_name=_("мероприятие")
    )
    version = models.PositiveSmallIntegerField(_("версия"), default=1)
    previous = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("исправляет версию"),
    )
    correction_reason = models.TextField(_("причина исправления"), blank=True)
    number = models.CharField(_("номер протокола"), max_length=50)
    date = models.DateField(_("дата"))
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Fixed at signing: a meeting held with 12 attendees stays 12 even if a person later deletes
    # their account.
    attendee_count = models.PositiveIntegerField(_("присутствовало"), null=True, blank=True)
    # Fixed at signing too: who was present as this version records it — {"users": [ids in the
    # list's order], "guests": [[name, organisation], …]}. A correction may change the attendance
    # for the next version; this one keeps its list. Ids, not names: a person who deletes their
    # account is shown as deleted here as everywhere (152-ФЗ).
    attendees = models.JSONField(_("присутствовали"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("подписал"),
    )
    signed_at = models.DateTimeField(_("подписан"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("протокол")
        verbose_name_plural = _("протоколы")
        ordering = ["event", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["event", "version"], name="minutes_unique_version"),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(signed_at__isnull=False, attendee_count__isnull=False),
                name="minutes_signed_with_time_and_count",
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(correction_reason=""),
                name="minutes_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Протокол № {self.number} от {self.date:%d.%m.%Y} (версия {self.version})"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED


class MinutesItem(models.Model):
    """One question discussed, who spoke on it, the decisions and recommendations on it
    (R-TUL-A4-4.4)."""

    minutes = models.ForeignKey(
        Minutes, models.CASCADE, related_name="items", verbose_name=_("протокол")
    )
    position = models.PositiveSmallIntegerField(_("№"), default=1)
    question = models.TextField(_("вопрос"))
    # «ВЫСТУПИЛИ» of the minutes (ГОСТ Р 7.0.97-2016, п. 5.19): who spoke and what they said.
    speakers = models.TextField(_("выступили"), blank=True)
    decision = models.TextField(_("решение"))
    recommendations = models.TextField(_("рекомендации"), blank=True)

    class Meta:
        verbose_name = _("вопрос протокола")
        verbose_name_plural = _("вопросы протокола")
        ordering = ["minutes", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.question[:60]}"


class MinutesAttachment(models.Model):
    """A file attached to minutes; stored outside static/ and served only by a view that checks
    access. A correction's new version points at the same file."""

    minutes = models.ForeignKey(
        Minutes, models.CASCADE, related_name="attachments", verbose_name=_("протокол")
    )
    file = models.FileField(_("файл"), upload_to="minutes/%Y/%m/")
    original_name = models.CharField(_("имя файла"), max_length=255)
    file_kind = models.CharField(_("тип"), max_length=10)
    size = models.PositiveIntegerField(_("размер, байт"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("вложение протокола")
        verbose_name_plural = _("вложения протоколов")

    def __str__(self) -> str:
        return self.original_name


class EventAnnouncement(models.Model):
    """Invitation mails to a long list, written by the worker instead of the page.

    A meeting of a community of thousands would keep the page building mails for a minute; above
    communities.services.event_invitations.INLINE_LIMIT people the page stores this row (with the
    notices) in the event's transaction and queues its sending on commit. The worker writes the
    mails into the outbox in batches, each in its own transaction that locks this row, writes the
    next people of `user_ids` from `sent_through` and moves `sent_through` on (queued → sending →
    sent), so a retried task or a second worker goes on where the other stopped and writes each
    mail once; the beat's sweep picks up a row whose task never reached the broker or whose worker
    died half-way."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("В очереди")
        SENDING = "sending", _("Отправляется")
        SENT = "sent", _("Отправлено")
        SKIPPED = "skipped", _("Не нужно (мероприятие изменилось)")

    event = models.ForeignKey(Event, models.CASCADE, related_name="announcements")
    kind = models.CharField(_("вид"), max_length=10)
    # [[label, old, new], …] of a change mail.
    changes = models.JSONField(_("изменения"), default=list, blank=True)
    user_ids = models.JSONField(_("получатели"), default=list)
    sequence = models.PositiveIntegerField(_("версия приглашения"))
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    # How many entries of `user_ids` are done (a position in the list, not a user pk: the list is
    # fixed when the row is stored, so a position names exactly who is done whatever its order).
    sent_through = models.PositiveIntegerField(_("обработано получателей"), default=0)
    sent_count = models.PositiveIntegerField(_("отправлено писем"), default=0)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)

    class Meta:
        verbose_name = _("рассылка приглашений")
        verbose_name_plural = _("рассылки приглашений")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.kind} ({self.get_status_display()})"


class CalendarToken(models.Model):
    """The secret of a calendar feed: a person's own (`structure` empty) or a structure's, for one
    of its members. The feed is read by calendar apps without signing in, so the token in the
    address is the only key; the person revokes it (the row is deleted: the old address answers
    404) or replaces it on the «Календарь» page. Stored as it is, not hashed: the page shows the
    address again each time, and the token opens nothing but that read-only feed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_tokens"
    )
    structure = models.ForeignKey(
        Structure,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_tokens",
        verbose_name=_("структура"),
    )
    token = models.CharField(_("ключ"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("создан"), default=timezone.now)

    class Meta:
        verbose_name = _("ключ календаря")
        verbose_name_plural = _("ключи календарей")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(structure__isnull=True), name="calendar_token_own"
            ),
            models.UniqueConstraint(
                fields=["user", "structure"],
                condition=Q(structure__isnull=False),
                name="calendar_token_per_structure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.structure or 'личный'}"
