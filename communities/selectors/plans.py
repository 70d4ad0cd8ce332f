"""Reads for the plans pages, the structure panel and the home blocks. Each does its own
select_related/annotate so that the number of queries does not grow with plans, items or steps."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from networks.coverage import covered_by
from networks.models import Membership, Structure, StructureKind, TerritoryRole, User
from networks.permissions import territory_roles
from networks.schoolyear import SchoolYear
from networks.selectors import through

from ..models import Event, Minutes, Plan, PlanItem, PlanStep
from ..permissions import PLAN_WRITING_ROLES

# The school year's months in its own order, September first; Russian names for forms and tables.
MONTH_NAMES = {
    9: _("сентябрь"),
    10: _("октябрь"),
    11: _("ноябрь"),
    12: _("декабрь"),
    1: _("январь"),
    2: _("февраль"),
    3: _("март"),
    4: _("апрель"),
    5: _("май"),
    6: _("июнь"),
    7: _("июль"),
    8: _("август"),
}


def month_year(month: int, school_year: int) -> int:
    """The calendar year of a month of the school year: September–December are its first year."""
    return school_year if month >= 9 else school_year + 1


def item_when(item: PlanItem, school_year: int) -> str:
    if item.date:
        return f"{item.date:%d.%m.%Y}"
    if item.month:
        return f"{MONTH_NAMES[item.month]} {month_year(item.month, school_year)}"
    return "—"


# An item is done when ticked, or when its event was held and has signed minutes
# (PlanItem.is_done).
ITEM_DONE = Q(items__done=True) | Q(
    items__events__status=Event.Status.HELD, items__events__minutes__status=Minutes.Status.SIGNED
)


def _with_counts(queryset: QuerySet[Plan]) -> QuerySet[Plan]:
    return queryset.annotate(
        items_total=Count("items", distinct=True),
        items_done=Count("items", filter=ITEM_DONE, distinct=True),
    )


# --- One structure's plans -----------------------------------------------------------------------


@dataclass
class YearPlans:
    year: SchoolYear
    current: Plan
    older: list[Plan] = field(default_factory=list)


def structure_plans(structure: Structure) -> list[YearPlans]:
    """The plans by school year, newest first: the latest version, and the older ones as history.
    Two queries: the plans with their item counts, and the steps of all of them."""
    plans = _with_counts(
        structure.plans.select_related("created_by").prefetch_related(
            Prefetch("steps", queryset=PlanStep.objects.select_related("by"))
        )
    ).order_by("-school_year", "-version")
    years: list[YearPlans] = []
    for plan in plans:
        if years and years[-1].year.start == plan.school_year:
            years[-1].older.append(plan)
        else:
            years.append(YearPlans(SchoolYear(plan.school_year), plan))
    return years


def plan_queryset(structure: Structure) -> QuerySet[Plan]:
    return structure.plans.select_related("created_by", "previous")


def plan_items(plan: Plan) -> list[PlanItem]:
    """The items in order, each knowing whether its event was held and minuted (is_done)."""
    items = list(plan.items.with_held().order_by("position", "pk"))
    for item in items:
        item.when = item_when(item, plan.school_year)
    return items


def plan_steps(plan: Plan) -> QuerySet[PlanStep]:
    return plan.steps.select_related("by").order_by("at", "pk")


def plan_versions(plan: Plan) -> QuerySet[Plan]:
    """All versions of the plan's school year, newest first, the plan itself included."""
    return Plan.objects.filter(
        structure_id=plan.structure_id, school_year=plan.school_year
    ).order_by("-version")


def year_plan(structure: Structure, year: SchoolYear) -> Plan | None:
    """The current version of the school year's plan with its item counts, in one query."""
    return _with_counts(structure.plans.filter(school_year=year.start)).order_by("-version").first()


# --- Agreement (R-DMI-1.8) -----------------------------------------------------------------------


def last_submission(plan: Plan) -> PlanStep | None:
    return plan.steps.filter(action=PlanStep.Action.SUBMIT).order_by("-pk").first()


def round_agreements(plan: Plan) -> QuerySet[PlanStep]:
    """Agreements since the plan was last submitted: a returned plan is agreed again."""
    submitted = last_submission(plan)
    steps = plan.steps.filter(action=PlanStep.Action.AGREE)
    return steps.filter(pk__gt=submitted.pk) if submitted else steps.none()


def required_agreers(plan: Plan) -> QuerySet[Membership]:
    """Current members whose agreement the kind asks for."""
    return (
        plan.structure.memberships.current()
        .filter(role__in=plan.structure.kind.plan_agree_roles)
        .select_related("user", "user__organisation")
        .order_by("user__last_name", "user__first_name")
    )


@dataclass
class PlanAgreement:
    needed: list[Membership]
    agreed_ids: set[int]
    all_required: bool

    @property
    def pending(self) -> list[Membership]:
        return [m for m in self.needed if m.user_id not in self.agreed_ids]

    @property
    def agreed_count(self) -> int:
        return sum(1 for m in self.needed if m.user_id in self.agreed_ids)

    @property
    def is_complete(self) -> bool:
        if not self.agreed_ids:
            return False
        if not self.all_required:
            return True
        return not self.pending


