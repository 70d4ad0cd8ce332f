"""Where the services below reporting say that something a territory's summary counts has changed.

The arrows point `reporting → mentoring → communities → networks`, so those services cannot call
reporting.counters themselves: reporting registers it here in its AppConfig.ready(), and each call
below passes straight to it, inside the caller's transaction (issue 19). Without a keeper (an app
set without reporting) the calls do nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_keeper: Any = None
# Inside deferred(): the calls below do nothing (per thread and task, not per process).
_deferred: ContextVar[bool] = ContextVar("figures_deferred", default=False)


@contextmanager
def deferred() -> Iterator[None]:
    """For a bulk loader (the demo): no recount per write inside — a membership's recount walks
    every school year since it began, and the demo's thousands of writes took seconds each
    minute — the loader recounts everything once at its end (reporting.counters.recount())."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def _keeping() -> bool:
    return _keeper is not None and not _deferred.get()


def register(keeper: Any) -> None:
    global _keeper
    _keeper = keeper


def structure_changed(structure, *when) -> None:
    """Events held, minutes signed, contacts, online statistics: the school years of `when`."""
    if _keeping():
        _keeper.structure_changed(structure, *when)


def membership_changed(membership) -> None:
    if _keeping():
        _keeper.membership_changed(membership)


def members_changed(structure, since) -> None:
    if _keeping():
        _keeper.members_changed(structure, since)


def plan_changed(plan) -> None:
    if _keeping():
        _keeper.plan_changed(plan)


def round_changed(round) -> None:
    if _keeping():
        _keeper.round_changed(round)


def answered(response) -> None:
    if _keeping():
        _keeper.answered(response)
