"""Who sees and changes a school's page (issue 21), decided in one place.

Those who see it: the school's director and deputies (people of the school in a leading post), its
current curators, the coordinators and methodists of a territory covering the school, superusers.
Anyone else gets 404 (they do not learn what is there); someone who sees but may not change gets
403 on the change views.

Who changes what: the risk profile — a curator or the territory's coordinator; the curators — the
territory's coordinator; the development documents — the director uploads and submits, a curator
(or the coordinator) accepts or returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404

from networks.coverage import covers
from networks.models import LEADING_POSTS, Organisation, Role, TerritoryRole, User
from networks.permissions import StructureAccess, can_see_name, territory_roles

from .models import SchoolCurator

Action = Literal["view", "edit_risks", "assign_curators", "upload", "decide"]


@dataclass(frozen=True)
class SchoolAccess:
    director: bool = False
    curator: bool = False
    coordinator: bool = False
    methodist: bool = False
    superuser: bool = False

    @property
    def can_view(self) -> bool:
        return any((self.director, self.curator, self.coordinator, self.methodist, self.superuser))

    @property
    def can_edit_risks(self) -> bool:
        return self.curator or self.coordinator or self.superuser

    @property
    def can_assign_curators(self) -> bool:
        return self.coordinator or self.superuser

    @property
    def can_upload(self) -> bool:
        return self.director or self.superuser

    @property
    def can_decide(self) -> bool:
        return self.curator or self.coordinator or self.superuser

    def allows(self, action: Action) -> bool:
        return {
            "view": self.can_view,
            "edit_risks": self.can_edit_risks,
            "assign_curators": self.can_assign_curators,
            "upload": self.can_upload,
            "decide": self.can_decide,
        }[action]

    @property
    def as_structure_access(self) -> StructureAccess:
        """The same standing in networks' terms, for can_see_name: curators and the territory's
        people need the names for their work; the director sees them with consent only."""
        return StructureAccess(
            role=Role.CURATOR if self.curator else None,
            territory_coordinator=self.coordinator,
            territory_methodist=self.methodist,
            superuser=self.superuser,
        )


def is_director(user: User, organisation: Organisation) -> bool:
    return user.organisation_id == organisation.pk and user.post in LEADING_POSTS


def access_to_school(user: User, organisation: Organisation) -> SchoolAccess:
    if not user.is_authenticated or not user.is_active:
        return SchoolAccess()
    roles = [
        r
        for r in territory_roles(user)
        if covers(r, organisation.region_id, organisation.municipality_id)
    ]
    curator = getattr(organisation, "viewer_curates", None)
    if curator is None:
        curator = (
            SchoolCurator.objects.current().filter(organisation=organisation, user=user).exists()
        )
    return SchoolAccess(
        director=is_director(user, organisation),
        curator=bool(curator),
        coordinator=any(r.role == TerritoryRole.Role.COORDINATOR for r in roles),
        methodist=any(r.role == TerritoryRole.Role.METHODIST for r in roles),
        superuser=user.is_superuser,
    )


def school_for(user: User, pk: int, *, to: Action = "view") -> Organisation:
    """The school for an action, or a refusal: 404 to whoever may not see it, 403 to whoever sees
    it without the right. One query for the school (with whether the viewer curates it), plus the
    viewer's territory roles (cached per request). The access is kept on `school.access`."""
    if not user.is_authenticated:
        raise Http404
    school = (
        Organisation.objects.schools()
        .select_related("region", "municipality", "successor")
        .annotate(
            viewer_curates=Exists(
                SchoolCurator.objects.current().filter(organisation=OuterRef("pk"), user=user)
            )
        )
        .filter(pk=pk)
        .first()
    )
    if school is None:
        raise Http404
    access = access_to_school(user, school)
    if not access.can_view:
        raise Http404
    if not access.allows(to):
        raise PermissionDenied
    school.access = access
    return school


def shows_name(access: SchoolAccess, viewer: User, person: User) -> bool:
    return can_see_name(access.as_structure_access, viewer, person)


def territory_table_roles(user: User) -> list[TerritoryRole]:
    """The territory roles that open the methodist's table: methodists and coordinators."""
    return [
        r
        for r in territory_roles(user)
        if r.role in (TerritoryRole.Role.METHODIST, TerritoryRole.Role.COORDINATOR)
    ]
