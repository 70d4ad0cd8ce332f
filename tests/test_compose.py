"""docker-compose.yml as Compose reads it (issue 15, «nothing lost when a server is lost»): valid,
every image pinned, the TLS proxy in front with the trusted proxy count to match, health checks for
worker and beat, Redis with a password, the scheduled backup.

There is no Docker engine here: `docker-compose config` (Debian's docker-compose package) reads and
resolves the file with .env.example as .env, which is what `docker compose up` reads first. Skipped
where the binary is missing.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE = shutil.which("docker-compose")

pytestmark = pytest.mark.skipif(
    COMPOSE is None, reason="docker-compose not found: apt install docker-compose"
)


@pytest.fixture
def project(tmp_path):
    """The compose file, deploy/ and .env.example as .env, in a folder of their own."""
    shutil.copy(REPO_ROOT / "docker-compose.yml", tmp_path)
    shutil.copytree(REPO_ROOT / "deploy", tmp_path / "deploy")
    shutil.copy(REPO_ROOT / ".env.example", tmp_path / ".env")
    return tmp_path


def compose(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [COMPOSE, "-f", "docker-compose.yml", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )


def services(config: str) -> dict[str, str]:
    """The resolved config's text, one block per service (Compose writes two-space indents)."""
    body = ("\n" + config).split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    blocks = re.split(r"^  (?=[a-z][\w-]*:$)", body, flags=re.MULTILINE)
    return {block.split(":", 1)[0]: block for block in blocks if block.strip()}


def test_the_compose_file_is_valid(project):
    result = compose(project, "config", "-q")

    assert result.returncode == 0, result.stderr


def test_the_stack(project):
    result = compose(project, "config")
    assert result.returncode == 0, result.stderr
    stack = services(result.stdout)

    assert {"proxy", "web", "worker", "beat", "db", "redis", "backup", "mailpit"} <= set(stack)
    # Every image from a registry has a version, never a moving tag.
    images = re.findall(r"^    image: (\S+)$", result.stdout, flags=re.MULTILINE)
    pulled = [image for image in images if not image.startswith("shnor-portal:")]
    assert pulled, images
    for image in pulled:
        assert re.search(r":v?\d+\.\d+(\.\d+)?$", image), f"{image} is not pinned to a version"
    assert re.search(r"image: postgres:15\.\d+", stack["db"])
    assert re.search(r"image: redis:7\.\d+", stack["redis"])
    assert re.search(r"image: caddy:2\.\d+", stack["proxy"])

    # TLS at the proxy; gunicorn is not published on the host, and the portal trusts one proxy.
    assert "443" in stack["proxy"] and "Caddyfile" in stack["proxy"]
    assert "published" not in stack["web"] and "8000:8000" not in stack["web"]
    for name in ("web", "worker", "beat", "migrate"):
        assert "TRUSTED_PROXY_COUNT: '1'" in stack[name], name
    caddyfile = (REPO_ROOT / "deploy" / "Caddyfile").read_text()
    assert "{$PORTAL_DOMAIN}" in caddyfile and "reverse_proxy web:8000" in caddyfile

    # Health checks: the worker pings its own node, beat's schedule file must be fresh.
    assert "healthcheck" in stack["worker"] and "inspect ping" in stack["worker"]
    assert "celery@$${HOSTNAME}" in stack["worker"]
    assert "healthcheck" in stack["beat"] and "celerybeat-schedule" in stack["beat"]

    # Redis refuses clients without the password, and the portal's URLs carry it.
    assert "--requirepass" in stack["redis"]
    env = (REPO_ROOT / ".env.example").read_text()
    password = re.search(r"^REDIS_PASSWORD=(\S+)$", env, flags=re.MULTILINE).group(1)
    for url in ("CELERY_BROKER_URL", "CACHE_URL"):
        assert re.search(rf"^{url}=redis://:{re.escape(password)}@redis:", env, re.MULTILINE), url

    # The backup service runs the script tests/test_backup.py runs, with pg_dump of the db's image.
    assert "/deploy/backup.sh" in stack["backup"] and "schedule" in stack["backup"]
    assert re.search(r"image: (\S+)", stack["backup"]).group(1) == (
        re.search(r"image: (\S+)", stack["db"]).group(1)
    )
    assert "media:/media" in stack["backup"] or "target: /media" in stack["backup"]
    assert "healthcheck" in stack["backup"]


def test_without_a_redis_password_the_stack_does_not_start(project):
    env = project / ".env"
    env.write_text(re.sub(r"^REDIS_PASSWORD=.*$", "", env.read_text(), flags=re.MULTILINE))

    result = compose(project, "config", "-q")

    assert result.returncode != 0
    assert "REDIS_PASSWORD" in result.stderr
