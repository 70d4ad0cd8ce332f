"""Where the services below reporting say that something a territory's summary counts has changed.

The arrows point `reporting → mentoring → communities → networks`, so those services cannot call
reporting.counters themselves: reporting registers it here in its AppConfig.ready(), and each call
below passes straight to it, inside the caller's transaction (issue 19) — or, inside batched(), is
written down and recounted with the block's other changes when the block ends. Without a keeper
(an app set without reporting) the calls do nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_keeper: Any = None
# Inside deferred(): the calls below do nothing (per thread and task, not per process).
_deferred: ContextVar[bool] = ContextVar("figures_deferred", default=False)
# Inside batched(): the calls below are written down and recounted together when it ends.
_batch: ContextVar[list | None] = ContextVar("figures_batch", default=None)


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


@contextmanager
def batched() -> Iterator[None]:
    """For a service that makes several writes the summary counts (a pair's three members, an
    order's working group): the recounts they ask for are made once, together, when the block ends
    without an error — still inside the caller's transaction, so the rows are locked and counted
    before it commits, as a single call's are. A pair founded in 2020 recounted its eight school
    years three times, once per side. Nested blocks join the outermost one."""
    if _batch.get() is not None:
        yield
        return
    pending: list = []
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    if pending and _keeper is not None:
        _keeper.flush(pending)


def _keeping() -> bool:
    return _keeper is not None and not _deferred.get()


def _call(name: str, *args) -> None:
    if not _keeping():
        return
    pending = _batch.get()
    if pending is None:
        getattr(_keeper, name)(*args)
    else:
        # What the call would recount is worked out now (a membership's dates may change later).
        pending.extend(_keeper.requests(name, *args))


def register(keeper: Any) -> None:
    global _keeper
    _keeper = keeper


def structure_changed(structure, *when) -> None:
    """Events held, minutes signed, contacts, online statistics: the school years of `when`."""
    _call("structure_changed", structure, *when)


def membership_changed(membership) -> None:
    _call("membership_changed", membership)


def members_changed(structure, since) -> None:
    _call("members_changed", structure, since)


def plan_changed(plan) -> None:
    _call("plan_changed", plan)


def round_changed(round) -> None:
    _call("round_changed", round)


def answered(response) -> None:
    _call("answered", response)
