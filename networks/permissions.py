"""Who may see and do what with a structure. Views and templates ask here and never decide alone.

The answer depends on three things, all loaded in at most two queries per request:
- the person's current role in the structure (and in its parent, for a sub-community);
- their standing in the structure's territory (a coordinator runs it, a methodist reads all of it);
- whether they are a superuser.

Refusals follow one rule (CONVENTIONS 5): someone with no relation to the structure's inner life
gets 404 on its inner pages, so they do not learn what is there; someone who belongs but lacks the
right gets 403. The structure's public card (order, host, territory, members) is open to every
signed-in person: the founding orders are public documents.

Continuity: the former members of a closed structure keep reading its record (plans, meetings and
minutes, materials, reports) of the school years they were in, and nothing else; they are insiders,
so a page they may not use is 403, and a year they were not in is 404 (`years_read`,
`refuse_unless_reads_year`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .coverage import covers
from .models import Membership, Role, Structure, TerritoryRole, User
from .schoolyear import SchoolYear

# Run the structure: members, roles, invitations, blocks, plans.
MANAGING_ROLES = frozenset({Role.COORDINATOR, Role.CURATOR, Role.CHAIR, Role.HEAD})
# Admit newly registered members (R-PAV-6.1: the community's administrator does).
ADMITTING_ROLES = MANAGING_ROLES | {Role.ADMINISTRATOR}
# Open problems for discussion, admit materials (R-PAV-6.2, R-TUL-A2-4.2).
MODERATING_ROLES = ADMITTING_ROLES | {Role.MODERATOR}

# "see_years": the inner pages that are per school year (plans, events and minutes, materials,
# reports), which former members of a closed structure read for the years they were in.
Action = Literal["view", "see_years", "see_inner", "moderate", "admit", "manage"]


@dataclass(frozen=True)
class StructureAccess:
    role: str | None = None
    parent_role: str | None = None
    territory_coordinator: bool = False
    territory_methodist: bool = False
    superuser: bool = False
    # A closed structure's former member: the school years (their first calendar year) of their
    # memberships, and the roles they held, read-only (issue 16, continuity).
    former_years: frozenset[int] = frozenset()
    former_roles: frozenset[str] = frozenset()

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def is_former_member(self) -> bool:
        """Reads the record of their years only; everybody who sees the inner life reads all."""
        return bool(self.former_years) and not self.can_see_inner

    def can_read_year(self, year: SchoolYear | int) -> bool:
        start = year.start if isinstance(year, SchoolYear) else year
        return self.can_see_inner or start in self.former_years

    @property
    def can_manage(self) -> bool:
        return (
            self.superuser
            or self.territory_coordinator
            or self.role in MANAGING_ROLES
            or self.parent_role in MANAGING_ROLES
        )

    @property
    def can_admit(self) -> bool:
        return (
            self.can_manage or self.role in ADMITTING_ROLES or self.parent_role in ADMITTING_ROLES
        )

    @property
    def can_moderate(self) -> bool:
        return self.can_admit or self.role in MODERATING_ROLES

    @property
    def can_read_all(self) -> bool:
        """Sees every member's name and the structure's inner pages without being a member."""
        return self.can_manage or self.territory_methodist

    @property
    def can_see_inner(self) -> bool:
        return self.is_member or self.parent_role is not None or self.can_read_all

    def allows(self, action: Action) -> bool:
        return {
            "view": True,
            "see_years": self.can_see_inner or self.is_former_member,
            "see_inner": self.can_see_inner,
            "moderate": self.can_moderate,
            "admit": self.can_admit,
            "manage": self.can_manage,
        }[action]


def territory_roles(user: User) -> list[TerritoryRole]:
    """The person's territory roles, loaded once per request and kept on the user object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_territory_roles_cache", None)
    if cached is None:
        cached = list(TerritoryRole.objects.filter(user=user))
        user._territory_roles_cache = cached
    return cached


_TERRITORY_FIELDS = ("id", "user_id", "role", "region_id", "municipality_id")


