"""152-ФЗ, ст. 9: every consent a person gives names the version of the text agreed to and when;
the texts are versioned rows, and the words the portal shows are the stored current version."""

import datetime as dt
import importlib
import json
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from networks.account.consents import shown_text
from networks.account.services import consent_give, profile_update, user_anonymise
from networks.models import Consent, ConsentKind, ConsentText
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("networks.migrations.0013_consent_versions")


@pytest.mark.parametrize("kind", ConsentKind.values)
def test_the_words_shown_are_the_stored_current_version(kind):
    """Editing the consent page or the checkbox without publishing a new version fails here: the
    people who agreed before would otherwise be held to words they never saw."""
    assert shown_text(kind) == ConsentText.objects.current(kind).text


def test_each_consent_given_records_the_version_and_withdrawing_keeps_the_record():
    user = UserFactory(show_name_consent_at=None)
    at = timezone.make_aware(dt.datetime(2026, 11, 2, 10, 30))
    consent_give(user=user, kind=ConsentKind.SHOW_NAME, at=at)
    user.refresh_from_db()
    assert user.show_name_consent_at == at

    fields = {
        "last_name": user.last_name,
        "first_name": user.first_name,
        "patronymic": "",
        "position": "",
        "post": "",
        "phone": "",
        "organisation": None,
        "public_name_consent": False,
    }
    profile_update(user=user, show_name_consent=False, **fields)
    profile_update(user=user, show_name_consent=True, **fields)

    records = list(Consent.objects.filter(user=user).select_related("text"))
    assert [(c.text.kind, c.text.version) for c in records] == [("show_name", 1)] * 2
    assert records[0].withdrawn_at is not None and records[1].withdrawn_at is None
    assert records[0].given_at == at


def test_a_new_version_is_what_the_next_person_agrees_to():
    old = ConsentText.objects.current(ConsentKind.PERSONAL_DATA)
    ConsentText.objects.create(
        kind=old.kind, version=2, text=old.text + "\nНовый пункт.", published_on=dt.date(2027, 1, 1)
    )
    user = UserFactory()
    consent = consent_give(user=user, kind=ConsentKind.PERSONAL_DATA)
    user.refresh_from_db()
    assert (consent.text.version, user.pd_consent_version) == (2, "2")


def test_profile_shows_the_version_and_links_its_text(client):
    user = UserFactory()
    consent_give(
        user=user,
        kind=ConsentKind.PERSONAL_DATA,
        at=timezone.make_aware(dt.datetime(2026, 11, 2, 10, 0)),
    )
    consent_give(user=user, kind=ConsentKind.SHOW_NAME)
    client.force_login(user)
    html = client.get(reverse("people:profile")).content.decode()
    assert (
        "Согласие на обработку персональных данных дано 02.11.2026 "
        "(версия 1, редакция от 01.11.2026)." in html
    )
    assert "Согласие дано на текст версии 1." in html
    assert reverse("people:consent_version", args=[1]) in html


def test_an_earlier_version_of_the_text_is_shown_as_stored(client):
    old = ConsentText.objects.current(ConsentKind.PERSONAL_DATA)
    ConsentText.objects.create(
        kind=old.kind, version=2, text="Новая редакция.", published_on=dt.date(2027, 1, 1)
    )
    html = client.get(reverse("people:consent_version", args=[1])).content.decode()
    assert "Версия 1, редакция от 01.11.2026" in html and "Цели обработки" in html
    current = client.get(reverse("people:consent")).content.decode()
    assert "Версия 2, редакция от 01.01.2027" in current, current
    assert client.get(reverse("people:consent_version", args=[7])).status_code == 404


def test_the_data_migration_gives_existing_consents_version_1():
    Consent.objects.all().delete()
    ConsentText.objects.all().delete()
    given = timezone.make_aware(dt.datetime(2026, 11, 5, 9, 0))
    both = UserFactory(pd_consent_version="2026-11-01", pd_consent_at=given)
    both.show_name_consent_at = given
    both.save()
    only_pd = UserFactory(pd_consent_version="2026-11-01", pd_consent_at=given)

    migration.version_existing_consents(apps, None)

    assert ConsentText.objects.get(kind="personal_data", version=1).text == shown_text(
        ConsentKind.PERSONAL_DATA
    )
    records = {
        (c.user_id, c.text.kind, c.text.version, c.given_at)
        for c in Consent.objects.select_related("text")
    }
    assert records == {
        (both.pk, "personal_data", 1, given),
        (both.pk, "show_name", 1, given),
        (only_pd.pk, "personal_data", 1, given),
    }
    both.refresh_from_db()
    assert both.pd_consent_version == "1"


