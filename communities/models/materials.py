"""Materials (methodological developments, recommendations, presentations), discussions and polls.

In kinds with pre-moderated materials (S8, R-PAV-6.1) a member's material waits until the
administrator admits it; the administrator can remove it. A moderator opens a problem for
discussion (R-PAV-6.2) and members reply. A poll takes one vote per person: the PollVoter row is
claimed under a unique constraint before the choices are saved, so two quick submits count once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from networks.find import indexes as find_indexes
from networks.find.indexes import RussianTextIndex
from networks.models import Structure
from networks.search import fold

__all__ = [
    "Discussion",
    "Material",
    "MaterialQuerySet",
    "Poll",
    "PollOption",
    "PollVote",
    "PollVoter",
    "Post",
]


def material_search_text(*, title: str, subject: str, description: str) -> str:
    """Material.search_text; bulk writers (generate_scale) skip save() and call this too."""
    return fold(" ".join([title, subject, description]))


class MaterialQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Material.Status.PUBLISHED)

    def pending(self):
        return self.filter(status=Material.Status.PENDING)


class Material(models.Model):
    class Kind(models.TextChoices):
        DEVELOPMENT = "development", _("Методическая разработка")
        RECOMMENDATIONS = "recommendations", _("Методические рекомендации")
        PRESENTATION = "presentation", _("Презентация")
        MODEL = "model", _("Модель повышения качества образования")
        EXPERIENCE = "experience", _("Опыт, практика")
        OTHER = "other", _("Иное")

    class Status(models.TextChoices):
        PENDING = "pending", _("Ожидает допуска")
        PUBLISHED = "published", _("Опубликован")
        REMOVED = "removed", _("Удалён")

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="materials", verbose_name=_("структура")
    )
    title = models.CharField(_("название"), max_length=500)
    subject = models.CharField(_("предмет (направление)"), max_length=200, blank=True)
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("описание"), blank=True)
    file = models.FileField(_("файл"), upload_to="materials/%Y/%m/", blank=True)
    original_name = models.CharField(_("имя файла"), max_length=255, blank=True)
    file_kind = models.CharField(_("тип файла"), max_length=10, blank=True)
    link = models.URLField(_("ссылка"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("автор"),
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    admitted_at = models.DateTimeField(_("допущен"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(_("удалён"), null=True, blank=True)
    removal_reason = models.CharField(_("причина удаления"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("добавлен"), auto_now_add=True)
    search_text = models.TextField(editable=False, default="")

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("материал")
        verbose_name_plural = _("материалы")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["structure", "status"]),
            RussianTextIndex(fields_text=find_indexes.MATERIAL, name="material_text_ru"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(link=""),
                name="material_file_or_link",
                violation_error_message=_("Приложите файл или укажите ссылку."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.search_text = material_search_text(
            title=self.title, subject=self.subject, description=self.description
        )
        super().save(*args, **kwargs)


class Discussion(models.Model):
    """A problem set for discussion (R-PAV-6.2)."""

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="discussions", verbose_name=_("структура")
    )
    title = models.CharField(_("тема"), max_length=300)
    body = models.TextField(_("постановка проблемы"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("открыл"),
    )
    created_at = models.DateTimeField(_("открыта"), auto_now_add=True)
    closed_at = models.DateTimeField(_("закрыта"), null=True, blank=True)

    class Meta:
        verbose_name = _("обсуждение")
        verbose_name_plural = _("обсуждения")
        ordering = ["-created_at"]
        indexes = [RussianTextIndex(fields_text=find_indexes.DISCUSSION, name="discussion_text_ru")]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    discussion = models.ForeignKey(
        Discussion, models.CASCADE, related_name="posts", verbose_name=_("обсуждение")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("автор"),
    )
    body = models.TextField(_("сообщение"))
    created_at = models.DateTimeField(_("написано"), auto_now_add=True)
    removed_at = models.DateTimeField(_("скрыто модератором"), null=True, blank=True)

    class Meta:
        verbose_name = _("сообщение")
        verbose_name_plural = _("сообщения")
        ordering = ["discussion", "created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class Poll(models.Model):
    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="polls", verbose_name=_("структура")
    )
    discussion = models.ForeignKey(
        Discussion,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="polls",
        verbose_name=_("обсуждение"),
    )
    question = models.CharField(_("вопрос"), max_length=500)
    multiple = models.BooleanField(_("можно выбрать несколько"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closes_at = models.DateTimeField(_("принимает голоса до"), null=True, blank=True)

    class Meta:
        verbose_name = _("опрос")
        verbose_name_plural = _("опросы")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.question


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(_("вариант"), max_length=300)

    class Meta:
        verbose_name = _("вариант ответа")
        verbose_name_plural = _("варианты ответа")
        ordering = ["poll", "position"]

    def __str__(self) -> str:
        return self.text


class PollVoter(models.Model):
    """The claim that a person has voted: one row per poll and person, taken before the votes."""

    poll = models.ForeignKey(Poll, models.CASCADE, related_name="voters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    voted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="poll_one_vote_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.poll}"


class PollVote(models.Model):
    voter = models.ForeignKey(PollVoter, models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, models.CASCADE, related_name="votes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["voter", "option"], name="poll_vote_once_per_option")
        ]

    def __str__(self) -> str:
        return str(self.option)
