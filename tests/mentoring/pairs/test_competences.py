"""Deficits and strengths ticked in the catalogue, and the coordinators' page of the catalogue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentoring.models import Competence, Topic
from networks.models import TerritoryRole
from tests.factories import CompetenceFactory, TerritoryRoleFactory, UserFactory, topic

pytestmark = pytest.mark.django_db

PAGE = reverse("mentoring:competences")


@pytest.fixture
def director(client):
    person = UserFactory(position="Директор")
    client.force_login(person)
    return person


def stated(person, side):
    return set(
        Competence.objects.filter(user=person, side=side).values_list("topic__name", flat=True)
    )


def test_the_page_groups_the_catalogue_by_area(client, director):
    html = client.get(PAGE).content.decode()
    assert "Подготовка к оценочным процедурам (ОГЭ, ЕГЭ, ВПР, PISA)" in html
    assert "<legend" in html and "Подготовка к ОГЭ" in html


def test_a_person_states_deficits_and_strengths_by_ticking_topics(client, director):
    oge, vpr, parents = topic("ОГЭ"), topic("ВПР"), topic("родителями")
    response = client.post(PAGE, {"deficits": [oge.pk, vpr.pk], "strengths": [parents.pk]})
    assert response.status_code == 302
    assert stated(director, "deficit") == {oge.name, vpr.name}
    assert stated(director, "strength") == {parents.name}
    page = client.get(PAGE).content.decode()
    assert "Дефициты и сильные стороны сохранены." in page
    assert f'id="deficits-{oge.pk}" checked' in page


def test_unticking_removes_a_statement_and_keeps_the_date_of_the_rest(client, director):
    kept = CompetenceFactory(user=director, topic=topic("ОГЭ"), side="deficit")
    CompetenceFactory(user=director, topic=topic("ЕГЭ"), side="deficit")
    client.post(PAGE, {"deficits": [topic("ОГЭ").pk]})
    assert stated(director, "deficit") == {topic("ОГЭ").name}
    assert Competence.objects.get(user=director, side="deficit").stated_at == kept.stated_at


def test_a_topic_out_of_use_is_not_offered_but_what_was_stated_stays(client, director):
    old = topic("PISA")
    CompetenceFactory(user=director, topic=old, side="deficit")
    old.is_active = False
    old.save()
    assert old.name not in client.get(PAGE).content.decode()
    client.post(PAGE, {"deficits": [topic("ОГЭ").pk]})
    assert stated(director, "deficit") == {topic("ОГЭ").name, old.name}
    response = client.post(PAGE, {"deficits": [old.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["deficits"]


# --- The catalogue ------------------------------------------------------------------------------

CATALOGUE = reverse("mentoring:catalogue")


@pytest.fixture
def coordinator(client):
    person = TerritoryRoleFactory(role=TerritoryRole.Role.COORDINATOR).user
    client.force_login(person)
    return person


def test_a_coordinator_adds_a_topic(client, coordinator):
    response = client.post(
        reverse("mentoring:catalogue_add"),
        {
            "topic-area": "staff",
            "topic-name": "  Школьные   управленческие команды ",
            "topic-position": 5,
        },
    )
    assert response.status_code == 302
    added = Topic.objects.get(name="Школьные управленческие команды")
    assert (added.area, added.position, added.is_active) == ("staff", 5, True)
    assert "Школьные управленческие команды" in client.get(PAGE).content.decode()


def test_a_topic_already_in_the_catalogue_is_refused_whatever_the_case(client, coordinator):
    response = client.post(
        reverse("mentoring:catalogue_add"),
        {"topic-area": "assessment", "topic-name": "подготовка к огэ", "topic-position": 5},
    )
    assert response.status_code == 200
    assert response.context["add_form"].errors["name"] == ["Такая тема уже есть в каталоге."]
    assert 'value="подготовка к огэ"' in response.content.decode()


def test_a_coordinator_renames_a_topic_and_the_statements_follow(client, coordinator):
    pisa = topic("PISA")
    statement = CompetenceFactory(topic=pisa, side="strength")
    prefix = f"topic-{pisa.pk}"
    response = client.post(
        reverse("mentoring:catalogue_topic", args=[pisa.pk]),
        {f"{prefix}-area": "assessment", f"{prefix}-name": "PISA", f"{prefix}-position": 1},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.topic.name == "PISA"


def test_renaming_into_another_topics_name_is_refused_by_its_field(client, coordinator):
    pisa = topic("PISA")
    prefix = f"topic-{pisa.pk}"
    response = client.post(
        reverse("mentoring:catalogue_topic", args=[pisa.pk]),
        {
            f"{prefix}-area": "assessment",
            f"{prefix}-name": "Подготовка к ЕГЭ",
            f"{prefix}-position": 1,
        },
    )
    assert response.status_code == 200
    assert "Такая тема уже есть в каталоге." in response.content.decode()
    pisa.refresh_from_db()
    assert pisa.name != "Подготовка к ЕГЭ"


def test_a_coordinator_takes_a_topic_out_of_use_and_back(client, coordinator):
    pisa = topic("PISA")
    toggle = reverse("mentoring:catalogue_toggle", args=[pisa.pk])
    client.post(toggle)
    pisa.refresh_from_db()
    assert not pisa.is_active
    client.post(toggle)
    pisa.refresh_from_db()
    assert pisa.is_active


def test_the_catalogue_shows_how_often_topics_are_stated(client, coordinator):
    CompetenceFactory.create_batch(2, topic=topic("ОГЭ"), side="deficit")
    CompetenceFactory(topic=topic("ОГЭ"), side="strength")
    response = client.get(CATALOGUE)
    counted = {
        t.name: (t.deficits, t.strengths)
        for _area, rows in response.context["areas"]
        for t, _f in rows
    }
    assert counted[topic("ОГЭ").name] == (2, 1)


def test_a_director_may_not_edit_the_catalogue(client, director):
    assert client.get(CATALOGUE).status_code == 403
    response = client.post(
        reverse("mentoring:catalogue_add"),
        {"topic-area": "staff", "topic-name": "Чужая тема", "topic-position": 5},
    )
    assert response.status_code == 403
    assert not Topic.objects.filter(name="Чужая тема").exists()
