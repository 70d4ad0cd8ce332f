"""Who may do what in mentoring: small predicates over networks.permissions.StructureAccess and
the person, one section per feature. Views and templates ask here and never decide alone.

A pair's contact log and questionnaire answers are visible to the pair, its curators and the
territory's coordinators — nobody else (not the territory's methodists either).
"""


# --- Requests for targeted help ------------------------------------------------------------------
# R-TUL-A1-2.2.2 (individual needs of the heads of ШНОР), R-TUL-A4-4.2.3 (targeted consultations on
# request). A request is seen by the person who filed it, the consultant it is routed to, and the
# coordinators and methodists of the territory of the requester's organisation (methodists read and
# do not act); for anybody else it does not exist (404).

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from networks.coverage import Place, covered_by, covers
from networks.models import SchoolStatus, TerritoryRole, User
from networks.permissions import territory_roles
from networks.schoolyear import SchoolYear

from .models import HelpRequest

# The statuses whose schools may ask for targeted help.
HELP_STATUSES = (SchoolStatus.SHNOR, SchoolStatus.SSSU)


def help_request_refusal(user: User, *, school_year: SchoolYear) -> str | None:
    """Why the person may not file a request for help, or None when they may. Requests come from
    the directors, deputies and teachers of ШНОР and ШССУ (the school's status in the school year
    decides; the post category is not checked: any of the school's staff may ask for it)."""
    organisation = user.organisation
    if organisation is None:
        return _(
            "Запрос адресной помощи подаёт работник ШНОР или ШССУ, а в вашем профиле не указана "
            "организация. Укажите её в профиле."
        )
    if not organisation.statuses.filter(
        school_year=school_year.start, status__in=HELP_STATUSES
    ).exists():
        return _(
            "Запрос адресной помощи подают руководители, заместители и педагоги ШНОР и ШССУ. "
            "Организация «%(org)s» не входит в список ШНОР и ШССУ на %(year)s учебный год."
        ) % {"org": organisation, "year": school_year.label}
    return None


@dataclass(frozen=True)
class HelpRequestAccess:
    requester: bool = False
    consultant: bool = False
    territory_coordinator: bool = False
    territory_methodist: bool = False
    superuser: bool = False

    @property
    def can_see(self) -> bool:
        return (
            self.requester
            or self.consultant
            or self.territory_coordinator
            or self.territory_methodist
            or self.superuser
        )

    @property
    def can_route(self) -> bool:
        return self.territory_coordinator or self.superuser


def help_request_access(user: User, help_request: HelpRequest) -> HelpRequestAccess:
    if not user.is_authenticated or not user.is_active:
        return HelpRequestAccess()
    municipality_id = help_request.organisation.municipality_id
    territory = [
        r for r in territory_roles(user) if covers(r, help_request.region_id, municipality_id)
    ]
    return HelpRequestAccess(
        requester=help_request.requester_id == user.pk,
        consultant=help_request.consultant_id is not None and help_request.consultant_id == user.pk,
        territory_coordinator=any(r.role == TerritoryRole.Role.COORDINATOR for r in territory),
        territory_methodist=any(r.role == TerritoryRole.Role.METHODIST for r in territory),
        superuser=user.is_superuser,
    )


def help_request_for(user: User, pk: int, queryset=None) -> HelpRequest:
    """Loads a request for someone who may see it; for anybody else it does not exist (404).
    The access found is kept on `help_request.access`."""
    queryset = queryset if queryset is not None else HelpRequest.objects.all()
    help_request = queryset.select_related("organisation").filter(pk=pk).first()
    if help_request is None:
        raise Http404
    access = help_request_access(user, help_request)
    if not access.can_see:
        raise Http404
    help_request.access = access
    return help_request


def may_route_help_request(access: HelpRequestAccess, help_request: HelpRequest) -> bool:
    """The territory's coordinator routes a new request, or re-routes one nobody has answered."""
    return access.can_route and help_request.status in (
        HelpRequest.Status.NEW,
        HelpRequest.Status.ROUTED,
    )


