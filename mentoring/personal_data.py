"""A person's own data in mentoring (152-ФЗ): the export's sections and the erasure on deletion.

Registered with networks' hooks in MentoringConfig.ready().

What deletion does here, and why:

- **Help requests** the person filed stay as rows (the consultations held are counted in reports,
  R-TUL-A4-4.2.3) but their description and the answer to them are erased: both are about the
  person's own situation.
- **Questionnaire answers**: free-text answers are erased; the choices and scale marks stay,
  because the monitoring of a pair or round compares them and they say nothing about who gave them
  once the account is anonymous.
- **Competences** (deficits and strengths stated for matching) are deleted: they served only to
  find a pair for this person.
- Contacts the person logged for a pair stay: they are the pair's log, written for the structure.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from networks.hooks import PersonalDataSection

from .models import Competence, HelpRequest, Question, Response

ERASED = "Удалено по просьбе автора (152-ФЗ)."


def _answer_text(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def sections(user) -> list[PersonalDataSection]:
    help_requests = PersonalDataSection(
        "help_requests",
        _("Запросы адресной помощи"),
        [
            ("topic", _("Тема")),
            ("description", _("В чём нужна помощь")),
            ("status", _("Состояние")),
            ("answer", _("Ответ или итог консультации")),
            ("created_at", _("Подан")),
            ("answered_at", _("Отвечено")),
        ],
        [
            {
                "topic": r.topic.name,
                "description": r.description,
                "status": r.get_status_display(),
                "answer": r.answer,
                "created_at": r.created_at,
                "answered_at": r.answered_at,
            }
            for r in HelpRequest.objects.filter(requester=user)
            .select_related("topic")
            .order_by("created_at", "pk")
        ],
    )
    responses = list(
        Response.objects.filter(respondent=user)
        .select_related("round__questionnaire")
        .order_by("round__opens_on", "pk")
    )
    questionnaires = {r.round.questionnaire_id for r in responses}
    questions = {
        str(q.pk): q.text for q in Question.objects.filter(questionnaire_id__in=questionnaires)
    }
    answers = PersonalDataSection(
        "questionnaire_answers",
        _("Ответы на анкеты"),
        [
            ("questionnaire", _("Анкета")),
            ("round", _("Этап")),
            ("side", _("Сторона")),
            ("question", _("Вопрос")),
            ("answer", _("Ответ")),
            ("submitted_at", _("Отправлено")),
        ],
        [
            {
                "questionnaire": r.round.questionnaire.title,
                "round": r.round.title,
                "side": r.get_side_display(),
                "question": questions.get(key, key),
                "answer": _answer_text(value),
                "submitted_at": r.submitted_at,
            }
            for r in responses
            for key, value in r.answers.items()
        ],
    )
    competences = PersonalDataSection(
        "competences",
        _("Дефициты и сильные стороны"),
        [("topic", _("Тема")), ("side", _("Что")), ("stated_at", _("Указано"))],
        [
            {"topic": c.topic.name, "side": c.get_side_display(), "stated_at": c.stated_at}
            for c in Competence.objects.filter(user=user)
            .select_related("topic")
            .order_by("stated_at", "pk")
        ],
    )
    return [help_requests, answers, competences]


def erase(user, *, addresses: set[str], names: set[str]) -> None:
    """See the module's docstring for what goes and what stays, and why."""
    HelpRequest.objects.filter(requester=user).update(description=ERASED, answer="")
    responses = list(Response.objects.filter(respondent=user))
    text_questions = {
        str(pk)
        for pk in Question.objects.filter(
            kind=Question.Kind.TEXT, questionnaire__rounds__responses__in=responses
        ).values_list("pk", flat=True)
    }
    for response in responses:
        kept = {k: v for k, v in response.answers.items() if k not in text_questions}
        if kept != response.answers:
            Response.objects.filter(pk=response.pk).update(answers=kept)
    Competence.objects.filter(user=user).delete()
