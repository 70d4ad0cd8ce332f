"""Events, meetings, attendance and minutes: the writes, and the minutes as a DOCX document.

Access is checked by the views (communities.permissions, "Events" section); these functions hold
the rules of the orders and of the kinds table:
- managers plan events; where the kind lets members propose (S7, R-DMI-4.1), a participant school's
  proposal waits until the centre sets place and form (R-DMI-4.2);
- the format comes from the kind (S6 works remotely, R-PRI-3.2); a remote event needs a link, an
  in-person one a place, a mixed one both;
- attendance is marked from the invited list, and marking it on a past event means it was held;
- minutes are written from that record (R-TUL-A4-4.4), signed once, and corrected only by a new
  version with a reason; the previous version stays as it was signed;
- a closed structure keeps its record read-only (networks.services.refuse_if_closed).
Each function runs in one transaction and records who acted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks import figures
from networks.models import Structure, User
from networks.schoolyear import SchoolYear
from networks.services import refuse_if_closed
from networks.uploads import validate_upload

from ..models import (
    Attendance,
    Event,
    EventFormat,
    Minutes,
    MinutesAttachment,
    MinutesItem,
    PlanItem,
)
from ..selectors.events import attendance_rows
from . import decisions, event_invitations
from .documents import MinutesDocx

__all__ = [
    "DOCX_CONTENT_TYPE",
    "Guest",
    "MinutesDocx",
    "MinutesQuestion",
    "attendance_mark",
    "attendees_snapshot",
    "event_cancel",
    "event_create",
    "event_propose",
    "event_update",
    "minutes_correct",
    "minutes_create",
    "minutes_sign",
    "minutes_update",
    "next_minutes_number",
]

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Guest:
    """A person from outside the structure, by name and organisation."""

    name: str
    organisation: str = ""


@dataclass(frozen=True)
class MinutesQuestion:
    """One question discussed, who spoke on it, its decision and recommendations
    (R-TUL-A4-4.4)."""

    question: str
    decision: str
    recommendations: str = ""
    speakers: str = ""


# --- Events ------------------------------------------------------------------------------------


def _check_place_and_link(event: Event) -> None:
    """In person needs a place, remote a link, mixed both (R-PRI-3.2: remote with a link)."""
    errors: dict[str, str] = {}
    if event.format in (EventFormat.IN_PERSON, EventFormat.MIXED) and not event.place.strip():
        errors["place"] = _("Укажите место проведения.")
    if event.format in (EventFormat.REMOTE, EventFormat.MIXED) and not event.link.strip():
        errors["link"] = _("Для дистанционного участия нужна ссылка на подключение.")
    if errors:
        raise ValidationError(errors)


def _check_plan_item(structure: Structure, plan_item: PlanItem | None) -> None:
    if plan_item is not None and plan_item.plan.structure_id != structure.pk:
        raise ValidationError({"plan_item": _("Этот пункт относится к плану другой структуры.")})


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime | None) -> None:
    if ends_at is not None and ends_at < starts_at:
        raise ValidationError({"ends_at": _("Окончание раньше начала.")})


def _current_member_ids(structure: Structure) -> set[int]:
    return set(structure.memberships.current().values_list("user_id", flat=True))


def _invite(event: Event, invitees: Iterable[User] | None, guests: Sequence[Guest]) -> None:
    """Invites the given members (by default every current member) and the guests."""
    members = _current_member_ids(event.structure)
    if invitees is None:
        user_ids = members
    else:
        user_ids = {u.pk for u in invitees}
        strangers = user_ids - members
        if strangers:
            raise ValidationError(
                {"invitees": _("Пригласить из списка можно только участников структуры.")}
            )
    Attendance.objects.bulk_create(
        [Attendance(event=event, user_id=pk, invited=True) for pk in sorted(user_ids)]
    )
    _add_guests(event, guests, attended=None)


def _add_guests(event: Event, guests: Sequence[Guest], *, attended: bool | None) -> None:
    rows = []
    for guest in guests:
        row = Attendance(
            event=event,
            guest_name=guest.name.strip(),
            guest_organisation=guest.organisation.strip(),
            invited=attended is None,
            attended=attended,
        )
        row.full_clean()
        rows.append(row)
    Attendance.objects.bulk_create(rows)


def _refuse_unless_open_event(event: Event) -> None:
    if event.status in (Event.Status.HELD, Event.Status.CANCELLED):
        raise ValidationError(
            _("Мероприятие уже %(status)s; его не меняют.")
            % {"status": event.get_status_display().lower()}
        )


@transaction.atomic
def event_create(
    *,
    structure: Structure,
    by: User,
    title: str,
    form: str,
    starts_at: dt.datetime,
    format: str | None = None,
    ends_at: dt.datetime | None = None,
    place: str = "",
    link: str = "",
    description: str = "",
    plan_item: PlanItem | None = None,
    invitees: Iterable[User] | None = None,
    guests: Sequence[Guest] = (),
) -> Event:
    """An event planned by those who run the structure: from a plan item or ad hoc. Without
    `invitees` every current member is invited; without `format`, the kind's default."""
    refuse_if_closed(structure)
    _check_plan_item(structure, plan_item)
    _check_times(starts_at, ends_at)
    event = Event(
        structure=structure,
        plan_item=plan_item,
        title=title.strip(),
        form=form,
        format=format or structure.kind.default_event_format,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        link=link.strip(),
        description=description.strip(),
        status=Event.Status.SCHEDULED,
        created_by=by,
    )
    _check_place_and_link(event)
    event.full_clean()
    event.save()
    _invite(event, invitees, guests)
    event_invitations.event_announce(event=event, kind=event_invitations.NEW)
    return event


