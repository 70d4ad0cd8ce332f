"""Who switches a structure's public page on and off.

The territory's coordinator (and a superuser), and the people who lead the structure itself: its
coordinator, chair or head. Publishing the order, the regulation and the approved plan is the
decision of whoever answers for the structure (001 приказ п. 3 has the regulations published on
the site); curators, administrators, moderators and members do not take it, nor do the territory's
methodists, who read but do not act. Refusals follow the house rule (networks.permissions): an
outsider gets 404 from the loader, an insider without the right 403.
"""

from __future__ import annotations

from networks.models import Role
from networks.permissions import StructureAccess

PUBLISHING_ROLES = frozenset({Role.COORDINATOR, Role.CHAIR, Role.HEAD})


def can_publish_structure_page(access: StructureAccess) -> bool:
    return access.superuser or access.territory_coordinator or access.role in PUBLISHING_ROLES
