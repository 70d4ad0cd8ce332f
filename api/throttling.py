"""Rate limit per token, counted in the default cache: Redis in production, shared by every
gunicorn worker and server, so the limit is the token's and not one process's."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api_token"

    def get_rate(self):
        # Read at each request (DRF reads it once at import), so settings may change it.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None  # refused by the permission anyway
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
