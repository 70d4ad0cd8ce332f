"""Where the services below reporting say that something a territory's summary counts has changed.

The arrows point `reporting → mentoring → communities → networks`, so those services cannot call
reporting.counters themselves: reporting registers it here in its AppConfig.ready(), and each call
below passes straight to it, inside the caller's transaction (issue 19). Without a keeper (an app
set without reporting) the calls do nothing.
"""

from __future__ import annotations

from typing import Any

_keeper: Any = None


def register(keeper: Any) -> None:
    global _keeper
    _keeper = keeper


def structure_changed(structure, *when) -> None:
    """Events held, minutes signed, contacts, online statistics: the school years of `when`."""
    if _keeper is not None:
        _keeper.structure_changed(structure, *when)


def membership_changed(membership) -> None:
    if _keeper is not None:
        _keeper.membership_changed(membership)


def members_changed(structure, since) -> None:
    if _keeper is not None:
        _keeper.members_changed(structure, since)


def plan_changed(plan) -> None:
    if _keeper is not None:
        _keeper.plan_changed(plan)


def round_changed(round) -> None:
    if _keeper is not None:
        _keeper.round_changed(round)


def answered(response) -> None:
    if _keeper is not None:
        _keeper.answered(response)
