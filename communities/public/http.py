"""How a public page answers: the same for every visitor, kept by browsers and proxies.

- No session and no user: the views and their templates never read `request.user` or the session
  (the pages are rendered without the request's context processors, whose top bar asks for the
  user), and set no CSRF cookie (no form on them). So Django adds no `Vary: Cookie`.
- Russian whatever the language cookie says (the orders' language): `request.language_fixed`
  tells config.locale.ChosenLanguageMiddleware not to vary on the cookie.
- `Cache-Control: public, max-age=300` on 200 and 304 answers; an ETag from the page's selector
  (django.views.decorators.http.condition), so a browser or proxy revalidates with If-None-Match
  and gets 304 while nothing shown changed.

This is HTTP caching: nothing is stored on the server.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control

MAX_AGE = 300


def public_answer(view):
    """Marks the view's answers as public and cacheable (see the module's docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.language_fixed = True
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    return wrapped


def render_public(template: str, context: dict) -> HttpResponse:
    """Renders without the request: no context processor can touch the user or the session."""
    return HttpResponse(render_to_string(template, context))
