"""Structure panels and home blocks: network pairs (S4), matching, contacts and tutoring
(networks.hooks). Each runs a fixed number of queries, whatever the data."""

from __future__ import annotations

from django.utils import timezone

from networks import hooks
from networks.models import PAIR_ROLES, Role
from networks.permissions import StructureAccess, can_see_name

from .. import permissions
from ..models import Contact, PairState
from ..selectors import pairs as selectors
from .requests import mentoring_settings

LIST_LIMIT = 10


def pair_panel(request, structure):
    """On a pair's page, for those who may read its log: the last contact, a link to the log,
    the dormant warning and the re-matching flag."""
    access = structure.access
    if not structure.kind.is_pair or not permissions.can_read_pair_log(access):
        return None
    last_contact = (
        Contact.objects.filter(pair=structure).order_by("-date").values_list("date", flat=True)
    ).first()
    limits = selectors.mentoring_settings(structure.region_id)
    state = PairState.objects.filter(pair=structure).first()
    return {
        "template": "mentoring/pairs/panels/pair.html",
        "order": 30,
        "pair": structure,
        "last_contact": last_contact,
        "dormant": selectors.is_dormant(
            structure, last_contact, limits.dormant_after_days, timezone.localdate()
        ),
        "limits": limits,
        "needs_rematch": bool(state and state.needs_rematch),
    }


def tutoring_panel(request, structure):
    """On S6 and S8 pages (the kinds with tutors): how many assignments, and the link."""
    access = structure.access
    if not structure.kind.allows_role("tutor") or not access.can_see_inner:
        return None
    sees_all = permissions.can_see_all_tutoring(access)
    count = selectors.tutoring_count(structure, user=request.user, sees_all=sees_all)
    can_assign = permissions.can_assign_tutors(access) and not structure.is_closed
    if not (count or can_assign or sees_all):
        return None
    return {
        "template": "mentoring/pairs/panels/tutoring.html",
        "order": 35,
        "structure": structure,
        "count": count,
        "sees_all": sees_all,
        "can_assign": can_assign,
    }


def curator_pairs(request):
    """«Мои пары» for curators and the territory's coordinators: how many, dormant, to re-match."""
    viewer = hooks.home_viewer(request)
    curated = selectors.curated_pairs(request.user, curated=viewer.structure_ids((Role.CURATOR,)))
    summary = selectors.pairs_summary(
        curated, today=timezone.localdate(), limits=mentoring_settings(request)
    )
    if not summary["total"]:
        return None
    return {"template": "mentoring/pairs/home/curator.html", "order": 25, **summary}


FORMER_LIMIT = 5


def _current_side(membership) -> bool:
    structure = membership.structure
    return (
        membership.until is None
        and membership.role in PAIR_ROLES
        and structure.kind.is_pair
        and structure.closed_on is None
    )


def _former_pairs(viewer) -> list:
    """selectors.my_former_pairs() from the memberships read already: closed pairs the person
    was a side of when they closed, newest first."""
    pairs = {
        m.structure.pk: m.structure
        for m in viewer.memberships
        if m.role in PAIR_ROLES
        and m.structure.kind.is_pair
        and m.structure.closed_on is not None
        and m.until == m.structure.closed_on
    }
    ordered = sorted(pairs.values(), key=lambda s: s.name)
    return sorted(ordered, key=lambda s: s.closed_on, reverse=True)[:FORMER_LIMIT]


def _pair_side(viewer) -> bool:
    return any(_current_side(m) for m in viewer.memberships) or bool(_former_pairs(viewer))


def my_pair(request):
    """«Моя сетевая пара» for a mentor or a mentee: the other side and the last contact."""
    viewer = hooks.home_viewer(request)
    memberships = []
    if any(_current_side(m) for m in viewer.memberships):
        memberships = list(selectors.my_pair_memberships(request.user)[: LIST_LIMIT + 1])
    former = _former_pairs(viewer)
    if not memberships and not former:
        return None
    rows = []
    for membership in memberships[:LIST_LIMIT]:
        access = StructureAccess(role=membership.role)
        others = [m.user for m in membership.structure.sides if m.user_id != request.user.pk]
        rows.append(
            {
                "membership": membership,
                "others": [(u, can_see_name(access, request.user, u)) for u in others],
                "last_contact": membership.last_contact,
            }
        )
    return {
        "template": "mentoring/pairs/home/my_pair.html",
        "order": 12,
        "rows": rows,
        "more": len(memberships) > LIST_LIMIT,
        "former": former,
    }


def mentoring_links(request):
    """Where to state one's deficits and strengths; matching and the catalogue for those who may."""
    can_match = _matches(hooks.home_viewer(request))
    return {
        "template": "mentoring/pairs/home/links.html",
        "order": 60,
        "can_match": can_match,
        "can_edit_catalogue": permissions.can_edit_catalogue(request.user),
        # Matching is a curator's daily way in: not folded on their home (issue 20).
        "kept_open": can_match,
    }


def _matches(viewer) -> bool:
    """bool(permissions.matching_scope()) from the memberships read already: the territory's
    coordinators and the curators of open pairs (R-TUL-A3-5.2)."""
    if not viewer.user.is_active:
        return False
    return (
        viewer.superuser
        or viewer.territory_coordinator
        or any(
            m.role == Role.CURATOR and m.structure.kind.is_pair and m.structure.closed_on is None
            for m in viewer.current
        )
    )


def _curates(viewer) -> bool:
    """selectors.curated_pairs: curators, the territory's coordinators."""
    return viewer.superuser or viewer.holds((Role.CURATOR,)) or viewer.territory_coordinator


def register() -> None:
    """Registers this feature's panels and home blocks with networks.hooks."""
    hooks.register_structure_panel(pair_panel)
    hooks.register_structure_panel(tutoring_panel)
    hooks.register_structure_figure("tutoring_all", lambda user: selectors.open_tutoring(None))
    hooks.register_structure_figure("tutoring_mine", selectors.open_tutoring)
    hooks.register_home_block(curator_pairs, who=_curates, kept_open=True)
    hooks.register_home_block(my_pair, who=_pair_side, kept_open=True)
    hooks.register_home_block(mentoring_links)
