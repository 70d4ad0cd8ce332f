"""Who made a change, for the change history (django-simple-history) of every app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords

from .models import User


@contextmanager
def acting_as(user: User | None) -> Iterator[None]:
    """History records made inside name `user`, also outside a request (a command, a task).

    In a request HistoryRequestMiddleware already does this. A service that lets another service
    create the rows (networks' membership_add and membership_end create them themselves) cannot
    reach them through `instance._history_user`, so it wraps the call in this.

    simple_history reads the acting user from its thread-local `HistoricalRecords.context.request`,
    a private detail: this is the one place that touches it.
    """
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    if user is None or getattr(previous, "user", None) == user:
        yield
        return
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous
