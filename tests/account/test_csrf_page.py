"""A form refused by the CSRF check (issue 15): the portal's Russian page, without Django's hint
about DEBUG, even with DEBUG on."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
def test_a_form_without_its_csrf_token_gets_the_russian_page(settings, debug):
    settings.DEBUG = debug
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("account_login"), {"login": "a@b.example", "password": "x"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Форма устарела" in html
    assert "обновите её и отправьте форму ещё раз" in html
    assert "DEBUG" not in html and "CSRF verification failed" not in html
    assert "<html" in html and 'lang="ru"' in html
