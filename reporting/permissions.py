"""Who may see and do what with reports, summaries and exports, one section per feature. Views and
templates ask here and never decide alone (networks.permissions gives the StructureAccess)."""

# --- Reports of a structure (reporting/reports/) -------------------------------------------------
# The author is the member whose role the deadline's rule names as deliverer (head, chair,
# administrator, curator…) or one of those who run the structure. The decider is the structure's
# coordinator or curator, or the territory's coordinator (the centre that receives the report), but
# never for a report they submitted themselves. Readers: both, and the territory's methodists.
# `can_write_reports`/`can_decide_reports` ask about the person (a view refuses with 403 when it is
# no); `can_<verb>_report` adds the report's state (a template shows a button only when it is yes;
# the service refuses the rest).

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from networks.coverage import covered_by, covers
from networks.models import Role, Structure, User
from networks.permissions import (
    MANAGING_ROLES,
    StructureAccess,
    refuse_unless_reads_year,
    structure_for,
)

from .models import Deadline, DeadlineRule, Deliverable, Report

REPORT_DECIDING_ROLES = frozenset({Role.COORDINATOR, Role.CURATOR})


def _deliverer_role(deadline: Deadline | None) -> str | None:
    return deadline.rule.deliverer_role if deadline is not None else None


def can_write_reports(access: StructureAccess, deadline: Deadline | None = None) -> bool:
    deliverer = _deliverer_role(deadline)
    return (
        access.superuser
        or access.role in MANAGING_ROLES
        or access.parent_role in MANAGING_ROLES
        or (deliverer is not None and access.role == deliverer)
    )


def can_decide_reports(access: StructureAccess) -> bool:
    return (
        access.superuser
        or access.territory_coordinator
        or access.role in REPORT_DECIDING_ROLES
        or access.parent_role in REPORT_DECIDING_ROLES
    )


def _was_reader(access: StructureAccess, deadline: Deadline | None = None) -> bool:
    """A closed structure's former member who wrote or decided its reports then (the school year
    is checked by the loaders, networks.permissions.refuse_unless_reads_year)."""
    readers = MANAGING_ROLES | REPORT_DECIDING_ROLES
    deliverer = _deliverer_role(deadline)
    return access.is_former_member and any(
        role in readers or role == deliverer for role in access.former_roles
    )


def can_read_report(access: StructureAccess, deadline: Deadline | None = None) -> bool:
    """Authors, deciders, and those who read the whole territory (methodists); a closed
    structure's former authors and deciders, read-only, for their years."""
    return (
        access.can_read_all
        or can_write_reports(access, deadline)
        or can_decide_reports(access)
        or _was_reader(access, deadline)
    )


def can_read_reports(access: StructureAccess, structure: Structure) -> bool:
    """Sees the structure's list of reports (its panel): any reader of any of its reports. The
    deliverer of a rule need not run the structure (an S3 group's administrator): one query asks
    the rules about that role."""
    if can_read_report(access):
        return True
    roles = [access.role] if access.role is not None else []
    if access.is_former_member:
        roles = sorted(access.former_roles)
    if not roles:
        return False
    scope = Q(kind_id=structure.kind_id)
    if structure.programme_id:
        scope |= Q(programme_id=structure.programme_id)
    # A region's own rule (issue 16) names deliverers in its region only.
    region = Q(region__isnull=True) | Q(region_id=structure.region_id)
    return DeadlineRule.objects.filter(
        scope, region, deliverable=Deliverable.REPORT, deliverer_role__in=roles, is_active=True
    ).exists()


def can_start_report(access: StructureAccess, deadline: Deadline | None = None) -> bool:
    return can_write_reports(access, deadline)


def can_write_report(access: StructureAccess, report: Report) -> bool:
    """Edit the narrative and submit: a draft, or a report returned for rework."""
    return report.status in (Report.Status.DRAFT, Report.Status.RETURNED) and can_write_reports(
        access, report.deadline
    )


def can_decide_report(access: StructureAccess, report: Report, *, user: User) -> bool:
    """Accept or return a submitted report; nobody decides on a report they submitted."""
    return (
        report.status == Report.Status.SUBMITTED
        and can_decide_reports(access)
        and report.author_id != user.pk
    )


def report_structure(user: User, pk: int) -> Structure:
    """Reports are inner life: outsiders get 404 from structure_for, insiders without any right to
    reports 403 here. A closed structure's former members pass, for the reports of their years."""
    structure = structure_for(user, pk, to="see_years")
    if not can_read_reports(structure.access, structure):
        raise PermissionDenied
    return structure


def report_of(user: User, pk: int, report_pk: int) -> Report:
    """A report of the structure, loaded with its deadline's rule, or 404; 403 to insiders who
    may not read it."""
    structure = report_structure(user, pk)
    report = get_object_or_404(
        Report.objects.select_related("deadline__rule", "author", "decided_by"),
        pk=report_pk,
        structure=structure,
    )
    report.structure = structure
    refuse_unless_reads_year(structure, report.school_year)
    if not can_read_report(structure.access, report.deadline):
        raise PermissionDenied
    return report


