"""Writes of materials, discussions and polls (R-PAV-6.1, R-PAV-6.2).

A member's material in a kind with pre-moderated materials (S8) waits until the administrator
admits it; removal keeps the record with the reason. A poll takes one vote per person: the
PollVoter row is claimed first under its unique constraint, so a second submit — from a double
click or from another worker at the same moment — fails on the database and counts nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.models import Structure, User
from networks.permissions import access_to
from networks.services import refuse_if_closed
from networks.uploads import KINDS, validate_upload

from ..models import Discussion, Material, Poll, PollOption, PollVote, PollVoter, Post
from ..permissions import can_add_material, can_publish_at_once

NAME_MAX_LENGTH = Material._meta.get_field("original_name").max_length
MIN_POLL_OPTIONS = 2


# --- Materials -----------------------------------------------------------------------------------


def _original_name(name: str) -> str:
    """The name the person's computer gave the file, Cyrillic kept, cut to fit the column."""
    path = PurePath(name or "")
    base, suffix = path.stem, path.suffix
    return base[: NAME_MAX_LENGTH - len(suffix)] + suffix


def _stored(file: UploadedFile, kind: str) -> File:
    """On disk the file gets a random name: nobody guesses it, and no odd characters reach it."""
    return File(file, name=f"{uuid.uuid4().hex}{KINDS[kind][0][0]}")


@transaction.atomic
def material_add(
    *,
    structure: Structure,
    title: str,
    kind: str,
    subject: str = "",
    description: str = "",
    file: UploadedFile | None = None,
    link: str = "",
    by: User,
) -> Material:
    refuse_if_closed(structure)
    access = access_to(by, structure)
    if not can_add_material(access):
        raise ValidationError(_("Добавлять материалы могут только участники структуры."))
    material = Material(
        structure=structure,
        title=title.strip(),
        kind=kind,
        subject=subject.strip(),
        description=description.strip(),
        link=link.strip(),
        author=by,
    )
    if file is not None:
        material.file_kind = validate_upload(file)
        material.original_name = _original_name(file.name)
        material.file = _stored(file, material.file_kind)
    if can_publish_at_once(access, structure):
        material.status = Material.Status.PUBLISHED
        material.admitted_by = by
        material.admitted_at = timezone.now()
    else:
        material.status = Material.Status.PENDING
    material.full_clean()
    material.save()
    return material


@transaction.atomic
def material_admit(*, material: Material, by: User) -> Material:
    """R-PAV-6.1: the administrator admits a member's material; everybody sees it from now on."""
    refuse_if_closed(material.structure)
    if material.status != Material.Status.PENDING:
        raise ValidationError(_("Материал не ожидает допуска: его уже допустили или удалили."))
    material.status = Material.Status.PUBLISHED
    material.admitted_by = by
    material.admitted_at = timezone.now()
    material.full_clean()
    material.save(update_fields=["status", "admitted_by", "admitted_at"])
    return material


