"""Reads that pages share. Each does its own select_related/prefetch_related so that the number of
queries does not grow with the number of structures or members."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .coverage import covered_by
from .models import Membership, Role, Structure, StructureContact
from .permissions import MANAGING_ROLES


def structure_detail_queryset() -> QuerySet[Structure]:
    return Structure.objects.select_related(
        "kind",
        "parent",
        "host",
        "host__municipality",
        "region",
        "municipality",
        "programme",
        "founding_order",
        "founding_order__issuer",
        "closing_order",
        "closing_order__issuer",
    )


def attach_administrators(structures: list[Structure]) -> list[Structure]:
    """Gives each structure of an online platform its `administrators`: the names of its current
    administrators, members who agreed to show their name and people its order names without an
    account (the order is a public document). Two queries for a page, none when the page has no
    platform structure."""
    platform = {s.pk: s for s in structures if s.kind.has_online_platform}
    for structure in structures:
        structure.administrators = []
    if not platform:
        return structures
    members = (
        Membership.objects.current()
        .filter(structure_id__in=platform, role=Role.ADMINISTRATOR)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    for membership in members:
        if membership.user.shows_name:
            platform[membership.structure_id].administrators.append(str(membership.user))
    contacts = StructureContact.objects.filter(
        structure_id__in=platform, role=Role.ADMINISTRATOR, until__isnull=True
    ).order_by("full_name")
    for contact in contacts.only("structure_id", "full_name"):
        platform[contact.structure_id].administrators.append(contact.full_name)
    return structures


def structure_children(structure: Structure) -> QuerySet[Structure]:
    return structure.children.for_list().order_by("name")


def my_memberships(user) -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(user=user)
        .select_related("structure", "structure__kind", "structure__region")
        .order_by("structure__kind__code", "structure__name")
    )


def through(condition: Q, relation: str = "structure") -> Q:
    """A condition on a structure's own columns (pk, parent, region, municipality, closed_on…),
    rewritten for the model that points to the structure by `relation`.

    `Material.objects.filter(through(cond))` asks PostgreSQL to check the condition on the
    joined structure row; `filter(structure__in=Structure.objects.filter(cond))` made it build
    the set of matching structures first, reading every structure of the country when `cond`
    is an OR of the person's memberships and a region (18 ms against 0.6 ms a block,
    docs/PERFORMANCE.md). Only the structure's own columns: a lookup through a reverse
    relation (memberships__…) would multiply the rows, and is refused."""
    rewritten = Q(_connector=condition.connector, _negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            rewritten.children.append(through(child, relation))
            continue
        lookup, value = child
        name = lookup.split("__")[0]
        if name != "pk":
            field = Structure._meta.get_field(name)
            if field.one_to_many or field.many_to_many:
                raise ValueError(f"{lookup}: not a column of the structure")
        rewritten.children.append((f"{relation}__{lookup}", value))
    return rewritten


def managed_condition(user, territory_roles, *, managing: list[int] | None = None) -> Q:
    """Open structures the person runs — by a managing role in them or as a territory's
    coordinator — as a condition on the structure's own columns (see through()). `managing`:
    the structures of the person's current managing memberships when the caller has them
    already (the home page's viewer); otherwise a subquery asks for them."""
    # IN (the person's memberships), not a join with DISTINCT: OR-ed with the territory, the
    # join made PostgreSQL read every membership of the country (docs/PERFORMANCE.md).
    if managing is None:
        managing = Membership.objects.filter(
            user=user, until__isnull=True, role__in=MANAGING_ROLES
        ).values("structure_id")
    condition = Q(pk__in=managing)
    coordinated = covered_by([r for r in territory_roles if r.role == "coordinator"])
    if coordinated is not None:
        condition |= coordinated
    return Q(closed_on__isnull=True) & condition


def members_without_name_consent(structures: Q) -> QuerySet[Membership]:
    """Current members who have not agreed to show their name, in the structures matching the
    condition (managed_condition())."""
    return (
        Membership.objects.current()
        .filter(
            through(structures),
            user__show_name_consent_at__isnull=True,
            user__anonymised_at__isnull=True,
        )
        .select_related("user", "structure")
        .order_by("structure__name", "user__last_name")
    )


def school_participation(organisation) -> QuerySet[Structure]:
    """Structures in which people of the organisation (or its id) currently take part, with how
    many."""
    return (
        Structure.objects.filter(
            memberships__user__organisation=organisation, memberships__until__isnull=True
        )
        .select_related("kind")
        .annotate(school_people=Count("memberships", distinct=True))
        .order_by("kind__code", "name")
    )


def territory_structures(territory_roles) -> QuerySet[Structure]:
    condition = covered_by(territory_roles)
    if condition is None:
        return Structure.objects.none()
    return Structure.objects.for_list().filter(condition).order_by("kind__code", "name")
