"""Network pairs (S4), matching, contacts and tutoring: the writes.

Access is checked by the views (mentoring.permissions); these functions hold the rules of the
orders: R-TUL-A3-1.1 (who may be mentor and mentee, checked by networks' Membership.clean),
R-TUL-A3-4.1 (the forms of a pair's work), the coordinator's limit of pairs per mentor,
R-PRI-5.3 and R-PAV-1.9 (tutors of leader schools or of the internship site). Each runs in one
transaction and records who acted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks import figures
from networks import services as network_services
from networks.history import acting_as
from networks.models import (
    Membership,
    Order,
    SchoolStatus,
    Structure,
    StructureKind,
    User,
)
from networks.schoolyear import SchoolYear
from networks.search import fold

from ..models import Competence, Contact, PairState, Topic, TutorAssignment
from ..permissions import TUTOR_ROLES
from ..selectors.pairs import mentor_load, mentoring_settings

__all__ = [
    "competences_save",
    "competences_state",
    "contact_log",
    "pair_create",
    "topic_add",
    "topic_change",
    "topic_set_active",
    "tutoring_assign",
    "tutoring_session_log",
]

PAIR_NAME = "Сетевая пара: %(mentee)s — %(mentor)s"
NAME_MAX_LENGTH = Structure._meta.get_field("name").max_length


def _has_status(user: User, year: int, status: str) -> bool:
    organisation = user.organisation
    return organisation is not None and (
        organisation.statuses.filter(school_year=year, status=status).exists()
    )


# --- The catalogue and the statements ----------------------------------------------------------


def _refuse_duplicate_topic(name: str, *, exclude: Topic | None = None) -> None:
    folded = fold(name)
    others = Topic.objects.exclude(pk=exclude.pk) if exclude else Topic.objects.all()
    if any(fold(other) == folded for other in others.values_list("name", flat=True)):
        raise ValidationError({"name": _("Такая тема уже есть в каталоге.")})


@transaction.atomic
def topic_add(*, area: str, name: str, position: int = 100, by: User) -> Topic:
    name = " ".join(name.split())
    _refuse_duplicate_topic(name)
    topic = Topic(area=area, name=name, position=position)
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_change(*, topic: Topic, name: str, area: str, position: int, by: User) -> Topic:
    """Renames or moves a topic; what people stated on it stays with it."""
    name = " ".join(name.split())
    _refuse_duplicate_topic(name, exclude=topic)
    topic.name, topic.area, topic.position = name, area, position
    topic.full_clean()
    topic.save(update_fields=["name", "area", "position"])
    return topic


@transaction.atomic
def topic_set_active(*, topic: Topic, active: bool, by: User) -> Topic:
    """A topic out of use is no longer offered; what people stated on it is kept."""
    topic.is_active = active
    topic.save(update_fields=["is_active"])
    return topic


@transaction.atomic
def competences_state(
    *, user: User, side: str, topics: Iterable[Topic], by: User
) -> list[Competence]:
    """Sets the person's deficits (side="deficit") or strengths ("strength") to the given active
    topics. Statements on topics out of use are kept; those still stated keep their date."""
    if by.pk != user.pk and not by.is_superuser:
        raise ValidationError(_("Дефициты и сильные стороны человек указывает сам."))
    if side not in Competence.Side.values:
        raise ValidationError(_("Неизвестный вид утверждения."))
    wanted = {t.pk: t for t in topics}
    inactive = [t.name for t in wanted.values() if not t.is_active]
    if inactive:
        raise ValidationError(_("Тема «%(name)s» больше не используется.") % {"name": inactive[0]})
    stated = Competence.objects.filter(user=user, side=side, topic__is_active=True)
    stated.exclude(topic_id__in=list(wanted)).delete()
    kept = set(stated.values_list("topic_id", flat=True))
    created = []
    for topic_id, topic in wanted.items():
        if topic_id not in kept:
            competence = Competence(user=user, topic=topic, side=side)
            competence.full_clean()
            competence.save()
            created.append(competence)
    return created


@transaction.atomic
def competences_save(
    *, user: User, deficits: Iterable[Topic], strengths: Iterable[Topic], by: User
) -> None:
    """Both sides of the statements page at once: all or nothing."""
    competences_state(user=user, side=Competence.Side.DEFICIT, topics=deficits, by=by)
    competences_state(user=user, side=Competence.Side.STRENGTH, topics=strengths, by=by)


# --- Pairs -------------------------------------------------------------------------------------


def _pair_since(school_year: SchoolYear) -> dt.date:
    """Today for the current school year, its first day for the next one; not a past year."""
    today = timezone.localdate()
    if school_year < SchoolYear.of(today):
        raise ValidationError(
            {"school_year": _("Пару создают на текущий или следующий учебный год.")}
        )
    return today if today in school_year else school_year.first_day


def _pair_kind() -> StructureKind:
    kind = StructureKind.objects.filter(is_pair=True).order_by("code").first()
    if kind is None:
        raise ValidationError(_("В таблице видов структур нет вида «сетевая пара»."))
    return kind


def _refuse_pair(*, mentee: User, mentor: User, curator: User) -> None:
    errors: dict[str, str] = {}
    if mentee.organisation is None:
        errors["mentee"] = _("У наставляемого не указана организация.")
    if mentor.pk == mentee.pk:
        errors["mentor"] = _("Наставник и наставляемый — разные люди.")
    elif mentor.organisation is None:
        errors["mentor"] = _("У наставника не указана организация.")
    elif mentee.organisation and mentor.organisation.region_id != mentee.organisation.region_id:
        errors["mentor"] = _("Наставник должен работать в том же регионе, что и наставляемый.")
    if curator.organisation is None:
        errors["curator"] = _(
            "У куратора не указана организация: она станет базовой организацией пары."
        )
    if curator.pk in (mentee.pk, mentor.pk):
        errors["curator"] = _("Куратор не может быть участником своей пары.")
    if errors:
        raise ValidationError(errors)


def _refuse_over_limit(mentor: User, region_id: int) -> None:
    limit = mentoring_settings(region_id, stored=True).max_pairs_per_mentor
    load = mentor_load(mentor)
    if load >= limit:
        raise ValidationError(
            {
                "mentor": _(
                    "Пар у наставника: %(load)s — это предел, установленный координатором "
                    "(%(limit)s)."
                )
                % {"load": load, "limit": limit}
            }
        )


def _add_side(pair: Structure, user: User, role: str, since: dt.date, field: str) -> None:
    try:
        network_services.membership_add(structure=pair, user=user, role=role, since=since)
    except ValidationError as error:
        # Membership.clean speaks of "user"; the form knows the person as mentee or mentor.
        raise ValidationError({field: error.messages}) from error


@transaction.atomic
def pair_create(
    *,
    mentee: User,
    mentor: User,
    curator: User,
    school_year: int,
    founding_order: Order,
    by: User,
) -> Structure:
    """Confirms a pair for a school year (R-TUL-A3-1.1, 5.2): the S4 structure hosted by the
    curator's organisation in the mentee's territory, its three members and its state.

    Refuses a mentor who has reached the region's limit of pairs. The mentor's row is locked
    first (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers),
    so two curators confirming at once cannot both pass the count."""
    User.objects.select_for_update().filter(pk=mentor.pk).first()
    _refuse_pair(mentee=mentee, mentor=mentor, curator=curator)
    organisation = mentee.organisation
    _refuse_over_limit(mentor, organisation.region_id)
    if Membership.objects.filter(
        user=mentee,
        role="mentee",
        until__isnull=True,
        structure__closed_on__isnull=True,
        structure__kind__is_pair=True,
        structure__memberships__user=mentor,
        structure__memberships__role="mentor",
        structure__memberships__until__isnull=True,
    ).exists():
        raise ValidationError({"mentor": _("Эта пара уже работает.")})

    since = _pair_since(SchoolYear(school_year))
    name = PAIR_NAME % {"mentee": organisation, "mentor": mentor.organisation}
    template = (
        Structure.objects.filter(kind__is_pair=True, founding_order=founding_order)
        .exclude(regulation_title="")
        .values("regulation_title", "programme_id")
        .first()
    ) or {"regulation_title": "", "programme_id": None}
    with acting_as(by):
        pair = Structure(
            kind=_pair_kind(),
            name=name[:NAME_MAX_LENGTH],
            founding_order=founding_order,
            regulation_title=template["regulation_title"],
            programme_id=template["programme_id"],
            host=curator.organisation,
            region_id=organisation.region_id,
            municipality_id=organisation.municipality_id,
            established_on=since,
        )
        pair.full_clean()
        pair.save()
        with figures.batched():  # the three sides' figures, counted once
            _add_side(pair, mentee, "mentee", since, "mentee")
            _add_side(pair, mentor, "mentor", since, "mentor")
            _add_side(pair, curator, "curator", since, "curator")
        PairState.objects.create(pair=pair)
    return pair


# --- Contacts and tutoring sessions -------------------------------------------------------------


def _refuse_contact_date(date: dt.date, starts_on: dt.date) -> None:
    if date > timezone.localdate():
        raise ValidationError({"date": _("Дата контакта не может быть в будущем.")})
    if date < starts_on:
        raise ValidationError(
            {"date": _("Дата раньше начала работы (%(date)s).") % {"date": f"{starts_on:%d.%m.%Y}"}}
        )


def _contact(*, by: User, date, form, channel, topic, outcome, next_step, **target) -> Contact:
    contact = Contact(
        date=date,
        form=form,
        channel=channel,
        topic=topic.strip(),
        outcome=outcome.strip(),
        next_step=next_step.strip(),
        logged_by=by,
        **target,
    )
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_log(
    *,
    pair: Structure,
    date: dt.date,
    form: str,
    channel: str,
    topic: str,
    outcome: str = "",
    next_step: str = "",
    by: User,
) -> Contact:
    """One contact of a pair (R-TUL-A3-4.1: mentoring, consulting, brainstorming, other)."""
    if not pair.kind.is_pair:
        raise ValidationError(_("Журнал контактов ведут сетевые пары."))
    if pair.is_closed:
        raise ValidationError(
            _("Пара прекратила работу %(date)s; новые контакты не записываются.")
            % {"date": f"{pair.closed_on:%d.%m.%Y}"}
        )
    _refuse_contact_date(date, pair.starts_on)
    contact = _contact(
        pair=pair,
        by=by,
        date=date,
        form=form,
        channel=channel,
        topic=topic,
        outcome=outcome,
        next_step=next_step,
    )
    figures.structure_changed(pair, date)
    return contact


@transaction.atomic
def tutoring_assign(
    *,
    structure: Structure,
    tutor: User,
    teacher: User,
    subject: str,
    since: dt.date | None = None,
    by: User,
) -> TutorAssignment:
    """Assigns a tutor to a teacher of a ШНОР by subject (R-PRI-5.3, R-PAV-1.9): the tutor is the
    structure's tutor or moderator from a leader school or from the internship site itself."""
    network_services.refuse_if_closed(structure)
    if not structure.kind.allows_role("tutor"):
        raise ValidationError(
            _("В структурах вида «%(kind)s» тьюторского сопровождения нет.")
            % {"kind": structure.kind.name}
        )
    since = since or timezone.localdate()
    year = SchoolYear.of(since).start
    subject = " ".join(subject.split())
    errors: dict[str, str] = {}
    is_tutor = structure.memberships.current().filter(user=tutor, role__in=TUTOR_ROLES).exists()
    if not is_tutor:
        errors["tutor"] = _("Тьютор — участник структуры с ролью «Тьютор» или «Модератор».")
    elif not (
        _has_status(tutor, year, SchoolStatus.LEADER)
        or (tutor.organisation_id and tutor.organisation_id == structure.host_id)
    ):
        errors["tutor"] = _(
            "Тьютор — педагог школы-лидера или самой стажировочной площадки, а «%(org)s» не "
            "школа-лидер в %(year)s учебном году."
        ) % {"org": tutor.organisation or "—", "year": SchoolYear(year).label}
    if tutor.pk == teacher.pk:
        errors["teacher"] = _("Тьютор не сопровождает сам себя.")
    elif not _has_status(teacher, year, SchoolStatus.SHNOR):
        errors["teacher"] = _(
            "Сопровождаемый педагог — из ШНОР, а «%(org)s» не в списке ШНОР на %(year)s "
            "учебный год."
        ) % {"org": teacher.organisation or "—", "year": SchoolYear(year).label}
    if not subject:
        errors["subject"] = _("Укажите предмет.")
    if errors:
        raise ValidationError(errors)
    if structure.tutor_assignments.filter(
        tutor=tutor, teacher=teacher, subject=subject, until__isnull=True
    ).exists():
        raise ValidationError(
            {"subject": _("Этот тьютор уже сопровождает этого педагога по этому предмету.")}
        )
    assignment = TutorAssignment(
        structure=structure,
        tutor=tutor,
        teacher=teacher,
        subject=subject,
        since=since,
        assigned_by=by,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def tutoring_session_log(
    *,
    assignment: TutorAssignment,
    date: dt.date,
    form: str,
    channel: str,
    topic: str,
    outcome: str = "",
    next_step: str = "",
    by: User,
) -> Contact:
    """A tutoring session, logged like a pair's contact."""
    if assignment.until is not None:
        raise ValidationError(
            _("Сопровождение завершено %(date)s; новые занятия не записываются.")
            % {"date": f"{assignment.until:%d.%m.%Y}"}
        )
    _refuse_contact_date(date, assignment.since)
    return _contact(
        tutoring=assignment,
        by=by,
        date=date,
        form=form,
        channel=channel,
        topic=topic,
        outcome=outcome,
        next_step=next_step,
    )
