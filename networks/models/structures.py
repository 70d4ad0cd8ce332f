"""THE network structure: one model for all kinds S1–S8, the kinds table, memberships."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..find import indexes as find_indexes
from ..find.indexes import RussianTextIndex
from ..schoolyear import SchoolYear
from ..search import structure_search_text
from .orders import Order, Programme
from .people import User
from .territory import Municipality, Organisation, Region, SchoolStatus

# --- The structure -------------------------------------------------------------------------------


class Role(models.TextChoices):
    """Roles a person can hold in a structure; each kind allows a subset (StructureKind)."""

    COORDINATOR = "coordinator", _("Координатор")
    CURATOR = "curator", _("Куратор")
    CHAIR = "chair", _("Председатель")
    HEAD = "head", _("Руководитель")
    ADMINISTRATOR = "administrator", _("Администратор")
    MODERATOR = "moderator", _("Модератор")
    TUTOR = "tutor", _("Тьютор")
    MENTOR = "mentor", _("Наставник")
    MENTEE = "mentee", _("Наставляемый")
    WORKING_GROUP = "working_group", _("Член рабочей группы")
    MEMBER = "member", _("Участник")


# Chair and head both lead a structure; a structure has at most one of them at a time.
LEAD_ROLES = (Role.CHAIR, Role.HEAD)
PAIR_ROLES = (Role.MENTOR, Role.MENTEE)


class StructureKind(models.Model):
    """The table of kind rules (S1–S8). A new kind is a new row, not a new model."""

    code = models.CharField(_("код"), max_length=8, unique=True)
    name = models.CharField(_("название"), max_length=200)
    name_plural = models.CharField(_("название во множественном числе"), max_length=200)
    description = models.TextField(_("описание"), blank=True)
    allowed_roles = models.JSONField(_("допустимые роли"), default=list)
    open_membership = models.BooleanField(
        _("открытое вступление"),
        default=False,
        help_text=_("Человек сам подаёт заявку; иначе участников добавляет координатор."),
    )
    requires_term_and_topic = models.BooleanField(_("нужны срок и тема"), default=False)
    is_pair = models.BooleanField(
        _("пара"), default=False, help_text=_("Ровно один наставник и один наставляемый.")
    )
    leader_roles = models.JSONField(
        _("роли только для руководителей и заместителей"),
        default=list,
        blank=True,
        help_text=_(
            "Человек в такой роли — руководитель или заместитель руководителя своей организации "
            "(категория должности в профиле); проверяется, когда он получает роль."
        ),
    )
    head_elected = models.BooleanField(
        _("руководитель избирается"),
        default=False,
        help_text=_("Руководителя избирают из участников, и в составе отмечается дата избрания."),
    )
    consultative = models.BooleanField(
        _("консультационный совет"),
        default=False,
        help_text=_("Члены такой структуры первыми предлагаются в консультанты по запросам ШНОР."),
    )
    min_meetings_per_year = models.PositiveSmallIntegerField(
        _("минимум заседаний в учебный год"), null=True, blank=True
    )
    allows_subcommunities = models.BooleanField(_("есть подсообщества"), default=False)
    has_online_platform = models.BooleanField(
        _("работает на онлайн-площадке"),
        default=False,
        help_text=_("Ссылка на группу, категория участников, статистика посещений."),
    )
    needs_agreement = models.BooleanField(
        _("работает по соглашению о сотрудничестве"),
        default=False,
        help_text=_("При создании указываются соглашение (номер, дата, файл) и школы-участницы."),
    )
    working_group_by_order = models.BooleanField(
        _("рабочая группа утверждается приказом"),
        default=False,
        help_text=_("При создании можно указать приказ об утверждении рабочей группы."),
    )
    rule_refs = models.CharField(
        _("пункты положений"),
        max_length=300,
        blank=True,
        help_text=_(
            "Для операторов портала: какие пункты положений описывает вид (идентификаторы "
            "правил из docs/DOMAIN.md); людям на страницах показывается ссылка на приказ."
        ),
    )
    # The year of a structure (plans, events, materials). Roles are the structure's own roles; the
    # territory's coordinator may always act as the approving centre.
    plan_author_roles = models.JSONField(
        _("кто составляет план"), default=list, blank=True, help_text=_('Роли, например ["head"].')
    )
    plan_agree_roles = models.JSONField(
        _("кто согласует план"),
        default=list,
        blank=True,
        help_text=_("Пусто — шага согласования нет."),
    )
    plan_agree_all = models.BooleanField(
        _("согласуют все"),
        default=False,
        help_text=_("План согласован, когда согласовали все участники с этими ролями."),
    )
    plan_approve_roles = models.JSONField(
        _("кто утверждает план"),
        default=list,
        blank=True,
        help_text=_("Кроме них утвердить может координатор территории."),
    )
    event_propose_roles = models.JSONField(
        _("кто предлагает мероприятия"),
        default=list,
        blank=True,
        help_text=_("Их мероприятия ждут, пока руководство определит место и форму."),
    )
    default_event_format = models.CharField(
        _("формат мероприятий по умолчанию"),
        max_length=10,
        choices=[("in_person", _("очно")), ("remote", _("дистанционно")), ("mixed", _("смешанно"))],
        default="in_person",
    )
    materials_premoderated = models.BooleanField(
        _("материалы участников ждут допуска"),
        default=False,
        help_text=_("Администратор допускает и удаляет материалы."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("вид структуры")
        verbose_name_plural = _("виды структур")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def allows_role(self, role: str) -> bool:
        return role in self.allowed_roles

    @property
    def allowed_role_choices(self) -> list[tuple[str, str]]:
        return [(value, label) for value, label in Role.choices if value in self.allowed_roles]

    def clean(self) -> None:
        unknown = set(self.allowed_roles or []) - set(Role.values)
        if unknown:
            raise ValidationError(
                {"allowed_roles": _("Неизвестные роли: %(r)s") % {"r": ", ".join(sorted(unknown))}}
            )


class ClosingReason(models.TextChoices):
    TERM_ENDED = "term_ended", _("Истёк срок")
    PROGRAMME_DONE = "programme_done", _("Программа выполнена досрочно")
    UNFORESEEN = "unforeseen", _("Непредвиденные обстоятельства")
    REORGANISED = "reorganised", _("Реорганизация")
    OTHER = "other", _("Иное решение органа управления образованием")


class StructureQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)

    def active_in(self, year: SchoolYear):
        """Structures that worked at some point of the school year."""
        started = Q(term_start__lte=year.last_day) | Q(
            term_start__isnull=True, established_on__lte=year.last_day
        )
        not_ended = (Q(closed_on__isnull=True) | Q(closed_on__gte=year.first_day)) & (
            Q(term_end__isnull=True) | Q(term_end__gte=year.first_day)
        )
        return self.filter(started & not_ended)

    def for_list(self):
        # The member count is a correlated subquery, not COUNT over a join with GROUP BY: with
        # ORDER BY … LIMIT, PostgreSQL computes it for the rows shown only, and the paginator's
        # COUNT(*) leaves it out; the GROUP BY counted the members of every matching structure
        # first (docs/PERFORMANCE.md).
        current = (
            Membership.objects.filter(structure=OuterRef("pk"), until__isnull=True)
            .order_by()
            .values("structure")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.select_related("kind", "host", "region", "municipality", "parent").annotate(
            member_count=Coalesce(Subquery(current, output_field=models.IntegerField()), 0)
        )


class Structure(models.Model):
    kind = models.ForeignKey(
        StructureKind, models.PROTECT, related_name="structures", verbose_name=_("вид")
    )
    name = models.CharField(_("название"), max_length=400)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("входит в"),
        help_text=_(
            "Для предметного сообщества (подсообщества) — сообщество, в которое оно входит."
        ),
    )
    description = models.TextField(_("описание"), blank=True)
    founding_order = models.ForeignKey(
        Order,
        models.PROTECT,
        related_name="founded_structures",
        verbose_name=_("приказ о создании"),
    )
    regulation_title = models.CharField(
        _("положение"),
        max_length=500,
        blank=True,
        help_text=_(
            "Положение, утверждённое приказом, например «Положение о сетевой паре руководителей»."
        ),
    )
    regulation_file = models.FileField(_("файл положения"), upload_to="regulations/%Y/", blank=True)
    host = models.ForeignKey(
        Organisation,
        models.PROTECT,
        related_name="hosted_structures",
        verbose_name=_("базовая (координирующая) организация"),
    )
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="structures", verbose_name=_("регион")
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="structures",
        verbose_name=_("муниципальное образование"),
    )
    programme = models.ForeignKey(
        Programme,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="structures",
        verbose_name=_("программа (проект)"),
    )
    established_on = models.DateField(_("дата создания"))
    term_start = models.DateField(_("срок: с"), null=True, blank=True)
    term_end = models.DateField(_("срок: по"), null=True, blank=True)
    topic = models.CharField(_("тема"), max_length=500, blank=True)
    platform_url = models.URLField(_("страница в сети"), max_length=300, blank=True)
    participant_category = models.CharField(_("категория участников"), max_length=500, blank=True)
    public_page = models.BooleanField(
        _("открытая страница"),
        default=False,
        help_text=_(
            "Страница структуры видна без входа: название, приказ и положение, базовая организация, "
            "контакт координатора, утверждённый план, открытые мероприятия."
        ),
    )
    closed_on = models.DateField(_("прекратила деятельность"), null=True, blank=True)
    closing_order = models.ForeignKey(
        Order,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_structures",
        verbose_name=_("приказ о прекращении"),
    )
    closing_reason = models.CharField(
        _("основание прекращения"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StructureQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("сетевая структура")
        verbose_name_plural = _("сетевые структуры")
        ordering = ["kind__code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_start__isnull=True)
                | Q(term_end__isnull=True)
                | Q(term_end__gte=F("term_start")),
                name="structure_term_ordered",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, closing_reason="")
                | (Q(closed_on__isnull=False) & ~Q(closing_reason="")),
                name="structure_closed_with_reason",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="structure_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["region", "municipality"]),
            # Lists across structures sort by name (members without consent, territory blocks):
            # read in name order and stop at the page, instead of sorting every open structure.
            models.Index(fields=["name"], name="structure_name"),
            # The search box (issue 20, networks/find).
            RussianTextIndex(fields_text=find_indexes.STRUCTURE, name="structure_text_ru"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = structure_search_text(
            name=self.name, topic=self.topic, participant_category=self.participant_category
        )
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def starts_on(self) -> dt.date:
        return self.term_start or self.established_on

    @property
    def ends_on(self) -> dt.date | None:
        ends = [d for d in (self.closed_on, self.term_end) if d]
        return min(ends) if ends else None

    def school_years(self) -> list[SchoolYear]:
        """School years in which the structure worked, newest first."""
        last = SchoolYear.of(self.ends_on) if self.ends_on else SchoolYear.current()
        first = SchoolYear.of(self.starts_on)
        return [SchoolYear(y) for y in range(last.start, first.start - 1, -1)]

    def default_school_year(self) -> SchoolYear:
        years = self.school_years()
        current = SchoolYear.current()
        return current if current in years or not years else years[0]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        kind = self.kind if self.kind_id else None
        if kind and kind.requires_term_and_topic:
            # R-PRI-4.1: the status is granted for a set term and on a set topic.
            if not self.term_start:
                errors["term_start"] = _("Статус этого вида присваивается на срок: укажите его.")
            if not self.term_end:
                errors["term_end"] = _("Статус этого вида присваивается на срок: укажите его.")
            if not self.topic.strip():
                errors["topic"] = _("Статус этого вида присваивается по теме: укажите её.")
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = _("Окончание срока раньше его начала.")
        if (
            self.municipality_id
            and self.region_id
            and self.municipality.region_id != self.region_id
        ):
            errors["municipality"] = _("Муниципальное образование относится к другому региону.")
        if self.parent_id:
            errors.update(self._clean_parent(kind))
        errors.update(self._clean_closing())
        if errors:
            raise ValidationError(errors)

    def _clean_parent(self, kind: StructureKind | None) -> dict[str, str]:
        parent = self.parent
        if parent.pk == self.pk:
            return {"parent": _("Структура не может входить сама в себя.")}
        if not parent.kind.allows_subcommunities:
            return {"parent": _("В структуры этого вида подсообщества не входят.")}
        if kind and parent.kind_id != kind.pk:
            return {"parent": _("Подсообщество должно быть того же вида, что и сообщество.")}
        if parent.parent_id:
            return {"parent": _("Подсообщество не может иметь своих подсообществ.")}
        return {}

    def _clean_closing(self) -> dict[str, str]:
        if not self.closed_on:
            if self.closing_reason or self.closing_order_id:
                return {"closed_on": _("Укажите дату прекращения деятельности.")}
            return {}
        if not self.closing_reason:
            return {"closing_reason": _("Укажите основание прекращения деятельности.")}
        if self.closing_reason != ClosingReason.TERM_ENDED and not self.closing_order_id:
            # R-PRI-4.6: an early closure takes effect from the order that decides it.
            return {
                "closing_order": _(
                    "Досрочное прекращение оформляется приказом (распоряжением) и действует со "
                    "дня его издания: укажите приказ."
                )
            }
        if self.closed_on < self.established_on:
            return {"closed_on": _("Дата прекращения раньше даты создания.")}
        return {}


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(until__isnull=True)

    def during(self, year: SchoolYear):
        return self.filter(
            Q(since__lte=year.last_day) & (Q(until__isnull=True) | Q(until__gte=year.first_day))
        )


# --- The rules of a membership as plain functions: Membership.clean checks them, and so does a bulk
# writer that skips it (devdata's generate_scale).


class MembershipBreach(enum.StrEnum):
    """Which rule of its kind a membership breaks."""

    ROLE = "role"  # the kind has no such role
    PERIOD = "period"  # it ends before it starts
    ELECTED = "elected"  # a date of election, but not for the head (R-TUL-A4-4.1)
    NOT_A_LEADER = "not_a_leader"  # a leader role for someone who is no head or deputy head
    NO_ORGANISATION = "no_organisation"  # a side of a pair without their organisation
    MENTEE_NOT_SHNOR = "mentee_not_shnor"  # R-TUL-A3-1.1
    MENTOR_FROM_SHNOR = "mentor_from_shnor"  # R-TUL-A3-1.1


@dataclass(frozen=True, slots=True)
class Joiner:
    """What the rules of a kind ask about the person who takes a role."""

    leads: bool  # a head or deputy head of their organisation (User.leads)
    has_organisation: bool = True
    # Their organisation is a ШНОР in the school year the membership starts (asked of pairs only).
    shnor: bool = False


def is_pair_side(kind: StructureKind, role: str) -> bool:
    return kind.is_pair and role in PAIR_ROLES


def checks_person(kind: StructureKind, role: str) -> bool:
    """Whether taking the role asks about the person (joining_breach)."""
    return role in kind.leader_roles or is_pair_side(kind, role)


def refuses_leader_role(kind: StructureKind, role: str, *, leads: bool) -> bool:
    """The kind's leader roles are for heads and deputy heads (S4: R-TUL-A3-1.1, S5: R-TUL-A4-1.1)."""
    return role in kind.leader_roles and not leads