def plan_agreement(plan: Plan) -> PlanAgreement:
    return PlanAgreement(
        needed=list(required_agreers(plan)),
        agreed_ids={uid for uid in round_agreements(plan).values_list("by_id", flat=True) if uid},
        all_required=plan.structure.kind.plan_agree_all,
    )


# --- Across structures: the home blocks ----------------------------------------------------------


def _kinds() -> list[StructureKind]:
    return list(StructureKind.objects.only("pk", "plan_agree_roles", "plan_approve_roles"))


def _member_roles(user: User) -> list[tuple[int, int, str]]:
    """(structure id, kind id, role) of the person's current memberships in open structures."""
    return list(
        Membership.objects.current()
        .filter(user=user, structure__closed_on__isnull=True)
        .values_list("structure_id", "structure__kind_id", "role")
    )


def _roles_of(memberships) -> list[tuple[int, int, str]]:
    """_member_roles() from Membership rows already read with their structures (the home page's
    viewer): the current ones in open structures."""
    return [
        (m.structure_id, m.structure.kind_id, m.role)
        for m in memberships
        if m.until is None and m.structure.closed_on is None
    ]


def plans_awaiting(user: User, *, memberships=None) -> QuerySet[Plan]:
    """Plans waiting for the person's agreement or approval, oldest change first.

    Three queries: the kinds table, the person's memberships, the plans (territory roles are
    cached per request by networks.permissions); two when the caller passes the person's
    memberships (with their structures) read already."""
    if not user.is_authenticated:
        return Plan.objects.none()
    if memberships is None:
        kinds = {k.pk: k for k in _kinds()}
        memberships = _member_roles(user)
        without_agreement = [pk for pk, k in kinds.items() if not k.plan_agree_roles]
    else:
        # The memberships come with their kinds; the kinds without agreement are asked inside
        # the plans' query (no query of the kinds table of its own).
        kinds = {m.structure.kind_id: m.structure.kind for m in memberships}
        memberships = _roles_of(memberships)
        without_agreement = StructureKind.objects.filter(plan_agree_roles=[]).values("pk")
    approve_in = [s for s, k, role in memberships if role in kinds[k].plan_approve_roles]
    agree_in = [s for s, k, role in memberships if role in kinds[k].plan_agree_roles]

    waits_approval = Q(status=Plan.Status.AGREED) | Q(
        status=Plan.Status.SUBMITTED, structure__kind_id__in=without_agreement
    )
    approver = Q(structure_id__in=approve_in)
    coordinated = covered_by(
        [r for r in territory_roles(user) if r.role == TerritoryRole.Role.COORDINATOR]
    )
    if coordinated is not None:
        approver |= through(coordinated)
    if user.is_superuser:
        approver = Q()

    # Evaluated inside `agreed_already`: OuterRef("plan") is that agreement's plan.
    last_submit = (
        PlanStep.objects.filter(plan=OuterRef("plan"), action=PlanStep.Action.SUBMIT)
        .order_by("-pk")
        .values("pk")[:1]
    )
    agreed_already = PlanStep.objects.filter(
        plan=OuterRef("pk"), action=PlanStep.Action.AGREE, by=user, pk__gt=Subquery(last_submit)
    )
    waits_my_agreement = (
        Q(status=Plan.Status.SUBMITTED, structure_id__in=agree_in)
        & ~Q(structure__kind_id__in=without_agreement)
        & ~Exists(agreed_already)
    )
    return (
        Plan.objects.latest_versions()
        .filter(structure__closed_on__isnull=True)
        .filter((waits_approval & approver) | waits_my_agreement)
        .select_related("structure")
        .order_by("updated_at", "pk")
    )


def plans_returned_to(user: User, *, memberships=None) -> QuerySet[Plan]:
    """Returned plans of the structures where the person writes the plan (or that they drafted),
    with the latest return comment as `return_comment`. Three queries (kinds, memberships, plans);
    one when the caller passes the person's memberships with their structures and kinds."""
    if not user.is_authenticated:
        return Plan.objects.none()
    if memberships is None:
        kinds = {k.pk: k for k in StructureKind.objects.only("pk", "plan_author_roles")}
        roles = _member_roles(user)
    else:
        kinds = {m.structure.kind_id: m.structure.kind for m in memberships}
        roles = _roles_of(memberships)
    writes_in = [
        s
        for s, k, role in roles
        if role in kinds[k].plan_author_roles or role in PLAN_WRITING_ROLES
    ]
    last_return = PlanStep.objects.filter(
        plan=OuterRef("pk"), action=PlanStep.Action.RETURN
    ).order_by("-pk")
    return (
        Plan.objects.latest_versions()
        .filter(status=Plan.Status.RETURNED, structure__closed_on__isnull=True)
        .filter(Q(structure_id__in=writes_in) | Q(created_by=user))
        .annotate(
            return_comment=Subquery(last_return.values("comment")[:1]),
            returned_at=Subquery(last_return.values("at")[:1]),
        )
        .select_related("structure")
        .order_by("-updated_at", "pk")
    )


__all__ = [
    "MONTH_NAMES",
    "PlanAgreement",
    "YearPlans",
    "item_when",
    "last_submission",
    "month_year",
    "plan_agreement",
    "plan_items",
    "plan_queryset",
    "plan_steps",
    "plan_versions",
    "plans_awaiting",
    "plans_returned_to",
    "required_agreers",
    "round_agreements",
    "structure_plans",
    "year_plan",
]
