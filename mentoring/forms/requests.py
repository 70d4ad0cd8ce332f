"""Forms for requests for targeted help. They read input only; the rules live in the services, whose
ValidationErrors are attached back to the fields (communities.forms.add_service_error)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.models import User

from ..models import HelpRequest, Topic


def topic_choices(*, blank: str | None = None) -> list:
    """Active catalogue topics grouped by area (an <optgroup> each)."""
    groups: dict[str, list] = {}
    labels = dict(Topic.Area.choices)
    for topic in Topic.objects.filter(is_active=True):
        groups.setdefault(labels.get(topic.area, topic.area), []).append((topic.pk, topic.name))
    choices: list = [("", blank)] if blank is not None else []
    return choices + list(groups.items())


class TopicField(forms.TypedChoiceField):
    """A catalogue topic from a grouped list; cleans to the Topic."""

    def __init__(self, *, blank: str | None = "—", **kwargs):
        self.blank = blank
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def clean(self, value):
        pk = super().clean(value)
        if pk is None:
            return None
        return Topic.objects.get(pk=pk)


def _load_topics(field: TopicField) -> None:
    field.choices = topic_choices(blank=field.blank)


class HelpRequestForm(forms.Form):
    topic = TopicField(
        label=_("Тема"), help_text=_("Из каталога дефицитов и запросов."), blank=_("— выберите —")
    )
    description = forms.CharField(
        label=_("В чём нужна помощь"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Опишите ситуацию и что вы уже пробовали: так консультант ответит по делу."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _load_topics(self.fields["topic"])


class RequestQueueFilter(forms.Form):
    status = forms.ChoiceField(label=_("Состояние"), required=False)
    topic = TopicField(label=_("Тема"), required=False, blank=_("все темы"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("все")),
            ("open", _("все незакрытые")),
            *HelpRequest.Status.choices,
        ]
        _load_topics(self.fields["topic"])
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class RouteForm(forms.Form):
    """The consultant from the likely people of the region, or anybody of the region by e-mail."""

    prefix = "route"
    consultant = forms.TypedChoiceField(
        label=_("Консультант"), required=False, coerce=int, empty_value=None
    )
    email = forms.EmailField(
        label=_("Или электронная почта другого работника региона"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, candidates: list[tuple[str, list[User]]], **kwargs):
        super().__init__(*args, **kwargs)
        choices: list = [("", _("— выберите —"))]
        for label, users in candidates:
            choices.append(
                (
                    label,
                    [
                        (
                            u.pk,
                            f"{u.full_name}, {u.organisation}" if u.organisation else u.full_name,
                        )
                        for u in users
                    ],
                )
            )
        self.fields["consultant"].choices = choices

    def clean(self):
        data = super().clean()
        pk, email = data.get("consultant"), data.get("email")
        if self.errors:
            return data
        if bool(pk) == bool(email):
            raise forms.ValidationError(
                _("Выберите консультанта из списка или укажите электронную почту — что-то одно.")
            )
        if pk:
            data["user"] = User.objects.filter(pk=pk).first()
        else:
            data["user"] = User.objects.filter(email__iexact=email).first()
            if data["user"] is None:
                self.add_error(
                    "email", _("Человек с такой электронной почтой не зарегистрирован на портале.")
                )
        return data


class AnswerForm(forms.Form):
    prefix = "answer"
    outcome = forms.ChoiceField(
        label=_("Что сделано"),
        choices=[
            (HelpRequest.Status.ANSWERED, _("Дан письменный ответ")),
            (HelpRequest.Status.CONSULTED, _("Проведена консультация")),
        ],
        widget=forms.RadioSelect,
        initial=HelpRequest.Status.ANSWERED,
    )
    answer = forms.CharField(
        label=_("Ответ или итог консультации"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ConfirmForm(forms.Form):
    prefix = "confirm"
    helped = forms.TypedChoiceField(
        label=_("Помогла ли консультация?"),
        choices=[("yes", _("Да, помогла")), ("no", _("Нет, не помогла"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


__all__ = [
    "AnswerForm",
    "ConfirmForm",
    "HelpRequestForm",
    "RequestQueueFilter",
    "RouteForm",
]
