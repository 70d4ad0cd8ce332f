"""Glue for the sign-in libraries (django-allauth and django-axes).

- `client_ip`: the one reading of the client's address behind the trusted proxies, for both.
- `lockout_response`: django-axes' lock-out page, in Russian, with the minutes to wait.
- `unlock_on_password_reset`: the password-reset link lets a locked-out person in.
- `FailOpenCache`: allauth's rate limiter goes on without its limits while the cache is down.
"""

from __future__ import annotations

import logging
import math

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def axes_username(request, credentials: dict | None) -> str:
    """The address being tried, whichever form sent it.

    allauth authenticates with `email=`, Django's admin login with `username=`; a lockout must
    count both against the same address.
    """
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        value = request.POST.get("login") or request.POST.get("username")
    return (value or "").strip().lower()


def client_ip(request) -> str | None:
    """The client's address as allauth reads it (AXES_CLIENT_IP_CALLABLE).

    allauth takes the entry ALLAUTH_TRUSTED_PROXY_COUNT places from the end of X-Forwarded-For
    (or ALLAUTH_TRUSTED_CLIENT_IP_HEADER); django-axes is given the same address, so both count
    per real client and neither trusts an entry the client wrote itself. Not django-ipware: its
    proxy count counts the proxies *listed in* the header, so the same setting would mean one
    proxy less for it than for allauth (with one proxy and `X-Forwarded-For: <client>` it found
    no address at all, and with a forged entry in front it took the forged one).
    """
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        # No usable address (a malformed header): allauth refuses such a request itself.
        return request.META.get("REMOTE_ADDR")


def minutes_to_wait(request, credentials: dict | None) -> int:
    """Whole minutes until this address may try this account again: the cool-off counted from the
    last failure (AXES_COOLOFF_TIME; a failure during the lock-out starts it again)."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    cool_off = get_cool_off(request)
    if not cool_off:
        return 0
    last = AccessAttempt.objects.filter(
        username=axes_username(request, credentials), ip_address=client_ip(request)
    ).aggregate(last=Max("attempt_time"))["last"]
    left = (last or timezone.now()) + cool_off - timezone.now()
    return max(1, math.ceil(left.total_seconds() / 60))


def lockout_response(request, original_response=None, credentials=None):
    """The lock-out page (AXES_LOCKOUT_CALLABLE): what happened, when to try again, and the way
    in at once — the password-reset link, which clears the lock (`unlock_on_password_reset`).

    «мин.» fits every number: message ids are Russian and have no Russian catalogue, so ngettext
    would give «2 минут» (the habit of networks.account.selectors.matches_message)."""
    minutes = minutes_to_wait(request, credentials)
    wait = (
        _("Повторить вход с этого адреса можно через %(minutes)d мин.") % {"minutes": minutes}
        if minutes
        else _("Повторить вход с этого адреса можно после разблокировки администратором.")
    )
    return render(
        request,
        "account/lockout.html",
        {"minutes": minutes, "wait": wait},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def unlock_on_password_reset(sender, request, user, **kwargs) -> None:
    """A person who set a new password through the reset link may sign in at once.

    An attacker's failures lock only the attacker's address out of the account (the lockout is
    per account and address), but people behind one school's address share it: the link sent to
    the person's own mailbox clears every failed attempt against the account, from any address.
    """
    from allauth.account.models import EmailAddress
    from axes.utils import reset

    addresses = {user.email.strip().lower()} if user.email else set()
    addresses |= {
        e.strip().lower()
        for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    for address in addresses:
        reset(username=address)


class FailOpenCache:
    """The cache as allauth's rate limiter sees it: when the cache raises (Redis down), a miss,
    and every lock taken, so sign-in, sign-up and password reset go on without allauth's limits
    instead of answering 500. django-axes keeps its attempts in the database and still counts.

    Installed by `NetworksConfig.ready()` on allauth.core.internal.ratelimit only: other readers
    of the cache want to see the error.
    """

    def __init__(self, cache):
        self._cache = cache

    def _call(self, name: str, fallback, *args, **kwargs):
        try:
            return getattr(self._cache, name)(*args, **kwargs)
        except Exception as error:  # any failure of the cache server or its client
            logger.warning(
                "Кэш недоступен, ограничения частоты входа не действуют: %s: %s",
                type(error).__name__,
                error,
            )
            return fallback

    def get(self, key, default=None, *args, **kwargs):
        return self._call("get", default, key, default, *args, **kwargs)

    def add(self, key, *args, **kwargs):
        return self._call("add", True, key, *args, **kwargs)

    def set(self, key, *args, **kwargs):
        return self._call("set", None, key, *args, **kwargs)

    def delete(self, key, *args, **kwargs):
        return self._call("delete", False, key, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._cache, name)


def install_fail_open_rate_limits() -> None:
    """Give allauth's rate limiter the fail-open view of the default cache (once)."""
    from allauth.core.internal import ratelimit

    if not isinstance(ratelimit.cache, FailOpenCache):
        ratelimit.cache = FailOpenCache(ratelimit.cache)
