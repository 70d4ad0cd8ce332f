"""Errors of the API as JSON in Russian: {"detail": "…"} (DRF's shape), with our own wording for a
missing token (DRF's says nothing about how to send one)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, exceptions.NotAuthenticated):
        header = getattr(exc, "auth_header", None)  # WWW-Authenticate, set by the view
        exc = exceptions.NotAuthenticated(
            _("Нужен ключ доступа: заголовок «Authorization: Bearer <ключ>».")
        )
        exc.auth_header = header
    return drf_exception_handler(exc, context)
