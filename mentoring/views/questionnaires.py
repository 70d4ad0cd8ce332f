"""Monitoring questionnaires: the coordinator builds one and sends it out in rounds; each person
answers their open rounds (a draft first if they like, then once); curators and coordinators read
a round's overview and each pair's answers side by side. Access is decided in
mentoring.permissions (questionnaire_for, round_for_overview, can_read_pair_answers) and the
person's place in a round in selectors.respondent_side; views only ask."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.forms import add_service_error
from networks.models import Region, Structure
from networks.permissions import structure_for

from .. import permissions, services
from ..forms.questionnaires import QuestionForm, QuestionnaireForm, ResponseForm, RoundForm
from ..models import Response, Round
from ..selectors import questionnaires as selectors

PAGE_SIZE = 25


def _errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- The coordinator's questionnaires ------------------------------------------------------------


@login_required
def questionnaire_list(request):
    user = request.user
    if not permissions.can_monitor_questionnaires(user):
        raise PermissionDenied
    builds = permissions.can_build_questionnaires(user)
    rounds = Paginator(selectors.monitored_rounds(user), PAGE_SIZE)
    return render(
        request,
        "mentoring/questionnaires/list.html",
        {
            "builds": builds,
            "questionnaires": list(selectors.coordinated_questionnaires(user)) if builds else [],
            "page": rounds.get_page(request.GET.get("page")),
        },
    )


def _regions(user):
    if user.is_superuser:
        return Region.objects.all()
    return Region.objects.filter(pk__in=permissions.coordinated_region_ids(user))


@login_required
def questionnaire_create(request):
    if not permissions.can_build_questionnaires(request.user):
        raise PermissionDenied
    form = QuestionnaireForm(request.POST or None, regions=_regions(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.questionnaire_create(
                region=form.cleaned_data["region"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Анкета создана. Добавьте вопросы и разошлите её."))
            return redirect("mentoring:questionnaire_detail", pk=questionnaire.pk)
    return render(request, "mentoring/questionnaires/create.html", {"form": form})


def _render_detail(request, questionnaire, **bound):
    rounds = list(questionnaire.rounds.select_related("structure").order_by("opens_on", "pk"))
    return render(
        request,
        "mentoring/questionnaires/detail.html",
        {
            "questionnaire": questionnaire,
            "questions": list(questionnaire.questions.select_related("topic")),
            "rounds": rounds,
            "locked": bool(rounds),
            "question_form": bound.get("question_form") or QuestionForm(),
            "round_form": bound.get("round_form") or RoundForm(region_id=questionnaire.region_id),
        },
    )


@login_required
def questionnaire_detail(request, pk: int):
    return _render_detail(request, permissions.questionnaire_for(request.user, pk))


@login_required
@require_POST
def question_add(request, pk: int):
    questionnaire = permissions.questionnaire_for(request.user, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(questionnaire=questionnaire, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Вопрос добавлен."))
            return redirect(reverse("mentoring:questionnaire_detail", args=[pk]) + "#questions")
    return _render_detail(request, questionnaire, question_form=form)


@login_required
@require_POST
def question_delete(request, pk: int, question_pk: int):
    questionnaire = permissions.questionnaire_for(request.user, pk)
    question = get_object_or_404(questionnaire.questions, pk=question_pk)
    try:
        services.question_delete(question=question, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Вопрос удалён."))
    return redirect(reverse("mentoring:questionnaire_detail", args=[pk]) + "#questions")


@login_required
@require_POST
def round_create(request, pk: int):
    questionnaire = permissions.questionnaire_for(request.user, pk)
    form = RoundForm(request.POST, region_id=questionnaire.region_id)
    if form.is_valid():
        try:
            round = services.round_create(
                questionnaire=questionnaire, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Этап «%(title)s» создан: анкета придёт адресатам %(date)s.")
                % {"title": round.title, "date": f"{round.opens_on:%d.%m.%Y}"},
            )
            return redirect(reverse("mentoring:questionnaire_detail", args=[pk]) + "#rounds")
    return _render_detail(request, questionnaire, round_form=form)


# --- Curators and coordinators: a round ----------------------------------------------------------


@login_required
def round_overview(request, pk: int):
    round = permissions.round_for_overview(request.user, pk)
    access = round.access
    overview = selectors.round_overview(round, pairs=access.pairs, names=access.names)
    return render(
        request,
        "mentoring/questionnaires/overview.html",
        {"round": round, "overview": overview, "names": access.names},
    )


@login_required
def round_pair(request, pk: int, pair_pk: int):
    round = get_object_or_404(
        Round.objects.select_related("questionnaire"), pk=pk, audience=Round.Audience.PAIRS
    )
    pair = structure_for(request.user, pair_pk, to="see_inner")
    if not selectors.round_asks_pair(round, pair):
        raise Http404
    if not permissions.can_read_pair_answers(pair.access):
        raise PermissionDenied
    state = getattr(pair, "pair_state", None)  # None when the pair has never been flagged
    return render(
        request,
        "mentoring/questionnaires/pair.html",
        {
            "round": round,
            "pair": pair,
            "answers": selectors.pair_answers(round, pair),
            "state": state,
        },
    )


# --- Answering ------------------------------------------------------------------------------------


@login_required
def my_questionnaires(request):
    items = selectors.my_rounds(request.user, today=timezone.localdate())
    return render(
        request,
        "mentoring/questionnaires/my.html",
        {
            "current": [i for i in items if i.is_open],
            "past": [i for i in items if not i.is_open],
        },
    )


def _answer(request, pk: int, pair_pk: int | None):
    round = get_object_or_404(Round.objects.select_related("questionnaire", "structure"), pk=pk)
    pair = None
    if pair_pk is not None:
        pair = get_object_or_404(Structure.objects.select_related("kind"), pk=pair_pk)
    side = selectors.respondent_side(request.user, round, pair)
    if side is None:
        raise Http404  # the round does not ask this person: for them it does not exist
    here = request.path
    response = Response.objects.filter(round=round, respondent=request.user, pair=pair).first()
    questions = list(round.questionnaire.questions.all())
    is_open = selectors.round_is_open(round, timezone.localdate())
    editable = is_open and not (response and response.is_submitted)
    form = None
    if request.method == "POST":
        if not editable:
            messages.error(
                request,
                _("Ответы уже отправлены; анкету заполняют один раз.")
                if response and response.is_submitted
                else _("Этап анкетирования закрыт."),
            )
            return redirect(here)
        draft = request.POST.get("action") == "draft"
        form = ResponseForm(request.POST, questions=questions, draft=draft)
        if form.is_valid():
            act = services.response_save_draft if draft else services.response_submit
            try:
                act(round=round, pair=pair, answers=form.answers(), by=request.user)
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    _errors_to_messages(request, error)
                    return redirect(here)
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Черновик сохранён; вернитесь к анкете, когда будете готовы отправить.")
                    if draft
                    else _("Ответы отправлены. Спасибо!"),
                )
                return redirect(here)
    elif editable:
        form = ResponseForm(
            questions=questions,
            initial=ResponseForm.initial_from(response.answers if response else {}),
        )
    answers = response.answers if response else {}
    return render(
        request,
        "mentoring/questionnaires/answer.html",
        {
            "round": round,
            "pair": pair,
            "side": Response.Side(side).label,
            "response": response,
            "form": form,
            "is_open": is_open,
            "shown": [(q, selectors.display_answer(q, answers.get(str(q.pk)))) for q in questions],
        },
    )


@login_required
def round_answer(request, pk: int):
    return _answer(request, pk, None)


@login_required
def round_answer_pair(request, pk: int, pair_pk: int):
    return _answer(request, pk, pair_pk)


urlpatterns = [
    path("questionnaires/", questionnaire_list, name="questionnaire_list"),
    path("questionnaires/new/", questionnaire_create, name="questionnaire_create"),
    path("questionnaires/my/", my_questionnaires, name="my_questionnaires"),
    path("questionnaires/<int:pk>/", questionnaire_detail, name="questionnaire_detail"),
    path("questionnaires/<int:pk>/questions/", question_add, name="question_add"),
    path(
        "questionnaires/<int:pk>/questions/<int:question_pk>/delete/",
        question_delete,
        name="question_delete",
    ),
    path("questionnaires/<int:pk>/rounds/", round_create, name="round_create"),
    path("questionnaires/rounds/<int:pk>/", round_overview, name="round_overview"),
    path("questionnaires/rounds/<int:pk>/pairs/<int:pair_pk>/", round_pair, name="round_pair"),
    path("questionnaires/rounds/<int:pk>/answer/", round_answer, name="round_answer"),
    path(
        "questionnaires/rounds/<int:pk>/pairs/<int:pair_pk>/answer/",
        round_answer_pair,
        name="round_answer_pair",
    ),
]

__all__ = [
    "my_questionnaires",
    "question_add",
    "question_delete",
    "questionnaire_create",
    "questionnaire_detail",
    "questionnaire_list",
    "round_answer",
    "round_answer_pair",
    "round_create",
    "round_overview",
    "round_pair",
]
