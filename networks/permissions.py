"""Who may see what in the networks app. Views and templates ask here and never decide alone."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Structure, User


def can_browse_structures(user: User) -> bool:
    # The founding orders are public documents; every signed-in person may browse the structures.
    return user.is_authenticated and user.is_active


def structure_for(user: User, pk: int, *, queryset=None) -> Structure:
    """Loads a structure the user may see, or raises 404 (a stranger must not learn it exists)."""
    if not can_browse_structures(user):
        raise Http404
    queryset = queryset if queryset is not None else Structure.objects.all()
    return get_object_or_404(queryset, pk=pk)
