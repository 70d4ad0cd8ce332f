"""The blocks networks adds to the home page: my structures, and by what the person does —
a coordinator's members without consent to show their name, a director's school participation,
a methodist's territory. Each block shows only when it has something to say."""

from django.core.exceptions import PermissionDenied

from . import hooks, kept, selectors
from .account.home import KEPT_REQUESTS, organisation_requests
from .kept import Kept
from .models import (
    Membership,
    Municipality,
    OrganisationRequest,
    Region,
    Structure,
    StructureKind,
    TerritoryRole,
    User,
)
from .permissions import MANAGING_ROLES, territory_roles
from .registry.permissions import import_regions

LIST_LIMIT = 20


def _shown(request) -> set[int]:
    """The structures a block above already links on this home page (issue 20: the coordinator's
    home listed the same groups three times). The blocks run in the order they are registered:
    mine first, then my organisation's, then my territory's, each leaving out what is shown."""
    if not hasattr(request, "_home_structures_shown"):
        request._home_structures_shown = set()
    return request._home_structures_shown


def my_structures(request):
    # The person's current memberships, read once for every block (hooks.home_viewer).
    memberships = hooks.home_viewer(request).current[: LIST_LIMIT + 1]
    _shown(request).update(m.structure_id for m in memberships[:LIST_LIMIT])
    return {
        "template": "networks/home/my_structures.html",
        "order": 10,
        "memberships": memberships[:LIST_LIMIT],
        "more": len(memberships) > LIST_LIMIT,
    }


def _members_without_consent(request):
    viewer = hooks.home_viewer(request)
    managed = selectors.managed_condition(
        request.user,
        viewer.territory_roles,
        managing=viewer.structure_ids(MANAGING_ROLES, outside=viewer.coordinator_roles),
    )
    return selectors.members_without_name_consent(managed)


def members_without_consent(request):
    members = list(_members_without_consent(request)[: LIST_LIMIT + 1])
    if not members:
        return None
    return {
        "template": "networks/home/without_consent.html",
        "order": 30,
        "members": members[:LIST_LIMIT],
        "more": len(members) > LIST_LIMIT,
    }


def school_participation(request):
    organisation_id = request.user.organisation_id
    if organisation_id is None:
        return None
    shown = _shown(request)
    structures = list(
        selectors.school_participation(organisation_id).exclude(pk__in=shown)[:LIST_LIMIT]
    )
    if not structures and shown:
        return None  # all of them are the person's own, listed above
    shown.update(s.pk for s in structures)
    return {
        "template": "networks/home/school_participation.html",
        "order": 40,
        "organisation": request.user.organisation,
        "structures": structures,
        "besides_mine": bool(shown),
    }


# «Структуры моей территории» is the same for every person of a territory: its first structures
# by kind and name, with their member counts, are kept in the shared cache (networks.kept, issue
# 19). Enough of them that the blocks above, which leave out what they list (20 of the person's
# own, 20 of their school's), still leave a full block.
TERRITORY_STRUCTURES = Kept("networks:home-territory-structures")
KEPT_STRUCTURES = 3 * LIST_LIMIT + 1


def _territory_structures(roles) -> list[Structure]:
    def load():
        # The first ones found as ids, then only those read with their member counts: sorting
        # the region's 1,900 structures with every column joined cost more than finding them.
        first = (
            selectors.territory_structures(roles)
            .select_related(None)
            .values("pk")[:KEPT_STRUCTURES]
        )
        return list(
            Structure.objects.for_list()
            .select_related(None)
            .select_related("kind")  # the block names the kind only
            .only("name", "kind__name", "kind__code")
            .filter(pk__in=first)
            .order_by("kind__code", "name")
        )

    return TERRITORY_STRUCTURES.get((kept.territories(roles),), load)


def my_territory(request):
    roles = territory_roles(request.user)
    if not roles:
        return None
    shown = _shown(request)
    structures = [s for s in _territory_structures(roles) if s.pk not in shown][: LIST_LIMIT + 1]
    besides = bool(shown)
    shown.update(s.pk for s in structures[:LIST_LIMIT])
    return {
        "template": "networks/home/territory.html",
        "order": 50,
        "roles": roles,
        "structures": structures[:LIST_LIMIT],
        "more": len(structures) > LIST_LIMIT,
        "besides_shown": besides,
        "region_id": roles[0].region_id,
        # Issue 16: the territory's coordinators set structures up in the portal.
        "can_create": any(r.role == r.Role.COORDINATOR for r in roles),
    }


REGIONS_SHOWN = 5


def registry(request):
    """Those who may import a region's registry (its coordinators, superusers; the permission
    module decides) load the school registry and the yearly ШНОР/ШССУ lists."""
    user = request.user
    if user.is_superuser or not user.is_active:
        try:
            regions = list(import_regions(user)[: REGIONS_SHOWN + 1])
        except PermissionDenied:
            return None
    else:
        # import_regions() of a coordinator: the regions of their whole-region roles, read with
        # the roles (hooks.home_viewer), by name.
        roles = hooks.home_viewer(request).coordinator_roles
        regions = {r.region_id: r.region for r in roles if r.municipality_id is None}
        regions = sorted(regions.values(), key=lambda r: r.name)[: REGIONS_SHOWN + 1]
        if not regions:
            return None
    return {
        "template": "networks/home/registry.html",
        "order": 60,
        "regions": regions[:REGIONS_SHOWN],
        "more_regions": len(regions) > REGIONS_SHOWN,
    }


def _manages(viewer) -> bool:
    return viewer.holds(MANAGING_ROLES) or viewer.territory_coordinator


def _imports_registry(viewer) -> bool:
    return viewer.superuser or any(r.municipality_id is None for r in viewer.coordinator_roles)


def register() -> None:
    # Who may have each block (issue 19): the others are not asked at all.
    hooks.register_home_block(my_structures, kept_open=True)
    hooks.register_home_block(
        members_without_consent,
        who=_manages,
        needs=hooks.NEEDS_ACTION,
        probe=_members_without_consent,
    )
    hooks.register_home_block(
        organisation_requests, who=lambda v: v.territory_coordinator, needs=hooks.NEEDS_ACTION
    )
    hooks.register_home_block(school_participation, who=lambda v: v.user.organisation_id)
    hooks.register_home_block(my_territory, who=lambda v: bool(v.territory_roles))
    hooks.register_home_block(registry, who=_imports_registry)

    # What the shared cache keeps for the home page, and every model it is read from.
    hooks.TERRITORY_ROLES.watch(TerritoryRole, Region, Municipality, Structure, StructureKind)
    TERRITORY_STRUCTURES.watch(Structure, StructureKind, Membership)
    KEPT_REQUESTS.watch(OrganisationRequest, Region)
    # The requests name who filed them: a change of name or e-mail shows, a sign-in does not.
    KEPT_REQUESTS.watch(User, unless_only=("last_login",))
