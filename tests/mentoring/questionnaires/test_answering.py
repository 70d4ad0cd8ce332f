"""Answering monitoring questionnaires: R-TUL-A3-4.2.1 (feedback from the mentor and the mentee),
drafts, once only, validation, who is asked, and what each person sees of the answers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from mentoring import services
from mentoring.models import PairState, Response
from mentoring.services.questionnaires import clean_answers

from .conftest import FIT, NOT_A_FIT, TODAY

pytestmark = pytest.mark.django_db


def answer_url(round, pair=None):
    if pair is None:
        return reverse("mentoring:round_answer", args=[round.pk])
    return reverse("mentoring:round_answer_pair", args=[round.pk, pair.pk])


def test_r_tul_a3_4_2_1_feedback_from_mentor_and_mentee(client, qcast):
    pair, december = qcast.pair, qcast.december
    for who, fit, text in [
        ("mentor", "подходит", "Больше встреч в школе наставляемого"),
        ("mentee", "скорее подходит", "Хотелось бы чаще созваниваться"),
    ]:
        client.force_login(qcast.people[who])
        page = client.get(answer_url(december, pair)).content.decode()
        assert FIT in page and "<legend" in page and "<fieldset" in page
        response = client.post(
            answer_url(december, pair),
            {
                **qcast.post(scale="4", fit=fit, forms=["консультирование"], text=text),
                "action": "submit",
            },
        )
        assert response.status_code == 302
        page = client.get(answer_url(december, pair)).content.decode()
        assert "Ответы отправлены" in page and text in page
        assert 'name="action"' not in page  # read-only after submission

    rows = {r.side: r for r in Response.objects.filter(round=december, pair=pair)}
    assert set(rows) == {"mentor", "mentee"}
    assert rows["mentee"].answers[str(qcast.q["fit"].pk)] == "скорее подходит"
    assert rows["mentor"].answers[str(qcast.q["forms"].pk)] == ["консультирование"]

    client.force_login(qcast.people["curator"])
    page = client.get(reverse("mentoring:round_pair", args=[december.pk, pair.pk])).content.decode()
    assert (
        "Больше встреч в школе наставляемого" in page and "Хотелось бы чаще созваниваться" in page
    )


def test_a_draft_is_kept_and_submitted_later(client, qcast):
    pair, december = qcast.pair, qcast.december
    client.force_login(qcast.people["mentee"])
    url = answer_url(december, pair)
    response = client.post(url, {**qcast.post(text="Начала писать…"), "action": "draft"})
    assert response.status_code == 302
    draft = Response.objects.get(round=december, respondent=qcast.people["mentee"])
    assert not draft.is_submitted and draft.answers == qcast.answers(text="Начала писать…")
    page = client.get(url).content.decode()
    assert "Черновик сохранён" in page and "Начала писать…" in page

    # Submitting without the required questions says which and keeps what was typed.
    response = client.post(url, {**qcast.post(text="Дописала", scale="5"), "action": "submit"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Это обязательный вопрос" in page and "Дописала" in page
    assert f'id="id_q{qcast.q["fit"].pk}_error"' in page
    draft.refresh_from_db()
    assert not draft.is_submitted

    client.post(url, {**qcast.post(text="Дописала", scale="5", fit="подходит"), "action": "submit"})
    draft.refresh_from_db()
    assert draft.is_submitted and draft.answers[str(qcast.q["text"].pk)] == "Дописала"
    assert Response.objects.filter(round=december, respondent=qcast.people["mentee"]).count() == 1


def test_a_questionnaire_cannot_be_answered_twice_even_by_two_quick_submits(client, qcast):
    mentor, pair, december = qcast.people["mentor"], qcast.pair, qcast.december
    first = qcast.answers(scale=5, fit="подходит")
    services.response_submit(round=december, pair=pair, answers=first, by=mentor, today=TODAY)
    with pytest.raises(ValidationError, match="уже отправили"):
        services.response_submit(
            round=december, pair=pair, answers=qcast.answers(scale=1, fit=NOT_A_FIT), by=mentor
        )
    with pytest.raises(ValidationError, match="уже отправили"):
        services.response_save_draft(round=december, pair=pair, answers={}, by=mentor)
    responses = Response.objects.filter(round=december, respondent=mentor)
    assert responses.count() == 1
    assert responses.get().answers == first and responses.get().is_submitted

    client.force_login(mentor)
    response = client.post(
        answer_url(december, pair),
        {**qcast.post(scale="1", fit="подходит"), "action": "submit"},
        follow=True,
    )
    assert "анкету заполняют один раз" in response.content.decode()
    assert responses.get().answers == first


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"scale": 7, "fit": "подходит"}, "scale", "от 1 до 5"),
        ({"scale": "много", "fit": "подходит"}, "scale", "от 1 до 5"),
        ({"scale": 3, "fit": "может быть"}, "fit", "из предложенных"),
        ({"scale": 3, "fit": "подходит", "forms": ["экскурсия"]}, "forms", "из предложенных"),
        ({"fit": "подходит"}, "scale", "обязательный"),
    ],
)
def test_answers_are_checked_against_the_questions(qcast, values, field, message):
    questions = list(qcast.questionnaire.questions.all())
    with pytest.raises(ValidationError) as caught:
        clean_answers(questions, qcast.answers(**values), complete=True)
    errors = caught.value.message_dict
    assert (
        list(errors) == [f"q{qcast.q[field].pk}"] and message in errors[f"q{qcast.q[field].pk}"][0]
    )


def test_a_draft_may_leave_required_questions_empty_but_not_hold_wrong_values(qcast):
    questions = list(qcast.questionnaire.questions.all())
    assert clean_answers(questions, qcast.answers(text="  "), complete=False) == {}
    with pytest.raises(ValidationError):
        clean_answers(questions, qcast.answers(scale=0), complete=False)


def test_a_closed_round_is_read_only(client, qcast):
    client.force_login(qcast.people["mentee"])
    url = answer_url(qcast.october, qcast.pair)
    page = client.get(url).content.decode()
    assert "Этап анкетирования закрыт" in page and 'name="action"' not in page
    response = client.post(
        url, {**qcast.post(scale="3", fit="подходит"), "action": "submit"}, follow=True
    )
    assert "Этап анкетирования закрыт" in response.content.decode()
    assert not Response.objects.filter(round=qcast.october).exists()
    with pytest.raises(ValidationError, match=r"принимает ответы с 05\.10\.2020 по 20\.10\.2020"):
        services.response_submit(
            round=qcast.october,
            pair=qcast.pair,
            answers=qcast.answers(scale=3, fit="подходит"),
            by=qcast.people["mentee"],
        )


def test_only_those_a_round_asks_may_answer_it(client, qcast):
    december = qcast.december
    for who, url in [
        ("other_mentor", answer_url(december, qcast.pair)),  # another pair's side
        ("curator", answer_url(december, qcast.pair)),  # the curator is not a side
        ("mentor", answer_url(december, qcast.association)),  # not a pair
        ("mentor", answer_url(qcast.members_round)),  # not a member of the association
        ("mentor", answer_url(december)),  # a pairs round needs its pair
    ]:
        client.force_login(qcast.people[who])
        assert client.get(url).status_code == 404, (who, url)
    with pytest.raises(ValidationError, match="адресована не вам"):
        services.response_submit(
            round=december, pair=qcast.pair, answers={}, by=qcast.people["other_mentor"]
        )


def test_members_of_a_structure_answer_a_members_round(client, qcast):
    client.force_login(qcast.people["association_member"])
    url = answer_url(qcast.members_round)
    response = client.post(url, {**qcast.post(scale="5", fit="подходит"), "action": "submit"})
    assert response.status_code == 302
    answer = Response.objects.get(round=qcast.members_round)
    assert (answer.side, answer.pair) == (Response.Side.MEMBER, None)


def test_the_mentor_and_the_mentee_do_not_read_each_others_answers(client, qcast):
    qcast.submitted(
        qcast.december,
        "mentee",
        qcast.pair,
        scale=2,
        fit="скорее подходит",
        text="Секрет наставляемого",
    )
    client.force_login(qcast.people["mentor"])
    assert (
        client.get(
            reverse("mentoring:round_pair", args=[qcast.december.pk, qcast.pair.pk])
        ).status_code
        == 403
    )
    assert (
        "Секрет наставляемого"
        not in client.get(answer_url(qcast.december, qcast.pair)).content.decode()
    )
    page = client.get(reverse("networks:structure_detail", args=[qcast.pair.pk])).content.decode()
    assert "Секрет наставляемого" not in page and "Мониторинговые анкеты пары" in page


# --- Re-matching ----------------------------------------------------------------------------------


def test_a_mentee_answering_not_a_fit_raises_the_pair_for_rematching(client, qcast):
    pair = qcast.pair
    assert not PairState.objects.filter(pair=pair).exists()
    client.force_login(qcast.people["mentee"])
    client.post(
        answer_url(qcast.december, pair),
        {**qcast.post(scale="1", fit=NOT_A_FIT), "action": "submit"},
    )
    state = PairState.objects.get(pair=pair)
    assert state.needs_rematch and state.flagged_at is not None
    assert f"на вопрос «{FIT}» наставляемый ответил «{NOT_A_FIT}»" in state.rematch_reason
    assert "Декабрь" in state.rematch_reason

    client.force_login(qcast.people["curator"])
    overview = client.get(
        reverse("mentoring:round_overview", args=[qcast.december.pk])
    ).content.decode()
    assert "нужен новый наставник" in overview
    page = client.get(
        reverse("mentoring:round_pair", args=[qcast.december.pk, pair.pk])
    ).content.decode()
    assert "Нужен новый наставник." in page


def test_an_existing_pair_state_is_flagged_too(qcast):
    PairState.objects.create(pair=qcast.pair, needs_rematch=False)
    services.response_submit(
        round=qcast.december,
        pair=qcast.pair,
        answers=qcast.answers(scale=2, fit=NOT_A_FIT),
        by=qcast.people["mentee"],
    )
    assert PairState.objects.get(pair=qcast.pair).needs_rematch


@pytest.mark.parametrize("how", ["mentor submits", "mentee saves a draft", "mentee is content"])
def test_other_answers_do_not_raise_the_pair(qcast, how):
    if how == "mentor submits":
        services.response_submit(
            round=qcast.december,
            pair=qcast.pair,
            answers=qcast.answers(scale=2, fit=NOT_A_FIT),
            by=qcast.people["mentor"],
        )
    elif how == "mentee saves a draft":
        services.response_save_draft(
            round=qcast.december,
            pair=qcast.pair,
            answers=qcast.answers(fit=NOT_A_FIT),
            by=qcast.people["mentee"],
        )
    else:
        services.response_submit(
            round=qcast.december,
            pair=qcast.pair,
            answers=qcast.answers(scale=5, fit="подходит"),
            by=qcast.people["mentee"],
        )
    assert not PairState.objects.filter(pair=qcast.pair, needs_rematch=True).exists()


# --- What waits for a person ----------------------------------------------------------------------


def test_the_home_page_lists_questionnaires_waiting_for_an_answer(client, qcast):
    client.force_login(qcast.people["mentee"])

    def waiting():
        blocks = {b["template"]: b for b in client.get(reverse("home")).context["blocks"]}
        block = blocks.get("mentoring/questionnaires/home_waiting.html")
        return [(i.round.title, i.status) for i in block["items"]] if block else []

    assert waiting() == [("Декабрь", "waiting")]  # «Октябрь» is closed
    assert "Анкеты, ожидающие ответа" in client.get(reverse("home")).content.decode()
    services.response_save_draft(
        round=qcast.december, pair=qcast.pair, answers={}, by=qcast.people["mentee"]
    )
    assert waiting() == [("Декабрь", "draft")]
    services.response_submit(
        round=qcast.december,
        pair=qcast.pair,
        answers=qcast.answers(scale=4, fit="подходит"),
        by=qcast.people["mentee"],
    )
    assert waiting() == []

    page = client.get(reverse("mentoring:my_questionnaires")).content.decode()
    assert (
        "Декабрь" in page and "ответил(а)" in page and "Октябрь" in page and "не ответил(а)" in page
    )


def test_the_home_asks_for_rounds_only_when_one_open_today_may_ask_the_person(client, qcast):
    """Issue 19: «Анкеты, ожидающие ответа» reads rounds only when the home's flag says a round
    open today may ask the person — a round of one of their structures, or a pairs' round of a
    region where they are a side of a pair. A member of a structure no open round asks: no
    rounds query at all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from networks.models import Role
    from tests.factories import MembershipFactory

    def home(person):
        client.force_login(person)
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(reverse("home")).content.decode()
        asked = [q for q in ctx.captured_queries if q["sql"].startswith('SELECT "mentoring_round"')]
        return "Анкеты, ожидающие ответа" in html, bool(asked)

    elsewhere = MembershipFactory(role=Role.MEMBER).user
    assert home(elsewhere) == (False, False)
    assert home(qcast.people["association_member"]) == (True, True)  # the association's round
    assert home(qcast.people["mentee"]) == (True, True)  # the region's pairs' round


