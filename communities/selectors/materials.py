"""Reads of materials, discussions and polls. Each does its own select_related and annotations,
so that the pages run the same number of queries with ten materials or a thousand posts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Max, Q, QuerySet, When

from networks.models import Structure, User
from networks.permissions import StructureAccess
from networks.schoolyear import SchoolYear
from networks.search import search
from networks.selectors import through

from ..models import Discussion, Material, Poll, PollVoter, Post
from ..permissions import admitted_condition, can_admit_material


def visible_materials(structure: Structure, user: User, access: StructureAccess) -> QuerySet:
    """Published materials for every insider; pending ones for their author and the admitters;
    removed ones (with the reason) for the same people, so the author learns why."""
    materials = structure.materials.select_related("author")
    if can_admit_material(access):
        return materials
    if access.is_former_member:
        # A closed structure's former member reads what was published in their school years.
        years = Q(pk__in=[])
        for start in access.former_years:
            years |= Q(created_at__range=SchoolYear(start).moments)
        return materials.filter(years, status=Material.Status.PUBLISHED)
    return materials.filter(Q(status=Material.Status.PUBLISHED) | Q(author=user))


def material_list(
    structure: Structure,
    user: User,
    access: StructureAccess,
    *,
    query: str = "",
    subject: str = "",
    kind: str = "",
    status: str = "",
) -> QuerySet[Material]:
    materials = visible_materials(structure, user, access)
    if status:
        materials = materials.filter(status=status)
    elif can_admit_material(access):
        # Removed materials stay on record; admitters ask for them with the status filter.
        materials = materials.exclude(status=Material.Status.REMOVED)
    if query:
        materials = search(materials, query)
    if subject:
        materials = materials.filter(subject=subject)
    if kind:
        materials = materials.filter(kind=kind)
    return materials.order_by("-created_at", "-pk")


def material_subjects(structure: Structure) -> list[str]:
    """The subjects of the structure's published materials, for the filter."""
    return list(
        structure.materials.published()
        .exclude(subject="")
        .order_by("subject")
        .values_list("subject", flat=True)
        .distinct()
    )


def pending_materials(structure: Structure) -> QuerySet[Material]:
    return structure.materials.pending().select_related("author").order_by("created_at", "pk")


def latest_materials(structure: Structure) -> QuerySet[Material]:
    return structure.materials.published().select_related("author").order_by("-created_at", "-pk")


def materials_awaiting(user: User, *, admitting: list[int] | None = None) -> QuerySet[Material]:
    """Pending materials in every structure the person admits in, oldest first (home page;
    `admitting`: see permissions.admitted_condition)."""
    return (
        Material.objects.pending()
        .filter(through(admitted_condition(user, admitting=admitting)))
        .select_related("structure", "author")
        .order_by("created_at", "pk")
    )


# --- Discussions -----------------------------------------------------------------------------


def discussions(structure: Structure) -> QuerySet[Discussion]:
    """Open discussions first, then the closed ones; with the number of visible posts."""
    return (
        structure.discussions.select_related("opened_by")
        .annotate(
            post_count=Count("posts", filter=Q(posts__removed_at__isnull=True)),
            last_post_at=Max("posts__created_at", filter=Q(posts__removed_at__isnull=True)),
        )
        .order_by(
            Case(When(closed_at__isnull=True, then=0), default=1),
            "-created_at",
            "-pk",
        )
    )


def open_discussions(structure: Structure) -> QuerySet[Discussion]:
    return open_discussions_in(structure).order_by("-created_at", "-pk")


def open_discussions_in(structure) -> QuerySet[Discussion]:
    """The open discussions of a structure (or of OuterRef("pk"), for a structure figure)."""
    return Discussion.objects.filter(structure=structure, closed_at__isnull=True)


def discussion_posts(discussion: Discussion) -> QuerySet[Post]:
    return discussion.posts.select_related("author").order_by("created_at", "pk")


def structure_polls(structure: Structure) -> QuerySet[Poll]:
    """Polls that stand alone, not inside a discussion."""
    return (
        structure.polls.filter(discussion__isnull=True)
        .select_related("structure", "discussion")
        .annotate(voter_count=Count("voters"))
        .order_by("-created_at", "-pk")
    )


def discussion_polls(discussion: Discussion) -> QuerySet[Poll]:
    return (
        discussion.polls.select_related("structure", "discussion")
        .annotate(voter_count=Count("voters"))
        .order_by("created_at", "pk")
    )


# --- Poll results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionResult:
    pk: int
    text: str
    votes: int
    percent: int  # of the people who voted; with several choices the sum may exceed 100


@dataclass(frozen=True)
class PollResults:
    voters: int
    options: list[OptionResult]


def poll_results(poll: Poll) -> PollResults:
    options = list(poll.options.annotate(votes_count=Count("votes")).order_by("position", "pk"))
    voters = poll.voters.count()
    return PollResults(
        voters=voters,
        options=[
            OptionResult(
                pk=o.pk,
                text=o.text,
                votes=o.votes_count,
                percent=round(100 * o.votes_count / voters) if voters else 0,
            )
            for o in options
        ],
    )


def has_voted(poll: Poll, user: User) -> bool:
    return PollVoter.objects.filter(poll=poll, user=user).exists()


def voted_polls(polls: list[Poll], user: User) -> set[int]:
    """Which of these polls the person has voted in, in one query."""
    return set(
        PollVoter.objects.filter(poll__in=[p.pk for p in polls], user=user).values_list(
            "poll_id", flat=True
        )
    )


__all__ = [
    "OptionResult",
    "PollResults",
    "discussion_polls",
    "discussion_posts",
    "discussions",
    "has_voted",
    "latest_materials",
    "material_list",
    "material_subjects",
    "materials_awaiting",
    "open_discussions",
    "open_discussions_in",
    "pending_materials",
    "poll_results",
    "structure_polls",
    "visible_materials",
    "voted_polls",
]
