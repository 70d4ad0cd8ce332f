"""Issue 15: a NUL byte in a request is refused with a Russian 400 page, never a 500 (PostgreSQL
refuses NUL in text: anonymous `GET /organisations/search/?q=a%00b` ended in a 500 there). The
middleware (config/nul.py) answers before any view or query, so SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from networks.models import Organisation
from tests.factories import OrganisationFactory, UserFactory

MESSAGE = "Запрос содержит недопустимый символ (NUL)."


def refused(response) -> bool:
    return response.status_code == 400 and MESSAGE in response.content.decode()


@pytest.mark.parametrize("query", ["q=a%00b", "q=%00", "a%00=1", "q=a\x00b"])
def test_an_anonymous_search_with_a_nul_byte_gets_400_not_500(client, db, query):
    response = client.get(f"/organisations/search/?{query}")
    assert refused(response)
    assert response["Content-Type"].startswith("text/html")


def test_the_pickers_json_search_gets_a_json_400_it_can_announce(client, db):
    response = client.get("/organisations/search/?q=a%00b", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"results": [], "message": MESSAGE}


def test_a_search_without_nul_bytes_is_answered(client, db):
    OrganisationFactory(short_name="МБОУ СОШ № 5 Тулы")
    response = client.get("/organisations/search/", {"q": "СОШ № 5"})
    assert response.status_code == 200
    assert response.json()["results"]


def test_a_nul_byte_in_the_path_gets_400(client, db):
    assert refused(client.get("/organisations/search%00/"))


def test_a_post_with_a_nul_byte_in_a_field_gets_400_and_changes_nothing(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account_login"), {"login": "a\x00b", "password": "x"})
    assert refused(response)
    response = client.post(
        reverse("account_login"), {"login": "ab", "password": "x"}, QUERY_STRING="next=%00"
    )
    assert refused(response)


def test_an_urlencoded_post_with_a_nul_byte_gets_400(client, db):
    response = client.post(
        reverse("account_login"),
        "login=a%00b&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert refused(response)


def test_a_multipart_post_with_a_nul_byte_in_a_field_gets_400(client, db):
    count = Organisation.objects.count()
    response = client.post(reverse("account_signup"), {"last_name": "Ива\x00нов"})
    assert refused(response)
    assert Organisation.objects.count() == count


def test_an_ordinary_post_passes(client, db):
    response = client.post(
        reverse("account_login"), {"login": "nobody@example.com", "password": "x"}
    )
    assert response.status_code == 200  # the form again, with its own error


def test_a_text_field_of_a_form_refuses_a_nul_byte_too():
    class Form(forms.Form):
        name = forms.CharField()

    with translation.override("ru"):
        form = Form({"name": "a\x00b"})
        assert not form.is_valid()
        assert form.errors["name"] == ["Данные содержат запрещённый символ: ноль-байт"]
