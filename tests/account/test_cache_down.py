"""Redis down (issue 15): sign-in, sign-up and password reset keep working. allauth's rate limiter
needs the cache; while the cache raises it lets requests through and logs a warning
(networks.auth.FailOpenCache), and django-axes, whose attempts are in the database, still counts."""

import logging

import pytest
from django.core import mail
from django.core.cache.backends.base import BaseCache
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from networks.models import User
from tests.account.test_signup import signup_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class DeadCache(BaseCache):
    """A cache whose server does not answer, as Django's RedisCache behaves with Redis stopped."""

    def __init__(self, location, params):
        super().__init__(params)

    def _dead(self, *args, **kwargs):
        raise RedisConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    add = get = set = delete = touch = incr = has_key = _dead
    get_many = set_many = delete_many = _dead

    def clear(self):
        pass  # the suite's own clean-up between tests (tests/account/conftest.py)


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.DeadCache"}}
    return settings


def test_sign_in_works_while_the_cache_is_down_and_says_so_in_the_log(client, cache_down, caplog):
    UserFactory(email="director@school.example")
    with caplog.at_level(logging.WARNING, logger="networks.auth"):
        response = client.post(
            reverse("account_login"),
            {"login": "director@school.example", "password": "pass-Word-2026"},
        )

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "_auth_user_id" in client.session
    assert "Кэш недоступен" in caplog.text


def test_a_wrong_password_is_still_refused_and_counted_while_the_cache_is_down(client, cache_down):
    cache_down.AXES_ENABLED = True
    UserFactory(email="director@school.example")
    wrong = [
        client.post(
            reverse("account_login"), {"login": "director@school.example", "password": "не-тот"}
        ).status_code
        for _ in range(cache_down.AXES_FAILURE_LIMIT)
    ]
    assert wrong == [200] * (cache_down.AXES_FAILURE_LIMIT - 1) + [429]
    locked = client.post(
        reverse("account_login"),
        {"login": "director@school.example", "password": "pass-Word-2026"},
    )
    assert locked.status_code == 429


def test_sign_up_works_while_the_cache_is_down(client, cache_down, school_no_4):
    response = client.post(reverse("account_signup"), signup_data(school_no_4))

    assert response.status_code == 302
    assert User.objects.filter(email="kondakova@school.example").exists()


def test_password_reset_works_while_the_cache_is_down(client, cache_down):
    UserFactory(email="director@school.example")
    response = client.post(reverse("account_reset_password"), {"email": "director@school.example"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert mail.outbox and mail.outbox[-1].to == ["director@school.example"]
