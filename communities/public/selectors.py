"""What the public pages read, each page in a fixed number of queries whatever the data.

The pages are read by anybody, signed in or not, so nothing here looks at a user: every answer is
the same for every visitor, and its ETag (a digest of what the page shows that can change) lets a
browser or a proxy keep it. Each ETag function runs before its page; what it loads is handed to the
page so that a changed page does not read it twice.

Names: a person is named on a public page only with their consent to show their name there
(`can_name_publicly`, 152-ФЗ ст. 10.1), separate from the one to show it to other members; without
it the page gives the role and the host organisation. Free text that may name people who did not
consent (a plan item's «ответственный», an event's description and connection link) is not shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from networks.models import Membership, Region, Role, Structure, User
from networks.schoolyear import SchoolYear, days_between

from ..models import Event, Plan

# Whom a public page names as the contact, first found first: the structure's leader (chair or
# head), else its coordinator, else the curators (S4) or the administrators (S3 groups).
CONTACT_ROLES = (Role.HEAD, Role.CHAIR, Role.COORDINATOR, Role.CURATOR, Role.ADMINISTRATOR)
EVENTS_SHOWN = 20


def can_name_publicly(person: User) -> bool:
    """152-ФЗ ст. 10.1: a person's name reaches a public page only with their separate consent to
    its dissemination (ConsentText «public_name», `User.public_name_consent_at`, given and
    withdrawn in the profile), never after the account's deletion. The consent to show the name to
    other members («show_name») does not reach the open web."""
    return person.shows_name_publicly


def public_structures() -> QuerySet[Structure]:
    return Structure.objects.filter(public_page=True)


def etag_of(*parts) -> str:
    """A strong ETag of the parts (Django's `condition` quotes it)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


# --- The list of regions --------------------------------------------------------------------------


def regions_with_public_pages() -> QuerySet[Region]:
    """Regions with at least one public page and how many: one query."""
    return (
        Region.objects.filter(structures__public_page=True)
        .annotate(public_count=Count("structures"))
        .order_by("name")
    )


def regions_etag() -> str:
    """One aggregate query. Switching a page on or off saves the structure (its `updated_at`), so
    the newest change among the public ones and their number change with every switch and every
    edit of a public structure; the date bounds the rest (a region's name)."""
    marks = public_structures().aggregate(changed=Max("updated_at"), count=Count("pk"))
    return etag_of("regions", marks["changed"], marks["count"], timezone.localdate())


# --- One region -----------------------------------------------------------------------------------


def public_region(code: str) -> Region:
    """The region by its code (код субъекта: «34», «71»), with the marks of its public pages for
    the ETag, in one query; 404 for an unknown code."""
    public = Q(structures__public_page=True)
    queryset = Region.objects.annotate(
        public_changed=Max("structures__updated_at", filter=public),
        public_count=Count("structures", filter=public),
    )
    return get_object_or_404(queryset, code=code)


def region_etag(region: Region) -> str:
    return etag_of(
        "region", region.pk, region.public_changed, region.public_count, timezone.localdate()
    )


def region_structures(region: Region) -> QuerySet[Structure]:
    """The region's public structures by kind and name, with what the list shows: one query."""
    return (
        public_structures()
        .filter(region=region)
        .select_related("kind", "host", "municipality")
        .order_by("kind__code", "name")
    )


# --- One structure --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """Whom to address: the role, and the person's name, position and organisation only with
    their consent."""

    role: str
    name: str = ""
    position: str = ""
    organisation: str = ""


def _latest_change(model, field: str):
    """The newest `field` among the structure's rows of `model`, as a subquery."""
    rows = (
        model.objects.filter(structure_id=OuterRef("pk"))
        .order_by()
        .values("structure_id")
        .annotate(latest=Max(field))
        .values("latest")
    )
    return Subquery(rows)


def public_structure(pk: int) -> Structure:
    """The structure if its page is public, with everything the page shows of it and the newest
    change of its plans and events — the last row of their change history, which every creation,
    edit and deletion adds (its id, not its time: two changes may share a timestamp): one query;
    404 when the page is off or the structure does not exist."""
    queryset = (
        public_structures()
        .select_related(
            "kind",
            "host",
            "region",
            "municipality",
            "parent",
            "programme",
            "founding_order__issuer",
            "closing_order__issuer",
        )
        .annotate(
            plans_changed=_latest_change(Plan.history.model, "history_id"),
            events_changed=_latest_change(Event.history.model, "history_id"),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def public_contacts(structure: Structure) -> list[Contact]:
    """The people of the first of CONTACT_ROLES the structure has now: one query. Named only with
    their consent; an empty list sends the reader to the host organisation."""
    memberships = list(
        Membership.objects.current()
        .filter(structure=structure, role__in=CONTACT_ROLES)
        .select_related("user__organisation")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    for role in CONTACT_ROLES:
        found = [m for m in memberships if m.role == role]
        if found:
            return [_contact(m) for m in found]
    return []


def _contact(membership: Membership) -> Contact:
    person = membership.user
    label = membership.get_role_display()
    if not can_name_publicly(person):
        return Contact(role=label)
    organisation = person.organisation
    return Contact(
        role=label,
        name=person.full_name,
        position=person.position,
        organisation=str(organisation) if organisation else "",
    )


def structure_etag(structure: Structure, contacts: list[Contact], today: dt.date) -> str:
    """What the page shows that can change: the structure's own fields, its order, host and
    closing, the contacts as shown (a consent given or withdrawn changes the page), the newest
    change of plans and events, and the day (events pass, the school year turns)."""
    order = structure.founding_order
    closing = structure.closing_order
    host = structure.host
    return etag_of(
        "structure",
        tuple(
            str(getattr(structure, field.attname))
            for field in Structure._meta.concrete_fields
            if field.attname != "search_text"
        ),
        (order.pk, order.kind, order.number, order.date, order.title, order.file.name),
        (order.issuer.full_name, host.full_name, host.short_name, host.address),
        closing and (closing.pk, closing.number, closing.date, closing.title),
        structure.parent
        and (structure.parent.pk, structure.parent.name, structure.parent.public_page),
        structure.programme and (structure.programme.title, structure.programme.period_label),
        tuple(contacts),
        structure.plans_changed,
        structure.events_changed,
        today,
    )


def approved_plan(structure: Structure, year: SchoolYear) -> Plan | None:
    """The newest approved version of the year's plan with its items: two queries (one when there
    is none). A later version being drafted does not hide the approved one."""
    return (
        structure.plans.filter(school_year=year.start, status=Plan.Status.APPROVED)
        .order_by("-version")
        .prefetch_related("items")
        .first()
    )


def upcoming_open_events(structure: Structure, today: dt.date) -> list[Event]:
    """Events have no «open» flag: the page lists the structure's scheduled events from today on
    (status «Запланировано»: not cancelled, not held, and not a school's proposal whose place and
    form the centre has yet to set, R-DMI-4.2), soonest first, at most EVENTS_SHOWN. One query."""
    start, _end = days_between(today, today)
    return list(
        Event.objects.filter(
            structure=structure, status=Event.Status.SCHEDULED, starts_at__gte=start
        ).order_by("starts_at")[:EVENTS_SHOWN]
    )


def public_file(structure: Structure, which: str):
    """The file of the founding order or of the regulation, or 404 when there is none."""
    field = structure.founding_order.file if which == "order" else structure.regulation_file
    if not field:
        raise Http404
    return field


def file_etag(pk: int, which: str, field) -> str:
    return etag_of("file", pk, which, field.name)


def today() -> dt.date:
    return timezone.localdate()