# --- The name on the public pages (152-ФЗ, ст. 10.1) ---------------------------------------------


def _profile_data(user, **consents):
    data = {
        "last_name": user.last_name,
        "first_name": user.first_name,
        "patronymic": "",
        "position": "Методист",
        "post": "other",
        "phone": "",
    }
    data.update({name: "on" for name, given in consents.items() if given})
    return data


def test_the_public_name_consent_is_its_own_text_naming_what_where_and_how_to_withdraw():
    text = ConsentText.objects.current(ConsentKind.PUBLIC_NAME)
    assert text.version == 1
    for words in (
        "статьёй 10.1",
        "Фамилия, имя, отчество; должность; наименование организации",
        "без входа на портал",
        "в любой момент",
        "исчезают с открытых страниц портала",
    ):
        assert words in text.text
    assert text.text != ConsentText.objects.current(ConsentKind.SHOW_NAME).text


def test_the_profile_gives_and_withdraws_the_public_consent_apart_from_the_other(client):
    user = UserFactory(show_name_consent_at=None)
    client.force_login(user)
    url = reverse("people:profile")
    html = client.get(url).content.decode()
    box = re.search(r'<input[^>]*name="public_name_consent"[^>]*>', html).group(0)
    assert "checked" not in box
    assert reverse("people:public_name_consent") in html

    client.post(url, _profile_data(user, show_name_consent=True))
    user.refresh_from_db()
    assert user.show_name_consent_at is not None and user.public_name_consent_at is None

    client.post(url, _profile_data(user, show_name_consent=True, public_name_consent=True))
    user.refresh_from_db()
    given = user.public_name_consent_at
    assert given is not None
    html = client.get(url).content.decode()
    assert "Согласие дано на текст версии 1." in html
    assert reverse("people:public_name_consent_version", args=[1]) in html

    # Saving again keeps the date; unticking withdraws only the public one.
    client.post(url, _profile_data(user, show_name_consent=True, public_name_consent=True))
    user.refresh_from_db()
    assert user.public_name_consent_at == given
    client.post(url, _profile_data(user, show_name_consent=True))
    user.refresh_from_db()
    assert user.public_name_consent_at is None and user.show_name_consent_at is not None

    records = list(
        Consent.objects.filter(user=user, text__kind=ConsentKind.PUBLIC_NAME).select_related("text")
    )
    assert [(c.text.version, c.given_at, c.withdrawn_at is not None) for c in records] == [
        (1, given, True)
    ]


def test_the_public_consent_text_is_open_to_everyone_in_its_current_and_earlier_versions(client):
    html = client.get(reverse("people:public_name_consent")).content.decode()
    assert "Согласие на распространение персональных данных" in html
    assert "Версия 1, редакция от 06.12.2026" in html and "статьёй 10.1" in html
    old = ConsentText.objects.current(ConsentKind.PUBLIC_NAME)
    ConsentText.objects.create(
        kind=old.kind, version=2, text="Новая редакция.", published_on=dt.date(2027, 1, 1)
    )
    earlier = client.get(reverse("people:public_name_consent_version", args=[1]))
    assert "статьёй 10.1" in earlier.content.decode()
    assert client.get(reverse("people:public_name_consent_version", args=[7])).status_code == 404


def test_the_export_lists_the_public_consent_and_the_eraser_clears_it(client):
    user = UserFactory()
    consent_give(user=user, kind=ConsentKind.PUBLIC_NAME)
    client.force_login(user)
    data = json.loads(client.get(reverse("people:export", args=["json"])).content)
    kinds = [row["consent"] for row in data["consents"]]
    assert "Показывать ФИО и должность на открытых страницах портала" in kinds

    user_anonymise(user=user)
    user.refresh_from_db()
    assert user.public_name_consent_at is None and not user.shows_name_publicly
    record = Consent.objects.get(user=user, text__kind=ConsentKind.PUBLIC_NAME)
    assert record.withdrawn_at is not None
