"""Curators monitor mentoring with questionnaires (R-TUL-A3-5.3): coordinators build and send them
out; curators and coordinators read the response rate overall and per pair, each side's answers
side by side and the mentee's deficits against their self-assessment; methodists see figures
without names."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mentoring import services
from mentoring.models import Question, Questionnaire, Round
from mentoring.selectors import pair_answers, round_overview
from tests.factories import topic

pytestmark = pytest.mark.django_db


def overview_url(round):
    return reverse("mentoring:round_overview", args=[round.pk])


def pair_url(round, pair):
    return reverse("mentoring:round_pair", args=[round.pk, pair.pk])


# --- Building and sending out ---------------------------------------------------------------------


def test_the_coordinator_builds_a_questionnaire_and_sends_it_out_in_rounds(client, qcast):
    client.force_login(qcast.people["territory_coordinator"])
    response = client.post(
        reverse("mentoring:questionnaire_create"),
        {
            "title": "Итоги полугодия",
            "description": "Ответьте до конца месяца.",
            "region": qcast.region.pk,
        },
    )
    questionnaire = Questionnaire.objects.get(title="Итоги полугодия")
    assert response["Location"] == reverse(
        "mentoring:questionnaire_detail", args=[questionnaire.pk]
    )
    add = reverse("mentoring:question_add", args=[questionnaire.pk])
    for data in [
        {"text": "Полезность встреч", "kind": "scale", "required": "on", "topic": topic("ОГЭ").pk},
        {
            "text": "Подходит ли наставник?",
            "kind": "single",
            "options": "да\nскорее да\nне подходит",
            "rematch_answers": "не подходит",
            "required": "on",
        },
        {"text": "Формы работы", "kind": "multiple", "options": "встречи\nзвонки"},
        {"text": "Комментарий", "kind": "text"},
    ]:
        response = client.post(add, {f"question-{k}": v for k, v in data.items()})
        assert response.status_code == 302, response.content.decode()[-3000:]
    questions = list(questionnaire.questions.all())
    assert [(q.position, q.kind, q.required) for q in questions] == [
        (1, "scale", True),
        (2, "single", True),
        (3, "multiple", False),
        (4, "text", False),
    ]
    assert questions[0].topic == topic("ОГЭ")
    assert (questions[1].options, questions[1].rematch_answers) == (
        ["да", "скорее да", "не подходит"],
        ["не подходит"],
    )

    client.post(reverse("mentoring:question_delete", args=[questionnaire.pk, questions[2].pk]))
    assert [(q.position, q.text) for q in questionnaire.questions.all()][-1] == (3, "Комментарий")

    response = client.post(
        reverse("mentoring:round_create", args=[questionnaire.pk]),
        {
            "round-title": "Декабрь",
            "round-audience": "pairs",
            "round-school_year": "2020",
            "round-opens_on": "2020-12-10",
            "round-closes_on": "2020-12-28",
        },
    )
    assert response.status_code == 302
    assert Round.objects.filter(
        questionnaire=questionnaire, title="Декабрь", school_year=2020
    ).exists()

    # Sent out: the questions stay as they are, so that the rounds can be compared.
    response = client.post(add, {"question-text": "Ещё вопрос", "question-kind": "text"})
    assert response.status_code == 200 and "вопросы не меняются" in response.content.decode()
    client.post(reverse("mentoring:question_delete", args=[questionnaire.pk, questions[0].pk]))
    assert questionnaire.questions.count() == 3


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "single", "options": "да"}, "options", "не меньше двух"),
        ({"kind": "text", "options": "да\nнет"}, "options", "только для вопросов с выбором"),
        ({"kind": "single", "options": "да\nда"}, "options", "повторяются"),
        ({"kind": "text", "topic": "TOPIC"}, "topic", "только для вопроса со шкалой"),
        (
            {"kind": "single", "options": "да\nнет", "rematch_answers": "может быть"},
            "rematch_answers",
            "«может быть»",
        ),
        (
            {"kind": "multiple", "options": "да\nнет", "rematch_answers": "нет"},
            "rematch_answers",
            "с одним вариантом",
        ),
    ],
)
def test_a_wrong_question_is_refused_with_the_reason_by_its_field(
    client, qcast, data, field, message
):
    if data.get("topic") == "TOPIC":
        data["topic"] = topic("ОГЭ").pk
    client.force_login(qcast.people["territory_coordinator"])
    response = client.post(
        reverse("mentoring:question_add", args=[qcast.draft.pk]),
        {
            "question-text": "Вопрос <i>курсивом</i>",
            **{f"question-{k}": v for k, v in data.items()},
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and f'id="id_question-{field}_error"' in page
    assert "Вопрос &lt;i&gt;курсивом&lt;/i&gt;" in page
    assert qcast.draft.questions.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"audience": "members"}, "structure", "Выберите структуру"),
        ({"opens_on": "2021-09-01", "closes_on": "2021-09-10"}, "opens_on", "вне 2020/2021"),
        ({"opens_on": "2020-12-20", "closes_on": "2020-12-10"}, "closes_on", "раньше, чем начался"),
    ],
)
def test_a_wrong_round_is_refused_with_the_reason_by_its_field(client, qcast, data, field, message):
    client.force_login(qcast.people["territory_coordinator"])
    values = {
        "title": "Май",
        "audience": "pairs",
        "school_year": "2020",
        "opens_on": "2021-05-10",
        "closes_on": "2021-05-31",
        **data,
    }
    response = client.post(
        reverse("mentoring:round_create", args=[qcast.draft.pk]),
        {f"round-{k}": v for k, v in values.items()},
    )
    assert response.status_code == 200
    assert (
        message in response.content.decode()
        and f'id="id_round-{field}_error"' in response.content.decode()
    )
    assert not qcast.draft.rounds.exists()


def test_a_round_cannot_be_sent_without_questions(qcast):
    empty = Questionnaire.objects.create(region=qcast.region, title="Пустая")
    with pytest.raises(Exception, match="нет вопросов"):
        services.round_create(
            questionnaire=empty,
            title="Май",
            audience="pairs",
            school_year=2020,
            opens_on=dt.date(2021, 5, 10),
            closes_on=dt.date(2021, 5, 31),
            by=qcast.people["territory_coordinator"],
        )


def test_the_questionnaire_form_has_a_fieldset_for_each_radio_group(client, qcast):
    client.force_login(qcast.people["territory_coordinator"])
    page = client.get(
        reverse("mentoring:questionnaire_detail", args=[qcast.draft.pk])
    ).content.decode()
    assert "<legend" in page and "Кому" in page  # the round's audience
    assert 'for="id_question-text"' in page and 'for="id_round-opens_on"' in page


# --- The curator's overview -----------------------------------------------------------------------


def answered(qcast):
    """Both sides of the pair submitted; the other pair's mentor has a draft only."""
    qcast.submitted(
        qcast.december, "mentor", qcast.pair, scale=5, fit="подходит", forms=["консультирование"]
    )
    qcast.submitted(
        qcast.december,
        "mentee",
        qcast.pair,
        scale=3,
        fit="скорее подходит",
        forms=["консультирование", "мозговой штурм"],
        vpr=4,
    )
    services.response_save_draft(
        round=qcast.december,
        pair=qcast.other_pair,
        answers=qcast.answers(scale=1),
        by=qcast.people["other_mentor"],
    )


