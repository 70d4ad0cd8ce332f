"""Forms of a structure's report. They read input only: the rules live in services.py, whose
ValidationErrors `add_service_error` puts back on the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NARRATIVE_MAX_LENGTH = 20000
COMMENT_MAX_LENGTH = 2000


def _text(label, help_text="", rows=8):
    return forms.CharField(
        label=label,
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(forms.Form):
    """The narrative parts the author writes; the figures come from the record."""

    analysis = _text(
        _("Анализ работы"),
        _("Что сделано за учебный год, каких результатов достигли. Обязательно для сдачи."),
    )
    problems = _text(_("Проблемы и трудности"), rows=5)
    plans = _text(_("Планы на следующий учебный год"), rows=5)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "report")
        super().__init__(*args, **kwargs)

    def narrative(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in self.fields}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Что доработать"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Автор увидит комментарий на странице отчёта."),
        error_messages={"required": _("Напишите, что доработать.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "return")
        super().__init__(*args, **kwargs)


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Puts a service's error on the field it names, or above the form if the form lacks it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)
