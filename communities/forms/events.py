"""Forms for events, attendance and minutes. They read input only: the rules live in
communities/services/events.py, whose ValidationErrors `add_service_error` puts back on the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from networks.models import Structure, User
from networks.uploads import ALLOWED_LABEL, validate_upload

from ..models import Attendance, EventForm, EventFormat, MinutesAttachment, PlanItem
from ..services.events import Guest, MinutesQuestion
from .membership import DateInput

__all__ = [
    "AttendanceForm",
    "EventPlanForm",
    "EventProposalForm",
    "MinutesCorrectionForm",
    "MinutesForm",
    "MinutesItemForm",
    "MinutesItemFormSet",
    "MultipleFileField",
    "parse_guests",
]

GUESTS_HELP = _(
    "По одному на строку: ФИО; организация. Например: «Орлова Елена Николаевна; ЦНППМ»."
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def parse_guests(text: str) -> list[Guest]:
    guests = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, _sep, organisation = line.partition(";")
        name, organisation = name.strip(), organisation.strip()
        if not name:
            raise ValidationError(
                _("Строка %(n)s: укажите ФИО гостя перед точкой с запятой.") % {"n": number}
            )
        if len(name) > 300 or len(organisation) > 300:
            raise ValidationError(_("Строка %(n)s слишком длинная.") % {"n": number})
        guests.append(Guest(name=name, organisation=organisation))
    return guests


class _PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person: User) -> str:
        if person.anonymised_at is not None:
            return str(_("Удалённый пользователь"))
        where = f", {person.organisation}" if person.organisation_id else ""
        return f"{person.full_name}{where}"


def _plan_item_field() -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=_("Пункт плана"),
        queryset=PlanItem.objects.none(),
        required=False,
        empty_label=_("— вне плана —"),
        help_text=_("Если мероприятие проводится по плану работы."),
    )
    field.label_from_instance = lambda item: (
        f"{item.plan.school_year_label}: {item.position}. {item.title}"
    )
    return field


class EventPlanForm(forms.Form):
    """An event planned (or a proposal scheduled) by those who run the structure."""

    title = forms.CharField(label=_("Тема"), max_length=500)
    form = forms.ChoiceField(label=_("Форма"), choices=EventForm.choices)
    format = forms.ChoiceField(
        label=_("Формат"), choices=EventFormat.choices, widget=forms.RadioSelect
    )
    starts_at = forms.DateTimeField(label=_("Начало"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Окончание"), required=False, widget=DateTimeInput())
    place = forms.CharField(
        label=_("Место проведения"),
        max_length=500,
        required=False,
        help_text=_("Для очного и смешанного формата."),
    )
    link = forms.URLField(
        label=_("Ссылка на подключение"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Для дистанционного и смешанного формата."),
    )
    description = forms.CharField(
        label=_("Описание"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    plan_item = _plan_item_field()
    invitees = _PersonChoice(
        label=_("Приглашённые участники"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("По умолчанию приглашены все участники структуры."),
    )
    guests = forms.CharField(
        label=_("Гости"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=GUESTS_HELP,
    )

    def __init__(self, *args, structure: Structure, plan_items, **kwargs):
        kwargs.setdefault("prefix", "event")
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.fields["plan_item"].queryset = plan_items
        self.fields["invitees"].queryset = (
            User.objects.filter(memberships__structure=structure, memberships__until__isnull=True)
            .select_related("organisation")
            .order_by("last_name", "first_name")
        )
        if not self.is_bound and "format" not in self.initial:
            self.initial["format"] = structure.kind.default_event_format

    def clean_guests(self) -> list[Guest]:
        return parse_guests(self.cleaned_data["guests"])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "form": data["form"],
            "format": data["format"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "place": data["place"],
            "link": data["link"],
            "description": data["description"],
            "plan_item": data["plan_item"],
            "invitees": list(data["invitees"]),
            "guests": data["guests"],
        }


class EventProposalForm(forms.Form):
    """R-DMI-4.1: a participant school proposes; place and form are the centre's (R-DMI-4.2)."""

    title = forms.CharField(label=_("Тема"), max_length=500)
    form = forms.ChoiceField(
        label=_("Предлагаемая форма"),
        choices=EventForm.choices,
        help_text=_(
            "Окончательно форму и место определяет центр (положение о центре сетевого "
            "взаимодействия, утверждённое приказом от 22.05.2017 № 1-139/1, п. 4.2)."
        ),
    )
    starts_at = forms.DateTimeField(label=_("Желаемые дата и время"), widget=DateTimeInput())
    description = forms.CharField(
        label=_("Что предлагается и для кого"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    plan_item = _plan_item_field()

    def __init__(self, *args, structure: Structure, plan_items, **kwargs):
        kwargs.setdefault("prefix", "event")
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.fields["plan_item"].queryset = plan_items

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key] for key in ("title", "form", "starts_at", "description", "plan_item")
        }