def membership_breach(
    kind: StructureKind,
    role: str,
    *,
    since: dt.date,
    until: dt.date | None = None,
    elected_on: dt.date | None = None,
) -> MembershipBreach | None:
    """The first rule of its kind the membership's own fields break, or None."""
    if not kind.allows_role(role):
        return MembershipBreach.ROLE
    if until and until < since:
        return MembershipBreach.PERIOD
    if elected_on and role != Role.HEAD:
        return MembershipBreach.ELECTED
    return None


def joining_breach(kind: StructureKind, role: str, person: Joiner) -> MembershipBreach | None:
    """The first rule of its kind broken when the person takes the role, or None: checked when
    the person gets the role, not when the membership ends later."""
    if refuses_leader_role(kind, role, leads=person.leads):
        return MembershipBreach.NOT_A_LEADER
    if is_pair_side(kind, role):
        # R-TUL-A3-1.1: the mentee's school is a ШНОР, the mentor's a partner organisation.
        if not person.has_organisation:
            return MembershipBreach.NO_ORGANISATION
        if role == Role.MENTEE and not person.shnor:
            return MembershipBreach.MENTEE_NOT_SHNOR
        if role == Role.MENTOR and person.shnor:
            return MembershipBreach.MENTOR_FROM_SHNOR
    return None


