"""Sign-in throttling (django-axes) and pages that never tell whether an address is registered."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.account.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("account_login")
RESET = reverse("account_reset_password")


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    return settings


def sign_in(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def test_after_the_failure_limit_even_the_right_password_gets_the_lockout_page(client, axes_on):
    UserFactory(email="director@school.example", password=PASSWORD)
    for _ in range(axes_on.AXES_FAILURE_LIMIT):
        sign_in(client, "director@school.example", "не-тот-пароль")

    response = sign_in(client, "director@school.example", PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert "Вход временно недоступен" in html
    assert "Слишком много неудачных попыток входа" in html
    assert "_auth_user_id" not in client.session


def test_below_the_limit_the_right_password_still_signs_in(client, axes_on):
    UserFactory(email="director@school.example", password=PASSWORD)
    for _ in range(axes_on.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "director@school.example", "не-тот-пароль")
    response = sign_in(client, "director@school.example", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_wrong_password_error_is_the_same_for_a_known_and_an_unknown_address(client):
    UserFactory(email="director@school.example", password=PASSWORD)
    known = sign_in(client, "director@school.example", "не-тот-пароль")
    unknown = sign_in(client, "nobody@school.example", "не-тот-пароль")

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
    assert known.context["form"].non_field_errors() == [
        "Указанные вами адрес электронной почты и/или пароль неверны."
    ]


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(client):
    UserFactory(email="director@school.example", password=PASSWORD)
    known = client.post(RESET, {"email": "director@school.example"})
    unknown = client.post(RESET, {"email": "nobody@school.example"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    # Each address gets a letter: the owner a link, the stranger a note that no account exists.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "director@school.example",
        "nobody@school.example",
    ]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body
