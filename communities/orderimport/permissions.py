"""Who may import order documents: the coordinators of a territory (the region's, or one
municipality's), for their territory, and superusers.

Refusals as everywhere (CONVENTIONS, «three answers»): a signed-in person who coordinates no
territory gets 403 on every import page; an import of a territory that is not theirs is a 404, so
a coordinator of another territory does not learn it exists; anonymous visitors sign in.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from networks.manage.permissions import can_set_up_structures, coordinated_territories
from networks.models import OrderImport, User

from .services import can_import_for


def refuse_unless_imports(user: User) -> None:
    if not can_set_up_structures(user):
        raise PermissionDenied


def order_import_for(user: User, pk: int) -> OrderImport:
    refuse_unless_imports(user)
    order_import = get_object_or_404(
        OrderImport.objects.select_related("region", "municipality", "created_by", "applied_by"),
        pk=pk,
    )
    if not can_import_for(user, order_import.region_id, order_import.municipality_id):
        raise Http404
    return order_import


def territories_of(user: User) -> list[tuple[str, str, int, int | None]]:
    """(value, label, region id, municipality id) of each territory the person imports for."""
    if user.is_superuser:
        from networks.models import Region

        return [(f"{r.pk}:", r.name, r.pk, None) for r in Region.objects.order_by("name")]
    out = []
    for role in coordinated_territories(user):
        label = role.region.name + (f", {role.municipality.name}" if role.municipality_id else "")
        out.append(
            (
                f"{role.region_id}:{role.municipality_id or ''}",
                label,
                role.region_id,
                role.municipality_id,
            )
        )
    return out
