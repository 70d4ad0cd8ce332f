"""Structure panels and home blocks of materials and discussions (networks.hooks).

Each runs a fixed number of queries whatever the data: the panel at most three (latest materials,
open discussions, the number waiting for admission), the home block one."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from networks import hooks
from networks.permissions import ADMITTING_ROLES

from .. import permissions, selectors
from ..models import Material
from .membership import admits_somewhere

PANEL_LIMIT = 5
HOME_LIMIT = 10


def structure_panel(request, structure):
    """Latest materials and open discussions for those who see the structure's inner life;
    for admitters, how many materials wait (R-PAV-6.1)."""
    access = structure.access
    if not access.can_see_inner:
        return None
    may_admit = permissions.can_admit_material(access)
    return {
        "template": "communities/materials/panel.html",
        "order": 40,
        "structure": structure,
        "materials": list(selectors.latest_materials(structure)[:PANEL_LIMIT]),
        "discussions": _open_discussions(structure),
        "may_add": permissions.can_add_material(access) and not structure.is_closed,
        "may_admit": may_admit,
        "pending_count": _pending_materials(structure) if may_admit else None,
    }


def _open_discussions(structure) -> list:
    if hooks.structure_figure(structure, "open_discussions") is False:
        return []  # most structures have none open: the page read that with the structure
    return list(selectors.open_discussions(structure)[:PANEL_LIMIT])


def _pending_materials(structure) -> int:
    known = hooks.structure_figure(structure, "materials_pending")
    return structure.materials.pending().count() if known is None else known


def _materials_awaiting(request):
    admitting = hooks.home_viewer(request).structure_ids(ADMITTING_ROLES)
    return selectors.materials_awaiting(request.user, admitting=admitting)


def materials_awaiting(request):
    """«Материалы, ожидающие допуска» across every structure the person admits in."""
    pending = list(_materials_awaiting(request)[: HOME_LIMIT + 1])
    if not pending:
        return None
    return {
        "template": "communities/materials/home_awaiting.html",
        "order": 16,
        "materials": pending[:HOME_LIMIT],
        "more": len(pending) > HOME_LIMIT,
    }


def register() -> None:
    """Registers this feature's panels and home blocks with networks.hooks."""
    hooks.register_structure_panel(structure_panel)
    hooks.register_structure_figure(
        "materials_pending",
        lambda user: hooks.count_of(Material.objects.pending().filter(structure=OuterRef("pk"))),
    )
    hooks.register_structure_figure(
        "open_discussions",
        lambda user: Exists(selectors.open_discussions_in(OuterRef("pk"))),
    )
    hooks.register_home_block(
        materials_awaiting,
        who=admits_somewhere,
        needs=hooks.NEEDS_ACTION,
        probe=_materials_awaiting,
    )
