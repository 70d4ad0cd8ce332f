"""The home block for territory coordinators: requests to add an organisation in their regions."""

from __future__ import annotations

from .. import kept
from ..kept import Kept
from ..models import OrganisationRequest, TerritoryRole
from ..permissions import territory_roles

LIST_LIMIT = 20


# The new requests of a region are the same for every coordinator of it: kept in the shared
# cache (networks.kept, issue 19) and watched by networks.home.register().
KEPT_REQUESTS = Kept("networks:home-organisation-requests")


def _coordinated_regions(user) -> set[int]:
    # A municipal coordinator sees the region's requests too: the municipality is free text.
    return {r.region_id for r in territory_roles(user) if r.role == TerritoryRole.Role.COORDINATOR}


def pending_organisation_requests(request):
    """The new requests in the regions the person coordinates, or None."""
    regions = _coordinated_regions(request.user)
    if not regions:
        return None
    return OrganisationRequest.objects.new().in_regions(regions)


def organisation_requests(request):
    pending = pending_organisation_requests(request)
    if pending is None:
        return None

    def load():
        return list(
            pending.select_related("user", "region").order_by("created_at")[: LIST_LIMIT + 1]
        )

    requests = KEPT_REQUESTS.get((kept.digest(_coordinated_regions(request.user)),), load)
    if not requests:
        return None
    return {
        "template": "account/home/organisation_requests.html",
        "order": 35,
        "requests": requests[:LIST_LIMIT],
        "more": len(requests) > LIST_LIMIT,
    }
