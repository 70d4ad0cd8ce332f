"""The link in the confirmation e-mail: it signs the person in once; used twice or expired, the
page says which, in Russian, in the portal's layout."""

import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.account.test_signup import signup_data

pytestmark = pytest.mark.django_db


def register(client, school):
    client.post(reverse("account_signup"), signup_data(school))
    return re.search(r"/accounts/confirm-email/[-:\w]+/", mail.outbox[-1].body).group(0)


def test_the_link_confirms_the_address_and_signs_the_person_in(client, school_no_4):
    link = register(client, school_no_4)
    page = client.get(link)
    assert (
        "Подтвердите, что адрес kondakova@school.example принадлежит вам." in page.content.decode()
    )
    assert '<html lang="ru">' in page.content.decode()

    response = client.post(link)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert EmailAddress.objects.get(email="kondakova@school.example").verified
    assert client.get(reverse("home")).context["user"].email == "kondakova@school.example"


def test_a_link_used_twice_says_it_was_used(client, school_no_4):
    link = register(client, school_no_4)
    client.post(link)

    for response in (client.get(link), client.post(link)):
        assert response.status_code == 200
        html = response.content.decode()
        assert "Эта ссылка уже использована: адрес подтверждён." in html
        assert 'class="navbar' in html  # the portal's layout


def test_an_expired_link_says_it_expired(client, school_no_4):
    link = register(client, school_no_4)
    with time_machine.travel(timezone.now() + timezone.timedelta(days=4)):
        html = client.get(link).content.decode()
    assert "Срок действия ссылки истёк." in html
    assert not EmailAddress.objects.get(email="kondakova@school.example").verified


def test_a_mangled_link_says_it_is_wrong(client, db):
    html = client.get("/accounts/confirm-email/MQ:abc:def/").content.decode()
    assert "Ссылка для подтверждения неверна." in html
