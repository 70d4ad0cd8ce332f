"""Sign-in throttling (django-axes) and pages that never tell whether an address is registered."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
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


# Behind the TLS proxy (issue 15): the proxy's address is REMOTE_ADDR, the client's the entry the
# proxy appended to X-Forwarded-For; one trusted proxy, read by allauth and django-axes alike.
PROXY = "172.18.0.2"


@pytest.fixture
def behind_proxy(axes_on):
    axes_on.TRUSTED_PROXY_COUNT = axes_on.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    return axes_on


def sign_in_from(client, address, email, password, forged=""):
    chain = f"{forged}, {address}" if forged else address
    return client.post(
        LOGIN,
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=chain,
    )


def test_forty_people_sign_in_within_a_minute_behind_the_proxy(behind_proxy):
    people = UserFactory.create_batch(40)

    answers = [
        sign_in_from(Client(), f"203.0.113.{n}", person.email, "pass-Word-2026")
        for n, person in enumerate(people, start=1)
    ]

    # allauth allows 30 sign-ins a minute per address: counted per person here, not per proxy.
    assert [a.status_code for a in answers] == [302] * 40
    assert {a["Location"] for a in answers} == {reverse("home")}


def test_without_the_trusted_proxy_every_visitor_is_the_proxy_and_the_31st_gets_429(axes_on):
    """The defect the trusted-proxy setting removes; the 429 page is the portal's, in Russian."""
    people = UserFactory.create_batch(31)
    answers = [
        sign_in_from(Client(), f"203.0.113.{n}", p.email, "pass-Word-2026")
        for n, p in enumerate(people, start=1)
    ]

    assert [a.status_code for a in answers[:30]] == [302] * 30
    assert answers[30].status_code == 429
    html = answers[30].content.decode()
    assert "Слишком много запросов" in html and "Too Many Requests" not in html


def test_ten_failures_from_one_address_leave_the_account_usable_from_another(behind_proxy):
    person = UserFactory(email="director@school.example")
    attacker = Client()
    for _ in range(10):
        sign_in_from(attacker, "198.51.100.9", person.email, "не-тот-пароль")

    assert sign_in_from(attacker, "198.51.100.9", person.email, "pass-Word-2026").status_code == 429
    at_school = sign_in_from(Client(), "203.0.113.40", person.email, "pass-Word-2026")
    assert at_school.status_code == 302 and at_school["Location"] == reverse("home")


def test_failures_from_many_addresses_do_not_lock_the_person_out(behind_proxy):
    person = UserFactory(email="director@school.example")
    for n in range(30):
        sign_in_from(Client(), f"198.51.100.{n}", person.email, "не-тот-пароль")

    own = sign_in_from(Client(), "203.0.113.40", person.email, "pass-Word-2026")
    assert own.status_code == 302 and own["Location"] == reverse("home")


def test_forged_x_forwarded_for_entries_do_not_escape_the_lockout(behind_proxy):
    """An attacker writes a new address into X-Forwarded-For each time; the proxy appends the
    real one, and that one is counted."""
    person = UserFactory(email="director@school.example")
    for n in range(behind_proxy.AXES_FAILURE_LIMIT):
        sign_in_from(Client(), "198.51.100.9", person.email, "не-тот-пароль", forged=f"10.0.0.{n}")

    again = sign_in_from(
        Client(), "198.51.100.9", person.email, "pass-Word-2026", forged="10.9.9.9"
    )
    assert again.status_code == 429
    assert "_auth_user_id" not in again.wsgi_request.session


def test_the_lockout_page_says_in_russian_when_to_try_again(behind_proxy, client):
    person = UserFactory(email="director@school.example")
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        sign_in_from(client, "198.51.100.9", person.email, "не-тот-пароль")

    html = sign_in_from(client, "198.51.100.9", person.email, "pass-Word-2026").content.decode()
    assert "Вход временно недоступен" in html
    assert "Повторить вход с этого адреса можно через 15 мин." in html
    assert reverse("account_reset_password") in html


def test_the_minutes_follow_the_cool_off_setting(behind_proxy, client):
    behind_proxy.AXES_COOLOFF_TIME = timedelta(minutes=3)
    person = UserFactory(email="director@school.example")
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        sign_in_from(client, "198.51.100.9", person.email, "не-тот-пароль")

    html = sign_in_from(client, "198.51.100.9", person.email, "pass-Word-2026").content.decode()
    assert "можно через 3 мин." in html


def test_the_password_reset_link_lets_a_locked_out_person_in(behind_proxy, client):
    person = UserFactory(email="director@school.example")
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        sign_in_from(client, "203.0.113.40", person.email, "не-тот-пароль")
    assert sign_in_from(client, "203.0.113.40", person.email, "pass-Word-2026").status_code == 429

    client.post(
        RESET, {"email": person.email}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.40"
    )
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    form = client.get(link[1], REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.40")
    new_password = "Тихая-Гавань-Осень-7"
    done = client.post(
        form["Location"] if form.status_code == 302 else link[1],
        {"password1": new_password, "password2": new_password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.40",
    )
    assert done.status_code == 302, done.context and done.context["form"].errors

    client.logout()
    back = sign_in_from(client, "203.0.113.40", person.email, new_password)
    assert back.status_code == 302 and back["Location"] == reverse("home")