@transaction.atomic
def event_propose(
    *,
    structure: Structure,
    by: User,
    title: str,
    form: str,
    starts_at: dt.datetime,
    description: str = "",
    plan_item: PlanItem | None = None,
) -> Event:
    """R-DMI-4.1: a participant school proposes an event; R-DMI-4.2: the centre keeps the final
    say on place and form, so the proposal waits (PROPOSED) until a manager schedules it."""
    refuse_if_closed(structure)
    if by.pk not in _current_member_ids(structure):
        raise ValidationError(_("Предлагать мероприятия могут только участники структуры."))
    _check_plan_item(structure, plan_item)
    event = Event(
        structure=structure,
        plan_item=plan_item,
        title=title.strip(),
        form=form,
        format=structure.kind.default_event_format,
        starts_at=starts_at,
        description=description.strip(),
        status=Event.Status.PROPOSED,
        proposed_by=by.organisation,
        created_by=by,
    )
    event.full_clean()
    event.save()
    _invite(event, None, ())
    return event


def _reinvite(event: Event, invitees: Iterable[User]) -> None:
    """Adds the newly invited; drops those no longer invited whose presence nobody marked."""
    members = _current_member_ids(event.structure)
    wanted = {u.pk for u in invitees}
    invited = set(
        event.attendance.filter(user__isnull=False, invited=True).values_list("user_id", flat=True)
    )
    new = wanted - invited
    if new - members:
        raise ValidationError(
            {"invitees": _("Пригласить из списка можно только участников структуры.")}
        )
    event.attendance.filter(user_id__in=invited - wanted, attended__isnull=True).delete()
    event.attendance.filter(user_id__in=new).update(invited=True)
    already = set(event.attendance.filter(user_id__in=new).values_list("user_id", flat=True))
    Attendance.objects.bulk_create(
        [Attendance(event=event, user_id=pk, invited=True) for pk in sorted(new - already)]
    )


@transaction.atomic
def event_update(
    *,
    event: Event,
    by: User,
    title: str,
    form: str,
    format: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    place: str = "",
    link: str = "",
    description: str = "",
    plan_item: PlanItem | None = None,
    invitees: Iterable[User] | None = None,
    guests: Sequence[Guest] = (),
) -> Event:
    """Changes a planned event. On a proposal this is the centre's decision on place and form
    (R-DMI-4.2): the event becomes scheduled."""
    event = Event.objects.select_for_update().select_related("structure__kind").get(pk=event.pk)
    refuse_if_closed(event.structure)
    _refuse_unless_open_event(event)
    _check_plan_item(event.structure, plan_item)
    _check_times(starts_at, ends_at)
    was_proposed = event.status == Event.Status.PROPOSED
    before = event_invitations.event_snapshot(event)
    invited_before = _invited_ids(event)
    event.title, event.form, event.format = title.strip(), form, format
    event.starts_at, event.ends_at = starts_at, ends_at
    event.place, event.link = place.strip(), link.strip()
    event.description, event.plan_item = description.strip(), plan_item
    event.status = Event.Status.SCHEDULED
    _check_place_and_link(event)
    event.full_clean()
    if not was_proposed and event_invitations.calendar_changed(before, event):
        event.sequence += 1  # calendars replace the entry they hold (RFC 5545 SEQUENCE)
    event._history_user = by
    event.save()
    if invitees is not None:
        _reinvite(event, invitees)
    _add_guests(event, guests, attended=None)
    _announce_update(event, before, invited_before, was_proposed=was_proposed)
    return event


