"""Structure panels and home blocks: Online-group statistics (S2, S3) (networks.hooks).

The panel on an S2/S3 structure page shows the latest period's figures and a sparkline of visitors
to whoever sees the group's inner life, with links to enter and import for those allowed (one
query). The home block links a territory's coordinators and methodists to the overview of their
region's groups (one query)."""

from __future__ import annotations

from networks import hooks
from networks.permissions import territory_roles

from .. import permissions
from ..group_chart import sparkline
from ..selectors.groups import recent_group_statistics, regions_with_groups

SPARKLINE_PERIODS = 12


def structure_panel(request, structure):
    access = structure.access
    if not permissions.is_online_group(structure) or not permissions.can_see_group_statistics(
        access
    ):
        return None
    recent = recent_group_statistics(structure, SPARKLINE_PERIODS)
    visitors = [s.visitors for s in recent]
    return {
        "template": "mentoring/groups/panel.html",
        "order": 45,
        "structure": structure,
        "latest": recent[-1] if recent else None,
        "recent": recent,
        "visitors": visitors,
        "sparkline": sparkline(visitors),
        "can_enter": permissions.can_enter_group_statistics(access) and not structure.is_closed,
    }


def territory_groups(request):
    user = request.user
    if not user.is_authenticated or not (user.is_superuser or territory_roles(user)):
        return None
    regions = regions_with_groups(user)
    if not regions:
        return None
    return {"template": "mentoring/groups/home.html", "order": 55, "regions": regions}


def register() -> None:
    """Registers this feature's panels and home blocks with networks.hooks."""
    hooks.register_structure_panel(structure_panel)
    hooks.register_home_block(
        territory_groups, who=lambda v: v.superuser or bool(v.territory_roles)
    )
