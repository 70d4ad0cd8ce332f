import importlib

import pytest


def pytest_configure(config):
    # pytest-xdist registers this marker; registered here too so that a module marked with it
    # (the Redis tests) still runs under `-p no:xdist` with --strict-markers.
    config.addinivalue_line("markers", "xdist_group(name): run in the same xdist worker")


@pytest.fixture(autouse=True)
def _media_and_static(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth keeps its rate limits (e.g. one confirmation mail per address per 3 minutes) in the
    # cache; without this, one test's sign-up would silence the next test's mail.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (browser, concurrency) flush every table after each test, the rows the
    data migrations loaded included: the kinds table, the topics catalogue, the deadline rules,
    the consent texts.
    Put them back before each such test."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    from mentoring.catalogue import load_topics
    from mentoring.models import Topic
    from networks.kinds import sync_kinds
    from networks.models import ConsentKind, ConsentText, StructureKind
    from reporting.models import DeadlineRule
    from reporting.rules import load_rules

    request.getfixturevalue("transactional_db")
    sync_kinds(StructureKind)
    load_topics(Topic)
    load_rules(DeadlineRule, StructureKind)
    # The consent texts people agree to (version 1, stored by networks' migration 0013).
    consents = importlib.import_module("networks.migrations.0013_consent_versions")
    for kind, text in (
        (ConsentKind.PERSONAL_DATA, consents.PERSONAL_DATA_V1),
        (ConsentKind.SHOW_NAME, consents.SHOW_NAME_V1),
    ):
        ConsentText.objects.get_or_create(
            kind=kind, version=1, defaults={"text": text, "published_on": consents.EDITION}
        )
