"""The home blocks of schools (networks.hooks): the director's link to their school's page and the
territory's link to the methodist's table. Neither runs a query (the home page pins its count)."""

from __future__ import annotations

from networks import hooks
from networks.models import LEADING_POSTS, OrganisationKind, User


def _leads_organisation(viewer) -> bool:
    return bool(viewer.user.organisation_id) and viewer.user.post in LEADING_POSTS


def _reads_territory(viewer) -> bool:
    return any(r.role in ("methodist", "coordinator") for r in viewer.territory_roles)


def my_school(request):
    user = request.user
    if not user.is_authenticated or not user.organisation_id or user.post not in LEADING_POSTS:
        return None
    # The organisation is on the user already when networks' block showed it; not loaded for this.
    organisation = user.organisation if User.organisation.is_cached(user) else None
    if organisation is not None and organisation.kind != OrganisationKind.SCHOOL:
        return None
    return {
        "template": "schools/home/my_school.html",
        "order": 41,
        "organisation_id": user.organisation_id,
        "organisation": organisation,
    }


def territory_schools(request):
    viewer = hooks.home_viewer(request)
    if not _reads_territory(viewer):
        return None
    return {
        "template": "schools/home/territory_schools.html",
        "order": 56,
        # The region's coordinators load its risk profiles (as they load its registry).
        "imports_risks": any(r.municipality_id is None for r in viewer.coordinator_roles),
    }


def register() -> None:
    hooks.register_home_block(my_school, who=_leads_organisation)
    hooks.register_home_block(territory_schools, who=_reads_territory)
