"""Reads of the structure page (networks.views.structure_detail), built for every request (issue 19).

The page used to load the structure with a 12-join select_related (kind, parent, host and its
municipality, region, municipality, programme, both orders and their issuers): on the national
data PostgreSQL took 3–9 ms just to plan it, for one row. Here the structure comes with kind,
region, municipality, host and programme (≈ 0.5–0.8 ms to plan), its orders with their issuers in
one simple query, and the parent of a subcommunity when the page shows it (one short query).

The members are read with the columns the table shows, and their role and status labels come
from dicts instead of get_FOO_display per row (which rebuilds a dict of the choices on each call).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Subquery

from . import hooks, selectors
from .models import (
    Membership,
    Order,
    OrganisationStatus,
    Role,
    SchoolStatus,
    Structure,
    StructureContact,
)
from .permissions import can_see_name, structure_for
from .schoolyear import SchoolYear

ROLE_LABELS = dict(Role.choices)
STATUS_LABELS = dict(SchoolStatus.choices)


def structure_for_page(user, pk: int) -> Structure:
    """The structure for its page (404/403 as structure_for says), with its orders attached."""
    structure = structure_for(
        user,
        pk,
        queryset=Structure.objects.select_related(
            "kind", "region", "municipality", "host", "programme"
        ).annotate(
            # Few structures have people named in the order without an account: the page reads
            # them only when there are some (issue 19).
            has_contacts=Exists(StructureContact.objects.filter(structure=OuterRef("pk"))),
            # The breadcrumb of a subcommunity names its parent: one column, not a query.
            parent_name=Subquery(Structure.objects.filter(pk=OuterRef("parent_id")).values("name")),
            # What the panels of other apps need to know first (networks.hooks).
            **hooks.structure_figures(user),
        ),
    )
    attach_orders(structure)
    return structure


def attach_orders(structure: Structure) -> None:
    """The founding and closing orders with their issuers, in one query, as if select_related had
    read them (the timeline and the template read structure.founding_order.issuer)."""
    ids = [pk for pk in (structure.founding_order_id, structure.closing_order_id) if pk]
    orders = {o.pk: o for o in Order.objects.select_related("issuer").filter(pk__in=ids)}
    if structure.founding_order_id in orders:
        structure.founding_order = orders[structure.founding_order_id]
    if structure.closing_order_id in orders:
        structure.closing_order = orders[structure.closing_order_id]


def member_rows(structure: Structure, year: SchoolYear, viewer) -> list[tuple[Membership, bool]]:
    """Members during the school year as (membership, whether the viewer sees the name), each with
    its `role_label` and its organisation's `year_statuses` in that year, each status with its
    `label` and `order_label`: two queries whatever the number of members."""
    statuses = OrganisationStatus.objects.filter(school_year=year.start).select_related("order")
    memberships = (
        structure.memberships.during(year)
        .select_related("user", "user__organisation")
        .only(
            "structure_id",
            "role",
            "since",
            "until",
            "elected_on",
            "user__id",
            "user__last_name",
            "user__first_name",
            "user__patronymic",
            "user__position",
            "user__email",
            "user__show_name_consent_at",
            "user__anonymised_at",
            "user__organisation__id",
            "user__organisation__short_name",
            "user__organisation__full_name",
        )
        .prefetch_related(
            Prefetch(
                "user__organisation__statuses",
                queryset=statuses.only(
                    "organisation_id",
                    "status",
                    "order__id",
                    "order__kind",
                    "order__date",
                    "order__number",
                ),
                to_attr="year_statuses",
            )
        )
        .order_by("until", "role", "user__last_name", "user__first_name")
    )
    access = structure.access
    orders: dict[int, str] = {}  # most statuses of a year come from one regional order
    rows = []
    for membership in memberships:
        membership.role_label = ROLE_LABELS.get(membership.role, membership.role)
        # ДД.ММ.ГГГГ as the template's date:"d.m.Y" writes it, without a filter call per cell.
        membership.since_text = _date(membership.since)
        membership.until_text = _date(membership.until)
        membership.elected_text = _date(membership.elected_on)
        organisation = membership.user.organisation
        for status in organisation.year_statuses if organisation is not None else []:
            status.label = STATUS_LABELS.get(status.status, status.status)
            if status.order_id and status.order_id not in orders:
                orders[status.order_id] = str(status.order)
            status.order_label = orders.get(status.order_id, "")
        rows.append((membership, can_see_name(access, viewer, membership.user)))
    return rows


def _date(day) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


def structure_children(structure: Structure):
    """The subcommunities; none without a query when the kind has none (Structure.clean refuses a
    parent whose kind has no subcommunities, and a subcommunity has none of its own)."""
    if not structure.kind.allows_subcommunities or structure.parent_id:
        return []
    return list(selectors.structure_children(structure))
