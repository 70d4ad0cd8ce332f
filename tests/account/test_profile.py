"""The person's own profile: edit the data, give or withdraw the consent to show the name."""

import pytest
from django.urls import reverse
from django.utils import timezone

from networks.models import OrganisationRequest
from tests.factories import OrganisationFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db
PROFILE = reverse("people:profile")


def profile_data(user, **overrides):
    data = {
        "last_name": user.last_name,
        "first_name": user.first_name,
        "patronymic": user.patronymic,
        "position": user.position,
        "post": user.post,
        "phone": user.phone,
        "organisation": str(user.organisation_id or ""),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "url",
    [
        PROFILE,
        reverse("people:export", args=["json"]),
        reverse("people:export", args=["xlsx"]),
        reverse("people:delete"),
    ],
)
def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_shows_the_own_data_consents_and_links(client):
    user = UserFactory(last_name="Кондакова", pd_consent_version="2026-11-01")
    user.pd_consent_at = timezone.make_aware(timezone.datetime(2026, 11, 2, 10, 0))
    user.save()
    client.force_login(user)
    html = client.get(PROFILE).content.decode()
    assert 'value="Кондакова"' in html
    assert "Согласие на обработку персональных данных дано 02.11.2026" in html
    assert reverse("account_change_password") in html and reverse("account_email") in html
    assert reverse("people:export", args=["xlsx"]) in html
    assert '<option value="deputy" selected>Заместитель руководителя</option>' in html
    # the current organisation is offered, already picked
    assert f'value="{user.organisation_id}" checked' in html


def test_person_edits_their_data_and_gives_the_consent_to_show_the_name(client, school_no_4):
    user = UserFactory(show_name_consent_at=None)
    client.force_login(user)
    response = client.post(
        PROFILE,
        profile_data(
            user,
            last_name="Кондакова",
            position="Директор",
            post="head",
            organisation=str(school_no_4.pk),
            show_name_consent="on",
        ),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.last_name, user.position, user.post, user.organisation) == (
        "Кондакова",
        "Директор",
        "head",
        school_no_4,
    )
    assert user.show_name_consent_at is not None


def test_person_withdraws_the_consent_to_show_the_name(client):
    user = UserFactory(show_name_consent_at=timezone.now())
    client.force_login(user)
    client.post(PROFILE, profile_data(user))
    user.refresh_from_db()
    assert user.show_name_consent_at is None


def test_keeping_the_consent_keeps_its_date(client):
    given = timezone.now() - timezone.timedelta(days=30)
    user = UserFactory(show_name_consent_at=given)
    client.force_login(user)
    client.post(PROFILE, profile_data(user, show_name_consent="on"))
    user.refresh_from_db()
    assert user.show_name_consent_at == given


def test_bad_input_is_refused_in_russian_and_what_was_typed_stays(client):
    user = UserFactory(last_name="Петрова")
    client.force_login(user)
    response = client.post(
        PROFILE,
        profile_data(user, last_name="", first_name="Анна", phone="звоните", position="Завуч"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Обязательное поле." in html
    assert "Укажите телефон цифрами" in html
    assert 'value="звоните"' in html and 'value="Завуч"' in html
    user.refresh_from_db()
    assert user.last_name == "Петрова"
    # the refused form did not leave the signed-in person's name edited in the page header
    assert "Петрова" in html.split("</nav>")[0]


def test_find_in_the_profile_lists_matches_without_saving(client, school_no_4):
    user = UserFactory(position="Учитель")
    client.force_login(user)
    response = client.post(
        PROFILE,
        profile_data(user, position="Директор", organisation_query="№ 4", organisation_find="1"),
    )
    html = response.content.decode()
    assert "МОУ «Средняя общеобразовательная школа № 4» — Дмитриевский район" in html
    assert 'value="Директор"' in html
    user.refresh_from_db()
    assert user.position == "Учитель"


def test_person_without_organisation_asks_to_add_it_from_the_profile(client):
    user = UserFactory(organisation=None)
    region = RegionFactory()
    client.force_login(user)
    response = client.post(
        PROFILE,
        profile_data(user, request_name="МБОУ «Лицей № 1»", request_region=str(region.pk)),
        follow=True,
    )
    assert "Заявка на добавление организации отправлена" in response.content.decode()
    assert OrganisationRequest.objects.get().user == user
    assert "МБОУ «Лицей № 1»" in response.content.decode()


def test_consent_page_is_open_to_everyone_and_names_the_law(client, db):
    response = client.get(reverse("people:consent"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "152-ФЗ" in html and "Российской Федерации" in html and "Отзыв согласия" in html
    assert '<html lang="ru">' in html


def test_a_school_reorganised_since_it_was_picked_can_be_kept(client, school_no_4):
    user = UserFactory(organisation=school_no_4)
    school_no_4.successor = OrganisationFactory()
    school_no_4.save()
    client.force_login(user)
    response = client.post(PROFILE, profile_data(user, position="Директор"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.organisation, user.position) == (school_no_4, "Директор")


def test_login_page_offers_registration(client, db):
    assert reverse("account_signup") in client.get(reverse("account_login")).content.decode()


@pytest.mark.parametrize("name", ["account_change_password", "account_email"])
def test_password_change_and_email_pages_render_in_the_portal_layout(client, name):
    client.force_login(UserFactory())
    html = client.get(reverse(name)).content.decode()
    assert '<html lang="ru">' in html and 'class="navbar' in html
