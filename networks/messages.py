"""One place to send a message to a person (issue 17, «One notification centre»).

Every sender of the portal — reminders, invitations, announcements, decisions — hands its message to
`message_for()` (or `deliver()`): the portal notice is written, and the e-mail goes out at once,
waits for the person's daily or weekly digest, or is not sent (portal only), as the person chose for
that KIND on the preferences page. The choice lives in reporting (ReminderPreference.delivery), the
app above; reporting registers the router (networks.hooks.register_message_router) that reads it and
queues the digest's rows. Without a router every mail goes at once.

Every mail carries `List-Unsubscribe` (a signed link that turns that kind to «только на портале»)
and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058). Bodies are rendered by the
caller inside `in_language_of(person)`, so a person who chose English gets English mail.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import hooks


class MessageKind(models.TextChoices):
    """What the portal writes to people about: only kinds the code really sends."""

    DEADLINES = "deadlines", _("Сроки отчётности (необязательные)")
    PLANS = "plans", _("Планы, ожидающие решения")
    MINUTES = "minutes", _("Заседания без протокола")
    PAIRS = "pairs", _("Сетевые пары без контактов")
    REQUESTS = "requests", _("Просроченные запросы о помощи")
    EVENTS = "events", _("Приглашения на заседания и мероприятия")
    ANNOUNCEMENTS = "announcements", _("Объявления структур")
    DECISIONS = "decisions", _("Решения и поручения")


class Delivery(models.TextChoices):
    """How a person wants the messages of one kind."""

    NOW = "now", _("Сразу")
    DAILY = "daily", _("Ежедневная сводка")
    WEEKLY = "weekly", _("Еженедельная сводка")
    PORTAL = "portal", _("Только на портале")


# A token for «every kind that goes to my digests» (the digest mail's own unsubscribe link).
DIGEST = "digest"
UNSUBSCRIBE_SALT = "networks.messages.unsubscribe"


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": str(kind)}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a token signed here; None for a forged or mangled one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, kind = int(data["u"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if kind != DIGEST and kind not in MessageKind.values:
        return None
    return user_id, kind


def unsubscribe_url(user_id: int, kind: str) -> str:
    return f"{settings.SITE_URL}/unsubscribe/{unsubscribe_token(user_id, kind)}/"


def unsubscribe_headers(user_id: int, kind: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def language_of(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


@contextmanager
def in_language_of(user) -> Iterator[None]:
    """Renders a mail (subject, text, HTML) in the person's language."""
    with translation.override(language_of(user)):
        yield


def mail(
    user,
    *,
    kind: str,
    subject: str,
    text: str,
    html: str = "",
    attachments: Sequence[tuple] = (),
    unsubscribe_kind: str | None = None,
) -> EmailMultiAlternatives:
    """The e-mail itself (not sent): the subject prefix, both bodies, the files and the headers."""
    headers = unsubscribe_headers(user.pk, unsubscribe_kind or kind)
    headers["Content-Language"] = language_of(user)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=text,
        to=[user.email],
        headers=headers,
    )
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(*attachment)
    return message


def message_for(
    user,
    *,
    kind: str,
    subject: str,
    text: str,
    html: str = "",
    url: str = "",
    attachments: Sequence[tuple] = (),
    notice: bool | str = True,
) -> EmailMultiAlternatives | None:
    """The message to one person: the portal notice (`notice`: True — the text; a string — that
    body; False — the caller wrote the notices already), then the e-mail to send now, or None when
    the person wants it in a digest (queued by the router) or in the portal only.

    Call it inside the write's transaction: the notice, the digest's row and (sent through the
    outbox backend) the mail all commit or roll back with it."""
    if notice:
        hooks.notify([user.pk], title=subject, body=text if notice is True else notice, url=url)
    if not user.email:
        return None
    if not hooks.route_message(user, kind=str(kind), subject=subject, text=text, url=url):
        return None
    return mail(user, kind=kind, subject=subject, text=text, html=html, attachments=attachments)


def deliver(user, **kwargs) -> bool:
    """`message_for()` and send it (into the outbox); True when a mail went out now."""
    message = message_for(user, **kwargs)
    if message is None:
        return False
    return bool(message.send())