def leader_role_refusal(user: User, kind: StructureKind, role: str) -> str | None:
    """Why the person may not take the role, or None: the kind's leader roles are for heads and
    deputy heads (S4: R-TUL-A3-1.1, S5: R-TUL-A4-1.1)."""
    if not refuses_leader_role(kind, role, leads=user.leads):
        return None
    return _(
        "Роль «%(role)s» в структуре вида «%(kind)s» — для руководителей и заместителей "
        "руководителя, а у «%(person)s» в профиле: %(post)s. Если категория указана "
        "неверно, её можно исправить в профиле."
    ) % {
        "role": Role(role).label,
        "kind": kind.name,
        "person": user,
        "post": user.get_post_display() or _("категория должности не указана"),
    }


class Membership(models.Model):
    """A person in a structure with one role. Ending a membership sets `until`; the row stays."""

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="memberships", verbose_name=_("структура")
    )
    user = models.ForeignKey(
        User, models.PROTECT, related_name="memberships", verbose_name=_("участник")
    )
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("с"), default=timezone.localdate)
    until = models.DateField(_("по"), null=True, blank=True)
    elected_on = models.DateField(
        _("дата избрания"),
        null=True,
        blank=True,
        help_text=_("Руководитель объединения избирается из числа участников."),
    )

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("участие")
        verbose_name_plural = _("участники структур")
        ordering = ["structure", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "user"],
                condition=Q(until__isnull=True),
                name="membership_one_current_per_person",
                violation_error_message=_("Этот человек уже участвует в структуре."),
            ),
            models.UniqueConstraint(
                fields=["structure"],
                condition=Q(until__isnull=True, role__in=LEAD_ROLES),
                name="membership_one_chair_or_head",
                violation_error_message=_(
                    "У структуры уже есть председатель (руководитель); сначала завершите его полномочия."
                ),
            ),
            models.UniqueConstraint(
                fields=["structure", "role"],
                condition=Q(until__isnull=True, role__in=PAIR_ROLES),
                name="membership_one_mentor_one_mentee",
                violation_error_message=_("В сетевой паре один наставник и один наставляемый."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="membership_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.structure})"

    @property
    def is_current(self) -> bool:
        return self.until is None

    @property
    def school_year(self) -> SchoolYear:
        return SchoolYear.of(self.since)

    @property
    def joining_year(self) -> SchoolYear:
        """The school year in which the person takes the role: the membership's first one, or,
        for a role given later (role_assign), this one — a member since 2020 who becomes the
        pair's mentee in 2026 must head a ШНОР of 2026/2027, not of 2020/2021."""
        if self._state.adding:
            return self.school_year
        return SchoolYear.of(max(self.since, timezone.localdate()))

    def clean(self) -> None:
        if not self.structure_id:
            return
        kind = self.structure.kind
        breach = membership_breach(
            kind, self.role, since=self.since, until=self.until, elected_on=self.elected_on
        )
        if breach is None and self.user_id and checks_person(kind, self.role) and self._joins():
            breach = joining_breach(kind, self.role, self._joiner(kind))
        if breach is not None:
            raise ValidationError(self._breach_error(breach, kind))

    def _joins(self) -> bool:
        """Whether this save puts the person into the role (the person is checked then; ending
        the membership later must not fail because they have since moved school or post)."""
        if self._state.adding:
            return True
        return not Membership.objects.filter(
            pk=self.pk, user_id=self.user_id, role=self.role
        ).exists()

    def _joiner(self, kind: StructureKind) -> Joiner:
        organisation = self.user.organisation
        shnor = (
            organisation is not None
            and is_pair_side(kind, self.role)
            and organisation.statuses.filter(
                school_year=self.joining_year.start, status=SchoolStatus.SHNOR
            ).exists()
        )
        return Joiner(leads=self.user.leads, has_organisation=organisation is not None, shnor=shnor)

    def _breach_error(self, breach: MembershipBreach, kind: StructureKind) -> dict[str, str]:
        match breach:
            case MembershipBreach.ROLE:
                return {
                    "role": _("Роль «%(role)s» не предусмотрена для вида «%(kind)s».")
                    % {"role": self.get_role_display(), "kind": kind.name}
                }
            case MembershipBreach.PERIOD:
                return {"until": _("Дата окончания раньше даты начала.")}
            case MembershipBreach.ELECTED:
                return {"elected_on": _("Дата избрания указывается для руководителя.")}
            case MembershipBreach.NOT_A_LEADER:
                return {"user": leader_role_refusal(self.user, kind, self.role)}
            case MembershipBreach.NO_ORGANISATION:
                return {
                    "user": _("Участник сетевой пары должен быть указан со своей организацией.")
                }
            case MembershipBreach.MENTEE_NOT_SHNOR:
                return {
                    "user": _(
                        "Наставляемый в сетевой паре — руководитель ШНОР, а «%(org)s» не в списке "
                        "ШНОР на %(year)s учебный год (приказ от 16.09.2020 № 83-а, приложение 3, "
                        "п. 1.1)."
                    )
                    % {"org": self.user.organisation, "year": self.joining_year.label}
                }
        # MembershipBreach.MENTOR_FROM_SHNOR
        return {"user": _("Наставник в сетевой паре представляет организацию-партнёра, а не ШНОР.")}
