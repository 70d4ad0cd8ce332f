"""Forms of materials, discussions and polls. They read input only; the rules live in
services/materials.py, whose ValidationErrors go back onto the fields by `add_service_error`."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from networks.uploads import ALLOWED_LABEL, validate_upload

from ..models import Discussion, Material, Poll, Post


def _label(model, field: str) -> str:
    return model._meta.get_field(field).verbose_name.capitalize()


def _max(model, field: str) -> int:
    return model._meta.get_field(field).max_length


# --- Materials -------------------------------------------------------------------------------


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Название"), max_length=_max(Material, "title"))
    subject = forms.CharField(
        label=_("Предмет (направление)"),
        max_length=_max(Material, "subject"),
        required=False,
        help_text=_("Например: математика, русский язык, управление школой."),
    )
    kind = forms.ChoiceField(label=_("Вид материала"), choices=Material.Kind.choices)
    description = forms.CharField(
        label=_("Описание"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Для кого материал и как его применять на уроках или во внеурочной работе."),
    )
    file = forms.FileField(label=_("Файл"), required=False)
    link = forms.URLField(
        label=_("Или ссылка"),
        required=False,
        max_length=_max(Material, "link"),
        assume_scheme="https",
        help_text=_("Например, на видеозапись мастер-класса."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "%(kinds)s, не больше %(limit)s МБ. Проверяется содержимое файла, а не только "
            "расширение; имя файла сохранится для скачивания."
        ) % {"kinds": ALLOWED_LABEL, "limit": settings.FILE_UPLOAD_MAX_MB}

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file:
            validate_upload(file)
        return file

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file")) or "file" in self.errors
        if not has_file and not cleaned.get("link") and "link" not in self.errors:
            raise ValidationError(_("Приложите файл или укажите ссылку."))
        return cleaned


class MaterialFilterForm(forms.Form):
    """The search over the materials: by words of the title, subject and description, in any case."""

    q = forms.CharField(label=_("Найти"), required=False, max_length=200)
    subject = forms.ChoiceField(label=_("Предмет"), required=False)
    kind = forms.ChoiceField(
        label=_("Вид"), required=False, choices=[("", _("Все виды")), *Material.Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("Состояние"),
        required=False,
        choices=[("", _("Опубликованные и ожидающие")), *Material.Status.choices],
    )

    def __init__(self, *args, subjects: list[str], with_status: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", _("Все предметы")), *((s, s) for s in subjects)]
        if not with_status:
            del self.fields["status"]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = css


class MaterialRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина удаления"),
        max_length=_max(Material, "removal_reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Её увидит автор материала."),
    )


# --- Discussions -----------------------------------------------------------------------------


class DiscussionForm(forms.Form):
    title = forms.CharField(label=_("Тема"), max_length=_max(Discussion, "title"))
    body = forms.CharField(
        label=_("Постановка проблемы"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Опишите проблему и о чём вы просите коллег."),
    )


class PostForm(forms.Form):
    body = forms.CharField(label=_label(Post, "body"), widget=forms.Textarea(attrs={"rows": 4}))


# --- Polls -----------------------------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class PollForm(forms.Form):
    question = forms.CharField(label=_("Вопрос"), max_length=_max(Poll, "question"))
    options = forms.CharField(
        label=_("Варианты ответа"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Каждый вариант — с новой строки; не меньше двух."),
    )
    multiple = forms.BooleanField(label=_("Можно выбрать несколько вариантов"), required=False)
    closes_at = forms.DateTimeField(
        label=_("Принимает голоса до"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
        help_text=_("Пусто — без срока; опрос в обсуждении закрывается вместе с ним."),
    )
    discussion = forms.ModelChoiceField(
        label=_("В обсуждении"),
        required=False,
        queryset=Discussion.objects.none(),
        empty_label=_("Отдельный опрос"),
    )

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discussion"].queryset = structure.discussions.filter(closed_at__isnull=True)

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class VoteForm(forms.Form):
    def __init__(self, *args, poll: Poll, options, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(o.pk, o.text) for o in options]
        if poll.multiple:
            self.fields["options"] = forms.TypedMultipleChoiceField(
                label=_("Выберите один или несколько вариантов"),
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
            )
        else:
            self.fields["options"] = forms.TypedChoiceField(
                label=_("Выберите один вариант"),
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
            )

    def chosen(self) -> list[int]:
        value = self.cleaned_data["options"]
        return list(value) if isinstance(value, list) else [value]


__all__ = [
    "DiscussionForm",
    "MaterialFilterForm",
    "MaterialForm",
    "MaterialRemoveForm",
    "PollForm",
    "PostForm",
    "VoteForm",
]
