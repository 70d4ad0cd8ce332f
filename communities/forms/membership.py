"""Forms for joining and for the people who run a structure. Each form reads input only; the rules
live in services.py, whose ValidationErrors are attached back to the fields by `add_service_error`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Membership, Role, Structure

from ..models import REASON_MAX_LENGTH
from ..services import head_is_elected, open_roles


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Puts a service's error on the field it names, or above the form if the form lacks it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


def _reason_field(label, *, required=True, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StructureForm(forms.Form):
    """Forms about one structure take it, whether or not they need it, so views can treat them alike."""

    def __init__(self, *args, structure: Structure, membership: Membership | None = None, **kwargs):
        self.structure = structure
        self.membership = membership  # the member a form about one member is about
        super().__init__(*args, **kwargs)


class JoinRequestForm(forms.Form):
    prefix = "join"
    reason = _reason_field(
        _("Почему вы хотите вступить"),
        help_text=_("Коротко: ваша должность, школа и чем вам интересно сообщество."),
    )


class RejectForm(forms.Form):
    reason = _reason_field(_("Причина отказа"), help_text=_("Её увидит заявитель."))
    block = forms.BooleanField(label=_("Запретить подавать заявки повторно"), required=False)


class RoleForm(StructureForm):
    prefix = "role"
    role = forms.ChoiceField(label=_("Роль"))
    elected_on = forms.DateField(
        label=_("Дата избрания"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Руководитель объединения избирается из числа участников (приказ от 16.09.2020 "
            "№ 83-а, приложение 4, п. 4.1)."
        ),
    )

    def __init__(self, *args, structure: Structure, **kwargs):
        super().__init__(*args, structure=structure, **kwargs)
        self.fields["role"].choices = structure.kind.allowed_role_choices
        # Offered: the member's own role and the roles still open (no second head or mentor); a
        # taken one sent from an old page is refused by the service with its reason.
        self.fields["role"].widget.choices = open_roles(structure, exclude=self.membership)
        if not (head_is_elected(structure) and structure.kind.allows_role(Role.HEAD)):
            del self.fields["elected_on"]


class RemoveForm(StructureForm):
    prefix = "remove"
    on = forms.DateField(label=_("Дата исключения"), widget=DateInput())
    block = forms.BooleanField(label=_("Запретить подавать заявки повторно"), required=False)
    reason = _reason_field(
        _("Причина запрета"), required=False, help_text=_("Нужна, если запрещаете заявки.")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class BlockForm(StructureForm):
    prefix = "block"
    reason = _reason_field(_("Причина запрета"))


class InvitationForm(StructureForm):
    prefix = "invite"
    email = forms.EmailField(
        label=_("Электронная почта"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Роль"), initial=Role.MEMBER)

    def __init__(self, *args, structure: Structure, **kwargs):
        super().__init__(*args, structure=structure, **kwargs)
        self.fields["role"].choices = structure.kind.allowed_role_choices
        # Offered: the roles still open, so a pair with a mentor offers no second mentor
        # (R-TUL-A3-1.1); a taken one sent anyway is refused by the service with its reason.
        self.fields["role"].widget.choices = open_roles(structure)


__all__ = [
    "BlockForm",
    "DateInput",
    "InvitationForm",
    "JoinRequestForm",
    "RejectForm",
    "RemoveForm",
    "RoleForm",
    "StructureForm",
    "add_service_error",
]
