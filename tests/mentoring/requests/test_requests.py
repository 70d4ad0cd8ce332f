"""Requests for targeted help: R-TUL-A1-2.2.2 (the individual needs of the heads of ШНОР are found
out) and R-TUL-A4-4.2.3 (targeted consultations on request). A worker of a ШНОР or ШССУ asks, the
territory's coordinator routes, a consultant answers or holds a consultation, the requester says
whether it helped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring import services
from mentoring.models import HelpRequest, MentoringSettings
from mentoring.selectors import consultant_candidates, overdue_requests, request_counts
from tests.factories import HelpRequestFactory, UserFactory, topic

from .conftest import TODAY, at

pytestmark = pytest.mark.django_db

CREATE = reverse("mentoring:request_create")
QUEUE = reverse("mentoring:request_queue")


def detail(r):
    return reverse("mentoring:request_detail", args=[r.pk])


def action(name, r):
    return reverse(f"mentoring:request_{name}", args=[r.pk])


# --- Filing ---------------------------------------------------------------------------------------


def test_r_tul_a1_2_2_2_deputy_of_a_shnor_files_a_request_on_a_catalogue_topic(
    client, request_cast, vpr
):
    requester = request_cast.people["requester"]
    client.force_login(requester)
    response = client.post(
        CREATE,
        {"topic": vpr.pk, "description": "Как выстроить работу по итогам ВПР в 5-х классах?"},
    )
    help_request = HelpRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(help_request)
    assert (help_request.requester, help_request.organisation) == (requester, request_cast.shnor)
    assert help_request.region == request_cast.region
    assert help_request.status == HelpRequest.Status.NEW and help_request.topic == vpr
    page = client.get(detail(help_request)).content.decode()
    assert "Новый" in page and "Как выстроить работу по итогам ВПР" in page


def test_r_tul_a1_2_2_2_a_teacher_of_a_sssu_may_ask_too(request_cast, vpr):
    teacher = request_cast.people["teacher"]
    help_request = services.help_request_file(topic=vpr, description="Нужна помощь", by=teacher)
    assert help_request.organisation == teacher.organisation


def test_r_tul_a1_2_2_2_the_director_of_a_leader_school_is_refused_with_the_reason(
    client, request_cast, vpr
):
    client.force_login(request_cast.people["leader"])
    page = client.get(CREATE).content.decode()
    assert "не входит в список ШНОР и ШССУ на 2020/2021 учебный год" in page
    assert 'name="description"' not in page
    response = client.post(CREATE, {"topic": vpr.pk, "description": "Помогите"})
    assert response.status_code == 403 and not HelpRequest.objects.exists()
    with pytest.raises(ValidationError, match="не входит в список ШНОР и ШССУ"):
        services.help_request_file(
            topic=vpr, description="Помогите", by=request_cast.people["leader"]
        )


def test_a_school_that_was_a_shnor_last_year_only_may_not_ask_this_year(request_cast, vpr):
    school = request_cast.shnor
    school.statuses.update(school_year=2019)
    with pytest.raises(ValidationError, match="2020/2021"):
        services.help_request_file(
            topic=vpr, description="Помогите", by=request_cast.people["requester"]
        )


def test_a_person_without_an_organisation_is_told_to_set_it(client, request_cast):
    client.force_login(UserFactory(organisation=None))
    assert "не указана организация" in client.get(CREATE).content.decode()


def test_bad_input_keeps_what_was_typed_and_ties_errors_to_fields(client, request_cast):
    client.force_login(request_cast.people["requester"])
    response = client.post(CREATE, {"topic": "", "description": "Мой текст <b>жирный</b>"})
    assert response.status_code == 200 and not HelpRequest.objects.exists()
    page = response.content.decode()
    assert "Мой текст &lt;b&gt;жирный&lt;/b&gt;" in page
    assert (
        'id="id_topic_error"' in page
        and 'aria-describedby="id_topic_helptext id_topic_error"' in page
    )


# --- Routing, answering, confirming ---------------------------------------------------------------


def test_r_tul_a4_4_2_3_coordinator_routes_consultant_answers_requester_confirms(
    client, request_cast, vpr
):
    people = request_cast.people
    help_request = request_cast.request(topic=vpr)

    client.force_login(people["coordinator"])
    page = client.get(detail(help_request)).content.decode()
    assert "Члены консультационного совета" in page and 'name="route-consultant"' in page
    response = client.post(
        action("route", help_request), {"route-consultant": people["consultant"].pk}
    )
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.ROUTED
    assert (help_request.consultant, help_request.routed_by) == (
        people["consultant"],
        people["coordinator"],
    )

    client.force_login(people["consultant"])
    client.post(
        action("answer", help_request),
        {"answer-outcome": "answered", "answer-answer": "Проведите анализ ВПР по каждому классу."},
    )
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.ANSWERED and help_request.answered_at

    client.force_login(people["requester"])
    page = client.get(detail(help_request)).content.decode()
    assert "Проведите анализ ВПР по каждому классу." in page
    assert "<legend" in page and "Помогла ли консультация?" in page  # the radio group's legend
    client.post(action("confirm", help_request), {"confirm-helped": "yes"})
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.CLOSED
    assert help_request.helped is True and help_request.confirmed_at


def test_r_tul_a4_4_2_3_a_consultation_held_is_recorded_and_may_not_have_helped(request_cast):
    people = request_cast.people
    help_request = request_cast.routed()
    services.help_request_answer(
        help_request=help_request,
        answer="Консультация 15.12.2020 в школе, разобрали график ВПР.",
        consulted=True,
        by=people["consultant"],
    )
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.CONSULTED
    services.help_request_confirm(help_request=help_request, helped=False, by=people["requester"])
    help_request.refresh_from_db()
    assert (help_request.status, help_request.helped) == (HelpRequest.Status.CLOSED, False)


def test_the_route_form_lists_councils_mentors_tutors_and_methodists_of_the_region(request_cast):
    people = request_cast.people
    groups = {
        label: [u.email for u in users]
        for label, users in consultant_candidates(request_cast.region)
    }
    assert groups == {
        "Члены консультационного совета": [people["consultant"].email],
        "Наставники сетевых пар": [people["mentor"].email],
        "Тьюторы": [people["tutor"].email],
        "Методисты территории": [people["methodist"].email],
    }


def test_any_person_of_the_region_may_be_chosen_by_email(client, request_cast):
    people = request_cast.people
    help_request = request_cast.request()
    client.force_login(people["coordinator"])
    response = client.post(action("route", help_request), {"route-email": "LEADER@school.example"})
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.consultant == people["leader"]


def test_a_consultant_from_another_region_is_refused_and_the_form_kept(client, request_cast):
    people = request_cast.people
    help_request = request_cast.request()
    client.force_login(people["coordinator"])
    response = client.post(
        action("route", help_request), {"route-email": "outsider@school.example"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "в том же регионе" in page and 'value="outsider@school.example"' in page
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.NEW and help_request.consultant is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "что-то одно"),
        ({"route-email": "nobody@school.example"}, "не зарегистрирован"),
        ({"route-email": "requester@school.example"}, "тому, кто его подал"),
    ],
)
def test_routing_refusals_say_why(client, request_cast, data, message):
    help_request = request_cast.request()
    client.force_login(request_cast.people["coordinator"])
    response = client.post(action("route", help_request), data)
    assert response.status_code == 200 and message in response.content.decode()


def test_rerouting_is_possible_until_answered_and_the_first_consultant_loses_sight(
    client, request_cast
):
    people = request_cast.people
    help_request = request_cast.routed()
    services.help_request_route(
        help_request=help_request, consultant=people["tutor"], by=people["coordinator"]
    )
    client.force_login(people["consultant"])
    assert client.get(detail(help_request)).status_code == 404
    answered = request_cast.answered()
    with pytest.raises(ValidationError, match="уже ответили"):
        services.help_request_route(
            help_request=answered, consultant=people["tutor"], by=people["coordinator"]
        )


def test_a_second_answer_and_a_second_confirmation_are_refused(client, request_cast):
    people = request_cast.people
    help_request = request_cast.answered()
    client.force_login(people["consultant"])
    response = client.post(
        action("answer", help_request),
        {"answer-outcome": "answered", "answer-answer": "Другой"},
        follow=True,
    )
    assert "уже ответили" in response.content.decode()
    help_request.refresh_from_db()
    assert help_request.answer.startswith("Рекомендуем")
    services.help_request_confirm(help_request=help_request, helped=True, by=people["requester"])
    with pytest.raises(ValidationError, match="уже закрыт"):
        services.help_request_confirm(
            help_request=help_request, helped=False, by=people["requester"]
        )
    help_request.refresh_from_db()
    assert help_request.helped is True


def test_the_requester_cannot_confirm_before_an_answer(request_cast):
    with pytest.raises(ValidationError, match="ещё не ответил"):
        services.help_request_confirm(
            help_request=request_cast.routed(), helped=True, by=request_cast.people["requester"]
        )


def test_the_methodist_reads_the_request_but_does_not_act(client, request_cast):
    help_request = request_cast.routed()
    client.force_login(request_cast.people["methodist"])
    page = client.get(detail(help_request)).content.decode()
    assert "Как организовать работу по результатам ВПР" in page
    assert 'name="route-consultant"' not in page and 'name="answer-answer"' not in page
    response = client.post(action("route", help_request), {"route-email": "tutor@school.example"})
    assert response.status_code == 403
    help_request.refresh_from_db()
    assert help_request.consultant == request_cast.people["consultant"]


def test_a_municipal_coordinator_sees_the_requests_of_their_municipality_only(client, request_cast):
    city_request = request_cast.request()
    district_request = request_cast.request("teacher")
    client.force_login(request_cast.people["district_coordinator"])
    assert client.get(detail(city_request)).status_code == 404
    assert client.get(detail(district_request)).status_code == 200
    listed = [r.pk for r in client.get(QUEUE).context["page"].object_list]
    assert listed == [district_request.pk]


def test_typed_text_stays_text(client, request_cast):
    people = request_cast.people
    help_request = request_cast.answered(description="<script>alert('запрос')</script>")
    help_request.answer = "<script>alert('ответ')</script>"
    help_request.save()
    for who, url in [
        ("requester", detail(help_request)),
        ("coordinator", detail(help_request)),
        ("requester", reverse("mentoring:request_list")),
    ]:
        client.force_login(people[who])
        page = client.get(url).content.decode()
        assert "<script>alert(" not in page
        assert "&lt;script&gt;alert(" in page


# --- Overdue --------------------------------------------------------------------------------------


def test_open_requests_older_than_the_limit_are_overdue(request_cast):
    """Filed on 01.12.2020 with the default 14 days: overdue from 16.12.2020."""
    on_time = request_cast.request(created_at=at(dt.date(2020, 12, 2)))
    late = request_cast.request(created_at=at(dt.date(2020, 12, 1)))
    late_routed = request_cast.routed(created_at=at(dt.date(2020, 11, 20)))
    request_cast.answered(created_at=at(dt.date(2020, 11, 1)))  # waits for the requester only
    request_cast.request(created_at=at(dt.date(2020, 11, 1)), status=HelpRequest.Status.CLOSED)
    elsewhere = HelpRequestFactory(created_at=at(dt.date(2020, 11, 1)))

    overdue = overdue_requests(today=TODAY, region=request_cast.region)
    assert list(overdue) == [late_routed, late]
    assert on_time not in overdue_requests(today=TODAY)
    assert set(overdue_requests(today=TODAY)) == {late_routed, late, elsewhere}
    assert list(overdue_requests(today=dt.date(2020, 12, 17), region=request_cast.region)) == [
        late_routed,
        late,
        on_time,
    ]


def test_the_coordinator_sets_the_limit_for_the_region(request_cast):
    MentoringSettings.objects.create(region=request_cast.region, request_overdue_days=5)
    week_old = request_cast.request(created_at=at(dt.date(2020, 12, 9)))
    other_region = HelpRequestFactory(created_at=at(dt.date(2020, 12, 9)))
    assert list(overdue_requests(today=TODAY, region=request_cast.region)) == [week_old]
    assert list(overdue_requests(today=TODAY)) == [week_old]  # the other region keeps 14 days
    assert other_region not in overdue_requests(today=TODAY)


def test_the_queue_shows_overdue_first_and_filters_by_status_and_topic(client, request_cast):
    fresh = request_cast.request(created_at=at(dt.date(2020, 12, 15)))
    closed = request_cast.request(
        created_at=at(dt.date(2020, 10, 1)), status=HelpRequest.Status.CLOSED
    )
    late = request_cast.request(created_at=at(dt.date(2020, 11, 2)), topic=topic("ОГЭ"))
    client.force_login(request_cast.people["coordinator"])
    response = client.get(QUEUE)
    rows = list(response.context["page"].object_list)
    assert rows == [late, fresh, closed]
    assert [r.is_overdue for r in rows] == [True, False, False]
    assert 'class="table-danger"' in response.content.decode()
    assert list(client.get(QUEUE, {"status": "new"}).context["page"].object_list) == [late, fresh]
    assert list(client.get(QUEUE, {"status": "open"}).context["page"].object_list) == [late, fresh]
    assert list(client.get(QUEUE, {"topic": topic("ОГЭ").pk}).context["page"].object_list) == [late]
    page = client.get(QUEUE).content.decode()
    assert '<label class="form-label small mb-0" for="id_status">' in page


def test_the_home_page_shows_the_coordinator_the_overdue_requests(client, request_cast):
    late = request_cast.request(created_at=at(dt.date(2020, 11, 2)))
    request_cast.request(created_at=at(dt.date(2020, 12, 15)))
    client.force_login(request_cast.people["coordinator"])
    blocks = {b["template"]: b for b in client.get(reverse("home")).context["blocks"]}
    block = blocks["mentoring/requests/home_territory.html"]
    assert block["requests"] == [late] and block["waiting"] == 2


def test_the_home_page_shows_the_consultant_and_the_requester_what_waits_for_them(
    client, request_cast
):
    routed = request_cast.routed()
    answered = request_cast.answered()
    client.force_login(request_cast.people["consultant"])
    blocks = {b["template"]: b for b in client.get(reverse("home")).context["blocks"]}
    assert blocks["mentoring/requests/home_to_answer.html"]["requests"] == [routed]
    client.force_login(request_cast.people["requester"])
    blocks = {b["template"]: b for b in client.get(reverse("home")).context["blocks"]}
    mine = blocks["mentoring/requests/home_mine.html"]
    assert mine["may_file"] and set(mine["requests"]) == {routed, answered}
    assert "подтвердите, помог ли он" in client.get(reverse("home")).content.decode()


def test_a_leader_school_director_without_requests_has_no_help_block(client, request_cast):
    client.force_login(request_cast.people["leader"])
    templates = [b["template"] for b in client.get(reverse("home")).context["blocks"]]
    assert "mentoring/requests/home_mine.html" not in templates


# --- Counts for the annual reports -----------------------------------------------------------------


def test_request_counts_by_topic_and_status_for_the_annual_report(request_cast):
    vpr, oge = topic("ВПР"), topic("ОГЭ")
    in_year = {"created_at": at(dt.date(2020, 10, 5))}
    request_cast.request(topic=vpr, **in_year)
    request_cast.request(topic=vpr, **in_year)
    request_cast.routed(topic=oge, **in_year)
    request_cast.answered(topic=vpr, **in_year)
    request_cast.answered(topic=oge, status=HelpRequest.Status.CLOSED, helped=True, **in_year)
    request_cast.answered(topic=oge, status=HelpRequest.Status.CLOSED, helped=False, **in_year)
    request_cast.request(topic=vpr, created_at=at(dt.date(2021, 8, 31), 23))  # the year's last day
    request_cast.request(topic=vpr, created_at=at(dt.date(2020, 8, 31), 23))  # the year before
    request_cast.request(topic=vpr, created_at=at(dt.date(2021, 9, 1), 0))  # the next year
    HelpRequestFactory(topic=vpr, created_at=at(dt.date(2020, 10, 5)))  # another region

    counts = request_counts(region=request_cast.region, school_year=2020)
    assert counts.total == 7
    assert counts.by_status == {
        "new": 3,
        "routed": 1,
        "answered": 1,
        "consulted": 0,
        "closed": 2,
    }
    assert [(t.name, n) for t, n in counts.by_topic] == [
        ("Подготовка к ОГЭ", 3),
        ("Всероссийские проверочные работы (ВПР)", 4),
    ]
    assert (counts.helped, counts.not_helped) == (1, 1)
