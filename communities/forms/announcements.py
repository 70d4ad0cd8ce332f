"""The announcement form. It reads input only; the rules live in services/announcements.py, whose
ValidationErrors go back onto the fields by `add_service_error`."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from networks.models import Structure
from networks.uploads import ALLOWED_LABEL, validate_upload

from ..models import Announcement, Event
from ..services.event_invitations import event_when

__all__ = ["AnnouncementForm"]

# Events offered for the link: those still ahead and those of the last weeks (a report on one).
EVENTS_SINCE = dt.timedelta(days=30)
# Every recipient's mail carries the text: a long document goes as the file.
TEXT_MAX_LENGTH = 10_000


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, event: Event) -> str:
        """«Семинар — 10.12.2026 15:00 (Europe/Samara)»: the time in the structure's region."""
        return f"{event.title} — {event_when(event)}"


class AnnouncementForm(forms.Form):
    title = forms.CharField(
        label=_("Заголовок"), max_length=Announcement._meta.get_field("title").max_length
    )
    text = forms.CharField(
        label=_("Текст объявления"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    audience = forms.ModelChoiceField(
        label=_("Кому"),
        queryset=Structure.objects.none(),
        required=False,
        empty_label=_("Всем участникам структуры и её подсообществ"),
        help_text=_(
            "Письмо и уведомление получат участники выбранного подсообщества или, если оно не "
            "выбрано, всей структуры вместе с подсообществами."
        ),
    )
    event = EventChoiceField(
        label=_("Мероприятие"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("Без мероприятия"),
        help_text=_("Объявление будет ссылаться на страницу мероприятия."),
    )
    file = forms.FileField(label=_("Файл"), required=False)

    def __init__(self, *args, structure: Structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure
        children = Structure.objects.filter(parent=structure, closed_on__isnull=True).order_by(
            "name"
        )
        if children.exists():
            self.fields["audience"].queryset = children
        else:  # no sub-communities: the announcement is for the structure's members
            del self.fields["audience"]
        self.fields["event"].queryset = (
            Event.objects.filter(structure=structure, starts_at__gte=timezone.now() - EVENTS_SINCE)
            .exclude(status=Event.Status.CANCELLED)
            .select_related("structure__region")
            .order_by("starts_at")
        )
        self.fields["file"].help_text = gettext(
            "Необязательно. %(kinds)s, не больше %(limit)s МБ. Проверяется содержимое файла, "
            "а не только расширение."
        ) % {"kinds": ALLOWED_LABEL, "limit": settings.FILE_UPLOAD_MAX_MB}

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file:
            validate_upload(file)
        return file
