"""The shared cache of the main pages (networks/pagecache.py, issue 8): a page is served from it only
to the person it was built for, and any committed change of a table it read shows at once.

These tests commit for real (transaction=True): inside a test's transaction nothing is stored."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Contact, Topic
from networks import pagecache
from networks.models import Membership, Structure
from tests.factories import (
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    make_pair,
)
from tests.helpers import process_env
from tests.reporting.test_concurrency import needs

# One xdist worker runs these: the cross-process test shares one Redis database for the cache.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("redis")]

LIST = reverse("networks:structure_list")
# Session and user: what the middleware reads before the view, on every request.
MIDDLEWARE_QUERIES = 2


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def warm(client, url):
    """A browser's first visits: the first one gets its CSRF cookie, the second notes what the page
    reads, the third stores it. Returns the stored page."""
    for _ in range(3):
        response, _count = get(client, url)
        assert response.status_code == 200
    return response


def served_from_cache(client, url) -> bool:
    response, count = get(client, url)
    assert response.status_code == 200
    return count == MIDDLEWARE_QUERIES


@pytest.fixture
def reader(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def structure():
    return StructureFactory(name="Сообщество учителей математики")


def test_the_fourth_visit_is_the_stored_page_without_its_queries(client, reader, structure):
    stored = warm(client, LIST)
    response, count = get(client, LIST)
    assert count == MIDDLEWARE_QUERIES
    assert response.content == stored.content
    assert "Сообщество учителей математики" in response.content.decode()


def rename_by_save(structure):
    structure.name = "Переименованное сообщество"
    structure.save()


def rename_by_update(structure):
    Structure.objects.filter(pk=structure.pk).update(name="Переименованное сообщество")


def rename_in_a_transaction(structure):
    with transaction.atomic():
        Structure.objects.filter(pk=structure.pk).update(name="Переименованное сообщество")
        with transaction.atomic():
            rename_by_save(Structure.objects.get(pk=structure.pk))


def rename_by_raw_sql(structure):
    # Unquoted, as a person would write it: the table is still read from the statement.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE networks_structure SET name = %s WHERE id = %s",
            ["Переименованное сообщество", structure.pk],
        )


@pytest.mark.parametrize(
    "rename", [rename_by_save, rename_by_update, rename_in_a_transaction, rename_by_raw_sql]
)
def test_a_committed_change_of_a_table_the_page_read_shows_at_once(
    client, reader, structure, rename
):
    warm(client, LIST)
    rename(structure)
    response, count = get(client, LIST)
    assert count > MIDDLEWARE_QUERIES
    assert "Переименованное сообщество" in response.content.decode()


def test_rows_added_in_bulk_and_deleted_show_at_once(client, reader, structure):
    url = reverse("networks:structure_detail", args=[structure.pk])
    warm(client, url)
    people = UserFactory.create_batch(2, last_name="Самойлова", show_name_consent_at=timezone.now())
    Membership.objects.bulk_create(
        Membership(structure=structure, user=p, role="member", since=structure.established_on)
        for p in people
    )
    assert get(client, url)[0].content.decode().count("Самойлова") == 2
    warm(client, url)
    Membership.objects.filter(structure=structure).delete()
    assert "Самойлова" not in get(client, url)[0].content.decode()


def test_a_rolled_back_change_is_never_stored(client, reader, structure):
    warm(client, LIST)
    with pytest.raises(RuntimeError), transaction.atomic():
        Structure.objects.filter(pk=structure.pk).update(name="Несостоявшееся имя")
        # Built inside the transaction, the page sees the name; it must not be kept.
        for _ in range(3):
            assert "Несостоявшееся имя" in get(client, LIST)[0].content.decode()
        raise RuntimeError
    for _ in range(3):
        html = get(client, LIST)[0].content.decode()
        assert "Несостоявшееся имя" not in html and "Сообщество учителей математики" in html


def test_a_change_of_a_table_the_page_did_not_read_keeps_the_stored_page(client, reader, structure):
    warm(client, LIST)
    Topic.objects.create(name="Тема, которой нет в списке структур", area="other")
    assert served_from_cache(client, LIST)


def test_a_statement_whose_table_cannot_be_read_renews_every_page(client, reader, structure):
    warm(client, LIST)
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH renamed AS (SELECT id FROM networks_structure WHERE id = %s) "
            "UPDATE networks_structure SET name = %s WHERE id IN (SELECT id FROM renamed)",
            [structure.pk, "Переименованное сообщество"],
        )
    assert "Переименованное сообщество" in get(client, LIST)[0].content.decode()


def test_the_page_of_one_person_is_never_served_to_another():
    curator = UserFactory(position="Методист")
    pair = make_pair(curator=curator)
    url = reverse("mentoring:pair_detail", args=[pair.pk])
    stranger = Client()
    stranger.force_login(UserFactory())
    own = Client()
    own.force_login(curator)
    warm(own, url)
    assert served_from_cache(own, url)

    # Even in the same browser (the same CSRF cookie), the key holds the person.
    stranger.cookies["csrftoken"] = own.cookies["csrftoken"].value
    for _ in range(4):
        assert stranger.get(url).status_code in (403, 404)


def test_losing_access_is_a_change_the_cached_page_sees(client):
    coordinator = UserFactory()
    role = TerritoryRoleFactory(user=coordinator, role="coordinator")
    structure = StructureFactory(region=role.region)
    url = reverse("networks:structure_detail", args=[structure.pk])
    client.force_login(coordinator)
    warm(client, url)
    assert served_from_cache(client, url)
    role.delete()
    assert served_from_cache(client, url) is False


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_each_browser_gets_a_page_with_its_own_csrf_token_and_its_forms_work():
    pair = make_pair()
    mentee = pair.memberships.get(role="mentee").user
    url = reverse("mentoring:pair_detail", args=[pair.pk])
    add = reverse("mentoring:pair_contact_add", args=[pair.pk])
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    for browser in browsers:
        browser.force_login(mentee)
        warm(browser, url)
    pages = [browser.get(url).content.decode() for browser in browsers]
    assert csrf_token(pages[0]) != csrf_token(pages[1])
    for n, (browser, page) in enumerate(zip(browsers, pages, strict=True)):
        response = browser.post(
            add,
            {
                "csrfmiddlewaretoken": csrf_token(page),
                "contact-date": timezone.localdate().isoformat(),
                "contact-form": "mentoring",
                "contact-channel": "phone",
                "contact-topic": f"Контакт номер {n + 1}",
                "contact-outcome": "Договорились",
                "contact-next_step": "Созвониться",
            },
        )
        assert response.status_code == 302
        # The message waiting after the redirect is shown, with the new contact: not a stored page.
        html = browser.get(url).content.decode()
        assert "Контакт записан в журнал пары." in html and f"Контакт номер {n + 1}" in html
    assert Contact.objects.filter(pair=pair).count() == 2


def test_a_browser_without_its_csrf_cookie_yet_is_not_served_from_the_cache(reader, structure):
    browser = Client()
    browser.force_login(reader)
    for _ in range(4):
        _response, count = get(browser, LIST)
        assert count > MIDDLEWARE_QUERIES
        browser.cookies.pop("csrftoken", None)


def test_the_page_cache_off_builds_every_page(client, reader, structure, settings):
    settings.PAGE_CACHE_SECONDS = 0
    warm(client, LIST)
    assert served_from_cache(client, LIST) is False


def test_a_cache_that_is_down_serves_the_pages_and_fails_no_write(
    client, reader, structure, monkeypatch
):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    for method in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(cache, method, down)
    for _ in range(4):
        response = client.get(LIST)
        assert response.status_code == 200
        assert "Сообщество учителей математики" in response.content.decode()
    rename_by_update(structure)
    assert Structure.objects.get(pk=structure.pk).name == "Переименованное сообщество"


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "networks_structure" ("name") VALUES (%s)', "networks_structure"),
        ('UPDATE "mentoring_contact" SET "topic" = %s', "mentoring_contact"),
        ('DELETE FROM "reporting_report" WHERE "id" IN (%s)', "reporting_report"),
        ("delete from networks_membership where id = 1", "networks_membership"),
        ('INSERT OR IGNORE INTO "networks_event" VALUES (1)', "networks_event"),
    ],
)
def test_the_table_a_write_changes_is_read_from_its_statement(sql, table):
    assert pagecache._WRITE.match(sql).group(1) == table


def test_the_tables_a_select_reads_include_its_joins_and_subqueries():
    sql = (
        'SELECT "a"."id" FROM "networks_structure" INNER JOIN "networks_region" ON (1=1) '
        'LEFT OUTER JOIN "networks_kind" T3 ON (1=1) WHERE "a"."id" IN '
        '(SELECT U0."structure_id" FROM "networks_membership" U0)'
    )
    assert set(pagecache._TABLES.findall(sql)) == {
        "networks_structure",
        "networks_region",
        "networks_kind",
        "networks_membership",
    }


def test_a_change_made_by_another_process_shows_at_once(client, reader, structure, settings):
    """The portal's processes (gunicorn's, the Celery worker) share the cache in Redis: a write
    committed by another process renews the page here. CI runs it (PostgreSQL and Redis)."""
    broker = django_settings.CELERY_BROKER_URL
    needs(broker.startswith("redis://"), "needs Redis (CELERY_BROKER_URL=redis://…)")
    needs(connection.vendor == "postgresql", "the other process must share the test database")
    redis = urllib.parse.urlsplit(broker)._replace(path="/15").geturl()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis,
            "KEY_PREFIX": "portal-test",
        }
    }
    cache.clear()
    warm(client, LIST)
    assert served_from_cache(client, LIST)

    env = process_env(TEST_CACHE_URL=redis)
    rename = (
        "from networks.models import Structure; "
        f"Structure.objects.filter(pk={structure.pk}).update(name='Переименованное сообщество')"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", rename],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    response, count = get(client, LIST)
    assert count > MIDDLEWARE_QUERIES
    assert "Переименованное сообщество" in response.content.decode()
    cache.clear()