def test_typed_answers_stay_text(client, qcast):
    qcast.submitted(
        qcast.december,
        "mentee",
        qcast.pair,
        scale=3,
        fit="подходит",
        text="<script>alert('анкета')</script>",
    )
    pages = [
        ("mentee", answer_url(qcast.december, qcast.pair)),
        ("curator", reverse("mentoring:round_pair", args=[qcast.december.pk, qcast.pair.pk])),
        ("curator", reverse("mentoring:round_overview", args=[qcast.december.pk])),
    ]
    for who, url in pages:
        client.force_login(qcast.people[who])
        page = client.get(url).content.decode()
        assert "<script>alert(" not in page and "&lt;script&gt;alert(" in page, url


def test_the_database_refuses_a_second_response_row_whatever_the_code_above_it(qcast):
    """The constraints themselves, without the service: what holds when two workers race."""
    qcast.submitted(qcast.december, "mentee", qcast.pair, scale=4, fit="подходит")
    with pytest.raises(IntegrityError), transaction.atomic():
        qcast.submitted(qcast.december, "mentee", qcast.pair, scale=1, fit=NOT_A_FIT)
    qcast.submitted(qcast.members_round, "association_member", scale=4, fit="подходит")
    with pytest.raises(IntegrityError), transaction.atomic():
        qcast.submitted(qcast.members_round, "association_member", scale=1, fit="подходит")
