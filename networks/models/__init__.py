"""Territory, organisations and their yearly status, people, orders, and THE network structure.

One `Structure` model serves all eight kinds the orders set up (S1–S8, see DOMAIN.md); what differs
between kinds is data in `StructureKind`, seeded by a migration.
"""

from .acts import OrderImport, StructureAct, StructureContact
from .consents import Consent, ConsentKind, ConsentText, ConsentTextQuerySet
from .orders import Order, Programme
from .people import LEADING_POSTS, TerritoryRole, User, UserManager
from .registry import RegistryImport
from .requests import OrganisationRequest, OrganisationRequestQuerySet
from .structures import (
    LEAD_ROLES,
    PAIR_ROLES,
    ClosingReason,
    Joiner,
    Membership,
    MembershipBreach,
    MembershipQuerySet,
    Role,
    Structure,
    StructureKind,
    StructureQuerySet,
    checks_person,
    joining_breach,
    leader_role_refusal,
    membership_breach,
)
from .territory import (
    Municipality,
    Organisation,
    OrganisationKind,
    OrganisationQuerySet,
    OrganisationStatus,
    Region,
    SchoolStatus,
)

__all__ = [
    "LEADING_POSTS",
    "LEAD_ROLES",
    "PAIR_ROLES",
    "ClosingReason",
    "Consent",
    "ConsentKind",
    "ConsentText",
    "ConsentTextQuerySet",
    "Joiner",
    "Membership",
    "MembershipBreach",
    "MembershipQuerySet",
    "Municipality",
    "Order",
    "OrderImport",
    "Organisation",
    "OrganisationKind",
    "OrganisationQuerySet",
    "OrganisationRequest",
    "OrganisationRequestQuerySet",
    "OrganisationStatus",
    "Programme",
    "Region",
    "RegistryImport",
    "Role",
    "SchoolStatus",
    "Structure",
    "StructureAct",
    "StructureContact",
    "StructureKind",
    "StructureQuerySet",
    "TerritoryRole",
    "User",
    "UserManager",
    "checks_person",
    "joining_breach",
    "leader_role_refusal",
    "membership_breach",
]
