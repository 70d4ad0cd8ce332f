"""152-ФЗ, ст. 9: every consent a person gives names the version of the text agreed to and when;
the texts are versioned rows, and the words the portal shows are the stored current version."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from networks.account.consents import shown_text
from networks.account.services import consent_give, profile_update
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