def may_answer_help_request(access: HelpRequestAccess, help_request: HelpRequest) -> bool:
    return access.consultant and help_request.status == HelpRequest.Status.ROUTED


def may_confirm_help_request(access: HelpRequestAccess, help_request: HelpRequest) -> bool:
    return access.requester and help_request.status in (
        HelpRequest.Status.ANSWERED,
        HelpRequest.Status.CONSULTED,
    )


def request_queue_roles(user: User) -> list[TerritoryRole]:
    """The territory roles whose requests the person sees in the queue (coordinators act on them,
    methodists read them)."""
    return list(territory_roles(user))


def may_read_request_queue(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(request_queue_roles(user)))


# --- Monitoring questionnaires -------------------------------------------------------------------
# Coordinators of a territory build questionnaires for their region and send them out in rounds.
# R-TUL-A3-4.2.1, 5.3: the answers of a pair are read by its curators and the territory's
# coordinators. Each side of a pair sees its own answers only: the mentor does not read the
# mentee's answers nor the other way round, so that both can answer frankly (a mentee may say the
# pair does not fit). The territory's methodists see a round's aggregated figures, without names,
# per-pair rows or free-text answers; they never see a pair's answers (403).

from django.core.exceptions import PermissionDenied  # noqa: E402
from django.db.models import Q  # noqa: E402

from networks.models import PAIR_ROLES, Membership, Role, Structure  # noqa: E402
from networks.permissions import MANAGING_ROLES, StructureAccess, access_to  # noqa: E402

from .models import Questionnaire, Round  # noqa: E402


def coordinated_region_ids(user: User) -> set[int]:
    return {r.region_id for r in territory_roles(user) if r.role == TerritoryRole.Role.COORDINATOR}


def may_build_questionnaires(user: User) -> bool:
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
    curates = Structure.objects.filter(curated, kind__is_pair=True, region_id=region_id).exists()
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
    return memberships.filter(
        role__in=PAIR_ROLES,
        structure__kind__is_pair=True,
        structure__region_id=round.questionnaire.region_id,
    ).exists()


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


def may_see_pair_questionnaire_status(access: StructureAccess) -> bool:
    """Who answered and who is still waiting: the pair itself, its curators, the coordinators."""
    return (
        access.superuser
        or access.territory_coordinator
        or access.role in (Role.MENTOR, Role.MENTEE, Role.CURATOR)
    )


def may_read_pair_answers(access: StructureAccess) -> bool:
    """Both sides' answers: the pair's curators and the territory's coordinators only."""
    return access.superuser or access.territory_coordinator or access.role == Role.CURATOR


def may_monitor_questionnaires(user: User) -> bool:
    """The list of questionnaires and rounds: the territory's people, and those who run a
    structure (a pair's curators among them)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or territory_roles(user):
        return True
    return Membership.objects.current().filter(user=user, role__in=MANAGING_ROLES).exists()


# --- Online-group statistics (S2, S3) -----------------------------------------------------------
# R-TUL-A1-5.3, R-TUL-A2-3.1.4: the group's administrator keeps the statistics; R-TUL-A2-4.2.6:
# they analyse the group. Whoever sees the group's inner life sees its figures.

from django.core.exceptions import PermissionDenied  # noqa: E402, F811
from django.http import Http404  # noqa: E402, F811

from networks.models import Region, Role, Structure, User  # noqa: E402, F811
from networks.permissions import StructureAccess, structure_for, territory_roles  # noqa: E402, F811


def is_online_group(structure: Structure) -> bool:
    """A structure that works on an online platform (S2, S3) and so has visit statistics."""
    return structure.kind.has_online_platform


def can_see_group_statistics(access: StructureAccess) -> bool:
    """Members, the people who run the group and the territory's methodists and coordinators."""
    return access.can_see_inner


def can_enter_group_statistics(access: StructureAccess) -> bool:
    """The group's administrator (of a sub-group, also the parent group's) and those who run the
    group, the territory's coordinator included. Moderators and members read only."""
    return access.can_manage or Role.ADMINISTRATOR in (access.role, access.parent_role)


