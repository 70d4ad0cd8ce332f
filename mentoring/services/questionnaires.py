"""Writes for monitoring questionnaires (R-TUL-A3-4.2.1, 5.3): coordinators build a questionnaire
and send it out in rounds; each person asked saves a draft and submits once; a mentee's answer
that says the pair does not fit raises the pair for re-matching."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from networks import figures
from networks.models import Region, Structure, User
from networks.schoolyear import SchoolYear
from networks.services import refuse_if_closed

from .. import permissions
from ..models import PairState, Question, Questionnaire, Response, Round, Topic
from ..selectors.questionnaires import respondent_side, round_is_open

TEXT_MAX_LENGTH = 5000


def _refuse_unless_coordinator(by: User, region_id: int) -> None:
    if not (by.is_superuser or region_id in permissions.coordinated_region_ids(by)):
        raise ValidationError(_("Анкеты составляет и рассылает координатор территории."))


def _refuse_if_sent(questionnaire: Questionnaire) -> None:
    if questionnaire.rounds.exists():
        raise ValidationError(
            _(
                "Анкета уже разослана; вопросы не меняются, чтобы ответы разных этапов можно было "
                "сравнить. Для других вопросов создайте новую анкету."
            )
        )


# --- Building ---------------------------------------------------------------------------------


@transaction.atomic
def questionnaire_create(
    *, region: Region, title: str, description: str = "", by: User
) -> Questionnaire:
    _refuse_unless_coordinator(by, region.pk)
    questionnaire = Questionnaire(
        region=region, title=title.strip(), description=description.strip(), created_by=by
    )
    questionnaire.full_clean()
    questionnaire.save()
    return questionnaire


def _clean_options(kind: str, options: list[str], rematch: list[str], topic) -> dict:
    errors: dict[str, str] = {}
    choice = kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
    if choice and len(options) < 2:
        errors["options"] = _("Для вопроса с выбором нужно не меньше двух вариантов.")
    if not choice and options:
        errors["options"] = _("Варианты ответа указываются только для вопросов с выбором.")
    if len(set(options)) != len(options):
        errors["options"] = _("Варианты ответа повторяются.")
    if topic is not None and kind != Question.Kind.SCALE:
        errors["topic"] = _("Тему каталога можно указать только для вопроса со шкалой 1–5.")
    if rematch and kind != Question.Kind.SINGLE:
        errors["rematch_answers"] = _(
            "Ответы, требующие нового наставника, указываются для вопроса с одним вариантом."
        )
    elif set(rematch) - set(options):
        errors["rematch_answers"] = _("Эти ответы должны быть среди вариантов: %(v)s.") % {
            "v": ", ".join(f"«{v}»" for v in rematch if v not in options)
        }
    return errors


@transaction.atomic
def question_add(
    *,
    questionnaire: Questionnaire,
    text: str,
    kind: str,
    options: list[str] | None = None,
    required: bool = True,
    topic: Topic | None = None,
    rematch_answers: list[str] | None = None,
    by: User,
) -> Question:
    _refuse_unless_coordinator(by, questionnaire.region_id)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _refuse_if_sent(questionnaire)
    options = [o.strip() for o in options or [] if o.strip()]
    rematch = [o.strip() for o in rematch_answers or [] if o.strip()]
    errors = _clean_options(kind, options, rematch, topic)
    if errors:
        raise ValidationError(errors)
    last = questionnaire.questions.aggregate(n=Max("position"))["n"] or 0
    question = Question(
        questionnaire=questionnaire,
        position=last + 1,
        text=text.strip(),
        kind=kind,
        options=options,
        required=required,
        topic=topic,
        rematch_answers=rematch,
    )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question, by: User) -> None:
    questionnaire = Questionnaire.objects.select_for_update().get(pk=question.questionnaire_id)
    _refuse_unless_coordinator(by, questionnaire.region_id)
    _refuse_if_sent(questionnaire)
    question.delete()
    for position, item in enumerate(questionnaire.questions.order_by("position", "pk"), start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def round_create(
    *,
    questionnaire: Questionnaire,
    title: str,
    audience: str,
    school_year: int,
    opens_on: dt.date,
    closes_on: dt.date,
    structure: Structure | None = None,
    by: User,
) -> Round:
    """Sends the questionnaire out at a checkpoint (for example «Декабрь» and «Май»)."""
    _refuse_unless_coordinator(by, questionnaire.region_id)
    if not questionnaire.questions.exists():
        raise ValidationError(_("В анкете нет вопросов; добавьте их до рассылки."))
    errors: dict[str, str] = {}
    year = SchoolYear(school_year)
    if opens_on not in year:
        errors["opens_on"] = _("Дата вне %(y)s учебного года.") % {"y": year.label}
    if closes_on not in year:
        errors["closes_on"] = _("Дата вне %(y)s учебного года.") % {"y": year.label}
    if closes_on < opens_on:
        errors["closes_on"] = _("Этап не может закончиться раньше, чем начался.")
    if audience == Round.Audience.MEMBERS:
        if structure is None:
            errors["structure"] = _("Выберите структуру, участникам которой адресована анкета.")
        elif structure.region_id != questionnaire.region_id:
            errors["structure"] = _("Структура из другого региона.")
        else:
            refuse_if_closed(structure)
    elif structure is not None:
        errors["structure"] = _("Анкета для сетевых пар не привязывается к одной структуре.")
    if errors:
        raise ValidationError(errors)
    round = Round(
        questionnaire=questionnaire,
        title=title.strip(),
        audience=audience,
        structure=structure if audience == Round.Audience.MEMBERS else None,
        school_year=year.start,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
    )
    round.full_clean()
    round.save()
    figures.round_changed(round)
    return round


# --- Answering --------------------------------------------------------------------------------


def answer_field(question: Question) -> str:
    """The form field (and the error key) of a question."""
    return f"q{question.pk}"


def _clean_one(question: Question, value: Any) -> tuple[Any, str | None]:
    """(the answer as stored or None when not given, an error)."""
    if question.kind == Question.Kind.SCALE:
        if value in (None, ""):
            return None, None
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = 0
        if score not in range(1, 6):
            return None, _("Оценка — целое число от 1 до 5.")
        return score, None
    if question.kind == Question.Kind.SINGLE:
        if value in (None, ""):
            return None, None
        if value not in question.options:
            return None, _("Выберите один из предложенных вариантов.")
        return value, None
    if question.kind == Question.Kind.MULTIPLE:
        chosen = value if isinstance(value, list | tuple) else [value] if value else []
        if any(v not in question.options for v in chosen):
            return None, _("Выберите варианты из предложенных.")
        chosen = [o for o in question.options if o in chosen]  # the list's order, no repeats
        return chosen or None, None
    text = (value or "").strip() if isinstance(value, str) else ""
    if len(text) > TEXT_MAX_LENGTH:
        return None, _("Не больше %(n)s знаков.") % {"n": TEXT_MAX_LENGTH}
    return text or None, None


def clean_answers(questions: list[Question], answers: dict, *, complete: bool) -> dict[str, Any]:
    """Checks the answers against the questions: scale 1–5, options from the list and, to submit
    (`complete`), every required question answered. Keys are question pks as strings."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        value, error = _clean_one(question, answers.get(str(question.pk)))
        if error:
            errors[answer_field(question)] = error
        elif value is not None:
            cleaned[str(question.pk)] = value
        elif complete and question.required:
            errors[answer_field(question)] = _("Это обязательный вопрос: ответьте на него.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _already_submitted(response: Response) -> ValidationError:
    return ValidationError(
        _("Вы уже отправили ответы %(date)s; анкету заполняют один раз.")
        % {"date": f"{timezone.localtime(response.submitted_at):%d.%m.%Y}"}
    )


def _asked_side(round: Round, pair: Structure | None, by: User, today: dt.date) -> str:
    side = respondent_side(by, round, pair)
    if side is None:
        raise ValidationError(_("Эта анкета адресована не вам."))
    if not round_is_open(round, today):
        raise ValidationError(
            _("Этап «%(title)s» принимает ответы с %(start)s по %(end)s.")
            % {
                "title": round.title,
                "start": f"{round.opens_on:%d.%m.%Y}",
                "end": f"{round.closes_on:%d.%m.%Y}",
            }
        )
    return side


def _claim(round: Round, pair: Structure | None, by: User, side: str) -> Response:
    """The person's one response row for the round (and pair), created if missing and locked until
    the transaction ends. The unique constraint (round, respondent, pair) makes it one row even
    when two requests create it at once; get_or_create then finds the other's row."""
    response, _created = Response.objects.get_or_create(
        round=round, respondent=by, pair=pair, defaults={"side": side}
    )
    return Response.objects.select_for_update().get(pk=response.pk)


@transaction.atomic
def response_save_draft(
    *,
    round: Round,
    pair: Structure | None,
    answers: dict,
    by: User,
    today: dt.date | None = None,
) -> Response:
    """Keeps unfinished answers to come back to; required questions may stay empty."""
    side = _asked_side(round, pair, by, today or timezone.localdate())
    cleaned = clean_answers(list(round.questionnaire.questions.all()), answers, complete=False)
    response = _claim(round, pair, by, side)
    if response.is_submitted:
        raise _already_submitted(response)
    Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(
        answers=cleaned, side=side, updated_at=timezone.now()
    )
    response.refresh_from_db()
    return response


@transaction.atomic
def response_submit(
    *,
    round: Round,
    pair: Structure | None,
    answers: dict,
    by: User,
    today: dt.date | None = None,
) -> Response:
    """Submits the answers once. A second submit — even a quick double click racing the first —
    finds the row submitted and is refused; the first answers stay."""
    side = _asked_side(round, pair, by, today or timezone.localdate())
    questions = list(round.questionnaire.questions.all())
    cleaned = clean_answers(questions, answers, complete=True)
    response = _claim(round, pair, by, side)
    if response.is_submitted:
        raise _already_submitted(response)
    now = timezone.now()
    # The final guard, on every database: only a row still unsubmitted takes the answers.
    claimed = Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(
        answers=cleaned, side=side, submitted_at=now, updated_at=now
    )
    response.refresh_from_db()
    if not claimed:
        raise _already_submitted(response)
    figures.answered(response)
    if pair is not None and side == Response.Side.MENTEE:
        _raise_for_rematch(round, pair, questions, cleaned)
    return response


def _raise_for_rematch(round: Round, pair: Structure, questions, answers: dict) -> None:
    """A mentee's answer listed among a question's rematch answers («не подходит») flags the pair
    for the curator (mentoring.PairState)."""
    reasons = [
        _("Анкета «%(q)s», этап «%(r)s»: на вопрос «%(text)s» наставляемый ответил «%(a)s».")
        % {
            "q": round.questionnaire.title,
            "r": round.title,
            "text": q.text,
            "a": answers[str(q.pk)],
        }
        for q in questions
        if q.kind == Question.Kind.SINGLE
        and q.rematch_answers
        and answers.get(str(q.pk)) in q.rematch_answers
    ]
    if not reasons:
        return
    state, _created = PairState.objects.select_for_update().get_or_create(pair=pair)
    state.needs_rematch = True
    state.rematch_reason = " ".join(reasons)[:500]
    state.flagged_at = timezone.now()
    state.full_clean()
    state.save(update_fields=["needs_rematch", "rematch_reason", "flagged_at"])


__all__ = [
    "answer_field",
    "clean_answers",
    "question_add",
    "question_delete",
    "questionnaire_create",
    "response_save_draft",
    "response_submit",
    "round_create",
]
