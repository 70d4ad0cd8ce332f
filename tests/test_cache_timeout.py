"""A Redis that accepts connections but never answers must not hang a page (issue 15): production
gives every cache call a timeout, and a call against such a server fails within it."""

import json
import socket
import threading
import time

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from tests.test_production_settings import manage, production_env  # noqa: F401 (fixture)


@pytest.fixture
def silent_server():
    """A TCP server on the loopback that accepts and then says nothing."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(5)
    for connection in accepted:
        connection.close()
    server.close()


def test_production_gives_the_redis_cache_a_timeout(production_env):  # noqa: F811
    production_env["CACHE_TIMEOUT_SECONDS"] = "0.5"
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.CACHES['default'].get('OPTIONS', {})))"
    )

    result = manage(production_env, "shell", "--no-imports", "-c", script)

    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout.strip().splitlines()[-1])
    assert options == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def test_a_cache_call_to_a_silent_redis_gives_up_within_its_timeout(silent_server):
    cache = RedisCache(
        f"redis://127.0.0.1:{silent_server}/1",
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )
    started = time.monotonic()
    with pytest.raises(redis.exceptions.TimeoutError):
        cache.get("anything")
    assert time.monotonic() - started < 5
