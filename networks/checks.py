"""Deployment checks of networks.

The cache must be shared by every process (gunicorn's and the Celery worker's): sign-in's rate
limits count attempts in it, and data cached for many people is invalidated by the process that
writes, so another process must hear it."""

from django.conf import settings
from django.core.checks import Error, Tags, register

LOCAL_BACKENDS = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    if settings.CACHES["default"]["BACKEND"] in LOCAL_BACKENDS:
        return [
            Error(
                "Кэш не общий для процессов: ограничения частоты входа и общие данные страниц "
                "в каждом процессе свои.",
                hint="Укажите CACHE_URL=redis://…",
                id="networks.E001",
            )
        ]
    return []
