"""Included from config/urls.py: networks may not include communities (the layers contract)."""

from .views import app_name, urlpatterns  # noqa: F401
