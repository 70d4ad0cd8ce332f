"""Issue 20, grammatical admin labels: the operators' admin names a model in the accusative where
Russian wants it — «Добавить сетевую структуру», not «Добавить сетевая структура»."""

import pytest
from django.urls import reverse

from tests.factories import StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_the_structure_list_asks_to_choose_and_add_a_structure_in_the_accusative(operator):
    page = operator.get(reverse("admin:networks_structure_changelist")).content.decode()

    assert "Выберите сетевую структуру для изменения" in page
    assert "Добавить сетевую структуру" in page
    assert "сетевая структура для изменения" not in page


def test_the_add_and_change_pages_name_the_model_in_the_accusative(operator):
    structure = StructureFactory()

    add = operator.get(reverse("admin:networks_structure_add")).content.decode()
    change = operator.get(
        reverse("admin:networks_structure_change", args=[structure.pk])
    ).content.decode()
    person = operator.get(reverse("admin:networks_user_add")).content.decode()

    assert "Добавить сетевую структуру" in add
    assert "Изменить сетевую структуру" in change
    assert "Добавить пользователя" in person


def test_a_name_the_same_in_both_cases_is_left_as_it_is(operator):
    page = operator.get(reverse("admin:networks_region_changelist")).content.decode()
    assert "Выберите регион для изменения" in page