def test_r_tul_a3_5_3_curators_monitor_with_questionnaires_the_response_rate(client, qcast):
    answered(qcast)
    client.force_login(qcast.people["territory_coordinator"])
    response = client.get(overview_url(qcast.december))
    overview = response.context["overview"]
    assert (overview.submitted, overview.expected, overview.rate) == (2, 4, 50)
    assert [(row.pair, row.submitted, row.expected) for row in overview.pairs] == [
        (qcast.pair, 2, 2),
        (qcast.other_pair, 0, 2),
    ] or [(row.pair, row.submitted, row.expected) for row in overview.pairs] == [
        (qcast.other_pair, 0, 2),
        (qcast.pair, 2, 2),
    ]
    page = response.content.decode()
    assert "Ответили 2 из 4 (50 %)" in page and "черновик" in page

    figures = {s.question.text: s for s in overview.summaries}
    scale = figures["Насколько полезно взаимодействие?"]
    assert (scale.answered, scale.mean) == (2, 4.0)
    assert dict(scale.counts) == {
        "1": 0,
        "2": 0,
        "3": 1,
        "4": 0,
        "5": 1,
    }  # the draft does not count
    assert dict(figures["Какие формы работы были?"].counts) == {
        "наставничество": 0,
        "консультирование": 2,
        "мозговой штурм": 1,
    }


def test_r_tul_a3_5_3_a_curator_sees_their_own_pairs_only(client, qcast):
    answered(qcast)
    client.force_login(qcast.people["curator"])
    overview = client.get(overview_url(qcast.december)).context["overview"]
    assert [row.pair for row in overview.pairs] == [qcast.pair]
    assert (overview.submitted, overview.expected) == (2, 2)
    client.force_login(qcast.people["district_coordinator"])
    overview = client.get(overview_url(qcast.december)).context["overview"]
    assert [row.pair for row in overview.pairs] == [qcast.other_pair]
    assert (overview.submitted, overview.expected, overview.rate) == (0, 2, 0)


def test_the_methodist_sees_figures_without_names(client, qcast):
    answered(qcast)
    qcast.submitted(
        qcast.members_round, "association_member", scale=4, fit="подходит", text="Свободный ответ"
    )
    client.force_login(qcast.people["methodist"])
    response = client.get(overview_url(qcast.december))
    page = response.content.decode()
    assert "Ответили 2 из 4" in page and "без имён" in page
    for name in (
        qcast.pair.name,
        qcast.people["mentee"].full_name,
        qcast.people["mentor"].full_name,
    ):
        assert name not in page
    page = client.get(overview_url(qcast.members_round)).content.decode()
    assert (
        "Свободный ответ" not in page and qcast.people["association_member"].full_name not in page
    )
    assert client.get(pair_url(qcast.december, qcast.pair)).status_code == 403


