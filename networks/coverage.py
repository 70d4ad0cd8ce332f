"""Whether a territory covers a place: the one answer, in Python and in SQL.

A territory is anything with `region_id` and `municipality_id` — a TerritoryRole, or a Place
below. A region-wide one (no municipality) covers every place of its region; a municipal one only
the places of its municipality, so not a regional place that has no municipality. Permissions ask
`covers()` about an object they have loaded; selectors filter querysets with `covered_by()`, which
states the same rule as a condition on the model's fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, Protocol

from django.db.models import Q


class Territory(Protocol):
    region_id: int
    municipality_id: int | None


class Place(NamedTuple):
    """A territory that is not a role: a region (municipality None) or one of its municipalities."""

    region_id: int
    municipality_id: int | None = None


def covers(territory: Territory, region_id: int, municipality_id: int | None) -> bool:
    """Whether the territory covers a place in `region_id` and `municipality_id` (None: a place of
    the region as a whole)."""
    return territory.region_id == region_id and (
        territory.municipality_id is None or territory.municipality_id == municipality_id
    )


def covered_by(
    territories: Iterable[Territory],
    *,
    region: str = "region_id",
    municipality: str = "municipality_id",
) -> Q | None:
    """covers() as one condition for a queryset: the rows placed in any of the territories, the
    place read from the field paths `region` and `municipality` (e.g. "organisation__municipality_id"
    for a help request). None when there is no territory at all: the caller decides whether that
    means nothing (filter .none()) or leaves the condition out."""
    condition = None
    for territory in territories:
        part = Q(**{region: territory.region_id})
        if territory.municipality_id is not None:
            part &= Q(**{municipality: territory.municipality_id})
        condition = part if condition is None else condition | part
    return condition
