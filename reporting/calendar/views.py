"""The «Календарь» page (reached from the profile) and the feeds a calendar app reads.

The feeds answer without signing in: the token in the address is the key, and an unknown,
revoked or replaced token is a 404 like any address that does not exist. The page, the issuing and
the revoking are the signed-in person's own (post/redirect/get)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import calendar
from communities.models import CalendarToken
from communities.services.calendar_tokens import calendar_token_issue, calendar_token_revoke
from networks.models import Membership, Structure

from . import feeds

__all__ = ["calendar_feed", "calendar_issue", "calendar_page", "calendar_revoke"]

log = logging.getLogger(__name__)

# A feed is built with icalendar at about 0.5 ms an entry (a hundred meetings: ~55 ms), and
# calendar apps poll it every few hours: the built feed is kept this long in the shared cache,
# under its token, so that a poll is one query and a cache read. The token is checked before the
# cache is read: a revoked or replaced address is 404 at once; an entry changed in the portal
# reaches the calendar within these minutes (Google itself refreshes a subscription twice a day).
FEED_CACHE_SECONDS = 300


def _feed_url(token: CalendarToken | None) -> str:
    if token is None:
        return ""
    return calendar.absolute(reverse("reporting:calendar_feed", kwargs={"token": token.token}))


@login_required
def calendar_page(request):
    tokens = {t.structure_id: t for t in CalendarToken.objects.filter(user=request.user)}
    memberships = (
        Membership.objects.current()
        .filter(user=request.user)
        .select_related("structure")
        .order_by("structure__name")
    )
    return render(
        request,
        "reporting/calendar.html",
        {
            "own_url": _feed_url(tokens.get(None)),
            "structures": [
                (m.structure, _feed_url(tokens.get(m.structure_id))) for m in memberships
            ],
        },
    )


def _structure(request) -> Structure | None:
    pk = request.POST.get("structure", "")
    if not pk:
        return None
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(Structure, pk=pk)


@login_required
@require_POST
def calendar_issue(request):
    structure = _structure(request)
    try:
        calendar_token_issue(user=request.user, structure=structure)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Адрес календаря готов. Прежний адрес, если он был, больше не работает.")
        )
    return redirect("reporting:calendar")


@login_required
@require_POST
def calendar_revoke(request):
    if calendar_token_revoke(user=request.user, structure=_structure(request)):
        messages.success(request, _("Адрес календаря отключён: по нему больше ничего не видно."))
    return redirect("reporting:calendar")


@require_safe
def calendar_feed(request, token: str):
    found = feeds.feed_token(token)
    if found is None:
        raise Http404
    key = f"calendar-feed:{found.token}"
    content = _cached(key)
    if content is None:
        if found.structure_id is None:
            content = feeds.personal_feed(found.user)
        else:
            content = feeds.structure_feed(found.structure)
        _keep(key, content)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    # Personal data behind a secret address: no shared cache keeps it, no search engine lists it.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


def _cached(key: str) -> bytes | None:
    try:
        return cache.get(key)
    except Exception as error:  # a cache that does not answer is a miss, never a 500
        log.warning("calendar feed cache unavailable: %s", error)
        return None


def _keep(key: str, content: bytes) -> None:
    try:
        cache.set(key, content, FEED_CACHE_SECONDS)
    except Exception as error:
        log.warning("calendar feed cache unavailable: %s", error)


urlpatterns = [
    path("calendar/", calendar_page, name="calendar"),
    path("calendar/new/", calendar_issue, name="calendar_issue"),
    path("calendar/revoke/", calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
]
