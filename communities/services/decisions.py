"""Decisions of the minutes followed up (issue 17): an owner, a due date, done or moved.

A decision is recorded on a draft of the minutes, beside one of its questions, with its owner — a
current member of the structure, or a school (the organisation of a member) — and a due date. It
takes effect when that version is signed: only then are the owners told (a notice and a mail in
Russian, written into the outbox in the signing's transaction). A correction (a new version of
signed minutes) carries the decisions already taken: they keep pointing at the version that took
them, stay open or done, and are listed with the new version; a correction adds new decisions of
its own, told when it is signed. So nothing is duplicated and nobody is told twice.

The owner (for a school: a member from that school) or whoever runs the structure marks a
decision done with a short note, or moves its date with a reason (DecisionMove keeps the history).
Each function runs in one transaction; access is checked by the views (communities.permissions,
"Decisions" section).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.hooks import notify
from networks.messages import MessageKind, in_language_of, message_for
from networks.models import Membership, Organisation, Structure, User
from networks.services import refuse_if_closed

from .. import calendar
from ..models import Decision, DecisionMove, Minutes, MinutesItem

log = logging.getLogger(__name__)

__all__ = [
    "FOLLOW_UP_QUESTION",
    "decision_done",
    "decision_move",
    "decision_record",
    "decision_remove",
    "decisions_announce",
    "decisions_relink",
    "follow_up_question",
    "owner_organisations",
    "owner_user_ids",
    "taken",
]

FOLLOW_UP_QUESTION = gettext_lazy("О ходе выполнения решений")
NOTE_MAX = 1000


def taken() -> Q:
    """Decisions in force: their version of the minutes is signed (a draft's are not yet)."""
    return Q(minutes__status=Minutes.Status.SIGNED)


def owner_organisations(structure: Structure) -> QuerySet[Organisation]:
    """The schools a decision may be given to: those of the structure's current members."""
    return Organisation.objects.filter(
        pk__in=structure.memberships.current().values("user__organisation_id")
    ).order_by("short_name", "full_name")


def owner_user_ids(decisions: Iterable[Decision]) -> dict[int, list[int]]:
    """Who answers for each decision: its owner, or the current members of the structure from the
    owner school. Active people with an account only. One query."""
    decisions = list(decisions)
    result: dict[int, list[int]] = {d.pk: [] for d in decisions}
    schools = {
        (d.structure_id, d.owner_organisation_id) for d in decisions if d.owner_organisation_id
    }
    people: dict[tuple[int, int], list[int]] = {}
    if schools:
        condition = Q()
        for structure_id, organisation_id in schools:
            condition |= Q(structure_id=structure_id, user__organisation_id=organisation_id)
        for structure_id, organisation_id, user_id in (
            Membership.objects.current()
            .filter(condition, user__is_active=True, user__anonymised_at__isnull=True)
            .order_by("user_id")
            .values_list("structure_id", "user__organisation_id", "user_id")
        ):
            people.setdefault((structure_id, organisation_id), []).append(user_id)
    for d in decisions:
        if d.owner_id:
            result[d.pk] = [d.owner_id]
        elif d.owner_organisation_id:
            result[d.pk] = people.get((d.structure_id, d.owner_organisation_id), [])
    return result


def _refuse_unless_draft(minutes: Minutes) -> None:
    if minutes.is_signed:
        raise ValidationError(
            _(
                "Протокол подписан и больше не меняется. Новое решение записывают в исправленную "
                "версию протокола."
            )
        )


def _check_owner(structure: Structure, owner: User | None, school: Organisation | None) -> None:
    if (owner is None) == (school is None):
        raise ValidationError({"owner": _("Укажите ответственного: участника или школу.")})
    if owner is not None and not structure.memberships.current().filter(user=owner).exists():
        raise ValidationError({"owner": _("Ответственным может быть только участник структуры.")})
    if school is not None and not owner_organisations(structure).filter(pk=school.pk).exists():
        raise ValidationError(
            {"owner": _("Ответственной может быть только школа участника структуры.")}
        )


@transaction.atomic
def decision_record(
    *,
    minutes: Minutes,
    by: User,
    item: MinutesItem,
    text: str,
    due_on: dt.date,
    owner: User | None = None,
    owner_organisation: Organisation | None = None,
) -> Decision:
    """A decision on a question of a draft, with its owner and due date; told at signing."""
    minutes = (
        Minutes.objects.select_for_update().select_related("event__structure").get(pk=minutes.pk)
    )
    structure = minutes.event.structure
    refuse_if_closed(structure)
    _refuse_unless_draft(minutes)
    if item.minutes_id != minutes.pk:
        raise ValidationError({"item": _("Этот вопрос относится к другому протоколу.")})
    _check_owner(structure, owner, owner_organisation)
    decision = Decision(
        structure=structure,
        minutes=minutes,
        item=item,
        text=text.strip(),
        owner=owner,
        owner_organisation=owner_organisation,
        due_on=due_on,
    )
    decision.full_clean()
    decision._history_user = by
    decision.save()
    return decision


@transaction.atomic
def decision_remove(*, decision: Decision, by: User) -> None:
    """Only from the draft that took it: a signed decision is followed up, not erased."""
    decision = Decision.objects.select_related("minutes", "structure").get(pk=decision.pk)
    refuse_if_closed(decision.structure)
    _refuse_unless_draft(decision.minutes)
    decision._history_user = by
    decision.delete()


def decisions_relink(minutes: Minutes, positions: dict[int, int]) -> None:
    """A draft's questions are rewritten on every save (their rows replaced): its decisions follow
    their question by its number. `positions` maps decision id → the question's number before."""
    if not positions:
        return
    items = dict(minutes.items.values_list("position", "pk"))
    for decision_id, position in positions.items():
        Decision.objects.filter(pk=decision_id).update(item_id=items.get(position))


def decisions_positions(minutes: Minutes) -> dict[int, int]:
    return dict(
        Decision.objects.filter(minutes=minutes, item__isnull=False).values_list(
            "pk", "item__position"
        )
    )


def _check_open(decision: Decision) -> None:
    if decision.status != Decision.Status.OPEN:
        raise ValidationError(_("Решение уже отмечено выполненным."))
    if not decision.minutes.is_signed:
        raise ValidationError(_("Решение вступит в силу, когда протокол будет подписан."))


@transaction.atomic
def decision_done(
    *, decision: Decision, by: User, note: str, done_on: dt.date | None = None
) -> Decision:
    """The owner (or whoever runs the structure) marks it done, with a short note."""
    decision = (
        Decision.objects.select_for_update()
        .select_related("minutes", "structure")
        .get(pk=decision.pk)
    )
    refuse_if_closed(decision.structure)
    _check_open(decision)
    if not note.strip():
        raise ValidationError({"note": _("Напишите коротко, что сделано.")})
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError({"done_on": _("Дата выполнения не может быть в будущем.")})
    decision.status = Decision.Status.DONE
    decision.done_on = done_on
    decision.done_note = note.strip()[:NOTE_MAX]
    decision.done_by = by
    decision.full_clean()
    decision._history_user = by
    decision.save()
    return decision


@transaction.atomic
def decision_move(*, decision: Decision, by: User, new_due_on: dt.date, reason: str) -> Decision:
    """A new due date with its reason; the old one stays in the decision's moves."""
    decision = (
        Decision.objects.select_for_update()
        .select_related("minutes", "structure")
        .get(pk=decision.pk)
    )
    refuse_if_closed(decision.structure)
    _check_open(decision)
    if not reason.strip():
        raise ValidationError({"reason": _("Укажите причину переноса срока.")})
    if new_due_on == decision.due_on:
        raise ValidationError({"new_due_on": _("Это и есть нынешний срок.")})
    if new_due_on < timezone.localdate():
        raise ValidationError({"new_due_on": _("Новый срок не может быть в прошлом.")})
    move = DecisionMove(
        decision=decision,
        old_due_on=decision.due_on,
        new_due_on=new_due_on,
        reason=reason.strip()[:NOTE_MAX],
        moved_by=by,
    )
    move.full_clean()
    move.save()
    decision.due_on = new_due_on
    decision._history_user = by
    decision.save(update_fields=["due_on"])
    return decision


# --- Telling the owners -------------------------------------------------------------------------


def decisions_announce(*, minutes: Minutes) -> int:
    """Called by minutes_sign inside its transaction: the owners of the decisions this version
    took get a notice and a mail (the outbox sends it after commit). Never raises: a failure to
    build the messages is logged and the signing stands (the savepoint drops the half-written)."""
    try:
        with transaction.atomic():
            return _announce(minutes)
    except Exception:  # a template error must not cost the head the signing
        log.exception("could not tell the owners of the decisions of minutes %s", minutes.pk)
        return 0


def _announce(minutes: Minutes) -> int:
    decisions = list(
        Decision.objects.filter(minutes=minutes)
        .select_related("structure", "owner_organisation")
        .order_by("due_on", "pk")
    )
    if not decisions:
        return 0
    owners = owner_user_ids(decisions)
    structure = decisions[0].structure
    path = reverse("communities:decisions", kwargs={"pk": structure.pk})
    by_person: dict[int, list[Decision]] = {}
    for decision in decisions:
        for user_id in owners[decision.pk]:
            by_person.setdefault(user_id, []).append(decision)
    if not by_person:
        return 0
    people = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=list(by_person), is_active=True, anonymised_at__isnull=True
        )
    }
    messages = []
    with translation.override(settings.LANGUAGE_CODE):  # mails are in Russian (CONVENTIONS)
        for user_id, mine in sorted(by_person.items()):
            person = people.get(user_id)
            if person is None:
                continue
            subject = _("Поручение по протоколу № %(n)s: %(structure)s") % {
                "n": minutes.number,
                "structure": structure.name,
            }
            body = "; ".join(
                _("%(text)s — срок %(due)s")
                % {"text": d.text[:200], "due": f"{d.due_on:%d.%m.%Y}" if d.due_on else "—"}
                for d in mine
            )
            notify([user_id], title=subject, body=body, url=path)
            if not person.email:
                continue
            context = {
                "person": person,
                "structure": structure,
                "minutes": minutes,
                "decisions": mine,
                "url": calendar.absolute(path),
            }
            with in_language_of(person):  # the notice above is the portal's, in Russian
                message = message_for(
                    person,
                    kind=MessageKind.DECISIONS,
                    subject=_("Поручение по протоколу № %(n)s: %(structure)s")
                    % {"n": minutes.number, "structure": structure.name},
                    text=render_to_string("communities/decisions/email/assigned.txt", context),
                    html=render_to_string("communities/decisions/email/assigned.html", context),
                    url=path,
                    notice=False,
                )
            if message is not None:
                messages.append(message)
    return get_connection().send_messages(messages) if messages else 0


