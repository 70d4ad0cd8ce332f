"""Writes to structures and memberships. Views, admin actions, commands and tasks all call these."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import figures
from .models import ClosingReason, Membership, Order, Structure, User


def refuse_if_closed(structure: Structure) -> None:
    """A closed structure keeps its record read-only: no new members, events, plans or materials."""
    if structure.is_closed:
        raise ValidationError(
            _("Структура прекратила деятельность %(date)s: её записи доступны только для чтения.")
            % {"date": f"{structure.closed_on:%d.%m.%Y}"}
        )


@transaction.atomic
def membership_add(
    *,
    structure: Structure,
    user: User,
    role: str,
    since: dt.date | None = None,
    elected_on: dt.date | None = None,
) -> Membership:
    refuse_if_closed(structure)
    membership = Membership(
        structure=structure,
        user=user,
        role=role,
        since=since or timezone.localdate(),
        elected_on=elected_on,
    )
    membership.full_clean()
    membership.save()
    figures.membership_changed(membership)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, on: dt.date | None = None) -> Membership:
    """Ends a membership; the row stays so that past years keep their members."""
    if membership.until is not None:
        raise ValidationError(_("Участие уже завершено."))
    membership.until = on or timezone.localdate()
    membership.full_clean()
    membership.save(update_fields=["until"])
    figures.membership_changed(membership)
    return membership


@transaction.atomic
def structure_close(
    *,
    structure: Structure,
    on: dt.date,
    reason: str,
    order: Order | None = None,
) -> Structure:
    """Closes a structure and ends its memberships on the same day (R-PRI-4.4/4.5/4.6)."""
    refuse_if_closed(structure)
    structure.closed_on, structure.closing_reason, structure.closing_order = on, reason, order
    try:
        structure.full_clean()
    except ValidationError:
        # A refused closing must not leave the caller's object looking closed.
        structure.closed_on, structure.closing_reason, structure.closing_order = None, "", None
        raise
    structure.save(update_fields=["closed_on", "closing_reason", "closing_order", "updated_at"])
    # One save per membership (not a bulk update) so that each ending enters the change history.
    for membership in structure.memberships.current().filter(since__lte=on):
        membership.until = on
        membership.save(update_fields=["until"])
    figures.members_changed(structure, on)
    return structure


def structures_close_at_term_end(*, today: dt.date) -> list[Structure]:
    """R-PRI-4.4: a structure with a term stops when the term is over, without anyone's click."""
    expired = Structure.objects.open().filter(term_end__lt=today)
    closed = []
    for structure in expired:
        closed.append(
            structure_close(
                structure=structure, on=structure.term_end, reason=ClosingReason.TERM_ENDED
            )
        )
    return closed