def test_the_members_round_overview_for_the_head(client, qcast):
    qcast.submitted(
        qcast.members_round, "association_member", scale=4, fit="подходит", text="Больше практики"
    )
    client.force_login(qcast.people["association_head"])
    response = client.get(overview_url(qcast.members_round))
    overview = response.context["overview"]
    assert (overview.submitted, overview.expected) == (1, 2)
    page = response.content.decode()
    assert "Больше практики" in page and qcast.people["association_member"].full_name in page


def test_each_sides_answers_side_by_side_and_the_deficits_against_the_self_assessment(
    client, qcast
):
    qcast.submitted(qcast.october, "mentee", qcast.pair, scale=2, fit="подходит", vpr=2)
    qcast.submitted(qcast.december, "mentee", qcast.pair, scale=4, fit="подходит", vpr=4)
    qcast.submitted(
        qcast.december, "mentor", qcast.pair, scale=5, fit="подходит", text="Работаем по плану"
    )

    answers = pair_answers(qcast.december, qcast.pair)
    rows = {q.text: (mentor, mentee) for q, mentor, mentee in answers.rows}
    assert rows["Насколько полезно взаимодействие?"] == ("5", "4")
    assert rows["Что стоит изменить?"] == ("Работаем по плану", "")
    assert (answers.first_round, answers.last_round) == (qcast.october, qcast.december)
    progress = {
        t.topic.name: (bool(t.deficit_stated), t.first, t.last, t.change) for t in answers.progress
    }
    assert progress == {
        "Всероссийские проверочные работы (ВПР)": (True, 2, 4, 2),
        "Подготовка к ОГЭ": (True, None, None, None),
    }

    client.force_login(qcast.people["curator"])
    page = client.get(pair_url(qcast.december, qcast.pair)).content.decode()
    assert "Самооценка: Октябрь" in page and "Самооценка: Декабрь" in page and "(+2)" in page


def test_the_self_assessment_comes_from_the_last_round_of_the_school_year(qcast):
    qcast.submitted(qcast.october, "mentee", qcast.pair, scale=2, fit="подходит", vpr=3)
    answers = pair_answers(qcast.december, qcast.pair)
    assert (answers.first_round, answers.last_round) == (None, qcast.october)
    vpr = next(t for t in answers.progress if t.topic == topic("ВПР"))
    assert (vpr.first, vpr.last) == (None, 3)


# --- The pair's page ------------------------------------------------------------------------------


def test_the_pairs_page_shows_who_has_answered_each_round(client, qcast):
    qcast.submitted(qcast.december, "mentor", qcast.pair, scale=5, fit="подходит")
    structure_page = reverse("networks:structure_detail", args=[qcast.pair.pk])

    def panel(who):
        client.force_login(qcast.people[who])
        panels = client.get(structure_page).context["panels"]
        return next(
            (p for p in panels if p["template"] == "mentoring/questionnaires/panel_pair.html"), None
        )

    statuses = panel("curator")["statuses"]
    assert [(s.round.title, s.mentor, s.mentee) for s in statuses] == [
        ("Декабрь", "submitted", "waiting"),
        ("Октябрь", "missed", "missed"),
    ]
    assert panel("curator")["reads_answers"]
    assert panel("territory_coordinator")["reads_answers"]
    mentee_panel = panel("mentee")
    assert not mentee_panel["reads_answers"] and mentee_panel["statuses"][0].viewer_side == "mentee"
    assert reverse("mentoring:round_answer_pair", args=[qcast.december.pk, qcast.pair.pk]) in (
        client.get(structure_page).content.decode()
    )
    assert panel("methodist") is None
    assert panel("other_mentor") is None


def test_selectors_take_the_viewers_scope(qcast):
    answered(qcast)
    everyone = round_overview(qcast.december)
    assert (everyone.submitted, everyone.expected) == (2, 4)
    assert len(everyone.pairs) == 2
    assert any(q.kind == Question.Kind.TEXT for q in everyone.questions)


def test_a_coordinator_builds_for_their_own_region_only(client, qcast):
    client.force_login(qcast.people["coordinator_elsewhere"])
    response = client.post(
        reverse("mentoring:questionnaire_create"), {"title": "Чужая", "region": qcast.region.pk}
    )
    assert response.status_code == 200 and 'id="id_region_error"' in response.content.decode()
    assert not Questionnaire.objects.filter(title="Чужая").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("association_head", 200), ("methodist", 200), ("association_member", 403), ("outsider", 404)],
)
def test_who_opens_the_overview_of_a_members_round(client, qcast, who, status):
    client.force_login(qcast.people[who])
    assert client.get(overview_url(qcast.members_round)).status_code == status
