"""Who may see and act on a request for targeted help.

R-TUL-A1-2.2.2 (individual needs of the heads of ШНОР), R-TUL-A4-4.2.3 (targeted consultations on
request). A request is seen by the person who filed it, the consultant it is routed to, and the
coordinators and methodists of the territory of the requester's organisation (methodists read and
do not act); for anybody else it does not exist (404).
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from networks.coverage import covers
from networks.models import SchoolStatus, TerritoryRole, User
from networks.permissions import territory_roles
from networks.schoolyear import SchoolYear

from ..models import HelpRequest

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


def can_route_help_request(access: HelpRequestAccess, help_request: HelpRequest) -> bool:
    """The territory's coordinator routes a new request, or re-routes one nobody has answered."""
    return access.can_route and help_request.status in (
        HelpRequest.Status.NEW,
        HelpRequest.Status.ROUTED,
    )


def can_answer_help_request(access: HelpRequestAccess, help_request: HelpRequest) -> bool:
    return access.consultant and help_request.status == HelpRequest.Status.ROUTED


def can_confirm_help_request(access: HelpRequestAccess, help_request: HelpRequest) -> bool:
    return access.requester and help_request.status in (
        HelpRequest.Status.ANSWERED,
        HelpRequest.Status.CONSULTED,
    )


def request_queue_roles(user: User) -> list[TerritoryRole]:
    """The territory roles whose requests the person sees in the queue (coordinators act on them,
    methodists read them)."""
    return list(territory_roles(user))


def can_read_request_queue(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(request_queue_roles(user)))


__all__ = [
    "HELP_STATUSES",
    "HelpRequestAccess",
    "can_answer_help_request",
    "can_confirm_help_request",
    "can_read_request_queue",
    "can_route_help_request",
    "help_request_access",
    "help_request_for",
    "help_request_refusal",
    "request_queue_roles",
]
