"""The permission table of events, attendance and minutes: every role of conftest.Cast against
every structure-scoped view of communities/views/events.py, the attachment download and the DOCX
included. Those who run a structure plan, keep the record and sign; everybody who sees the
structure's inner life reads; the rest get 404, anonymous visitors the sign-in page.

Each role acts on its own structure (conftest.Cast.structure_of): the chair on the S2 council, the
head on the S5 association, everybody else on the S8 community (which has no proposing members).

A second table is an S3 subject group «Вжурнале» of the same territory: its administrator informs
the members of coming events (R-TUL-A2-4.2.2, 001 прил. 2 п. 4.2.2), so plans, moves and cancels
the group's events (and so sends their invitations), but keeps no record and signs nothing; its
moderator and members read; the S8 community's administrator is a stranger to the group (404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities.models import Event, Minutes, MinutesAttachment
from documents.models import SignedScan
from documents.selectors import signed_scans_of
from networks.models import Role, Structure
from tests.factories import (
    AttendanceFactory,
    EventFactory,
    MembershipFactory,
    MinutesFactory,
    MinutesItemFactory,
    StructureFactory,
    UserFactory,
    kind,
)

from .permission_table import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    SIGN_IN,
    View,
    cases,
    check,
    copies,
    refreshed,
    scenes_once,
    url,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class Scene:
    structure: Structure
    upcoming: Event  # scheduled, in ten days
    past: Event  # scheduled yesterday, attendance not marked
    held: Event  # held, no minutes yet
    draft: Minutes  # a draft with one question
    signed: Minutes  # signed, with an attachment
    attachment: MinutesAttachment
    scan: SignedScan  # of the signed minutes (issue 18)


def scene_in(structure: Structure) -> Scene:
    now = timezone.now()
    member = MembershipFactory(structure=structure, user__organisation=structure.host).user
    upcoming = EventFactory(structure=structure, starts_at=now + dt.timedelta(days=10))
    past = EventFactory(structure=structure, starts_at=now - dt.timedelta(days=1))
    AttendanceFactory(event=past, user=member, attended=None)
    held = EventFactory(structure=structure, starts_at=now - dt.timedelta(days=2), status="held")
    AttendanceFactory(event=held, user=member)

    def minutes(days, number, **kwargs):
        event = EventFactory(
            structure=structure, starts_at=now - dt.timedelta(days=days), status="held"
        )
        AttendanceFactory(event=event, user=member)
        made = MinutesFactory(event=event, number=number, date=event.starts_at.date(), **kwargs)
        MinutesItemFactory(minutes=made)
        return made

    draft = minutes(3, "2")
    signed = minutes(
        20, "1", status="signed", signed_at=now - dt.timedelta(days=19), attendee_count=1
    )
    attachment = MinutesAttachment.objects.create(
        minutes=signed,
        file=ContentFile(PDF, name="a.pdf"),
        original_name="Справка о посещении уроков.pdf",
        file_kind="pdf",
        size=len(PDF),
    )
    scan = SignedScan.objects.create(
        record=signed,
        file=ContentFile(PDF, name="minutes.pdf"),
        file_kind="pdf",
        original_name="Протокол с подписями.pdf",
    )
    return Scene(structure, upcoming, past, held, draft, signed, attachment, scan)


def _minutes_post(number: str) -> dict:
    return {
        "minutes-number": number,
        "minutes-date": timezone.localdate().isoformat(),
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "100",
        "items-0-question": "О результатах ВПР",
        "items-0-decision": "Принять к сведению",
    }


def _event_post(title: str) -> dict:
    starts = timezone.localtime() + dt.timedelta(days=30)
    return {
        "event-title": title,
        "event-form": "meeting",
        "event-format": "in_person",
        "event-starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "event-place": "Актовый зал",
    }


VIEWS: dict[str, View] = {
    "events": View(url("communities:events", "structure")),
    "event_create": View(
        url("communities:event_create", "structure"),
        post=_event_post("Заседание по плану"),
        done=lambda s: s.structure.events.filter(title="Заседание по плану").exists(),
    ),
    "event_detail": View(url("communities:event_detail", "structure", "upcoming")),
    "event_edit": View(
        url("communities:event_edit", "structure", "upcoming"),
        post=_event_post("Заседание перенесено"),
        done=lambda s: refreshed(s.upcoming).title == "Заседание перенесено",
    ),
    "event_cancel": View(
        url("communities:event_cancel", "structure", "upcoming"),
        post={},
        done=lambda s: refreshed(s.upcoming).status == Event.Status.CANCELLED,
    ),
    "attendance": View(
        url("communities:attendance", "structure", "past"),
        post=lambda s: {"attendance-present": [str(s.past.attendance.get().pk)]},
        done=lambda s: refreshed(s.past).status == Event.Status.HELD,
    ),
    "minutes_create": View(
        url("communities:minutes_create", "structure", "held"),
        post=_minutes_post("5"),
        done=lambda s: s.held.minutes.exists(),
    ),
    "minutes_detail": View(url("communities:minutes_detail", "structure", "signed")),
    "minutes_edit": View(
        url("communities:minutes_edit", "structure", "draft"),
        post=_minutes_post("77"),
        done=lambda s: refreshed(s.draft).number == "77",
    ),
    "minutes_sign": View(
        url("communities:minutes_sign", "structure", "draft"),
        post={},
        done=lambda s: refreshed(s.draft).is_signed,
    ),
    "minutes_correct": View(
        url("communities:minutes_correct", "structure", "signed"),
        post={"reason": "Опечатка в решении"},
        done=lambda s: Minutes.objects.filter(previous=s.signed).exists(),
    ),
    "minutes_docx": View(url("communities:minutes_docx", "structure", "signed")),
    "minutes_attachment": View(
        url("communities:minutes_attachment", "structure", "signed", "attachment")
    ),
    # Issue 18: the signed scan of the minutes, attached by those who sign them.
    "minutes_scan_attach": View(
        url("communities:minutes_scan_attach", "structure", "signed"),
        post=lambda s: {"scan-file": SimpleUploadedFile("Протокол подписанный.pdf", PDF)},
        done=lambda s: len(signed_scans_of(s.signed)) == 2,
    ),
    "minutes_scan": View(url("communities:minutes_scan", "structure", "signed", "scan")),
}

COLUMNS = list(VIEWS)
R, F, N, S = OK, FORBIDDEN, NOT_FOUND, SIGN_IN
# Reads: events, event_detail, minutes_detail, minutes_docx, minutes_attachment, minutes_scan.
READER = [R, F, R, F, F, F, F, R, F, F, F, R, R, F, R]
# fmt: off
TABLE: dict[str, list] = {
    #                       events create detail edit cancel attend m_new m_view m_edit m_sign m_corr docx file scan+ scan
    "coordinator":           [R,    R,     R,     R,   R,     R,     R,    R,     R,     R,     R,     R,   R,    R,     R],
    "chair":                 [R,    R,     R,     R,   R,     R,     R,    R,     R,     R,     R,     R,   R,    R,     R],
    "head":                  [R,    R,     R,     R,   R,     R,     R,    R,     R,     R,     R,     R,   R,    R,     R],
    "territory_coordinator": [R,    R,     R,     R,   R,     R,     R,    R,     R,     R,     R,     R,   R,    R,     R],
    # Members, the administrator and the moderator read; they neither plan nor keep the record.
    "administrator":         READER,
    "moderator":             READER,
    "member":                READER,
    # Reads everything in the territory, changes nothing.
    "methodist":             READER,
    "member_elsewhere":      [N] * 15,
    "methodist_elsewhere":   [N] * 15,
    "outsider":              [N] * 15,
    "anonymous":             [S] * 15,
}
# fmt: on

CASES = cases(TABLE, COLUMNS)


scenes = scenes_once(scene_in)


@pytest.mark.parametrize(("role", "view_name", "expected"), CASES)
def test_permission_table(
    db, client, table_cast, scenes, django_capture_on_commit_callbacks, role, view_name, expected
):
    cast, scenes = copies(table_cast, scenes)
    scene = scenes[cast.structure_name(role)]
    check(
        client,
        cast.people[role],
        VIEWS[view_name],
        scene,
        expected,
        django_capture_on_commit_callbacks,
    )


# --- An S3 subject group: its administrator plans the group's events ------------------------------

P = [R, R, R, R, R, F, F, R, F, F, F, R, R, F, R]  # plans, moves, cancels; keeps no record
# fmt: off
GROUP_TABLE: dict[str, list] = {
    "group_administrator": P,
    # The order gives informing about events to the administrator (п. 4.2.2) only.
    "group_moderator":     READER,
    "group_member":        READER,
    # An administrator of another structure (the S8 community) is a stranger to the group.
    "administrator":       [N] * 15,
    "outsider":            [N] * 15,
    "anonymous":           [S] * 15,
}
# fmt: on


@pytest.fixture(scope="module")
def group(table_cast, django_db_blocker):
    """The group, its people and its scene, built inside the cast's rolled-back transaction."""
    with django_db_blocker.unblock():
        host = table_cast.community.host
        structure = StructureFactory(
            kind=kind("S3"),
            name="Вжурнале / дисциплины физико-математического цикла",
            host=host,
            founding_order=table_cast.community.founding_order,
        )

        def member(role, email):
            user = UserFactory(email=email, organisation=host)
            MembershipFactory(structure=structure, role=role, user=user)
            return user

        people = {
            **table_cast.people,
            "group_administrator": member(Role.ADMINISTRATOR, "group-admin@school.example"),
            "group_moderator": member(Role.MODERATOR, "group-moderator@school.example"),
            "group_member": member(Role.MEMBER, "group-member@school.example"),
        }
        return people, scene_in(structure)


@pytest.mark.parametrize(("role", "view_name", "expected"), cases(GROUP_TABLE, COLUMNS))
def test_r_tul_a2_4_2_2_permission_table_of_an_s3_group(
    db, client, group, django_capture_on_commit_callbacks, role, view_name, expected
):
    people, scene = copies(group)[0]
    check(
        client, people[role], VIEWS[view_name], scene, expected, django_capture_on_commit_callbacks
    )