def _memberships_and_territory(user: User, memberships):
    """(structure_id, role, since, until) of `memberships`; on the way, the person's territory
    roles for territory_roles(), in the same query (UNION ALL) when the request has not read
    them: every structure page asks both, and a round trip costs more than the rows (issue 19)."""
    columns = ("structure_id", "role", "since", "until")
    memberships = memberships.order_by()  # the model's ordering joins three tables for nothing
    if getattr(user, "_territory_roles_cache", None) is not None:
        return list(memberships.values_list(*columns))
    from django.db.models import DateField, IntegerField, Value
    from django.db.models.functions import Cast

    def none(field):
        return Cast(Value(None), field)

    rows = memberships.annotate(
        t_id=none(IntegerField()),
        t_region=none(IntegerField()),
        t_municipality=none(IntegerField()),
    ).values_list(*columns, "t_id", "t_region", "t_municipality")
    roles = (
        TerritoryRole.objects.filter(user=user)
        .annotate(
            m_structure=none(IntegerField()),
            m_since=none(DateField()),
            m_until=none(DateField()),
        )
        .values_list(
            "m_structure", "role", "m_since", "m_until", "id", "region_id", "municipality_id"
        )
    )
    found, territory = [], []
    for structure_id, role, since, until, t_id, region_id, municipality_id in rows.union(
        roles, all=True
    ):
        if t_id is None:
            found.append((structure_id, role, since, until))
        else:
            values = (t_id, user.pk, role, region_id, municipality_id)
            territory.append(TerritoryRole.from_db(roles.db, _TERRITORY_FIELDS, values))
    user._territory_roles_cache = sorted(territory, key=lambda r: r.pk)
    return found


def access_to(user: User, structure: Structure) -> StructureAccess:
    if not user.is_authenticated or not user.is_active:
        return StructureAccess()
    ids = [structure.pk] + ([structure.parent_id] if structure.parent_id else [])
    memberships = Membership.objects.filter(user=user, structure_id__in=ids)
    if not structure.is_closed:
        memberships = memberships.current()
    roles, former_years, former_roles = {}, set(), set()
    # One query either way: a closed structure's ended memberships come with the current ones,
    # and the territory roles with the memberships when this request has not read them yet.
    for structure_id, role, since, until in _memberships_and_territory(user, memberships):
        if until is None:
            roles[structure_id] = role
        elif structure_id == structure.pk:
            former_years.update(range(SchoolYear.of(since).start, SchoolYear.of(until).start + 1))
            former_roles.add(role)
    territory = [
        r
        for r in territory_roles(user)
        if covers(r, structure.region_id, structure.municipality_id)
    ]
    return StructureAccess(
        role=roles.get(structure.pk),
        parent_role=roles.get(structure.parent_id) if structure.parent_id else None,
        territory_coordinator=any(r.role == TerritoryRole.Role.COORDINATOR for r in territory),
        territory_methodist=any(r.role == TerritoryRole.Role.METHODIST for r in territory),
        superuser=user.is_superuser,
        former_years=frozenset(former_years),
        former_roles=frozenset(former_roles),
    )


def can_browse_structures(user: User) -> bool:
    return user.is_authenticated and user.is_active


def structure_for(user: User, pk: int, *, to: Action = "view", queryset=None) -> Structure:
    """Loads a structure for an action, or refuses: 404 to outsiders, 403 to insiders without
    the right. The access found is kept on `structure.access` for the view and template."""
    if not can_browse_structures(user):
        raise Http404
    queryset = queryset if queryset is not None else Structure.objects.select_related("kind")
    structure = get_object_or_404(queryset, pk=pk)
    access = access_to(user, structure)
    if not access.allows(to):
        if access.can_see_inner or access.is_former_member:
            raise PermissionDenied
        raise Http404
    structure.access = access
    return structure


def years_read(structure: Structure) -> list[SchoolYear]:
    """The structure's school years (newest first) whose record the viewer reads: all of them,
    or a former member's own (structure loaded by structure_for)."""
    access = structure.access
    return [y for y in structure.school_years() if access.can_read_year(y)]


def default_year_read(structure: Structure, asked: SchoolYear | None = None) -> SchoolYear:
    """The year a per-year page shows: the one asked for if the viewer reads it, else the
    structure's default year, else the newest year they read."""
    years = years_read(structure)
    if asked in years:
        return asked
    default = structure.default_school_year()
    return default if default in years or not years else years[0]


def refuse_unless_reads_year(structure: Structure, year: SchoolYear | int) -> None:
    """A year of the record the viewer was not in does not exist for them (404)."""
    if not structure.access.can_read_year(year):
        raise Http404


def can_see_name(access: StructureAccess, viewer: User, person: User) -> bool:
    """Members see each other's names only with the person's consent to show them; the people who
    run the structure or the territory need the names for their work and see them always."""
    if person.anonymised_at is not None:
        return False
    return person.pk == viewer.pk or access.can_read_all or access.superuser or person.shows_name


def can_request_to_join(user: User, structure: Structure, access: StructureAccess) -> bool:
    """Open kinds only (R-VLG-5.1, R-PAV-1.8); the blocks and pending requests are checked by
    the service that files the request."""
    return (
        structure.kind.open_membership
        and not structure.is_closed
        and not access.is_member
        and user.is_authenticated
    )
