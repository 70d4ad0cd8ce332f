"""What the portal holds about me (JSON, XLSX), and deleting the account while the structures
keep their counts."""

import datetime as dt
import io
import json

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from networks.account.services import consent_give, user_anonymise
from networks.models import ConsentKind, Role, User
from networks.schoolyear import SchoolYear
from tests.account.conftest import PASSWORD
from tests.factories import (
    MembershipFactory,
    OrganisationRequestFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
DELETE = reverse("people:delete")


@pytest.fixture
def director():
    user = UserFactory(
        email="kondakova@school.example",
        last_name="Кондакова",
        first_name="Ирина",
        patronymic="Петровна",
        position="Директор",
        phone="+7 (47150) 2-14-36",
        password=PASSWORD,
    )
    consent_give(
        user=user,
        kind=ConsentKind.PERSONAL_DATA,
        at=timezone.make_aware(dt.datetime(2026, 11, 2, 10, 30)),
    )
    MembershipFactory(
        user=user,
        structure=StructureFactory(name="Мастерская управления «Траектория развития школы»"),
        role=Role.MEMBER,
        since=dt.date(2020, 9, 16),
        until=dt.date(2021, 6, 30),
    )
    MembershipFactory(user=user, role=Role.HEAD, since=dt.date(2021, 9, 1))
    return user


def test_json_export_holds_the_own_profile_memberships_and_consents(client, director):
    MembershipFactory()  # someone else's
    client.force_login(director)
    response = client.get(reverse("people:export", args=["json"]))

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["last_name"] == "Кондакова"
    assert data["profile"]["email"] == "kondakova@school.example"
    assert (data["profile"]["position"], data["profile"]["post"]) == ("Директор", "head")
    first = data["memberships"][0]
    assert (first["structure"], first["role"], first["since"], first["until"]) == (
        "Мастерская управления «Траектория развития школы»",
        "Участник",
        "2020-09-16",
        "2021-06-30",
    )
    assert len(data["memberships"]) == 2
    consent = data["consents"][0]
    assert (consent["consent"], consent["version"]) == ("Обработка персональных данных (152-ФЗ)", 1)
    assert consent["given_at"] == "2026-11-02T10:30:00+03:00"


def test_xlsx_export_has_the_three_sheets_with_real_dates(client, director):
    client.force_login(director)
    response = client.get(reverse("people:export", args=["xlsx"]))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["Профиль", "Участие в структурах", "Согласия"]
    memberships = book["Участие в структурах"]
    assert [c.value for c in memberships[1]] == ["Структура", "Вид", "Роль", "С", "По"]
    first = list(memberships[2])
    assert first[3].value == dt.datetime(2020, 9, 16) and first[3].number_format == "DD.MM.YYYY"
    assert first[4].value == dt.datetime(2021, 6, 30)
    consents = book["Согласия"]
    assert consents["C2"].value == dt.datetime(2026, 11, 2, 10, 30)  # Moscow time, as given
    assert consents["C2"].number_format == "DD.MM.YYYY HH:MM"
    assert book["Профиль"]["B2"].value == "kondakova@school.example"


def test_unknown_export_format_is_404(client, director):
    client.force_login(director)
    assert client.get(reverse("people:export", args=["csv"])).status_code == 404


def test_wrong_password_does_not_delete_the_account(client, director):
    client.force_login(director)
    response = client.post(DELETE, {"password": "не-тот-пароль"})
    assert response.status_code == 200
    assert "Неверный пароль." in response.content.decode()
    assert 'aria-describedby="id_password_helptext id_password_error"' in response.content.decode()
    director.refresh_from_db()
    assert director.anonymised_at is None and director.is_active


def test_delete_page_asks_for_the_password_and_deletes_only_after_post(client, director):
    client.force_login(director)
    html = client.get(DELETE).content.decode()
    assert 'type="password"' in html and "Удалить учётную запись" in html
    director.refresh_from_db()
    assert director.anonymised_at is None


def test_deleting_the_account_erases_personal_data_and_signs_out(client, director):
    client.force_login(director)
    response = client.post(DELETE, {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert "Учётная запись удалена" in response.content.decode()
    user = User.objects.get(pk=director.pk)
    assert user.email == f"deleted-{user.pk}@invalid"
    assert user.full_name == "Удалённый пользователь"
    assert (user.patronymic, user.position, user.post, user.phone) == ("", "", "", "")
    assert user.show_name_consent_at is None and user.anonymised_at is not None
    assert not user.is_active and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(email="kondakova@school.example").exists()
    assert authenticate(email="kondakova@school.example", password=PASSWORD) is None
    assert client.get(reverse("home")).status_code == 302


def test_structures_keep_their_member_counts_after_a_member_leaves_the_portal(director):
    structure = StructureFactory()
    leaving = MembershipFactory(structure=structure, user=director, since=dt.date(2020, 9, 16))
    MembershipFactory.create_batch(11, structure=structure, since=dt.date(2020, 9, 16))
    year = SchoolYear(2020)
    assert structure.memberships.during(year).count() == 12

    user_anonymise(user=director)

    assert structure.memberships.during(year).count() == 12
    leaving.refresh_from_db()
    assert leaving.user_id == director.pk and leaving.until == timezone.localdate()
    assert structure.memberships.count() == 12


def test_anonymising_drops_access_and_traces_but_not_handled_history(director):
    TerritoryRoleFactory(user=director)
    pending = OrganisationRequestFactory(user=director)
    handled = OrganisationRequestFactory(user=director, status="rejected")
    AccessAttempt.objects.create(
        username="kondakova@school.example",
        ip_address="10.0.0.1",
        user_agent="x",
        failures_since_start=2,
    )

    user_anonymise(user=director)

    assert not director.territory_roles.exists()
    assert not AccessAttempt.objects.exists()
    ids = set(director.organisation_requests.values_list("pk", flat=True))
    assert ids == {handled.pk} and pending.pk not in ids


def test_an_account_is_anonymised_once(director):
    user_anonymise(user=director)
    with pytest.raises(Exception, match="уже удалена"):
        user_anonymise(user=director)
