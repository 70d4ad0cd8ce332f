"""Errors of the API as JSON in Russian: {"detail": "…"} (DRF's shape), with our own wording where
DRF's is English or says too little: a missing token (how to send one), an object that is not
there (Django's message names the model in English), a rate limit (DRF's Russian catalogue lacks
its newer «Expected available in …»)."""

from django.http import Http404
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
    elif isinstance(exc, Http404 | exceptions.NotFound):
        exc = exceptions.NotFound(_("Объект не найден или недоступен по этому ключу."))
    elif isinstance(exc, exceptions.Throttled):
        wait = exc.wait  # whole seconds: Retry-After
        exc = exceptions.Throttled(
            detail=_("Слишком много запросов по этому ключу. Повторите через %(wait)s с.")
            % {"wait": wait or 1}
        )
        exc.wait = wait
    return drf_exception_handler(exc, context)