def _invited_ids(event: Event) -> set[int]:
    return set(
        event.attendance.filter(user__isnull=False, invited=True).values_list("user_id", flat=True)
    )


def _announce_update(event: Event, before: dict, invited_before: set[int], *, was_proposed: bool):
    """A proposal the centre schedules is news to everybody invited; otherwise the newly invited
    get an invitation, those taken off the list a cancellation, the rest the changes (R-TUL-A2-4.2:
    members are informed of coming events)."""
    invited = _invited_ids(event)
    if was_proposed:
        event_invitations.event_announce(event=event, kind=event_invitations.NEW)
        return
    if invited - invited_before:
        event_invitations.event_announce(
            event=event, kind=event_invitations.NEW, user_ids=invited - invited_before
        )
    if invited_before - invited:
        event_invitations.event_announce(
            event=event, kind=event_invitations.WITHDRAWN, user_ids=invited_before - invited
        )
    changes = event_invitations.event_changes(before, event)
    if changes and invited & invited_before:
        event_invitations.event_announce(
            event=event,
            kind=event_invitations.CHANGED,
            changes=changes,
            user_ids=invited & invited_before,
        )


@transaction.atomic
def event_cancel(*, event: Event, by: User) -> Event:
    event = Event.objects.select_for_update().select_related("structure").get(pk=event.pk)
    refuse_if_closed(event.structure)
    _refuse_unless_open_event(event)
    before_status = event.status
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event._history_user = by
    event.save(update_fields=["status", "sequence"])
    if before_status == Event.Status.SCHEDULED:  # a proposal was never announced
        event_invitations.event_announce(event=event, kind=event_invitations.CANCELLED)
    return event


# --- Attendance --------------------------------------------------------------------------------


def _latest_minutes(event: Event) -> Minutes | None:
    return event.minutes.order_by("-version").first()


@transaction.atomic
def attendance_mark(
    *,
    event: Event,
    by: User,
    present: Iterable[int],
    members_present: Iterable[int] = (),
    guests: Sequence[Guest] = (),
) -> Event:
    """Marks who came: `present` are Attendance ids of the invited list (members and guests),
    `members_present` are current members who were not invited but came, `guests` came from
    outside. A past event whose attendance is marked was held."""
    event = Event.objects.select_for_update().select_related("structure").get(pk=event.pk)
    refuse_if_closed(event.structure)
    if event.status in (Event.Status.PROPOSED, Event.Status.CANCELLED):
        raise ValidationError(
            _("Присутствие отмечают на проведённом мероприятии, а это — «%(status)s».")
            % {"status": event.get_status_display()}
        )
    if event.starts_at > timezone.now():
        raise ValidationError(_("Мероприятие ещё не началось; присутствие отмечают после начала."))
    latest = _latest_minutes(event)
    if latest is not None and latest.is_signed:
        raise ValidationError(
            _(
                "Протокол подписан, и список присутствующих в нём закреплён. Чтобы его изменить, "
                "начните исправление протокола."
            )
        )
    present = set(present)
    rows = list(event.attendance.all())
    unknown = present - {r.pk for r in rows}
    if unknown:
        raise ValidationError({"present": _("В списке есть люди, не приглашённые на это событие.")})
    for row in rows:
        row.attended = row.pk in present
    Attendance.objects.bulk_update(rows, ["attended"])
    extra = set(members_present) - {r.user_id for r in rows if r.user_id}
    if extra - _current_member_ids(event.structure):
        raise ValidationError({"members_present": _("Отметить можно только участников структуры.")})
    Attendance.objects.bulk_create(
        [Attendance(event=event, user_id=pk, invited=False, attended=True) for pk in sorted(extra)]
    )
    _add_guests(event, guests, attended=True)
    if event.status == Event.Status.SCHEDULED:
        event.status = Event.Status.HELD
        event._history_user = by
        event.save(update_fields=["status"])
        figures.structure_changed(event.structure_id, event.starts_at)
    return event


