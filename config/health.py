"""/healthz: is the portal able to work? Load balancers and `docker compose` ask this.

Three parts: the database, the broker, and the worker's heartbeat (outbox.tasks.worker_heartbeat,
run by the beat every minute, so a fresh heartbeat proves beat, broker and worker together). Anyone
sees "ok" or "failed" per part; only an operator (a signed-in superuser) sees why, because the
reasons name internal hosts (the database server, the broker's URL)."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app
from outbox.services import heartbeat_age


def _database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; the reason goes into the answer
        return f"{type(exc).__name__}: {exc}"
    return None


def _broker() -> str | None:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _worker() -> str | None:
    """None when the worker beat within WORKER_HEARTBEAT_MAX_AGE seconds (or is not asked for)."""
    limit = getattr(settings, "WORKER_HEARTBEAT_MAX_AGE", None)
    if limit is None:
        return None
    try:
        age = heartbeat_age()
    except Exception as exc:  # the database is down: reported there, and here too
        return f"{type(exc).__name__}: {exc}"
    if age is None:
        return "stale: no heartbeat yet (are the worker and the beat running?)"
    if age.total_seconds() > limit:
        return f"stale: last heartbeat {int(age.total_seconds())} s ago (limit {limit} s)"
    return None


def _is_operator(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_superuser)


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database(), "broker": _broker()}
    # The heartbeat is a row: without the database there is nothing to read.
    checks["worker"] = _worker() if checks["database"] is None else "database unavailable"
    operator = _is_operator(request) if checks["database"] is None else False
    body = {
        name: "ok" if error is None else (f"failed: {error}" if operator else "failed")
        for name, error in checks.items()
    }
    failing = [name for name, error in checks.items() if error is not None]
    body["status"] = "ok" if not failing else "failed"
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)
