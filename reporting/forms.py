from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReminderPreference


class PreferencesForm(forms.Form):
    """One checkbox per kind of reminder that is not mandatory."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        off = set(
            ReminderPreference.objects.filter(user=user, enabled=False).values_list(
                "kind", flat=True
            )
        )
        for kind, label in ReminderPreference.Kind.choices:
            self.fields[kind] = forms.BooleanField(
                label=label, required=False, initial=kind not in off
            )

    def enabled(self) -> dict[str, bool]:
        return {kind: bool(self.cleaned_data.get(kind)) for kind in ReminderPreference.Kind.values}


PREFERENCES_HELP = _(
    "Обязательные напоминания о сроках отчётности, установленных приказами, приходят всегда."
)
