from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DocumentKind
from .samples import SAMPLES


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Документ"),
        choices=[(k.value, k.label) for k in DocumentKind if k.value in SAMPLES],
    )
    file = forms.FileField(
        label=_("Файл шаблона (DOCX)"),
        help_text=_(
            "Скачайте шаблон по умолчанию, измените его в Word и загрузите. Перед тем как шаблон "
            "начнёт использоваться, портал формирует по нему документ с примером данных."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document"
            }
        ),
    )
