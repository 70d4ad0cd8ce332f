"""Nothing lost when a server is lost (issue 15): a backup taken by deploy/backup.sh — the script the
`backup` service of docker-compose.yml runs — restores into a new database and a new media
directory, and the portal reads the same rows and the same files from the restored copy.

PostgreSQL only (pg_dump and pg_restore): on SQLite the test skips with that reason; CI runs it on
the PostgreSQL that .ci/run starts, whose package puts pg_dump on PATH.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from tests.factories import MaterialFactory, MembershipFactory, StructureFactory
from tests.helpers import database_url

pytestmark = pytest.mark.django_db(transaction=True)

REPO_ROOT = Path(__file__).resolve().parent.parent
BACKUP_SH = REPO_ROOT / "deploy" / "backup.sh"

# What the portal reads, in a process of its own (as on a restored server): the rows of every table
# of our apps and every material's file through its FileField (the storage under MEDIA_ROOT).
_READ_PORTAL = """
import hashlib, json
from pathlib import Path
import environ
environ.Env.read_env = lambda *args, **kwargs: None
import django
django.setup()
from django.apps import apps
from django.conf import settings
from communities.models import Material
ours = [
    config for config in apps.get_app_configs()
    if Path(config.path).is_relative_to(settings.BASE_DIR) and ".venv" not in Path(config.path).parts
]
counts = {model._meta.label: model._base_manager.count() for c in ours for model in c.get_models()}
files = {}
for material in Material.objects.exclude(file="").order_by("pk"):
    with material.file.open("rb") as f:
        files[material.file.name] = hashlib.sha256(f.read()).hexdigest()
print(json.dumps({"counts": counts, "files": files}))
"""


def postgres_tools() -> dict[str, str]:
    """PATH with pg_dump and pg_restore: Debian's wrappers in /usr/bin, else the newest
    /usr/lib/postgresql/<version>/bin."""
    path = os.environ.get("PATH", "")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        versions = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
        )
        if versions:
            path = f"{versions[-1]}:{path}"
    return {"PATH": path}


def needs(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI") and connection.vendor == "postgresql":
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


def url_of(database: str) -> str:
    return database_url(database)


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        args,
        cwd=REPO_ROOT,
        env={**os.environ, **postgres_tools(), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def portal_reads(database: str, media: Path) -> dict:
    result = run(
        sys.executable,
        "-c",
        _READ_PORTAL,
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=url_of(database),
        DJANGO_MEDIA_ROOT=str(media),
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files on disk, as in production (the test settings keep them in memory)."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def test_a_backup_restores_into_a_new_database_with_the_same_rows_and_files(
    request, media, tmp_path
):
    needs(connection.vendor == "postgresql", "pg_dump backs up PostgreSQL only (DATABASE_URL)")
    needs(
        shutil.which("pg_dump", path=postgres_tools()["PATH"]) is not None,
        "pg_dump not found: apt install postgresql-client",
    )
    structure = StructureFactory()
    MembershipFactory.create_batch(3, structure=structure)
    content = "Положение о межшкольном объединении\n".encode() * 100
    material = MaterialFactory(structure=structure, file=ContentFile(content, name="положение.txt"))
    assert (media / material.file.name).read_bytes() == content

    backups = tmp_path / "backups"
    run("bash", str(BACKUP_SH), "run", DATABASE_URL=url_of(connection.settings_dict["NAME"]),
        MEDIA_DIR=str(media), BACKUP_DIR=str(backups))  # fmt: skip
    taken = run("bash", str(BACKUP_SH), "check", BACKUP_DIR=str(backups)).stdout.strip()
    before = portal_reads(connection.settings_dict["NAME"], media)

    # The server is lost: a new database, a new media directory, the backup restored into them.
    restored = request.getfixturevalue("restored_database")
    restored_media = tmp_path / "restored-media"
    shutil.rmtree(media)
    run("bash", str(BACKUP_SH), "restore", taken, DATABASE_URL=url_of(restored),
        MEDIA_DIR=str(restored_media))  # fmt: skip
    after = portal_reads(restored, restored_media)

    assert after["counts"] == before["counts"]
    assert before["counts"]["networks.Structure"] >= 1
    assert before["counts"]["networks.Membership"] >= 3
    assert before["counts"]["networks.StructureKind"] >= 8  # the kinds table, loaded by migrations
    assert before["counts"]["communities.Material"] == 1
    assert (
        after["files"]
        == before["files"]
        == {material.file.name: hashlib.sha256(content).hexdigest()}
    )


def test_retention_keeps_the_newest_daily_backups_and_one_a_week(media, tmp_path):
    needs(connection.vendor == "postgresql", "pg_dump backs up PostgreSQL only (DATABASE_URL)")
    needs(
        shutil.which("pg_dump", path=postgres_tools()["PATH"]) is not None,
        "pg_dump not found: apt install postgresql-client",
    )
    media.mkdir(parents=True)
    backups = tmp_path / "backups"
    # Backups of earlier days (complete: SHA256SUMS) and an interrupted one (none).
    for day in range(1, 10):
        old = backups / "daily" / f"2020-01-{day:02d}T030000Z"
        old.mkdir(parents=True)
        (old / "SHA256SUMS").write_text("")
    (backups / "weekly" / "2020-01-01T030000Z").mkdir(parents=True)
    (backups / "weekly" / "2020-01-01T030000Z" / "SHA256SUMS").write_text("")
    interrupted = backups / "daily" / "2020-01-10T030000Z"
    interrupted.mkdir()

    run("bash", str(BACKUP_SH), "run", DATABASE_URL=url_of(connection.settings_dict["NAME"]),
        MEDIA_DIR=str(media), BACKUP_DIR=str(backups), BACKUP_KEEP_DAILY="3",
        BACKUP_KEEP_WEEKLY="1")  # fmt: skip

    daily = sorted(p.name for p in (backups / "daily").iterdir())
    weekly = sorted(p.name for p in (backups / "weekly").iterdir())
    assert len(daily) == 3
    assert daily[:2] == ["2020-01-08T030000Z", "2020-01-09T030000Z"]
    assert not interrupted.exists()
    # The new backup is also the week's (the newest weekly one was years old); one weekly kept.
    assert weekly == [daily[-1]]