def deadline_of(user: User, pk: int, deadline_pk: int) -> Deadline:
    """A report deadline of the structure, or 404; 403 to insiders who may not read reports."""
    structure = report_structure(user, pk)
    deadline = get_object_or_404(
        Deadline.objects.select_related("rule"),
        pk=deadline_pk,
        structure=structure,
        rule__deliverable=Deliverable.REPORT,
    )
    deadline.structure = structure
    refuse_unless_reads_year(structure, deadline.school_year)
    if not can_read_report(structure.access, deadline):
        raise PermissionDenied
    return deadline


# --- Summaries across structures (reporting/summaries) -------------------------------------------
# Methodists and coordinators of a territory (TerritoryRole) read the figures of every structure
# in it; a municipal one only their municipality. A territory one does not cover is 404; export
# files go only to the person who asked for them. Imports are local to keep this shared module's
# sections independent of each other.


def summary_roles(user) -> list:
    """The person's territory roles that open the summaries: methodist and coordinator."""
    from networks.models import TerritoryRole
    from networks.permissions import territory_roles

    wanted = (TerritoryRole.Role.METHODIST, TerritoryRole.Role.COORDINATOR)
    return [r for r in territory_roles(user) if r.role in wanted]


def can_see_summaries(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(summary_roles(user))


def summary_coverage(user):
    """The structures the person may summarise, as one condition; None: all (a superuser)."""
    if user.is_superuser:
        return None
    return covered_by(summary_roles(user))


def _covers(user, region_id: int, municipality_id: int | None) -> bool:
    if user.is_superuser:
        return True
    return any(covers(r, region_id, municipality_id) for r in summary_roles(user))


def _covers_some_of(user, region_id: int) -> bool:
    """Covers the region or at least one of its municipalities (a regional programme)."""
    return user.is_superuser or any(r.region_id == region_id for r in summary_roles(user))


def _as_id(value) -> int | None:
    from django.http import Http404

    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def summary_scope_for(user, *, year, region=None, municipality=None, programme=None):
    """The territory of a summary as the person asked for it (ids from the request or an export
    job), or Http404 when they do not cover it. Without a territory: their first one.

    - region: needs a regional role there; municipality: a role for the region or for it;
    - programme: in a region they cover at least in part; a municipal methodist sees the
      programme's structures of their own municipality only (`coverage`).
    """
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from networks.models import Municipality, Programme, Region

    from .summaries.selectors import SummaryScope

    if not can_see_summaries(user):
        raise Http404
    region_id, municipality_id = _as_id(region), _as_id(municipality)
    programme_id = _as_id(programme)
    found_programme = None
    if programme_id is not None:
        found_programme = get_object_or_404(
            Programme.objects.select_related("region"), pk=programme_id
        )
        region_id = found_programme.region_id
        if found_programme.municipality_id and municipality_id is None:
            municipality_id = found_programme.municipality_id
    found_municipality = None
    if municipality_id is not None:
        found_municipality = get_object_or_404(
            Municipality.objects.select_related("region"), pk=municipality_id
        )
        if (
            found_programme is not None
            and found_programme.region_id != found_municipality.region_id
        ):
            raise Http404
        # The municipality names its region: a stale region in the filter does not matter.
        region_id = found_municipality.region_id
    if region_id is None:
        return _default_scope(user, year)
    found_region = get_object_or_404(Region, pk=region_id)

    coverage = None
    if found_programme is not None and found_municipality is None:
        if not _covers_some_of(user, region_id):
            raise Http404
        if not _covers(user, region_id, None):
            coverage = covered_by([r for r in summary_roles(user) if r.region_id == region_id])
    elif not _covers(user, region_id, municipality_id):
        raise Http404
    return SummaryScope(
        year=year,
        region=found_region,
        municipality=found_municipality,
        programme=found_programme,
        coverage=coverage,
    )


def _default_scope(user, year):
    from django.http import Http404

    from networks.models import Region

    from .summaries.selectors import SummaryScope

    roles = summary_roles(user)
    if roles:
        first = sorted(roles, key=lambda r: (r.municipality_id is not None, r.pk))[0]
        return SummaryScope(year=year, region=first.region, municipality=first.municipality)
    region = Region.objects.order_by("name").first()
    if region is None:
        raise Http404
    return SummaryScope(year=year, region=region)


def export_job_for(user, pk: int):
    """An export job of the person who asked for it; anyone else (a superuser too) gets 404: the
    file holds the figures of a territory as that person may see them."""
    from django.http import Http404

    from .models import ExportJob

    if not user.is_authenticated:
        raise Http404
    job = ExportJob.objects.filter(pk=pk, requested_by=user).first()
    if job is None:
        raise Http404
    return job


def report_scan_refusal(report: Report) -> str | None:
    """Why the report takes no signed scan now (issue 18): only a submitted or accepted one does.
    documents.services.signed_scan_attach asks it (registered in reporting's ready())."""
    if report.status not in (Report.Status.SUBMITTED, Report.Status.ACCEPTED):
        return _(
            "Скан подписанного экземпляра прикладывается к сданному или принятому отчёту, а этот "
            "отчёт ещё не сдан."
        )
    return None
