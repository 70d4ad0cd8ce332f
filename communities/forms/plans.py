"""Forms for plans and for closing a structure. They read input only: the rules live in
communities/services/plans.py, whose ValidationErrors `add_service_error` puts back on the fields."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import ClosingReason, Order, Organisation, OrganisationKind, Structure
from networks.schoolyear import SchoolYear

from ..models import EventForm, PlanItem
from ..selectors.plans import MONTH_NAMES
from .membership import DateInput

COMMENT_MAX_LENGTH = 2000


class PlanCreateForm(forms.Form):
    school_year = forms.TypedChoiceField(label=_("Учебный год"), coerce=int)
    title = forms.CharField(
        label=_("Название"),
        required=False,
        max_length=300,
        help_text=_("Необязательно. Например: «План совместной деятельности на учебный год»."),
    )

    def __init__(self, *args, years: list[SchoolYear], **kwargs):
        kwargs.setdefault("prefix", "plan")
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = [(y.start, y.label) for y in years]


def month_choices() -> list[tuple[str, str]]:
    return [("", _("— укажите дату —"))] + [
        (str(number), str(name).capitalize()) for number, name in MONTH_NAMES.items()
    ]


class PlanItemForm(forms.Form):
    title = forms.CharField(
        label=_("Мероприятие"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    form = forms.ChoiceField(label=_("Форма"), choices=EventForm.choices)
    month = forms.TypedChoiceField(
        label=_("Месяц"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=month_choices,
        help_text=_("Месяц или точная дата — хотя бы одно из двух."),
    )
    date = forms.DateField(label=_("Дата"), required=False, widget=DateInput())
    responsible = forms.CharField(label=_("Ответственный"), max_length=300)
    audience = forms.CharField(
        label=_("Участники (целевая аудитория)"), max_length=300, required=False
    )
    expected_result = forms.CharField(
        label=_("Ожидаемый результат"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "item")
        super().__init__(*args, **kwargs)

    @classmethod
    def for_item(cls, item: PlanItem) -> PlanItemForm:
        return cls(initial={name: getattr(item, name) for name in cls.base_fields})

    def clean(self):
        data = super().clean()
        if not data.get("month") and not data.get("date") and "date" not in self.errors:
            self.add_error("month", _("Укажите месяц или дату."))
        return data


class PlanDoneForm(forms.Form):
    """One per row of the items table, so its widgets carry their Bootstrap classes."""

    done = forms.BooleanField(
        label=_("Выполнено"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Отметка о выполнении"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class PlanDecisionForm(forms.Form):
    """Agree or approve, with an optional comment."""

    comment = forms.CharField(
        label=_("Комментарий"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlanReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Что доработать"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Напишите, что доработать.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "return")
        super().__init__(*args, **kwargs)


# --- Closing a structure -------------------------------------------------------------------------

NEW_ORDER_FIELDS = {
    "order_issuer": "issuer",
    "order_kind": "kind",
    "order_number": "number",
    "order_date": "date",
    "order_title": "title",
}


class StructureCloseForm(forms.Form):
    on = forms.DateField(label=_("Дата прекращения деятельности"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Основание"), choices=ClosingReason.choices)
    order = forms.ModelChoiceField(
        label=_("Приказ (распоряжение) о прекращении"),
        queryset=Order.objects.none(),
        required=False,
        empty_label=_("— нет в списке —"),
        help_text=_("Приказы организаций региона. Если нужного нет, введите его ниже."),
    )
    order_issuer = forms.ModelChoiceField(
        label=_("Издал"), queryset=Organisation.objects.none(), required=False
    )
    order_kind = forms.ChoiceField(
        label=_("Вид документа"), choices=Order.Kind.choices, initial=Order.Kind.RASPORYAZHENIE
    )
    order_number = forms.CharField(label=_("Номер"), max_length=50, required=False)
    order_date = forms.DateField(label=_("Дата документа"), required=False, widget=DateInput())
    order_title = forms.CharField(label=_("Заголовок"), max_length=500, required=False)

    def __init__(self, *args, structure: Structure, **kwargs):
        kwargs.setdefault("prefix", "close")
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.fields["order"].queryset = (
            Order.objects.filter(issuer__region_id=structure.region_id)
            .select_related("issuer")
            .order_by("-date", "number")
        )
        self.fields["order"].label_from_instance = lambda o: f"{o} — {o.issuer}: «{o.title}»"
        authorities = Q(kind=OrganisationKind.AUTHORITY, region_id=structure.region_id) & (
            Q(municipality__isnull=True) | Q(municipality_id=structure.municipality_id)
        )
        self.fields["order_issuer"].queryset = Organisation.objects.filter(
            Q(pk=structure.host_id) | authorities
        ).order_by("short_name", "full_name")
        self.fields["order_issuer"].initial = structure.host_id

    def clean(self):
        data = super().clean()
        typed = [f for f in ("order_number", "order_date", "order_title") if data.get(f)]
        data["new_order"] = None
        if data.get("order") and typed:
            raise forms.ValidationError(
                _("Выберите приказ из списка или введите новый — не оба сразу.")
            )
        if typed:
            missing = [f for f in NEW_ORDER_FIELDS if not data.get(f) and f not in self.errors]
            for name in missing:
                self.add_error(name, _("Заполните, чтобы внести новый приказ."))
            if not missing:
                data["new_order"] = {
                    model_field: data[form_field]
                    for form_field, model_field in NEW_ORDER_FIELDS.items()
                }
        return data


def close_error_field(name: str) -> str | None:
    """Where a service's error about the structure or the new order goes on the form."""
    return {
        "closed_on": "on",
        "closing_reason": "reason",
        "order": "order",
        **{model: form for form, model in NEW_ORDER_FIELDS.items()},
    }.get(name)


__all__ = [
    "NEW_ORDER_FIELDS",
    "PlanCreateForm",
    "PlanDecisionForm",
    "PlanDoneForm",
    "PlanItemForm",
    "PlanReturnForm",
    "StructureCloseForm",
    "close_error_field",
    "month_choices",
]
