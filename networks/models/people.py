"""People: the custom user (sign-in by e-mail) and their standing in a territory."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..find import indexes as find_indexes
from ..find.indexes import RussianTextIndex
from .territory import Municipality, Organisation, Region

# --- People --------------------------------------------------------------------------------------


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class Post(models.TextChoices):
    """What the person's position is, beside its exact wording: the orders give some structures to
    the heads and deputies of schools only (R-TUL-A3-1.1)."""

    HEAD = "head", _("Руководитель организации")
    DEPUTY = "deputy", _("Заместитель руководителя")
    TEACHER = "teacher", _("Педагогический работник")
    OTHER = "other", _("Другое (методист, специалист, сотрудник органа управления)")

    @classmethod
    def of_position(cls, position: str) -> str:
        """The category a position's wording says, or "" when it says none: for people who
        registered before the category was asked, and for data loaded in bulk."""
        words = position.casefold().replace("ё", "е")
        if not words.strip():
            return ""
        if any(w in words for w in ("замест", "зам.", "завуч")):
            return cls.DEPUTY
        # "Руководитель методического объединения" leads teachers, not the organisation.
        leads_group = any(w in words for w in ("объединени", "шмо", "кружк", "секци", "клуб"))
        if "директор" in words or (
            words.lstrip().startswith(("руководител", "заведующ", "и.о. руководител"))
            and not leads_group
        ):
            return cls.HEAD
        if any(w in words for w in ("учител", "педагог", "воспитател", "преподавател", "руковод")):
            return cls.TEACHER
        return cls.OTHER


LEADING_POSTS = (Post.HEAD, Post.DEPUTY)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in by e-mail; the name is kept as the orders write it: surname first."""

    Post = Post

    email = models.EmailField(_("электронная почта"), unique=True)
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    patronymic = models.CharField(_("отчество"), max_length=100, blank=True)
    position = models.CharField(_("должность"), max_length=200, blank=True)
    post = models.CharField(
        _("категория должности"), max_length=10, choices=Post.choices, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("организация"),
    )
    phone = models.CharField(_("телефон"), max_length=40, blank=True)
    # The language of the person's mails (issue 17): the portal's pages stay Russian.
    language = models.CharField(
        _("язык писем"),
        max_length=5,
        choices=[("ru", _("Русский")), ("en", _("English"))],
        default="ru",
    )
    # The version for the visually impaired (issue 20), as networks.account.vision stores it:
    # empty for the ordinary version.
    vision = models.CharField(_("версия для слабовидящих"), max_length=100, blank=True)
    # 152-ФЗ: which text of the consent the person accepted, and when.
    pd_consent_version = models.CharField(
        _("версия согласия на обработку персональных данных"), max_length=40, blank=True
    )
    pd_consent_at = models.DateTimeField(
        _("согласие на обработку персональных данных дано"), null=True, blank=True
    )
    # Separate and optional: may other members see the name and position? Without it, members of a
    # structure see each other as «участник» with the organisation only.
    show_name_consent_at = models.DateTimeField(
        _("согласие показывать ФИО и должность участникам"), null=True, blank=True
    )
    # Separate again (152-ФЗ, ст. 10.1): may the public pages, read by anyone without signing in,
    # name the person as a structure's contact? The consent above does not cover the open web.
    public_name_consent_at = models.DateTimeField(
        _("согласие показывать ФИО и должность на открытых страницах"), null=True, blank=True
    )
    anonymised_at = models.DateTimeField(
        _("персональные данные удалены"),
        null=True,
        blank=True,
        help_text=_("Учётная запись удалена по просьбе человека; участие сохранено для отчётов."),
    )
    is_staff = models.BooleanField(_("доступ к администрированию"), default=False)
    is_active = models.BooleanField(_("активен"), default=True)
    date_joined = models.DateTimeField(_("зарегистрирован"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["last_name", "first_name"]

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        ordering = ["last_name", "first_name", "patronymic"]
        indexes = [
            RussianTextIndex(fields_text=find_indexes.PERSON, name="user_name_ru"),
            # Mentor matching (mentoring.selectors.pairs.rank_mentors) reads the active heads and
            # deputies of a region's organisations: a third of all people (issue 19).
            models.Index(
                fields=["organisation"],
                condition=Q(post__in=LEADING_POSTS, is_active=True, anonymised_at__isnull=True),
                name="user_leading_by_organisation",
            ),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def shows_name(self) -> bool:
        return self.show_name_consent_at is not None and self.anonymised_at is None

    @property
    def shows_name_publicly(self) -> bool:
        """On the pages anyone reads without signing in (152-ФЗ, ст. 10.1)."""
        return self.public_name_consent_at is not None and self.anonymised_at is None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        """«Разаренова А.В.», as the orders list people."""
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip()

    @property
    def leads(self) -> bool:
        """A head or deputy head of their organisation (R-TUL-A3-1.1)."""
        return self.post in LEADING_POSTS

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.short_name

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class TerritoryRole(models.Model):
    """A person's standing in a territory: a coordinator runs it, a methodist reads all of it."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Координатор")
        METHODIST = "methodist", _("Методист")

    user = models.ForeignKey(
        User, models.CASCADE, related_name="territory_roles", verbose_name=_("пользователь")
    )
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, models.PROTECT, verbose_name=_("регион"))
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("муниципальное образование"),
        help_text=_("Пусто — весь регион."),
    )

    class Meta:
        verbose_name = _("роль в территории")
        verbose_name_plural = _("роли в территориях")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "municipality"], name="territory_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.municipality or self.region}"

    def clean(self) -> None:
        if (
            self.municipality_id
            and self.region_id
            and self.municipality.region_id != self.region_id
        ):
            raise ValidationError(
                {"municipality": _("Муниципальное образование относится к другому региону.")}
            )
