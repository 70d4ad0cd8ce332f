"""Forms for monitoring questionnaires: building one, sending it out in a round, answering it. They
read input only; the rules live in mentoring.services.questionnaires."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.models import Region, Structure
from networks.schoolyear import SchoolYear, school_year_choices

from ..models import Question, Round
from .requests import TopicField, topic_choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Название"), max_length=300)
    description = forms.CharField(
        label=_("Пояснение для отвечающих"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    region = forms.ModelChoiceField(label=_("Регион"), queryset=Region.objects.none())

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["region"].empty_label = None  # usually one region: chosen already


class QuestionForm(forms.Form):
    prefix = "question"
    text = forms.CharField(label=_("Вопрос"), max_length=500)
    kind = forms.ChoiceField(label=_("Тип ответа"), choices=Question.Kind.choices)
    options = forms.CharField(
        label=_("Варианты ответа"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Для вопросов с выбором: по одному варианту на строке."),
    )
    required = forms.BooleanField(label=_("Обязательный вопрос"), required=False, initial=True)
    topic = TopicField(
        label=_("Тема каталога"),
        required=False,
        blank=_("— без темы —"),
        help_text=_(
            "Для шкалы 1–5: самооценка наставляемого по теме сравнивается с заявленными дефицитами."
        ),
    )
    rematch_answers = forms.CharField(
        label=_("Ответы, требующие нового наставника"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Для вопроса с одним вариантом: варианты (по одному на строке), ответив которые "
            "наставляемый поднимает пару для подбора нового наставника, например «не подходит»."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = topic_choices(blank=self.fields["topic"].blank)

    def clean_options(self) -> list[str]:
        return _lines(self.cleaned_data["options"])

    def clean_rematch_answers(self) -> list[str]:
        return _lines(self.cleaned_data["rematch_answers"])


class RoundForm(forms.Form):
    prefix = "round"
    title = forms.CharField(
        label=_("Название этапа"), max_length=200, help_text=_("Например: «Декабрь», «Май».")
    )
    audience = forms.ChoiceField(
        label=_("Кому"), choices=Round.Audience.choices, widget=forms.RadioSelect
    )
    structure = forms.ModelChoiceField(
        label=_("Структура"),
        required=False,
        queryset=Structure.objects.none(),
        help_text=_("Для анкеты участникам структуры."),
    )
    school_year = forms.TypedChoiceField(label=_("Учебный год"), coerce=int)
    opens_on = forms.DateField(label=_("Принимает ответы с"), widget=DateInput())
    closes_on = forms.DateField(label=_("по"), widget=DateInput())

    def __init__(self, *args, region_id: int, **kwargs):
        kwargs.setdefault(
            "initial", {"audience": Round.Audience.PAIRS, "school_year": SchoolYear.current().start}
        )
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = (
            Structure.objects.open().filter(region_id=region_id).select_related("kind")
        )
        self.fields["structure"].label_from_instance = lambda s: f"{s.name} ({s.kind.name})"
        self.fields["school_year"].choices = school_year_choices()


REQUIRED = _("Это обязательный вопрос: ответьте на него.")


class ResponseForm(forms.Form):
    """One field per question, named q<pk>. Radio groups and checkbox lists render as a fieldset
    with the question as its legend. A draft may leave required questions empty."""

    def __init__(self, *args, questions: list[Question], draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = self._field(question, required=question.required)
            self.fields[f"q{question.pk}"].error_messages["required"] = REQUIRED
            if draft:
                self.fields[f"q{question.pk}"].required = False

    @staticmethod
    def _field(question: Question, *, required: bool) -> forms.Field:
        label = f"{question.position}. {question.text}"
        if question.kind == Question.Kind.SCALE:
            return forms.TypedChoiceField(
                label=label,
                required=required,
                coerce=int,
                empty_value=None,
                choices=[(n, str(n)) for n in range(1, 6)],
                widget=forms.RadioSelect,
                help_text=_("1 — совсем нет, 5 — полностью."),
            )
        if question.kind == Question.Kind.SINGLE:
            return forms.ChoiceField(
                label=label,
                required=required,
                choices=[(o, o) for o in question.options],
                widget=forms.RadioSelect,
            )
        if question.kind == Question.Kind.MULTIPLE:
            return forms.MultipleChoiceField(
                label=label,
                required=required,
                choices=[(o, o) for o in question.options],
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Можно выбрать несколько."),
            )
        return forms.CharField(
            label=label,
            required=required,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def answers(self) -> dict:
        """The answers keyed by question pk (as the service and the Response store them)."""
        return {str(q.pk): self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    @staticmethod
    def initial_from(answers: dict) -> dict:
        return {f"q{pk}": value for pk, value in (answers or {}).items()}


__all__ = [
    "QuestionForm",
    "QuestionnaireForm",
    "ResponseForm",
    "RoundForm",
]
