import importlib
import itertools

import pytest


def pytest_configure(config):
    # pytest-xdist registers this marker; registered here too so that a module marked with it
    # (the Redis tests) still runs under `-p no:xdist` with --strict-markers.
    config.addinivalue_line("markers", "xdist_group(name): run in the same xdist worker")


# The modules whose tests wait on a subprocess of their own (a migration replay, production
# settings' manage.py and collectstatic, a backup and restore): 10–20 s each. pytest-django puts
# the tests without a database last; run first, none of them can end the run while the other
# worker has nothing left (382 s against 386 s on PostgreSQL with 2 workers: within the spread).
FIRST = (
    "tests/test_migrations.py",
    "tests/test_production_settings.py",
    "tests/test_embedded_default.py",
    "tests/test_backup.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The slow subprocess modules first, each kept whole; the rest in pytest-django's order."""
    first = [item for item in items if item.nodeid.split("::")[0] in FIRST]
    if first:
        items[:] = first + [item for item in items if item.nodeid.split("::")[0] not in FIRST]


@pytest.fixture(scope="session")
def _media_base(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


_media_roots = itertools.count()


@pytest.fixture(autouse=True)
def _media_and_static(settings, _media_base):
    # A folder of its own per test, made when a file is first stored there. Not tmp_path: pytest
    # finds the next number of a tmp_path by listing every folder made so far in the session, so
    # the 2,000 tests of a worker cost it 2,000² directory entries read (≈ 5 s of CPU a run).
    settings.MEDIA_ROOT = _media_base / str(next(_media_roots))


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth keeps its rate limits (e.g. one confirmation mail per address per 3 minutes) in the
    # cache; without this, one test's sign-up would silence the next test's mail.
    from django.core.cache import cache

    cache.clear()


def load_reference_data() -> None:
    """The rows the data migrations load, loaded by the same functions: the kinds table, the topics
    catalogue, the deadline rules, the consent texts (version 1 of each, frozen in networks'
    migrations 0013 and 0018). tests/test_migrations.py proves a database built by the migrations
    holds the same rows and the same schema."""
    from mentoring.catalogue import load_topics
    from mentoring.models import Topic
    from networks.kinds import sync_kinds
    from networks.models import ConsentKind, ConsentText, StructureKind
    from reporting.models import DeadlineRule
    from reporting.rules import load_rules

    sync_kinds(StructureKind)
    load_topics(Topic)
    load_rules(DeadlineRule, StructureKind)
    consents = importlib.import_module("networks.migrations.0013_consent_versions")
    public = importlib.import_module("networks.migrations.0018_public_name_consent")
    for kind, text, edition in (
        (ConsentKind.PERSONAL_DATA, consents.PERSONAL_DATA_V1, consents.EDITION),
        (ConsentKind.SHOW_NAME, consents.SHOW_NAME_V1, consents.EDITION),
        (ConsentKind.PUBLIC_NAME, public.PUBLIC_NAME_V1, public.EDITION),
    ):
        ConsentText.objects.get_or_create(
            kind=kind, version=1, defaults={"text": text, "published_on": edition}
        )


@pytest.fixture(scope="session")
def django_db_use_migrations():
    """The suite's databases are built from the models (`migrate --run-syncdb`), not by replaying
    the migrations: replaying them took 13 s of CPU per xdist worker, most of it Django re-rendering
    the historical models. tests/test_migrations.py replays them once, into a database of its own,
    and compares the result with this one."""
    return False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference_data()
    yield
    # A thread a test started (a live server's, a pool's) may leave its connection open: on
    # PostgreSQL, DROP DATABASE then waits five seconds for it and gives up with a warning.
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND usename = current_user"
            )


@pytest.fixture(autouse=True)
def _reference_data(request, django_db_blocker):
    """Transactional tests (browser, concurrency) empty every table after each test, the reference
    rows included. Put them back before each such test, and after it (pytest_runtest_teardown
    below) for the tests that follow in the same worker: xdist sends a group of transactional
    tests (the Redis ones) to a worker before or among ordinary tests, which expect the kinds table
    and the consent texts."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    load_reference_data()
    request.node.reload_reference_data = django_db_blocker


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # Every fixture of the test is torn down now, transactional_db's flush included.
    blocker = getattr(item, "reload_reference_data", None)
    # After the last test the session's fixtures are gone too, the test database with them.
    if blocker is not None and nextitem is not None:
        with blocker.unblock():
            load_reference_data()


def _delete_instead_of_truncate() -> None:
    """A transactional test ends with `flush`, which on PostgreSQL is one TRUNCATE of every table:
    0.45 s on an empty test database (new files for 90 tables), ≈ 1 s on a busy machine. A DELETE
    per table takes 0.04 s for the few rows a test writes. Django's foreign keys on PostgreSQL are
    DEFERRABLE INITIALLY DEFERRED and the flush runs in one transaction, so the order of the
    DELETEs does not matter. Sequences are left alone, as Django's own flush leaves them unless a
    test asks for reset_sequences (which still gets the TRUNCATE)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush


_delete_instead_of_truncate()
