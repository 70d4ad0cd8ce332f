from django import forms
from django.utils.translation import gettext_lazy as _

from networks.messages import Delivery, MessageKind

from .models import ReminderPreference

# The reminders one may turn off altogether (the others are mandatory or are not reminders).
REMINDER_KINDS = [
    MessageKind.DEADLINES,
    MessageKind.PLANS,
    MessageKind.MINUTES,
    MessageKind.PAIRS,
    MessageKind.REQUESTS,
]
DELIVERY_PREFIX = "delivery_"


class PreferencesForm(forms.Form):
    """One checkbox per kind of reminder that is not mandatory; and, per kind of message, how to
    send it (issue 17): at once, in the daily or weekly digest, or in the portal only."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        rows = {
            p.kind: p
            for p in ReminderPreference.objects.filter(user=user).only(
                "kind", "enabled", "delivery"
            )
        }
        for kind in REMINDER_KINDS:
            self.fields[kind] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=kind not in rows or rows[kind].enabled,
            )
        for kind, label in MessageKind.choices:
            # Not required: a form posted without it (an older page) keeps the person's choice.
            self.fields[DELIVERY_PREFIX + kind] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                required=False,
                initial=rows[kind].delivery if kind in rows else Delivery.NOW,
            )

    def reminder_fields(self):
        return [self[kind] for kind in REMINDER_KINDS]

    def delivery_fields(self):
        return [self[DELIVERY_PREFIX + kind] for kind in MessageKind.values]

    def enabled(self) -> dict[str, bool]:
        return {kind: bool(self.cleaned_data.get(kind)) for kind in REMINDER_KINDS}

    def deliveries(self) -> dict[str, str]:
        return {
            kind: self.cleaned_data[DELIVERY_PREFIX + kind]
            for kind in MessageKind.values
            if self.cleaned_data.get(DELIVERY_PREFIX + kind)
        }


PREFERENCES_HELP = _(
    "Обязательные напоминания о сроках отчётности, установленных приказами, отключить нельзя: "
    "они всегда появляются на портале, а письмом приходят так, как выбрано для сроков ниже."
)
