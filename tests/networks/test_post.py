"""The category of a person's position (R-TUL-A3-1.1 gives network pairs to heads and deputies):
read from the wording for people who registered before it was asked."""

import importlib

import pytest
from django.apps import apps

from networks.models import User
from tests.factories import UserFactory

read_posts = importlib.import_module("networks.migrations.0009_user_post").read_posts


@pytest.mark.parametrize(
    ("position", "post"),
    [
        ("Директор", "head"),
        ("И.о. директора", "head"),
        ("Руководитель", "head"),
        ("Заведующий детским садом № 5", "head"),
        ("Заместитель директора по УВР", "deputy"),
        ("Зам. директора по воспитательной работе", "deputy"),
        ("Завуч", "deputy"),
        ("Учитель математики", "teacher"),
        ("Учитель истории, классный руководитель", "teacher"),
        ("Руководитель методического объединения учителей математики", "teacher"),
        ("Педагог-психолог", "teacher"),
        ("Методист", "other"),
        ("Главный специалист отдела мониторинговых исследований", "other"),
        ("Начальник отдела общего образования", "other"),
        ("  ", ""),
        ("", ""),
    ],
)
def test_the_category_a_positions_wording_says(position, post):
    assert User.Post.of_position(position) == post


@pytest.mark.django_db
def test_the_migration_gives_registered_people_the_category_of_their_position():
    director = UserFactory(position="Директор", post="")
    deputy = UserFactory(position="Заместитель директора по учебной работе", post="")
    nothing = UserFactory(position="", post="")

    read_posts(apps, None)

    posts = dict(User.objects.values_list("pk", "post"))
    assert posts[director.pk] == "head" and posts[deputy.pk] == "deputy"
    assert posts[nothing.pk] == ""


def test_heads_and_deputies_lead():
    assert User(post="head").leads and User(post="deputy").leads
    assert not User(post="teacher").leads and not User(post="").leads