@transaction.atomic
def material_remove(*, material: Material, reason: str, by: User) -> Material:
    """R-PAV-6.1: the administrator removes a material with a reason; the record stays, so the
    author sees why and the structure's history keeps what was there."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Укажите причину удаления: её увидит автор.")})
    if material.status == Material.Status.REMOVED:
        raise ValidationError(_("Материал уже удалён."))
    material.status = Material.Status.REMOVED
    material.removed_by = by
    material.removed_at = timezone.now()
    material.removal_reason = reason
    material.full_clean()
    material.save(update_fields=["status", "removed_by", "removed_at", "removal_reason"])
    return material


@transaction.atomic
def material_withdraw(*, material: Material, by: User) -> Material:
    """The author takes back a material nobody has admitted yet."""
    if material.author_id != by.pk:
        raise ValidationError(_("Отозвать материал может только его автор."))
    if material.status != Material.Status.PENDING:
        raise ValidationError(_("Отозвать можно только материал, который ещё ожидает допуска."))
    return material_remove(material=material, reason=_("Отозван автором."), by=by)


# --- Discussions (R-PAV-6.2) -----------------------------------------------------------------


@transaction.atomic
def discussion_open(*, structure: Structure, title: str, body: str, by: User) -> Discussion:
    refuse_if_closed(structure)
    discussion = Discussion(
        structure=structure, title=title.strip(), body=body.strip(), opened_by=by
    )
    discussion.full_clean()
    discussion.save()
    return discussion


def refuse_if_discussion_closed(discussion: Discussion) -> None:
    refuse_if_closed(discussion.structure)
    if discussion.closed_at is not None:
        raise ValidationError(
            _("Обсуждение закрыто %(date)s; новые сообщения не принимаются.")
            % {"date": f"{timezone.localtime(discussion.closed_at):%d.%m.%Y}"}
        )


@transaction.atomic
def post_add(*, discussion: Discussion, body: str, by: User) -> Post:
    refuse_if_discussion_closed(discussion)
    post = Post(discussion=discussion, body=body.strip(), author=by)
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def post_hide(*, post: Post, by: User) -> Post:
    """The moderator hides a post; the text stays in the database for the record."""
    if post.removed_at is None:
        post.removed_at = timezone.now()
        post.save(update_fields=["removed_at"])
    return post


@transaction.atomic
def discussion_close(*, discussion: Discussion, by: User) -> Discussion:
    if discussion.closed_at is not None:
        raise ValidationError(_("Обсуждение уже закрыто."))
    discussion.closed_at = timezone.now()
    discussion.save(update_fields=["closed_at"])
    return discussion


# --- Polls -----------------------------------------------------------------------------------


def poll_accepts_votes(poll: Poll, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        not poll.structure.is_closed
        and (poll.closes_at is None or now < poll.closes_at)
        and (poll.discussion is None or poll.discussion.closed_at is None)
    )


@transaction.atomic
def poll_create(
    *,
    structure: Structure,
    question: str,
    options: Sequence[str],
    multiple: bool = False,
    closes_at: dt.datetime | None = None,
    discussion: Discussion | None = None,
    by: User,
) -> Poll:
    refuse_if_closed(structure)
    texts = list(dict.fromkeys(t.strip() for t in options if t and t.strip()))
    if len(texts) < MIN_POLL_OPTIONS:
        raise ValidationError(
            {"options": _("Нужно не меньше двух разных вариантов ответа, по одному в строке.")}
        )
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("Срок голосования должен быть в будущем.")})
    if discussion is not None:
        if discussion.structure_id != structure.pk:
            raise ValidationError({"discussion": _("Это обсуждение другой структуры.")})
        refuse_if_discussion_closed(discussion)
    poll = Poll(
        structure=structure,
        discussion=discussion,
        question=question.strip(),
        multiple=multiple,
        closes_at=closes_at,
        created_by=by,
    )
    poll.full_clean()
    poll.save()
    option_rows = [
        PollOption(poll=poll, position=number, text=text)
        for number, text in enumerate(texts, start=1)
    ]
    for option in option_rows:
        option.full_clean(exclude=["poll"])
    PollOption.objects.bulk_create(option_rows)
    return poll


@transaction.atomic
def poll_vote(*, poll: Poll, option_ids: Sequence[int], by: User) -> PollVoter:
    if not poll_accepts_votes(poll):
        raise ValidationError(_("Голосование в этом опросе закончено."), code="closed")
    chosen = set(option_ids)
    if not chosen:
        raise ValidationError({"options": _("Выберите вариант ответа.")})
    if len(chosen) > 1 and not poll.multiple:
        raise ValidationError({"options": _("В этом опросе можно выбрать только один вариант.")})
    options = list(poll.options.filter(pk__in=chosen))
    if len(options) != len(chosen):
        raise ValidationError({"options": _("Такого варианта ответа в опросе нет.")})
    try:
        # The claim comes first and alone in its savepoint: on PostgreSQL a second transaction
        # waits on the unique index until the first commits, then fails here.
        with transaction.atomic():
            voter = PollVoter.objects.create(poll=poll, user=by)
    except IntegrityError:
        raise ValidationError(
            _("Вы уже голосовали в этом опросе; второй голос не учитывается."),
            code="already_voted",
        ) from None
    PollVote.objects.bulk_create([PollVote(voter=voter, option=option) for option in options])
    return voter


__all__ = [
    "discussion_close",
    "discussion_open",
    "material_add",
    "material_admit",
    "material_remove",
    "material_withdraw",
    "poll_accepts_votes",
    "poll_create",
    "poll_vote",
    "post_add",
    "post_hide",
    "refuse_if_discussion_closed",
]
