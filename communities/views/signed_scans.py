"""Signed scans of plans and minutes (issue 18): the paper printed from «Скачать», signed and
scanned, attached back to the record and shown beside it. The block, the form and the file checks
are documents' (documents/scans.py); here the record is loaded with the pages' own access checks
and the rules of who signs what are stated.

Who attaches: whoever signs the record. A plan is signed by those who approve or agree it (the
kind's roles, and the territory's coordinator as the approving centre); minutes by those who sign
them (the head or chair, the coordinator or curator who runs the structure). Only a record that
is signed on paper takes a scan: an approved plan, signed minutes. Whoever reads the record sees
and downloads its scans. A closed structure's documents are read-only: they take no new scan.

No deletion: a wrong file is followed by the right one, shown first; the earlier stays folded as
the record's history, the way a corrected version of minutes keeps the first.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.scans import ScanBlock, scan_attach, scan_block, scan_download
from documents.selectors import signed_scan_of
from networks.permissions import StructureAccess

from .. import permissions
from ..models import Minutes, Plan
from ..permissions import minutes_scan_refusal, plan_scan_refusal
from .events import _minutes
from .plans import _plan, _reading, _shows, _structure

__all__ = ["minutes_scan_block", "plan_scan_block"]


def can_attach_plan_scans(access: StructureAccess, structure) -> bool:
    return permissions.can_approve_plans(access, structure) or permissions.can_agree_plans(
        access, structure
    )


def can_attach_minutes_scans(access: StructureAccess) -> bool:
    return permissions.can_sign_records(access)


# --- Plans ---------------------------------------------------------------------------------------


def plan_scan_block(request, structure, plan: Plan) -> ScanBlock:
    access = structure.access
    return scan_block(
        plan,
        download_url=lambda scan: reverse(
            "communities:plan_scan", args=[structure.pk, plan.pk, scan.pk]
        ),
        upload_url=reverse("communities:plan_scan_attach", args=[structure.pk, plan.pk]),
        may_attach=can_attach_plan_scans(access, structure),
        refusal=plan_scan_refusal(plan),
        shows=lambda person: _shows(request, access, person),
    )


@login_required
@require_POST
def plan_scan_attach(request, pk: int, plan_pk: int):
    structure = _structure(request, pk)
    plan = _plan(structure, plan_pk)
    if not can_attach_plan_scans(structure.access, structure):
        raise PermissionDenied
    return scan_attach(
        request,
        record=plan,
        refusal=plan_scan_refusal(plan),
        back_url=reverse("communities:plan_detail", args=[structure.pk, plan.pk]),
        title=str(plan),
    )


@login_required
def plan_scan(request, pk: int, plan_pk: int, scan_pk: int):
    structure = _reading(request, pk)
    scan = signed_scan_of(_plan(structure, plan_pk), scan_pk)
    if scan is None:
        raise Http404
    return scan_download(scan)


# --- Minutes -------------------------------------------------------------------------------------


def minutes_scan_block(request, structure, minutes: Minutes) -> ScanBlock:
    access = structure.access
    return scan_block(
        minutes,
        download_url=lambda scan: reverse(
            "communities:minutes_scan", args=[structure.pk, minutes.pk, scan.pk]
        ),
        upload_url=reverse("communities:minutes_scan_attach", args=[structure.pk, minutes.pk]),
        may_attach=can_attach_minutes_scans(access),
        refusal=minutes_scan_refusal(minutes),
        shows=lambda person: _shows(request, access, person),
    )


@login_required
@require_POST
def minutes_scan_attach(request, pk: int, minutes_pk: int):
    structure = permissions.structure_for_events(request.user, pk, need="sign")
    minutes = _minutes(structure, minutes_pk)
    return scan_attach(
        request,
        record=minutes,
        refusal=minutes_scan_refusal(minutes),
        back_url=reverse("communities:minutes_detail", args=[structure.pk, minutes.pk]),
        title=_("Протокол № %(n)s от %(date)s")
        % {"n": minutes.number, "date": date_format(minutes.date, "d.m.Y")},
    )


@login_required
def minutes_scan(request, pk: int, minutes_pk: int, scan_pk: int):
    structure = permissions.structure_for_events(request.user, pk)
    scan = signed_scan_of(_minutes(structure, minutes_pk), scan_pk)
    if scan is None:
        raise Http404
    return scan_download(scan)


_PLAN = "structures/<int:pk>/plans/<int:plan_pk>/"
_MINUTES = "structures/<int:pk>/minutes/<int:minutes_pk>/"

urlpatterns = [
    path(_PLAN + "scans/", plan_scan_attach, name="plan_scan_attach"),
    path(_PLAN + "scans/<int:scan_pk>/", plan_scan, name="plan_scan"),
    path(_MINUTES + "scans/", minutes_scan_attach, name="minutes_scan_attach"),
    path(_MINUTES + "scans/<int:scan_pk>/", minutes_scan, name="minutes_scan"),
]
