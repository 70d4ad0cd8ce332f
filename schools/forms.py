from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from networks.models import User
from networks.schoolyear import SchoolYear
from networks.uploads import DOCUMENT_LABEL, DOCUMENTS, validate_upload

from .models import DocumentKind, RiskFactor, RiskLevel

LEVEL_CHOICES = [("", _("нет риска")), *RiskLevel.choices]


class RiskProfileForm(forms.Form):
    """One level per factor of the year: `factor_<id>`."""

    def __init__(self, *args, factors: list[RiskFactor], current: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.factors = factors
        for factor in factors:
            self.fields[f"factor_{factor.pk}"] = forms.ChoiceField(
                label=factor.name,
                choices=LEVEL_CHOICES,
                required=False,
                initial=current.get(factor.pk, ""),
            )

    def levels(self) -> dict[int, str]:
        return {f.pk: self.cleaned_data.get(f"factor_{f.pk}", "") for f in self.factors}


class CuratorForm(forms.Form):
    email = forms.EmailField(
        label=_("Электронная почта куратора"),
        help_text=_("Человек должен быть зарегистрирован на портале."),
    )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(
            email__iexact=email, is_active=True, anonymised_at__isnull=True
        ).first()
        if user is None:
            raise ValidationError(_("На портале нет человека с таким адресом."))
        return user


def year_choices() -> list[tuple[int, str]]:
    current = SchoolYear.current()
    return [(y, SchoolYear(y).label) for y in (current.start, current.start - 1)]


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид документа"), choices=DocumentKind.choices)
    school_year = forms.TypedChoiceField(label=_("Учебный год"), coerce=int, choices=year_choices)
    factor = forms.ModelChoiceField(
        label=_("Фактор риска (для антирисковой программы)"),
        queryset=RiskFactor.objects.none(),
        required=False,
    )
    file = forms.FileField(
        label=_("Файл"), help_text=_("Форматы: %(formats)s.") % {"formats": DOCUMENT_LABEL}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = [y for y, _label in year_choices()]
        self.fields["factor"].queryset = RiskFactor.objects.filter(school_year__in=years)

    def clean_file(self):
        file = self.cleaned_data["file"]
        validate_upload(file, DOCUMENTS)
        return file

    def clean(self):
        data = super().clean()
        factor = data.get("factor")
        if data.get("kind") == DocumentKind.ANTIRISK:
            if factor is None:
                self.add_error("factor", _("Выберите фактор риска."))
            elif factor.school_year != data.get("school_year"):
                self.add_error("factor", _("Фактор риска другого учебного года."))
        return data


class ReplaceFileForm(forms.Form):
    file = forms.FileField(label=_("Новый файл"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        validate_upload(file, DOCUMENTS)
        return file


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Решение"),
        choices=[("accept", _("Принять")), ("return", _("Вернуть на доработку"))],
    )
    comment = forms.CharField(
        label=_("Комментарий"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", _("Напишите, что нужно доработать."))
        return data
