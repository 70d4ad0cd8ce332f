"""The one write of the public pages: switching a structure's page on or off."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from networks.history import acting_as
from networks.models import Structure, User


@transaction.atomic
def structure_public_page_set(*, structure: Structure, on: bool, by: User) -> Structure:
    """Switches the public page; the same switch twice changes nothing. The save moves the
    structure's `updated_at`, which the public lists' ETags read, and enters the change history.
    A closed structure may keep its page (it then says since when it is closed)."""
    if structure.public_page == on:
        return structure
    structure.public_page = on
    try:
        structure.full_clean()
    except ValidationError:
        structure.public_page = not on
        raise
    with acting_as(by):
        structure.save(update_fields=["public_page", "updated_at"])
    return structure
