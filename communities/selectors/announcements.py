"""Reads of announcements (issue 17)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from networks.models import Structure

from ..models import Announcement


def announcements_of(structure: Structure) -> QuerySet[Announcement]:
    """What the structure's pages list, newest first: its own announcements, and for a
    sub-community also its parent's to everybody and to this sub-community. One query a page
    (author, audience and event joined), plus the paginator's count."""
    shown = Q(structure=structure) | Q(audience=structure)
    if structure.parent_id:
        shown |= Q(structure_id=structure.parent_id, audience__isnull=True)
    return (
        Announcement.objects.filter(shown)
        .select_related("structure", "audience", "author", "event")
        .order_by("-created_at", "-pk")
    )
