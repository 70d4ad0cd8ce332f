"""The migrations build the database the models describe.

The suite builds its own databases from the models and loads the reference rows with the functions
the data migrations call (tests/conftest.py), because replaying every migration cost 13 s of CPU
per xdist worker. So these tests replay them, once, on the same database engine the suite runs on
(PostgreSQL in CI), into a database of their own, and compare: the same tables, columns and
constraints, the same reference rows. `makemigrations --check` proves no model change lacks its
migration."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.helpers import database_url
from tests.schema_snapshot import snapshot

REPO_ROOT = Path(__file__).resolve().parent.parent

_MIGRATE_AND_DESCRIBE = (
    "import json, django; django.setup(); "
    "from django.core.management import call_command; "
    "call_command('migrate', verbosity=0, interactive=False); "
    "from tests.schema_snapshot import snapshot; "
    "print(json.dumps(snapshot(), default=str))"
)


def run(args, database_url=None, timeout=300):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test")
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def empty_database(tmp_path):
    """A database of its own on the suite's engine, as DATABASE_URL; dropped afterwards."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    assert connection.vendor == "postgresql", connection.vendor
    name = f"{settings['NAME']}_migrated"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.django_db
def test_replaying_the_migrations_gives_the_schema_and_reference_rows_of_the_models(
    empty_database,
):
    result = run(["-c", _MIGRATE_AND_DESCRIBE], database_url=empty_database)
    assert result.returncode == 0, result.stderr[-3000:]
    migrated = json.loads(result.stdout.strip().splitlines()[-1])

    built = json.loads(json.dumps(snapshot(), default=str))

    assert sorted(migrated["schema"]) == sorted(built["schema"])
    # Django's own auth migration 0001 makes the group–permission link's id the project's
    # DEFAULT_AUTO_FIELD (bigint); built from the models it is auth's AutoField (integer). Django's
    # table, Django's quirk, harmless for tests: only that column's type is let through.
    for described in (migrated, built):
        described["schema"]["auth_group_permissions"]["columns"] = [
            column if column[0] != "id" else ["id", "auto", column[2]]
            for column in described["schema"]["auth_group_permissions"]["columns"]
        ]
    different = {
        table: {"migrated": migrated["schema"][table], "built": described}
        for table, described in built["schema"].items()
        if migrated["schema"][table] != described
    }
    assert not different, json.dumps(different, indent=1)[:6000]
    assert migrated["reference_rows"] == built["reference_rows"]
    assert len(built["reference_rows"]["StructureKind"]) == 8
    assert all(built["reference_rows"].values()), built["reference_rows"]


def test_every_model_change_has_its_migration():
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"])

    assert result.returncode == 0, result.stdout + result.stderr
