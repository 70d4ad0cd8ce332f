"""Network pairs (S4), matching, contacts and tutoring. Forms read input only; the rules live in
services/pairs.py, whose ValidationErrors go back onto the fields (communities' add_service_error).
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.forms import DateInput
from networks.models import Membership, Order, SchoolStatus, Structure, User
from networks.schoolyear import SchoolYear

from ..models import Contact, Topic
from ..permissions import TUTOR_ROLES

__all__ = [
    "CompetencesForm",
    "ContactLogForm",
    "PairCreateForm",
    "TopicAddForm",
    "TopicChangeForm",
    "TutorAssignForm",
    "matching_year_choices",
]


def matching_year_choices() -> list[tuple[int, str]]:
    """Pairs are made for the current school year or, in summer, for the next one."""
    current = SchoolYear.current()
    return [(y.start, y.label) for y in (current, SchoolYear(current.start + 1))]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        place = f", {user.organisation}" if user.organisation_id else ""
        return f"{user.full_name}{place}"


# --- The catalogue and the statements ----------------------------------------------------------


class CompetencesForm(forms.Form):
    """Deficits and requests (as a prospective mentee) and strengths (as a prospective mentor),
    ticked in the catalogue; the template groups the boxes by area."""

    deficits = forms.ModelMultipleChoiceField(
        label=_("Мои управленческие дефициты и запросы"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    strengths = forms.ModelMultipleChoiceField(
        label=_("Мои сильные стороны"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class TopicAddForm(forms.ModelForm):
    prefix = "topic"

    class Meta:
        model = Topic
        fields = ["area", "name", "position"]
        labels = {"area": _("Направление"), "name": _("Тема"), "position": _("Порядок")}
        help_texts = {"position": _("Темы направления идут по возрастанию этого числа.")}

    def validate_unique(self) -> None:
        # The service says it in Russian, whatever the case and spaces («подготовка к ОГЭ»).
        pass


class TopicChangeForm(TopicAddForm):
    """One per row of the catalogue page, hence a prefix of its own."""

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        kwargs.setdefault("prefix", f"topic-{instance.pk}" if instance else "topic")
        super().__init__(*args, **kwargs)
        self.fields["position"].help_text = ""


# --- Pairs -------------------------------------------------------------------------------------


class PairCreateForm(forms.Form):
    """The curator's confirmation of a mentor from the ranking (the radio buttons of the table)."""

    mentor = PersonChoiceField(
        label=_("Наставник"),
        queryset=User.objects.filter(is_active=True).select_related("organisation"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите наставника в таблице.")},
    )
    curator = PersonChoiceField(label=_("Куратор пары"), queryset=User.objects.none())
    founding_order = forms.ModelChoiceField(
        label=_("Приказ о создании пары"),
        queryset=Order.objects.none(),
        help_text=_(
            "Приказы, которыми созданы сетевые пары региона; если пар ещё нет — приказы "
            "организаций региона. Новый приказ вносится в администрировании."
        ),
    )
    school_year = forms.TypedChoiceField(label=_("Учебный год"), coerce=int)

    def __init__(self, *args, curators, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curator"].queryset = curators
        self.fields["founding_order"].queryset = orders
        self.fields["founding_order"].label_from_instance = lambda o: (
            f"{o} — {o.issuer}: «{o.title}»"
        )
        self.fields["school_year"].choices = matching_year_choices()
        self.fields["school_year"].widget = forms.HiddenInput()


class ContactLogForm(forms.ModelForm):
    """A pair's contact or a tutoring session (R-TUL-A3-4.1)."""

    prefix = "contact"

    class Meta:
        model = Contact
        fields = ["date", "form", "channel", "topic", "outcome", "next_step"]
        labels = {
            "date": _("Дата"),
            "form": _("Форма работы"),
            "channel": _("Канал связи"),
            "topic": _("Тема"),
            "outcome": _("Результат"),
            "next_step": _("Следующий шаг"),
        }
        help_texts = {
            "form": _(
                "Наставничество, консультирование, «мозговой штурм» (приказ от 16.09.2020 "
                "№ 83-а, приложение 3, п. 4.1)."
            ),
        }
        widgets = {
            "date": DateInput(),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())

    def validate_unique(self) -> None:
        pass


# --- Tutoring ----------------------------------------------------------------------------------


class TutorAssignForm(forms.Form):
    prefix = "tutoring"

    tutor = PersonChoiceField(label=_("Тьютор"), queryset=User.objects.none())
    teacher = PersonChoiceField(
        label=_("Педагог ШНОР"),
        queryset=User.objects.none(),
        help_text=_("Участники структуры из школ, которые в этом учебном году в списке ШНОР."),
    )
    subject = forms.CharField(label=_("Предмет"), max_length=200)
    since = forms.DateField(label=_("С"), widget=DateInput())

    def __init__(self, *args, structure: Structure, **kwargs):
        super().__init__(*args, **kwargs)
        current = Membership.objects.current().filter(structure=structure)
        year = SchoolYear.current().start
        self.fields["tutor"].queryset = (
            User.objects.filter(pk__in=current.filter(role__in=TUTOR_ROLES).values("user_id"))
            .select_related("organisation")
            .order_by("last_name", "first_name")
        )
        self.fields["teacher"].queryset = (
            User.objects.filter(
                pk__in=current.values("user_id"),
                organisation__statuses__school_year=year,
                organisation__statuses__status=SchoolStatus.SHNOR,
            )
            .select_related("organisation")
            .distinct()
            .order_by("last_name", "first_name")
        )
        if not self.is_bound:
            self.initial.setdefault("since", timezone.localdate())
