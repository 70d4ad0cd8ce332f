"""Self-registration with the 152-ФЗ consents, the organisation picker without JavaScript, and the
request for an organisation missing from the registry."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from networks.models import OrganisationRequest, User
from tests.account.conftest import PASSWORD
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db
SIGNUP = reverse("account_signup")


def signup_data(school, **overrides):
    data = {
        "email": "kondakova@school.example",
        "last_name": "Кондакова",
        "first_name": "Ирина",
        "patronymic": "Петровна",
        "position": "Директор",
        "post": "head",
        "phone": "+7 (47150) 2-14-36",
        "organisation_query": "№ 4",
        "organisation": str(school.pk) if school else "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "pd_consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_signup_page_is_russian_and_links_the_consent_text(client):
    html = client.get(SIGNUP).content.decode()
    assert "Регистрация" in html and "Фамилия" in html and "Отчество (если есть)" in html
    assert reverse("people:consent") in html
    assert "js/organisation-picker.js" in html


def test_director_registers_with_a_cyrillic_name_and_both_consents(client, school_no_4):
    response = client.post(SIGNUP, signup_data(school_no_4, show_name_consent="on"))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="kondakova@school.example")
    assert (user.last_name, user.first_name, user.patronymic) == ("Кондакова", "Ирина", "Петровна")
    assert (user.position, user.post, user.phone, user.organisation) == (
        "Директор",
        "head",
        "+7 (47150) 2-14-36",
        school_no_4,
    )
    # Each consent names the version of the text agreed to (152-ФЗ, ст. 9), the current one.
    assert user.pd_consent_version == "1"
    assert user.pd_consent_at is not None
    assert user.show_name_consent_at == user.pd_consent_at
    given = {(c.text.kind, c.text.version, c.given_at) for c in user.consents.all()}
    assert given == {
        ("personal_data", 1, user.pd_consent_at),
        ("show_name", 1, user.pd_consent_at),
    }
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert re.search(r"/accounts/confirm-email/[-:\w]+/", mail.outbox[0].body)


def test_the_post_category_is_asked_and_a_missing_one_is_named_at_its_field(client, school_no_4):
    """R-TUL-A3-1.1 gives network pairs to heads and deputies: the category says who they are."""
    html = client.get(SIGNUP).content.decode()
    assert 'for="id_post"' in html
    assert '<option value="deputy">Заместитель руководителя</option>' in html

    response = client.post(SIGNUP, signup_data(school_no_4, post=None))

    assert response.status_code == 200
    assert response.context["form"].errors["post"] == ["Выберите категорию должности."]
    assert 'aria-describedby="id_post_helptext id_post_error"' in response.content.decode()
    assert 'value="Кондакова"' in response.content.decode()  # what was typed stays
    assert not User.objects.filter(email="kondakova@school.example").exists()


def test_the_consent_to_show_the_name_is_optional(client, school_no_4):
    client.post(SIGNUP, signup_data(school_no_4))
    user = User.objects.get(email="kondakova@school.example")
    assert user.pd_consent_at is not None
    assert user.show_name_consent_at is None
    assert not user.shows_name


def test_without_consent_to_processing_nothing_is_saved_and_typed_values_stay(client, school_no_4):
    response = client.post(SIGNUP, signup_data(school_no_4, pd_consent=None))

    assert response.status_code == 200
    assert not User.objects.exists()
    html = response.content.decode()
    assert "Без согласия на обработку персональных данных регистрация невозможна." in html
    assert 'aria-describedby="id_pd_consent_helptext id_pd_consent_error"' in html
    for typed in ("Кондакова", "Ирина", "Петровна", "Директор", "kondakova@school.example"):
        assert f'value="{typed}"' in html
    # the picked organisation stays picked, the passwords do not come back
    assert re.search(rf'value="{school_no_4.pk}"\s+checked', html)
    assert PASSWORD not in html


@pytest.mark.parametrize(
    ("password", "message"),
    [("Кедр-1", "слишком короткий"), ("password123", "слишком широко распространён")],
)
def test_django_password_validators_apply_at_signup(client, school_no_4, password, message):
    response = client.post(SIGNUP, signup_data(school_no_4, password1=password, password2=password))
    assert response.status_code == 200
    assert not User.objects.exists()
    assert message in response.content.decode()


def test_names_must_be_letters(client, school_no_4):
    response = client.post(SIGNUP, signup_data(school_no_4, last_name="Кондакова1"))
    assert "Пишите буквами" in response.content.decode()
    assert not User.objects.exists()


def test_signup_without_organisation_or_request_is_refused(client, school_no_4):
    response = client.post(SIGNUP, signup_data(None))
    html = response.content.decode()
    assert "Выберите организацию из найденных или, если её нет в реестре" in html
    assert 'id="id_organisation_error"' in html
    assert not User.objects.exists()


def test_a_forged_organisation_id_is_refused(client, school_no_4):
    response = client.post(SIGNUP, signup_data(None, organisation="999999"))
    assert "Выберите организацию из найденных." in response.content.decode()
    assert not User.objects.exists()


def test_find_button_lists_matches_keeps_typing_and_saves_nothing(client, school_no_4):
    """The picker without JavaScript: «Найти» re-renders the form with the matches."""
    data = signup_data(None, organisation_find="1", password1="", password2="", pd_consent=None)
    response = client.post(SIGNUP, data)

    assert response.status_code == 200
    assert not User.objects.exists()
    html = response.content.decode()
    assert "МОУ «Средняя общеобразовательная школа № 4» — Дмитриевский район" in html
    assert "СОШ № 40" not in html
    assert "Найдено организаций: 1." in html
    assert 'value="Кондакова"' in html and 'value="№ 4"' in html
    assert "alert-danger" not in html and "invalid-feedback" not in html


def test_missing_organisation_is_requested_and_registration_goes_on(client, db):
    region = RegionFactory(name="Курская область")
    response = client.post(
        SIGNUP,
        signup_data(
            None,
            organisation_query="Лицей Фатеж",
            request_name="МКОУ «Фатежская основная общеобразовательная школа»",
            request_region=str(region.pk),
            request_municipality="Фатежский район",
        ),
    )
    assert response.status_code == 302
    user = User.objects.get(email="kondakova@school.example")
    assert user.organisation is None
    request = OrganisationRequest.objects.get()
    assert (request.user, request.region, request.municipality, request.status) == (
        user,
        region,
        "Фатежский район",
        "new",
    )


def test_request_needs_a_region_and_keeps_what_was_typed(client, db):
    response = client.post(
        SIGNUP,
        signup_data(None, request_name="МКОУ «Фатежская ООШ»", request_inn="123"),
    )
    html = response.content.decode()
    assert "Выберите регион организации." in html
    assert "ИНН должен состоять из 10 или 12 цифр" in html
    assert 'value="МКОУ «Фатежская ООШ»"' in html
    assert '<details class="mt-3" open>' in html
    assert not User.objects.exists() and not OrganisationRequest.objects.exists()


def test_signup_with_a_registered_address_does_not_reveal_it(client, school_no_4):
    UserFactory(email="kondakova@school.example")
    response = client.post(SIGNUP, signup_data(school_no_4))
    # Same answer as for a new address; the owner gets an e-mail instead.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="kondakova@school.example").count() == 1
    assert len(mail.outbox) == 1
