import pytest


@pytest.fixture(autouse=True)
def _media_and_static(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth keeps its rate limits (e.g. one confirmation mail per address per 3 minutes) in the
    # cache; without this, one test's sign-up would silence the next test's mail.
    from django.core.cache import cache

    cache.clear()