# --- Minutes -----------------------------------------------------------------------------------


def next_minutes_number(event: Event) -> str:
    """The next number in the structure's school year: minutes are numbered from 1 each year."""
    year = event.school_year
    taken = (
        Minutes.objects.filter(
            event__structure_id=event.structure_id,
            version=1,
            date__gte=year.first_day,
            date__lte=year.last_day,
        )
        .exclude(event=event)
        .count()
    )
    return str(taken + 1)


def _refuse_signed(minutes: Minutes) -> None:
    if minutes.is_signed:
        raise ValidationError(
            _(
                "Протокол подписан и больше не меняется. Исправления вносятся новой версией "
                "с указанием причины."
            )
        )


def _check_number(event: Event, number: str, date: dt.date) -> None:
    year = SchoolYear.of(date)
    clash = (
        Minutes.objects.filter(
            event__structure_id=event.structure_id,
            number=number,
            date__gte=year.first_day,
            date__lte=year.last_day,
        )
        .exclude(event=event)
        .exists()
    )
    if clash:
        raise ValidationError(
            {
                "number": _("Протокол № %(n)s в %(year)s учебном году уже есть.")
                % {"n": number, "year": year.label}
            }
        )


def _write_items(minutes: Minutes, questions: Sequence[MinutesQuestion]) -> None:
    questions = [q for q in questions if q.question.strip()]
    if not questions:
        raise ValidationError(_("В протоколе должен быть хотя бы один вопрос с решением."))
    positions = decisions.decisions_positions(minutes)  # decisions follow their question
    minutes.items.all().delete()
    items = [
        MinutesItem(
            minutes=minutes,
            position=position,
            question=q.question.strip(),
            speakers=q.speakers.strip(),
            decision=q.decision.strip(),
            recommendations=q.recommendations.strip(),
        )
        for position, q in enumerate(questions, start=1)
    ]
    for item in items:
        item.full_clean()
    MinutesItem.objects.bulk_create(items)
    decisions.decisions_relink(minutes, positions)


def _attach(minutes: Minutes, files: Sequence[UploadedFile], by: User) -> None:
    for upload in files:
        try:
            kind = validate_upload(upload)
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}) from error
        original = PurePath(upload.name or "file").name
        # A random stored name: nobody can guess a path, and Cyrillic survives in original_name.
        upload.name = f"{uuid.uuid4().hex}{PurePath(original).suffix.lower()}"
        attachment = MinutesAttachment(
            minutes=minutes,
            file=upload,
            original_name=original[:255],
            file_kind=kind,
            size=upload.size,
            uploaded_by=by,
        )
        attachment.full_clean()
        attachment.save()


def _detach(minutes: Minutes, attachment_ids: Iterable[int]) -> None:
    """Removes attachments of a draft; the file itself stays while another version uses it."""
    for attachment in minutes.attachments.filter(pk__in=list(attachment_ids)):
        name = attachment.file.name
        attachment.delete()
        if not MinutesAttachment.objects.filter(file=name).exists():
            attachment.file.storage.delete(name)


@transaction.atomic
def minutes_create(
    *,
    event: Event,
    by: User,
    number: str,
    questions: Sequence[MinutesQuestion],
    date: dt.date | None = None,
    files: Sequence[UploadedFile] = (),
) -> Minutes:
    """The first version of the minutes of a held event, as a draft; the attendees are the
    event's attendance, so nobody retypes names."""
    event = Event.objects.select_for_update().select_related("structure").get(pk=event.pk)
    refuse_if_closed(event.structure)
    if event.status != Event.Status.HELD:
        raise ValidationError(
            _("Протокол пишут по проведённому мероприятию: сначала отметьте присутствие.")
        )
    if event.minutes.exists():
        raise ValidationError(_("У этого мероприятия уже есть протокол."))
    minutes = Minutes(
        event=event,
        version=1,
        number=number.strip(),
        date=date or timezone.localtime(event.starts_at).date(),
        created_by=by,
    )
    _check_number(event, minutes.number, minutes.date)
    minutes.full_clean()
    minutes._history_user = by
    minutes.save()
    _write_items(minutes, questions)
    _attach(minutes, files, by)
    return minutes


