"""Reads of the school's page and of the methodist's territory table (issue 21). Each runs a fixed
number of queries whatever the data: the pages pin their counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    IntegerField,
    Prefetch,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate
from django.utils.translation import gettext_lazy as _

from communities.models import Event, EventForm
from mentoring.models import HelpRequest, TutorAssignment
from networks.models import (
    PAIR_ROLES,
    Membership,
    Organisation,
    OrganisationStatus,
    Role,
    User,
)
from networks.schoolyear import SchoolYear

from .models import DevelopmentDocument, DocumentStatusChange, RiskFactor, SchoolCurator, SchoolRisk

# --- The school's page ------------------------------------------------------------------------------


def statuses(school: Organisation) -> list[OrganisationStatus]:
    return list(
        OrganisationStatus.objects.filter(organisation=school)
        .select_related("order", "order__issuer")
        .order_by("-school_year", "status")
    )


def predecessors(school: Organisation) -> list[Organisation]:
    return list(Organisation.objects.filter(successor=school).only("pk", "short_name", "full_name"))


@dataclass
class YearRisks:
    year: SchoolYear
    risks: list[SchoolRisk] = field(default_factory=list)


def risk_profile(school: Organisation) -> list[YearRisks]:
    """The school's risks grouped by school year, newest first."""
    years: dict[int, YearRisks] = {}
    rows = (
        SchoolRisk.objects.filter(organisation=school)
        .select_related("factor", "updated_by")
        .order_by("-factor__school_year", "factor__ordering", "factor__name")
    )
    for risk in rows:
        year = risk.factor.school_year
        years.setdefault(year, YearRisks(SchoolYear(year))).risks.append(risk)
    return list(years.values())


def factors_of(year: SchoolYear) -> QuerySet[RiskFactor]:
    return RiskFactor.objects.filter(school_year=year.start).order_by("ordering", "name")


def documents(school: Organisation) -> list[DevelopmentDocument]:
    return list(
        DevelopmentDocument.objects.filter(organisation=school)
        .select_related("factor")
        .prefetch_related(
            Prefetch("changes", queryset=DocumentStatusChange.objects.select_related("by"))
        )
    )


def curators(school: Organisation) -> list[SchoolCurator]:
    return list(
        SchoolCurator.objects.current()
        .filter(organisation=school)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def people(school: Organisation) -> list[User]:
    """The school's people in the portal (a school has tens, not thousands)."""
    return list(
        User.objects.filter(organisation=school, is_active=True, anonymised_at__isnull=True).only(
            "pk",
            "last_name",
            "first_name",
            "patronymic",
            "position",
            "post",
            "show_name_consent_at",
            "anonymised_at",
            "organisation_id",
        )
    )


# The support list: one UNION of the school's memberships (pairs apart), tutoring of its teachers,
# help requests and events its people attended, every part with the same columns, so that the page
# counts and pages it in two queries.
SUPPORT_COLUMNS = tuple(
    f"s_{name}"
    for name in (
        "kind",
        "day",
        "until",
        "structure_id",
        "structure_name",
        "role",
        "detail",
        "person_id",
        "number",
    )
)


def _columns(queryset, **values):
    return queryset.order_by().annotate(**values).values(*SUPPORT_COLUMNS)


def _text(value: str = ""):
    return Value(value, output_field=CharField())


# Typed NULLs: PostgreSQL takes an untyped NULL in the first part of a UNION for text.
def _none_int():
    return Cast(Value(None), IntegerField())


def _none_date():
    return Cast(Value(None), DateField())


SUPPORT_KINDS = {
    "pair": _("Сетевая пара"),
    "membership": _("Участие в структуре"),
    "tutoring": _("Тьюторское сопровождение педагога"),
    "help": _("Запрос адресной помощи"),
    "event": _("Мероприятие"),
}


def support(school: Organisation) -> QuerySet:
    memberships = _columns(
        Membership.objects.filter(user__organisation=school),
        s_kind=Case(
            When(structure__kind__is_pair=True, role__in=PAIR_ROLES, then=_text("pair")),
            default=_text("membership"),
        ),
        s_day=F("since"),
        s_until=F("until"),
        s_structure_id=F("structure_id"),
        s_structure_name=F("structure__name"),
        s_role=F("role"),
        s_detail=F("structure__kind__name"),
        s_person_id=F("user_id"),
        s_number=_none_int(),
    )
    tutoring = _columns(
        TutorAssignment.objects.filter(teacher__organisation=school),
        s_kind=_text("tutoring"),
        s_day=F("since"),
        s_until=F("until"),
        s_structure_id=F("structure_id"),
        s_structure_name=F("structure__name"),
        s_role=_text(),
        s_detail=F("subject"),
        s_person_id=F("teacher_id"),
        s_number=_none_int(),
    )
    helps = _columns(
        HelpRequest.objects.filter(organisation=school),
        s_kind=_text("help"),
        s_day=TruncDate("created_at"),
        s_until=Cast(TruncDate("answered_at"), DateField()),
        s_structure_id=_none_int(),
        s_structure_name=_text(),
        s_role=F("status"),
        s_detail=F("topic__name"),
        s_person_id=F("requester_id"),
        s_number=Case(
            When(helped=True, then=Cast(Value(1), IntegerField())),
            When(helped=False, then=Cast(Value(0), IntegerField())),
            default=_none_int(),
            output_field=IntegerField(),
        ),
    )
    events = _columns(
        Event.objects.filter(attendance__user__organisation=school, attendance__attended=True)
        .annotate(people=Count("attendance"))
        .order_by(),
        s_kind=_text("event"),
        s_day=TruncDate("starts_at"),
        s_until=_none_date(),
        s_structure_id=F("structure_id"),
        s_structure_name=F("structure__name"),
        s_role=F("form"),
        s_detail=F("title"),
        s_person_id=_none_int(),
        s_number=F("people"),
    )
    return memberships.union(tutoring, helps, events, all=True).order_by(
        "-s_day", "s_kind", "s_structure_name"
    )


@dataclass
class SupportRow:
    kind: str
    day: dt.date | None
    until: dt.date | None
    structure_id: int | None
    structure_name: str
    role: str
    detail: str
    person: User | None
    number: int | None

    @property
    def school_year(self) -> SchoolYear | None:
        return SchoolYear.of(self.day) if self.day else None

    @property
    def kind_label(self) -> str:
        return str(SUPPORT_KINDS.get(self.kind, self.kind))

    @property
    def role_label(self) -> str:
        """The role in the structure, the state of a help request or the form of an event."""
        choices = {
            "pair": Role,
            "membership": Role,
            "help": HelpRequest.Status,
            "event": EventForm,
        }.get(self.kind)
        if choices is None or not self.role:
            return ""
        try:
            return str(choices(self.role).label)
        except ValueError:
            return self.role


def support_rows(rows, people_by_id: dict[int, User]) -> list[SupportRow]:
    """The page's rows with their people from the school's people list (no query)."""
    result = []
    for row in rows:
        day = row["s_day"]
        if isinstance(day, dt.datetime):
            day = day.date()
        elif isinstance(day, str):
            day = dt.date.fromisoformat(day[:10])
        until = row["s_until"]
        if isinstance(until, str):
            until = dt.date.fromisoformat(until[:10])
        result.append(
            SupportRow(
                kind=row["s_kind"],
                day=day,
                until=until,
                structure_id=row["s_structure_id"],
                structure_name=row["s_structure_name"] or "",
                role=row["s_role"] or "",
                detail=row["s_detail"] or "",
                person=people_by_id.get(row["s_person_id"]),
                number=row["s_number"],
            )
        )
    return result
