"""/healthz: is the portal able to work? Load balancers and `docker compose` ask this."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app


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


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database(), "broker": _broker()}
    body = {name: ("ok" if error is None else f"error: {error}") for name, error in checks.items()}
    failing = [name for name, error in checks.items() if error is not None]
    body["status"] = "ok" if not failing else "error"
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)