# --- The next meeting's agenda ------------------------------------------------------------------


def follow_up_question(structure: Structure, *, except_event_id: int | None = None) -> str:
    """«О ходе выполнения решений» with the open decisions of earlier meetings, overdue first;
    empty when there are none. Two queries."""
    decisions = list(
        Decision.objects.filter(taken(), structure=structure, status=Decision.Status.OPEN)
        .exclude(minutes__event_id=except_event_id)
        .select_related("owner", "owner_organisation", "minutes")
        .order_by("due_on", "pk")
    )
    if not decisions:
        return ""
    today = timezone.localdate()
    lines = [f"{FOLLOW_UP_QUESTION}:"]
    for n, d in enumerate(decisions, start=1):
        owner = (
            d.owner.full_name
            if d.owner and d.owner.anonymised_at is None
            else str(d.owner_organisation or "—")
        )
        due = f"{d.due_on:%d.%m.%Y}" if d.due_on else "—"
        line = _("%(n)s. %(text)s — %(owner)s, срок %(due)s (протокол № %(number)s)") % {
            "n": n,
            "text": d.text,
            "owner": owner,
            "due": due,
            "number": d.minutes.number,
        }
        if d.due_on and d.due_on < today:
            line += " — " + _("просрочено")
        lines.append(line)
    return "\n".join(lines)
