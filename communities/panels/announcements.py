"""The structure page's panel of announcements (networks.hooks, issue 17): the latest few, in one
query whatever the data."""

from __future__ import annotations

from networks import hooks

from .. import permissions
from ..selectors.announcements import announcements_of

PANEL_LIMIT = 5


def structure_panel(request, structure):
    """The latest announcements for those who read them; the link to post for those who may."""
    access = structure.access
    if not permissions.can_read_announcements(access):
        return None
    return {
        "template": "communities/announcements/panel.html",
        "order": 12,
        "structure": structure,
        "announcements": list(announcements_of(structure)[:PANEL_LIMIT]),
        "may_post": permissions.can_post_announcement(access, structure),
    }


def register() -> None:
    hooks.register_structure_panel(structure_panel)
