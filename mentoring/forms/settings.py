"""A region's mentoring limits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import MentoringSettings


class MentoringSettingsForm(forms.ModelForm):
    class Meta:
        model = MentoringSettings
        fields = ["max_pairs_per_mentor", "dormant_after_days", "request_overdue_days"]
        help_texts = {
            "max_pairs_per_mentor": _(
                "Подбор пар не предлагает наставника, у которого их столько."
            ),
            "dormant_after_days": _(
                "Кураторы и координаторы видят такую пару в списке «уснувших»."
            ),
            "request_overdue_days": _("После этого срока запрос напоминает о себе координатору."),
        }

    LIMITS = {
        "max_pairs_per_mentor": (1, 20),
        "dormant_after_days": (7, 365),
        "request_overdue_days": (1, 90),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in self.LIMITS.items():
            field = self.fields[name]
            field.min_value, field.max_value = low, high
            field.widget.attrs.update({"min": low, "max": high})
            field.error_messages["required"] = _("Укажите число.")

    def _check(self, name: str):
        value = self.cleaned_data.get(name)
        low, high = self.LIMITS[name]
        if value is not None and not low <= value <= high:
            raise forms.ValidationError(
                _("Укажите число от %(low)s до %(high)s.") % {"low": low, "high": high}
            )
        return value

    def clean_max_pairs_per_mentor(self):
        return self._check("max_pairs_per_mentor")

    def clean_dormant_after_days(self):
        return self._check("dormant_after_days")

    def clean_request_overdue_days(self):
        return self._check("request_overdue_days")
