"""A person's own data in reporting (152-ФЗ): the export's sections and the erasure on deletion.

Registered with networks' hooks in ReportingConfig.ready().

Deletion: the person's **notices** and **reminder preferences** are deleted; the **reminders**
sent by e-mail keep their row in the delivery ledger (its `delivery_exactly_once` claim must stay,
so a sweep never sends the same step again) with subject, text and link erased, since a letter's
text greets the person by name.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from networks.hooks import PersonalDataSection

from .models import Delivery, DigestItem, Notice, ReminderPreference


def sections(user) -> list[PersonalDataSection]:
    notices = PersonalDataSection(
        "notices",
        _("Уведомления"),
        [
            ("title", _("Заголовок")),
            ("body", _("Текст")),
            ("created_at", _("Создано")),
            ("read_at", _("Прочитано")),
        ],
        [
            {"title": n.title, "body": n.body, "created_at": n.created_at, "read_at": n.read_at}
            for n in Notice.objects.filter(user=user).order_by("created_at", "pk")
        ],
    )
    reminders = PersonalDataSection(
        "reminders",
        _("Напоминания по почте"),
        [
            ("subject", _("Тема письма")),
            ("status", _("Состояние")),
            ("due_at", _("Отправить не раньше")),
            ("sent_at", _("Отправлено")),
        ],
        [
            {
                "subject": d.subject,
                "status": d.get_status_display(),
                "due_at": d.due_at,
                "sent_at": d.sent_at,
            }
            for d in Delivery.objects.filter(recipient=user).order_by("due_at", "pk")
        ],
    )
    return [notices, reminders]


def erase(user, *, addresses: set[str], names: set[str]) -> None:
    """See the module's docstring for what goes and what stays, and why."""
    Notice.objects.filter(user=user).delete()
    ReminderPreference.objects.filter(user=user).delete()
    DigestItem.objects.filter(user=user).delete()  # messages waiting for the digest (issue 17)
    deliveries = Delivery.objects.filter(recipient=user)
    deliveries.filter(status=Delivery.Status.PENDING).update(status=Delivery.Status.SKIPPED)
    deliveries.update(subject="", body="", url="", last_error="")
