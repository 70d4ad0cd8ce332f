"""The password policy (issue 15): Django's validators, a shipped list of common passwords with
Russian ones (networks/passwords/), and not the person's own name or organisation."""

import gzip

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from networks.models import User
from networks.passwords import LIST_PATH
from tests.account.conftest import PASSWORD
from tests.account.test_signup import signup_data
from tests.factories import MunicipalityFactory, OrganisationFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def refusal(password, user=None) -> str:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    return " ".join(refused.value.messages)


def test_the_shipped_list_holds_django_s_and_russian_passwords():
    with gzip.open(LIST_PATH, "rt", encoding="utf-8") as f:
        entries = {line.strip() for line in f}
    assert len(entries) >= 10_000
    assert {"password", "qwerty", "dragon"} <= entries  # Django's
    assert {"привет", "солнышко", "йцукен", "gfhjkm", "natasha", "moskva"} <= entries
    assert all(entry == entry.lower() for entry in entries)


@pytest.mark.parametrize(
    "password",
    [
        "Привет2024",  # a common word with a year
        "Солнышко!!1",  # with signs
        "ЙЦУКЕНгшщ",  # a keyboard row
        "gfhjkm2019",  # «пароль» typed in the Latin layout
        "Natasha1987",  # a name in Latin letters
        "Kaluga1999",  # a city in Latin letters
        "Учитель-2030",
        "dragon2026",  # Django's list with a year
    ],
)
def test_a_common_word_with_digits_or_signs_around_it_is_refused(password):
    assert "слишком широко распространён" in refusal(password)


def test_own_name_is_refused_in_cyrillic_and_in_latin_letters():
    person = UserFactory.build(last_name="Кондакова", first_name="Ирина", patronymic="Петровна")

    assert "фамилию, имя или отчество" in refusal("Кондакова-Лучшая-7", person)
    assert "фамилию, имя или отчество" in refusal("kondakova-best-77", person)
    assert "фамилию, имя или отчество" in refusal("Мой-Петровна-пароль", person)


def test_own_organisation_and_its_place_are_refused():
    place = MunicipalityFactory(
        region=RegionFactory(name="Белгородская область"), name="Чернянский район"
    )
    school = OrganisationFactory(
        municipality=place,
        region=place.region,
        short_name="МБОУ «Лицей имени Шухова»",
        full_name="Муниципальное бюджетное общеобразовательное учреждение «Лицей имени Шухова»",
    )
    person = UserFactory(organisation=school)

    for password in ("Шухова-Башня-88", "Chernyanskiy-lyceum-1", "belgorodskaya+forever"):
        assert "название вашей организации" in refusal(password, person)


def test_the_suite_s_passwords_and_a_passphrase_pass():
    person = UserFactory.build(last_name="Кондакова", first_name="Ирина", patronymic="Петровна")
    for password in (PASSWORD, "pass-Word-2026", "changed-Password-1", "Тихая-Гавань-Осень-7"):
        validate_password(password, person)


def test_sign_up_refuses_a_password_with_the_person_s_own_name(client, school_no_4):
    data = signup_data(school_no_4, password1="Кондакова-1972!", password2="Кондакова-1972!")
    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    assert "Пароль не должен содержать вашу фамилию, имя или отчество." in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_refuses_the_organisation_s_district(client, school_no_4):
    # school_no_4 is in «Дмитриевский район».
    data = signup_data(school_no_4, password1="Dmitrievskiy-2026", password2="Dmitrievskiy-2026")
    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    assert "название вашей организации" in response.content.decode()
    assert not User.objects.exists()


def test_changing_the_password_refuses_a_russian_common_one(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "pass-Word-2026", "password1": "Ласточка2026", "password2": "Ласточка2026"},
    )

    assert response.status_code == 200
    assert "слишком широко распространён" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password("pass-Word-2026")
