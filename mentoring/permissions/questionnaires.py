"""Who may build, send out and read monitoring questionnaires.

Coordinators of a territory build questionnaires for their region and send them out in rounds.
R-TUL-A3-4.2.1, 5.3: the answers of a pair are read by its curators and the territory's
coordinators. Each side of a pair sees its own answers only: the mentor does not read the
mentee's answers nor the other way round, so that both can answer frankly (a mentee may say the
pair does not fit). The territory's methodists see a round's aggregated figures, without names,
per-pair rows or free-text answers; they never see a pair's answers (403).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from networks.coverage import covered_by
from networks.models import PAIR_ROLES, Membership, Role, TerritoryRole, User
from networks.permissions import MANAGING_ROLES, StructureAccess, access_to, territory_roles

from ..models import Questionnaire, Round
from ..selectors.questionnaires import region_pairs


def coordinated_region_ids(user: User) -> set[int]:
    return {r.region_id for r in territory_roles(user) if r.role == TerritoryRole.Role.COORDINATOR}


def can_build_questionnaires(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(coordinated_region_ids(user)))


def questionnaire_for(user: User, pk: int) -> Questionnaire:
    """The territory's coordinators build and send out a questionnaire; its methodists get 403;
    anybody else 404."""
    questionnaire = Questionnaire.objects.select_related("region").filter(pk=pk).first()
    if questionnaire is None or not user.is_authenticated:
        raise Http404
    if user.is_superuser or questionnaire.region_id in coordinated_region_ids(user):
        return questionnaire
    if any(r.region_id == questionnaire.region_id for r in territory_roles(user)):
        raise PermissionDenied
    raise Http404


@dataclass(frozen=True)
class RoundAccess:
    """What a person may see of a round. `pairs` narrows a pairs round to the pairs the person
    follows: None — all of them (superuser, a region-wide coordinator), otherwise a condition on
    Structure (a municipality's coordinator, a curator of some pairs)."""

    names: bool = False  # per pair (or per person) answers, with names
    aggregated: bool = False  # figures without names
    pairs: Q | None = None


def _pairs_scope(user: User, round: Round) -> tuple[bool, Q | None]:
    """(may see names, which pairs) for a pairs round."""
    if user.is_superuser:
        return True, None
    region_id = round.questionnaire.region_id
    coordinating = [
        r
        for r in territory_roles(user)
        if r.role == TerritoryRole.Role.COORDINATOR and r.region_id == region_id
    ]
    if any(r.municipality_id is None for r in coordinating):
        return True, None
    condition = covered_by(coordinating) or Q(pk__in=[])
    curated = Q(
        memberships__user=user,
        memberships__role=Role.CURATOR,
        memberships__until__isnull=True,
    )
    curates = region_pairs(round).filter(curated).exists()
    if curates:
        condition |= Q(
            pk__in=Membership.objects.current()
            .filter(user=user, role=Role.CURATOR)
            .values("structure_id")
        )
    return bool(coordinating) or curates, condition


def round_access(user: User, round: Round) -> RoundAccess:
    if not user.is_authenticated or not user.is_active:
        return RoundAccess()
    if round.audience == Round.Audience.MEMBERS:
        access = access_to(user, round.structure)
        return RoundAccess(
            names=access.can_manage,
            aggregated=access.can_manage or access.territory_methodist,
        )
    names, pairs = _pairs_scope(user, round)
    if names:
        return RoundAccess(names=True, aggregated=True, pairs=pairs)
    methodist = [
        r
        for r in territory_roles(user)
        if r.role == TerritoryRole.Role.METHODIST and r.region_id == round.questionnaire.region_id
    ]
    if not methodist:
        return RoundAccess()
    # The figures of the methodist's territory: the region, or their municipalities.
    if any(r.municipality_id is None for r in methodist):
        return RoundAccess(aggregated=True)
    return RoundAccess(aggregated=True, pairs=covered_by(methodist))


def _answers_round(user: User, round: Round) -> bool:
    """Whether the person is among those a round asks (they know it exists)."""
    memberships = Membership.objects.filter(user=user)
    if round.audience == Round.Audience.MEMBERS:
        return memberships.filter(structure_id=round.structure_id).exists()
    return memberships.filter(role__in=PAIR_ROLES, structure__in=region_pairs(round)).exists()


def round_for_overview(user: User, pk: int) -> Round:
    """A round's overview: curators and coordinators see names, methodists the figures only;
    those the round asks get 403; anybody else 404. Access is kept on `round.access`."""
    round = Round.objects.select_related("questionnaire", "structure", "structure__kind")
    round = round.filter(pk=pk).first()
    if round is None or not user.is_authenticated:
        raise Http404
    access = round_access(user, round)
    if not access.aggregated:
        if _answers_round(user, round):
            raise PermissionDenied
        raise Http404
    round.access = access
    return round


def can_see_pair_questionnaire_status(access: StructureAccess) -> bool:
    """Who answered and who is still waiting: the pair itself, its curators, the coordinators."""
    return (
        access.superuser
        or access.territory_coordinator
        or access.role in (Role.MENTOR, Role.MENTEE, Role.CURATOR)
    )


def can_read_pair_answers(access: StructureAccess) -> bool:
    """Both sides' answers: the pair's curators and the territory's coordinators only."""
    return access.superuser or access.territory_coordinator or access.role == Role.CURATOR


def can_monitor_questionnaires(user: User) -> bool:
    """The list of questionnaires and rounds: the territory's people, and those who run a
    structure (a pair's curators among them)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or territory_roles(user):
        return True
    return Membership.objects.current().filter(user=user, role__in=MANAGING_ROLES).exists()


__all__ = [
    "RoundAccess",
    "can_build_questionnaires",
    "can_monitor_questionnaires",
    "can_read_pair_answers",
    "can_see_pair_questionnaire_status",
    "coordinated_region_ids",
    "questionnaire_for",
    "round_access",
    "round_for_overview",
]
