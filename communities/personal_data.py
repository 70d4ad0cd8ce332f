"""A person's own data in communities (152-ФЗ): the export's sections and the erasure on deletion.

Registered with networks' hooks in CommunitiesConfig.ready(); networks' account pages call them
(networks/account/exports.py, networks.account.services.user_anonymise).

What deletion does here, and why:

- **Invitations** to the person's addresses: unused ones are deleted (nobody is left to accept
  them); a used one keeps the record of who let the person in, with the address replaced by the
  account's placeholder (`deleted-<id>@invalid`).
- **Join requests** and **blocks** are deleted, history rows included: the reason is the person's
  own text (or the coordinator's words about them), and the membership itself, which the reports
  count, stays with networks.
- **Posts** stay in their discussion, their text replaced by «Сообщение удалено автором.»: the
  replies of others refer to them, and a thread with holes in it would misrepresent what others
  answered. The author shows as «Удалённый пользователь» like every anonymised person.
- **Materials** the person added: published ones belong to the structure's collection (shared,
  counted in its report, R-PAV-6.1) and stay without an author; ones never published (waiting for
  admission or removed) are deleted with their files.
- **Announcements** the person posted (issue 17) stay without an author: they were the
  structure's message to its members, who have them in their mail and notices already.
- **Decisions** the person owned or marked done (issue 17) stay, owned by the (now anonymous)
  account: they are the structure's record of what its meetings decided and how it was done, and
  the annual analysis counts them; the note says what was done, not who the person is.
- **Calendar addresses** (CalendarToken) are deleted: the person's feeds stop answering at once.
- **Attendance** (with the answer to an invitation) and **poll votes** stay: they hold only the (now anonymous) account, and the counts
  of past meetings and polls must not change.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.utils.translation import gettext as _

from networks.hooks import PersonalDataSection

from .models import (
    Announcement,
    Attendance,
    CalendarToken,
    Decision,
    Invitation,
    JoinRequest,
    Material,
    MembershipBlock,
    PollVoter,
    Post,
)

REMOVED_POST = "Сообщение удалено автором."


def _addresses(user) -> set[str]:
    return {user.email.lower()} | {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }


def _invitations_of(user, addresses):
    to_address = Q()
    for address in addresses:
        to_address |= Q(email__iexact=address)
    return Invitation.objects.filter(to_address | Q(used_by=user))


def sections(user) -> list[PersonalDataSection]:
    join_requests = PersonalDataSection(
        "join_requests",
        _("Заявки на вступление"),
        [
            ("structure", _("Структура")),
            ("reason", _("Почему хочу вступить")),
            ("status", _("Состояние")),
            ("created_at", _("Подана")),
            ("decided_at", _("Дата решения")),
            ("decision_reason", _("Причина отказа")),
        ],
        [
            {
                "structure": r.structure.name,
                "reason": r.reason,
                "status": r.get_status_display(),
                "created_at": r.created_at,
                "decided_at": r.decided_at,
                "decision_reason": r.decision_reason,
            }
            for r in JoinRequest.objects.filter(user=user)
            .select_related("structure")
            .order_by("created_at", "pk")
        ],
    )
    invitations = PersonalDataSection(
        "invitations",
        _("Полученные приглашения"),
        [
            ("structure", _("Структура")),
            ("email", _("Электронная почта")),
            ("role", _("Роль")),
            ("created_at", _("Отправлено")),
            ("expires_at", _("Действует до")),
            ("used_at", _("Использовано")),
        ],
        [
            {
                "structure": i.structure.name,
                "email": i.email,
                "role": i.get_role_display(),
                "created_at": i.created_at,
                "expires_at": i.expires_at,
                "used_at": i.used_at,
            }
            for i in _invitations_of(user, _addresses(user))
            .select_related("structure")
            .order_by("created_at", "pk")
        ],
    )
    blocks = PersonalDataSection(
        "membership_blocks",
        _("Запреты на вступление"),
        [("structure", _("Структура")), ("reason", _("Причина")), ("created_at", _("Дата"))],
        [
            {"structure": b.structure.name, "reason": b.reason, "created_at": b.created_at}
            for b in MembershipBlock.objects.filter(user=user)
            .select_related("structure")
            .order_by("created_at", "pk")
        ],
    )
    posts = PersonalDataSection(
        "posts",
        _("Сообщения в обсуждениях"),
        [
            ("structure", _("Структура")),
            ("discussion", _("Обсуждение")),
            ("body", _("Сообщение")),
            ("created_at", _("Написано")),
            ("removed_at", _("Скрыто модератором")),
        ],
        [
            {
                "structure": p.discussion.structure.name,
                "discussion": p.discussion.title,
                "body": p.body,
                "created_at": p.created_at,
                "removed_at": p.removed_at,
            }
            for p in Post.objects.filter(author=user)
            .select_related("discussion__structure")
            .order_by("created_at", "pk")
        ],
    )
    materials = PersonalDataSection(
        "materials",
        _("Материалы"),
        [
            ("structure", _("Структура")),
            ("title", _("Название")),
            ("kind", _("Вид")),
            ("description", _("Описание")),
            ("file", _("Файл")),
            ("link", _("Ссылка")),
            ("status", _("Состояние")),
            ("created_at", _("Добавлен")),
        ],
        [
            {
                "structure": m.structure.name,
                "title": m.title,
                "kind": m.get_kind_display(),
                "description": m.description,
                "file": m.original_name,
                "link": m.link,
                "status": m.get_status_display(),
                "created_at": m.created_at,
            }
            for m in Material.objects.filter(author=user)
            .select_related("structure")
            .order_by("created_at", "pk")
        ],
    )
    attendance = PersonalDataSection(
        "attendance",
        _("Посещаемость"),
        [
            ("structure", _("Структура")),
            ("event", _("Мероприятие")),
            ("starts_at", _("Начало")),
            ("invited", _("Приглашён")),
            ("response", _("Ответ на приглашение")),
            ("attended", _("Присутствовал")),
        ],
        [
            {
                "structure": a.event.structure.name,
                "event": a.event.title,
                "starts_at": a.event.starts_at,
                "invited": _("да") if a.invited else _("нет"),
                "response": a.get_response_display(),
                "attended": {True: _("да"), False: _("нет"), None: ""}[a.attended],
            }
            for a in Attendance.objects.filter(user=user)
            .select_related("event__structure")
            .order_by("event__starts_at", "pk")
        ],
    )
    votes = PersonalDataSection(
        "poll_votes",
        _("Участие в опросах"),
        [("structure", _("Структура")), ("poll", _("Вопрос")), ("voted_at", _("Голос отдан"))],
        [
            {"structure": v.poll.structure.name, "poll": v.poll.question, "voted_at": v.voted_at}
            for v in PollVoter.objects.filter(user=user)
            .select_related("poll__structure")
            .order_by("voted_at", "pk")
        ],
    )
    calendars = PersonalDataSection(
        "calendar_addresses",
        _("Адреса календарей"),
        [("structure", _("Календарь")), ("created_at", _("Адрес создан"))],
        [
            {
                "structure": t.structure.name if t.structure else _("Мой календарь"),
                "created_at": t.created_at,
            }
            for t in CalendarToken.objects.filter(user=user)
            .select_related("structure")
            .order_by("created_at", "pk")
        ],
    )
    announcements = PersonalDataSection(
        "announcements",
        _("Объявления"),
        [
            ("structure", _("Структура")),
            ("audience", _("Кому")),
            ("title", _("Заголовок")),
            ("text", _("Текст")),
            ("created_at", _("Опубликовано")),
        ],
        [
            {
                "structure": a.structure.name,
                "audience": a.audience.name if a.audience else _("Всем участникам"),
                "title": a.title,
                "text": a.text,
                "created_at": a.created_at,
            }
            for a in Announcement.objects.filter(author=user)
            .select_related("structure", "audience")
            .order_by("created_at", "pk")
        ],
    )
    decisions = PersonalDataSection(
        "decisions",
        _("Поручения"),
        [
            ("structure", _("Структура")),
            ("minutes", _("Протокол")),
            ("text", _("Решение")),
            ("due_on", _("Срок")),
            ("status", _("Состояние")),
            ("done_on", _("Выполнено")),
            ("done_note", _("Отметка об исполнении")),
        ],
        [
            {
                "structure": d.structure.name,
                "minutes": _("№ %(n)s от %(date)s")
                % {"n": d.minutes.number, "date": f"{d.minutes.date:%d.%m.%Y}"},
                "text": d.text,
                "due_on": d.due_on,
                "status": d.get_status_display(),
                "done_on": d.done_on,
                "done_note": d.done_note,
            }
            for d in Decision.objects.filter(Q(owner=user) | Q(done_by=user))
            .select_related("structure", "minutes")
            .order_by("created_at", "pk")
        ],
    )
    return [
        join_requests,
        invitations,
        blocks,
        posts,
        materials,
        attendance,
        votes,
        calendars,
        announcements,
        decisions,
    ]


def erase(user, *, addresses: set[str], names: set[str]) -> None:
    """See the module's docstring for what goes and what stays, and why."""
    CalendarToken.objects.filter(user=user).delete()
    invitations = _invitations_of(user, addresses)
    invitations.filter(used_at__isnull=True).delete()
    invitations.update(email=f"deleted-{user.pk}@invalid")

    # Deleting writes a last history row (with the text): the history goes after the rows.
    for model in (JoinRequest, MembershipBlock):
        model.objects.filter(user=user).delete()
        model.history.filter(user_id=user.pk).delete()

    Post.objects.filter(author=user).update(body=REMOVED_POST)

    authored = Material.objects.filter(author=user)
    for material in authored.exclude(status=Material.Status.PUBLISHED):
        if material.file:
            material.file.delete(save=False)
        material.delete()
    authored.update(author=None)
    Announcement.objects.filter(author=user).update(author=None)
