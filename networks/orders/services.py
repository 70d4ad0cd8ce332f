"""Writes of the orders register: an order recorded or corrected, a programme created or changed,
by `by` (named to the change history of whatever a save touches)."""

from __future__ import annotations

from django.db import transaction

from ..history import acting_as
from ..models import Order, Programme, User


@transaction.atomic
def order_save(*, order: Order, by: User) -> Order:
    """Records a new order or saves a corrected one (its fields set by the form). Refusals (the
    same number from the same issuer on the same day) come as ValidationError."""
    with acting_as(by):
        order.number = order.number.strip()
        order.title = order.title.strip()
        order.full_clean()
        order.save()
    return order


@transaction.atomic
def programme_save(*, programme: Programme, by: User) -> Programme:
    with acting_as(by):
        programme.title = programme.title.strip()
        programme.full_clean()
        programme.save()
    return programme
