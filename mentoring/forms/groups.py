"""Forms for online-group statistics (S2, S3): one period by hand, and the upload of an export.
They read input only; the rules live in services/groups.py and statistics_import.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.forms.membership import DateInput

from ..statistics_import import MAX_BYTES, MAX_LINES, FileRefused, check_statistics_file

__all__ = ["GroupStatisticsForm", "StatisticsUploadForm"]


def _figure(label, help_text=""):
    return forms.IntegerField(
        label=label, min_value=0, max_value=2_147_483_647, help_text=help_text
    )


class GroupStatisticsForm(forms.Form):
    period_start = forms.DateField(label=_("Начало периода"), widget=DateInput())
    period_end = forms.DateField(
        label=_("Конец периода"),
        widget=DateInput(),
        help_text=_("Обычно месяц: с 1-го по последнее число."),
    )
    visitors = _figure(_("Посетители"), _("Сколько человек посетили страницу за период."))
    views = _figure(_("Просмотры"), _("Сколько раз просмотрели страницу."))
    actions = _figure(
        _("Активные действия"), _("Отметки «Нравится», репосты, комментарии, ответы в опросах.")
    )
    feedback = _figure(
        _("Обратная связь"), _("Отзывы, вопросы и комментарии участников к материалам.")
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Конец периода раньше его начала."))
        return data


class StatisticsUploadForm(forms.Form):
    file = forms.FileField(label=_("Файл статистики (CSV или XLSX)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Первая строка — заголовки: «Начало периода», «Конец периода» (или один столбец "
            "«Месяц», например «09.2020» или «сентябрь 2020»), «Посетители», «Просмотры», "
            "«Активные действия», «Обратная связь». CSV — в UTF-8 или Windows-1251, через «;» "
            "или «,». Не больше %(mb)s МБ и %(lines)s строк."
        ) % {"mb": MAX_BYTES // (1024 * 1024), "lines": MAX_LINES}
        self.original_name = ""
        self.file_bytes = b""

    def clean_file(self):
        """Only the cheap checks (issue 15): the worker reads the lines (mentoring.tasks)."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "Файл больше %(mb)s МБ. Разделите его на части (не более %(lines)s строк в каждой)."
                )
                % {"mb": MAX_BYTES // (1024 * 1024), "lines": MAX_LINES}
            )
        upload.seek(0)
        data = upload.read()
        try:
            check_statistics_file(data, upload.name or "")
        except FileRefused as error:
            raise forms.ValidationError(
                _("Файл «%(name)s» не принят: %(reason)s")
                % {"name": upload.name, "reason": str(error)}
            ) from error
        self.original_name = upload.name or ""
        self.file_bytes = data
        return upload
