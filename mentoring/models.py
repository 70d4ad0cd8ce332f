"""Mentoring and monitoring: network pairs of leaders (S4), requests for targeted help, monitoring
questionnaires, tutoring (S6, S8) and the statistics of online groups (S2, S3).

A pair IS a networks.Structure of kind S4 with one mentor and one mentee (R-TUL-A3-1.1) and its
curators; what only pairs have (the contact log, the re-matching flag) lives here and points at
that structure.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Organisation, Region, Structure

# --- The catalogue of managerial deficits and requests ------------------------------------------


class Topic(models.Model):
    """A topic of the catalogue: a deficit a mentee states, a strength a mentor offers, the subject
    of a request for help. Coordinators edit the catalogue."""

    class Area(models.TextChoices):
        QUALITY = "quality", _("Управление качеством образования")
        RESOURCES = "resources", _("Управление ресурсами")
        STAFF = "staff", _("Развитие кадрового потенциала")
        ASSESSMENT = "assessment", _("Подготовка к оценочным процедурам (ОГЭ, ЕГЭ, ВПР, PISA)")
        PARENTS = "parents", _("Работа с родителями")
        CLIMATE = "climate", _("Школьный климат и воспитание")
        OTHER = "other", _("Иное")

    area = models.CharField(_("направление"), max_length=20, choices=Area.choices)
    name = models.CharField(_("тема"), max_length=300, unique=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=100)
    is_active = models.BooleanField(_("используется"), default=True)

    class Meta:
        verbose_name = _("тема каталога дефицитов и запросов")
        verbose_name_plural = _("каталог дефицитов и запросов")
        ordering = ["area", "position", "name"]

    def __str__(self) -> str:
        return self.name


class Competence(models.Model):
    """A person's stated deficit (as a mentee) or strength (as a mentor) on a topic."""

    class Side(models.TextChoices):
        DEFICIT = "deficit", _("Дефицит (запрос)")
        STRENGTH = "strength", _("Сильная сторона")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="competences", verbose_name=_("кто")
    )
    topic = models.ForeignKey(Topic, models.PROTECT, related_name="competences")
    side = models.CharField(_("что"), max_length=10, choices=Side.choices)
    stated_at = models.DateTimeField(_("указано"), default=timezone.now)

    class Meta:
        verbose_name = _("дефицит или сильная сторона")
        verbose_name_plural = _("дефициты и сильные стороны")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic", "side"], name="competence_unique")
        ]
        indexes = [models.Index(fields=["side", "topic"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_side_display()} — {self.topic}"


class MentoringSettings(models.Model):
    """The coordinator's limits for a region: pairs per mentor, when a pair counts as dormant, when
    an open request for help is overdue."""

    region = models.OneToOneField(
        Region, models.CASCADE, related_name="mentoring_settings", verbose_name=_("регион")
    )
    max_pairs_per_mentor = models.PositiveSmallIntegerField(
        _("пар у одного наставника, не более"), default=3
    )
    dormant_after_days = models.PositiveSmallIntegerField(
        _("пара «уснула» без контактов, дней"), default=30
    )
    request_overdue_days = models.PositiveSmallIntegerField(
        _("запрос о помощи просрочен через, дней"), default=14
    )

    class Meta:
        verbose_name = _("настройки наставничества")
        verbose_name_plural = _("настройки наставничества")

    def __str__(self) -> str:
        return str(self.region)


# --- Network pairs (S4) ---------------------------------------------------------------------------


class PairState(models.Model):
    """What only a pair has beside its Structure: the flag for re-matching."""

    pair = models.OneToOneField(
        Structure, models.CASCADE, related_name="pair_state", verbose_name=_("сетевая пара")
    )
    needs_rematch = models.BooleanField(_("нужен новый наставник"), default=False)
    rematch_reason = models.CharField(_("почему"), max_length=500, blank=True)
    flagged_at = models.DateTimeField(_("отмечено"), null=True, blank=True)

    class Meta:
        verbose_name = _("состояние пары")
        verbose_name_plural = _("состояния пар")

    def __str__(self) -> str:
        return str(self.pair)


class ContactForm(models.TextChoices):
    """R-TUL-A3-4.1: the forms of a pair's work."""

    MENTORING = "mentoring", _("Наставничество")
    CONSULTING = "consulting", _("Консультирование")
    BRAINSTORMING = "brainstorming", _("«Мозговой штурм»")
    OTHER = "other", _("Иное")


class Channel(models.TextChoices):
    PHONE = "phone", _("Телефон")
    EMAIL = "email", _("Электронная почта")
    MESSENGER = "messenger", _("Мессенджер")
    COMMUNITY = "community", _("Сетевое сообщество")
    IN_PERSON = "in_person", _("Лично")


class Contact(models.Model):
    """One contact of a pair, or one tutoring session: the same log serves both."""

    pair = models.ForeignKey(
        Structure,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="pair_contacts",
        verbose_name=_("сетевая пара"),
    )
    tutoring = models.ForeignKey(
        "TutorAssignment",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("тьюторское сопровождение"),
    )
    date = models.DateField(_("дата"))
    form = models.CharField(_("форма"), max_length=20, choices=ContactForm.choices)
    channel = models.CharField(_("канал"), max_length=20, choices=Channel.choices)
    topic = models.CharField(_("тема"), max_length=500)
    outcome = models.TextField(_("результат"), blank=True)
    next_step = models.CharField(_("следующий шаг"), max_length=500, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("записал"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("контакт")
        verbose_name_plural = _("контакты пар и тьюторские занятия")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["pair", "date"]), models.Index(fields=["tutoring", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(pair__isnull=False, tutoring__isnull=True)
                | Q(pair__isnull=True, tutoring__isnull=False),
                name="contact_of_a_pair_or_a_tutoring",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_form_display()}: {self.topic}"


# --- Requests for targeted help (адресная помощь) ---------------------------------------------------


class HelpRequest(models.Model):
    """R-TUL-A1-2.2.2 (individual needs), R-TUL-A4-4.2.3 (targeted consultations on request)."""

    class Status(models.TextChoices):
        NEW = "new", _("Новый")
        ROUTED = "routed", _("Передан консультанту")
        ANSWERED = "answered", _("Дан ответ")
        CONSULTED = "consulted", _("Проведена консультация")
        CLOSED = "closed", _("Закрыт")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="help_requests",
        verbose_name=_("кто просит"),
    )
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="help_requests", verbose_name=_("организация")
    )
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("регион"))
    topic = models.ForeignKey(
        Topic, models.PROTECT, related_name="help_requests", verbose_name=_("тема")
    )
    description = models.TextField(_("в чём нужна помощь"))
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("консультант"),
    )
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    routed_at = models.DateTimeField(_("передан"), null=True, blank=True)
    answer = models.TextField(_("ответ или итог консультации"), blank=True)
    answered_at = models.DateTimeField(_("отвечено"), null=True, blank=True)
    helped = models.BooleanField(_("помогло"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("подтверждено"), null=True, blank=True)
    created_at = models.DateTimeField(_("подан"), default=timezone.now)

    class Meta:
        verbose_name = _("запрос адресной помощи")
        verbose_name_plural = _("запросы адресной помощи")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["region", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.topic} — {self.requester}"


# --- Monitoring questionnaires --------------------------------------------------------------------


class Questionnaire(models.Model):
    title = models.CharField(_("название"), max_length=300)
    description = models.TextField(_("пояснение для отвечающих"), blank=True)
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("регион"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("анкета")
        verbose_name_plural = _("анкеты")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Шкала 1–5")
        SINGLE = "single", _("Один вариант")
        MULTIPLE = "multiple", _("Несколько вариантов")
        TEXT = "text", _("Свободный ответ")

    questionnaire = models.ForeignKey(Questionnaire, models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("№"), default=1)
    text = models.CharField(_("вопрос"), max_length=500)
    kind = models.CharField(_("тип"), max_length=10, choices=Kind.choices)
    options = models.JSONField(_("варианты"), default=list, blank=True)
    required = models.BooleanField(_("обязательный"), default=True)
    # Scale questions about a catalogue topic compare a mentee's start and end of the year.
    topic = models.ForeignKey(
        Topic, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("тема")
    )
    # An answer listed here (e.g. «не подходит») raises the pair for re-matching.
    rematch_answers = models.JSONField(
        _("ответы, требующие нового наставника"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("вопрос анкеты")
        verbose_name_plural = _("вопросы анкеты")
        ordering = ["questionnaire", "position"]

    def __str__(self) -> str:
        return self.text


class Round(models.Model):
    """A checkpoint at which a questionnaire goes out (for example December and May)."""

    class Audience(models.TextChoices):
        PAIRS = "pairs", _("Обе стороны каждой сетевой пары")
        MEMBERS = "members", _("Участники структуры")

    questionnaire = models.ForeignKey(Questionnaire, models.PROTECT, related_name="rounds")
    title = models.CharField(_("название этапа"), max_length=200)
    audience = models.CharField(_("кому"), max_length=10, choices=Audience.choices)
    structure = models.ForeignKey(
        Structure,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaire_rounds",
        verbose_name=_("структура"),
        help_text=_("Для анкеты участникам структуры."),
    )
    school_year = models.PositiveSmallIntegerField(_("учебный год"))
    opens_on = models.DateField(_("открыт с"))
    closes_on = models.DateField(_("до"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("этап анкетирования")
        verbose_name_plural = _("этапы анкетирования")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="round_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=~Q(audience="members") | Q(structure__isnull=False),
                name="round_members_need_structure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire}: {self.title}"


class Response(models.Model):
    """One person's answers in a round (for a pair: one side of it). Unique per round, person and
    pair, so a questionnaire cannot be answered twice, even by two quick submits."""

    class Side(models.TextChoices):
        MENTOR = "mentor", _("Наставник")
        MENTEE = "mentee", _("Наставляемый")
        MEMBER = "member", _("Участник")

    round = models.ForeignKey(Round, models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="questionnaire_responses"
    )
    pair = models.ForeignKey(
        Structure, models.CASCADE, null=True, blank=True, related_name="questionnaire_responses"
    )
    side = models.CharField(_("сторона"), max_length=10, choices=Side.choices)
    answers = models.JSONField(_("ответы"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("отправлено"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ответ на анкету")
        verbose_name_plural = _("ответы на анкеты")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent", "pair"], name="response_once_per_round_and_pair"
            ),
            models.UniqueConstraint(
                fields=["round", "respondent"],
                condition=Q(pair__isnull=True),
                name="response_once_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} — {self.round}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


# --- Tutoring (S6, S8) ------------------------------------------------------------------------------


class TutorAssignment(models.Model):
    """A tutor of a leader school or of the internship site assigned to a teacher of a ШНОР by
    subject (R-PRI-5.3, R-PAV-1.9). Sessions are logged in Contact like a pair's contacts."""

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="tutor_assignments", verbose_name=_("структура")
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="tutees", verbose_name=_("тьютор")
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="tutors",
        verbose_name=_("педагог ШНОР"),
    )
    subject = models.CharField(_("предмет"), max_length=200)
    since = models.DateField(_("с"), default=timezone.localdate)
    until = models.DateField(_("по"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("тьюторское сопровождение")
        verbose_name_plural = _("тьюторское сопровождение")
        ordering = ["structure", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "tutor", "teacher", "subject"],
                condition=Q(until__isnull=True),
                name="tutoring_unique_current",
            ),
            models.CheckConstraint(condition=~Q(tutor=F("teacher")), name="tutoring_not_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.tutor} → {self.teacher} ({self.subject})"


# --- Online-group statistics (S2, S3) -------------------------------------------------------------


class GroupStatistics(models.Model):
    """R-TUL-A1-5.3, R-TUL-A2-3.1.4: visitors, views, active actions and feedback for a period."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Введено вручную")
        IMPORT = "import", _("Загружено из файла")

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="group_statistics", verbose_name=_("группа")
    )
    period_start = models.DateField(_("период: с"))
    period_end = models.DateField(_("период: по"))
    visitors = models.PositiveIntegerField(_("посетители"))
    views = models.PositiveIntegerField(_("просмотры"))
    actions = models.PositiveIntegerField(_("активные действия"))
    feedback = models.PositiveIntegerField(_("обратная связь (отзывы, комментарии)"))
    source = models.CharField(_("источник"), max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", blank=True
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("статистика группы за период")
        verbose_name_plural = _("статистика онлайн-групп")
        ordering = ["structure", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "period_start", "period_end"], name="statistics_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="statistics_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.structure}: {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"


class StatisticsImport(models.Model):
    """An uploaded statistics export of a group between the upload and the confirmation (issue
    15): the file is read by the worker, not in the web request, and its good and bad lines wait
    here for the person who uploaded it. Short-lived: the sweep removes it after a day, and fails
    one left «Читается» by a killed worker (mentoring.tasks)."""

    class Status(models.TextChoices):
        READING = "reading", _("Читается")
        STAGED = "staged", _("Ждёт подтверждения")
        APPLIED = "applied", _("Сохранён")
        FAILED = "failed", _("Не прочитан")

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="statistics_imports", verbose_name=_("группа")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("загрузил")
    )
    # In the address of the preview: an import is found by it, its group and its person.
    token = models.CharField(_("ключ"), max_length=43, unique=True)
    filename = models.CharField(_("имя файла"), max_length=255)
    # The file as uploaded (at most mentoring.statistics_import.MAX_BYTES), emptied once read.
    data = models.BinaryField(_("файл"), blank=True, default=b"")
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.READING
    )
    # [[line, start, end, visitors, views, actions, feedback], …] and [[line, reason], …]
    rows = models.JSONField(_("строки"), default=list, blank=True)
    errors = models.JSONField(_("строки с ошибками"), default=list, blank=True)
    error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField(_("загружен"), default=timezone.now)

    class Meta:
        verbose_name = _("загрузка статистики группы")
        verbose_name_plural = _("загрузки статистики групп")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="statistics_import_sweep")]

    def __str__(self) -> str:
        return f"{self.structure}: {self.filename}"
