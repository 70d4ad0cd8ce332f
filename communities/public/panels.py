"""The public page on the structure's own page (networks.hooks): the switch for those who may use
it, the public address for everybody once it is on. No query: the access is on the structure."""

from __future__ import annotations

from django.urls import reverse

from networks import hooks

from . import permissions


def structure_panel(request, structure):
    may_switch = permissions.can_publish_structure_page(structure.access)
    if not may_switch and not structure.public_page:
        return None
    return {
        "template": "communities/public/panel.html",
        "order": 5,
        "structure": structure,
        "may_switch": may_switch,
        "public_url": request.build_absolute_uri(reverse("public:structure", args=[structure.pk])),
    }


def register() -> None:
    hooks.register_structure_panel(structure_panel)
