"""Forms of the decisions followed up. They read input only: the rules live in
communities/services/decisions.py, whose ValidationErrors `add_service_error` puts back on the
fields."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.models import Organisation, User

from ..models import MinutesItem
from .membership import DateInput

__all__ = ["DecisionDoneForm", "DecisionForm", "DecisionMoveForm"]

NOTE_MAX = 1000


class DecisionForm(forms.Form):
    """A decision on a question of a draft: what, who answers for it (a member or a school), by
    when."""

    item = forms.TypedChoiceField(label=_("Вопрос протокола"), coerce=int)
    text = forms.CharField(
        label=_("Решение"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Что нужно сделать, например: «Актуализировать план взаимопосещений»."),
    )
    owner = forms.ChoiceField(
        label=_("Ответственный"),
        help_text=_(
            "Участник структуры или школа; им придёт уведомление, когда протокол подпишут."
        ),
    )
    due_on = forms.DateField(label=_("Срок"), widget=DateInput())

    def __init__(
        self,
        *args,
        items: Sequence[MinutesItem],
        people: Sequence[tuple[User, str]],
        schools: Sequence[Organisation],
        **kwargs,
    ):
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)
        self._items = {i.pk: i for i in items}
        self._people = {p.pk: p for p, _label in people}
        self._schools = {s.pk: s for s in schools}
        self.fields["item"].choices = [(i.pk, f"{i.position}. {i.question[:100]}") for i in items]
        self.fields["owner"].choices = [
            ("", "—"),
            (_("Участники"), [(f"user:{p.pk}", label) for p, label in people]),
            (_("Школы"), [(f"org:{s.pk}", str(s)) for s in schools]),
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kind, _sep, pk = data["owner"].partition(":")
        return {
            "item": self._items[data["item"]],
            "text": data["text"],
            "due_on": data["due_on"],
            "owner": self._people.get(int(pk)) if kind == "user" else None,
            "owner_organisation": self._schools.get(int(pk)) if kind == "org" else None,
        }


class DecisionDoneForm(forms.Form):
    note = forms.CharField(
        label=_("Что сделано"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Коротко: результат и где его посмотреть."),
    )
    done_on = forms.DateField(
        label=_("Дата выполнения"),
        widget=DateInput(),
        required=False,
        help_text=_("Пусто — сегодня."),
    )


class DecisionMoveForm(forms.Form):
    new_due_on = forms.DateField(label=_("Новый срок"), widget=DateInput())
    reason = forms.CharField(
        label=_("Причина переноса"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