def group_for(user: User, pk: int, *, to: str = "see") -> Structure:
    """Loads an online group for reading its statistics ("see") or changing them ("enter"):
    404 to outsiders and for structures without an online platform, 403 to members without the
    right (networks.permissions.structure_for decides the first refusal)."""
    structure = structure_for(user, pk, to="see_inner")
    if not is_online_group(structure):
        raise Http404
    if to == "enter" and not can_enter_group_statistics(structure.access):
        raise PermissionDenied
    return structure


def can_see_territory_groups(user: User, region: Region) -> bool:
    """The overview of a region's groups: its coordinators and methodists (a municipal role sees
    its municipality's groups), and superusers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(r.region_id == region.pk for r in territory_roles(user))


# --- Network pairs (S4), matching, contacts and tutoring (feature "pairs") ----------------------
# A pair's log is its inner life: the pair (mentor, mentee), its curators, the territory's
# coordinators and superusers read it; the territory's methodists see the pair's public card and
# aggregated figures only (403), everybody else does not learn the log exists (404).

from dataclasses import dataclass as _dataclass  # noqa: E402
from dataclasses import replace as _dataclass_replace  # noqa: E402

from django.core.exceptions import PermissionDenied as _PermissionDenied  # noqa: E402
from django.db.models import Q as _Q  # noqa: E402
from django.http import Http404 as _Http404  # noqa: E402
from django.shortcuts import get_object_or_404 as _get_object_or_404  # noqa: E402

from networks.models import Role as _Role  # noqa: E402
from networks.models import Structure as _Structure  # noqa: E402
from networks.models import TerritoryRole as _TerritoryRole  # noqa: E402
from networks.permissions import MANAGING_ROLES as _MANAGING_ROLES  # noqa: E402
from networks.permissions import StructureAccess as _StructureAccess  # noqa: E402
from networks.permissions import structure_for as _structure_for  # noqa: E402
from networks.permissions import territory_roles as _territory_roles  # noqa: E402

PAIR_LOG_ROLES = frozenset({_Role.MENTOR, _Role.MENTEE, _Role.CURATOR})
# R-PRI-5.3, R-PAV-1.9: tutors are the structure's tutors, or the sub-communities' moderators.
TUTOR_ROLES = frozenset({_Role.TUTOR, _Role.MODERATOR})


def can_read_pair_log(access: _StructureAccess) -> bool:
    """The pair, its curators, the territory's coordinators, superusers."""
    return access.role in PAIR_LOG_ROLES or access.territory_coordinator or access.superuser


def can_log_pair_contact(access: _StructureAccess) -> bool:
    """Both sides and the curator write the log; the territory's coordinator reads it."""
    return access.role in PAIR_LOG_ROLES or access.superuser


def pair_for(user, pk: int, *, to: str = "read") -> _Structure:
    """A pair for its log: to="read" or to="log". Outsiders 404, insiders without the right
    (the territory's methodists) 403; `pair.access` is set."""
    pair = _structure_for(
        user, pk, to="view", queryset=_Structure.objects.select_related("kind", "region")
    )
    if not pair.kind.is_pair:
        raise _Http404
    access = pair.access
    if to == "read" and pair.closed_on and not can_read_pair_log(access):
        access = pair.access = _former_side(user, pair, access)
    allowed = can_log_pair_contact(access) if to == "log" else can_read_pair_log(access)
    if not allowed:
        if access.can_see_inner or can_read_pair_log(access):
            raise _PermissionDenied
        raise _Http404
    return pair


def _former_side(user, pair: _Structure, access: _StructureAccess) -> _StructureAccess:
    """The mentor, mentee or curator of a closed pair keeps reading its log: closing ended their
    memberships on the closing day (networks.services.structure_close), and the record of their
    year is theirs too. Only for those who were there when it closed; the pair is read-only."""
    role = (
        Membership.objects.filter(
            structure=pair, user=user, role__in=PAIR_LOG_ROLES, until=pair.closed_on
        )
        .values_list("role", flat=True)
        .first()
    )
    return _dataclass_replace(access, role=role) if role else access


