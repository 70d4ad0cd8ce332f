"""The home block for territory coordinators: requests to add an organisation in their regions."""

from __future__ import annotations

from ..models import OrganisationRequest, TerritoryRole
from ..permissions import territory_roles

LIST_LIMIT = 20


def pending_organisation_requests(request):
    """The new requests in the regions the person coordinates (the block's probe), or None."""
    # A municipal coordinator sees the region's requests too: the municipality is free text.
    regions = {
        r.region_id
        for r in territory_roles(request.user)
        if r.role == TerritoryRole.Role.COORDINATOR
    }
    if not regions:
        return None
    return OrganisationRequest.objects.new().in_regions(regions)


def organisation_requests(request):
    pending = pending_organisation_requests(request)
    if pending is None:
        return None
    requests = list(
        pending.select_related("user", "region").order_by("created_at")[: LIST_LIMIT + 1]
    )
    if not requests:
        return None
    return {
        "template": "account/home/organisation_requests.html",
        "order": 35,
        "requests": requests[:LIST_LIMIT],
        "more": len(requests) > LIST_LIMIT,
    }