@transaction.atomic
def minutes_update(
    *,
    minutes: Minutes,
    by: User,
    number: str,
    date: dt.date,
    questions: Sequence[MinutesQuestion],
    files: Sequence[UploadedFile] = (),
    remove_attachments: Iterable[int] = (),
) -> Minutes:
    """Rewrites a draft: number, date, the questions (in the given order) and attachments."""
    minutes = (
        Minutes.objects.select_for_update().select_related("event__structure").get(pk=minutes.pk)
    )
    refuse_if_closed(minutes.event.structure)
    _refuse_signed(minutes)
    minutes.number, minutes.date = number.strip(), date
    _check_number(minutes.event, minutes.number, minutes.date)
    minutes.full_clean()
    minutes._history_user = by
    minutes.save()
    _write_items(minutes, questions)
    _detach(minutes, remove_attachments)
    _attach(minutes, files, by)
    return minutes


def attendees_snapshot(event: Event) -> dict:
    """Who attended, as a signed version keeps it (Minutes.attendees)."""
    users, guests = [], []
    for row in attendance_rows(event).filter(attended=True):
        if row.user_id:
            users.append(row.user_id)
        else:
            guests.append([row.guest_name, row.guest_organisation])
    return {"users": users, "guests": guests}


@transaction.atomic
def minutes_sign(*, minutes: Minutes, by: User) -> Minutes:
    """The head or chair signs: the number of attendees is fixed, and the version is read-only."""
    minutes = (
        Minutes.objects.select_for_update().select_related("event__structure").get(pk=minutes.pk)
    )
    refuse_if_closed(minutes.event.structure)
    _refuse_signed(minutes)
    if not minutes.items.exists():
        raise ValidationError(
            _("В протоколе нет ни одного вопроса с решением; подписывать нечего.")
        )
    minutes.attendees = attendees_snapshot(minutes.event)
    minutes.attendee_count = len(minutes.attendees["users"]) + len(minutes.attendees["guests"])
    minutes.status = Minutes.Status.SIGNED
    minutes.signed_by = by
    minutes.signed_at = timezone.now()
    minutes.full_clean()
    minutes._history_user = by
    minutes.save()
    figures.structure_changed(minutes.event.structure_id, minutes.event.starts_at)
    decisions.decisions_announce(minutes=minutes)  # the owners of its decisions are told now
    return minutes


@transaction.atomic
def minutes_correct(*, minutes: Minutes, by: User, reason: str) -> Minutes:
    """A correction of signed minutes: version N+1 as a draft, with the reason, the questions and
    the attachments copied. The signed version stays as it was and stays readable."""
    minutes = (
        Minutes.objects.select_for_update().select_related("event__structure").get(pk=minutes.pk)
    )
    refuse_if_closed(minutes.event.structure)
    if not minutes.is_signed:
        raise ValidationError(_("Черновик исправляют, просто редактируя его."))
    if Minutes.objects.filter(previous=minutes).exists():
        raise ValidationError(_("Эту версию уже исправляют: откройте следующую версию."))
    if not reason.strip():
        raise ValidationError({"reason": _("Укажите причину исправления.")})
    correction = Minutes(
        event=minutes.event,
        version=minutes.version + 1,
        previous=minutes,
        correction_reason=reason.strip(),
        number=minutes.number,
        date=minutes.date,
        created_by=by,
    )
    correction.full_clean()
    correction._history_user = by
    correction.save()
    MinutesItem.objects.bulk_create(
        [
            MinutesItem(
                minutes=correction,
                position=item.position,
                question=item.question,
                speakers=item.speakers,
                decision=item.decision,
                recommendations=item.recommendations,
            )
            for item in minutes.items.all()
        ]
    )
    MinutesAttachment.objects.bulk_create(
        [
            MinutesAttachment(
                minutes=correction,
                file=a.file.name,
                original_name=a.original_name,
                file_kind=a.file_kind,
                size=a.size,
                uploaded_by=a.uploaded_by,
            )
            for a in minutes.attachments.all()
        ]
    )
    return correction


# The minutes as a document: communities/services/documents.py (MinutesDocx, from the region's
# DOCX template; issue 18).