class AttendanceForm(forms.Form):
    """Who came: the invited list as checkboxes, members who came uninvited, and guests."""

    present = forms.MultipleChoiceField(
        label=_("Присутствовали"), required=False, widget=forms.CheckboxSelectMultiple
    )
    members_present = forms.MultipleChoiceField(
        label=_("Пришли без приглашения (участники структуры)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guests = forms.CharField(
        label=_("Другие гости, которые присутствовали"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=GUESTS_HELP,
    )

    def __init__(
        self, *args, rows: list[tuple[Attendance, str]], others: list[tuple[User, str]], **kwargs
    ):
        kwargs.setdefault("prefix", "attendance")
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(row.pk), label) for row, label in rows]
        # Marking starts from the answers: who said «Приду» and is not marked yet is pre-checked.
        self.initial.setdefault(
            "present",
            [
                str(row.pk)
                for row, _label in rows
                if row.attended
                or (row.attended is None and row.response == Attendance.Response.YES)
            ],
        )
        if others:
            self.fields["members_present"].choices = [(str(u.pk), label) for u, label in others]
        else:
            del self.fields["members_present"]

    def clean_guests(self) -> list[Guest]:
        return parse_guests(self.cleaned_data["guests"])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "present": [int(pk) for pk in data["present"]],
            "members_present": [int(pk) for pk in data.get("members_present", [])],
            "guests": data["guests"],
        }


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once; each is checked by its content (networks.uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        problems = []
        for upload in cleaned:
            try:
                validate_upload(upload)
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(problems)
        return cleaned


class MinutesForm(forms.Form):
    number = forms.CharField(label=_("Номер протокола"), max_length=50)
    date = forms.DateField(label=_("Дата"), widget=DateInput())
    attachments = MultipleFileField(
        label=_("Приложения"),
        required=False,
        help_text=format_lazy(_("{kinds}; можно выбрать несколько файлов."), kinds=ALLOWED_LABEL),
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Убрать приложения"),
        queryset=MinutesAttachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, attachments=None, **kwargs):
        kwargs.setdefault("prefix", "minutes")
        super().__init__(*args, **kwargs)
        if attachments is None:
            del self.fields["remove_attachments"]
        else:
            self.fields["remove_attachments"].queryset = attachments
            self.fields["remove_attachments"].label_from_instance = lambda a: a.original_name


class MinutesItemForm(forms.Form):
    question = forms.CharField(
        label=_("Вопрос"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    speakers = forms.CharField(
        label=_("Выступили"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=10000,
        required=False,
        help_text=_("Кто выступил и о чём: «Иванова И.И. — о результатах диагностики»."),
    )
    decision = forms.CharField(
        label=_("Решение"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        help_text=_("Если решений несколько, каждое — с новой строки."),
    )
    recommendations = forms.CharField(
        label=_("Рекомендации"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        required=False,
    )


class _BaseItemFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": _("Запишите хотя бы один вопрос с решением."),
    }

    def questions(self) -> list[MinutesQuestion]:
        return [
            MinutesQuestion(
                question=f.cleaned_data["question"],
                speakers=f.cleaned_data.get("speakers", ""),
                decision=f.cleaned_data["decision"],
                recommendations=f.cleaned_data.get("recommendations", ""),
            )
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


MinutesItemFormSet = forms.formset_factory(
    MinutesItemForm,
    formset=_BaseItemFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    can_delete=True,
    can_delete_extra=False,
    max_num=100,
    validate_max=True,
)


class MinutesCorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина исправления"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Её увидят все, кто читает протокол; подписанная версия останется как была."),
    )