@_dataclass(frozen=True)
class MatchingScope:
    """Where a person may match pairs: everywhere (superuser), or in (region, municipality|None)
    places — their territory as its coordinator, the regions of the pairs they curate."""

    everywhere: bool = False
    places: tuple[Place, ...] = ()

    def __bool__(self) -> bool:
        return self.everywhere or bool(self.places)

    def organisations(self, prefix: str = "") -> _Q:
        """The condition on organisations (through `prefix`, e.g. "organisation__") in scope."""
        if self.everywhere:
            return _Q()
        condition = covered_by(
            self.places, region=f"{prefix}region_id", municipality=f"{prefix}municipality_id"
        )
        return condition if condition is not None else _Q(pk__in=[])

    def covers(self, organisation) -> bool:
        if self.everywhere:
            return True
        if organisation is None:
            return False
        return any(
            covers(place, organisation.region_id, organisation.municipality_id)
            for place in self.places
        )


def matching_scope(user) -> MatchingScope:
    """The curators of the region's pairs and the territory's coordinators match pairs
    (R-TUL-A3-5.2); one query at most beside the cached territory roles."""
    if not user.is_authenticated or not user.is_active:
        return MatchingScope()
    if user.is_superuser:
        return MatchingScope(everywhere=True)
    places = {
        Place(r.region_id, r.municipality_id)
        for r in _territory_roles(user)
        if r.role == _TerritoryRole.Role.COORDINATOR
    }
    curated = _Structure.objects.filter(
        kind__is_pair=True,
        closed_on__isnull=True,
        memberships__user=user,
        memberships__role=_Role.CURATOR,
        memberships__until__isnull=True,
    ).values_list("region_id", flat=True)
    places |= {Place(region_id) for region_id in set(curated)}
    return MatchingScope(places=tuple(sorted(places, key=lambda p: (p[0], p[1] or 0))))


def can_edit_catalogue(user) -> bool:
    """The catalogue of deficits and requests is the coordinators' (and the admin's)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(
        r.role == _TerritoryRole.Role.COORDINATOR for r in _territory_roles(user)
    )


def runs_structure(access: _StructureAccess) -> bool:
    """Managers by their own role in the structure (not the territory's coordinator)."""
    return (
        access.superuser or access.role in _MANAGING_ROLES or access.parent_role in _MANAGING_ROLES
    )


def can_assign_tutors(access: _StructureAccess) -> bool:
    return access.can_manage


def can_read_tutoring(access: _StructureAccess, user, assignment) -> bool:
    """Tutoring sessions: the tutor, the teacher, the structure's managers, the territory's
    coordinators."""
    return user.pk in (assignment.tutor_id, assignment.teacher_id) or access.can_manage


def can_log_tutoring(access: _StructureAccess, user, assignment) -> bool:
    """The tutor and the teacher log their sessions, like a pair; so may the structure's own
    managers (the curators of tutoring). The territory's coordinator reads."""
    return user.pk in (assignment.tutor_id, assignment.teacher_id) or runs_structure(access)


def sees_all_tutoring(access: _StructureAccess) -> bool:
    """Sees every assignment of the structure (not only their own): those who run it or read
    all of the territory."""
    return access.can_read_all or access.superuser


def tutoring_for(user, assignment_pk: int, *, to: str = "read"):
    """An assignment with its sessions: to="read" or to="log". Outsiders 404, members of the
    structure without the right 403; `assignment.structure.access` is set."""
    from .models import TutorAssignment

    assignment = _get_object_or_404(
        TutorAssignment.objects.select_related(
            "tutor", "tutor__organisation", "teacher", "teacher__organisation"
        ),
        pk=assignment_pk,
    )
    structure = _structure_for(user, assignment.structure_id, to="view")
    access = structure.access
    check = can_log_tutoring if to == "log" else can_read_tutoring
    if not check(access, user, assignment):
        if access.can_see_inner or can_read_tutoring(access, user, assignment):
            raise _PermissionDenied
        raise _Http404
    assignment.structure = structure
    return assignment
