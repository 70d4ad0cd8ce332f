"""Tutoring (S6, S8): tutors of leader schools or of the internship site assigned to teachers of a
ШНОР by subject (R-PRI-5.3, R-PAV-1.9); sessions logged like a pair's contacts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Contact, TutorAssignment
from mentoring.services import tutoring_assign, tutoring_session_log
from networks.models import Role
from tests.factories import (
    ContactFactory,
    MembershipFactory,
    StructureFactory,
    TutorAssignmentFactory,
    UserFactory,
    kind,
)

from .conftest import YEAR, school

pytestmark = pytest.mark.django_db


def assign(cast, **kwargs):
    values = {
        "structure": cast.community,
        "tutor": cast.people["tutor"],
        "teacher": cast.people["teacher"],
        "subject": "Физика",
        "by": cast.people["community_coordinator"],
    }
    values.update(kwargs)
    return tutoring_assign(**values)


def test_r_pav_1_9_a_tutor_of_a_leader_school_is_assigned_to_a_teacher_of_a_shnor(pair_cast):
    assignment = assign(pair_cast)
    assert (assignment.tutor, assignment.teacher, assignment.subject) == (
        pair_cast.people["tutor"],
        pair_cast.people["teacher"],
        "Физика",
    )
    assert assignment.assigned_by == pair_cast.people["community_coordinator"]


def test_r_pav_1_9_a_moderator_of_the_community_may_tutor(pair_cast):
    moderator = UserFactory(organisation=pair_cast.leader)
    MembershipFactory(structure=pair_cast.community, user=moderator, role=Role.MODERATOR)
    assert assign(pair_cast, tutor=moderator).tutor == moderator


def test_r_pav_1_9_a_plain_member_is_not_a_tutor(pair_cast):
    with pytest.raises(ValidationError) as error:
        assign(pair_cast, tutor=pair_cast.people["member"])
    assert "«Тьютор» или «Модератор»" in error.value.message_dict["tutor"][0]


def test_r_pav_1_9_a_tutor_from_an_ordinary_school_is_refused(pair_cast):
    ordinary = UserFactory(organisation=school(pair_cast.leader.municipality, None))
    MembershipFactory(structure=pair_cast.community, user=ordinary, role=Role.TUTOR)
    with pytest.raises(ValidationError) as error:
        assign(pair_cast, tutor=ordinary)
    assert "школы-лидера" in error.value.message_dict["tutor"][0]


def test_r_pri_5_3_a_teacher_of_the_internship_site_tutors_teachers_of_a_shnor(pair_cast):
    site_school = school(pair_cast.leader.municipality, None, short_name="МОУ «СОШ № 5»")
    site = StructureFactory(
        kind=kind("S6"),
        name="Муниципальная стажировочная площадка",
        host=site_school,
        term_start=dt.date(YEAR, 1, 1),
        term_end=dt.date(YEAR + 2, 5, 31),
        topic="Повышение качества образования",
    )
    tutor = UserFactory(organisation=site_school)
    MembershipFactory(structure=site, user=tutor, role=Role.TUTOR)
    assignment = assign(pair_cast, structure=site, tutor=tutor, subject="Русский язык")
    assert assignment.structure == site


def test_r_pri_5_3_the_tutored_teacher_is_of_a_shnor(pair_cast):
    with pytest.raises(ValidationError) as error:
        assign(pair_cast, teacher=pair_cast.people["member"])
    assert "ШНОР" in error.value.message_dict["teacher"][0]


def test_the_same_assignment_twice_is_refused(pair_cast):
    with pytest.raises(ValidationError) as error:
        assign(pair_cast, subject="Математика")
    assert "уже сопровождает" in error.value.message_dict["subject"][0]


def test_kinds_without_tutors_have_no_tutoring(pair_cast):
    with pytest.raises(ValidationError, match="тьюторского сопровождения нет"):
        assign(pair_cast, structure=pair_cast.pair)


def test_the_coordinator_assigns_on_the_page(client, pair_cast):
    client.force_login(pair_cast.people["community_coordinator"])
    page = client.get(reverse("mentoring:tutoring_assign", args=[pair_cast.community.pk]))
    assert list(page.context["form"].fields["tutor"].queryset) == [pair_cast.people["tutor"]]
    assert list(page.context["form"].fields["teacher"].queryset) == [pair_cast.people["teacher"]]
    response = client.post(
        reverse("mentoring:tutoring_assign", args=[pair_cast.community.pk]),
        {
            "tutoring-tutor": pair_cast.people["tutor"].pk,
            "tutoring-teacher": pair_cast.people["teacher"].pk,
            "tutoring-subject": "Информатика",
            "tutoring-since": timezone.localdate().isoformat(),
        },
    )
    assignment = TutorAssignment.objects.get(subject="Информатика")
    assert response["Location"] == reverse("mentoring:tutoring_detail", args=[assignment.pk])


def test_a_refused_assignment_keeps_what_was_typed(client, pair_cast):
    client.force_login(pair_cast.people["community_coordinator"])
    response = client.post(
        reverse("mentoring:tutoring_assign", args=[pair_cast.community.pk]),
        {
            "tutoring-tutor": pair_cast.people["tutor"].pk,
            "tutoring-teacher": pair_cast.people["teacher"].pk,
            "tutoring-subject": "Математика",
            "tutoring-since": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "уже сопровождает" in response.content.decode()
    assert 'value="Математика"' in response.content.decode()


# --- Sessions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["tutor", "teacher"])
def test_r_pri_5_3_sessions_are_logged_by_the_tutor_and_the_teacher(client, pair_cast, who):
    client.force_login(pair_cast.people[who])
    assignment = pair_cast.assignment
    response = client.post(
        reverse("mentoring:tutoring_session_add", args=[assignment.pk]),
        {
            "contact-date": timezone.localdate().isoformat(),
            "contact-form": "consulting",
            "contact-channel": "in_person",
            "contact-topic": "Разбор урока по теме «Дроби»",
            "contact-outcome": "",
            "contact-next_step": "",
        },
    )
    assert response.status_code == 302
    session = Contact.objects.get(tutoring=assignment)
    assert session.pair is None and session.logged_by == pair_cast.people[who]
    page = client.get(reverse("mentoring:tutoring_detail", args=[assignment.pk]))
    assert "Разбор урока по теме «Дроби»" in page.content.decode()


def test_a_session_in_the_future_is_refused(pair_cast):
    with pytest.raises(ValidationError) as error:
        tutoring_session_log(
            assignment=pair_cast.assignment,
            date=timezone.localdate() + dt.timedelta(days=3),
            form="mentoring",
            channel="phone",
            topic="Консультация",
            by=pair_cast.people["tutor"],
        )
    assert error.value.message_dict["date"] == ["Дата контакта не может быть в будущем."]


def test_a_member_sees_only_their_own_assignments(client, pair_cast):
    client.force_login(pair_cast.people["member"])
    response = client.get(reverse("mentoring:tutoring_list", args=[pair_cast.community.pk]))
    assert list(response.context["page"].object_list) == []
    client.force_login(pair_cast.people["teacher"])
    response = client.get(reverse("mentoring:tutoring_list", args=[pair_cast.community.pk]))
    assert list(response.context["page"].object_list) == [pair_cast.assignment]


def test_the_tutoring_list_takes_the_same_queries_for_2_and_20_assignments(client, pair_cast):
    client.force_login(pair_cast.people["community_coordinator"])
    community = pair_cast.community

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("mentoring:tutoring_list", args=[community.pk]))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def more(n):
        for i in range(n):
            a = TutorAssignmentFactory(structure=community, subject=f"Предмет {n}-{i}")
            ContactFactory(pair=None, tutoring=a, date=timezone.localdate())

    more(1)
    few = queries()
    more(18)
    assert queries() == few


def test_the_sessions_page_takes_the_same_queries_for_3_and_30_sessions(client, pair_cast):
    client.force_login(pair_cast.people["tutor"])
    assignment = pair_cast.assignment

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("mentoring:tutoring_detail", args=[assignment.pk]))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def sessions(n, by):
        for _ in range(n):
            ContactFactory(pair=None, tutoring=assignment, date=timezone.localdate(), logged_by=by)

    sessions(3, pair_cast.people["tutor"])
    few = queries()
    sessions(27, pair_cast.people["teacher"])
    assert queries() == few


def test_the_community_page_shows_the_tutoring_panel(client, pair_cast):
    client.force_login(pair_cast.people["community_coordinator"])
    html = client.get(
        reverse("networks:structure_detail", args=[pair_cast.community.pk])
    ).content.decode()
    assert "Тьюторское сопровождение" in html
    assert reverse("mentoring:tutoring_list", args=[pair_cast.community.pk]) in html
    assert reverse("mentoring:tutoring_assign", args=[pair_cast.community.pk]) in html
